"""`/healthz`: the state of the database, cache and broker, for load balancers and monitors.
The public sees only the overall status; the checks' details are for staff and for requests
from the internal networks (`LMS_HEALTHZ_INTERNAL_NETWORKS`, read through `client_ip`)."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .net import client_ip, ip_in_ranges
from .staff import is_staff_user

logger = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    key = "healthz:probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from lms.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return conn.transport_cls if isinstance(conn.transport_cls, str) else "redis"


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "cache": _cache, "broker": _broker}


def run_checks() -> tuple[bool, dict]:
    """Run every check; a failing check is reported, never raised."""
    results = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
            results[name] = {"ok": True, "detail": detail}
        except Exception as exc:  # noqa: BLE001 - a health probe must report, not raise
            healthy = False
            logger.warning("healthz check failed", extra={"check": name, "error": str(exc)})
            results[name] = {"ok": False, "error": exc.__class__.__name__}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return healthy, results


def may_see_details(request) -> bool:
    """Staff, or a client address inside `LMS_HEALTHZ_INTERNAL_NETWORKS` (CIDR list)."""
    return is_staff_user(request.user) or ip_in_ranges(client_ip(request), settings.LMS_HEALTHZ_INTERNAL_NETWORKS)


@never_cache
def healthz(request):
    healthy, checks = run_checks()
    body = {"status": "ok" if healthy else "unavailable"}
    if may_see_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)
