"""Ship the 2022 edition beside the 2026 ones, set each edition's pass rule and financial checks,
and map business types to specific criteria per edition."""

from django.db import migrations

from readiness import reference_data


def load(apps, schema_editor):
    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("readiness", "0003_assessment"), ("trainees", "0006_credit_levels_business_types")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
