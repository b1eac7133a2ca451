"""Back-office certificate list and revocation (issue 11 point 7): officers of the holder's
district (GACC everywhere) and lead trainers (course certificates) list, search, filter and
revoke with a reason after confirming; the revocation is audited and the public page says so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.factories import UserFactory
from tests.trainees.factories import enterprise_in, officer, staff_of
from trainees.roles import Role

pytestmark = pytest.mark.django_db
INDEX = "/admin/certificate/"


def issue(holder, subject, kind=Certificate.Kind.COURSE):
    return certificate_issue(holder=holder, kind=kind, subject=subject, title_zh="AEO 认证培训", hours=4)


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """Two districts (Shenzhen 5300, Guangzhou 5100), a course and an exam certificate in each."""
    with django_capture_on_commit_callbacks(execute=False):  # no PDF rendering
        shenzhen = staff_of(enterprise_in("5300"), first_name="三", last_name="张")
        guangzhou = staff_of(enterprise_in("5100"), first_name="四", last_name="李")
        return {
            "sz_course": issue(shenzhen, "course:a"),
            "sz_exam": issue(shenzhen, "exam:1", Certificate.Kind.EXAM),
            "gz_course": issue(guangzhou, "course:a"),
            "gz_exam": issue(guangzhou, "exam:1", Certificate.Kind.EXAM),
        }


def listed(client, **query) -> set[str]:
    response = client.get(INDEX, query)
    assert response.status_code == 200
    html = response.content.decode()  # each listed row links to the certificate's detail page
    return {number for pk, number in Certificate.objects.values_list("pk", "number") if f"{INDEX}inspect/{pk}/" in html}


def test_officers_list_their_district_filter_by_kind_and_status_and_search(client, world):
    client.force_login(officer("5300"))
    assert listed(client) == {world["sz_course"].number, world["sz_exam"].number}
    assert listed(client, kind="exam") == {world["sz_exam"].number}
    assert listed(client, q=world["sz_course"].number) == {world["sz_course"].number}
    assert listed(client, q="张三") == {world["sz_course"].number, world["sz_exam"].number}
    assert listed(client, q=world["gz_course"].number) == set()  # another district's: never shown
    assert listed(client, status="revoked") == set()
    client.force_login(officer("0000"))
    assert len(listed(client)) == 4


def test_lead_trainers_see_course_certificates_plain_trainers_nothing(client, world):
    client.force_login(UserFactory(roles=[Role.LEAD_TRAINER]))
    assert listed(client) == {world["sz_course"].number, world["gz_course"].number}
    assert client.get(f"{INDEX}revoke/{world['gz_exam'].pk}/").status_code == 404
    assert client.get(f"{INDEX}revoke/{world['gz_course'].pk}/").status_code == 200
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert client.get(INDEX).status_code == 302  # back to the dashboard: no permission
    assert client.get(f"{INDEX}revoke/{world['gz_course'].pk}/")["Location"] == "/admin/"


def test_revoking_needs_a_reason_and_a_confirmation_and_is_audited(client, world):
    certificate = world["sz_course"]
    page = f"{INDEX}revoke/{certificate.pk}/"
    client.force_login(officer("5100"))
    assert client.get(page).status_code == 404  # another district
    assert client.post(page, {"reason": "x", "confirm": "on"}).status_code == 404
    user = officer("5300")
    client.force_login(user)
    html = client.get(page).content.decode()
    assert certificate.number in html and 'id="revoke-form"' in html and 'name="confirm"' in html
    for data in ({"reason": "证书信息有误"}, {"reason": "  ", "confirm": "on"}):
        response = client.post(page, data)
        assert response.status_code == 200 and "error" in response.content.decode()
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.VALID
    response = client.post(page, {"reason": "证书信息有误", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == INDEX
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revocation_reason == "证书信息有误"
    entry = ModelLogEntry.objects.get(action="certificates.revoke")
    assert entry.user_id == user.pk and entry.object_id == str(certificate.pk)
    assert entry.data["reason"] == "证书信息有误"
    verify = client.get(f"/certificates/v/{certificate.token}/").content.decode()
    assert 'data-status="revoked"' in verify
    # Irreversible: the page now only says when; posting again changes nothing.
    assert 'id="already-revoked"' in client.get(page).content.decode()
    client.post(page, {"reason": "再次撤销", "confirm": "on"})
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "证书信息有误"
    assert ModelLogEntry.objects.filter(action="certificates.revoke").count() == 1
    assert listed(client, status="revoked") == {certificate.number}


def test_revoke_page_is_in_chinese_by_default(client, world):
    client.force_login(officer("5300"))
    html = client.get(f"{INDEX}revoke/{world['sz_course'].pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "撤销" in html and "无法恢复" in html


def test_list_query_count_does_not_grow_with_certificates(client, world, django_capture_on_commit_callbacks):
    client.force_login(officer("0000"))
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    with django_capture_on_commit_callbacks(execute=False):
        for i in range(20):
            issue(staff_of(enterprise_in("5300")), f"course:{i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(INDEX).status_code == 200
    assert len(many) <= len(few)
