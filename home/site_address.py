"""The default Wagtail Site's address follows ``BASE_URL`` in production.

Absolute URLs that are not the request's own — the sitemap, feeds, sharing cards, JSON-LD,
e-mails — come from the Wagtail Site (``Site.root_url``). The initial migration creates it as
``localhost:80``; with ``SITE_FROM_BASE_URL`` (on in production settings) every ``migrate``
sets its hostname and port from ``BASE_URL``, so a fresh deployment never publishes links to
localhost and a changed address needs only a new ``BASE_URL`` and ``migrate``.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_address(base_url):
    """``(hostname, port)`` of ``BASE_URL``; the port defaults to the scheme's."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"BASE_URL is not an http(s) address: {base_url!r}")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def point_default_site_at_base_url(sender, using="default", verbosity=1, **kwargs):
    if not getattr(settings, "SITE_FROM_BASE_URL", False):
        return
    from wagtail.models import Site

    hostname, port = site_address(settings.WAGTAILADMIN_BASE_URL)
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return
    if Site.objects.using(using).filter(hostname=hostname, port=port).exists():
        return  # another Site answers there already: an administrator's choice to keep
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    Site.clear_site_root_paths_cache()
    if verbosity:
        print(f"Адрес сайта по умолчанию: {site.root_url}")
