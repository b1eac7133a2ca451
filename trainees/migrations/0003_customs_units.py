"""The customs tree GACC → regional → local customs (see trainees/reference_data.py)."""

from django.db import migrations

from trainees import reference_data


def create_units(apps, schema_editor):
    reference_data.load_customs_units(apps)


class Migration(migrations.Migration):
    dependencies = [("trainees", "0002_roles")]
    operations = [migrations.RunPython(create_units, migrations.RunPython.noop)]
