"""The self-assessment page saves each sub-item's draft by itself: its save address answers the
page's script in JSON (saved with the time, or refused with the message a person reads), through
the same checks as the Save button, and never a 500."""

import datetime

import pytest
from django.urls import reverse

from readiness import services
from readiness.models import AssessmentVersion, CriteriaEdition, Criterion, Judgement
from tests.factories import CustomsUnitFactory, EnterpriseFactory, EnterpriseStaffFactory, UserFactory
from tests.readiness.helpers import healthy_years
from trainees.models import Position
from trainees.roles import Role

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def admin_of(enterprise=None):
    return EnterpriseStaffFactory(enterprise=enterprise or EnterpriseFactory(), position=Position.LEGAL_REPRESENTATIVE)


def started(user):
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    return services.assessment_start(enterprise=user.enterprise, edition=edition, user=user)


def judged_by_hand(assessment):
    return assessment.judgements.select_related("criterion").filter(criterion__financial_check="").first()


@pytest.fixture
def drafting(client):
    """A legal representative signed in on a started 2026 assessment, and one sub-item judged by
    hand: (user, assessment, judgement)."""
    user = admin_of()
    assessment = started(user)
    client.force_login(user)
    return user, assessment, judged_by_hand(assessment)


def post(client, assessment, criterion, **fields):
    url = reverse("readiness:judgement_save", args=[assessment.pk, criterion])
    return client.post(url, {f"c{criterion}-{name}": value for name, value in fields.items()}, **JSON)


def test_a_draft_saved_by_the_page_answers_saved_with_the_time(client, drafting):
    _user, assessment, judgement = drafting
    response = post(client, assessment, judgement.criterion_id, value="basic", reason="", notes="制度已起草，待审批")
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True
    judgement.refresh_from_db()
    assert (judgement.value, judgement.notes) == ("basic", "制度已起草，待审批")
    assert datetime.datetime.fromisoformat(body["saved_at"]) == judgement.updated_at
    assert body["status"].startswith("已保存 ")
    assert body["status"].endswith(body["saved_at"][11:16])


def test_a_refused_draft_answers_400_with_the_message_and_nothing_is_saved(client, drafting):
    _user, assessment, judgement = drafting
    response = post(client, assessment, judgement.criterion_id, value="na", reason="  ", notes="")
    assert response.status_code == 400
    body = response.json()
    assert body["saved"] is False
    assert body["error"] == "请说明本项标准为何不适用于贵企业。"
    assert body["errors"] == {"reason": ["请说明本项标准为何不适用于贵企业。"]}
    assert Judgement.objects.get(pk=judgement.pk).value == ""

    response = post(client, assessment, judgement.criterion_id, value="<script>", reason="", notes="")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["value"]

    financial = assessment.judgements.exclude(criterion__financial_check="").first()
    response = post(client, assessment, financial.criterion_id, value="meets", reason="", notes="")
    assert response.status_code == 400
    assert "财务" in response.json()["error"]
    assert Judgement.objects.get(pk=financial.pk).value == ""


def test_another_enterprises_sub_item_is_not_found(client):
    owner = admin_of()
    assessment = started(owner)
    judgement = judged_by_hand(assessment)
    stranger = admin_of()
    mine = started(stranger)
    client.force_login(stranger)
    response = post(client, assessment, judgement.criterion_id, value="meets", reason="", notes="")
    assert response.status_code == 404
    assert response.json()["saved"] is False
    # Nor through one's own assessment with a sub-item it does not hold.
    other_edition = CriteriaEdition.objects.get(code="2022-advanced")
    foreign = Criterion.objects.filter(item__area__edition=other_edition).first()
    assert post(client, mine, foreign.pk, value="meets", reason="", notes="").status_code == 404
    assert Judgement.objects.get(pk=judgement.pk).value == ""


def test_those_who_may_not_judge_are_refused_in_json(client):
    admin = admin_of()
    assessment = started(admin)
    judgement = judged_by_hand(assessment)
    services.judgements_assign(
        assessment=assessment, criterion_ids=[judgement.criterion_id], position=Position.FINANCE, user=admin
    )
    colleague = EnterpriseStaffFactory(enterprise=admin.enterprise, position=Position.IT)
    district_officer = UserFactory(customs_unit=admin.enterprise.customs_unit, roles=[Role.CUSTOMS_OFFICER])
    for user in (colleague, district_officer):
        client.force_login(user)
        response = post(client, assessment, judgement.criterion_id, value="meets", reason="", notes="")
        assert response.status_code == 403
        assert response.json()["saved"] is False
    assert Judgement.objects.get(pk=judgement.pk).value == ""
    unit_officer = UserFactory(customs_unit=CustomsUnitFactory(), roles=[Role.CUSTOMS_OFFICER])
    client.force_login(unit_officer)
    assert post(client, assessment, judgement.criterion_id, value="meets", reason="", notes="").status_code == 404


def test_a_submitted_version_stays_as_it_was_when_the_draft_saves_itself_afterwards(client):
    user = admin_of()
    assessment = started(user)
    Judgement.objects.filter(assessment=assessment).update(value="meets")
    healthy_years(user.enterprise, [2025])
    version = services.assessment_submit(assessment=assessment, user=user, today=datetime.date(2026, 11, 30))
    frozen = AssessmentVersion.objects.get(pk=version.pk).snapshot
    judgement = judged_by_hand(assessment)
    client.force_login(user)
    response = post(client, assessment, judgement.criterion_id, value="fails", reason="", notes="整改中")
    assert response.status_code == 200
    assert Judgement.objects.get(pk=judgement.pk).value == "fails"
    assert AssessmentVersion.objects.get(pk=version.pk).snapshot == frozen


def test_the_save_button_without_script_still_redirects_with_a_message(client, drafting):
    _user, assessment, judgement = drafting
    url = reverse("readiness:judgement_save", args=[assessment.pk, judgement.criterion_id])
    response = client.post(url, {f"c{judgement.criterion_id}-value": "meets"})
    assert response.status_code == 302
    assert Judgement.objects.get(pk=judgement.pk).value == "meets"
    page = client.get(reverse("readiness:assessment_detail", args=[assessment.pk])).content.decode()
    assert "readiness/autosave" in page and "data-save-state" in page
