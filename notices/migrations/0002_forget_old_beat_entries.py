"""The reminder and digest jobs moved from `training_bases.tasks` to `notices.tasks` (new beat
entries "notices-reminders" and "notices-daily-digests" come from CELERY_BEAT_SCHEDULE): remove
the database scheduler's rows of the old names so the jobs do not run twice or fail."""

from django.db import migrations

OLD = ["training_bases.tasks.send_reminders", "training_bases.tasks.send_daily_digests"]


def forget(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=OLD).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
