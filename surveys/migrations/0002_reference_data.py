from django.db import migrations


def load_reference_data(apps, schema_editor):
    from surveys import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("trainees", "0002_roles"),
    ]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
