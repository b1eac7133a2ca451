"""Create the Coordinators role (a group) and give customs officers the answer-time permissions."""

from django.db import migrations

from consultations import reference_data


def forwards(apps, schema_editor):
    reference_data.load(apps)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=reference_data.COORDINATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("trainees", "0002_roles"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
