"""Template tags for the site's chrome: menu, language switcher, localized settings."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from wagtail.models import Locale, Page, Site

from home.text import plural_ru

register = template.Library()


def _language_home(request, language_code=None):
    """The home page of the site in a language (the site root's translation), or None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    code = language_code or get_language()
    try:
        locale = Locale.objects.get_for_language(code)
    except Locale.DoesNotExist:
        return root
    return root.get_translation_or_none(locale) or root


@register.simple_tag(takes_context=True)
def home_page(context):
    request = context.get("request")
    if request is None:
        return None
    cache = request.__dict__.setdefault("_letopis_home", {})
    code = get_language()
    if code not in cache:
        cache[code] = _language_home(request, code)
    return cache[code]


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live menu pages under the home page of the active language, the current section marked."""
    home = home_page(context)
    if home is None:
        return []
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    return [
        {"page": item, "active": bool(current_path) and current_path.startswith(item.path)}
        for item in home.get_children().live().public().in_menu()
    ]


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language, to the translation of the current page where it exists.

    Pages without a live translation link to that language's home page; views that are not
    pages (search) link to the same path under the other language's prefix.
    """
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    links = []
    for code, _name in settings.LANGUAGES:
        # Each language is named in itself: «Русский», «English».
        name = get_language_info(code)["name_local"]
        if code in translations:
            url = translations[code].get_url(request)
        elif page is not None and isinstance(page, Page):
            home = _language_home(request, code)
            url = home.get_url(request) if home else "/"
        else:
            url = translate_url(request.get_full_path(), code) if request else "/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """``hreflang`` alternates of the current page: its live translations, absolute URLs."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk or request is None:
        return []
    return [
        {"code": t.locale.language_code, "url": request.build_absolute_uri(t.get_url(request))}
        for t in page.get_translations(inclusive=True).live().select_related("locale")
    ]


def _site_settings(context):
    request = context.get("request")
    if request is None:
        return None
    from home.models import SiteSettings

    return SiteSettings.for_request(request)


@register.simple_tag(takes_context=True)
def site_text(context, field):
    """A text of the site settings in the active language (its English twin on /en/)."""
    obj = _site_settings(context)
    return obj.localized(field) if obj else ""


@register.simple_tag(takes_context=True)
def site_name(context):
    """Wagtail's site name, or its English twin from the site settings on /en/."""
    request = context.get("request")
    obj = _site_settings(context)
    if obj and obj.site_name_en and (get_language() or "").startswith("en"):
        return obj.site_name_en
    site = Site.find_for_request(request) if request else None
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


@register.filter
def ru_plural(number, forms):
    """``{{ n|ru_plural:"библиотека,библиотеки,библиотек" }}``."""
    one, few, many = forms.split(",")
    return plural_ru(number, one, few, many)


@register.simple_tag(takes_context=True)
def share_image(context):
    """The picture a shared link shows (OpenGraph): a 1200×630 rendition, absolute URL.

    The page's own (``share_image()``: a contribution's first postcard; else its cover, main
    image or photo), else the site's default (see ``home.structured_data.share_image``).
    """
    from home.structured_data import share_image as find_share_image

    request = context.get("request")
    if request is None:
        return None
    return find_share_image(context.get("page"), request)


@register.simple_tag(takes_context=True)
def page_meta(context):
    """The canonical URL, the OpenGraph/Twitter/VK card and the JSON-LD of the page or view
    being rendered (``components/social_meta.html``; see ``home.structured_data``)."""
    from home.structured_data import page_meta as build_page_meta

    request = context.get("request")
    if request is None:
        return None
    match = getattr(request, "resolver_match", None)
    search = None
    if match is not None and match.url_name == "search":
        search = context.get("search_query") or ""
    return build_page_meta(request, page=context.get("page"), search=search, context=context)
