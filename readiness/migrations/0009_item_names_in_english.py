"""The items of the 2026 editions get their names in English (the bulletin names them in Chinese
only), so English pages and blocking reasons name them in English. Names an officer already gave
are left."""

from django.db import migrations


def name_items(apps, schema_editor):
    from readiness import reference_data

    reference_data.name_items_in_english(apps)


class Migration(migrations.Migration):
    dependencies = [("readiness", "0008_edition_notes_by_language")]

    operations = [migrations.RunPython(name_items, migrations.RunPython.noop)]
