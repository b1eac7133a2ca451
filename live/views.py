"""Live observation pages and JSON endpoints (issue 12). Thin: every view decides at its top who
may see it (trainees.access), then calls a service or selector."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import watchtime
from lms.exports import Sheet, response
from trainees.access import (
    live_registrations_visible_to,
    live_sessions_visible_to,
    may_manage_live,
    may_register_live,
    may_use_stream_token,
    may_watch_live,
)

from . import selectors, services, streams
from .models import LiveSession, Question, Registration, Venue


def _session(user, session_id: int) -> LiveSession:
    return get_object_or_404(live_sessions_visible_to(user, LiveSession.objects.all()), pk=session_id)


def _registered(user, session: LiveSession) -> bool:
    return Registration.objects.filter(session=session, user_id=user.pk).exists()


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _stream_urls(request, session: LiveSession) -> dict:
    """Fresh signed addresses for this viewer: per venue, primary and backup; and the replay."""

    def url(venue_id: int, backup: bool) -> str:
        grant = streams.StreamGrant(user_id=request.user.pk, session_id=session.pk, venue_id=venue_id, backup=backup)
        return reverse("live:stream", kwargs={"token": streams.token_for(grant), "rest": streams.PLAYLIST_NAME})

    venues = [
        {
            "id": v.pk,
            "name": v.localized_name,
            "primary": url(v.pk, False),
            "backup": url(v.pk, True) if v.backup_url else "",
        }
        for v in session.venues.all()
    ]
    replay = url(streams.REPLAY, False) if session.replay_url else ""
    return {"venues": venues, "replay": replay, "expires_in": services.stream_url_seconds()}


@require_GET
@login_required
def session_list(request):
    sessions = live_sessions_visible_to(request.user, LiveSession.objects.all()).order_by("-starts_at")
    mine = set(Registration.objects.filter(user_id=request.user.pk).values_list("session_id", flat=True))
    return render(request, "live/session_list.html", {"sessions": sessions, "mine": mine})


@require_GET
@login_required
def watch(request, session_id: int):
    """The session page: details and registration for everyone who may see it; the player, the
    Q&A and the watermark for registered viewers (and those who run it)."""
    session = _session(request.user, session_id)
    registered = _registered(request.user, session)
    status = session.status
    can_watch = may_watch_live(request.user, registered=registered) and status != LiveSession.Status.CANCELLED
    if can_watch and registered and status == LiveSession.Status.LIVE:
        services.viewer_start(session=session, user_id=request.user.pk)
    if can_watch and registered and status == LiveSession.Status.REPLAY:
        services.replay_start(session=session, user_id=request.user.pk)
    enterprise = request.user.enterprise
    context = {
        "session": session,
        "status": status,
        "registered": registered,
        "can_watch": can_watch,
        "may_register": may_register_live(request.user) and not registered,
        "manager": may_manage_live(request.user),
        "venues": list(session.venues.all()),
        "watermark": f"{request.user.get_full_name() or request.user.email} · {enterprise or ''}",
        "interval": watchtime.heartbeat_interval(),
        "player": json.dumps(
            {
                "streamsUrl": reverse("live:streams", args=[session.pk]),
                "heartbeatUrl": reverse("live:heartbeat", args=[session.pk]),
                "replayHeartbeatUrl": reverse("live:replay_heartbeat", args=[session.pk]),
                "questionsUrl": reverse("live:questions", args=[session.pk]),
                "interval": watchtime.heartbeat_interval(),
                "status": status,
                "countsAttendance": registered,
            }
        )
        if can_watch
        else "",
    }
    return render(request, "live/watch.html", context)


@require_POST
@login_required
def register(request, session_id: int):
    session = _session(request.user, session_id)
    if not may_register_live(request.user):
        raise PermissionDenied
    try:
        services.registration_create(session_id=session.pk, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are registered. An invitation is on its way to your e-mail."))
    return redirect("live:watch", session_id=session.pk)


@require_GET
def stream_urls(request, session_id: int):
    """JSON: fresh signed stream addresses for this viewer (the page refreshes them before they
    expire)."""
    if not request.user.is_authenticated:
        return _json_error(_("Sign in to watch."), 401)
    session = _session(request.user, session_id)
    if not may_watch_live(request.user, registered=_registered(request.user, session)):
        return _json_error(_("Register for this session to watch it."), 403)
    return JsonResponse(_stream_urls(request, session))


@require_POST
def heartbeat(request, session_id: int):
    """JSON {"venue": <venue id>} → minutes credited by the server clock. The client sends no
    time: a body carrying one is refused. Two SQL statements besides authentication."""
    if not request.user.is_authenticated:
        return _json_error(_("Sign in to watch."), 401)
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict) or set(payload) - {"venue"}:
            raise ValueError
        venue = payload.get("venue")
        if venue is not None and (isinstance(venue, bool) or not isinstance(venue, int)):
            raise ValueError
    except (ValueError, TypeError):
        return _json_error(_("The server measures the time; send only the venue."), 400)
    try:
        beat = services.live_heartbeat(session_id=session_id, user_id=request.user.pk, venue_id=venue)
    except PermissionDenied as exc:
        return _json_error(str(exc) or _("You are not registered for this session."), 403)
    except ValidationError as exc:
        status = 409 if exc.code == "duplicate" else 400
        return _json_error(" ".join(exc.messages), status)
    return JsonResponse({"seconds": beat.seconds, "credited": beat.credited, "minutes": round(beat.seconds / 60, 1)})


@require_POST
def replay_heartbeat(request, session_id: int):
    """JSON {"played": [[start, end], ...]} for the replay: learning progress, not attendance."""
    if not request.user.is_authenticated:
        return _json_error(_("Sign in to watch."), 401)
    try:
        payload = json.loads(request.body or b"{}")
        played = payload.get("played", [])
    except (ValueError, AttributeError, TypeError):
        return _json_error(_("This playback report is not valid."), 400)
    try:
        beat = watchtime.watch_heartbeat(user_id=request.user.pk, watchable=f"live-replay:{session_id}", played=played)
    except PermissionDenied:
        return _json_error(_("You are not registered for this session."), 403)
    except ValidationError as exc:
        return _json_error(" ".join(exc.messages), 400)
    return JsonResponse({"seconds": beat.seconds, "credited": beat.credited})


@require_http_methods(["GET", "POST"])
def questions(request, session_id: int):
    """GET: published answers for everyone watching, plus the asker's own pending questions
    (polled every few seconds). POST {"text": ...}: ask."""
    if not request.user.is_authenticated:
        return _json_error(_("Sign in to watch."), 401)
    session = _session(request.user, session_id)
    if not may_watch_live(request.user, registered=_registered(request.user, session)):
        return _json_error(_("Register for this session to watch it."), 403)
    if request.method == "POST":
        try:
            payload = json.loads(request.body or b"{}")
            text = payload.get("text", "") if isinstance(payload, dict) else ""
            if not isinstance(text, str):
                raise ValueError
            services.question_ask(session=session, user=request.user, text=text)
        except (ValueError, TypeError):
            return _json_error(_("Write your question first."), 400)
        except ValidationError as exc:
            return _json_error(" ".join(exc.messages), 400)
        status = 201
    else:
        status = 200
    rows = Question.objects.filter(session=session).filter(published_at__isnull=False) | Question.objects.filter(
        session=session, user_id=request.user.pk
    )
    items = [
        {
            "id": q.pk,
            "text": q.text,
            "answer": q.answer if q.published_at else "",
            "published": q.published_at is not None,
            "mine": q.user_id == request.user.pk,
        }
        for q in rows.order_by("created_at", "pk")[:200]
    ]
    return JsonResponse({"questions": items}, status=status)


def _managed_session(request, session_id: int) -> LiveSession:
    if not may_manage_live(request.user):
        raise PermissionDenied
    return _session(request.user, session_id)


@require_http_methods(["GET", "POST"])
@login_required
def moderate(request, session_id: int):
    """Trainers: every question with an answer form; answering with "publish" shows it to all."""
    session = _managed_session(request, session_id)
    if request.method == "POST":
        try:
            question_id = int(request.POST.get("question", ""))
            services.question_answer(
                question_id=question_id,
                session=session,
                user=request.user,
                answer=request.POST.get("answer", ""),
                publish=request.POST.get("publish") == "1",
            )
        except (ValueError, Question.DoesNotExist):
            messages.error(request, _("That question was not found."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Answer saved."))
        return redirect("live:moderate", session_id=session.pk)
    venues = list(session.venues.all())
    counts = services.viewer_counts(session_id=session.pk, venue_ids=[v.pk for v in venues])
    return render(
        request,
        "live/moderate.html",
        {
            "session": session,
            "questions": session.questions.select_related("user").all(),
            "venues": [(v, counts[v.pk]) for v in venues],
            "interval": watchtime.heartbeat_interval(),
        },
    )


@require_GET
def viewers(request, session_id: int):
    """JSON: live viewers per venue (seen within two heartbeat intervals)."""
    if not request.user.is_authenticated:
        return _json_error(_("Sign in to watch."), 401)
    if not may_manage_live(request.user):
        return _json_error(_("Only trainers and officers see viewer counts."), 403)
    session = _session(request.user, session_id)
    venues = list(session.venues.all())
    counts = services.viewer_counts(session_id=session.pk, venue_ids=[v.pk for v in venues])
    return JsonResponse({"venues": [{"id": v.pk, "name": v.localized_name, "viewers": counts[v.pk]} for v in venues]})


def _report(request, session: LiveSession):
    scoped = live_registrations_visible_to(request.user, Registration.objects.all())
    return selectors.attendance_report(session=session, registrations=scoped)


@require_GET
@login_required
def attendance(request, session_id: int):
    session = _managed_session(request, session_id)
    rows = _report(request, session)
    return render(request, "live/attendance.html", {"session": session, "rows": rows})


@require_GET
@login_required
def attendance_xlsx(request, session_id: int):
    session = _managed_session(request, session_id)
    rows = _report(request, session)
    sheet = Sheet(
        title=str(_("Attendance")),
        header=[
            pgettext("person", "Name"),
            _("E-mail"),
            _("Enterprise"),
            _("Minutes"),
            _("Attended"),
            _("Replay minutes"),
        ],
        rows=[
            [r.name, r.email, r.enterprise, r.minutes, _("yes") if r.attended else _("no"), r.replay_minutes]
            for r in rows
        ],
        preamble=[session.localized_title, timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")],
        widths=[20, 30, 30, 10, 10, 12],
    )
    return response(sheet, filename=f"live-{session.pk}-attendance")


@require_GET
def stream(request, token: str, rest: str):
    """Proxy one playlist or segment for the viewer the token was issued to (issue 12, point 3).
    403 for an expired, forged or someone else's token; 404 outside the venue's folder."""
    try:
        grant = streams.grant_from(token, max_age=services.stream_url_seconds())
    except signing.SignatureExpired:
        return HttpResponse(_("This stream address has expired; reload the page."), status=403)
    except signing.BadSignature:
        return HttpResponse(_("This stream address is not valid."), status=403)
    if not may_use_stream_token(request.user, grant.user_id):
        return HttpResponse(_("This stream address belongs to another viewer."), status=403)
    session = LiveSession.objects.filter(pk=grant.session_id).first()
    if session is None:
        raise Http404
    if grant.venue_id == streams.REPLAY:
        base = session.replay_url
    else:
        venue = Venue.objects.filter(pk=grant.venue_id, session=session).first()
        base = (venue.backup_url if grant.backup else venue.stream_url) if venue else ""
    target = streams.upstream_url(base, rest) if base else None
    if target is None:
        raise Http404
    try:
        with urllib.request.urlopen(target, timeout=5) as upstream:  # noqa: S310 (validated https/dev hosts)
            body = upstream.read(32 * 1024 * 1024)
            content_type = upstream.headers.get("Content-Type", "application/octet-stream")
    except (urllib.error.URLError, TimeoutError, ValueError):
        # 404, not 502: for the player an unreachable venue is a missing playlist (it switches to
        # the backup), and no request a viewer sends may end in a server error.
        return HttpResponse(_("The stream is not reachable."), status=404)
    if target.lower().endswith(".m3u8"):
        body = streams.rewrite_playlist(body.decode("utf-8", "replace"), base=target).encode()
        content_type = "application/vnd.apple.mpegurl"
    result = HttpResponse(body, content_type=content_type)
    result["Cache-Control"] = "private, no-store"
    return result
