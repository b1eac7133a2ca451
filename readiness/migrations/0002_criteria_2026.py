"""Load the 2026 criteria and let customs officers correct them in the back office."""

from django.db import migrations

from readiness import reference_data


def load(apps, schema_editor):
    reference_data.load_2026(apps)


class Migration(migrations.Migration):
    dependencies = [("readiness", "0001_initial"), ("trainees", "0002_roles")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
