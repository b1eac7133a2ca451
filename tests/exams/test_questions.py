import pytest
from django.core.exceptions import ValidationError

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
    defaults = {"bank": bank, "criteria_area": area, "kind": Question.Kind.SINGLE, "stem": "单证复核应当在何时进行？"}
    return Question(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"choices": ["申报前", "申报后"], "answer": [0]}, None),
        ({"kind": Question.Kind.MULTIPLE, "choices": ["甲", "乙", "丙"], "answer": [0, 2]}, None),
        ({"kind": Question.Kind.TRUE_FALSE, "choices": [], "answer": [1]}, None),
        ({"choices": ["唯一选项"], "answer": [0]}, "choices"),
        ({"choices": ["甲", "乙"], "answer": [2]}, "answer"),
        ({"choices": ["甲", "乙"], "answer": [0, 1]}, "answer"),
        ({"choices": ["甲", "乙"], "answer": []}, "answer"),
        ({"kind": Question.Kind.TRUE_FALSE, "choices": [], "answer": [2]}, "answer"),
    ],
)
def test_question_answer_key_must_match_its_options(bank, fields, error_field):
    candidate = question(bank, **fields)
    if error_field is None:
        candidate.full_clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            candidate.full_clean()
        assert error_field in excinfo.value.message_dict


def test_trainers_manage_questions_and_candidates_never_reach_them(client, bank):
    saved = question(bank, choices=["申报前", "申报后"], answer=[0])
    saved.save()
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert client.get("/admin/snippets/exams/question/").status_code == 200
    assert client.get(f"/admin/snippets/exams/question/edit/{saved.pk}/").status_code == 200
    client.force_login(UserFactory(roles=[Role.VALIDATOR_CANDIDATE]))
    assert client.get(f"/admin/snippets/exams/question/edit/{saved.pk}/").status_code == 403
