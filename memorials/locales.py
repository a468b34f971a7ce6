"""Listing pages across languages: a translated listing is never emptier than the source.

The Book of Memory and the map aggregate pages by query. On the English site a listing
shows each record's English translation where there is one and its Russian page
otherwise (the directory of libraries does the same), so translating records one by one
never hides the untranslated ones.
"""

from django.db.models import Q

from wagtail.models import Locale


def default_locale():
    return Locale.get_default()


def in_locale(queryset, locale):
    """``queryset`` narrowed to ``locale``, completed with untranslated default-locale pages.

    Returns a plain queryset of the same model (``pk__in`` subqueries), ready for ordering,
    ``select_related`` and pagination; the whole thing is one SQL query.
    """
    default = default_locale()
    if locale is None or locale.pk == default.pk:
        return queryset.filter(locale=default)
    own = queryset.filter(locale=locale)
    untranslated = queryset.filter(locale=default).exclude(
        translation_key__in=own.values("translation_key")
    )
    return queryset.model.objects.filter(
        Q(pk__in=own.values("pk")) | Q(pk__in=untranslated.values("pk"))
    )


def localized_pages(pages, locale):
    """``{translation_key: page}`` of the live translations of ``pages`` in ``locale``.

    One query for any number of pages: a hero page's memorials, synchronised from the
    Russian hero, point at Russian memorial pages; the English hero page links to their
    English translations where those exist.
    """
    pages = [p for p in pages if p is not None]
    if not pages or locale is None:
        return {}
    model = type(pages[0])
    keys = {p.translation_key for p in pages if p.locale_id != locale.pk}
    if not keys:
        return {}
    return {
        p.translation_key: p
        for p in model.objects.live().filter(translation_key__in=keys, locale=locale)
    }
