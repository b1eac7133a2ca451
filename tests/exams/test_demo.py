"""Demo exams: a sitting at Shenzhen with tickets, an online validator exam; seeding twice is harmless."""

import pytest

from exams import demo as exams_demo
from exams.models import Exam, Ticket
from trainees import demo as trainees_demo
from training_bases import demo as training_demo

pytestmark = pytest.mark.django_db


def test_demo_exams_are_seeded_once():
    for _ in range(2):
        trainees_demo.seed(lambda message: None)
        training_demo.seed(lambda message: None)
        exams_demo.seed(lambda message: None)
    exam = Exam.objects.get(title_zh="AEO 认证培训结业考试")
    sitting = exam.sittings.get()
    assert sitting.session.base.slug == "shenzhen" and sitting.session.room.kind == "computer_room"
    assert sorted(Ticket.objects.values_list("user__email", flat=True)) == ["compliance@demo.aeo", "legal@demo.aeo"]
    assert Exam.objects.get(title_zh="验证员上机考试").online
