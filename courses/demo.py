"""Demo course catalogue in Chinese with its English translation: six published courses of both
training types, lessons about the AEO criteria (DOMAIN.md), a video lesson whose small video ships
with the demo, a lesson quiz, an in-class course linked to a demo training session, and the
lead trainer who approves courses."""

from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.files import File
from wagtail.documents.models import Document
from wagtail.models import Collection, Locale

from cms.models import HomePage
from trainees.models import Position, TrainingType, User

from .models import CourseAudience, CourseIndexPage, CoursePage, LessonPage
from .reference_data import LEAD_TRAINERS, ensure_course_workflow

VIDEO = Path(__file__).parent / "demo_media" / "aeo-criteria-overview.mp4"
LEAD_TRAINER_EMAIL = "lead.trainer@demo.aeo"

CATALOGUE = {
    "zh-hans": ("课程中心", "合规培训与 AEO 认证培训课程。"),
    "en": ("Courses", "Compliance and AEO certification training."),
}

LEADERS = [Position.LEGAL_REPRESENTATIVE, Position.SENIOR_MANAGEMENT]
DEPARTMENTS = [Position.CUSTOMS_AFFAIRS, Position.FINANCE, Position.INTERNAL_CONTROL]


def p(*paragraphs: str) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>") for text in paragraphs]


QUIZ_LEVELS = {
    "zh": {
        "title": "小测验：信用等级",
        "questions": [
            (
                "2026 年施行的《海关注册登记和备案企业信用管理办法》是海关总署第几号令？",
                ["第 251 号令", "第 282 号令", "第 106 号公告"],
                2,
            ),
            ("企业被认定为失信企业后，多久无新的失信情形可自动修复？", ["6 个月", "1 年", "2 年"], 3),
        ],
    },
    "en": {
        "title": "Quiz: credit levels",
        "questions": [
            (
                "Which GACC decree is the 2026 credit management measure?",
                ["Decree 251", "Decree 282", "Bulletin 106"],
                2,
            ),
            (
                "After how long without a new event is a discredit repaired automatically?",
                ["6 months", "1 year", "2 years"],
                3,
            ),
        ],
    },
}


def quiz(lang: str) -> tuple[str, dict]:
    data = QUIZ_LEVELS[lang]
    return (
        "quiz",
        {
            "title": data["title"],
            "pass_percent": 50,
            "questions": [{"question": q, "choices": c, "correct": a} for q, c, a in data["questions"]],
        },
    )


COURSES = [
    {
        "slug": "credit-management-measures",
        "training_type": TrainingType.COMPLIANCE,
        "method": CoursePage.Method.ONLINE,
        "duration_hours": 4,
        "positions": [*LEADERS, Position.CUSTOMS_AFFAIRS],
        "areas": ["compliance"],
        "zh": (
            "企业信用管理办法解读（海关总署令第 282 号）",
            "逐条解读 2026 年施行的企业信用管理办法：信用等级、认证程序、失信认定与信用修复。",
        ),
        "en": (
            "The Measures for Enterprise Credit Management (GACC Decree 282)",
            "Article by article through the measures in force since 2026: credit levels, certification, discredit and credit repair.",
        ),
        "lessons": [
            {
                "slug": "credit-levels",
                "minutes": 45,
                "zh": (
                    "信用等级与管理措施",
                    p(
                        "2026 年 4 月 1 日起，海关总署令第 282 号取代第 251 号令，企业信用等级调整为高级认证企业、认证企业、一般信用企业、失信企业和严重失信企业五级。",
                        "高级认证企业享受较低的查验率（约为一般企业的五分之一）、优先办理通关手续、担保减免和互认便利；认证企业为中小企业提供了更易达到的台阶。",
                        "失信企业在无新的失信情形满 2 年后自动修复；部分情形下满 1 年、6 个月或 3 个月可申请修复，严重失信除外。",
                    ),
                ),
                "en": (
                    "Credit levels and measures",
                    p(
                        "From 1 April 2026 GACC Decree 282 replaces Decree 251: enterprises are advanced certified, certified, regular, discredited or severely discredited.",
                        "Advanced certified enterprises enjoy a lower inspection rate (about one fifth of ordinary enterprises), priority clearance, guarantee exemptions and mutual-recognition benefits; the certified level is a first step within reach of SMEs.",
                        "A discredit is repaired automatically after two years without a new event; depending on the ground an application is possible after one year, six months or three months, except for severe discredit.",
                    ),
                ),
                "quiz": True,
            },
            {
                "slug": "one-year-bar",
                "minutes": 30,
                "zh": (
                    "不予受理认证申请的情形",
                    p(
                        "企业有下列情形之一的，海关一年内不予受理其认证申请：未通过认证或者复核、主动放弃认证企业资格、撤回认证申请、被降低信用等级、被移出失信企业名单。",
                        "申请前请先核对上述情形及其发生日期，避免提交后被退回。",
                    ),
                ),
                "en": (
                    "When an application is not accepted",
                    p(
                        "Customs does not accept a certification application for one year after the enterprise failed certification or re-check, gave up its status, withdrew an application, was downgraded, or left the discredited list.",
                        "Check these events and their dates before applying so that the application is not returned.",
                    ),
                ),
            },
        ],
    },
    {
        "slug": "aeo-criteria-2026",
        "training_type": TrainingType.AEO_CERTIFICATION,
        "method": CoursePage.Method.MIXED,
        "duration_hours": 12,
        "positions": [*LEADERS, *DEPARTMENTS],
        "areas": ["internal_control", "financial_status", "compliance", "trade_security", "bonus"],
        "zh": (
            "高级认证企业标准（2026）精讲",
            "内部控制、财务状况、守法规范、贸易安全四类通用标准及附加标准的要求与验证方法。",
        ),
        "en": (
            "The 2026 Advanced Certified Enterprise criteria",
            "Internal control, financial status, compliance and trade security, plus the bonus criteria: what each requires and how validators check it.",
        ),
        "lessons": [
            {
                "slug": "internal-control",
                "minutes": 90,
                "video": True,
                "zh": (
                    "内部控制标准",
                    p(
                        "2026 年版高级认证企业标准共 23 项、68 个通用细项及 6 个附加细项，内部控制为第 1 至 11 项。",
                        "内部控制要求企业建立关企合作机制、进出口单证审核与保管制度、信息系统可追溯并保存数据不少于 3 年，以及内部审计与持续改进机制。",
                    ),
                ),
                "en": (
                    "Internal control criteria",
                    p(
                        "The 2026 advanced criteria have 23 items, 68 general sub-items and 6 bonus sub-items; internal control is items 1 to 11.",
                        "Internal control asks for a customs liaison mechanism, review and retention of import/export documents, a traceable IT system keeping data at least three years, and internal audit with improvement.",
                    ),
                ),
            },
            {
                "slug": "trade-security",
                "minutes": 90,
                "zh": (
                    "贸易安全标准",
                    p(
                        "贸易安全标准（第 44 至 68 项）涵盖场所安全、人员安全、货物安全、运输工具安全、商业伙伴安全和安全培训。",
                        "验证时海关通过文件审查、人员询问、记录抽查和现场查看逐项核实，例如集装箱七点检查、封志管理和监控录像保存。",
                    ),
                ),
                "en": (
                    "Trade security criteria",
                    p(
                        "Trade security (items 44 to 68) covers premises, personnel, cargo, conveyances, business partners and security training.",
                        "Validators check each sub-item by document review, interviews, record sampling and site inspection: the seven-point container check, seal control, CCTV retention and so on.",
                    ),
                ),
            },
            {
                "slug": "validation",
                "minutes": 60,
                "zh": (
                    "海关认证程序与现场验证",
                    p(
                        "海关自受理申请之日起 90 日内作出认证结论，特殊情形可延长 30 日；认证企业每 5 年复核一次。",
                        "每个细项的判定为达标、基本达标、不达标或不适用；不适用项不计入分母。",
                    ),
                ),
                "en": (
                    "Certification procedure and on-site validation",
                    p(
                        "Customs concludes within 90 days of accepting the application (plus 30 in special cases); certified enterprises are re-checked every five years.",
                        "Each sub-item is judged meets, basically meets, does not meet, or not applicable; not applicable is left out of every denominator.",
                    ),
                ),
            },
        ],
    },
    {
        "slug": "wco-aeo-mutual-recognition",
        "training_type": TrainingType.COMPLIANCE,
        "method": CoursePage.Method.ONLINE,
        "duration_hours": 3,
        "positions": [*LEADERS, Position.LOGISTICS_SECURITY],
        "areas": [],
        "zh": (
            "世界海关组织 AEO 制度与互认安排",
            "WCO《全球贸易安全与便利标准框架》、AEO 互认安排及联合激励措施。",
        ),
        "en": (
            "The WCO AEO programme and mutual recognition",
            "The WCO SAFE Framework of Standards, AEO mutual recognition arrangements and joint incentives.",
        ),
        "lessons": [
            {
                "slug": "safe-framework",
                "minutes": 40,
                "zh": (
                    "全球贸易安全与便利标准框架",
                    p(
                        "AEO 制度源自世界海关组织的标准框架，通过海关与企业合作保障供应链安全并便利合法贸易。",
                        "截至 2025 年，中国海关已与 57 个经济体签署 31 份 AEO 互认安排，高级认证企业在互认方出口时同样享受便利。",
                    ),
                ),
                "en": (
                    "The SAFE Framework of Standards",
                    p(
                        "AEO comes from the WCO framework: customs and business cooperate to secure the supply chain and facilitate legitimate trade.",
                        "By 2025 China Customs had signed 31 mutual recognition arrangements covering 57 economies; advanced certified enterprises enjoy facilitation in partner economies too.",
                    ),
                ),
            },
            {
                "slug": "joint-incentives",
                "minutes": 30,
                "zh": (
                    "联合激励措施",
                    p(
                        "2016 年联合激励备忘录由 40 个部门签署，提出 49 项激励措施，高级认证企业可在多部门事项中获得优先办理等便利。",
                    ),
                ),
                "en": (
                    "Joint incentives",
                    p(
                        "The 2016 joint incentive memorandum, signed by 40 agencies, lists 49 measures: advanced certified enterprises get priority in many agencies' procedures.",
                    ),
                ),
            },
        ],
    },
    {
        "slug": "financial-status-criteria",
        "training_type": TrainingType.AEO_CERTIFICATION,
        "method": CoursePage.Method.ONLINE,
        "duration_hours": 2,
        "positions": [Position.SENIOR_MANAGEMENT, Position.FINANCE],
        "areas": ["financial_status"],
        "zh": (
            "财务状况标准与偿债能力测算",
            "审计意见、偿债能力与盈利能力指标：2022 年版与 2026 年版的区别及自测方法。",
        ),
        "en": (
            "Financial status criteria and solvency checks",
            "Audit opinion, solvency and profitability ratios: what changed from the 2022 to the 2026 edition and how to check yourself.",
        ),
        "lessons": [
            {
                "slug": "solvency",
                "minutes": 45,
                "zh": (
                    "偿债能力与盈利能力",
                    p(
                        "2022 年版要求连续 5 年资产负债率不超过 95%。",
                        "2026 年版高级认证：资产负债率（生产型企业不超过 85%，其他不超过 75%）、现金比率不低于 0.2、经营现金流与负债总额之比不低于 0.1、流动比率不低于 1.0，四项中满足两项即达标。",
                        "盈利能力五项指标中满足两项为达标、一项为基本达标、零项为不达标。",
                    ),
                ),
                "en": (
                    "Solvency and profitability",
                    p(
                        "The 2022 edition asks for an asset-liability ratio not above 95 % in five consecutive years.",
                        "The 2026 advanced edition: asset-liability ratio (at most 85 % for producers, 75 % for others), cash ratio at least 0.2, operating cash flow to total liabilities at least 0.1, current ratio at least 1.0; meeting two of four passes.",
                        "Of the five profitability ratios, two met is 'meets', one is 'basically meets', none is 'does not meet'.",
                    ),
                ),
            },
        ],
    },
    {
        "slug": "trade-security-on-site",
        "training_type": TrainingType.AEO_CERTIFICATION,
        "method": CoursePage.Method.IN_CLASS,
        "duration_hours": 14,
        "positions": [Position.LOGISTICS_SECURITY, Position.INTERNAL_CONTROL, Position.CUSTOMS_AFFAIRS],
        "areas": ["trade_security"],
        "session": "贸易安全与供应链认证实务（广州）",
        "zh": (
            "贸易安全与供应链认证实务（面授）",
            "在广州培训基地进行的两天面授课程：场所、货物与商业伙伴安全的现场演练。",
        ),
        "en": (
            "Trade security and supply-chain certification (in class)",
            "A two-day class at the Guangzhou training base: exercises on premises, cargo and business-partner security.",
        ),
        "lessons": [
            {
                "slug": "preparation",
                "minutes": 20,
                "zh": (
                    "课前准备",
                    p(
                        "请在参加面授前整理本企业的场所平面图、门禁与钥匙管理制度、集装箱检查记录和商业伙伴安全评估资料。",
                    ),
                ),
                "en": (
                    "Before the class",
                    p(
                        "Before the class, gather your site plan, access and key control policy, container inspection records and business-partner security assessments.",
                    ),
                ),
            },
        ],
    },
    {
        "slug": "internal-audit-one-for-one",
        "training_type": TrainingType.AEO_CERTIFICATION,
        "method": CoursePage.Method.ON_SITE,
        "duration_hours": 6,
        "positions": [Position.INTERNAL_CONTROL, Position.LEGAL_REPRESENTATIVE],
        "areas": ["internal_control"],
        "live": True,
        "zh": (
            "内部审计与改进：一对一培育及验证观摩",
            "一对一培育课程：建立年度内部审计制度，并在线观摩一次海关验证现场直播。",
        ),
        "en": (
            "Internal audit and improvement: one-for-one cultivation and validation observation",
            "One-for-one cultivation: set up the annual internal audit, and watch one live validation from a customs venue.",
        ),
        "lessons": [
            {
                "slug": "annual-audit",
                "minutes": 40,
                "zh": (
                    "年度内部审计",
                    p(
                        "企业应制定内部审计制度，每年至少对进出口业务开展一次内部审计，对发现的问题落实整改和责任追究。",
                    ),
                ),
                "en": (
                    "The annual internal audit",
                    p(
                        "The enterprise sets an internal audit policy, audits its import/export activity at least once a year, and follows findings through improvement and accountability.",
                    ),
                ),
            },
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


def _video_document() -> Document:
    document = Document.objects.filter(title="AEO 标准概览（演示视频）").first()
    if document is None:
        with VIDEO.open("rb") as handle:
            document = Document(title="AEO 标准概览（演示视频）", collection=Collection.get_first_root_node())
            document.file.save(VIDEO.name, File(handle), save=True)
    return document


def _lead_trainer() -> User:
    from trainees.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        email=LEAD_TRAINER_EMAIL, defaults={"last_name": "钱", "first_name": "主讲"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=LEAD_TRAINERS)[0])
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def _lesson_body(lesson: dict, lang: str, video: Document) -> list:
    blocks = list(lesson[lang][1])
    if lesson.get("video"):
        caption = "AEO 标准概览（演示视频）" if lang == "zh" else "AEO criteria overview (demo video)"
        blocks.insert(0, ("video", {"file": video, "url": "", "duration_seconds": 12, "caption": caption}))
    if lesson.get("quiz"):
        blocks.append(quiz(lang))
    return blocks


def seed(log) -> None:
    CriteriaArea = django_apps.get_model("readiness", "CriteriaArea")
    from training_bases.models import TrainingSession

    video = _video_document()
    lead = _lead_trainer()
    trainer = User.objects.filter(email="trainer@demo.aeo").first()
    trainers = [u for u in (trainer, lead) if u is not None]
    for code in ("zh-hans", "en"):
        locale = Locale.objects.get(language_code=code)
        home = HomePage.objects.get(locale=locale)
        title, intro = CATALOGUE[code]
        index = _ensure(home, CourseIndexPage, "courses", locale, title=title, intro=intro, show_in_menus=True)
        lang = "zh" if code == "zh-hans" else "en"
        for course in COURSES:
            name, summary = course[lang]
            page = _ensure(
                index,
                CoursePage,
                course["slug"],
                locale,
                title=name,
                summary=summary,
                training_type=course["training_type"],
                method=course["method"],
                duration_hours=course["duration_hours"],
                requires_training_session=bool(course.get("session")),
                requires_live_observation=bool(course.get("live")),
            )
            CourseAudience.objects.filter(course=page).delete()
            for order, position in enumerate(course["positions"]):
                CourseAudience.objects.create(course=page, position=position, sort_order=order)
            page.criteria_areas.set(CriteriaArea.objects.filter(edition__code="2026-advanced", key__in=course["areas"]))
            page.trainers.set(trainers)
            if course.get("session"):
                page.training_sessions.set(TrainingSession.objects.filter(title_zh=course["session"]))
            page.save_revision().publish()
            for lesson in course["lessons"]:
                _ensure(
                    page,
                    LessonPage,
                    lesson["slug"],
                    locale,
                    title=lesson[lang][0],
                    duration_minutes=lesson["minutes"],
                    min_reading_seconds=30,
                    quiz_required=bool(lesson.get("quiz")),
                    body=_lesson_body(lesson, lang, video),
                )
    ensure_course_workflow(django_apps)
    log(f"Courses ready ({CoursePage.objects.count()} course pages); lead trainer: {LEAD_TRAINER_EMAIL}.")
