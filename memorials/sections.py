"""The memorials' section of the home page: the map and the Book of Memory in figures."""

from home.sections import Section, register_section

from .locales import default_locale
from .models import HeroIndexPage, HeroPage, MemorialIndexPage, MemorialPage


def _index(model, locale):
    pages = model.objects.live().public()
    return pages.filter(locale=locale).first() or pages.filter(locale=default_locale()).first()


@register_section
def memorial_map(home_page, request):
    map_page = _index(MemorialIndexPage, home_page.locale)
    book = _index(HeroIndexPage, home_page.locale)
    if map_page is None and book is None:
        return None
    source = default_locale()
    return Section(
        "components/memorials_home.html",
        {
            "map_page": map_page,
            "book": book,
            "memorial_count": MemorialPage.objects.published().filter(locale=source).count(),
            "hero_count": HeroPage.objects.published().filter(locale=source).count(),
        },
        order=30,
    )
