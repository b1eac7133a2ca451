"""Courses link their sessions from the course side now (courses 0003 moved the free text)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("training_bases", "0005_notices_moved"),
        ("courses", "0003_session_links_and_moderation"),
    ]

    operations = [
        migrations.RemoveField(model_name="trainingsession", name="course"),
    ]
