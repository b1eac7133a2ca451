"""The deployment answers its own healthchecks: gunicorn under production settings, asked the
way docker-compose.yml asks it."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production_server(tmp_path):
    if not os.environ.get("REDIS_URL"):
        if IN_CI:
            pytest.fail("needs Redis (REDIS_URL), which CI provides")
        pytest.skip("needs Redis (set REDIS_URL)")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": "healthcheck-test-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "aeo.example.cn,www.aeo.example.cn",
        "WAGTAILADMIN_BASE_URL": "https://aeo.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'health.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the first request loads the application
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/nothing", timeout=30)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        yield port, env
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_compose_healthcheck_passes_against_production_settings(production_server):
    port, env = production_server
    result = subprocess.run(
        [sys.executable, "-m", "lms.healthcheck", "--port", str(port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "healthz: 200" in result.stdout


def test_a_bare_request_to_127_0_0_1_is_refused_by_allowed_hosts(production_server):
    """Why the healthcheck sends a Host header: the old one asked 127.0.0.1 and always got 400."""
    port, _env = production_server
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
    assert error.value.code == 400


# --- what the proxy may serve -----------------------------------------------------------------

# Files in the public media folder (the `media` volume the proxy mounts): Wagtail images and
# renditions, back-office avatars, documents (streamed by Wagtail's view, which checks collection
# privacy) and Wagtail's temporary multi-upload files. Everything else is private.
PUBLIC_FILE_FIELDS = {
    "wagtailimages.image.file",
    "wagtailimages.rendition.file",
    "wagtailusers.userprofile.avatar",
    "wagtaildocs.document.file",
    "wagtailcore.uploadedfile.file",
}
PROXY_SERVES = {"images", "original_images", "avatar_images", "public"}


def same_storage(a, b) -> bool:
    """The same storage, even when a settings override made `storages` build new instances after
    the fields took theirs: same class, same place."""
    return a is b or (type(a) is type(b) and getattr(a, "base_location", None) == getattr(b, "base_location", None))


def test_private_files_live_in_the_private_storage():
    """Evidence, photos, exam reports, consultation attachments and certificates are written to
    the private storage (PRIVATE_MEDIA_ROOT, a volume the proxy never mounts), never to media."""
    from django.apps import apps
    from django.core.files.storage import default_storage, storages
    from django.db.models import FileField

    public, misplaced = set(), []
    for model in apps.get_models():
        for field in model._meta.fields:
            if not isinstance(field, FileField):
                continue
            label = f"{model._meta.label_lower}.{field.name}"
            if label in PUBLIC_FILE_FIELDS:
                public.add(label)
            elif not same_storage(field.storage, storages["evidence"]) or same_storage(field.storage, default_storage):
                misplaced.append(label)
    assert not misplaced, f"private files written to the public media folder: {misplaced}"
    assert "certificates.certificate.pdf" not in public


def test_the_proxy_serves_only_public_media_folders():
    import re

    conf = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
    served = set(re.findall(r"location \^~ /media/([\w-]+)/", conf))
    aliased = set(re.findall(r"alias /srv/media/([\w-]+)/;", conf))
    assert served == aliased == PROXY_SERVES
    assert "private_media" not in conf
    assert not re.search(r"location [^{]*/media/? *\{", conf)  # no catch-all for the media folder
    compose = (ROOT / "docker-compose.yml").read_text()
    proxy = compose.split("  proxy:")[1].split("\n  db:")[0]
    assert "media:/srv/media:ro" in proxy and "private_media" not in proxy


def test_the_app_trusts_exactly_the_proxys_forwarded_for_hop():
    """The proxy appends the client to X-Forwarded-For; without a trusted hop every request would
    seem to come from the proxy (one rate limit for everybody, no check-in network ever matching)."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["x-app"]["environment"]["LMS_TRUSTED_PROXY_COUNT"] == "${LMS_TRUSTED_PROXY_COUNT:-1}"
    assert (
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in (ROOT / "deploy/nginx/nginx.conf").read_text()
    )
