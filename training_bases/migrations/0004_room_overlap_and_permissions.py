"""PostgreSQL refuses two live sessions in one room at overlapping times (an exclusion
constraint over the room and the time range; needs btree_gist). SQLite has no exclusion
constraints: there the locked check in the service is the guarantee. Also grants officers and
trainers their back-office permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from training_bases import reference_data

CONSTRAINT = "session_room_no_overlap"


def add_room_overlap_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE training_bases_trainingsession ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        "WHERE (status <> 'cancelled')"
    )


def drop_room_overlap_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE training_bases_trainingsession DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


def grant_permissions(apps, schema_editor):
    config = apps.get_app_config("training_bases")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    reference_data.load_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("training_bases", "0003_sessions_and_bookings"),
        ("trainees", "0002_roles"),
    ]
    operations = [
        migrations.RunPython(add_room_overlap_constraint, drop_room_overlap_constraint),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
