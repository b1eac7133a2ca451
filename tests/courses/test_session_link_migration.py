"""Sessions that named their course in the free-text `TrainingSession.course` field (dropped by
training_bases 0006) are linked from that course after the move (courses 0003): a course whose
title, in any language, equals the text gets the session."""

import pytest

from courses.models import CoursePage
from tests.migrating import migrate
from tests.training_bases.factories import SessionFactory

from .factories import course

BEFORE = [("training_bases", "0005_notices_moved"), ("courses", "0002_learning")]


@pytest.mark.django_db(transaction=True)
def test_free_text_course_of_a_session_becomes_a_link_from_the_course(site):  # bases, site: tables were flushed
    page = course("trade-security-on-site", lessons=(), title="贸易安全与供应链认证实务")
    named, unnamed, unknown = SessionFactory(), SessionFactory(), SessionFactory()

    old_apps = migrate(BEFORE)
    OldSession = old_apps.get_model("training_bases", "TrainingSession")
    OldSession.objects.filter(pk=named.pk).update(course=" 贸易安全与供应链认证实务 ")
    OldSession.objects.filter(pk=unknown.pk).update(course="没有这门课程")
    assert OldSession.objects.get(pk=unnamed.pk).course == ""

    migrate("latest")
    page = CoursePage.objects.get(pk=page.pk)
    assert list(page.training_sessions.values_list("pk", flat=True)) == [named.pk]
    # The link is in the latest revision too: publishing it again (as a lead trainer approving a
    # later change does) keeps the session.
    page.get_latest_revision().publish()
    assert list(CoursePage.objects.get(pk=page.pk).training_sessions.values_list("pk", flat=True)) == [named.pk]
