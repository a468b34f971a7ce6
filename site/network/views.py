"""The public library directory: filters, pagination and map points of ``LibraryIndexPage``.

The directory renders with a fixed number of queries whatever the number of libraries:
the listing joins each card's photo and prefetches the card's rendition, the filter
options come from one ``DISTINCT`` query and the map points from one narrow query.
"""

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When

from wagtail.models import Locale

from home.images import renditions_prefetch

from .models import LIBRARIES_PER_PAGE, LibraryPage, LibraryType
from .regions import REGION_NAME, district_order
from .regions import label as region_label

#: The picture of a library's photo on its directory card: the spec of library_card.html,
#: whose renditions (every size and format, home/images.py) the directory prefetches.
CARD_PHOTO_SPEC = "fill-{480x320,960x640}"

#: GET parameters of the directory's filter form.
FILTER_PARAMS = ("district", "type", "region")

# The fields a map point reads: the map's query loads nothing else.
POINT_FIELDS = ("title", "url_path", "latitude", "longitude", "settlement", "district", "region")


def library_place(library, with_region=True):
    """Where a library is, as one line: «с. Утешево, Бабынинский район».

    A city district is not repeated after its city («г. Калуга», not «г. Калуга, город
    Калуга»); another region than the network's own is named when ``with_region``. Region and
    district names are shown in the active language.
    """
    parts = [library.settlement]
    district = library.district
    if district and district != library.settlement and not district.startswith("город "):
        parts.append(district)
    if not library.settlement and district:
        parts.append(district)
    if with_region and library.region and library.region != REGION_NAME:
        parts.append(library.region)
    return ", ".join(dict.fromkeys(region_label(p) for p in parts if p))


def library_point(library, request=None):
    """A library as a map point: ``{lat, lon, title, url, popup}``, or None without coordinates.

    ``popup`` is plain text (map.js writes it with ``textContent``): where the library is.
    """
    if library.latitude is None or library.longitude is None:
        return None
    return {
        "lat": float(library.latitude),
        "lon": float(library.longitude),
        "title": library.title,
        "url": library.get_url(request),
        "popup": library_place(library),
    }


def directory_libraries(index_page):
    """The directory's libraries and, on a translated directory, the language they are in.

    A translated directory (the English one) lists its own translated libraries and, for
    libraries not translated yet, their pages in the default language, so the directory
    of another language is never emptier than the Russian one. Returns
    ``(queryset, fallback_language_code or None)``.
    """
    own = index_page.libraries()
    default_locale = Locale.get_default()
    if index_page.locale_id == default_locale.pk:
        return own, None
    source = index_page.get_translation_or_none(default_locale)
    if source is None:
        return own, None
    untranslated = source.specific.libraries().exclude(
        translation_key__in=own.values("translation_key")
    )
    combined = LibraryPage.objects.filter(
        Q(pk__in=own.values("pk")) | Q(pk__in=untranslated.values("pk"))
    ).select_related("photo")
    return combined, default_locale.language_code


def _region_key(region):
    # The network's own region first, partner regions after it in alphabetical order.
    return (region != REGION_NAME, region)


def filter_options(libraries):
    """The choices the filter form offers: only values some library actually has."""
    rows = set(libraries.order_by().values_list("region", "district", "library_type").distinct())
    regions = sorted({region for region, _, _ in rows if region}, key=_region_key)
    districts = {}
    for region, district, _ in rows:
        if district:
            districts.setdefault(region, set()).add(district)
    present_types = {library_type for _, _, library_type in rows}
    return {
        "regions": regions,
        # [(region, [district, …]), …]: <optgroup>s when partner regions are present.
        "district_groups": [
            (region, sorted(districts[region], key=district_order))
            for region in regions
            if region in districts
        ],
        "districts": {d for names in districts.values() for d in names},
        "types": [(value, label) for value, label in LibraryType.choices if value in present_types],
    }


def read_filters(params, options):
    """The valid filter values of a query string; anything unknown is ignored (never a 500)."""
    filters = {name: params.get(name, "").strip() for name in FILTER_PARAMS}
    if filters["district"] not in options["districts"]:
        filters["district"] = ""
    if filters["type"] not in {value for value, _ in options["types"]}:
        filters["type"] = ""
    if filters["region"] not in options["regions"]:
        filters["region"] = ""
    return filters


def apply_filters(libraries, filters):
    if filters["district"]:
        libraries = libraries.filter(district=filters["district"])
    if filters["type"]:
        libraries = libraries.filter(library_type=filters["type"])
    if filters["region"]:
        libraries = libraries.filter(region=filters["region"])
    return libraries


def directory_order(libraries):
    """The region's libraries first, the regional library at their head, then by district."""
    return libraries.order_by(
        Case(
            When(region=REGION_NAME, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        "region",
        Case(
            When(library_type=LibraryType.REGIONAL, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "district",
        "title",
    )


def map_points(libraries, request):
    """Points of all the filtered libraries (every page of the list, not just this one)."""
    located = (
        libraries.select_related(None)
        .prefetch_related(None)
        .exclude(latitude=None)
        .exclude(longitude=None)
        .only(*POINT_FIELDS)
    )
    return [point for library in located if (point := library_point(library, request))]


def library_directory_context(index_page, request):
    """Context of the directory page (called by ``LibraryIndexPage.get_context``).

    - ``libraries``: a Django ``Page`` of ``LibraryPage`` objects (24 per page)
    - ``library_count``: the number of libraries matching the filters
    - ``filters``: the valid filter values, ``{"district", "type", "region"}``
    - ``filters_active``: whether any filter is set
    - ``filter_options``: ``regions``, ``district_groups`` and ``types`` for the form
    - ``map_points``: ``[{lat, lon, title, url, popup}, …]`` for ``components/map.html``
    - ``fallback_language``: the language code of untranslated libraries shown on a
      translated directory (None on the Russian directory)
    - ``home_region``: the network's region (cards name other regions only)
    """
    libraries, fallback_language = directory_libraries(index_page)
    options = filter_options(libraries)
    filters = read_filters(request.GET, options)
    filtered = directory_order(apply_filters(libraries, filters))
    listing = filtered.select_related("photo").prefetch_related(
        renditions_prefetch("photo__renditions", CARD_PHOTO_SPEC)
    )
    page_obj = Paginator(listing, LIBRARIES_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "libraries": page_obj,
        "library_count": page_obj.paginator.count,
        "filters": filters,
        "filters_active": any(filters.values()),
        "filter_options": options,
        "map_points": map_points(filtered, request),
        "fallback_language": fallback_language,
        "home_region": REGION_NAME,
    }
