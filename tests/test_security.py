"""Headers and exposure: the Content-Security-Policy, the API docs for staff only, /healthz's
details for staff and internal addresses, and the client's address behind proxies."""

import pytest
from django.test import RequestFactory

from lms.net import client_ip, ip_in_ranges
from tests.factories import EnterpriseStaffFactory, UserFactory
from trainees.roles import Role

PUBLIC = "203.0.113.7"


def _request(remote: str, xff: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


# --- client_ip ------------------------------------------------------------------------------


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(PUBLIC, "127.0.0.1")) == PUBLIC


def test_with_one_trusted_proxy_only_the_address_it_appended_counts(settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 1
    # The client forged "127.0.0.1"; our proxy (10.0.0.2) appended the address it saw.
    assert client_ip(_request("10.0.0.2", f"127.0.0.1, {PUBLIC}")) == PUBLIC
    assert client_ip(_request("10.0.0.2", PUBLIC)) == PUBLIC


def test_with_two_trusted_proxies(settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.3", f"10.9.9.9, {PUBLIC}, 10.0.0.2")) == PUBLIC


def test_a_request_that_bypassed_the_proxy_or_sent_junk(settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(PUBLIC)) == PUBLIC  # no header: the direct peer
    assert client_ip(_request("10.0.0.2", "not-an-address")) == "10.0.0.2"


def test_ip_in_ranges():
    assert ip_in_ranges("10.8.1.2", ["10.8.0.0/16"])
    assert not ip_in_ranges(PUBLIC, ["10.8.0.0/16", "junk"])
    assert not ip_in_ranges("", ["0.0.0.0/0"])


# --- /healthz -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_tells_the_public_only_its_status(client, settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 0
    response = client.get("/healthz", REMOTE_ADDR=PUBLIC, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_behind_a_proxy_ignores_a_spoofed_internal_address(client, settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 1
    response = client.get("/healthz", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"127.0.0.1, {PUBLIC}")
    assert response.json() == {"status": "ok"}
    internal = client.get("/healthz", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert set(internal.json()["checks"]) == {"database", "cache", "broker"}


@pytest.mark.django_db
def test_healthz_gives_details_to_staff_and_internal_addresses(client):
    assert "checks" in client.get("/healthz", REMOTE_ADDR="10.1.2.3").json()
    client.force_login(UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    assert "checks" in client.get("/healthz", REMOTE_ADDR=PUBLIC).json()
    client.force_login(EnterpriseStaffFactory(roles=[Role.ENTERPRISE_STAFF]))
    assert "checks" not in client.get("/healthz", REMOTE_ADDR=PUBLIC).json()


# --- API documentation ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs", "/api/openapi.json"])
def test_api_docs_and_schema_are_for_signed_in_staff(client, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(EnterpriseStaffFactory(roles=[Role.ENTERPRISE_STAFF]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert client.get(url).status_code == 200


# --- Content-Security-Policy ----------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/en/", "/training/", "/accounts/login/", "/search/?q=AEO"])
def test_public_pages_allow_no_inline_script(client, url):
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "nonce-" not in response["Content-Security-Policy"]  # the same page can be cached
    assert b"<script>" not in response.content


@pytest.mark.django_db
def test_the_back_office_gets_its_inline_scripts(client):
    client.force_login(UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    policy = _directives(client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]


# --- Middleware order ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_oversized_request_is_refused_before_its_body_is_read_with_the_policy_header(client, settings):
    """The size check comes before the NUL check (which parses the form): an oversized body with
    a NUL byte is a 413, not a 400; refusals carry the Content-Security-Policy too."""
    settings.LMS_MAX_REQUEST_BYTES = 1_000
    oversized = client.post("/search/", {"q": "a\x00b" + "x" * 2_000})
    assert oversized.status_code == 413
    assert "Content-Security-Policy" in oversized
    with_nul = client.get("/search/", {"q": "a\x00b"})
    assert with_nul.status_code == 400
    assert "Content-Security-Policy" in with_nul


# --- One reader of the client's address -------------------------------------------------------


def test_no_module_but_lms_net_reads_the_address_headers():
    """`lms.net.client_ip` is the only reader of REMOTE_ADDR and X-Forwarded-For: any other reader
    would trust a forged header (or see only the proxy)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readers = sorted(
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests", "benchmarks", "node_modules"}
        and path.relative_to(root) != Path("lms/net.py")
        and any(
            header in path.read_text(encoding="utf-8")
            for header in ('"REMOTE_ADDR"', "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP")
        )
    )
    assert readers == []


@pytest.mark.django_db
def test_login_rate_limit_per_address_is_not_escaped_by_a_forged_forwarded_header(client, settings):
    """Behind one trusted proxy, a password-spraying client that writes a new X-Forwarded-For on
    every try is still one address to allauth's rate limits; another client is not slowed."""
    from tests.cache import clear_cache

    clear_cache()
    settings.LMS_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "172.20.0.2"}
    limited = 0
    for i in range(15):
        response = client.post(
            "/accounts/login/",
            {"login": f"person{i}@example.com", "password": "wrong-password-1"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, {PUBLIC}",
            **proxy,
        )
        limited += response.status_code == 429 or "登录失败次数过多" in response.content.decode()
    assert limited > 0
    other = client.post(
        "/accounts/login/",
        {"login": "someone@example.com", "password": "wrong-password-1"},
        HTTP_X_FORWARDED_FOR="203.0.113.8",
        **proxy,
    )
    assert other.status_code == 200 and "登录失败次数过多" not in other.content.decode()
    clear_cache()
