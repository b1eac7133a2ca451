"""What every database holds for personal information: customs officers may view and handle
(change) deletion requests in the back office; nobody adds or deletes them there. Used by the
migration and by the tests' reference-data reload."""

GROUPS = ("Customs officers",)
CODENAMES = ("view_deletionrequest", "change_deletionrequest")


def load(apps) -> None:
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("privacy")
    stub = not getattr(config, "models_module", None)
    if stub:  # a migration's app registry: create_permissions needs a models module
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    if stub:
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="privacy", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*perms)
