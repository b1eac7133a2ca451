"""Reference data: the three AEO training bases named in seeds 001 and 002. Loaded by a data
migration and by the test suite after live-server tests flush the tables."""

BASES = [
    {
        "slug": "suzhou",
        "name_zh": "AEO苏州培训基地",
        "name_en": "AEO Training Base Suzhou",
        "city_zh": "苏州",
        "city_en": "Suzhou",
        "address_zh": "江苏省苏州市工业园区",
        "address_en": "Suzhou Industrial Park, Suzhou, Jiangsu",
        "contact_phone": "0512-00000000",
        "contact_email": "suzhou-base@aeo-lms.example",
    },
    {
        "slug": "shenzhen",
        "name_zh": "AEO深圳培训基地",
        "name_en": "AEO Training Base Shenzhen",
        "city_zh": "深圳",
        "city_en": "Shenzhen",
        "address_zh": "广东省深圳市福田区",
        "address_en": "Futian District, Shenzhen, Guangdong",
        "contact_phone": "0755-00000000",
        "contact_email": "shenzhen-base@aeo-lms.example",
    },
    {
        "slug": "guangzhou",
        "name_zh": "AEO广州培训基地",
        "name_en": "AEO Training Base Guangzhou",
        "city_zh": "广州",
        "city_en": "Guangzhou",
        "address_zh": "广东省广州市黄埔区",
        "address_en": "Huangpu District, Guangzhou, Guangdong",
        "contact_phone": "020-00000000",
        "contact_email": "guangzhou-base@aeo-lms.example",
    },
]


# The customs district running each base (its officers plan the sessions held there).
BASE_DISTRICTS = {"suzhou": "2301", "shenzhen": "5300", "guangzhou": "5100"}


def load(apps) -> None:
    TrainingBase = apps.get_model("training_bases", "TrainingBase")
    for base in BASES:
        TrainingBase.objects.update_or_create(slug=base["slug"], defaults=base)
    if any(f.name == "customs_unit" for f in TrainingBase._meta.get_fields()):
        load_districts(apps)
    load_permissions(apps)


def load_districts(apps) -> None:
    TrainingBase = apps.get_model("training_bases", "TrainingBase")
    CustomsUnit = apps.get_model("trainees", "CustomsUnit")
    units = {u.code: u for u in CustomsUnit.objects.filter(code__in=BASE_DISTRICTS.values())}
    for slug, code in BASE_DISTRICTS.items():
        if code in units:
            TrainingBase.objects.filter(slug=slug, customs_unit__isnull=True).update(customs_unit=units[code])


# Back-office permissions: customs officers manage bases, rooms and sessions; trainers view them.
OFFICER_MODELS = ["trainingbase", "room", "trainingsession", "allocationrun", "booking", "attendancerecord"]
TRAINER_VIEW_MODELS = ["trainingbase", "room", "trainingsession", "booking", "attendancerecord"]


def load_permissions(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="training_bases")
    officers = Group.objects.filter(name="Customs officers").first()
    if officers is not None:
        officers.permissions.add(*perms.filter(content_type__model__in=OFFICER_MODELS))
    trainers = Group.objects.filter(name="Trainers").first()
    if trainers is not None:
        trainers.permissions.add(
            *perms.filter(content_type__model__in=TRAINER_VIEW_MODELS, codename__startswith="view_")
        )
