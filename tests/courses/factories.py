"""Small courses built directly (faster than the demo catalogue)."""

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Locale

from cms.setup import ensure_site
from courses.models import CourseIndexPage, CoursePage, LessonPage
from trainees.models import TrainingType

QUIZ = {
    "title": "小测验",
    "pass_percent": 50,
    "questions": [
        {"question": "AEO 通用标准有几类？", "choices": ["两类", "四类"], "correct": 2},
        {"question": "不适用项是否计入分母？", "choices": ["计入", "不计入"], "correct": 2},
    ],
}


def catalogue(language: str = "zh-hans") -> CourseIndexPage:
    home = ensure_site()
    if language != "zh-hans":
        home = home.get_translation(Locale.objects.get(language_code=language))
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="课程中心", slug="courses"))
    return index


def video_document() -> Document:
    document = Document(title="演示视频")
    document.file.save("demo.mp4", ContentFile(b"\x00" * 64), save=True)
    return document


def lesson(course: CoursePage, slug: str, kind: str = "text", *, min_reading_seconds: int = 60, duration: int = 100):
    body = [("paragraph", "<p>内部控制要求企业建立关企合作机制。</p>")]
    if kind == "video":
        body.insert(0, ("video", {"file": video_document(), "url": "", "duration_seconds": duration, "caption": ""}))
    if kind in {"quiz", "video_quiz"}:
        body.append(("quiz", QUIZ))
    if kind == "video_quiz":
        body.insert(0, ("video", {"file": video_document(), "url": "", "duration_seconds": duration, "caption": ""}))
    page = course.add_child(
        instance=LessonPage(
            title=f"课时 {slug}",
            slug=slug,
            min_reading_seconds=min_reading_seconds,
            quiz_required=kind in {"quiz", "video_quiz"},
            body=body,
        )
    )
    page.save_revision().publish()
    return page


def course(
    slug: str = "aeo-basics",
    *,
    lessons=("text",),
    training_type: str = TrainingType.COMPLIANCE,
    live: bool = True,
    index: CourseIndexPage | None = None,
    **fields,
) -> CoursePage:
    index = index or catalogue()
    page = index.add_child(
        instance=CoursePage(
            title=fields.pop("title", f"课程 {slug}"),
            slug=slug,
            summary=fields.pop("summary", "AEO 认证标准与内部控制。"),
            training_type=training_type,
            duration_hours=fields.pop("duration_hours", 4),
            **fields,
        )
    )
    if live:
        page.save_revision().publish()
    else:
        page.live = False
        page.save()
    for i, kind in enumerate(lessons, start=1):
        lesson(page, f"lesson-{i}", kind)
    return CoursePage.objects.get(pk=page.pk)


def lessons_of(page: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(page).order_by("path"))
