"""What every database holds for live observation: trainers, lead trainers and customs officers
may manage sessions, venues and questions in the back office. Used by the migration and by the
tests' reference-data reload."""

LIVE_MODELS = ("livesession", "venue", "question")
GROUPS = ("Trainers", "Lead trainers", "Customs officers")


def load(apps) -> None:
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("live")
    stub = not getattr(config, "models_module", None)
    if stub:  # a migration's app registry: create_permissions needs a models module
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    if stub:
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="live", content_type__model__in=LIVE_MODELS)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*perms)
