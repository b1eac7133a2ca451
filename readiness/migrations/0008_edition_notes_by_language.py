"""An edition's legal basis and notes on its sources and on its pass rule in Chinese and in
English: the single notes so far (written in English) become the English ones, the legal basis so
far (Chinese) the Chinese one, and the shipped editions get the other language."""

from django.db import migrations, models


def translate(apps, schema_editor):
    from readiness import reference_data

    reference_data.translate_notes(apps)


class Migration(migrations.Migration):
    dependencies = [("readiness", "0007_rectification_tasks_for_officers")]

    operations = [
        migrations.RenameField(model_name="criteriaedition", old_name="legal_basis", new_name="legal_basis_zh"),
        migrations.AlterField(
            model_name="criteriaedition",
            name="legal_basis_zh",
            field=models.CharField(max_length=200, verbose_name="legal basis (Chinese)"),
        ),
        migrations.AddField(
            model_name="criteriaedition",
            name="legal_basis_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="legal basis (English)"),
        ),
        migrations.RenameField(model_name="criteriaedition", old_name="notes", new_name="notes_en"),
        migrations.AlterField(
            model_name="criteriaedition",
            name="notes_en",
            field=models.TextField(blank=True, verbose_name="notes on the source (English)"),
        ),
        migrations.AddField(
            model_name="criteriaedition",
            name="notes_zh",
            field=models.TextField(blank=True, verbose_name="notes on the source (Chinese)"),
        ),
        migrations.RenameField(model_name="criteriaedition", old_name="rules_note", new_name="rules_note_en"),
        migrations.AlterField(
            model_name="criteriaedition",
            name="rules_note_en",
            field=models.TextField(blank=True, verbose_name="note on the pass rule and checks (English)"),
        ),
        migrations.AddField(
            model_name="criteriaedition",
            name="rules_note_zh",
            field=models.TextField(
                blank=True,
                help_text="Where the values come from and what is not confirmed; shown to officers and enterprises.",
                verbose_name="note on the pass rule and checks (Chinese)",
            ),
        ),
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
