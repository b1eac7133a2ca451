"""Move the free-text `TrainingSession.course` to links from the course side (a course whose
title, in any language, equals the text gets the session), create the Lead trainers role and the
course-review workflow."""

from django.db import migrations


def move_session_courses(apps, schema_editor):
    """Rows are written to the link table itself (a `ParentalManyToManyField` manager of a
    historical model only keeps additions in memory), and the course's latest revision gets the
    link too, so the next publication keeps it."""
    TrainingSession = apps.get_model("training_bases", "TrainingSession")
    CoursePage = apps.get_model("courses", "CoursePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    Link = CoursePage._meta.get_field("training_sessions").remote_field.through
    for session in TrainingSession.objects.exclude(course=""):
        text = session.course.strip()
        for course in CoursePage.objects.filter(title__iexact=text):
            Link.objects.get_or_create(coursepage_id=course.pk, trainingsession_id=session.pk)
            revision = Revision.objects.filter(pk=course.latest_revision_id).first()
            if revision is not None and isinstance(revision.content, dict):
                linked = list(revision.content.get("training_sessions") or [])
                if session.pk not in linked:
                    revision.content["training_sessions"] = [*linked, session.pk]
                    revision.save(update_fields=["content"])


def moderation(apps, schema_editor):
    from courses.reference_data import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_learning"),
        ("training_bases", "0004_room_overlap_and_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [
        migrations.RunPython(move_session_courses, migrations.RunPython.noop),
        migrations.RunPython(moderation, migrations.RunPython.noop),
    ]
