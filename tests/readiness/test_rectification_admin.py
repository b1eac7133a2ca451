"""Rectification tasks (整改) in the back office (issue 16, point 3): the officers of the
enterprise's district (GACC all) list them and filter the overdue ones; another district's officer
neither lists nor opens them; closing a task there still needs evidence."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from readiness.models import RectificationTask
from tests.trainees.factories import enterprise_in, officer, staff_of

pytestmark = pytest.mark.django_db

INDEX = "/admin/readiness/rectifications/"


@pytest.fixture
def tasks():
    enterprise = enterprise_in("5301")
    owner = staff_of(enterprise)
    today = timezone.localdate()
    overdue = RectificationTask.objects.create(
        enterprise=enterprise, title="整改单证复核制度", owner=owner, due_date=today - datetime.timedelta(days=5)
    )
    later = RectificationTask.objects.create(
        enterprise=enterprise, title="整改信息系统权限", owner=owner, due_date=today + datetime.timedelta(days=20)
    )
    done = RectificationTask.objects.create(
        enterprise=enterprise,
        title="整改培训记录",
        owner=owner,
        due_date=today - datetime.timedelta(days=9),
        status=RectificationTask.Status.DONE,
        evidence_note="已完成",
    )
    return overdue, later, done


def test_district_officer_lists_and_filters_overdue_tasks(client, tasks):
    overdue, later, done = tasks
    client.force_login(officer("5300"))
    response = client.get(INDEX)
    assert response.status_code == 200, response.get("Location")
    body = response.content.decode()
    assert all(t.title in body for t in tasks)
    body = client.get(INDEX, {"overdue": "true"}).content.decode()
    assert overdue.title in body
    assert later.title not in body and done.title not in body
    assert client.get(f"{INDEX}inspect/{overdue.pk}/").status_code == 200
    client.force_login(officer("0000"))
    assert overdue.title in client.get(INDEX, {"overdue": "true"}).content.decode()


def test_another_districts_officer_neither_lists_nor_opens_them(client, tasks):
    overdue, _later, _done = tasks
    client.force_login(officer("2300"))
    response = client.get(INDEX)
    assert response.status_code == 200
    assert not any(t.title in response.content.decode() for t in tasks)
    assert client.get(f"{INDEX}inspect/{overdue.pk}/").status_code == 404
    assert client.get(f"{INDEX}edit/{overdue.pk}/").status_code == 404
    assert client.post(f"{INDEX}edit/{overdue.pk}/", {"status": "done", "evidence_note": "x"}).status_code == 404
    overdue.refresh_from_db()
    assert overdue.status == RectificationTask.Status.OPEN


def test_enterprise_staff_do_not_reach_the_back_office(client, tasks):
    overdue, _later, _done = tasks
    client.force_login(staff_of(overdue.enterprise))
    assert client.get(f"{INDEX}inspect/{overdue.pk}/").status_code == 403


def test_closing_in_the_back_office_needs_evidence(client, tasks):
    overdue, _later, _done = tasks
    client.force_login(officer("5300"))
    url = f"{INDEX}edit/{overdue.pk}/"
    response = client.post(url, {"status": "done", "evidence_note": ""})
    assert response.status_code == 200
    overdue.refresh_from_db()
    assert overdue.status == RectificationTask.Status.OPEN
    response = client.post(url, {"status": "done", "evidence_note": "制度已发布，见附件"})
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.status == RectificationTask.Status.DONE and overdue.closed_at is not None
    assert reverse("readiness:report", kwargs={"enterprise_id": overdue.enterprise_id})
