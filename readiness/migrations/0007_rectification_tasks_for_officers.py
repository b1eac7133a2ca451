from django.db import migrations

from lms.migration_utils import grant_model_permissions


def grant(apps, schema_editor):
    # Officers read rectification tasks of their district in the back office and change their
    # status and evidence there; they are created on the readiness report page.
    grant_model_permissions(apps, "readiness", {"Customs officers": r"^(view|change)_rectificationtask$"})


class Migration(migrations.Migration):
    dependencies = [("readiness", "0006_readiness_report_row_insert")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
