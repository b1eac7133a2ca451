"""Every sub-item of the 2026 editions gets guidance (what it asks in practice) and the evidence
a validator expects, in Chinese and English, from `readiness/data/criteria-guidance-2026.json`
(2022 sub-items only where their recovered wording is the same as a 2026 one). Only blank fields
are filled; going back blanks only the fields that still hold what was filled."""

from django.db import migrations


def fill(apps, schema_editor):
    from readiness import reference_data

    reference_data.fill_guidance(apps)


def clear(apps, schema_editor):
    from readiness import reference_data

    reference_data.clear_guidance(apps)


class Migration(migrations.Migration):
    dependencies = [("readiness", "0009_item_names_in_english")]

    operations = [migrations.RunPython(fill, clear)]
