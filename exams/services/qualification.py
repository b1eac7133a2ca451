"""Validator qualification (issue 14 point 9): situational interviews recorded by officers, and
the three parts read together."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import rules
from ..models import Attempt, InterviewScore, SituationalInterview


def interview_record(
    *,
    candidate,
    held_on: dt.date,
    rubric: dict[str, int],
    sheets: list[tuple[object, dict[str, int], str]],
    recorded_by,
    pass_mark: Decimal = Decimal(60),
) -> SituationalInterview:
    """Record a situational interview: `rubric` criterion → maximum; `sheets` (interviewer,
    criterion → score, comment), two different interviewers, neither the candidate. Every score
    must be within its criterion's range. Raises ValidationError; audited."""
    from trainees.roles import Role

    if not candidate.has_role(Role.VALIDATOR_CANDIDATE):
        raise ValidationError(_("Only validator candidates have a situational interview."))
    if not rubric or any(int(top) <= 0 for top in rubric.values()):
        raise ValidationError(_("The rubric needs criteria with positive maximum scores."))
    interviewers = [sheet[0].pk for sheet in sheets]
    if len(set(interviewers)) != rules.INTERVIEWERS_NEEDED or candidate.pk in interviewers:
        raise ValidationError(_("Two different interviewers, other than the candidate, score the interview."))
    for _who, scores, _comment in sheets:
        for name, top in rubric.items():
            value = scores.get(name)
            if not isinstance(value, (int, float, Decimal)) or not 0 <= value <= int(top):
                raise ValidationError(_("A score for “%(c)s” is missing or out of range.") % {"c": name})
    verdict = rules.interview_verdict(rubric, [s[1] for s in sheets], pass_mark=pass_mark)
    with transaction.atomic():
        interview = SituationalInterview.objects.create(
            candidate=candidate, held_on=held_on, rubric=rubric, pass_mark=pass_mark, recorded_by=recorded_by
        )
        InterviewScore.objects.bulk_create(
            InterviewScore(interview=interview, interviewer=who, scores=scores, comment=comment)
            for who, scores, comment in sheets
        )
        log(interview, "exams.interview", user=recorded_by, data={"passed": verdict.passed})
        validator_certify(user=candidate)
    return interview


def validator_qualification(*, user) -> dict:
    """The three parts of a validator candidate's qualification and the verdict (five queries):
    {"qualified": bool, "reasons": [str], "field_training": bool, "interview": Verdict | None,
    "interview_record": SituationalInterview | None, "exam_passed": bool}. Field training: a
    training-session seat whose attendance is complete, or a completed course (its certificate);
    interview: the latest recorded; exam: a graded, passed, released validator exam."""
    from certificates.models import Certificate
    from training_bases.selectors import my_bookings

    field_training = any(b.tally.completed for b in my_bookings(user=user)) or (
        Certificate.objects.filter(holder=user, kind="course", status="valid").exists()
    )
    interview = SituationalInterview.objects.filter(candidate=user).prefetch_related("scores__interviewer").first()
    verdict = (
        rules.interview_verdict(
            interview.rubric, [s.scores for s in interview.scores.all()], pass_mark=interview.pass_mark
        )
        if interview
        else None
    )
    exam_passed = Attempt.objects.filter(
        user=user,
        exam__audience="validator",
        state=Attempt.State.GRADED,
        passed=True,
        exam__results_released_at__isnull=False,
    ).exists()
    result = rules.validator_qualified(field_training=field_training, interview=verdict, exam_passed=exam_passed)
    return {
        "qualified": result.passed,
        "reasons": result.reasons,
        "field_training": field_training,
        "interview": verdict,
        "interview_record": interview,
        "exam_passed": exam_passed,
    }


def validator_certify(*, user):
    """Issue the validator qualification certificate when all three parts pass (idempotent,
    `certificates.services.certificate_issue`). Returns the certificate or None."""
    from certificates.services import certificate_issue

    if not validator_qualification(user=user)["qualified"]:
        return None
    return certificate_issue(
        holder=user,
        kind="validator",
        subject="validator",
        title_zh="AEO 验证员资格",
        title_en="AEO validator qualification",
    )
