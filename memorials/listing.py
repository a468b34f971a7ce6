"""Contexts of the memorial map page and of the Book of Memory.

Both render with a fixed number of queries whatever the number of memorials or heroes:
the lists are paginated and load only the columns they show, the filter options and the
per-district counts are one ``GROUP BY`` each, and the map's points are not in the page
at all (the map fetches the GeoJSON, which is cached).
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from network.regions import DISTRICTS, REGION_BOUNDS, get_district

from .locales import default_locale
from .models import HeroPage, MemorialKind, MemorialPage
from .text import RUSSIAN_ALPHABET, fold
from .vocabulary import kind_from_text

MEMORIALS_PER_PAGE = 50
HEROES_PER_PAGE = 50
#: A surname filter longer than any surname is cut, not refused.
MAX_QUERY_LENGTH = 100

LIST_FIELDS = (
    "pk",
    "title",
    "url_path",
    "locale_id",
    "kind",
    "settlement",
    "district",
    "year_unveiled",
)
HERO_LIST_FIELDS = (
    "pk",
    "title",
    "url_path",
    "locale_id",
    "rank",
    "birth_year",
    "death_year",
    "fate",
    "initial",
)


# -- districts and the white spots ---------------------------------------------------------


def district_counts():
    """``{district name: number of published memorials}``, counted on the source pages."""
    rows = (
        MemorialPage.objects.published()
        .filter(locale=default_locale())
        .order_by()
        .values("district")
        .annotate(count=Count("pk"))
    )
    return {row["district"]: row["count"] for row in rows}


def district_table(counts):
    """The region's districts in their order with their counts, then other districts.

    Returns ``(rows, white_spots)``: rows are ``{"name", "count", "district"}`` (``district``
    is the reference ``network.regions.District`` or None for a partner region's district),
    white spots the region's districts with no memorial described yet.
    """
    rows = [{"name": d.name, "count": counts.get(d.name, 0), "district": d} for d in DISTRICTS]
    known = {d.name for d in DISTRICTS}
    rows += [
        {"name": name, "count": count, "district": None}
        for name, count in sorted(counts.items())
        if name and name not in known
    ]
    white_spots = [row["district"] for row in rows if row["district"] and not row["count"]]
    return rows, white_spots


def read_district(value, known_names):
    """A district filter value: a name from the reference list (full or short) or one of
    ``known_names``; returns ``(name or "", error message or None)``."""
    value = (value or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if not value:
        return "", None
    district = get_district(value)
    if district is not None:
        return district.name, None
    if value in known_names:
        return value, None
    return "", _("Район «%(name)s» не найден в справочнике области.") % {"name": value}


def read_kind(value):
    value = (value or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if not value:
        return "", None
    kind = kind_from_text(value)
    if kind is None:
        return "", _("Вида памятника «%(kind)s» нет; выберите из списка.") % {"kind": value}
    return kind.value, None


def geojson_url(locale_code, **filters):
    params = {"lang": locale_code, **{k: v for k, v in filters.items() if v}}
    return f"{reverse('memorials_geojson')}?{urlencode(params)}"


def memorial_map_context(page, request):
    """Context of ``MemorialIndexPage``:

    - ``memorials``: a Django ``Page`` of memorials matching the filters (the list)
    - ``memorial_count``, ``hero_count``: the totals under the title
    - ``filters`` (``district``, ``kind``), ``filter_errors`` (Russian messages)
    - ``district_rows``, ``white_spots``: every district with its count; those with none
    - ``kinds``: the choices of the kind filter
    - ``map_data``: the map's configuration (rendered with ``json_script``)
    - ``downloads``: the open data links
    """
    counts = district_counts()
    rows, white_spots = district_table(counts)
    district, district_error = read_district(request.GET.get("district"), set(counts))
    kind, kind_error = read_kind(request.GET.get("kind"))
    filters = {"district": district, "kind": kind}

    memorials = page.memorials()
    if district:
        memorials = memorials.filter(district=district)
    if kind:
        memorials = memorials.filter(kind=kind)
    memorials = memorials.only(*LIST_FIELDS).order_by("district", "settlement", "title", "pk")
    page_obj = Paginator(memorials, MEMORIALS_PER_PAGE).get_page(request.GET.get("page"))

    language = page.locale.language_code
    kinds = [(str(code), str(label)) for code, label in MemorialKind.choices]
    return {
        "memorials": page_obj,
        "memorial_count": page_obj.paginator.count,
        "memorial_total": sum(counts.values()),
        "hero_count": HeroPage.objects.published().filter(locale=default_locale()).count(),
        "filters": filters,
        "filters_active": any(filters.values()),
        "filter_errors": [e for e in (district_error, kind_error) if e],
        "district_rows": rows,
        "white_spots": white_spots,
        "kinds": kinds,
        "map_data": {
            "geojson": geojson_url(language),
            "kinds": dict(kinds),
            "filters": filters,
            "bounds": [[REGION_BOUNDS[0], REGION_BOUNDS[1]], [REGION_BOUNDS[2], REGION_BOUNDS[3]]],
            "whiteSpots": [
                {"name": d.name, "centre": d.centre, "lat": d.lat, "lon": d.lon}
                for d in white_spots
            ],
            "strings": {
                "label": _("Карта памятников"),
                "count": _("На карте памятников: %(count)s"),
                "none": _("Таких памятников на карте нет."),
                "loading": _("Карта загружается…"),
                "failed": _(
                    "Не удалось загрузить памятники на карту; они перечислены в списке ниже."
                ),
                "whiteSpot": _("Белое пятно: %(name)s — здесь ещё не описан ни один памятник."),
                "more": _("Подробнее"),
                # Before a group's count on the map, for screen readers.
                "cluster": _("Памятников в этой группе:"),
            },
        },
        "downloads": {
            "geojson": geojson_url(language),
            "csv": reverse("memorials_csv"),
            "heroes_csv": reverse("heroes_csv"),
        },
    }


# -- the Book of Memory ------------------------------------------------------------------


def read_letter(value, letters):
    value = (value or "").replace("\x00", "").strip()
    if not value:
        return "", None
    letter = fold(value)[:2].upper()
    if len(letter) == 1 and letter in letters:
        return letter, None
    return "", _("Буквы «%(letter)s» нет в указателе.") % {"letter": value[:10]}


def hero_index_context(page, request):
    """Context of ``HeroIndexPage``:

    - ``heroes``: a Django ``Page`` of heroes (50 a page) in alphabetical order
    - ``letters``: ``[(letter, count)]`` of the А–Я index (count 0: no surname on it)
    - ``letter``, ``query``: the active filters; ``filter_errors``: Russian messages
    """
    heroes = page.heroes()
    rows = heroes.order_by().values("initial").annotate(count=Count("pk"))
    counts = {row["initial"]: row["count"] for row in rows}
    alphabet = list(RUSSIAN_ALPHABET)
    alphabet += sorted(letter for letter in counts if letter and letter not in alphabet)
    letters = [(letter, counts.get(letter, 0)) for letter in alphabet]

    letter, letter_error = read_letter(request.GET.get("letter"), set(alphabet))
    raw_query = (request.GET.get("q") or "").replace("\x00", "")
    query = fold(raw_query)[:MAX_QUERY_LENGTH].strip()
    if letter:
        heroes = heroes.filter(initial=letter)
    if query:
        heroes = heroes.filter(name_key__startswith=query)
    heroes = heroes.only(*HERO_LIST_FIELDS).order_by("name_key", "pk")
    page_obj = Paginator(heroes, HEROES_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "heroes": page_obj,
        "hero_count": page_obj.paginator.count,
        "hero_total": sum(counts.values()),
        "letters": letters,
        "letter": letter,
        "query": raw_query.strip()[:MAX_QUERY_LENGTH],
        "filters_active": bool(letter or query),
        "filter_errors": [letter_error] if letter_error else [],
    }
