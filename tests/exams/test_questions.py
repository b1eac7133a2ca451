import pytest
from django.core.exceptions import ValidationError

from exams import services
from exams.models import Question, QuestionBank
from readiness.models import CriteriaArea, CriteriaEdition
from tests.factories import UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    return QuestionBank.objects.create(
        name="验证员题库", audience=QuestionBank.Audience.VALIDATOR, criteria_edition=edition
    )


def question(bank, **fields):
    area = CriteriaArea.objects.get(edition=bank.criteria_edition, key="internal_control")
    defaults = {
        "bank": bank,
        "name": "单证复核",
        "criteria_area": area,
        "qtype": "multichoice",
        "stem": "单证复核应当在何时进行？",
        "options": [{"text": "申报前", "fraction": "100"}, {"text": "申报后", "fraction": "0"}],
        "status": Question.Status.ACTIVE,
    }
    return Question(**{**defaults, **fields})


def test_invalid_key_is_a_form_error(bank):
    with pytest.raises(ValidationError):
        question(bank, options=[{"text": "申报前", "fraction": "0"}, {"text": "申报后", "fraction": "0"}]).full_clean()


def test_editing_an_active_question_creates_a_version_and_keeps_the_old_one(bank):
    saved = question(bank)
    first = services.question_save(question=saved)
    saved.stem = "单证复核应当在什么时候进行？"
    second = services.question_save(question=saved)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.content["stem"] == "单证复核应当在何时进行？"
    assert services.question_save(question=saved).pk == second.pk  # unchanged: no new version


def test_a_draft_never_drawn_is_corrected_in_place(bank):
    draft = question(bank, status=Question.Status.DRAFT)
    first = services.question_save(question=draft)
    draft.stem = "修改后的题干"
    assert services.question_save(question=draft).pk == first.pk
    assert draft.versions.count() == 1


def test_stems_are_sanitised(bank):
    saved = question(bank, stem='<p>题干<img src="/media/a.png" alt="图"></p><script>alert(1)</script>')
    services.question_save(question=saved)
    assert "<script" not in saved.stem and "<img" in saved.stem


def test_trainers_manage_questions_and_candidates_never_reach_them(client, bank):
    saved = question(bank)
    services.question_save(question=saved)
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert client.get("/admin/snippets/exams/question/").status_code == 200
    assert client.get(f"/admin/snippets/exams/question/edit/{saved.pk}/").status_code == 200
    client.force_login(UserFactory(roles=[Role.VALIDATOR_CANDIDATE]))
    assert client.get(f"/admin/snippets/exams/question/edit/{saved.pk}/").status_code == 403
