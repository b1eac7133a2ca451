"""Credit levels (Decree 282 and Decree 251) and business types (see trainees/reference_data.py)."""

from django.db import migrations

from trainees import reference_data


def load(apps, schema_editor):
    reference_data.load_credit_levels(apps)
    reference_data.load_business_types(apps)


class Migration(migrations.Migration):
    dependencies = [("trainees", "0005_enterprises_selection_lifecycle")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
