"""What a shared link and a search engine learn about a page: its card and its JSON-LD.

``templates/components/social_meta.html`` writes, on every public page (``{% page_meta %}``):

- the canonical link and the OpenGraph, Twitter and VK card tags: title, summary, URL,
  language and its alternates, and a picture — a 1200×630 JPEG rendition of the page's own
  (``share_image()``, else its cover, main image or photo), else of the site settings'
  default share image, else of the home page's main image;
- one ``<script type="application/ld+json">``: a schema.org ``@graph`` of the page's own
  entity and, below the home page, its ``BreadcrumbList``.

Each page type describes itself with ``structured_data(request, image_url)``, a method
returning a schema.org node (a dict); this module holds what those methods share (the
publisher, the web site, lists of pages, breadcrumbs) and assembles the graph. Views that
are not pages (the search) get their node here.

Every URL is made absolute against the request (``page_url``, ``request.build_absolute_uri``),
like the ``hreflang`` links of ``base.html``: a page's canonical URL, its alternates and its
picture name the same host, one that ``ALLOWED_HOSTS`` accepted and the Wagtail Site
matched. A CDN's ``MEDIA_URL`` is absolute already and kept as it is.
"""

import html
import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from wagtail.models import Page, Site

SCHEMA_CONTEXT = "https://schema.org"
#: The one rendition shared links show (never a spec from the request): OpenGraph's
#: recommended 1.91:1 picture, in JPEG, which every network reads.
SHARE_SPEC = "fill-1200x630-c80|format-jpeg"
SHARE_IMAGE_TYPE = "image/jpeg"
#: The summary of a card (og:description) and the description in JSON-LD, in characters.
SUMMARY_LENGTH = 200
DESCRIPTION_LENGTH = 500
#: The context variable of each listing page that holds the list it shows (a paginated
#: ``django.core.paginator.Page`` of pages): its JSON-LD ItemList is what the visitor sees,
#: filtered and paginated the same way, and costs no query of its own.
LISTINGS = {
    "projects.projectindexpage": "projects",
    "network.libraryindexpage": "libraries",
    "memorials.memorialindexpage": "memorials",
    "memorials.heroindexpage": "heroes",
}
#: The fields a page's summary is taken from when it has no search description.
SUMMARY_FIELDS = ("intro", "lead", "description", "biography")
OG_LOCALES = {"ru": "ru_RU", "en": "en_GB"}
#: OpenGraph types (ogp.me has no type for a place or a collection, so those are
#: ``website``): what a library wrote is an article, a hero of the Book of Memory a profile.
OG_TYPES = {
    "projects.projectpage": "article",
    "projects.contributionpage": "article",
    "memorials.memorialpage": "article",
    "memorials.heropage": "profile",
}
# The escapes of django.utils.html.json_script (a private table there): a title containing
# «</script>» cannot end the element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# Block elements separate words; inline ones (bold, links) do not.
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|blockquote|figure|table|tr|td|th)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")


# -- writing -------------------------------------------------------------------------------


def json_ld(data):
    """``<script type="application/ld+json">`` with ``data``, escaped like ``json_script``.

    It is data, not code: a strict Content-Security-Policy forbidding inline scripts does not
    apply to it. Cyrillic stays readable (no ``\\uXXXX`` for letters).
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def plain_text(value, length):
    """Rich text or plain text as one line of plain text, cut at a word within ``length``."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", str(value or "")))
    text = " ".join(html.unescape(text).split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:—–-") + "…"


# -- the site ------------------------------------------------------------------------------


def site_settings(request):
    from home.models import SiteSettings

    return SiteSettings.for_request(request) if request is not None else None


def site_name(request):
    from home.templatetags.letopis import site_name as site_name_tag

    return site_name_tag({"request": request})


def language_home(request):
    """The home page of the active language (cached on the request by ``{% home_page %}``)."""
    from home.templatetags.letopis import home_page

    return home_page({"request": request}) if request is not None else None


def site_url(request, path):
    """An absolute URL of a path of this site."""
    return request.build_absolute_uri(path)


def page_url(page, request):
    """A page's absolute URL (see the module's docstring), "" if it has none."""
    if request is None:
        return page.get_full_url() or ""
    url = page.get_url(request)
    return request.build_absolute_uri(url) if url else ""


def in_language():
    return get_language() or settings.LANGUAGE_CODE


def organisation(request):
    """The publisher: the regional library that runs the network (the site settings)."""
    obj = site_settings(request)
    data = {"@type": "Organization", "name": (obj and obj.localized("organisation")) or ""}
    if not data["name"]:
        data["name"] = site_name(request)
    if obj is None:
        return data
    if address := obj.localized("address"):
        data["address"] = {"@type": "PostalAddress", "streetAddress": address}
    if obj.phone:
        data["telephone"] = obj.phone
    if obj.email:
        data["email"] = obj.email
    if obj.website:
        data["url"] = obj.website
    same_as = [url for url in (obj.vk_url, obj.telegram_url) if url]
    if same_as:
        data["sameAs"] = same_as
    return data


def website(request):
    """A reference to the web site (``isPartOf`` of every page)."""
    home = language_home(request)
    data = {"@type": "WebSite", "name": site_name(request)}
    if home is not None:
        data["url"] = page_url(home, request)
    return data


def search_action(request):
    """The site's search as a SearchAction (the search box of a search engine's result)."""
    try:
        path = reverse("search")
    except NoReverseMatch:
        return None
    return {
        "@type": "SearchAction",
        "target": {
            "@type": "EntryPoint",
            "urlTemplate": site_url(request, path) + "?q={search_term_string}",
        },
        "query-input": "required name=search_term_string",
    }


# -- pages ---------------------------------------------------------------------------------


def page_summary(page, length=SUMMARY_LENGTH):
    """The page's search description, else its intro, lead, description or biography."""
    text = page.search_description
    if not text:
        for name in SUMMARY_FIELDS:
            value = getattr(page, name, None)
            if value and isinstance(value, str):
                text = value
                break
    return plain_text(text, length)


def describe(data, page, image_url=""):
    """Add the description, the image and the language shared by every page's node."""
    if description := page_summary(page, DESCRIPTION_LENGTH):
        data["description"] = description
    if image_url:
        data["image"] = image_url
    data.setdefault("inLanguage", in_language())
    return data


def page_reference(page, request, schema_type):
    return {"@type": schema_type, "name": page.title, "url": page_url(page, request)}


def item_list(pages, request):
    """The pages a listing shows as an ItemList of their URLs (a summary page's list, as
    search engines read it); the names are on the page itself."""
    return {
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": page_url(item, request)}
            for position, item in enumerate(pages, start=1)
        ],
    }


def collection_page(page, request, image_url=""):
    """A listing page (projects, libraries, the map, the Book of Memory): a CollectionPage.

    ``page_graph`` adds the list it shows (``mainEntity``) from the template's context.
    """
    data = {
        "@type": "CollectionPage",
        "name": page.title,
        "url": page_url(page, request),
        "isPartOf": website(request),
    }
    return describe(data, page, image_url)


def breadcrumbs(page, request):
    """The BreadcrumbList of a page below the home page: its ancestors in the tree."""
    if page.depth is None or page.depth <= 2:
        return None
    ancestors = Page.objects.ancestor_of(page).filter(depth__gte=2)
    trail = [*ancestors.only("id", "title", "url_path", "depth", "path"), page]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": item.title,
                "item": page_url(item, request),
            }
            for position, item in enumerate(trail, start=1)
        ],
    }


def page_graph(page, request, image_url="", listing=None):
    """The page's schema.org graph: its own node (with ``listing``, the pages a listing page
    shows) and its breadcrumbs."""
    method = getattr(page, "structured_data", None)
    if callable(method):
        node = method(request, image_url=image_url)
    else:
        node = describe(
            {"@type": "WebPage", "name": page.title, "url": page_url(page, request)},
            page,
            image_url,
        )
    node = {key: value for key, value in node.items() if key != "@context"}
    if listing is not None and node.get("@type") == "CollectionPage":
        node["mainEntity"] = item_list(listing, request)
    graph = [node]
    if trail := breadcrumbs(page, request):
        graph.append(trail)
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}


# -- the picture ---------------------------------------------------------------------------


def own_image(page):
    """The page's own picture: ``share_image()`` (a contribution's postcard), else its cover,
    main image or photo."""
    method = getattr(page, "share_image", None)
    image = method() if callable(method) else None
    for name in ("cover_image", "hero_image", "photo"):
        if image is None:
            image = getattr(page, name, None)
    return image


def default_image(request):
    """The site settings' share image, else the main image of the home page of the active
    language, else of the site's root home page (one query for both)."""
    obj = site_settings(request)
    image = obj.share_image if obj is not None else None
    if image is not None:
        return image
    from home.models import HomePage

    site = Site.find_for_request(request)
    home = language_home(request)
    candidates = [pk for pk in (home and home.pk, site and site.root_page_id) if pk]
    homes = HomePage.objects.filter(pk__in=candidates, hero_image__isnull=False)
    pictures = {h.pk: h.hero_image for h in homes.select_related("hero_image")}
    return next((pictures[pk] for pk in candidates if pk in pictures), None)


def rendition_of(image, request):
    """The share rendition of an image as the card's fields, or None if it cannot be made."""
    try:
        rendition = image.get_rendition(SHARE_SPEC)
    except Exception:  # a broken or missing image file must not break the page
        return None
    return {
        "url": request.build_absolute_uri(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": getattr(image, "default_alt_text", "") or image.title,
        "type": SHARE_IMAGE_TYPE,
    }


def share_image(page, request):
    """The card's picture: ``{url, width, height, alt, type, own}``, or None.

    ``own`` is false for the site's default picture, which is not the page's: JSON-LD
    names only a page's own image.
    """
    if isinstance(page, Page):
        image = own_image(page)
        if image is not None and (card := rendition_of(image, request)):
            return {**card, "own": True}
    image = default_image(request)
    if image is not None and (card := rendition_of(image, request)):
        return {**card, "own": False}
    return None


# -- the whole card ------------------------------------------------------------------------


def _og_locale(code):
    return OG_LOCALES.get(code, code.replace("-", "_"))


def _page_properties(page):
    """OpenGraph properties of the page's type: article dates, a hero's names."""
    og_type = OG_TYPES.get(page._meta.label_lower, "website")
    properties = []
    if og_type == "article":
        if page.first_published_at:
            properties.append(("article:published_time", page.first_published_at.isoformat()))
        if page.last_published_at:
            properties.append(("article:modified_time", page.last_published_at.isoformat()))
    elif og_type == "profile":
        for name, field in (
            ("profile:first_name", "first_name"),
            ("profile:last_name", "last_name"),
        ):
            if value := getattr(page, field, ""):
                properties.append((name, value))
    return og_type, properties


def _search_meta(request, meta, query):
    """The search page: its own URL (with the query), a SearchResultsPage."""
    path = request.path
    if query:
        params = QueryDict(mutable=True)
        params["q"] = query
        path += "?" + params.urlencode()
    meta["url"] = meta["canonical"] = site_url(request, path)
    if query:
        meta["title"] = gettext("Поиск: %(search_query)s") % {"search_query": query}
    else:
        meta["title"] = gettext("Поиск по архиву")
    meta["description"] = gettext(
        "Поиск по архиву: герои Книги памяти, памятники, материалы библиотек, проекты и документы."
    )
    current = in_language()
    meta["locale_alternates"] = [
        _og_locale(code) for code, _name in settings.LANGUAGES if code != current
    ]
    node = {
        "@type": "SearchResultsPage",
        "name": meta["title"],
        "url": meta["url"],
        "inLanguage": current,
        "isPartOf": website(request),
    }
    meta["json_ld"] = json_ld({"@context": SCHEMA_CONTEXT, "@graph": [node]})


def page_meta(request, page=None, search=None, context=None):
    """Everything ``social_meta.html`` writes, as a dict.

    ``page`` is the Wagtail page being served, ``context`` its template context (a listing
    page's list); ``search`` the search view's query (``""`` for the empty search page, None
    for other views). Other views (the 404 page) get the site's title, tagline and picture,
    and no canonical link.
    """
    obj = site_settings(request)
    tagline = obj.localized("tagline") if obj is not None else ""
    meta = {
        "title": site_name(request),
        "description": tagline,
        "url": site_url(request, request.path),
        "canonical": "",
        "type": "website",
        "properties": [],
        "locale": _og_locale(in_language()),
        "locale_alternates": [],
        "image": None,
        "json_ld": "",
    }
    is_page = isinstance(page, Page)
    meta["image"] = share_image(page if is_page else None, request)
    if is_page:
        meta["title"] = page.seo_title or page.title
        meta["description"] = page_summary(page) or tagline
        meta["url"] = meta["canonical"] = page_url(page, request) or meta["url"]
        meta["type"], meta["properties"] = _page_properties(page)
        if page.pk:
            codes = (
                page.get_translations()
                .live()
                .values_list("locale__language_code", flat=True)
                .order_by("locale__language_code")
            )
            meta["locale_alternates"] = [_og_locale(code) for code in codes]
        image = meta["image"]
        image_url = image["url"] if image and image["own"] else ""
        listing_name = LISTINGS.get(page._meta.label_lower)
        listing = context.get(listing_name) if listing_name and context is not None else None
        meta["json_ld"] = json_ld(page_graph(page, request, image_url, listing))
    elif search is not None:
        _search_meta(request, meta, search)
    image = meta["image"]
    if image and image["url"].startswith("https://"):
        meta["image"] = {**image, "secure_url": image["url"]}
    return meta
