"""URL table rows of `live` (issue 12): session pages, registration, signed stream addresses,
heartbeats, Q&A, viewer counts, attendance report and export."""

from django.urls import reverse

from . import ENTERPRISE, GACC, OFFICER, OTHER_OFFICER, STAFF, TRAINER, Row, Rule, answers, only, signed_in

# Trainers and officers run live sessions (trainees.access.may_manage_live).
MANAGERS = (TRAINER, OFFICER, OTHER_OFFICER, GACC)


def _session(w):
    return {"session_id": w.live_session.pk}


def _stream_path(w):
    from live import streams

    venue = w.live_session.venues.first()
    grant = streams.StreamGrant(
        user_id=w.users[STAFF].pk, session_id=w.live_session.pk, venue_id=venue.pk, backup=False
    )
    return reverse("live:stream", kwargs={"token": streams.token_for(grant), "rest": streams.PLAYLIST_NAME})


ROWS = [
    Row("live:session_list", signed_in(200)),
    Row("live:watch", signed_in(200), kwargs=_session),
    Row("live:register", only(ENTERPRISE, 302), method="POST", kwargs=_session),
    Row("live:streams", only((STAFF, *MANAGERS)), kwargs=_session, api=True),
    Row(
        "live:heartbeat",
        only((STAFF,)),
        method="POST",
        kwargs=_session,
        api=True,
        data=lambda w: {"venue": w.live_session.venues.first().pk},
        note="only a registered viewer whose watch page opened is credited",
    ),
    Row(
        "live:replay_heartbeat",
        signed_in(403),
        method="POST",
        kwargs=_session,
        api=True,
        data={"played": [[0, 1]]},
        note="no replay opened in the demo world",
    ),
    Row("live:questions", only((STAFF, *MANAGERS)), kwargs=_session, api=True),
    Row(
        "live:questions",
        only((STAFF, *MANAGERS), 201),
        method="POST",
        kwargs=_session,
        api=True,
        data={"text": "访谈对象有哪些？"},
    ),
    Row("live:moderate", only(MANAGERS), kwargs=_session),
    Row(
        "live:moderate",
        only(MANAGERS, 302),
        method="POST",
        kwargs=_session,
        data=lambda w: {"question": w.live_question.pk, "answer": "企业负责人与关务人员。", "publish": "1"},
    ),
    Row("live:viewers", only(MANAGERS), kwargs=_session, api=True),
    Row("live:attendance", only(MANAGERS), kwargs=_session),
    Row("live:attendance_xlsx", only(MANAGERS), kwargs=_session),
    Row(
        "live:stream",
        answers(403, **{STAFF: 404}),
        path=_stream_path,
        note="the token serves only its viewer; the demo venue's upstream is closed (404)",
    ),
]

RULES = [
    Rule(r"^admin/live_sessions/", only(MANAGERS), "/admin/live_sessions/"),
]
