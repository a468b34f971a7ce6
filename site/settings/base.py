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
    # Content-Security-Policy on every response, cached or not (operations/security.py).
    "operations.security.ContentSecurityPolicyMiddleware",
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
# Documents: an allow-list of extensions (never HTML, SVG, scripts or programs).
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
# Uploads (tests/test_hardening.py). Each image's size, real format against its extension and
# pixel count are checked before anything is saved: a renamed file, a "pixel bomb" (a small
# file declaring a huge picture) or a too-large file gets a form error. The front proxy's
# body limit (nginx client_max_body_size) must be at least the larger size.
# Images: raster formats Pillow decodes; never SVG (a picture that can carry scripts).
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpeg", "jpg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_count("IMAGE_MAX_UPLOAD_MB", 20, 1) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_count("IMAGE_MAX_MEGAPIXELS", 64, 1) * 1_000_000
# Wagtail's image form, reading the pixel count from the header before anything is decoded
# and saying why an image is refused in plain Russian (operations/uploads.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "operations.uploads.ImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_count("DOCUMENT_MAX_UPLOAD_MB", 20, 1) * 1024 * 1024
# Documents are always served by Wagtail's view, which checks the collection's privacy, sends
# `X-Content-Type-Options: nosniff` and `Content-Security-Policy: default-src 'none'`, and the
# file as an attachment unless it is a PDF or plain text (shown in the browser).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
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


def csp_origin(url):
    """The origin of a URL template as a Content-Security-Policy source.

    "https://tile.openstreetmap.org/{z}/{x}/{y}.png" → "https://tile.openstreetmap.org";
    a subdomain template "https://{s}.tile.example.org/…" → "https://*.tile.example.org";
    a relative URL (tiles served by the site itself) → "" ('self' covers it); a template
    anywhere else in the host → only the scheme ("https:"); "//host/…" → "host"."""
    scheme, _, rest = url.strip().partition("//")
    if not rest or scheme not in ("", "http:", "https:"):
        return ""
    labels = rest.split("/", 1)[0].rsplit("@", 1)[-1].split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    host = ".".join(labels)
    if "{" in host or "}" in host:
        return scheme or "https:"
    return f"{scheme}//{host}" if scheme else host


# Content-Security-Policy (operations/security.py), sent with every response in every
# environment, so the browser tests see what production enforces.
# CSP_REPORT_ONLY=true sends it as Content-Security-Policy-Report-Only (nothing is blocked).
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# The video players of the book trailer block (projects/embeds.py builds their addresses).
CSP_VIDEO_PLAYERS = [
    "https://www.youtube-nocookie.com",
    "https://rutube.ru",
    "https://vkvideo.ru",
]
CSP_POLICIES = {
    # Public pages: the site's own files only, plus the map tiles and the video players.
    # No inline script or style, no eval: scripts are files, data is in JSON elements.
    "public": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", csp_origin(MAP_TILE_URL)],
        "frame-src": CSP_VIDEO_PLAYERS,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # The Wagtail editor's preview frames the site's own pages.
        "frame-ancestors": ["'self'"],
    },
    # The Wagtail admin (/admin/, the editor's preview included), as measured in the browser
    # (tests/browser/test_csp.py). Wagtail 8's form widgets start themselves with inline
    # <script> elements — the date and date-time pickers (every page's scheduling dialog),
    # the image, document and page choosers (`new ImageChooser(…)`), InlinePanel — and its
    # modals insert HTML with such scripts through jQuery: 'unsafe-inline' for scripts, with
    # no hash or nonce possible (the scripts carry field ids). Wagtail's script bundle (in the
    # memorial, hero, library and home page editors) and wagtail-localize's translation
    # editor insert <style> elements: 'unsafe-inline' for styles. No 'unsafe-eval'; nothing
    # from another origin but what the preview shows (map tiles, video players) and the
    # coordinates widget's map tiles.
    "admin": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", csp_origin(MAP_TILE_URL)],
        "frame-src": ["'self'", *CSP_VIDEO_PLAYERS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

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
