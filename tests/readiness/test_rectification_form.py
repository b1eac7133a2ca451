"""The forms of the readiness and self-assessment pages as a user meets them: a refused form
comes back with what was typed and a message on each field; a rectification's due date lies
between today and the 5-year re-check horizon and an impossible date is called invalid; the
sub-items offered for rectification are every gap of the report, even when the assessment
passes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from readiness import report_services, rules
from readiness.models import Judgement, ReadinessRecord, RectificationTask
from tests.readiness.test_report_services import submitted
from tests.trainees.factories import enterprise_in, officer, staff_of
from trainees.models import Position

pytestmark = pytest.mark.django_db


def administrator(enterprise):
    return staff_of(enterprise, position=Position.LEGAL_REPRESENTATIVE, is_enterprise_admin=True)


def create_url(enterprise):
    return reverse("readiness:rectification_create", kwargs={"enterprise_id": enterprise.pk})


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def field_error(body: str, field: str) -> str:
    """The message shown on a field of the rectification form ("" when none)."""
    marker = f'id="id_{field}_error">'
    if marker not in body:
        return ""
    return body.split(marker, 1)[1].split("</span>", 1)[0]


def test_a_refused_task_comes_back_with_what_was_typed_and_messages_on_the_fields(client):
    enterprise = enterprise_in("5301")
    admin = administrator(enterprise)
    client.force_login(admin)
    response = client.post(create_url(enterprise), {"title": "发布单证复核制度", "owner": "", "due_date": in_days(30)})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="发布单证复核制度"' in body  # the title typed is still there
    assert f'value="{in_days(30)}"' in body  # and the date
    assert field_error(body, "owner")  # the message sits on the owner field
    assert not field_error(body, "due_date")
    assert RectificationTask.objects.count() == 0


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (-1, "in the past"),
        (0, None),  # due today is fine
        (365 * 5, None),
        (365 * 5 + 2, "more than 5 years away"),
    ],
)
def test_due_date_lies_between_today_and_the_re_check_horizon(due, expected):
    today = datetime.date(2026, 11, 30)
    with translation.override("en"):
        problem = rules.rectification_due_problem(today + datetime.timedelta(days=due), today=today)
    assert (problem is None) if expected is None else (expected in problem)


def test_rectification_latest_due_of_a_29_february():
    assert rules.rectification_latest_due(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)


@pytest.mark.parametrize("due_date", ["2020-01-01", "9999-12-31"])
def test_a_past_or_far_away_due_date_is_refused_on_the_form_and_by_the_service(client, due_date):
    enterprise = enterprise_in("5301")
    admin = administrator(enterprise)
    client.force_login(admin)
    response = client.post(create_url(enterprise), {"title": "整改", "owner": admin.pk, "due_date": due_date})
    assert response.status_code == 400
    message = field_error(response.content.decode(), "due_date")
    assert due_date in message and ("已经过去" in message or "超过 5 年" in message)
    assert not RectificationTask.objects.exists()
    with pytest.raises(ValidationError) as refused:
        report_services.rectification_create(
            enterprise=enterprise,
            actor=admin,
            owner_id=admin.pk,
            due_date=datetime.date.fromisoformat(due_date),
            title="整改",
        )
    assert "due_date" in refused.value.error_dict


def test_an_impossible_date_is_called_invalid_not_missing(client):
    enterprise = enterprise_in("5301")
    admin = administrator(enterprise)
    client.force_login(admin)
    response = client.post(create_url(enterprise), {"title": "整改", "owner": admin.pk, "due_date": "2027-02-30"})
    assert response.status_code == 400
    message = field_error(response.content.decode(), "due_date")
    assert "不是有效的日期" in message
    assert "请填写" not in message and "完成期限" not in message.split("：")[0]


def test_a_valid_task_is_created_and_the_page_follows(client):
    enterprise = enterprise_in("5301")
    admin = administrator(enterprise)
    client.force_login(admin)
    response = client.post(
        create_url(enterprise), {"title": "整改信息系统", "owner": admin.pk, "due_date": in_days(60)}
    )
    assert response.status_code == 302 and response["Location"].endswith("#rectifications")
    task = RectificationTask.objects.get()
    assert (task.owner, task.due_date.isoformat(), task.title) == (admin, in_days(60), "整改信息系统")
    assert not task.is_overdue(timezone.localdate())


def test_sub_items_of_a_passing_assessment_judged_basically_meets_are_offered(client):
    """苏州恒信's case: the assessment passes with 2 "basically meets"; both are gaps to rectify."""
    enterprise = enterprise_in("5301")
    admin = administrator(enterprise)
    version = submitted(admin)  # every sub-item meets
    basic = list(
        Judgement.objects.filter(
            assessment=version.assessment, criterion__is_bonus=False, criterion__financial_check=""
        )
        .order_by("criterion__item__area__position", "criterion__sequence")
        .select_related("criterion")[:2]
    )
    Judgement.objects.filter(pk__in=[j.pk for j in basic]).update(value="basic")
    from readiness import services

    passing = services.assessment_submit(assessment=version.assessment, user=admin, today=timezone.localdate())
    assert passing.outcome == "pass"
    client.force_login(admin)
    body = client.get(reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})).content.decode()
    form = body.split('id="rectification-form"', 1)[1].split("</form>", 1)[0]
    offered = form.split('name="criterion"', 1)[1].split("</select>", 1)[0]
    for judgement in basic:
        assert f'<option value="{judgement.criterion_id}">{judgement.criterion.code}' in offered
    assert offered.count("<option") == 3  # "—" and the two gaps
    record = ReadinessRecord.objects.get(enterprise=enterprise, is_latest=True)
    assert {a["criterion_id"] for a in record.report["rectifiable"]} == {j.criterion_id for j in basic}

    # Choosing one of them creates the task for that sub-item, titled by its wording.
    response = client.post(
        create_url(enterprise), {"criterion": basic[0].criterion_id, "owner": admin.pk, "due_date": in_days(90)}
    )
    assert response.status_code == 302
    task = RectificationTask.objects.get()
    assert task.criterion_id == basic[0].criterion_id and task.code == basic[0].criterion.code
    # A sub-item that is no gap of the report is not offered, and refused when forged.
    meets = Judgement.objects.filter(assessment=version.assessment, value="meets").first()
    forged = client.post(
        create_url(enterprise), {"criterion": meets.criterion_id, "owner": admin.pk, "due_date": in_days(90)}
    )
    assert forged.status_code == 400 and field_error(forged.content.decode(), "criterion")


def test_every_gap_level_of_the_rules_is_picked_out_of_the_snapshot():
    """The database (PostgreSQL) and the Python summary pick the same gaps: the levels of
    `rules.GAP_JUDGEMENTS`, "basically meets" and "does not meet"."""
    from readiness import selectors

    assert {rules.Judgement.BASIC, rules.Judgement.FAILS} == rules.GAP_JUDGEMENTS
    enterprise = enterprise_in("5301")
    version = submitted(administrator(enterprise))
    judgements = list(
        Judgement.objects.filter(
            assessment=version.assessment, criterion__is_bonus=False, criterion__financial_check=""
        ).order_by("criterion__item__area__position", "criterion__sequence")[:3]
    )
    for judgement, value in zip(judgements, ["basic", "fails", "na"], strict=True):
        Judgement.objects.filter(pk=judgement.pk).update(value=value, reason="不适用的理由")
    from readiness import services

    again = services.assessment_submit(
        assessment=version.assessment, user=version.submitted_by, today=timezone.localdate()
    )
    found = selectors.latest_submitted_versions(enterprise_ids=[enterprise.pk], edition_code="2026-advanced")
    rows = found[enterprise.pk].below_meets_rows
    assert sorted(row["judgement"] for row in rows) == ["basic", "fails"]
    selectors._summarise(again)
    assert [row["criterion"] for row in again.below_meets_rows] == [row["criterion"] for row in rows]


def test_closing_a_task_without_evidence_comes_back_with_the_note_and_status_kept(client):
    enterprise = enterprise_in("5301")
    admin = administrator(enterprise)
    task = RectificationTask.objects.create(
        enterprise=enterprise, title="整改", owner=admin, due_date=timezone.localdate() + datetime.timedelta(days=9)
    )
    client.force_login(admin)
    url = reverse("readiness:rectification_update", kwargs={"pk": task.pk})
    response = client.post(url, {"status": "done", "evidence_note": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    errors = body.split(f'id="task-{task.pk}-errors">', 1)[1].split("</ul>", 1)[0]
    assert "佐证材料" in errors
    row = body.split(f'id="task-{task.pk}"', 1)[1].split("</form>", 1)[0]
    assert '<option value="done" selected>' in row
    task.refresh_from_db()
    assert task.status == RectificationTask.Status.OPEN


def test_officers_of_the_district_create_tasks_too(client):
    enterprise = enterprise_in("5301")
    owner = administrator(enterprise)
    client.force_login(officer("5300"))
    response = client.post(create_url(enterprise), {"title": "整改", "owner": owner.pk, "due_date": in_days(10)})
    assert response.status_code == 302
    assert RectificationTask.objects.get().created_by.customs_unit.code == "5300"


def test_the_edition_chosen_is_kept_after_creating_a_task_or_a_refusal(client):
    enterprise = enterprise_in("5301")
    admin = administrator(enterprise)
    client.force_login(admin)
    url = create_url(enterprise) + "?edition=2022-advanced"
    page = client.get(
        reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk}), {"edition": "2022-advanced"}
    )
    assert f'action="{url}"' in page.content.decode()
    refused = client.post(url, {"title": "整改", "owner": admin.pk, "due_date": "2020-01-01"})
    assert refused.status_code == 400
    assert '<option value="2022-advanced" selected>' in refused.content.decode()
    created = client.post(url, {"title": "整改", "owner": admin.pk, "due_date": in_days(3)})
    assert created["Location"].endswith("?edition=2022-advanced#rectifications")
