"""Demo accounts, one per role; ~30 enterprises across customs districts with credit data; a
selection policy; rounds with applications, one of them with a published key training list.
Printed by `make run`. Idempotent."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import services
from .models import (
    BusinessType,
    CreditLevel,
    CustomsUnit,
    Enterprise,
    Position,
    RoundCapacity,
    SelectionPolicy,
    SelectionRound,
    TrainingApplication,
    TrainingType,
    User,
)
from .roles import Role
from .validators import credit_code_check_character

DEMO_PASSWORD = "aeo-demo-2026"  # noqa: S105 - published demo password


# Administrative division codes (GB/T 2260) of the cities demo enterprises are registered in.
CITY_DIVISIONS = {
    "苏州": "320500",
    "无锡": "320200",
    "南京": "320100",
    "上海": "310000",
    "深圳": "440300",
    "广州": "440100",
    "东莞": "441900",
    "佛山": "440600",
}
# When the name names no city: the seat of the customs district (first two digits of its code).
DISTRICT_DIVISIONS = {"23": "320100", "22": "310000", "51": "440100", "52": "441900", "53": "440300"}


def city_division(name_zh: str, unit: str) -> str:
    """The 6-digit administrative division of a demo enterprise: the city its name starts with,
    else the seat of its customs district (``unit`` is the customs unit code, e.g. "5301")."""
    for city, division in CITY_DIVISIONS.items():
        if name_zh.startswith(city):
            return division
    return DISTRICT_DIVISIONS[unit[:2]]


def demo_credit_code(seq: int, region: str = "320500") -> str:
    """A valid unified social credit code for demo enterprise number `seq`.

    GB 32100-2015: characters 3-8 are the registering authority's administrative division
    (``region``, e.g. Shenzhen "440300"); the 18th is the check character."""
    first17 = f"91{region}MA{seq:07d}"
    return first17 + credit_code_check_character(first17)


def demo_customs_code(seq: int, region: str) -> str:
    """A customs registration code fitting the enterprise's place of registration: digits 1-4 the
    city's division, 5 the economic zone (9: other), 6 the economic type (6: private), 7-10 a
    sequence number (GACC rules for 海关注册编码)."""
    return f"{region[:4]}96{seq:04d}"


DEMO_ENTERPRISES = [
    # seq, Chinese name, English name, customs unit code, customs code
    (1, "苏州恒信精密机械有限公司", "Suzhou Hengxin Precision Machinery Co., Ltd.", "2301", "3205960001"),
    (2, "深圳海川电子科技有限公司", "Shenzhen Haichuan Electronics Co., Ltd.", "5301", "4403960002"),
    (
        3,
        "广州南沙优品食品进出口有限公司",
        "Guangzhou Nansha Youpin Food Import & Export Co., Ltd.",
        "5102",
        "4401960003",
    ),
]

DEMO_USERS = [
    # e-mail, family name, given name, role, enterprise seq, position, customs unit, superuser
    ("admin@demo.aeo", "", "系统管理员", None, None, "", None, True),
    ("officer@demo.aeo", "王", "建华", Role.CUSTOMS_OFFICER, None, "", "0000", False),
    ("officer.shenzhen@demo.aeo", "陈", "立新", Role.CUSTOMS_OFFICER, None, "", "5300", False),
    ("trainer@demo.aeo", "李", "明远", Role.TRAINER, None, "", "2300", False),
    ("candidate@demo.aeo", "赵", "静", Role.VALIDATOR_CANDIDATE, None, "", "5300", False),
    ("invigilator@demo.aeo", "孙", "伟", Role.INVIGILATOR, None, "", "5300", False),
    ("legal@demo.aeo", "张", "志强", Role.ENTERPRISE_STAFF, 1, Position.LEGAL_REPRESENTATIVE, None, False),
    ("compliance@demo.aeo", "刘", "芳", Role.ENTERPRISE_STAFF, 1, Position.CUSTOMS_AFFAIRS, None, False),
    ("manager@demo.aeo", "周", "海燕", Role.ENTERPRISE_STAFF, 2, Position.SENIOR_MANAGEMENT, None, False),
]

DEMO_PHONES = {"legal@demo.aeo": "+8613800138000", "compliance@demo.aeo": "+8613900139000"}


# More enterprises for the selection demo: seq, Chinese name, English name, customs unit,
# credit level, score, key enterprise reason ("" = not key), SME, business types.
MORE_ENTERPRISES = [
    (
        4,
        "苏州工业园区晶华半导体有限公司",
        "Suzhou SIP Jinghua Semiconductor Co., Ltd.",
        "2302",
        "advanced_certified",
        96,
        "园区集成电路重点培育企业",
        False,
        ["consignor", "processing_trade"],
    ),
    (5, "无锡锡通物流有限公司", "Wuxi Xitong Logistics Co., Ltd.", "2303", "regular", 82, "", True, ["road_transport"]),
    (
        6,
        "苏州吴中丝绸进出口有限公司",
        "Suzhou Wuzhong Silk Import & Export Co., Ltd.",
        "2301",
        "regular",
        88,
        "",
        True,
        ["consignor"],
    ),
    (
        7,
        "苏州新锐医疗器械有限公司",
        "Suzhou Xinrui Medical Devices Co., Ltd.",
        "2302",
        "certified",
        91,
        "",
        True,
        ["consignor", "commodity_inspection"],
    ),
    (8, "无锡华晟纺织有限公司", "Wuxi Huasheng Textiles Co., Ltd.", "2303", "regular", 74, "", True, ["consignor"]),
    (
        9,
        "深圳前海跨境优选科技有限公司",
        "Shenzhen Qianhai Cross-border Select Technology Co., Ltd.",
        "5301",
        "regular",
        92,
        "前海跨境电商重点企业",
        True,
        ["cross_border_ecommerce"],
    ),
    (
        10,
        "深圳湾报关服务有限公司",
        "Shenzhen Bay Customs Brokerage Co., Ltd.",
        "5302",
        "certified",
        89,
        "",
        True,
        ["customs_broker"],
    ),
    (
        11,
        "深圳大鹏海洋食品有限公司",
        "Shenzhen Dapeng Ocean Foods Co., Ltd.",
        "5303",
        "regular",
        79,
        "",
        True,
        ["food_cosmetics"],
    ),
    (
        12,
        "深圳福田智联电子有限公司",
        "Shenzhen Futian Zhilian Electronics Co., Ltd.",
        "5301",
        "regular",
        86,
        "",
        True,
        ["consignor"],
    ),
    (
        13,
        "深圳鹏程国际货运代理有限公司",
        "Shenzhen Pengcheng International Freight Co., Ltd.",
        "5302",
        "regular",
        68,
        "",
        True,
        ["express_operator"],
    ),
    (
        14,
        "深圳南山新能源电池有限公司",
        "Shenzhen Nanshan New Energy Battery Co., Ltd.",
        "5301",
        "regular",
        94,
        "新能源出口重点企业",
        False,
        ["consignor", "bonded_business"],
    ),
    (
        15,
        "深圳盐田冷链物流有限公司",
        "Shenzhen Yantian Cold Chain Logistics Co., Ltd.",
        "5303",
        "discredited",
        35,
        "",
        True,
        ["waterway_transport"],
    ),
    (
        16,
        "深圳光明精密模具有限公司",
        "Shenzhen Guangming Precision Moulds Co., Ltd.",
        "5302",
        "regular",
        81,
        "",
        True,
        ["processing_trade"],
    ),
    (
        17,
        "深圳龙岗家居用品有限公司",
        "Shenzhen Longgang Home Products Co., Ltd.",
        "5301",
        "regular",
        77,
        "",
        True,
        ["consignor"],
    ),
    (
        18,
        "深圳宝安航空货运有限公司",
        "Shenzhen Bao'an Air Cargo Co., Ltd.",
        "5302",
        "certified",
        90,
        "",
        False,
        ["air_transport"],
    ),
    (
        19,
        "广州白云美妆进出口有限公司",
        "Guangzhou Baiyun Cosmetics Import & Export Co., Ltd.",
        "5101",
        "regular",
        84,
        "",
        True,
        ["food_cosmetics"],
    ),
    (
        20,
        "广州南沙港航物流有限公司",
        "Guangzhou Nansha Port Logistics Co., Ltd.",
        "5102",
        "advanced_certified",
        97,
        "南沙港区重点企业",
        False,
        ["waterway_transport"],
    ),
    (
        21,
        "广州花都汽车零部件有限公司",
        "Guangzhou Huadu Auto Parts Co., Ltd.",
        "5101",
        "regular",
        87,
        "",
        True,
        ["consignor", "processing_trade"],
    ),
    (
        22,
        "广州外贸综合服务有限公司",
        "Guangzhou Foreign Trade Integrated Services Co., Ltd.",
        "5102",
        "regular",
        72,
        "",
        True,
        ["foreign_trade_service"],
    ),
    (
        23,
        "东莞松湖电子制造有限公司",
        "Dongguan Songhu Electronics Manufacturing Co., Ltd.",
        "5201",
        "regular",
        85,
        "",
        True,
        ["processing_trade"],
    ),
    (
        24,
        "东莞虎门服装进出口有限公司",
        "Dongguan Humen Garments Import & Export Co., Ltd.",
        "5201",
        "regular",
        66,
        "",
        True,
        ["consignor"],
    ),
    (
        25,
        "东莞长安五金制品有限公司",
        "Dongguan Chang'an Hardware Co., Ltd.",
        "5201",
        "d251_other",
        78,
        "",
        True,
        ["consignor"],
    ),
    (
        26,
        "上海浦东生物医药有限公司",
        "Shanghai Pudong Biopharma Co., Ltd.",
        "2201",
        "certified",
        93,
        "生物医药重点企业",
        False,
        ["consignor", "health_quarantine"],
    ),
    (
        27,
        "上海外高桥保税贸易有限公司",
        "Shanghai Waigaoqiao Bonded Trading Co., Ltd.",
        "2202",
        "regular",
        83,
        "",
        True,
        ["bonded_business"],
    ),
    (
        28,
        "上海洋山国际物流有限公司",
        "Shanghai Yangshan International Logistics Co., Ltd.",
        "2202",
        "regular",
        80,
        "",
        True,
        ["waterway_transport"],
    ),
    (
        29,
        "上海浦江农产品进出口有限公司",
        "Shanghai Pujiang Agricultural Products Co., Ltd.",
        "2201",
        "severely_discredited",
        20,
        "",
        True,
        ["plant_animal_quarantine"],
    ),
    (
        30,
        "苏州昆山光电有限公司",
        "Suzhou Kunshan Optoelectronics Co., Ltd.",
        "2301",
        "regular",
        89,
        "",
        True,
        ["consignor"],
    ),
    (
        31,
        "深圳蛇口船舶配件有限公司",
        "Shenzhen Shekou Marine Parts Co., Ltd.",
        "5302",
        "regular",
        75,
        "",
        True,
        ["consignor"],
    ),
]
# Credit data of the three original demo enterprises.
ORIGINAL_CREDIT = {
    1: ("certified", 91, "苏州市外贸稳增长重点企业"),
    2: ("regular", 87, ""),
    3: ("regular", 83, ""),
}

ROUND_PUBLISHED = "2027年第一季度 全国AEO重点培训"
ROUND_SHENZHEN = "2027年第二季度 深圳关区"
ROUND_NANJING = "2027年第二季度 南京关区"

ALL_BASES = ("suzhou", "shenzhen", "guangzhou")
SURNAMES = "王李陈杨黄赵吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧"


def _seed_enterprises(units, enterprises) -> None:
    types = {b.code: b for b in BusinessType.objects.all()}
    levels = {level.code: level for level in CreditLevel.objects.all()}
    officer = User.objects.filter(email="officer@demo.aeo").first()
    score_date = timezone.localdate() - timedelta(days=30)
    for seq, (level, score, key_reason) in ORIGINAL_CREDIT.items():
        e = enterprises[seq]
        Enterprise.objects.filter(pk=e.pk).update(
            credit_level=levels[level],
            credit_score=score,
            credit_score_date=score_date,
            is_key_enterprise=bool(key_reason),
            key_enterprise_reason=key_reason,
            key_enterprise_set_by=officer if key_reason else None,
            key_enterprise_set_at=timezone.now() if key_reason else None,
        )
        e.business_types.set([types["consignor"]])
    for seq, name_zh, name_en, unit, level, score, key_reason, sme, business in MORE_ENTERPRISES:
        region = city_division(name_zh, unit)
        enterprise, _created = Enterprise.objects.update_or_create(
            name_zh=name_zh,
            defaults={
                "credit_code": demo_credit_code(seq, region),
                "name_en": name_en,
                "customs_unit": units[unit],
                "customs_code": demo_customs_code(seq, region),
                "is_sme": sme,
                "credit_level": levels[level],
                "credit_score": score,
                "credit_score_date": score_date,
                "is_key_enterprise": bool(key_reason),
                "key_enterprise_reason": key_reason,
                "key_enterprise_set_by": officer if key_reason else None,
                "key_enterprise_set_at": timezone.now() if key_reason else None,
            },
        )
        enterprise.business_types.set([types[t] for t in business])
        enterprises[seq] = enterprise
    # A 1-year bar (withdrew an AEO application) for one enterprise, to show eligibility at work.
    Enterprise.objects.filter(pk=enterprises[24].pk).update(
        application_bar_until=timezone.localdate() + timedelta(days=270),
        application_bar_reason=f"{timezone.localdate() - timedelta(days=95):%Y年%m月}撤回认证申请",
    )


def _round(name, unit, policy, close_on, seats) -> tuple[SelectionRound, bool]:
    round_, created = SelectionRound.objects.get_or_create(
        name=name, defaults={"customs_unit": unit, "policy": policy, "applications_close_on": close_on}
    )
    if created:
        for training_type in TrainingType.values:
            for base in ALL_BASES:
                RoundCapacity.objects.create(round=round_, training_type=training_type, base_slug=base, seats=seats)
    return round_, created


def _apply(round_, enterprise, training_type, nominees, *, willingness="strong", planned=None, bases=ALL_BASES):
    if TrainingApplication.objects.filter(round=round_, enterprise=enterprise, training_type=training_type).exists():
        return
    try:
        services.application_submit(
            enterprise_id=enterprise.id,
            round_id=round_.id,
            training_type=training_type,
            willingness=willingness,
            planned_aeo_application_date=planned,
            willingness_evidence="董事会已决议申请AEO高级认证" if willingness == "strong" else "",
            preferred_bases=list(bases),
            nominees=nominees,
            actor=enterprise.staff.order_by("id").first(),
        )
    except ValidationError:
        return  # e.g. a discredited enterprise: refused, as it should be


def _people(enterprise, users=()):
    """Nominees: the given staff accounts, else named people by position."""
    if users:
        return [services.NomineeData(name=str(u), position=u.position, user_id=u.id, email=u.email) for u in users]
    surname = SURNAMES[enterprise.pk % len(SURNAMES)]
    return [
        services.NomineeData(name=f"{surname}建国", position=Position.LEGAL_REPRESENTATIVE),
        services.NomineeData(name=f"{surname}丽华", position=Position.SENIOR_MANAGEMENT),
        services.NomineeData(name=f"{surname}志强", position=Position.CUSTOMS_AFFAIRS),
        services.NomineeData(name=f"{surname}海燕", position=Position.FINANCE),
    ]


def _seed_selection(units, enterprises, log) -> None:
    policy = SelectionPolicy.objects.filter(version=1).first()
    if policy is None:
        SelectionPolicy.objects.filter(is_active=True).update(is_active=False)
        policy = SelectionPolicy.objects.create(version=1, name="默认优先遴选规则（2026）", is_active=True)
    today = timezone.localdate()
    soon = today + timedelta(days=150)
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.aeo")}

    # 1. A national round, published: the key training list the training bases allocate from.
    round_, created = _round(ROUND_PUBLISHED, units["0000"], policy, soon, seats=4)
    if created:
        legal, compliance, manager = users["legal@demo.aeo"], users["compliance@demo.aeo"], users["manager@demo.aeo"]
        _apply(
            round_,
            enterprises[1],
            TrainingType.AEO_CERTIFICATION,
            _people(enterprises[1], [legal, compliance]),
            planned=today + timedelta(days=210),
            bases=("suzhou", "shenzhen"),
        )
        _apply(
            round_,
            enterprises[1],
            TrainingType.COMPLIANCE,
            _people(enterprises[1], [compliance]),
            willingness="moderate",
            bases=("suzhou",),
        )
        _apply(
            round_,
            enterprises[2],
            TrainingType.AEO_CERTIFICATION,
            _people(enterprises[2], [manager]),
            planned=today + timedelta(days=275),
            bases=("shenzhen", "guangzhou"),
        )
        _apply(
            round_,
            enterprises[2],
            TrainingType.COMPLIANCE,
            _people(enterprises[2], [manager]),
            willingness="moderate",
            bases=("shenzhen",),
        )
        for seq, training_type, bases in [
            (3, TrainingType.COMPLIANCE, ("guangzhou", "shenzhen")),
            (4, TrainingType.AEO_CERTIFICATION, ("suzhou",)),
            (20, TrainingType.AEO_CERTIFICATION, ("guangzhou",)),
            (26, TrainingType.AEO_CERTIFICATION, ("suzhou", "shenzhen")),
            (19, TrainingType.COMPLIANCE, ("guangzhou",)),
            (23, TrainingType.COMPLIANCE, ("guangzhou", "shenzhen")),
            (27, TrainingType.COMPLIANCE, ("suzhou",)),
            (29, TrainingType.COMPLIANCE, ("suzhou",)),
        ]:
            _apply(
                round_,
                enterprises[seq],
                training_type,
                _people(enterprises[seq]),
                planned=today + timedelta(days=150),
                bases=bases,
            )
        SelectionRound.objects.filter(pk=round_.pk).update(status=SelectionRound.Status.CLOSED)
        services.round_publish(round_id=round_.id, actor=users.get("officer@demo.aeo"))
    # Dates follow the day the demo is seeded: the published round closed weeks ago.
    SelectionRound.objects.filter(pk=round_.pk).update(applications_close_on=today - timedelta(days=45))

    # 2. Shenzhen district, applications closed: an officer runs the selection in the browser.
    round_, created = _round(ROUND_SHENZHEN, units["5300"], policy, soon, seats=3)
    if created:
        for i, seq in enumerate((9, 10, 11, 12, 13, 14, 16, 17, 18, 31)):
            strong = i % 3 != 2
            _apply(
                round_,
                enterprises[seq],
                TrainingType.AEO_CERTIFICATION if i % 2 == 0 else TrainingType.COMPLIANCE,
                _people(enterprises[seq]),
                willingness="strong" if strong else "moderate",
                planned=soon + timedelta(days=60) if strong else None,
                bases=("shenzhen", "guangzhou") if i % 4 else ("shenzhen",),
            )
        # A discredited enterprise's application from before its downgrade (refused by the rules).
        e15 = enterprises[15]
        if not TrainingApplication.objects.filter(round=round_, enterprise=e15).exists():
            level = e15.credit_level
            Enterprise.objects.filter(pk=e15.pk).update(credit_level=CreditLevel.objects.get(code="regular"))
            e15.refresh_from_db()
            _apply(round_, e15, TrainingType.COMPLIANCE, _people(e15), willingness="moderate", bases=("shenzhen",))
            Enterprise.objects.filter(pk=e15.pk).update(credit_level=level)
        SelectionRound.objects.filter(pk=round_.pk).update(status=SelectionRound.Status.CLOSED)
    SelectionRound.objects.filter(pk=round_.pk).update(applications_close_on=today - timedelta(days=7))

    # 3. Nanjing district, open: enterprise staff can apply through the form.
    round_, created = _round(ROUND_NANJING, units["2300"], policy, soon, seats=5)
    if created:
        for seq in (5, 6, 7, 8, 30):
            _apply(
                round_,
                enterprises[seq],
                TrainingType.COMPLIANCE,
                _people(enterprises[seq]),
                willingness="strong" if seq % 2 else "exploring",
                planned=soon + timedelta(days=90) if seq % 2 else None,
                bases=("suzhou",),
            )
    log(f"Selection: {SelectionRound.objects.count()} rounds, {TrainingApplication.objects.count()} applications.")


def seed(log) -> None:
    units = {u.code: u for u in CustomsUnit.objects.all()}
    enterprises = {}
    for seq, name_zh, name_en, unit, _customs_code in DEMO_ENTERPRISES:
        region = city_division(name_zh, unit)
        enterprises[seq], _ = Enterprise.objects.update_or_create(
            name_zh=name_zh,
            defaults={
                "credit_code": demo_credit_code(seq, region),
                "name_en": name_en,
                "customs_unit": units[unit],
                "customs_code": demo_customs_code(seq, region),
            },
        )
    log(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, last, first, role, enterprise, position, unit, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email, defaults={"last_name": last, "first_name": first})
        user.enterprise = enterprises.get(enterprise)
        user.position = position
        user.customs_unit = units.get(unit)
        user.is_superuser = user.is_staff = superuser
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role.value))
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        log(f"  {email:<28} {role.label if role else 'superuser'}")
    # Mobile numbers (sign-in by SMS code; the console SMS backend prints the codes) and the
    # consent every account gives at sign-up.
    for email, phone in DEMO_PHONES.items():
        User.objects.filter(email=email).update(phone=phone, phone_verified=True)
    from .models import Consent
    from .services import consent_record

    for user in User.objects.filter(email__endswith="@demo.aeo"):
        consent_record(user=user, purpose=Consent.Purpose.ACCOUNT)
    log("  Sign in by mobile number: " + ", ".join(f"{p} ({e})" for e, p in DEMO_PHONES.items()))
    User.objects.filter(email="legal@demo.aeo").update(is_enterprise_admin=True)
    User.objects.filter(email="manager@demo.aeo").update(is_enterprise_admin=True)
    _seed_enterprises(units, enterprises)
    _seed_selection(units, enterprises, log)
