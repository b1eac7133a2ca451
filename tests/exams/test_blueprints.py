"""Blueprints checked against the bank, recorded draws that reproduce, and the back office."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exams import services
from exams.models import BlueprintCell, ExamBlueprint, Question, QuestionBank, QuestionVersion
from readiness.models import CriteriaArea
from tests.factories import UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "exams" / "data" / "demo-enterprise-2026.gift"


@pytest.fixture
def blueprint():
    assert services.bank_import(bank_name="示范题库", data=DEMO.read_bytes()).ok
    bank = QuestionBank.objects.get(name="示范题库")
    blueprint = ExamBlueprint.objects.create(name="结业考试", bank=bank)
    for key, band, count in [
        ("internal_control", "easy", 2),
        ("trade_security", "medium", 2),
        ("compliance", "hard", 1),
    ]:
        area = CriteriaArea.objects.get(edition=bank.criteria_edition, key=key)
        BlueprintCell.objects.create(blueprint=blueprint, criteria_area=area, band=band, count=count, points=2)
    return blueprint


def test_draw_is_recorded_and_reproduces_exactly(blueprint):
    result = services.blueprint_draw(blueprint=blueprint, count=5, seed=42)
    stored = [tuple(paper.items) for paper in result.batch.papers.order_by("index")]
    assert stored == [tuple(item.as_json() for item in paper) for paper in services.draw_reproduce(batch=result.batch)]
    assert sum(QuestionVersion.objects.values_list("times_drawn", flat=True)) == 25


def test_editing_a_question_after_a_draw_leaves_the_drawn_version_unchanged(blueprint):
    result = services.blueprint_draw(blueprint=blueprint, count=1, seed=1)
    item = result.batch.papers.get().items[0]
    question = Question.objects.get(pk=item["question_id"])
    question.stem = "改过的题干"
    services.question_save(question=question)
    assert QuestionVersion.objects.get(pk=item["version_id"]).content["stem"] != "改过的题干"
    assert question.versions.count() == 2


def test_candidate_paper_holds_no_key(blueprint):
    result = services.blueprint_draw(blueprint=blueprint, count=1, seed=3)
    shown = services.paper_for_candidate(paper=result.batch.papers.get())
    assert len(shown) == 5 and "fraction" not in str(shown) and "feedback" not in str(shown)


def test_uncovered_cell_is_named_with_how_many_are_missing(blueprint):
    cell = blueprint.cells.get(band="hard")
    cell.count = 40
    cell.save()
    messages = services.blueprint_shortage_messages(blueprint=blueprint)
    assert len(messages) == 1 and "守法规范" in messages[0] and "40" in messages[0]
    with pytest.raises(ValidationError):
        services.blueprint_draw(blueprint=blueprint, count=1)


def test_admin_import_preview_then_confirm_and_pages(client, blueprint):
    trainer = UserFactory(roles=[Role.TRAINER])
    client.force_login(trainer)
    with DEMO.open("rb") as handle:
        response = client.post(
            "/admin/exams/import/",
            {"bank": "后台题库", "file": handle, "format": "", "audience": "enterprise", "edition": "2026-certified"},
        )
    assert response.status_code == 200 and not QuestionBank.objects.filter(name="后台题库").exists()
    response = client.post("/admin/exams/import/", {"confirm": "1", "digest": response.context["digest"]})
    assert response.status_code == 200 and QuestionBank.objects.get(name="后台题库").questions.count() == 59
    question = Question.objects.filter(bank__name="后台题库").first()
    assert client.get(f"/admin/exams/question/{question.pk}/preview/").status_code == 200
    assert client.get(f"/admin/exams/blueprint/{blueprint.pk}/draw/").status_code == 200
    export = client.get(f"/admin/exams/export/{blueprint.bank_id}/xml/")
    assert export.status_code == 200 and b"<quiz>" in export.content
    assert client.get("/admin/snippets/exams/question/?tag=difficulty&status=active").status_code == 200
    retire = reverse("wagtail_bulk_action", args=("exams", "question", "retire")) + f"?id={question.pk}"
    assert "是，停用" in client.get(retire).content.decode()
    assert client.post(retire).status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.RETIRED
    client.force_login(UserFactory(roles=[Role.VALIDATOR_CANDIDATE]))
    assert client.get(f"/admin/exams/question/{question.pk}/preview/").status_code == 403
