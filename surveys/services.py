"""Use cases of surveys (issue 17, point 1): make the survey of an event from its kind's default
template, invite the people who took part (called by the receivers of the domain signals of
`training_bases`, `live` and `courses`), e-mail invitations once a survey opens (through
`notices`), and record a response — once per person, anonymously when the survey says so."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notices.models import Notice
from notices.services import notices_create

from . import rules
from .models import (
    EventKind,
    ResponseReceipt,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyItem,
    SurveyResponse,
    SurveyTemplate,
)

LOCAL = ZoneInfo(settings.TIME_ZONE)

REFUSALS = {
    rules.ANSWERED: _("You have already answered this survey. Thank you!"),
    rules.NOT_OPEN: _("This survey opens when the event has ended."),
    rules.CLOSED: _("This survey is closed."),
}
PROBLEMS = {
    rules.MISSING: _("Please answer this question."),
    rules.NOT_A_SCORE: _("Choose a value from 1 to 5."),
    rules.TOO_LONG: _("Please keep the answer under 2,000 characters."),
}


class AnswersInvalid(ValidationError):
    """Some answers are missing or wrong: `problems` maps item id → message."""

    def __init__(self, problems: dict[int, str]):
        super().__init__(_("Some answers need your attention."), code="answers")
        self.problems = problems


# --- Surveys of events ------------------------------------------------------------------------


def default_template(event_kind: str) -> SurveyTemplate | None:
    return SurveyTemplate.objects.filter(event_kind=event_kind, is_default=True).first()


def _survey_create(*, template: SurveyTemplate, trainer_ids: list[int], **fields) -> Survey:
    """A survey with its own copy of the template's questions."""
    survey = Survey.objects.create(
        template=template,
        event_kind=template.event_kind,
        intro_zh=template.intro_zh,
        intro_en=template.intro_en,
        anonymous=template.anonymous,
        **fields,
    )
    SurveyItem.objects.bulk_create(
        SurveyItem(survey=survey, position=i, kind=q.kind, text_zh=q.text_zh, text_en=q.text_en, required=q.required)
        for i, q in enumerate(template.questions.order_by("sort_order", "pk"), start=1)
    )
    if trainer_ids:
        survey.trainers.set(trainer_ids)
    return survey


def _get_or_create(lookup: dict, make) -> Survey | None:
    """The event's survey, made once even when two people are credited at the same moment (the
    unique constraints decide; the loser reads the winner's survey)."""
    survey = Survey.objects.filter(**lookup).first()
    if survey is not None:
        return survey
    try:
        with transaction.atomic():
            return make()
    except IntegrityError:
        return Survey.objects.filter(**lookup).first()


def _course_trainer_ids(course_key) -> list[int]:
    from courses.models import CoursePage

    return sorted(
        set(
            CoursePage.trainers.through.objects.filter(coursepage__translation_key=course_key).values_list(
                "user_id", flat=True
            )
        )
    )


def survey_for_training_session(*, session_id: int) -> Survey | None:
    """The survey of a training session (opens when it ends), from the default template; None
    when no default template exists."""
    from training_bases.models import TrainingSession

    template = default_template(EventKind.TRAINING_SESSION)
    if template is None:
        return Survey.objects.filter(training_session_id=session_id).first()

    def make() -> Survey:
        session = TrainingSession.objects.select_related("base").get(pk=session_id)
        opens_at, closes_at = rules.survey_window(event_ends_at=session.ends_at, days_open=template.days_open)
        return _survey_create(
            template=template,
            trainer_ids=list(session.trainers.values_list("pk", flat=True)),
            title_zh=session.title_zh,
            title_en=session.title_en,
            training_session=session,
            event_date=timezone.localtime(session.ends_at, LOCAL).date(),
            base=session.base,
            customs_unit_id=session.base.customs_unit_id,
            opens_at=opens_at,
            closes_at=closes_at,
        )

    return _get_or_create({"training_session_id": session_id}, make)


def survey_for_live_session(*, session_id: int) -> Survey | None:
    """The survey of a live observation session (national: no district), opening at its end."""
    from live.models import LiveSession

    template = default_template(EventKind.LIVE_SESSION)
    if template is None:
        return Survey.objects.filter(live_session_id=session_id).first()

    def make() -> Survey:
        session = LiveSession.objects.get(pk=session_id)
        opens_at, closes_at = rules.survey_window(event_ends_at=session.ends_at, days_open=template.days_open)
        return _survey_create(
            template=template,
            trainer_ids=_course_trainer_ids(session.course_key),
            title_zh=session.title,
            title_en=session.title_en,
            live_session=session,
            course_key=session.course_key,
            event_date=timezone.localtime(session.ends_at, LOCAL).date(),
            opens_at=opens_at,
            closes_at=closes_at,
        )

    return _get_or_create({"live_session_id": session_id}, make)


def survey_for_course(*, course_key: uuid.UUID | str, completed_on: dt.date) -> Survey | None:
    """The survey of a course's completions in the month of `completed_on` (national)."""
    from courses.models import CoursePage

    template = default_template(EventKind.COURSE)
    month = rules.cohort_month(completed_on)
    lookup = {"event_kind": EventKind.COURSE, "course_key": course_key, "cohort_month": month}
    if template is None:
        return Survey.objects.filter(**lookup).first()

    def make() -> Survey:
        titles = dict(
            CoursePage.objects.filter(translation_key=course_key).values_list("locale__language_code", "title")
        )
        opens_at, closes_at = rules.cohort_window(month=month, days_open=template.days_open, tz=LOCAL)
        return _survey_create(
            template=template,
            trainer_ids=_course_trainer_ids(course_key),
            title_zh=titles.get("zh-hans") or next(iter(titles.values()), str(course_key)),
            title_en=titles.get("en", ""),
            course_key=course_key,
            cohort_month=month,
            event_date=month,
            opens_at=opens_at,
            closes_at=closes_at,
        )

    return _get_or_create(lookup, make)


# --- Invitations --------------------------------------------------------------------------------


def invitation_create(*, survey: Survey, user_id: int, now: dt.datetime | None = None) -> SurveyInvitation:
    """Invite a participant (idempotent: one invitation per person per survey). The e-mail goes
    out with the next `send_invitations` run once the survey is open (`invitations_notify`)."""
    from trainees.models import User

    now = now or timezone.now()
    existing = SurveyInvitation.objects.filter(survey=survey, user_id=user_id).first()
    if existing is not None:
        return existing
    enterprise_id = User.objects.filter(pk=user_id).values_list("enterprise_id", flat=True).first()
    days_open = survey.template.days_open if survey.template_id else rules.DEFAULT_DAYS_OPEN
    closes_at = (
        rules.personal_deadline(survey_closes_at=survey.closes_at, invited_at=now, days_open=days_open)
        if survey.event_kind == EventKind.COURSE
        else survey.closes_at
    )
    try:
        with transaction.atomic():
            return SurveyInvitation.objects.create(
                survey=survey, user_id=user_id, enterprise_id=enterprise_id, closes_at=closes_at
            )
    except IntegrityError:
        return SurveyInvitation.objects.get(survey=survey, user_id=user_id)


def invitations_notify(*, now: dt.datetime | None = None) -> int:
    """E-mail (through notices) every invitation whose survey has opened, is still open for the
    person and was not told yet; returns how many. Idempotent: each is claimed by `notified_at`."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            SurveyInvitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(notified_at__isnull=True, survey__opens_at__lte=now, survey__closes_at__gt=now, closes_at__gt=now)
            .exclude(Exists(ResponseReceipt.objects.filter(survey=OuterRef("survey"), user=OuterRef("user"))))
            .order_by("pk")[:1000]
        )
        if not due:
            return 0
        SurveyInvitation.objects.filter(pk__in=[i.pk for i in due]).update(notified_at=now)
        notices_create(instances=due, kind=Notice.Kind.CONFIRMATION)
    return len(due)


# --- Responses ----------------------------------------------------------------------------------


def response_submit(*, survey_id: int, user, posted: dict[int, str], now: dt.datetime | None = None) -> SurveyResponse:
    """Record `user`'s answers (`posted`: item id → raw value) to a survey they were invited to.

    Raises SurveyInvitation.DoesNotExist when they were not invited (the caller answers 404),
    ValidationError with a refusal message when they already answered or the survey is not open,
    AnswersInvalid when answers are missing or wrong. An anonymous survey stores the answers
    with neither the person nor the time; the receipt that refuses a second response (database
    constraint) holds the person but nothing that leads to the answers."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("survey")
            .get(survey_id=survey_id, user=user)
        )
        survey = invitation.survey
        answered = ResponseReceipt.objects.filter(survey=survey, user=user).exists()
        refusal = rules.answer_refusal(
            now=now,
            opens_at=survey.opens_at,
            survey_closes_at=survey.closes_at,
            invitation_closes_at=invitation.closes_at,
            answered=answered,
        )
        if refusal is not None:
            raise ValidationError(REFUSALS[refusal], code=refusal)
        items = list(survey.items.all())
        checked = rules.check_answers(
            [rules.ItemSpec(id=i.pk, kind=i.kind, required=i.required) for i in items], posted
        )
        if checked.problems:
            raise AnswersInvalid({item_id: str(PROBLEMS[code]) for item_id, code in checked.problems.items()})
        try:
            with transaction.atomic():
                ResponseReceipt.objects.create(survey=survey, user=user)
        except IntegrityError as exc:  # answered at the same moment in another tab
            raise ValidationError(REFUSALS[rules.ANSWERED], code=rules.ANSWERED) from exc
        response = SurveyResponse.objects.create(
            survey=survey,
            anonymous=survey.anonymous,
            respondent=None if survey.anonymous else user,
            submitted_at=None if survey.anonymous else now,
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, item_id=item_id, score=score, text=text)
            for item_id, (score, text) in checked.values.items()
        )
    return response


# --- Reactions to other apps' events ----------------------------------------------------------


def participant_invite(*, event_kind: str, user_id: int | None, now: dt.datetime | None = None, **event) -> None:
    """Invite a participant to the survey of the event they took part in (from the receivers):
    `event` is session_id (training or live session) or course_key + completed_on."""
    if user_id is None:
        return
    if event_kind == EventKind.TRAINING_SESSION:
        survey = survey_for_training_session(session_id=event["session_id"])
    elif event_kind == EventKind.LIVE_SESSION:
        survey = survey_for_live_session(session_id=event["session_id"])
    else:
        survey = survey_for_course(course_key=event["course_key"], completed_on=event["completed_on"])
    if survey is not None:
        invitation_create(survey=survey, user_id=user_id, now=now)
