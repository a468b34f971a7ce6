"""Real-browser tests: Debian's chromium, driven by Playwright, against a live server with the
demo network.

- ``browser`` (session): chromium from ``/usr/bin/chromium`` (``CHROMIUM_PATH`` overrides it);
  Playwright never downloads a browser. Without chromium the tests are skipped with the reason,
  except on CI (``CI=true``), where they fail: CI must prove them.
- ``demo_site`` (package): the demo built once for all browser tests and served by a live
  server thread. The demo is committed, not wrapped in a transaction, because on PostgreSQL
  the server thread has its own connection and sees only committed rows; when the browser
  tests are done the database is flushed and the state before them restored (what Django's
  ``serialized_rollback`` does), so no later test sees the demo.
- ``page`` (1280×900) and ``phone`` (320 CSS px wide, touch): a fresh browser context each.

Every browser test gets the ``django_db`` mark (below) after pytest-django has ordered the
tests, so they run after every database test and the demo cannot leak into one.
"""

import json
import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing but the live server is reachable: other host names do not resolve, so a page
    # asking for map tiles (or anything else outside) gets a quick error and sends nothing.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TIMEOUT_MS = 20_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Every browser test uses the test database: the django_db mark makes pytest-django
    create it even when only browser tests run (the demo must never reach a real database)
    and wraps each test in a transaction, rolled back. It is added after pytest-django has
    ordered the tests, so the browser tests stay last, after every database test."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        reason = (
            f"browser tests need Debian's chromium at {CHROMIUM} "
            "(`make install-browser` installs it; CHROMIUM_PATH points elsewhere)"
        )
        if ON_CI:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in the main thread; Django's ORM would take
    # that for an async context and refuse to run in the test's own code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def demo_site(browser, django_db_setup, django_db_blocker):
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection

    from pytest_django.live_server_helper import LiveServer

    from tests.browser.demo_pages import DemoSite, demo_paths
    from tests.test_demo import run_demo

    if connection.vendor != "sqlite":
        # The pages and templates are the same on every database; on PostgreSQL the live
        # server's request threads left a session that blocked dropping the test database.
        pytest.skip("browser tests run on SQLite (the same pages on every database)")
    with django_db_blocker.unblock():
        test_database = (
            connection.is_in_memory_db()
            if connection.vendor == "sqlite"
            else connection.settings_dict["NAME"].startswith("test_")
        )
        assert test_database, f"not a test database: {connection.settings_dict['NAME']}"
        before = _snapshot(connection)
        server = None
        try:
            run_demo()
            site = DemoSite(url="")
            demo_paths(site)
            server = LiveServer("127.0.0.1:0")
            site.url = server.url
            yield site
        finally:
            if server is not None:
                server.stop()
            _end_other_sessions(connection)
            # Back to the database as it was: empty it (without post_migrate, which would
            # recreate rows the snapshot holds) and load the snapshot; sequences are kept, so
            # new rows never reuse an id.
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                reset_sequences=False,
                inhibit_post_migrate=True,
            )
            ContentType.objects.clear_cache()
            connection.creation.deserialize_db_from_string(before)
            for cache in caches.all():
                cache.clear()


def _end_other_sessions(connection):
    """PostgreSQL: end the sessions the live server's request threads may leave open (a
    request still in flight when the server stops keeps its connection), or the test
    database cannot be dropped at the end of the run ("being accessed by other users")."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _snapshot(connection):
    """Every row of the migrated apps as Django's serialized_rollback keeps them, content types
    first: Wagtail's pages and tasks look up their content type while being loaded back, and
    would otherwise create it under a new id before its own row arrives."""
    rows = json.loads(connection.creation.serialize_db_to_string())
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    return json.dumps(rows)


def _context(browser, site, **options):
    context = browser.new_context(
        base_url=site.url,
        locale="ru-RU",
        reduced_motion="reduce",
        service_workers="block",
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser, demo_site):
    """A desktop browser tab, 1280×900."""
    context = _context(browser, demo_site, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, demo_site):
    """A phone's tab: 320 CSS px wide (the narrowest screen WCAG's reflow asks for), touch,
    the page's meta viewport honoured."""
    context = _context(
        browser,
        demo_site,
        viewport={"width": 320, "height": 640},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()
