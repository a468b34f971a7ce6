"""Production: secrets from the environment with no defaults, PostgreSQL, Redis,
hashed static files served by whitenoise, HTTPS everywhere.

A missing required variable stops the process with a message that names it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, env_bool, env_count, env_list


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production (see .env.example)."
        )
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The environment variable ALLOWED_HOSTS is required in production "
        "(comma-separated host names, see .env.example)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [f"https://{h}" for h in ALLOWED_HOSTS]

required("DATABASE_URL")  # parsed in base; SQLite is not for production
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": required("REDIS_URL"),
        "KEY_PREFIX": "letopis",
    }
}
# Sessions: read from Redis, kept in the database too (so any app server sees them, a Redis
# restart signs nobody out, and deactivating an account can end its sessions).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# An optional read replica of PostgreSQL (streaming replication): anonymous visitors' pages
# read from it; the admin, forms and commands use the primary (operations/replica.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=600, conn_health_checks=True
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["operations.replica.ReplicaRouter"]
    # Right after the page cache: a hit reads nothing at all.
    _after_cache = MIDDLEWARE.index("home.page_cache.PageCacheMiddleware") + 1
    MIDDLEWARE = [
        *MIDDLEWARE[:_after_cache],
        "operations.replica.ReplicaMiddleware",
        *MIDDLEWARE[_after_cache:],
    ]

# Anonymous pages kept in Redis for ten minutes (edits outdate them at once: home/page_cache.py).
PAGE_CACHE_SECONDS = env_count("PAGE_CACHE_SECONDS", 600, 0)
WAGTAILADMIN_BASE_URL = required("BASE_URL")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# migrate points the default Wagtail Site at BASE_URL (home/site_address.py): absolute links
# in the sitemap, feeds and sharing cards name the real host, never localhost.
SITE_FROM_BASE_URL = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media in S3-compatible object storage (django-storages): several app servers share it.
# Files are private: pages link renditions through signed, expiring URLs (or a CDN in front
# of the bucket with AWS_S3_CUSTOM_DOMAIN); documents still go through Wagtail's view.
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "default_acl": "private",
            "querystring_auth": not os.environ.get("S3_CUSTOM_DOMAIN"),
            "file_overwrite": False,
        },
    }

# Search: the project's own PostgreSQL/SQLite backend with Russian morphology (search/);
# an archive that outgrows it moves to OpenSearch through Wagtail's backend, with the
# Russian analyser, by setting OPENSEARCH_URL (then run `manage.py update_index`).
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "").strip()
if OPENSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.opensearch2",
            "URLS": [OPENSEARCH_URL],
            "INDEX": os.environ.get("OPENSEARCH_INDEX", "letopis"),
            "TIMEOUT": 10,
            "INDEX_SETTINGS": {
                "settings": {
                    "index": {
                        "analysis": {
                            "analyzer": {"default": {"type": "russian"}},
                        }
                    }
                }
            },
        }
    }

# HTTPS: the site sits behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers may probe /healthz over plain HTTP inside the network (operations/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# The Wagtail editor's live preview frames the site's own pages, so frames stay allowed
# for the same origin only; Django's advice to use DENY (security.W019) does not apply.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
