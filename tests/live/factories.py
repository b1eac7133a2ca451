"""Live sessions for tests: a published session with three venues around a given time."""

from __future__ import annotations

import datetime as dt
import uuid

from live.models import LiveSession, Venue

T0 = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai


def live_session(*, starts_at=T0, minutes: int = 10, capacity: int = 50, course_key=None, **fields) -> LiveSession:
    session = LiveSession.objects.create(
        course_key=course_key or uuid.uuid4(),
        title=fields.pop("title", "AEO 认证现场验证观摩"),
        observed_enterprise=fields.pop("observed_enterprise", "苏州示范企业有限公司"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        capacity=capacity,
        consent_given=fields.pop("consent_given", True),
        is_published=fields.pop("is_published", True),
        **fields,
    )
    for i, name in enumerate(("单证审核", "人员访谈", "现场检查")):
        Venue.objects.create(
            session=session,
            name=name,
            stream_url=f"https://media.example.com/v{i}/index.m3u8",
            backup_url=f"https://backup.example.com/v{i}/index.m3u8",
            sort_order=i,
        )
    return session
