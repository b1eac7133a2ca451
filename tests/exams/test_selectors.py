"""The selector readiness reads: per person, exams passed with date and audience."""

from decimal import Decimal

import pytest
from django.utils import timezone

from exams import selectors
from exams.services import attempts as svc
from tests.exams.factories import make_exam, positions
from tests.factories import EnterpriseFactory, UserFactory
from trainees.models import Position
from trainees.roles import Role

pytestmark = pytest.mark.django_db


def sit(exam, user, *, right: bool):
    attempt = svc.attempt_start(exam=exam, user=user)
    at = positions(attempt)
    for name, response in {"单选": 0, "多选": [0, 1], "判断": True, "填空": "AEO"}.items():
        svc.answer_save(
            attempt_id=attempt.pk, user=user, position=at[name], response=response if right else None, seq=1
        )
    return svc.attempt_submit(attempt=attempt)


def people(enterprise, n):
    return [
        UserFactory(enterprise=enterprise, position=Position.CUSTOMS_AFFAIRS, roles=[Role.ENTERPRISE_STAFF])
        for _ in range(n)
    ]


def test_passes_per_person_only_after_release_and_only_this_enterprise(django_assert_max_num_queries):
    enterprise, other = EnterpriseFactory(), EnterpriseFactory()
    exam = make_exam(essay=False)
    passer, failer = people(enterprise, 2)
    outsider = people(other, 1)[0]
    sit(exam, passer, right=True)
    sit(exam, failer, right=False)
    sit(exam, outsider, right=True)
    assert selectors.enterprise_exam_results(enterprise.pk) == {}  # not released yet
    svc.exam_results_release(exam=exam, user=UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    results = selectors.enterprise_exam_results(enterprise.pk)
    assert list(results) == [passer.pk]
    (passed,) = results[passer.pk]
    assert passed.exam_id == exam.pk and passed.audience == "enterprise" and passed.passed_on == timezone.localdate()
    assert Decimal(passed.score) == Decimal("100.00")


@pytest.mark.parametrize("size", [2, 6])
def test_query_count_is_constant(size, django_assert_max_num_queries):
    enterprise = EnterpriseFactory()
    exam = make_exam(essay=False)
    for user in people(enterprise, size):
        sit(exam, user, right=True)
    svc.exam_results_release(exam=exam, user=UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    with django_assert_max_num_queries(1):
        assert len(selectors.enterprise_exam_results(enterprise.pk)) == size


def test_release_issues_the_exam_certificate_once():
    from certificates.models import Certificate

    exam = make_exam(essay=False)
    passer, failer = people(EnterpriseFactory(), 2)
    sit(exam, passer, right=True)
    sit(exam, failer, right=False)
    officer = UserFactory(roles=[Role.CUSTOMS_OFFICER])
    svc.exam_results_release(exam=exam, user=officer)
    svc.exam_results_release(exam=exam, user=officer)
    (certificate,) = Certificate.objects.all()
    assert certificate.holder == passer and certificate.kind == "exam" and certificate.title_zh == exam.title_zh
