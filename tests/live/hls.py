"""Real HLS streams for tests: ffmpeg (Debian package) encodes a test pattern as H.264 in MPEG-TS
segments, and a small HTTP server serves the folder as a venue's media server would."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"


def make_hls(folder: Path, *, seconds: int = 20, pattern: str = "testsrc") -> Path:
    """Encode `seconds` of a lavfi test pattern into `folder/index.m3u8` with 1-second segments."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", f"{pattern}=size=320x180:rate=15", "-t", str(seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15",
            "-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
            "-hls_segment_filename", str(folder / "seg%03d.ts"), str(folder / "index.m3u8"),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return folder / "index.m3u8"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on 127.0.0.1 (a free port) in a thread; returns (server, base URL)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
