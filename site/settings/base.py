"""Settings shared by every environment.

Configuration comes from environment variables; every value has an embedded default
(SQLite, media on local disk, local-memory cache, the database search backend) except the
production secrets, which ``settings.production`` requires.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import dj_database_url

SITE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SITE_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_count(name, default, minimum):
    """A whole number from the environment; anything else stops the start with its name."""
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number ≥ {minimum}, not {raw!r}.")
    return int(raw)


INSTALLED_APPS = [
    "home",
    "network",
    "projects",
    "memorials",
    "search",
    "trash",
    "operations",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtailmedia",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags and 304 answers for every page (cached or not).
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous visitors' pages from the cache, before any database work (home/page_cache.py).
    "home.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # request.low_vision: the version for the visually impaired (home/low_vision.py).
    "home.low_vision.LowVisionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Partner libraries' editors: admin URLs about pages outside their area → 404.
    "network.middleware.PartnerAreaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite by default, any database through DATABASE_URL
# (postgres://user@127.0.0.1:5432/letopis). Connections are kept open.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles "expensive" plans for ~200 ms before running them for a few
    # milliseconds (the search's correlated lookups look expensive to the planner): off.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "letopis",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The anonymous page cache (home/page_cache.py): seconds a page is kept; 0 turns it off
# (development and tests; production's default is 600). Edits outdate it at once.
PAGE_CACHE_SECONDS = env_count("PAGE_CACHE_SECONDS", 0, 0)

# A purging HTTP cache in front of the app servers (Varnish, nginx with a purge module…):
# its PURGE address. Unset: no proxy keeps pages (they carry no s-maxage). The purge is
# home/page_cache.py's (a page and the pages that show it), through Wagtail's frontend
# cache backends; the app itself is not installed, so its own purge (the page alone) does
# not run twice.
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "")
WAGTAILFRONTENDCACHE = (
    {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }
    if FRONTEND_CACHE_PURGE_URL
    else {}
)
# Translations have their own slugs (and Russian has no prefix): each page is purged at its
# own URL, never rewritten into the other language's prefix.
WAGTAILFRONTENDCACHE_LANGUAGES = []
# How long the proxy may keep a page between purges.
FRONTEND_CACHE_SECONDS = (
    env_count("FRONTEND_CACHE_SECONDS", 3600, 0) if FRONTEND_CACHE_PURGE_URL else 0
)

# Invitations to partner libraries' editors are password-reset links: valid for a week.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Russian first, English through wagtail-localize.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

# Static files and media.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Complex page models exceed Django's default of 1000 fields per form in the editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail.
WAGTAIL_SITE_NAME = "Летопись"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    # Russian analysis (pymorphy3) over our own posting table: search/backend.py.
    "default": {"BACKEND": "search.backend"},
}
# Slugs are ASCII: Cyrillic titles are transliterated (home.text.slugify_ru).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# The admin makes no calls outside the site.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "doc",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "vtt",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# Video links are turned into players without asking the hosts anything (no oEmbed calls):
# YouTube, Rutube and VK Video only; any other link is a validation error.
WAGTAILEMBEDS_FINDERS = [{"class": "projects.embeds.VideoHostFinder"}]
WAGTAILMEDIA = {
    "MEDIA_MODEL": "wagtailmedia.Media",
    "AUDIO_EXTENSIONS": ["mp3", "ogg", "m4a", "wav"],
    "VIDEO_EXTENSIONS": ["mp4", "webm", "ogv"],
}

# Map tiles: OpenStreetMap by default; a deployment may point to its own tile server.
# Leaflet itself is served from the project's static files (static/vendor/).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = os.environ.get(
    "MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">участники OpenStreetMap</a>',
)

# E-mail: the console in development; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "letopis@localhost")

# Login throttling (django-axes).
# After AXES_FAILURE_LIMIT failed logins for one username from one address, that username is
# locked for that address only (another address, or another username from the same address,
# still logs in) for LOGIN_LOCKOUT_MINUTES from the last counted failure; attempts during the
# lockout are refused without extending it. A successful login clears the count. A locked-out
# attempt gets templates/axes/lockout.html with 429 Too Many Requests.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]


AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The field the Wagtail admin login form (Django's AuthenticationForm) posts.
AXES_USERNAME_FORM_FIELD = "username"
AXES_COOLOFF_TIME = timedelta(minutes=env_count("LOGIN_LOCKOUT_MINUTES", 15, 1))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address. Anyone can write X-Forwarded-For, so it is read only when
# TRUSTED_PROXY_COUNT reverse proxies of ours stand in front of the site (one nginx: 1), and
# only the hops they appended; with 0 (the default) REMOTE_ADDR alone counts. Without
# django-ipware axes would take REMOTE_ADDR, which behind a proxy is the proxy's address.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0, 0)
AXES_CLIENT_IP_CALLABLE = "network.throttling.client_ip_address"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # django-axes: lockouts (warnings) are logged, its start-up banner (info) is not.
    "loggers": {"axes": {"level": "WARNING"}},
}
