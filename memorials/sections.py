"""The memorials' section of the home page: the map and the Book of Memory in figures;
the heroes of «В этот день» (``home.on_this_day``)."""

from home.on_this_day import DayEvent, register_day_source
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


@register_day_source
def heroes_on_day(home_page, request, month, day, limit):
    """Heroes of the Book of Memory born or fallen on this day and month."""
    heroes = (
        HeroPage.objects.live()
        .public()
        .filter(locale_id=home_page.locale_id)
        .on_day(month, day)
        .order_by("name_key", "pk")[:limit]
    )
    events = []
    for hero in heroes:
        url = hero.get_url(request)
        for kind, date, label in (
            ("death", hero.death_date, hero.death_label),
            ("birth", hero.birth_date, hero.birth_label),
        ):
            if date is not None and (date.month, date.day) == (month, day):
                events.append(
                    DayEvent(
                        kind=kind,
                        year=date.year,
                        month=month,
                        day=day,
                        url=url,
                        link_text=hero.title,
                        lead=str(label),
                        source=hero.rank,
                        sort_key=(1, hero.name_key, kind),
                    )
                )
    return events
