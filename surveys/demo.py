"""Demo data of surveys (issue 17, "Done means: surveys have responses"): a Shenzhen training
session that ended ten days ago whose anonymous survey three demo trainees answered (officers of
Shenzhen and GACC and its trainer see the results), and the survey of the ended live observation
session, open for compliance@demo.aeo to answer. Idempotent; nobody is e-mailed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trainees.models import TrainingType, User

from . import services
from .models import EventKind, ResponseReceipt, Survey, SurveyInvitation

TITLE_ZH = "AEO认证标准解读培训（深圳，已结束）"
TITLE_EN = "AEO criteria explained (Shenzhen, ended)"
# Likert answers per respondent (in question order) and their free text.
ANSWERS = [
    ([5, 5, 4, 4, 5, 5], "案例讲解很实用，希望增加内部控制的实操练习。"),
    ([4, 5, 4, 3, 4, 4], "Good examples; more time for questions, please."),
    ([4, 4, 5, 4, 4, 3], "场地很好，建议提前发放讲义。"),
]


def _past_session(trainer):
    from training_bases.models import Room, TrainingBase, TrainingSession

    base = TrainingBase.objects.filter(slug="shenzhen").first()
    room = Room.objects.filter(base=base).order_by("pk").first() if base else None
    if room is None:
        return None
    start = dt.datetime.combine(
        timezone.localdate() - dt.timedelta(days=10), dt.time(9, 0), tzinfo=timezone.get_current_timezone()
    )
    session, created = TrainingSession.objects.get_or_create(
        title_zh=TITLE_ZH,
        defaults={
            "title_en": TITLE_EN,
            "training_type": TrainingType.AEO_CERTIFICATION,
            "base": base,
            "room": room,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=8),
            "capacity": 30,
            "status": TrainingSession.Status.COMPLETED,
        },
    )
    if created and trainer is not None:
        session.trainers.add(trainer)
    return session


def _answer(survey: Survey, user, likert: list[int], text: str) -> None:
    if ResponseReceipt.objects.filter(survey=survey, user=user).exists():
        return
    items = list(survey.items.order_by("position"))
    scores = iter(likert)
    posted = {i.pk: (str(next(scores, 4)) if i.kind == "likert" else text) for i in items}
    services.response_submit(survey_id=survey.pk, user=user, posted=posted, now=survey.opens_at + dt.timedelta(days=1))


def seed(log) -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.aeo")}
    trainer = users.get("trainer@demo.aeo")
    participants = [users.get(e) for e in ("legal@demo.aeo", "compliance@demo.aeo", "manager@demo.aeo")]
    session = _past_session(trainer)
    if session is None or not all(participants):
        log("surveys: demo bases or trainees missing; skipped")
        return
    survey = services.survey_for_training_session(session_id=session.pk)
    if survey is None:
        log("surveys: no default template for training sessions; skipped")
        return
    for user, (likert, text) in zip(participants, ANSWERS, strict=True):
        services.invitation_create(survey=survey, user_id=user.pk, now=survey.opens_at)
        _answer(survey, user, likert, text)
    from live.models import LiveSession

    ended = LiveSession.objects.filter(title="认证现场验证直播观摩（回放）").first()
    if ended is not None:
        live_survey = services.survey_for_live_session(session_id=ended.pk)
        if live_survey is not None:
            services.invitation_create(survey=live_survey, user_id=participants[1].pk, now=live_survey.opens_at)
    # Demo addresses are made up: mark the invitations told so no job e-mails them later.
    SurveyInvitation.objects.filter(notified_at__isnull=True, user__email__endswith="@demo.aeo").update(
        notified_at=timezone.now()
    )
    log(
        f"surveys: {Survey.objects.count()} surveys, "
        f"{Survey.objects.filter(event_kind=EventKind.TRAINING_SESSION).first().responses.count()} responses to "
        f"“{TITLE_ZH}”; compliance@demo.aeo has an open survey at /surveys/"
    )
