"""Demo data of the learning half (issue 11, "Done means"): at least six published courses of both
training types in Chinese and English, lessons with real text about the AEO criteria, a video
lesson playing the small video that ships with the demo, a lesson quiz, an in-class course linked
to a demo training session, and the trainer and lead trainer who moderate them."""

from pathlib import Path

import pytest
from django.core.management import call_command

from courses.models import CoursePage, LessonPage
from courses.reference_data import LEAD_TRAINERS
from trainees.models import TrainingType
from training_bases.models import TrainingSession

pytestmark = pytest.mark.django_db

SHIPPED_VIDEO = Path(__file__).resolve().parents[2] / "courses" / "demo_media" / "aeo-criteria-overview.mp4"


def test_demo_courses_cover_what_the_learning_journey_needs():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    chinese = list(CoursePage.objects.live().public().filter(locale__language_code="zh-hans"))
    english = {c.translation_key: c for c in CoursePage.objects.live().public().filter(locale__language_code="en")}
    assert len(chinese) >= 6
    assert {c.training_type for c in chinese} == {TrainingType.AEO_CERTIFICATION, TrainingType.COMPLIANCE}
    # Every course is published in English too, as a translation of the same course.
    assert all(c.translation_key in english for c in chinese)

    lessons = list(LessonPage.objects.live().filter(locale__language_code="zh-hans"))
    assert all(LessonPage.objects.child_of(c).live().exists() for c in chinese)
    text = " ".join(str(block.value) for lesson in lessons for block in lesson.body if block.block_type == "paragraph")
    for words in ("内部控制", "贸易安全", "资产负债率", "信息系统"):  # the AEO criteria (DOMAIN.md)
        assert words in text, words

    videos = [lesson.video for lesson in lessons if lesson.video is not None]
    assert videos, "a video lesson"
    document = videos[0]["file"]
    with document.file.open("rb") as handle:
        shipped = handle.read()
    assert shipped == SHIPPED_VIDEO.read_bytes() and shipped[4:8] == b"ftyp"  # the MP4 shipped with the demo
    assert len(shipped) < 2_000_000 and videos[0]["duration_seconds"] > 0
    assert any(lesson.quiz_blocks and lesson.quiz_required for lesson in lessons)

    in_class = [c for c in chinese if c.method == CoursePage.Method.IN_CLASS]
    assert in_class and in_class[0].requires_training_session
    sessions = list(in_class[0].training_sessions.all())
    assert sessions and TrainingSession.objects.filter(pk__in=[s.pk for s in sessions]).exists()
    assert any(c.requires_live_observation for c in chinese)

    # A trainer and a lead trainer are listed on the courses (they submit and approve changes).
    trainers = {u.email: u for c in chinese for u in c.trainers.all()}
    assert "trainer@demo.aeo" in trainers
    assert any(u.groups.filter(name=LEAD_TRAINERS).exists() for u in trainers.values())
    assert chinese[0].get_parent().get_workflow() is not None
