"""Signed, short-lived, per-viewer stream addresses and the playlist/segment proxy (issue 12,
point 3). The watch page never sees a venue's real address: it gets
`/live/stream/<token>/live.m3u8`, where the token signs (viewer, session, venue, primary or
backup) with a timestamp. The proxy checks the token (signature, age, viewer) and fetches the
playlist or segment from the venue's address; relative segment names resolve under the same
token. In production a media server can do the checking itself (README, nginx `secure_link`)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.core import signing

SALT = "live.stream"
PLAYLIST_NAME = "live.m3u8"
REPLAY = 0  # venue id used in tokens for the replay


@dataclass(frozen=True)
class StreamGrant:
    user_id: int
    session_id: int
    venue_id: int  # REPLAY for the replay address
    backup: bool


def token_for(grant: StreamGrant) -> str:
    return signing.dumps(
        [grant.user_id, grant.session_id, grant.venue_id, int(grant.backup)], salt=SALT, compress=False
    )


def grant_from(token: str, *, max_age: int) -> StreamGrant:
    """Raises signing.SignatureExpired (too old) or signing.BadSignature (forged, altered)."""
    value = signing.loads(token, salt=SALT, max_age=max_age)
    if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, int) for v in value)):
        raise signing.BadSignature("shape")
    return StreamGrant(user_id=value[0], session_id=value[1], venue_id=value[2], backup=bool(value[3]))


def upstream_url(base: str, rest: str) -> str | None:
    """The upstream address for `rest` (the proxied path after the token) under the venue
    playlist `base`; None when `rest` would leave the playlist's folder or host."""
    if rest == PLAYLIST_NAME:
        return base
    if not rest or "\\" in rest or rest.startswith("/") or ".." in rest.split("/") or ":" in rest.split("/")[0]:
        return None
    folder = base.rsplit("/", 1)[0] + "/"
    target = urljoin(folder, rest)
    if not target.startswith(folder) or urlsplit(target).netloc != urlsplit(base).netloc:
        return None
    return target


def rewrite_playlist(text: str, *, base: str) -> str:
    """Make absolute URIs inside the playlist's folder relative, so they also go through the proxy;
    URIs elsewhere are dropped (the player must not fetch outside the signed path)."""
    folder = base.rsplit("/", 1)[0] + "/"
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and "://" in stripped:
            if not stripped.startswith(folder):
                continue
            line = stripped[len(folder) :]
        lines.append(line)
    return "\n".join(lines) + "\n"
