"""The three AEO training bases named in seeds 001 and 002."""

from django.db import migrations

from training_bases import reference_data


def create_bases(apps, schema_editor):
    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("training_bases", "0001_initial")]
    operations = [migrations.RunPython(create_bases, migrations.RunPython.noop)]
