"""Surveys for tests: the survey of a training session (from the default template), opened now
with the given people invited, and helpers to answer it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from surveys import services
from surveys.models import Survey


def open_survey_for(session, people, *, anonymous: bool | None = None) -> Survey:
    """The session's survey, moved to have opened a day ago (closing in 14 days), everyone in
    `people` invited."""
    survey = services.survey_for_training_session(session_id=session.pk)
    now = timezone.now()
    fields = {"opens_at": now - dt.timedelta(days=1), "closes_at": now + dt.timedelta(days=14)}
    if anonymous is not None:
        fields["anonymous"] = anonymous
    Survey.objects.filter(pk=survey.pk).update(**fields)
    survey.refresh_from_db()
    for person in people:
        services.invitation_create(survey=survey, user_id=person.pk, now=now)
    return survey


def answers(survey: Survey, likert: int = 4, text: str = "很有帮助") -> dict[int, str]:
    """A complete set of answers (every Likert item `likert`, every text item `text`)."""
    return {i.pk: (str(likert) if i.kind == "likert" else text) for i in survey.items.all()}


def form_data(survey: Survey, likert: int = 4, text: str = "很有帮助") -> dict[str, str]:
    return {f"item-{k}": v for k, v in answers(survey, likert, text).items()}
