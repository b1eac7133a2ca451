"""Demo course catalogue in Chinese with its English translation."""

from wagtail.models import Locale

from cms.models import HomePage
from trainees.models import TrainingType

from .models import CourseIndexPage, CoursePage, LessonPage

CATALOGUE = {
    "zh-hans": ("课程中心", "合规培训与 AEO 认证培训课程。"),
    "en": ("Courses", "Compliance and AEO certification training."),
}

COURSES = [
    {
        "slug": "credit-management-measures",
        "training_type": TrainingType.COMPLIANCE,
        "method": CoursePage.Method.ONLINE,
        "duration_hours": 4,
        "zh": (
            "企业信用管理办法解读（海关总署令第 282 号）",
            "逐条解读 2026 年施行的企业信用管理办法：信用等级、认证程序、失信认定与信用修复。",
            "企业法定代表人、高级管理人员、关务人员",
        ),
        "en": (
            "The Measures for Enterprise Credit Management (GACC Decree 282)",
            "Article by article through the measures in force since 2026: credit levels, certification, discredit and credit repair.",
            "Legal representatives, senior managers, customs affairs staff",
        ),
        "lessons": [
            ("credit-levels", 45, "信用等级与管理措施", "Credit levels and measures"),
            ("one-year-bar", 30, "不予受理认证申请的情形", "When an application is not accepted"),
        ],
    },
    {
        "slug": "aeo-criteria-2026",
        "training_type": TrainingType.AEO_CERTIFICATION,
        "method": CoursePage.Method.MIXED,
        "duration_hours": 12,
        "zh": (
            "高级认证企业标准（2026）精讲",
            "内部控制、财务状况、守法规范、贸易安全四类通用标准及附加标准的要求与验证方法。",
            "AEO 申请企业及潜在申请企业",
        ),
        "en": (
            "The 2026 Advanced Certified Enterprise criteria",
            "Internal control, financial status, compliance and trade security, plus the bonus criteria: what each requires and how validators check it.",
            "AEO applicants and potential applicants",
        ),
        "lessons": [
            ("internal-control", 90, "内部控制标准", "Internal control criteria"),
            ("trade-security", 90, "贸易安全标准", "Trade security criteria"),
            ("validation", 60, "海关认证程序与现场验证", "Certification procedure and on-site validation"),
        ],
    },
]


def _ensure(parent, model, slug, locale, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        source = model.objects.filter(slug=slug, locale__language_code="zh-hans").first()
        if source is not None and locale.language_code != "zh-hans":
            page = source.copy_for_translation(locale).specific
        else:
            page = parent.add_child(instance=model(slug=slug, locale=locale, **fields))
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


def seed(log) -> None:
    for code in ("zh-hans", "en"):
        locale = Locale.objects.get(language_code=code)
        home = HomePage.objects.get(locale=locale)
        title, intro = CATALOGUE[code]
        index = _ensure(home, CourseIndexPage, "courses", locale, title=title, intro=intro, show_in_menus=True)
        lang = "zh" if code == "zh-hans" else "en"
        for course in COURSES:
            name, summary, audience = course[lang]
            page = _ensure(
                index,
                CoursePage,
                course["slug"],
                locale,
                title=name,
                summary=summary,
                audience=audience,
                training_type=course["training_type"],
                method=course["method"],
                duration_hours=course["duration_hours"],
            )
            for slug, minutes, title_zh, title_en in course["lessons"]:
                _ensure(
                    page,
                    LessonPage,
                    slug,
                    locale,
                    title=title_zh if lang == "zh" else title_en,
                    duration_minutes=minutes,
                )
    log(f"Courses ready ({CoursePage.objects.count()} course pages).")
