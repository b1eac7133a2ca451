"""Helpers for data migrations and reference data."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions


def grant_model_permissions(apps, app_label: str, grants: dict[str, str]) -> None:
    """Give groups permissions on an app's models: `grants` maps a group name to a regex over
    permission codenames (e.g. r"^(add|change|view)_"). Inside a migration the permissions do
    not exist yet (Django creates them after all migrations ran), so they are created first."""
    if apps is not global_apps:
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    permissions = apps.get_model("auth", "Permission").objects.filter(content_type__app_label=app_label)
    for group in Group.objects.filter(name__in=grants):
        group.permissions.add(*permissions.filter(codename__regex=grants[group.name]))
