"""Reference data every installation has: the five roles and the customs tree. Loaded by data
migrations and, after live-server tests flush the tables, by the test suite. `apps` is either a
migration's historical registry or `django.apps.apps`; both offer `get_model`."""

ROLES = ["Enterprise staff", "Trainers", "Validator candidates", "Customs officers", "Invigilators"]
BACK_OFFICE_ROLES = ["Trainers", "Customs officers"]

# GACC → regional (直属) → local (隶属) customs for the districts served by the three training
# bases and their neighbours; officers add the rest in the admin.
CUSTOMS_UNITS = [
    # code, Chinese name, English name, level, parent code
    ("0000", "海关总署", "General Administration of Customs", "gacc", None),
    ("2200", "上海海关", "Shanghai Customs", "regional", "0000"),
    ("2300", "南京海关", "Nanjing Customs", "regional", "0000"),
    ("5100", "广州海关", "Guangzhou Customs", "regional", "0000"),
    ("5200", "黄埔海关", "Huangpu Customs", "regional", "0000"),
    ("5300", "深圳海关", "Shenzhen Customs", "regional", "0000"),
    ("2201", "浦东海关", "Pudong Customs", "local", "2200"),
    ("2202", "外高桥海关", "Waigaoqiao Customs", "local", "2200"),
    ("2301", "苏州海关", "Suzhou Customs", "local", "2300"),
    ("2302", "苏州工业园区海关", "Suzhou Industrial Park Customs", "local", "2300"),
    ("2303", "无锡海关", "Wuxi Customs", "local", "2300"),
    ("5101", "广州白云机场海关", "Guangzhou Baiyun Airport Customs", "local", "5100"),
    ("5102", "南沙海关", "Nansha Customs", "local", "5100"),
    ("5201", "东莞海关", "Dongguan Customs", "local", "5200"),
    ("5301", "福田海关", "Futian Customs", "local", "5300"),
    ("5302", "深圳湾海关", "Shenzhen Bay Customs", "local", "5300"),
    ("5303", "大鹏海关", "Dapeng Customs", "local", "5300"),
]


# Decree 282 (2026) has five credit levels; Decree 251 (2021) had three, which map onto them.
# code, scheme, Chinese, English, maps to, excludes from cultivation, order
CREDIT_LEVELS = [
    ("advanced_certified", "decree_282", "高级认证企业", "Advanced certified enterprise", None, False, 1),
    ("certified", "decree_282", "认证企业", "Certified enterprise", None, False, 2),
    ("regular", "decree_282", "一般信用企业", "Regular credit enterprise", None, False, 3),
    ("discredited", "decree_282", "失信企业", "Discredited enterprise", None, True, 4),
    ("severely_discredited", "decree_282", "严重失信企业", "Severely discredited enterprise", None, True, 5),
    (
        "d251_advanced_certified",
        "decree_251",
        "高级认证企业（251号令）",
        "Advanced certified (Decree 251)",
        "advanced_certified",
        False,
        1,
    ),
    (
        "d251_other",
        "decree_251",
        "其他注册登记和备案企业（251号令）",
        "Other registered enterprise (Decree 251)",
        "regular",
        False,
        2,
    ),
    (
        "d251_discredited",
        "decree_251",
        "失信企业（251号令）",
        "Discredited enterprise (Decree 251)",
        "discredited",
        True,
        3,
    ),
]

# Business types and the specific-criteria aspect each is assessed against (Bulletin 2022 No. 106:
# 11 types; Bulletin 2026 No. 34: 4 types). Names from practitioner material: editable in the admin.
BUSINESS_TYPES = [
    ("consignor", "进出口货物收发货人", "Import/export consignor or consignee", "general"),
    ("customs_broker", "报关企业", "Customs broker", "customs_broker"),
    ("foreign_trade_service", "外贸综合服务企业", "Integrated foreign trade service company", "foreign_trade_service"),
    ("cross_border_ecommerce", "跨境电子商务平台企业", "Cross-border e-commerce platform", "cross_border_ecommerce"),
    ("express_operator", "进出境快件运营人", "Express consignment operator", "express_operator"),
    ("waterway_transport", "水运物流运输企业", "Waterway logistics carrier", "waterway_transport"),
    ("road_transport", "公路物流运输企业", "Road logistics carrier", "road_transport"),
    ("air_transport", "航空物流运输企业", "Air logistics carrier", "air_transport"),
    ("processing_trade", "加工贸易企业", "Processing trade enterprise", "processing_trade"),
    ("bonded_business", "保税业务企业", "Bonded business enterprise", "bonded_business"),
    ("health_quarantine", "卫生检疫相关企业", "Health quarantine business", "health_quarantine"),
    (
        "plant_animal_quarantine",
        "动植物检疫相关企业",
        "Animal and plant quarantine business",
        "animal_plant_quarantine",
    ),
    ("food_cosmetics", "进出口食品化妆品企业", "Food and cosmetics importer/exporter", "food_cosmetics"),
    ("commodity_inspection", "商品检验相关企业", "Commodity inspection business", "commodity_inspection"),
]

# What customs officers may do in the back office with the models of this app.
OFFICER_PERMISSIONS = {
    "enterprise": ("add", "change", "view"),
    "customsunit": ("view",),
    "creditlevel": ("view",),
    "businesstype": ("view",),
    "selectionpolicy": ("add", "change", "view"),
    "selectionround": ("add", "change", "view"),
    "trainingapplication": ("view",),
    "cultivationevent": ("view",),
}


def load_roles(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name in BACK_OFFICE_ROLES and access_admin is not None:
            group.permissions.add(access_admin)


def load_customs_units(apps) -> None:
    CustomsUnit = apps.get_model("trainees", "CustomsUnit")
    by_code = {}
    for code, name_zh, name_en, level, parent in CUSTOMS_UNITS:
        by_code[code], _ = CustomsUnit.objects.update_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "level": level, "parent": by_code.get(parent)},
        )


def load_credit_levels(apps) -> None:
    CreditLevel = apps.get_model("trainees", "CreditLevel")
    by_code = {}
    for code, scheme, name_zh, name_en, maps_to, excludes, order in CREDIT_LEVELS:
        by_code[code], _ = CreditLevel.objects.update_or_create(
            code=code,
            defaults={
                "scheme": scheme,
                "name_zh": name_zh,
                "name_en": name_en,
                "maps_to": by_code.get(maps_to),
                "excludes_from_cultivation": excludes,
                "sort_order": order,
            },
        )


def load_business_types(apps) -> None:
    BusinessType = apps.get_model("trainees", "BusinessType")
    for code, name_zh, name_en, aspect in BUSINESS_TYPES:
        BusinessType.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "criteria_aspect": aspect}
        )


def grant_officer_permissions(apps) -> None:
    """Give the customs officers' group the permissions above (those that exist yet: permissions
    are created after migrations, so this also runs on post_migrate)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Customs officers").first()
    if group is None:
        return
    codenames = [f"{action}_{model}" for model, actions in OFFICER_PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="trainees", codename__in=codenames)
    group.permissions.add(*permissions)


def load(apps) -> None:
    load_roles(apps)
    load_customs_units(apps)
    load_credit_levels(apps)
    load_business_types(apps)
    grant_officer_permissions(apps)
