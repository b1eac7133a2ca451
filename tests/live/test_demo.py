"""Demo data (issue 12, "Done means"): a session on air with three venues playing the shipped
ffmpeg-made HLS files, and an ended session with a replay a demo trainee attended."""

from pathlib import Path

import pytest
from django.core.management import call_command

from live import selectors
from live.models import LiveSession
from trainees.models import User

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "live" / "static"


def test_demo_has_a_live_three_venue_session_and_an_ended_one_with_replay():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent
    sessions = {s.status: s for s in LiveSession.objects.all()}
    assert set(sessions) == {"live", "replay"}
    live = sessions["live"]
    assert live.venues.count() == 3
    for venue in live.venues.all():
        path = STATIC / venue.stream_url.split("/static/", 1)[1]
        playlist = path.read_text()
        assert "#EXTM3U" in playlist
        segments = [line for line in playlist.splitlines() if line.endswith(".ts")]
        assert segments and all((path.parent / s).stat().st_size > 1000 for s in segments)
    trainee = User.objects.get(email="compliance@demo.aeo")
    attended = selectors.enterprise_live_attendance(trainee.enterprise_id)[trainee.pk]
    assert [a.session_id for a in attended] == [sessions["replay"].pk]
    assert attended[0].minutes == 52.0
