"""Expert roster (issue 17, point 4): trainers as AEO experts with level, district, specialties,
the sessions and courses they delivered; GACC and regional officers keep it in the back office."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment
from feedback import selectors
from feedback.models import Expert
from readiness.models import CriteriaArea
from tests.courses.factories import course as make_course
from tests.factories import UserFactory
from tests.trainees.factories import enterprise_in, officer, staff_of, unit
from tests.training_bases.factories import RoomFactory, SessionFactory
from trainees.roles import Role
from training_bases import selectors as training_selectors
from training_bases.models import TrainingBase, TrainingSession

pytestmark = pytest.mark.django_db


def trainer(code="5300"):
    return UserFactory(roles=[Role.TRAINER], customs_unit=unit(code))


def expert(code, *, level=Expert.Level.REGIONAL, user=None, areas=("internal_control",)):
    e = Expert.objects.create(user=user or trainer(code), level=level, customs_unit=unit(code))
    e.specialties.set(CriteriaArea.objects.filter(edition__code="2026-advanced", key__in=areas))
    return e


def held_session(teacher, *, days_ago=10, status=TrainingSession.Status.COMPLETED, slug="shenzhen"):
    start = (timezone.now() - dt.timedelta(days=days_ago)).replace(hour=1, minute=0, second=0, microsecond=0)
    session = SessionFactory(
        room=RoomFactory(base=TrainingBase.objects.get(slug=slug)),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        status=status,
        booking_opens_at=start - dt.timedelta(days=9),
        booking_closes_at=start - dt.timedelta(days=1),
        cancellation_cutoff=start - dt.timedelta(days=2),
    )
    session.trainers.add(teacher)
    return session


def test_roster_lists_sessions_held_and_courses_taught():
    shenzhen = expert("5300", areas=("internal_control", "trade_security"))
    held_session(shenzhen.user)
    held_session(shenzhen.user, days_ago=40)
    held_session(shenzhen.user, status=TrainingSession.Status.CANCELLED, days_ago=20)  # delivered nothing
    held_session(shenzhen.user, days_ago=-10, status=TrainingSession.Status.OPEN)  # not yet held
    course = make_course("expert-course")
    course.trainers.add(shenzhen.user)
    course.save_revision().publish()
    learner = staff_of(enterprise_in("5301"))
    Enrolment.objects.create(
        user=learner, course_key=course.translation_key, enrolled_at=timezone.now(), completed_at=timezone.now()
    )
    [row] = selectors.expert_roster(user=officer("5300"), now=timezone.now())
    assert row.expert == shenzhen
    assert len(row.sessions) == 2 and row.hours == 16.0
    assert [(c.title, c.enrolled, c.completed) for c in row.courses] == [(course.title, 1, 1)]
    assert {a.key for a in row.expert.specialties.all()} == {"internal_control", "trade_security"}
    assert row.survey.invited == 0  # no survey of its events yet


def test_sessions_delivered_match_the_trainers_sessions():
    teacher = trainer()
    held_session(teacher)
    delivered = training_selectors.sessions_delivered_by(trainer_ids=[teacher.pk], until=timezone.now())
    taught = TrainingSession.objects.filter(trainers=teacher, starts_at__lt=timezone.now())
    assert [s.session_id for s in delivered[teacher.pk]] == list(taught.values_list("pk", flat=True))


def test_each_level_sees_its_experts():
    national = expert("0000", level=Expert.Level.NATIONAL)
    shenzhen = expert("5300")
    nanjing = expert("2300")
    assert {r.expert for r in selectors.expert_roster(user=officer("0000"), now=timezone.now())} == {
        national,
        shenzhen,
        nanjing,
    }
    assert [r.expert for r in selectors.expert_roster(user=officer("5300"), now=timezone.now())] == [shenzhen]
    assert selectors.expert_roster(user=officer("5301"), now=timezone.now()) == []  # local customs
    national_only = selectors.expert_roster(user=officer("0000"), level="national", now=timezone.now())
    assert [r.expert for r in national_only] == [national]


def test_roster_query_count_is_constant(django_assert_max_num_queries):
    gacc = officer("0000")
    for n in range(6):
        e = expert("5300" if n % 2 else "2300")
        held_session(e.user, days_ago=10 + n * 2)
        course = make_course(f"expert-course-{n}")
        course.trainers.add(e.user)
        course.save_revision().publish()
    with django_assert_max_num_queries(11):
        rows = selectors.expert_roster(user=gacc, now=timezone.now())
        for row in rows:
            list(row.expert.specialties.all())
            str(row.expert.customs_unit)
    assert len(rows) == 6 and all(len(r.sessions) == 1 and len(r.courses) == 1 for r in rows)


def test_roster_page(client):
    expert("5300")
    client.force_login(officer("5300"))
    response = client.get(reverse("feedback:expert_roster"), {"level": "bogus"})
    assert response.status_code == 200
    assert 'id="expert-roster"' in response.content.decode()
    client.force_login(officer("5301"))
    assert client.get(reverse("feedback:expert_roster")).status_code == 403
    client.force_login(trainer())
    assert client.get(reverse("feedback:expert_roster")).status_code == 403


# --- back office ---------------------------------------------------------------------------------


def test_regional_officer_manages_only_its_district_in_the_back_office(client):
    own = expert("5300")
    other = expert("2300")
    client.force_login(officer("5300"))
    listing = client.get("/admin/snippets/feedback/expert/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert str(own) in body and str(other) not in body
    assert client.get(f"/admin/snippets/feedback/expert/edit/{own.pk}/").status_code == 200
    assert client.get(f"/admin/snippets/feedback/expert/edit/{other.pk}/").status_code == 404
    assert client.post(f"/admin/snippets/feedback/expert/delete/{other.pk}/").status_code == 404
    assert Expert.objects.filter(pk=other.pk).exists()


def test_regional_officer_adds_an_expert_of_its_district_only(client):
    client.force_login(officer("5300"))
    person = trainer()
    area = CriteriaArea.objects.filter(edition__code="2026-advanced", key="compliance").first()
    data = {"user": person.pk, "level": "regional", "customs_unit": unit("2300").pk, "specialties": [area.pk]}
    response = client.post("/admin/snippets/feedback/expert/add/", {**data, "profile": "", "is_active": "on"})
    assert response.status_code == 200  # another district is not a valid choice
    assert not Expert.objects.exists()
    response = client.post(
        "/admin/snippets/feedback/expert/add/",
        {**data, "customs_unit": unit("5301").pk, "profile": "", "is_active": "on"},
    )
    assert response.status_code == 302
    created = Expert.objects.get()
    assert (created.user, created.customs_unit.code, list(created.specialties.all())) == (person, "5301", [area])


def test_local_officers_and_trainers_do_not_keep_the_roster(client):
    shenzhen = expert("5300")
    for user in (officer("5301"), trainer()):
        client.force_login(user)
        assert client.get("/admin/snippets/feedback/expert/").status_code == 302  # no permission
        assert client.get(f"/admin/snippets/feedback/expert/edit/{shenzhen.pk}/").status_code == 404
