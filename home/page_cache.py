"""The anonymous page cache: public responses kept whole in the default cache (Redis in
production) and served without touching the database, never stale after an edit.

What is cached: a GET of an anonymous visitor (no session cookie) whose response is a plain
200 that sets no cookie, did not use the CSRF token, does not forbid caching and varies on
nothing but ``VARIED_HEADERS``. The key is the host, the full path with its query, the
low-vision settings (the only cookie a public page depends on), HTML or JSON and gzip or
not (as the views negotiate them) and today's date (the home page's «В этот день»). The
language is in the path (Russian unprefixed, English under /en/).

Invalidation: every stored response carries the *generation* it was rendered in, and a
response from an older generation is never served. The generation changes, once the
database transaction commits, whenever anything a public page may show changes: a page is
published, unpublished, moved or deleted, or a non-page record (an image, a document, a
library's settings, a redirect…) is saved or deleted. A draft saved in the editor or a
rendition made while rendering changes nothing. One counter for the whole site is coarse,
but it cannot miss a page that shows another (a contribution in its project's list, a hero
on a memorial): editors publish a few times an hour, visitors read thousands of times.

Browsers and a front proxy: a cacheable response says ``Cache-Control: public, max-age=0,
must-revalidate`` with an ETag (``ConditionalGetMiddleware`` answers 304), so a browser
always asks and gets a cheap answer. When a purging proxy is configured
(``FRONTEND_CACHE_PURGE_URL``), ``s-maxage`` lets it keep pages, and a publication purges
the page and the pages that show it through Wagtail's frontend cache backends
(``purge_related``).
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.low_vision import from_request as low_vision_from_request

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
KEY_PREFIX = "page-cache:page:"
STATUS_HEADER = "X-Page-Cache"

# Paths never cached: the admin, documents (each download goes through Wagtail's privacy
# check), the low-vision switch and the health check.
EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/low-vision/", "/healthz")

# Headers a cached response does not keep (every other one is served again: content type and
# language, Vary, ETag, X-Frame-Options, the Content-Security-Policy…).
UNSTORED_HEADERS = frozenset({"content-length", "date", "set-cookie", STATUS_HEADER.lower()})

# The request headers a cached response may vary on, because the key holds what the views
# make of them: the low-vision cookie (the only cookie public pages read), HTML or JSON
# (the search answers both, by ``Accept``), gzip or not (the map's GeoJSON), and the
# language, which the path decides (Russian unprefixed, English under /en/).
VARIED_HEADERS = frozenset({"cookie", "accept", "accept-encoding", "accept-language"})
NEGOTIATED_TYPES = ["text/html", "application/json"]

# Page fields that saving a draft, locking or commenting writes: public pages never show them.
DRAFT_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_by",
        "locked_at",
        "wagtail_admin_comments",
    }
)

# Records that change while nobody edits anything public: sessions, login throttling, logs,
# revisions (a publication sends its own signal), renditions made while rendering, search
# index rows and the searches' hit counts, editing sessions, translation bookkeeping.
IGNORED_APPS = frozenset(
    {"sessions", "admin", "axes", "contenttypes", "auth", "wagtailsearch", "search"}
)
IGNORED_MODELS = frozenset(
    {
        "wagtailcore.revision",
        "wagtailcore.pagelogentry",
        "wagtailcore.modellogentry",
        "wagtailcore.taskstate",
        "wagtailcore.workflowstate",
        "wagtailcore.pagesubscription",
        "wagtailcore.comment",
        "wagtailcore.commentreply",
        "wagtailadmin.editingsession",
        "wagtailusers.userprofile",
        "wagtailimages.rendition",
        "wagtailembeds.embed",
        "projects.chronicledate",
        "trash.trashedpage",
        # The search counts its queries (the admin's popular searches); promotions count.
        "wagtailsearchpromotions.query",
        "wagtailsearchpromotions.querydailyhits",
    }
)
IGNORED_MODEL_PREFIXES = ("wagtail_localize.",)


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


# -- the generation -------------------------------------------------------------------------


def current_generation(stored=None):
    """The generation now: ``stored`` (read from the cache with the page) or a new one if
    the cache lost it (then every older response is out of date, as it must be)."""
    if stored is not None:
        return stored
    generation = time.time_ns()
    cache.add(GENERATION_KEY, generation, None)
    return cache.get(GENERATION_KEY, generation)


def bump():
    """Outdate every cached response."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


class _Bump:
    """One scheduled bump; it knows whether it has run."""

    done = False

    def __call__(self):
        self.done = True
        bump()


_scheduled = threading.local()


def bump_on_commit():
    """Outdate the cache once the current transaction commits (at once outside one): a
    request that reads the old data before the commit must not be stored as new. One bump
    per transaction however many records it changes (a bulk import publishes thousands);
    none if it rolls back. Also when this process does not cache: the web servers may."""
    connection = transaction.get_connection()
    pending = getattr(_scheduled, "bump", None)
    if (
        connection.in_atomic_block
        and pending is not None
        and not pending.done
        and any(item[1] is pending for item in connection.run_on_commit)
    ):
        return  # still waiting for this transaction's commit
    _scheduled.bump = _Bump()
    transaction.on_commit(_scheduled.bump)


@receiver(page_published, dispatch_uid="page_cache.published")
@receiver(page_unpublished, dispatch_uid="page_cache.unpublished")
@receiver(post_page_move, dispatch_uid="page_cache.moved")
def page_changed(sender, **kwargs):
    bump_on_commit()


@receiver(post_save, dispatch_uid="page_cache.saved")
@receiver(post_delete, dispatch_uid="page_cache.deleted")
def record_changed(sender, instance, update_fields=None, **kwargs):
    meta = sender._meta
    label = meta.label_lower
    if meta.app_label in IGNORED_APPS or label in IGNORED_MODELS:
        return
    if label.startswith(IGNORED_MODEL_PREFIXES):
        return
    if isinstance(instance, Page) and kwargs.get("signal") is post_save:
        # A page is published through ``page_published``; its row is saved for drafts too.
        if update_fields is not None and set(update_fields) <= DRAFT_FIELDS:
            return
        if not instance.live:
            return
    bump_on_commit()


# -- the middleware -------------------------------------------------------------------------


def cache_key(request):
    """The response's key, or None if the request must reach the view."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # a signed-in editor (the userbar, previews) or a visitor with a session
    if request.path.startswith(EXCLUDED_PREFIXES):
        return None
    low_vision = low_vision_from_request(request)
    return "|".join(
        (
            KEY_PREFIX + request.scheme,
            request.get_host(),
            request.get_full_path(),
            low_vision.to_cookie() if low_vision else "-",
            # What the views negotiate (``VARIED_HEADERS``), as they decide it.
            request.get_preferred_type(NEGOTIATED_TYPES) or "-",
            "gzip" if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")) else "-",
            timezone.localdate().isoformat(),
        )
    )


def cacheable(request, response):
    """Whether a rendered response may be shown to every anonymous visitor."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a cookie set, or a form with this visitor's CSRF token
    control = response.get("Cache-Control", "")
    if any(word in control for word in ("private", "no-cache", "no-store")):
        return False
    varied = {header.strip().lower() for header in response.get("Vary", "").split(",")}
    return varied - {""} <= VARIED_HEADERS


def set_public_cache_control(response):
    """Browsers always revalidate (the ETag makes it cheap); a purging proxy may keep it."""
    seconds = settings.FRONTEND_CACHE_SECONDS
    if seconds:
        patch_cache_control(
            response, public=True, max_age=0, must_revalidate=True, s_maxage=seconds
        )
    else:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


class PageCacheMiddleware:
    """Serves anonymous visitors' pages from the cache (see the module). Stands before the
    session, locale and page middlewares, after the static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        key = cache_key(request)
        if key is None:
            return self.get_response(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = current_generation(found.get(GENERATION_KEY))
        except Exception:
            logger.exception("page cache: the cache is unreachable")
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry["generation"] == generation:
            return self.rebuild(entry)

        response = self.get_response(request)
        if not cacheable(request, response):
            return response
        if "Cache-Control" not in response:
            set_public_cache_control(response)
        if not response.has_header("ETag"):
            set_response_etag(response)
        response[STATUS_HEADER] = "miss"
        entry = {
            "generation": generation,
            "content": response.content,
            "headers": {
                name: value
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            },
        }
        try:
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            # A full or unreachable cache slows the site down; it must not take it down.
            logger.exception("page cache: could not store %s", request.path)
        return response

    @staticmethod
    def rebuild(entry):
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"].items():
            response[name] = value
        response[STATUS_HEADER] = "hit"
        return response


# -- a purging front proxy ------------------------------------------------------------------


def pages_showing(page):
    """The live pages whose content shows ``page``: its ancestors (their lists, the home
    page) and what the page type names in ``pages_showing_this()`` (a contribution's project
    and library, a hero's memorials, a memorial's heroes)."""
    pages = list(page.get_ancestors().filter(depth__gt=1).live())
    hook = getattr(page.specific_deferred, "pages_showing_this", None)
    if hook is not None:
        pages.extend(related for related in hook() if related is not None and related.live)
    return pages


def site_wide_urls():
    """The feeds and the sitemap index in both languages: any publication may change them."""
    from django.urls import reverse
    from django.utils.translation import override

    urls = {reverse("sitemap")}
    for language, _name in settings.LANGUAGES:
        with override(language):
            urls.update(reverse(name) for name in ("feed_materials_rss", "feed_materials_atom"))
    return urls


@receiver(page_published, dispatch_uid="page_cache.purge_published")
@receiver(page_unpublished, dispatch_uid="page_cache.purge_unpublished")
def purge_related(sender, instance, **kwargs):
    """Purge the page, the pages that show it and the feeds from the front proxy, once the
    publication commits."""
    if not settings.WAGTAILFRONTENDCACHE:
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_pages([instance, *pages_showing(instance)])
    root = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    batch.add_urls(root + url for url in sorted(site_wide_urls()))
    transaction.on_commit(batch.purge)


@receiver(post_page_move, dispatch_uid="page_cache.purge_moved")
def purge_moved(sender, instance, parent_page_before, url_path_before, url_path_after, **kwargs):
    """A moved page: its old address (now 404), its new one, and both parents' lists."""
    if not settings.WAGTAILFRONTENDCACHE or not instance.live:
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_pages([instance, parent_page_before, *pages_showing(instance)])
    new_url = instance.get_full_url()
    if new_url:
        common = len(os.path.commonpath([url_path_before, url_path_after]).rstrip("/")) + 1
        new_tail, old_tail = url_path_after[common:], url_path_before[common:]
        if new_tail and new_url.endswith(new_tail):
            batch.add_url(new_url[: -len(new_tail)] + old_tail)
    transaction.on_commit(batch.purge)
