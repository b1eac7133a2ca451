"""Trainers write questions; customs officers may read them. Candidates never reach the admin."""

from django.db import migrations

from exams import reference_data


def grant(apps, schema_editor):
    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial"), ("trainees", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
