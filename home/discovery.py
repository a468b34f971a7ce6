"""How search engines find the archive: ``/sitemap.xml`` and ``/robots.txt``.

Both live outside the language prefixes: one sitemap covers Russian and English.

``/sitemap.xml`` is an index of sections (ordinary pages, materials, memorials, heroes), each
split into files of 10,000 URLs (``/sitemap-heroes.xml?p=2``), because the Book of Memory
alone may hold 100,000 heroes. Wagtail's own ``wagtail.contrib.sitemaps`` lists only
the site root's descendants — the English home page is the root's *sibling*, so English
pages would be missing — and knows nothing of translations; its ``Sitemap`` class is kept for
``location`` / ``lastmod`` and the request, the items and the hreflang alternates are ours.
Every URL comes from Wagtail's routing (``get_full_url``), so it carries the Wagtail Site's
hostname and the language prefix, and no query runs per page.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as django_sitemap_view
from django.db.models import Max, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

# Crawlers come back often enough; an hour of staleness costs nothing.
SITEMAP_MAX_AGE = 3600
ROBOTS_MAX_AGE = 24 * 3600


def wagtail_site(request):
    """The Wagtail Site serving the request (the default site for an unknown hostname)."""
    return Site.find_for_request(request) or Site.objects.select_related("root_page").get(
        is_default_site=True
    )


def site_root_url(request):
    """``scheme://hostname[:port]`` of the Wagtail Site: absolute URLs that are not pages'."""
    return wagtail_site(request).root_url


def site_pages(request):
    """Live public pages of the site in every language, the roots' translations included.

    Built once per request: ``public()`` reads every view restriction when it is called.
    """
    if not hasattr(request, "_letopis_site_pages"):
        roots = wagtail_site(request).root_page.get_translations(inclusive=True).live()
        in_site = Q()
        for path in roots.values_list("path", flat=True):
            in_site |= Q(path__startswith=path)
        request._letopis_site_pages = (
            Page.objects.live().public().filter(in_site or Q(pk__in=[])).select_related("locale")
        )
    return request._letopis_site_pages


class PageSitemap(Sitemap):
    """Live public pages of some page types, in both languages, with hreflang alternates."""

    #: Page models ("app.Model") of this section; ``None``: every type no other section has.
    models = None
    #: URLs per file: the protocol allows 50,000, but each URL costs ≈0.15 ms here (a page
    #: object, Wagtail's routing, the template): 10,000 answer in under two seconds.
    limit = 10_000

    @classmethod
    def section_models(cls):
        return [apps.get_model(label) for label in cls.models or ()]

    def items(self):
        pages = site_pages(self.request)
        if self.models:
            pages = pages.type(*self.section_models())
        else:
            others = [m for s in SECTIONS.values() for m in s.section_models()]
            pages = pages.not_type(*others)
        return pages.order_by("path")

    def get_latest_lastmod(self):
        # Django's default loads every item to find the newest.
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]

    def _urls(self, page, protocol, domain):
        chunk = self.paginator.page(page).object_list
        # Every live version of this file's pages (the pages themselves included) in one
        # query — a sliced subquery, not a list of 10,000 keys — and each URL built once.
        location_of, versions = {}, {}
        for version in site_pages(self.request).filter(
            translation_key__in=chunk.values("translation_key")
        ):
            location_of[version.pk] = url = version.get_full_url(self.request)
            if url:
                language = version.locale.language_code
                versions.setdefault(version.translation_key, {})[language] = url
        urls = []
        for item in chunk:
            if not location_of.get(item.pk):
                continue  # not routable (outside the site's routes)
            urls.append(
                {
                    "item": item,
                    "location": location_of[item.pk],
                    "lastmod": self.lastmod(item),
                    "alternates": alternates(versions[item.translation_key]),
                }
            )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


def alternates(versions):
    """hreflang links of a page that exists in more than one language; x-default: Russian."""
    if len(versions) < 2:
        return []
    links = [
        {"lang_code": code, "location": versions[code]}
        for code, _name in settings.LANGUAGES
        if code in versions
    ]
    if settings.LANGUAGE_CODE in versions:
        links.append({"lang_code": "x-default", "location": versions[settings.LANGUAGE_CODE]})
    return links


class MaterialSitemap(PageSitemap):
    models = ["projects.ContributionPage"]


class MemorialSitemap(PageSitemap):
    models = ["memorials.MemorialPage"]


class HeroSitemap(PageSitemap):
    models = ["memorials.HeroPage"]


SECTIONS = {
    "pages": PageSitemap,
    "materials": MaterialSitemap,
    "memorials": MemorialSitemap,
    "heroes": HeroSitemap,
}


@require_safe
@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
@x_robots_tag
def sitemap_index(request):
    """``/sitemap.xml``: every file of every non-empty section, with its last change.

    Django's index view would build the files' URLs from the request's host; ours use the
    Wagtail Site's, like the pages inside.
    """
    root_url = site_root_url(request)
    files = []
    for section, sitemap_class in SECTIONS.items():
        sitemap = sitemap_class(request)
        paginator = sitemap.paginator
        if not paginator.count:
            continue
        location = root_url + reverse("sitemap_section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        for number in paginator.page_range:
            url = location if number == 1 else f"{location}?p={number}"
            files.append(SitemapIndexItem(url, lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": files}, content_type="application/xml"
    )


@require_safe
@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
def sitemap_section(request, section):
    """``/sitemap-<section>.xml[?p=N]``: Django's view (404 for a page out of range)."""
    if section not in SECTIONS:
        raise Http404("No such sitemap section")
    return django_sitemap_view(request, {section: SECTIONS[section](request)}, section=section)


@require_safe
@cache_control(public=True, max_age=ROBOTS_MAX_AGE)
def robots_txt(request):
    """``/robots.txt``: everything public may be crawled, except what is endless or private.

    Search result pages are closed in every language: each query and facet is another URL
    of the same pages, which the sitemap lists once. API v2 repeats the pages as JSON with
    unbounded parameters; the open data files (``/api/memorials.geojson``…) stay open.
    """
    search_paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            search_paths.append(reverse("search"))
    context = {
        "disallow": [
            reverse("wagtailadmin_home"),
            *search_paths,
            "/api/v2/",
            reverse("low_vision"),
        ],
        "sitemap_url": site_root_url(request) + reverse("sitemap"),
    }
    return TemplateResponse(
        request, "robots.txt", context, content_type="text/plain; charset=utf-8"
    )


@require_safe
@cache_control(public=True, max_age=ROBOTS_MAX_AGE)
def favicon(request):
    """``/favicon.ico``, which browsers and feed readers ask for whatever the page links: the
    static icon (with its hashed, long-cached name in production)."""
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))
