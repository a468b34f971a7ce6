"""The anonymous page cache (home/page_cache.py): hits without queries, variants, what is
never cached, and no stale page after a publication, unpublication, move, deletion or edit
of what a page shows; ETags and 304s; the front proxy's purge."""

import os

from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import PageViewRestriction

import pytest

from home import page_cache
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

LOW_VISION = "size-2.scheme-black-on-white.images-on.spacing-1"


REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def redis_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def page_cache_on(request, settings):
    """Every test on the local-memory cache and on a real Redis (as in production)."""
    if request.param == "redis":
        if not redis_reachable():
            if os.environ.get("CI"):
                pytest.fail(f"Redis is not reachable at {REDIS_TEST_URL} (CI must have it)")
            pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_TEST_URL,
                "KEY_PREFIX": "letopis-tests",
            }
        }
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def commits(django_capture_on_commit_callbacks):
    """The tests run in a transaction that never commits: each edit below runs its commit
    callbacks (the bump) as a real commit would."""

    def committed():
        # A bump scheduled by the fixtures' pages would have run at their commit.
        page_cache._scheduled.bump = None
        return django_capture_on_commit_callbacks(execute=True)

    return committed


@pytest.fixture
def network(make_library, make_project, make_contribution):
    library = make_library(title="Юхновская ЦРБ", slug="yuxnov")
    project = make_project(title="Наши памятники – наши герои", slug="pamyatniki")
    first = make_contribution(library, project, title="Первая летопись", slug="pervaya")
    return library, project, first


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


def status(response):
    return response.get(page_cache.STATUS_HEADER)


def publish(page):
    page.save_revision().publish()


# -- hits -------------------------------------------------------------------------------


def test_second_visit_is_served_from_the_cache_without_queries(client, network):
    _library, project, _first = network
    first = get(client, project.url)
    assert status(first) == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = get(client, project.url)
    assert status(second) == "hit"
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "ru"
    assert "Cookie" in second["Vary"]


def test_low_vision_and_normal_versions_are_kept_apart(client, network):
    _library, project, _first = network
    normal = get(client, project.url)
    client.cookies["letopis_low_vision"] = LOW_VISION
    low_vision = get(client, project.url)
    assert status(low_vision) == "miss"
    assert b"lv-size-2" in low_vision.content
    assert b"lv-size-2" not in normal.content
    assert status(get(client, project.url)) == "hit"
    del client.cookies["letopis_low_vision"]
    again = get(client, project.url)
    assert status(again) == "hit"
    assert b"lv-size-2" not in again.content


def test_query_strings_are_separate_pages(client, network):
    _library, project, _first = network
    get(client, project.url)
    assert status(get(client, project.url + "?page=1")) == "miss"


def test_signed_in_editors_are_never_served_from_the_cache(client, network, superuser):
    _library, project, _first = network
    get(client, project.url)
    client.force_login(superuser)
    response = get(client, project.url)
    assert status(response) is None
    assert b"wagtail-userbar" in response.content.lower() or b"userbar" in response.content


def test_admin_post_and_head_are_not_stored(client, network, superuser):
    _library, project, _first = network
    assert status(client.head(project.url)) is None
    assert status(get(client, project.url)) == "miss"  # HEAD stored nothing
    assert status(client.head(project.url)) == "hit"
    assert status(client.get("/admin/login/")) is None
    assert status(client.post(project.url)) is None


def test_not_found_and_redirects_are_not_stored(client, network):
    assert client.get("/net-takoj-stranicy/").status_code == 404
    assert status(client.get("/net-takoj-stranicy/")) is None


def test_a_page_with_a_form_token_is_never_cached(client, network):
    """A password-protected page shows a form with this visitor's CSRF token."""
    _library, project, _first = network
    PageViewRestriction.objects.create(
        page=project, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = get(client, project.url)
    assert b"csrfmiddlewaretoken" in response.content
    assert status(response) is None
    assert status(get(client, project.url)) is None


def test_off_when_the_setting_is_zero(client, network, settings):
    settings.PAGE_CACHE_SECONDS = 0
    _library, project, _first = network
    get(client, project.url)
    assert status(get(client, project.url)) is None


def test_an_unreachable_cache_serves_the_page_uncached(client, network, monkeypatch):
    _library, project, _first = network

    class Unreachable:
        def __getattr__(self, name):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(page_cache, "cache", Unreachable())
    response = get(client, project.url)
    assert status(response) is None
    assert "Первая летопись" in response.content.decode()


# -- never stale ------------------------------------------------------------------------


def test_a_published_contribution_shows_in_its_project_at_once(
    client, network, make_contribution, commits
):
    library, project, _first = network
    get(client, project.url)
    with commits():
        second = make_contribution(library, project, live=False, title="Вторая летопись")
    assert "Вторая летопись" not in get(client, project.url).content.decode()
    with commits():
        publish(second)
    response = get(client, project.url)
    assert status(response) == "miss"
    assert "Вторая летопись" in response.content.decode()


def test_unpublishing_removes_it_at_once(client, network, commits):
    _library, project, first = network
    assert "Первая летопись" in get(client, project.url).content.decode()
    get(client, first.url)
    with commits():
        first.unpublish()
    assert "Первая летопись" not in get(client, project.url).content.decode()
    assert client.get(first.url).status_code == 404


def test_an_edit_shows_after_publication_but_a_draft_does_not(client, network, commits):
    _library, project, first = network
    get(client, first.url)
    first.title = "Летопись села Лужки"
    with commits():
        first.save_revision()  # a draft: the public page does not change
    response = get(client, first.url)
    assert status(response) == "hit"
    assert "Летопись села Лужки" not in response.content.decode()
    with commits():
        first.get_latest_revision().publish()
    response = get(client, first.url)
    assert status(response) == "miss"
    assert "Летопись села Лужки" in response.content.decode()
    assert "Летопись села Лужки" in get(client, project.url).content.decode()


def test_moving_a_contribution_changes_the_libraries_pages(client, network, make_library, commits):
    library, _project, first = network
    other = make_library(title="Козельская ЦРБ", slug="kozelsk")
    assert "Первая летопись" in get(client, library.url).content.decode()
    with commits():
        first.move(other, pos="last-child")
    assert "Первая летопись" not in get(client, library.url).content.decode()
    assert "Первая летопись" in get(client, other.url).content.decode()


def test_deleting_a_page_removes_it_from_lists(client, network, commits):
    _library, project, first = network
    get(client, project.url)
    with commits():
        first.delete()
    assert "Первая летопись" not in get(client, project.url).content.decode()


def test_a_hero_published_shows_on_the_memorial(client, make_memorial, make_hero, commits):
    memorial = make_memorial(title="Братская могила в д. Лужки")
    get(client, memorial.url)
    with commits():
        make_hero(memorials=[memorial], last_name="Шевчук")
    assert "Шевчук" in get(client, memorial.url).content.decode()


def test_a_rolled_back_edit_keeps_the_cache(client, network, commits):
    _library, project, _first = network
    get(client, project.url)
    with commits() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        project.title = "Другое название"
        project.save_revision().publish()
        raise RuntimeError("the editor's save failed")
    assert callbacks == []
    assert status(get(client, project.url)) == "hit"


def test_records_that_public_pages_do_not_show_do_not_outdate_it(
    client, network, superuser, commits
):
    _library, project, _first = network
    get(client, project.url)
    with commits():
        superuser.first_name = "Анна"
        superuser.save()
    cache.set("unrelated", 1)
    assert status(get(client, project.url)) == "hit"


def test_the_home_page_of_tomorrow_is_another_page(client, network, monkeypatch):
    """«В этот день» changes at midnight: the date is part of the key."""
    import datetime

    get(client, "/")
    assert status(get(client, "/")) == "hit"
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    assert status(get(client, "/")) == "miss"


# -- browsers and proxies -----------------------------------------------------------------


def test_etag_and_not_modified(client, network):
    _library, project, _first = network
    response = get(client, project.url)
    etag = response["ETag"]
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    not_modified = client.get(project.url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert get(client, project.url)["ETag"] == etag


def test_a_purging_proxy_gets_s_maxage(client, network, settings):
    settings.FRONTEND_CACHE_SECONDS = 3600
    _library, project, _first = network
    response = get(client, project.url)
    assert "s-maxage=3600" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


PURGED = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        PURGED.append(url)


def test_publication_purges_the_page_and_the_pages_that_show_it(
    network, make_contribution, settings, commits
):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.test_page_cache.RecordingBackend"}}
    library, project, _first = network
    PURGED.clear()
    second = make_contribution(library, project, live=False, title="Вторая", slug="vtoraya")
    with commits():
        publish(second)
    base = "http://localhost"
    assert f"{base}/biblioteki/yuxnov/vtoraya/" in PURGED
    assert f"{base}/proekty/pamyatniki/" in PURGED
    assert f"{base}/biblioteki/yuxnov/" in PURGED
    assert f"{base}/" in PURGED
    assert any(url.endswith("/feeds/materials.rss") for url in PURGED)
    assert any(url.endswith("/en/feeds/materials.rss") for url in PURGED)


def test_a_move_purges_the_old_and_new_addresses_and_both_lists(
    network, make_library, settings, commits
):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.test_page_cache.RecordingBackend"}}
    _library, _project, first = network
    other = make_library(title="Козельская ЦРБ", slug="kozelsk")
    PURGED.clear()
    with commits():
        first.move(other, pos="last-child")
    base = "http://localhost"
    assert f"{base}/biblioteki/yuxnov/pervaya/" in PURGED
    assert f"{base}/biblioteki/kozelsk/pervaya/" in PURGED
    assert f"{base}/biblioteki/yuxnov/" in PURGED
    assert f"{base}/biblioteki/kozelsk/" in PURGED
    assert f"{base}/proekty/pamyatniki/" in PURGED


def test_nothing_is_purged_without_a_proxy(network, make_contribution, settings, commits):
    settings.WAGTAILFRONTENDCACHE = {}
    library, project, _first = network
    PURGED.clear()
    with commits():
        publish(make_contribution(library, project, live=False, title="Третья", slug="tretya"))
    assert PURGED == []


def test_a_hit_keeps_the_security_headers(client, network):
    _library, project, _first = network
    miss = get(client, project.url)
    hit = get(client, project.url)
    assert status(hit) == "hit"
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "ETag"):
        assert hit.get(header) == miss.get(header), header
    assert hit["X-Frame-Options"]


def test_search_html_and_json_are_kept_apart(client, network):
    html = get(client, "/search/?q=летопись")
    assert status(html) == "miss"
    as_json = get(client, "/search/?q=летопись", HTTP_ACCEPT="application/json")
    assert status(as_json) == "miss"
    assert as_json["Content-Type"].startswith("application/json")
    assert status(get(client, "/search/?q=летопись")) == "hit"
    hit = get(client, "/search/?q=летопись", HTTP_ACCEPT="application/json")
    assert status(hit) == "hit"
    assert hit["Content-Type"].startswith("application/json")


def test_the_map_data_is_kept_gzipped_and_plain(client, make_memorial):
    for number in range(5):  # enough to be worth compressing
        make_memorial(title=f"Обелиск {number}")
    url = "/api/memorials.geojson"
    plain = get(client, url)
    zipped = get(client, url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert status(get(client, url)) == "hit"
    again = get(client, url, HTTP_ACCEPT_ENCODING="gzip")
    assert status(again) == "hit"
    assert again["Content-Encoding"] == "gzip"
    assert again.content == zipped.content
    assert again["ETag"] == zipped["ETag"]


def test_searching_does_not_outdate_the_cache(client, network, commits):
    """The search counts each query (a database write): that changes no public page."""
    _library, project, _first = network
    get(client, project.url)
    with commits():
        get(client, "/search/?q=летопись")
    assert status(get(client, project.url)) == "hit"


def test_a_search_promotion_does_outdate_it(client, network, commits):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    _library, project, _first = network
    get(client, "/search/?q=летопись")
    with commits():
        SearchPromotion.objects.create(
            query=Query.get("летопись"), page=project, description="Рекомендуем"
        )
    assert status(get(client, "/search/?q=летопись")) == "miss"
