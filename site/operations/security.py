"""Content-Security-Policy on every response: one policy for the public site, one for the
Wagtail admin (``settings.CSP_POLICIES``).

The public pages load nothing but the site's own files, the map tiles and the video players:
no inline script, no inline style, no ``eval``. The JSON-LD and ``json_script`` elements are
data blocks (``type="application/ld+json"`` / ``"application/json"``), which a browser never
executes, so the policy does not concern them. The admin has its own policy (what it needs is
explained in settings/base.py).

Uploaded files come from the site itself, or — media in object storage — from the storage's
address: that origin, read from the storage, is added to ``img-src`` and ``media-src``.

A response that already carries a policy keeps it: Wagtail's document view sends
``default-src 'none'`` with every file it serves. Django's error pages in development
(``DEBUG``) get none: their traceback needs inline styles and scripts. ``CSP_REPORT_ONLY``
sends the policy as ``Content-Security-Policy-Report-Only``: the browser reports what it would
block (console, ``securitypolicyviolation`` events) and blocks nothing — for trying a change.
"""

from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse

HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


def render_policy(directives):
    """``{"default-src": ["'self'"], "object-src": ["'none'"]}`` → the header's value.

    Directives keep their order, empty source lists are dropped (a directive without sources
    would mean "nothing allowed", which is what ``'none'`` says explicitly), and a source is
    written once."""
    parts = []
    for name, sources in directives.items():
        unique = list(dict.fromkeys(source for source in sources if source))
        if unique:
            parts.append(" ".join([name, *unique]))
    return "; ".join(parts)


@cache
def media_origin():
    """The origin uploaded files are served from when it is not the site's own ("" for
    local media): asked of the default storage, so an S3 bucket, its endpoint or a CDN in
    front of it is what the browser will really be sent to."""
    from django.core.files.storage import default_storage

    parts = urlsplit(default_storage.url("csp-origin"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@cache
def rendered_policies(report_only):
    """The header's name and value for each policy ("public", "admin")."""
    media = media_origin()
    headers = {}
    for name, directives in settings.CSP_POLICIES.items():
        directives = dict(directives)
        if media:
            directives["img-src"] = [*directives.get("img-src", ["'self'"]), media]
            directives["media-src"] = [*directives.get("media-src", ["'self'"]), media]
        headers[name] = render_policy(directives)
    return REPORT_ONLY_HEADER if report_only else HEADER, headers


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting in {"CSP_POLICIES", "STORAGES", "MEDIA_URL"}:
        media_origin.cache_clear()
        rendered_policies.cache_clear()


def policy_for(path):
    """Which policy a request path gets: "admin" under the admin's prefix, else "public"."""
    return "admin" if path.startswith(reverse("wagtailadmin_home")) else "public"


# Django's own pages in DEBUG (the yellow error pages, the CSRF failure page) carry this tag.
_DJANGO_DEBUG_PAGE = b'<meta name="robots" content="NONE,NOARCHIVE">'


def is_debug_page(response):
    """A development error page of Django's (technical 404/500): inline styles and scripts
    that a developer needs to read the traceback. Only ever with ``DEBUG = True``."""
    return (
        settings.DEBUG
        and response.status_code >= 400
        and not response.streaming
        and _DJANGO_DEBUG_PAGE in response.content[:1000]
    )


class ContentSecurityPolicyMiddleware:
    """Adds the public or the admin policy to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER in response or REPORT_ONLY_HEADER in response or is_debug_page(response):
            return response
        header, policies = rendered_policies(settings.CSP_REPORT_ONLY)
        response[header] = policies[policy_for(request.path)]
        return response
