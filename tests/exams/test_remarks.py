"""A candidate's request for a re-mark (issue 14 point 7): asked once the results are released,
for hand-marked answers; a second marker re-marks; the request closes; audited."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from exams.models import RemarkRequest
from exams.services import attempts as svc
from tests.exams.factories import make_exam, positions
from tests.factories import UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db


def test_remark_asked_then_made_by_a_second_marker(client):
    exam = make_exam()
    candidate = UserFactory(roles=[Role.ENTERPRISE_STAFF])
    attempt = svc.attempt_start(exam=exam, user=candidate)
    where = positions(attempt)
    svc.answer_save(attempt_id=attempt.pk, user=candidate, position=where["案例"], response="分析", seq=1)
    svc.answer_save(attempt_id=attempt.pk, user=candidate, position=where["填空"], response="AEO", seq=1)
    attempt = svc.attempt_submit(attempt=attempt)
    essay = attempt.answers.get(position=where["案例"])
    first, second = UserFactory(roles=[Role.TRAINER]), UserFactory(roles=[Role.TRAINER])
    svc.answer_mark(answer=essay, marker=first, points=Decimal("0.5"))
    client.force_login(candidate)
    review = reverse("exams:review", args=[attempt.pk])
    assert 'id="remark-ask"' not in client.get(review).content.decode()  # results not released
    response = client.post(reverse("exams:remark_ask", args=[attempt.pk]), {"reason": "请复核"}, follow=True)
    assert "once the results are released" in response.content.decode() and not RemarkRequest.objects.exists()
    svc.exam_results_release(exam=exam, user=UserFactory(is_superuser=True))
    assert 'id="remark-ask"' in client.get(review).content.decode()
    assert client.post(reverse("exams:remark_ask", args=[attempt.pk]), {"reason": ""}).status_code == 302
    assert not RemarkRequest.objects.exists()  # a reason is needed
    client.post(reverse("exams:remark_ask", args=[attempt.pk]), {"reason": "论证部分请复核"})
    request = RemarkRequest.objects.get(attempt=attempt)
    assert request.state == "open"
    response = client.post(reverse("exams:remark_ask", args=[attempt.pk]), {"reason": "再次"}, follow=True)
    assert "already been asked" in response.content.decode()
    # another candidate cannot ask for this attempt (404)
    client.force_login(UserFactory(roles=[Role.ENTERPRISE_STAFF]))
    assert client.post(reverse("exams:remark_ask", args=[attempt.pk]), {"reason": "x"}).status_code == 404
    # the first marker does not see it in the re-mark list, a second marker does
    client.force_login(first)
    assert f'data-remark="{essay.pk}"' not in client.get(reverse("exams:marking")).content.decode()
    client.force_login(second)
    assert f'data-remark="{essay.pk}"' in client.get(reverse("exams:marking")).content.decode()
    client.post(reverse("exams:mark", args=[essay.pk]), {"points": "2", "comment": "复核后加分", "remark": "1"})
    request.refresh_from_db()
    attempt.refresh_from_db()
    assert request.state == "done" and request.done_at is not None
    assert attempt.score == Decimal("4")  # fill-in 2 + essay re-marked 2
    actions = set(ModelLogEntry.objects.filter(object_id=str(attempt.pk)).values_list("action", flat=True))
    assert {"exams.remark_request", "exams.remark_done", "exams.mark"} <= actions
