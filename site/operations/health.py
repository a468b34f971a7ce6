"""``/healthz``: whether this app server can reach what it needs to serve pages.

Three checks, each a real round trip: the database (``SELECT 1``), the default cache (a random
key written, read back and deleted) and the media storage (a tiny file written under
``healthz/``, read back and deleted — ``exists()`` alone would pass on a read-only disk or a
bucket without write permission, where every upload would fail). The answer is
``{"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}`` with 200,
or 503 with ``"error"`` for each failed check — no exception text, host, path or version,
since anyone may ask; the exception is logged on the server instead.

For load balancers and monitoring: anonymous, never cached, sets no cookie, not in the sitemap.
"""

import logging
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

STORAGE_PREFIX = "healthz/"


class CheckFailed(Exception):
    """A check ran without an error but got the wrong answer back."""


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise CheckFailed("SELECT 1 did not return 1")


def check_cache():
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=30)
        if cache.get(key) != value:
            raise CheckFailed("the value written to the cache did not come back")
    finally:
        cache.delete(key)


def check_storage():
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(f"{STORAGE_PREFIX}{uuid.uuid4().hex}.txt", ContentFile(content))
    try:
        with default_storage.open(name, "rb") as file:
            if file.read() != content:
                raise CheckFailed("the file written to the storage did not come back")
    finally:
        default_storage.delete(name)


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage}


def run_checks():
    """``{name: "ok" | "error"}`` for every check; failures are logged with their traceback."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure is an "error"; the log keeps the details
            logger.exception("Health check %r failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_safe
def healthz(request):
    checks = run_checks()
    healthy = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
