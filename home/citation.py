"""«Как цитировать»: a page's bibliographic reference by ГОСТ Р 7.0.100-2018.

A page of the archive is a part of an electronic resource (the site), so its reference is
an analytic description — the part, then ``//``, then the resource it is part of:

    Заглавие / Сведения об ответственности. – Текст : электронный // Название сайта :
    сведения, относящиеся к заглавию. – Год. – URL: адрес (дата обращения: ДД.ММ.ГГГГ).

- the areas are separated by «. – » (a full stop and an en dash); a full stop that ends
  an element (an abbreviation) is not doubled;
- «Текст : электронный» (the content and media type area) belongs to the part described,
  so it comes before ``//``; the site's own description follows the slashes;
- the site's other title information (its tagline) starts with a small letter; a site
  without a tagline is described as «[сайт]»;
- the year is the year the page was first published; the access date is today's.

The responsibility is the library that prepared the page (a material, a memorial's
description, a hero's story), else the organisation from the site settings. On English
pages the same pattern is written with the English words of the message catalogue.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Site

#: The separator of the areas of a description: a full stop and an en dash.
AREA = ". – "


def reference(page, request=None, today=None):
    """The reference to ``page`` as one line of text; "" for a page never published (a
    preview of a new page has neither its address nor its year yet)."""
    if page.pk is None or page.first_published_at is None:
        return ""
    url = _absolute_url(page, request)
    if not url:
        return ""
    today = today or timezone.localdate()
    site = _site(page, request)
    site_settings = _site_settings(site, request)

    part = page.title.strip()
    responsibility = _responsibility(page, site_settings)
    if responsibility:
        part = f"{part} / {responsibility}"
    part = join_areas([part, _("Текст : электронный")])

    host = _site_name(site, site_settings)
    tagline = site_settings.localized("tagline").strip() if site_settings else ""
    host = f"{host} : {lower_first(tagline)}" if tagline else f"{host} : [{_('сайт')}]"
    year = str(timezone.localtime(page.first_published_at).year)
    accessed = _("дата обращения")
    location = f"URL: {url} ({accessed}: {today:%d.%m.%Y})"
    return f"{part} // {join_areas([host, year, location])}."


def join_areas(areas):
    """Areas joined by «. – », without doubling a full stop that ends an area."""
    text = ""
    for area in (a.strip() for a in areas):
        if not area:
            continue
        if not text:
            text = area
        elif text.endswith((".", "?", "!", "…")):
            text = f"{text} – {area}"
        else:
            text = f"{text}{AREA}{area}"
    return text


def lower_first(text):
    """Other title information starts with a small letter («Летопись : архив…»), unless its
    first word is an abbreviation («ЦБС», «URL»)."""
    first_word = text.split(maxsplit=1)[0] if text else ""
    if len(first_word) > 1 and first_word[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _absolute_url(page, request):
    if request is not None:
        url = page.get_url(request)
        return request.build_absolute_uri(url) if url else ""
    return page.get_full_url() or ""


def _site(page, request):
    if request is not None:
        site = Site.find_for_request(request)
        if site is not None:
            return site
    return page.get_site()


def _site_settings(site, request):
    from .models import SiteSettings

    if request is not None:
        return SiteSettings.for_request(request)
    return SiteSettings.for_site(site) if site is not None else None


def _site_name(site, site_settings):
    """As the header names the site: its English name on English pages, where given."""
    if site_settings and site_settings.site_name_en and _english():
        return site_settings.site_name_en
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def _responsibility(page, site_settings):
    library = getattr(page, "library", None)
    if library is not None:
        # A hero's story may be written by a library whose page is not translated.
        if library.locale_id != page.locale_id:
            translation = library.get_translation_or_none(page.locale)
            if translation is not None and translation.live:
                library = translation
        return library.title.strip()
    return site_settings.localized("organisation").strip() if site_settings else ""


def _english():
    return (get_language() or "").startswith("en")
