"""Demo data for live observation (issue 12, "Done means"): a session on air today with three
venues playing the small ffmpeg-made HLS streams shipped in `static/live/demo/`
(`make_demo_streams.sh` re-creates them), and one ended session with a replay that a demo
trainee attended. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.templatetags.static import static
from django.utils import timezone

from courses.models import CoursePage
from courses.watchtime import watch_start
from lms.links import site_url
from trainees.demo import DEMO_ENTERPRISES
from trainees.models import User

from .models import LiveSession, Registration, Venue

VENUES = (
    ("单证审核室", "Document review room", "venue1"),
    ("人员访谈室", "Interview room", "venue2"),
    ("生产仓储现场", "Production and warehouse site", "venue3"),
)


def _stream(folder: str) -> str:
    return site_url(static(f"live/demo/{folder}/index.m3u8"))


# The demo enterprise whose validation is shown (its name as `trainees.demo` registers it).
OBSERVED_ENTERPRISE = DEMO_ENTERPRISES[0][1]


def _session(title: str, *, title_en: str, course_key, starts_at, ends_at, replay_url: str = "") -> LiveSession:
    session, _created = LiveSession.objects.update_or_create(
        title=title,
        defaults={
            "title_en": title_en,
            "course_key": course_key,
            "description": "海关验证组对示范企业开展认证现场验证：单证审核、人员访谈、现场检查三个会场同步直播。",
            "description_en": (
                "A customs validation team validates the demo enterprise on site: document review, "
                "interviews and site inspection, streamed live from three venues at once."
            ),
            "observed_enterprise": OBSERVED_ENTERPRISE,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "capacity": 200,
            "consent_given": True,
            "consent_reference": "现场验证直播同意书 2026-017",
            "consent_recorded_at": starts_at - dt.timedelta(days=7),
            "is_published": True,
            "replay_url": replay_url,
        },
    )
    for order, (name, name_en, folder) in enumerate(VENUES):
        Venue.objects.update_or_create(
            session=session,
            name=name,
            defaults={"name_en": name_en, "stream_url": _stream(folder), "sort_order": order},
        )
    return session


def seed(log) -> None:
    course = CoursePage.objects.filter(requires_live_observation=True).first()
    if course is None:
        log("live: no course requiring live observation; skipped")
        return
    now = timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    live = _session(
        "认证现场验证直播观摩（三会场）",
        title_en="Live observation of a certification validation (three venues)",
        course_key=course.translation_key,
        starts_at=min(now - dt.timedelta(minutes=5), today + dt.timedelta(hours=8)),
        ends_at=today + dt.timedelta(hours=23, minutes=59),
    )
    ended = _session(
        "认证现场验证直播观摩（回放）",
        title_en="Live observation of a certification validation (replay)",
        course_key=course.translation_key,
        starts_at=today - dt.timedelta(days=7) + dt.timedelta(hours=9),
        ends_at=today - dt.timedelta(days=7) + dt.timedelta(hours=10),
        replay_url=_stream("venue1"),
    )
    trainee = User.objects.filter(email="compliance@demo.aeo").first()
    if trainee is not None and trainee.enterprise_id:
        Registration.objects.get_or_create(session=live, user=trainee, defaults={"enterprise": trainee.enterprise})
        registration, _created = Registration.objects.get_or_create(
            session=ended, user=trainee, defaults={"enterprise": trainee.enterprise}
        )
        if registration.attended_at is None:
            # An hour's session attended for 52 minutes (measured by the server at the time).
            from courses.models import WatchTime

            watch_start(user_id=trainee.pk, watchable=ended.watchable, now=ended.starts_at)
            WatchTime.objects.filter(user=trainee, watchable=ended.watchable).update(
                ranges=[[0, 3120]], seconds=3120, last_beat_at=ended.ends_at
            )
            Registration.objects.filter(pk=registration.pk).update(
                attended_at=ended.starts_at + dt.timedelta(minutes=48), attended_seconds=2880
            )
    log(f"live: {LiveSession.objects.count()} sessions")
