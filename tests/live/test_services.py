"""Registration, server-measured attendance, course credit, replays, Q&A, notices and the
readiness selector (issue 12, points 2, 4, 5 and 6; "Bad input")."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses.models import Enrolment, ItemProgress, WatchTime
from courses.services import enrolment_create
from live import selectors, services
from live.models import Registration
from notices.models import Notice
from tests.cache import clear_cache
from tests.courses.factories import course
from tests.factories import EnterpriseStaffFactory, UserFactory
from trainees.models import CultivationStatus

from .factories import T0, live_session

pytestmark = pytest.mark.django_db

BEFORE = T0 - dt.timedelta(hours=1)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def registered(session, user=None, now=BEFORE):
    user = user or EnterpriseStaffFactory()
    services.registration_create(session_id=session.pk, user=user, now=now)
    return user


def test_register_records_a_confirmation_with_the_invitation():
    session = live_session()
    user = registered(session)
    registration = Registration.objects.get(session=session, user=user)
    assert registration.enterprise_id == user.enterprise_id
    notice = Notice.objects.get(recipient=user)
    assert notice.kind == Notice.Kind.CONFIRMATION
    # Registering again changes nothing.
    services.registration_create(session_id=session.pk, user=user, now=BEFORE)
    assert Registration.objects.filter(session=session).count() == 1
    assert Notice.objects.filter(recipient=user).count() == 1


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("full", "full"),
        ("late", "closed"),
        ("blocked", "blocked"),
        ("terminated", "blocked"),
        ("no_enterprise", "no_enterprise"),
        ("early", "not_open"),
    ],
)
def test_registration_refusals_in_the_users_language(setup, message):
    session = live_session(capacity=1, registration_closes_at=T0 - dt.timedelta(minutes=30))
    user = EnterpriseStaffFactory()
    now = BEFORE
    if setup == "full":
        registered(session)
    elif setup == "late":
        now = T0 - dt.timedelta(minutes=30)
    elif setup == "blocked":
        user.enterprise.cultivation_status = CultivationStatus.SUSPENDED
        user.enterprise.save()
    elif setup == "terminated":
        user.enterprise.cultivation_status = CultivationStatus.TERMINATED
        user.enterprise.save()
    elif setup == "no_enterprise":
        user = UserFactory()
    elif setup == "early":
        session.registration_opens_at = BEFORE + dt.timedelta(minutes=1)
        session.save()
    with pytest.raises(ValidationError) as exc:
        services.registration_create(session_id=session.pk, user=user, now=now)
    assert exc.value.code == message
    assert exc.value.messages == [str(services.REGISTRATION_ERRORS[message])]
    assert not Registration.objects.filter(session=session, user=user).exists()


def _watch(session, user, start=0.0):
    services.viewer_start(session=session, user_id=user.pk, now=at(start))


def test_heartbeats_credit_server_time_inside_the_schedule_only():
    session = live_session(minutes=10)
    user = registered(session)
    _watch(session, user, start=-30)  # the page opened before the start
    beat = services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(2))
    assert beat.seconds == 2  # only the seconds after the start
    beat = services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(4))
    assert beat.seconds == 4
    # Twice in one window (another tab): refused, nothing recorded.
    with pytest.raises(ValidationError) as exc:
        services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(4.5))
    assert exc.value.code == "duplicate"
    assert WatchTime.objects.get(user=user, watchable=session.watchable).seconds == 4
    # A reconnect after a gap: the gap is not credited (window of 2 s in tests).
    beat = services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(60))
    assert beat.seconds == 6
    # Outside the schedule: refused.
    with pytest.raises(ValidationError) as exc:
        services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(10 * 60 + 30))
    assert exc.value.code == "outside"


def test_heartbeat_without_registration_is_refused():
    session = live_session()
    stranger = EnterpriseStaffFactory()
    with pytest.raises(PermissionDenied):
        services.live_heartbeat(session_id=session.pk, user_id=stranger.pk, venue_id=None, now=at(10))
    assert not WatchTime.objects.filter(user=stranger).exists()


def _watch_whole(session, user, seconds: int, step: int = 2):
    _watch(session, user)
    for t in range(step, seconds + 1, step):
        services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(t))


def test_reaching_the_threshold_records_attendance_and_completes_the_course_item():
    page = course("live-course", lessons=(), requires_live_observation=True)
    session = live_session(minutes=1, course_key=page.translation_key, threshold_percent=50)
    user = registered(session)
    enrolment_create(user=user, course=page)
    _watch_whole(session, user, 28)
    assert Registration.objects.get(user=user).attended_at is None
    services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(30))
    registration = Registration.objects.get(user=user)
    assert registration.attended_at == at(30)
    item = ItemProgress.objects.get(enrolment__user=user, item="live")
    assert item.evidence == f"live:{session.pk}"
    assert Enrolment.objects.get(user=user).completed_at is not None


def test_replay_is_progress_not_attendance():
    session = live_session(minutes=1, replay_url="https://media.example.com/replay/index.m3u8")
    user = registered(session)
    services.replay_start(session=session, user_id=user.pk, now=at(3600))
    from courses.watchtime import watch_heartbeat

    beat = watch_heartbeat(user_id=user.pk, watchable=session.replay_watchable, played=[[0, 2]], now=at(3602))
    assert beat.seconds == 2
    assert Registration.objects.get(user=user).attended_at is None
    assert selectors.enterprise_live_attendance(user.enterprise_id) == {}


def test_enterprise_live_attendance_per_person(django_assert_max_num_queries):
    session = live_session(minutes=1, threshold_percent=50)
    other_session = live_session(starts_at=T0 + dt.timedelta(days=1), minutes=1, title="第二场")
    first = registered(session)
    colleague = EnterpriseStaffFactory(enterprise=first.enterprise)
    registered(session, colleague)
    outsider = registered(session)
    for user in (first, outsider):
        _watch_whole(session, user, 40)
    _watch_whole(session, colleague, 10)  # below the threshold
    with django_assert_max_num_queries(2):
        result = selectors.enterprise_live_attendance(first.enterprise_id)
    assert list(result) == [first.pk]
    (row,) = result[first.pk]
    assert (row.session_id, row.title, row.minutes, row.date) == (session.pk, session.title, 0.7, dt.date(2026, 6, 1))
    assert other_session.pk not in [r.session_id for rows in result.values() for r in rows]


def test_attendance_report_query_count_is_constant(django_assert_num_queries):
    session = live_session(minutes=1, capacity=100)
    for n in (3, 12):
        while Registration.objects.filter(session=session).count() < n:
            _watch_whole(session, registered(session), 4)
        with django_assert_num_queries(3):
            rows = selectors.attendance_report(session=session, registrations=Registration.objects.all())
        assert len(rows) == n
        assert {r.minutes for r in rows} == {0.1}
        assert not any(r.attended for r in rows)


def test_the_attendance_report_shows_replay_minutes_apart_from_attendance():
    """Point 6: a replay counts as learning progress (its minutes are reported) but never as
    live attendance."""
    from courses.watchtime import watch_heartbeat

    session = live_session(minutes=1, threshold_percent=50, replay_url="https://media.example.com/r/index.m3u8")
    live_viewer, replay_viewer = registered(session), registered(session)
    _watch_whole(session, live_viewer, 40)
    services.replay_start(session=session, user_id=replay_viewer.pk, now=at(3600))
    for t in range(2, 61, 2):  # one beat per window (2 s in tests), a minute of the replay
        watch_heartbeat(
            user_id=replay_viewer.pk, watchable=session.replay_watchable, played=[[t - 2, t]], now=at(3600 + t)
        )
    rows = {
        r.user_id: r for r in selectors.attendance_report(session=session, registrations=Registration.objects.all())
    }
    assert (rows[live_viewer.pk].minutes, rows[live_viewer.pk].attended, rows[live_viewer.pk].replay_minutes) == (
        0.7,
        True,
        0.0,
    )
    assert (rows[replay_viewer.pk].minutes, rows[replay_viewer.pk].attended) == (0.0, False)
    assert rows[replay_viewer.pk].replay_minutes == 1.0


def test_viewer_counts_per_venue():
    session = live_session(minutes=10)
    venues = list(session.venues.all())
    import time

    users = [registered(session) for _ in range(3)]
    now = dt.datetime.fromtimestamp(time.time(), tz=dt.UTC)
    session.starts_at = now - dt.timedelta(minutes=1)
    session.ends_at = now + dt.timedelta(minutes=9)
    session.save()
    for user, venue in zip(users, [venues[0], venues[0], venues[2]], strict=True):
        services.viewer_start(session=session, user_id=user.pk, now=now - dt.timedelta(seconds=5))
        services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=venue.pk, now=now)
    counts = services.viewer_counts(session_id=session.pk, venue_ids=[v.pk for v in venues])
    assert counts == {venues[0].pk: 2, venues[1].pk: 0, venues[2].pk: 1}


def test_moved_schedule_sends_a_change_notice_with_a_higher_sequence():
    session = live_session()
    user = registered(session)
    session.starts_at += dt.timedelta(hours=1)
    session.ends_at += dt.timedelta(hours=1)
    session.save()
    services.session_changed(session=session, schedule_moved=True, cancelled_now=False)
    session.refresh_from_db()
    assert session.ics_sequence == 1
    assert list(Notice.objects.filter(recipient=user).values_list("kind", flat=True).order_by("pk")) == [
        Notice.Kind.CONFIRMATION,
        Notice.Kind.CHANGE,
    ]


def test_questions_are_private_until_answered_and_published():
    session = live_session()
    asker = registered(session)
    trainer = UserFactory()
    with pytest.raises(ValidationError):
        services.question_ask(session=session, user=asker, text="   ")
    question = services.question_ask(session=session, user=asker, text="单证审核看哪些资料？")
    assert question.published_at is None
    with pytest.raises(ValidationError):
        services.question_answer(question_id=question.pk, session=session, user=trainer, answer="", publish=True)
    question = services.question_answer(
        question_id=question.pk, session=session, user=trainer, answer="进出口单证与内控制度。", publish=True
    )
    assert question.published_at is not None


@pytest.mark.parametrize(
    "text",
    [
        "现场检查时请联系我 138 0013 8000",  # a phone number, in groups
        "我们{enterprise}的单证怎么准备？",  # the asker's enterprise
        "我是{name}，想问单证审核的重点",  # the asker's own name
        "资料发到 a@b.cn 可以吗？",
    ],
)
def test_a_question_with_personal_data_is_refused_and_not_recorded(text):
    """Questions are shown to every viewer once answered: the one personal-data check of
    published text (consultations.rules.personal_data_refusal) refuses them, in Chinese."""
    from django.utils import translation

    session = live_session()
    asker = registered(session)
    text = text.format(enterprise=asker.enterprise.name_zh, name=asker.get_full_name())
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.question_ask(session=session, user=asker, text=text)
    assert exc.value.code == "personal_data"
    assert "个人信息" in exc.value.messages[0]
    assert not session.questions.exists()


def test_the_observed_enterprise_may_be_named_in_a_question():
    session = live_session()
    asker = registered(session)
    question = services.question_ask(session=session, user=asker, text=f"{session.observed_enterprise}的仓库怎么管？")
    assert question.pk


def test_an_answer_with_personal_data_is_not_published():
    session = live_session()
    asker = registered(session)
    trainer = UserFactory()
    question = services.question_ask(session=session, user=asker, text="单证审核看哪些资料？")
    answer = f"请{asker.get_full_name()}把身份证号 110101199003071234 发给我。"
    with pytest.raises(ValidationError) as exc:
        services.question_answer(question_id=question.pk, session=session, user=trainer, answer=answer, publish=True)
    assert exc.value.error_list[0].code == "personal_data"
    question.refresh_from_db()
    assert (question.answer, question.published_at) == ("", None)
    # A draft is kept unpublished; once cleaned it publishes.
    services.question_answer(question_id=question.pk, session=session, user=trainer, answer=answer, publish=False)
    assert session.questions.get().answer == answer
    services.question_answer(
        question_id=question.pk, session=session, user=trainer, answer="请带齐身份证件。", publish=True
    )
    assert session.questions.get().published_at is not None


def test_a_question_recorded_with_personal_data_cannot_be_published():
    from live.models import Question

    session = live_session()
    asker = registered(session)
    question = Question.objects.create(session=session, user=asker, text="电话 13800138000 能打吗")
    with pytest.raises(ValidationError):
        services.question_answer(
            question_id=question.pk, session=session, user=UserFactory(), answer="不行。", publish=True
        )
    assert session.questions.get().published_at is None


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Live validation observation"), ("zh-hans", "现场验证直播观摩")]
)
def test_invitation_reminder_and_change_notice_in_the_recipients_language(
    language, title, mailoutbox, django_capture_on_commit_callbacks
):
    """Point 2: registering e-mails an iCal invitation, the shared reminder job reminds before
    the start and a moved schedule sends a change notice with a higher SEQUENCE — each titled in
    the recipient's language (the English title for English readers)."""
    from icalendar import Calendar

    from notices.tasks import send_reminders

    session = live_session(title="现场验证直播观摩", title_en="Live validation observation")
    user = EnterpriseStaffFactory(language=language)
    with django_capture_on_commit_callbacks(execute=True):
        registered(session, user)
    (invitation,) = mailoutbox
    assert title in invitation.subject + invitation.body
    (ics,) = [a for a in invitation.attachments if a[0].endswith(".ics")]
    (event,) = Calendar.from_ical(ics[1]).walk("VEVENT")
    assert str(event["SUMMARY"]) == title and int(event["SEQUENCE"]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now_iso=(T0 - dt.timedelta(days=1)).isoformat()) == 1
        assert send_reminders(now_iso=(T0 - dt.timedelta(hours=20)).isoformat()) == 0  # once per start
    assert len(mailoutbox) == 2 and title in mailoutbox[1].subject + mailoutbox[1].body
    session.starts_at += dt.timedelta(hours=1)
    session.ends_at += dt.timedelta(hours=1)
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_changed(session=session, schedule_moved=True, cancelled_now=False)
    change = mailoutbox[2]
    (ics,) = [a for a in change.attachments if a[0].endswith(".ics")]
    (event,) = Calendar.from_ical(ics[1]).walk("VEVENT")
    assert str(event["SUMMARY"]) == title and int(event["SEQUENCE"]) == 1


def test_attendance_before_enrolling_completes_the_course_item_on_enrolment(django_capture_on_commit_callbacks):
    """Attended sessions count towards course completion whichever came first: attending live,
    or enrolling in the session's course."""
    page = course("live-first", lessons=(), requires_live_observation=True)
    session = live_session(minutes=1, course_key=page.translation_key, threshold_percent=50)
    user = registered(session)
    _watch_whole(session, user, 40)
    assert Registration.objects.get(user=user).attended_at is not None
    assert not ItemProgress.objects.filter(enrolment__user=user).exists()  # not enrolled then
    bystander = registered(session)  # registered, never watched
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=user, course=page)
        enrolment_create(user=bystander, course=page)
    item = ItemProgress.objects.get(enrolment__user=user, item="live")
    assert item.evidence == f"live:{session.pk}"
    assert Enrolment.objects.get(user=user).completed_at is not None
    assert not ItemProgress.objects.filter(enrolment__user=bystander).exists()


def test_a_cancelled_session_credits_no_more_heartbeats():
    session = live_session(minutes=10)
    user = registered(session)
    _watch(session, user)
    services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(2))
    session.cancelled = True
    session.save()
    services.session_changed(session=session, schedule_moved=False, cancelled_now=True)
    with pytest.raises(ValidationError) as exc:
        services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(4))
    assert exc.value.code == "outside"
    assert WatchTime.objects.get(user=user, watchable=session.watchable).seconds == 2


def test_a_heartbeat_runs_two_sql_statements(django_assert_num_queries):
    """Point 5 / speed: the schedule comes from the cache; one read and one conditional write."""
    session = live_session(minutes=10)
    user = registered(session)
    _watch(session, user)
    services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=None, now=at(2))  # caches the schedule
    venue = session.venues.first()
    with django_assert_num_queries(2):
        beat = services.live_heartbeat(session_id=session.pk, user_id=user.pk, venue_id=venue.pk, now=at(4))
    assert beat.seconds == 4
