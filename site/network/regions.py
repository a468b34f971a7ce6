"""Reference data of the network's region: its municipal districts and their centres.

The demo network is built in Калужская область (Kaluga oblast). Its 24 municipal
districts and the two city districts (городские округа) are listed here with the
administrative centre of each and the approximate coordinates of that centre (WGS84
decimal degrees, rounded to about a kilometre: they place a district on a small-scale
map, they are not survey data).

The data drives the library directory's district filter order and the demo libraries
now, and the "white spots" of the memorial map later (districts with no memorial
described yet), so it is plain, importable Python with no database access::

    from network.regions import DISTRICTS, REGION_NAME, district_names, get_district

    for district in DISTRICTS:
        district.name, district.centre, district.lat, district.lon

Names are the forms used in the ``LibraryPage.district`` field: «Козельский район»,
«город Калуга». ``District.short_name`` is the adjective alone («Козельский»). Those
names are data and stay Russian in every language; ``label(name)`` (or
``District.label``) is the name to show a reader, translated by gettext on English pages.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

REGION_NAME = "Калужская область"

#: Regions whose libraries take part in the network as partners.
PARTNER_REGIONS = ("Брянская область", "Смоленская область")

#: Every region the network knows, the home region first.
REGIONS = (REGION_NAME, *PARTNER_REGIONS)

#: The regional centre: the default centre of maps with nothing on them.
REGION_CENTRE = (54.5293, 36.2754)

#: The region's extent, (south, west, north, east): a sanity check for coordinates
#: typed by editors and the default view of the region's map.
REGION_BOUNDS = (53.3, 33.5, 55.3, 37.3)


@dataclass(frozen=True)
class District:
    """A municipal district (муниципальный район) or city district (городской округ)."""

    short_name: str  # «Козельский», «город Калуга»
    centre: str  # the administrative centre, with its kind: «г. Козельск», «с. Износки»
    lat: float
    lon: float
    is_city: bool = False  # a city district (городской округ), not a rural district

    @property
    def name(self):
        """The full name as stored on pages: «Козельский район», «город Калуга»."""
        return self.short_name if self.is_city else f"{self.short_name} район"

    @property
    def label(self):
        """The full name for a reader, in the active language (see ``label``)."""
        return label(self.name)

    @property
    def point(self):
        return (self.lat, self.lon)

    def __str__(self):
        return self.name


# Alphabetical, as the region's own lists are; the two city districts follow.
DISTRICTS = (
    District("Бабынинский", "п. Бабынино", 54.3875, 35.7375),
    District("Барятинский", "с. Барятино", 54.3180, 34.6400),
    District("Боровский", "г. Боровск", 55.2075, 36.4878),
    District("Дзержинский", "г. Кондрово", 54.7953, 35.9292),
    District("Думиничский", "п. Думиничи", 53.9290, 35.1050),
    District("Жиздринский", "г. Жиздра", 53.7522, 34.7356),
    District("Жуковский", "г. Жуков", 55.0300, 36.7450),
    District("Износковский", "с. Износки", 54.6350, 35.2950),
    District("Кировский", "г. Киров", 54.0789, 34.3072),
    District("Козельский", "г. Козельск", 54.0353, 35.7800),
    District("Куйбышевский", "п. Бетлица", 54.0650, 33.8450),
    District("Людиновский", "г. Людиново", 53.8681, 34.4397),
    District("Малоярославецкий", "г. Малоярославец", 55.0114, 36.4614),
    District("Медынский", "г. Медынь", 54.9683, 35.8597),
    District("Мещовский", "г. Мещовск", 54.3194, 35.2817),
    District("Мосальский", "г. Мосальск", 54.4944, 34.9861),
    District("Перемышльский", "с. Перемышль", 54.2667, 36.2167),
    District("Спас-Деменский", "г. Спас-Деменск", 54.4094, 34.0189),
    District("Сухиничский", "г. Сухиничи", 54.0975, 35.3444),
    District("Тарусский", "г. Таруса", 54.7228, 37.1783),
    District("Ульяновский", "с. Ульяново", 53.7150, 35.4800),
    District("Ферзиковский", "п. Ферзиково", 54.5220, 36.7640),
    District("Хвастовичский", "с. Хвастовичи", 53.4630, 35.0930),
    District("Юхновский", "г. Юхнов", 54.7444, 35.2311),
    District("город Калуга", "г. Калуга", 54.5293, 36.2754, is_city=True),
    District("город Обнинск", "г. Обнинск", 55.0968, 36.6101, is_city=True),
)

_BY_NAME = {d.name: d for d in DISTRICTS} | {d.short_name: d for d in DISTRICTS}

#: The names above as a reader sees them, in the active language. The stored names are
#: data — filter values, import keys, ``LibraryPage.region``/``district`` and the memorials'
#: synchronised ``district`` — and stay Russian in every language; only display goes
#: through these labels.
LABELS = {
    "Калужская область": _("Калужская область"),
    "Брянская область": _("Брянская область"),
    "Смоленская область": _("Смоленская область"),
    "Бабынинский район": _("Бабынинский район"),
    "Барятинский район": _("Барятинский район"),
    "Боровский район": _("Боровский район"),
    "Дзержинский район": _("Дзержинский район"),
    "Думиничский район": _("Думиничский район"),
    "Жиздринский район": _("Жиздринский район"),
    "Жуковский район": _("Жуковский район"),
    "Износковский район": _("Износковский район"),
    "Кировский район": _("Кировский район"),
    "Козельский район": _("Козельский район"),
    "Куйбышевский район": _("Куйбышевский район"),
    "Людиновский район": _("Людиновский район"),
    "Малоярославецкий район": _("Малоярославецкий район"),
    "Медынский район": _("Медынский район"),
    "Мещовский район": _("Мещовский район"),
    "Мосальский район": _("Мосальский район"),
    "Перемышльский район": _("Перемышльский район"),
    "Спас-Деменский район": _("Спас-Деменский район"),
    "Сухиничский район": _("Сухиничский район"),
    "Тарусский район": _("Тарусский район"),
    "Ульяновский район": _("Ульяновский район"),
    "Ферзиковский район": _("Ферзиковский район"),
    "Хвастовичский район": _("Хвастовичский район"),
    "Юхновский район": _("Юхновский район"),
    "город Калуга": _("город Калуга"),
    "город Обнинск": _("город Обнинск"),
}


def district_names():
    """The full district names in the region's order, e.g. for a filter's options."""
    return [d.name for d in DISTRICTS]


def get_district(name):
    """The district called ``name`` (full «Козельский район» or short «Козельский»), or None."""
    return _BY_NAME.get((name or "").strip())


def label(name):
    """A region's or district's name for display in the active language: «Козельский
    район» on Russian pages, its English rendering on English ones (from the ``en``
    catalogue). Names not in the reference data (a partner region's district) are
    returned as they are."""
    key = (name or "").strip()
    district = _BY_NAME.get(key)
    return str(LABELS.get(district.name if district else key, name or ""))


def district_order(name):
    """A sort key that puts the region's districts in their listed order, others after."""
    district = get_district(name)
    return (0, DISTRICTS.index(district), "") if district else (1, 0, name or "")


def in_region(lat, lon):
    """Whether a point lies inside the region's bounding box (a coarse check, not a border)."""
    south, west, north, east = REGION_BOUNDS
    return south <= float(lat) <= north and west <= float(lon) <= east
