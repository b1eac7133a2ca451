"""Create the five roles as groups; trainers and customs officers work in the Wagtail admin."""

from django.db import migrations

from trainees import reference_data


def create_roles(apps, schema_editor):
    reference_data.load_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=reference_data.ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
