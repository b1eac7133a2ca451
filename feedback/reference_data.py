"""What every database holds for the feedback app: customs officers keep the expert roster in
the back office (which officers may, and which experts they see, is decided by
`trainees.access.may_manage_experts` / `experts_visible_to`). Used by the migration."""

EXPERT_MODELS = ("expert",)
GROUPS = ("Customs officers",)


def load(apps) -> None:
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("feedback")
    stub = not getattr(config, "models_module", None)
    if stub:  # a migration's app registry: create_permissions needs a models module
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    if stub:
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="feedback", content_type__model__in=EXPERT_MODELS)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*perms)
