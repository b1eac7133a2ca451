"""What every database holds for surveys: the back-office permissions of trainers, lead trainers
and customs officers (templates and surveys), and one default template per kind of event so a
survey follows every event from the start. Used by the migration and by the tests' reload."""

SURVEY_MODELS = ("surveytemplate", "templatequestion", "survey")
GROUPS = ("Trainers", "Lead trainers", "Customs officers")

LIKERT, TEXT = "likert", "text"
# (Chinese, English) questions of the default templates (satisfaction and effectiveness).
COMMON = [
    (LIKERT, "培训内容与我的工作相关、实用。", "The content was relevant and useful for my work."),
    (LIKERT, "讲师讲解清楚，能回答我的问题。", "The trainer explained clearly and answered my questions."),
    (LIKERT, "培训后我更了解AEO认证标准和程序。", "I now understand the AEO criteria and procedures better."),
    (LIKERT, "我能把所学用于改进本企业的内部控制。", "I can use what I learned to improve our internal control."),
    (LIKERT, "总体而言，我对本次培训感到满意。", "Overall, I am satisfied with this training."),
    (TEXT, "最有收获的是什么？还有哪些需要改进？", "What was most useful? What should be improved?"),
]
EXTRA = {
    "training_session": [(LIKERT, "培训基地的场地和组织安排令人满意。", "The venue and organisation were good.")],
    "live_session": [(LIKERT, "直播画面和声音清晰流畅。", "The stream's picture and sound were clear.")],
    "course": [(LIKERT, "课程的学习时间安排合理。", "The time the course takes is reasonable.")],
}
TEMPLATES = [
    # event kind, Chinese name, English name
    ("training_session", "培训班满意度与效果问卷", "Training session satisfaction and effectiveness"),
    ("live_session", "现场验证直播观摩问卷", "Live observation session survey"),
    ("course", "课程结业问卷", "Course completion survey"),
]
INTRO_ZH = "感谢参加！请花两分钟告诉我们您的看法，帮助海关改进培训。"
INTRO_EN = "Thank you for taking part! Two minutes of your view help customs improve the training."


def load(apps) -> None:
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("surveys")
    stub = not getattr(config, "models_module", None)
    if stub:  # a migration's app registry: create_permissions needs a models module
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    if stub:
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="surveys", content_type__model__in=SURVEY_MODELS)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*perms.exclude(codename__in=["add_survey", "delete_survey"]))
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    TemplateQuestion = apps.get_model("surveys", "TemplateQuestion")
    for kind, name_zh, name_en in TEMPLATES:
        if SurveyTemplate.objects.filter(event_kind=kind, is_default=True).exists():
            continue
        template = SurveyTemplate.objects.create(
            event_kind=kind,
            is_default=True,
            anonymous=True,
            name_zh=name_zh,
            name_en=name_en,
            intro_zh=INTRO_ZH,
            intro_en=INTRO_EN,
        )
        questions = COMMON[:-1] + EXTRA[kind] + COMMON[-1:]
        TemplateQuestion.objects.bulk_create(
            TemplateQuestion(template=template, sort_order=i, kind=k, text_zh=zh, text_en=en, required=k == LIKERT)
            for i, (k, zh, en) in enumerate(questions)
        )
