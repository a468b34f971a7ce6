"""Scale-out settings: a read replica for anonymous pages, sessions in Redis and the
database, media in S3-compatible storage, OpenSearch as the search backend."""

import json

from django.test import RequestFactory

import pytest

from operations import replica
from tests.test_foundation import PRODUCTION_ENV, run_python

SHOW_SETTINGS = """
import django, json; django.setup()
from django.conf import settings
print(json.dumps({
    "databases": sorted(settings.DATABASES),
    "replica": settings.DATABASES.get("replica", {}).get("HOST"),
    "routers": settings.DATABASE_ROUTERS,
    "middleware": settings.MIDDLEWARE,
    "sessions": settings.SESSION_ENGINE,
    "storage": settings.STORAGES["default"],
    "search": settings.WAGTAILSEARCH_BACKENDS["default"],
}, default=str))
"""


def production_settings(**env):
    result = run_python(SHOW_SETTINGS, {**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_one_server_needs_nothing_more_than_postgresql_and_redis():
    shown = production_settings()
    assert shown["databases"] == ["default"]
    assert shown["routers"] == []
    assert "operations.replica.ReplicaMiddleware" not in shown["middleware"]
    assert shown["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert shown["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert shown["search"]["BACKEND"] == "search.backend"


def test_a_replica_is_read_by_anonymous_pages_after_the_page_cache():
    shown = production_settings(DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5432/letopis")
    assert shown["databases"] == ["default", "replica"]
    assert shown["replica"] == "10.0.0.2"
    assert shown["routers"] == ["operations.replica.ReplicaRouter"]
    middleware = shown["middleware"]
    position = middleware.index("operations.replica.ReplicaMiddleware")
    assert middleware[position - 1] == "home.page_cache.PageCacheMiddleware"


def test_object_storage_for_media_is_private_by_default():
    shown = production_settings(
        S3_BUCKET="letopis-media", S3_ENDPOINT_URL="https://storage.example.org"
    )
    storage = shown["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "letopis-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://storage.example.org"
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["querystring_auth"] is True
    assert storage["OPTIONS"]["file_overwrite"] is False


def test_object_storage_signs_its_urls_without_calling_out():
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "media = storages['default']\n"
        "print(type(media).__name__, media.url('images/photo.jpg'))"
    )
    result = run_python(
        code,
        {
            **PRODUCTION_ENV,
            "S3_BUCKET": "letopis-media",
            "S3_ENDPOINT_URL": "https://storage.example.org",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_REGION": "ru-central1",
        },
    )
    assert result.returncode == 0, result.stderr
    name, url = result.stdout.split()
    assert name == "S3Storage"
    assert url.startswith("https://storage.example.org/letopis-media/images/photo.jpg?")
    assert "Signature=" in url and "Expires=" in url


def test_opensearch_backend_loads_without_a_server():
    code = (
        "import django; django.setup()\n"
        "from wagtail.search.backends import get_search_backend\n"
        "print(type(get_search_backend()).__name__)"
    )
    result = run_python(code, {**PRODUCTION_ENV, "OPENSEARCH_URL": "http://127.0.0.1:9"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OpenSearch2SearchBackend"


def test_opensearch_replaces_the_database_search_with_a_russian_analyser():
    shown = production_settings(OPENSEARCH_URL="https://search.example.org:9200")
    search = shown["search"]
    assert search["BACKEND"] == "wagtail.search.backends.opensearch2"
    assert search["URLS"] == ["https://search.example.org:9200"]
    analysis = search["INDEX_SETTINGS"]["settings"]["index"]["analysis"]
    assert analysis["analyzer"]["default"]["type"] == "russian"


# -- the router ---------------------------------------------------------------------------


@pytest.fixture
def requests():
    return RequestFactory()


def route_during(request):
    """Where reads and writes go while ``request`` is being answered."""
    seen = {}

    def view(request):
        router = replica.ReplicaRouter()
        seen["read"] = router.db_for_read(None)
        seen["write"] = router.db_for_write(None)
        return None

    replica.ReplicaMiddleware(view)(request)
    seen["after"] = replica.ReplicaRouter().db_for_read(None)
    return seen


def test_an_anonymous_visitor_reads_from_the_replica(requests):
    seen = route_during(requests.get("/proekty/"))
    assert seen == {"read": "replica", "write": "default", "after": None}


@pytest.mark.parametrize(
    "make",
    [
        lambda r: r.post("/search/"),
        lambda r: r.get("/admin/pages/"),
        lambda r: r.get("/documents/1/report.pdf"),
        lambda r: r.get("/healthz"),
    ],
    ids=["post", "admin", "document", "health"],
)
def test_editors_forms_and_private_paths_read_the_primary(requests, make):
    assert route_during(make(requests))["read"] is None


def test_a_signed_in_editor_reads_the_primary(requests, settings):
    request = requests.get("/proekty/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert route_during(request)["read"] is None


def test_migrations_run_on_the_primary_only():
    router = replica.ReplicaRouter()
    assert router.allow_migrate("default", "home") is True
    assert router.allow_migrate("replica", "home") is False
