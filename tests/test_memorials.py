"""Memorials: validation, pages, the map page and its white spots, the GeoJSON, open data."""

import datetime
import gzip
import json
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

import pytest

from home.text import slugify_ru
from memorials.geojson import dumps, feature
from memorials.models import MemorialPage
from network.regions import DISTRICTS
from tests.admin_forms import admin_create_page
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

GEOJSON = "/api/memorials.geojson"


def count_queries(client, url):
    client.get(url)  # warm caches (site root paths, locales)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx)


# -- validation ----------------------------------------------------------------------------


def memorial(**fields):
    values = {
        "title": "Обелиск",
        "slug": "obelisk",
        "kind": "obelisk",
        "latitude": Decimal("54.5"),
        "longitude": Decimal("36.2"),
    }
    values.update(fields)
    return MemorialPage(**values)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"latitude": None, "longitude": None}, "latitude", "Укажите координаты"),
        ({"latitude": Decimal("95")}, "latitude", "от −90 до 90"),
        ({"longitude": Decimal("-181")}, "longitude", "от −180 до 180"),
        ({"latitude": Decimal("0"), "longitude": Decimal("0")}, "latitude", "Гвинейском заливе"),
        ({"longitude": None}, "longitude", "вместе с широтой"),
        ({"year_unveiled": 2999}, "year_unveiled", "Год открытия должен быть"),
        ({"kind": "obelisk", "buried_known": 12}, "buried_known", "братских могил"),
        ({"ref": "две части"}, "ref", "без пробелов"),
        (
            {"condition": "", "condition_checked": datetime.date(2020, 5, 9)},
            "condition",
            "Укажите состояние",
        ),
        (
            {"condition": "good", "condition_checked": datetime.date(2999, 1, 1)},
            "condition_checked",
            "ещё не наступила",
        ),
    ],
)
def test_memorial_validation_messages_are_russian(regional_library, fields, field, message):
    page = memorial(**fields)
    page.locale_id = regional_library.locale_id
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert message in " ".join(str(m) for m in error.value.message_dict[field])


def test_mass_grave_may_record_the_buried(regional_library):
    page = memorial(kind="mass_grave", buried_known=48, buried_unknown=12)
    page.locale_id = regional_library.locale_id
    page.clean()
    assert page.buried_total == 60


def test_reference_is_unique_within_a_language(make_memorial, regional_library):
    make_memorial(ref="KLG-1")
    page = memorial(ref="KLG-1")
    page.locale_id = regional_library.locale_id
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "уже есть" in str(error.value.message_dict["ref"])


def test_reference_is_made_when_left_empty(make_memorial):
    page = make_memorial(ref="")
    assert page.ref.startswith("m-") and len(page.ref) == 14


def test_district_is_stored_in_its_full_form_and_library_from_the_tree(make_memorial, make_library):
    library = make_library(district="Козельский район")
    page = make_memorial(library=library, district="Козельский")
    assert page.district == "Козельский район"
    assert page.library_id == library.pk


def test_moving_a_memorial_changes_its_library(make_memorial, make_library, regional_library):
    page = make_memorial()
    other = make_library()
    page.move(other, pos="last-child")
    page.refresh_from_db()
    assert page.library_id == other.pk


def test_outside_region_is_a_warning_not_an_error(regional_library):
    page = memorial(latitude=Decimal("55.7539"), longitude=Decimal("37.6208"))
    page.locale_id = regional_library.locale_id
    page.clean()
    assert page.outside_region


# -- the admin -----------------------------------------------------------------------------


def memorial_form(**extra):
    data = {
        "title": "Братская могила советских воинов",
        "slug": "bratskaya-mogila",
        "kind": "mass_grave",
        "latitude": "54,035312345",  # a decimal comma and too many decimals
        "longitude": "35.78",
        "settlement": "г. Козельск",
        "district": "Козельский район",
        "address": "",
        "year_unveiled": "1957",
        "sculptor": "",
        "architect": "",
        "inscription": "Вечная слава героям",
        "buried_known": "112",
        "buried_unknown": "",
        "heritage_number": "",
        "burial_passport_number": "",
        "condition": "good",
        "condition_checked": "2024-05-01",
        "custodian": "",
        "ref": "",
    }
    data.update(extra)
    return data


def test_admin_accepts_coordinates_typed_with_a_comma(admin_browser, regional_library):
    from wagtail.test.utils.form_data import rich_text, streamfield

    data = memorial_form(description=rich_text(""), photos=streamfield([]), sources=streamfield([]))
    response, page = admin_create_page(admin_browser, MemorialPage, regional_library, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert page.latitude == Decimal("54.035312") and page.longitude == Decimal("35.78")
    assert page.library_id == regional_library.pk and page.ref.startswith("m-")


def test_admin_refuses_a_point_at_zero_with_a_russian_message(admin_browser, regional_library):
    from wagtail.test.utils.form_data import rich_text, streamfield

    data = memorial_form(
        latitude="0",
        longitude="0",
        description=rich_text(""),
        photos=streamfield([]),
        sources=streamfield([]),
    )
    response, page = admin_create_page(admin_browser, MemorialPage, regional_library, data)
    assert response.status_code == 200 and page is None
    assert "Гвинейском заливе" in response.content.decode()


def test_admin_warns_about_a_point_outside_the_region(admin_browser, regional_library):
    from wagtail.test.utils.form_data import rich_text, streamfield

    data = memorial_form(
        latitude="55.7539",
        longitude="37.6208",
        description=rich_text(""),
        photos=streamfield([]),
        sources=streamfield([]),
    )
    response, _page = admin_create_page(admin_browser, MemorialPage, regional_library, data)
    assert response.status_code == 302
    messages = admin_browser.get(response["Location"]).content.decode()
    assert "за пределами области" in messages


def test_admin_editor_has_the_map_picker_from_local_files(admin_browser, make_memorial):
    page = make_memorial()
    html = admin_browser.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'data-coordinates-map="' in html
    assert "/static/js/coordinates-widget.js" in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "unpkg" not in html and "cdnjs" not in html


# -- pages ---------------------------------------------------------------------------------


def test_memorial_page_shows_its_facts_heroes_and_structured_data(client, make_memorial, make_hero):
    page = make_memorial(
        title="Братская могила </script><b>",
        kind="mass_grave",
        buried_known=48,
        buried_unknown=12,
        inscription="Вечная слава героям",
    )
    hero = make_hero(memorials=[page], last_name="Петров")
    html = client.get(page.url).content.decode()
    assert "братская могила" in html and "известных: 48" in html
    assert hero.title in html and hero.url in html
    assert "Вечная слава героям" in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert "</script>" not in blocks[0]  # escaped as \u003C/script\u003E
    graph = json.loads(blocks[0])["@graph"]
    data = next(node for node in graph if node["@type"] == "LandmarksOrHistoricalBuildings")
    assert data["name"] == page.title
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 54.0353, "longitude": 35.78}


def test_memorial_page_queries_do_not_grow_with_heroes(client, make_memorial, make_hero):
    small, large = make_memorial(), make_memorial()
    make_hero(memorials=[small])
    for _ in range(30):
        make_hero(memorials=[large])
    assert count_queries(client, small.url) == count_queries(client, large.url)


def test_memorial_page_paginates_its_heroes(client, make_memorial, make_hero, monkeypatch):
    from memorials.models import memorial as module

    monkeypatch.setattr(module, "HEROES_ON_MEMORIAL_PAGE", 2)
    page = make_memorial()
    for name in ("Алексеев", "Борисов", "Васильев"):
        make_hero(memorials=[page], last_name=name)
    first = client.get(page.url).content.decode()
    second = client.get(page.url + "?page=2").content.decode()
    assert "Алексеев" in first and "Васильев" not in first
    assert "Васильев" in second
    assert client.get(page.url + "?page=abc").status_code == 200


# -- the map page --------------------------------------------------------------------------


@pytest.fixture
def network(make_library, make_memorial):
    kozelsk = make_library(
        title="Козельская ЦБС", district="Козельский район", library_type="central"
    )
    izn = make_library(title="Износковская", district="Износковский район")
    memorials = {
        "grave": make_memorial(library=kozelsk, kind="mass_grave", district="Козельский район",
                               title="Братская могила в Козельске"),
        "obelisk": make_memorial(library=kozelsk, kind="obelisk", district="Козельский район",
                                 latitude=Decimal("54.1"), longitude=Decimal("35.9")),
        "stele": make_memorial(library=izn, kind="stele", district="Износковский район",
                               latitude=Decimal("54.63"), longitude=Decimal("35.29")),
    }  # fmt: skip
    return memorials


def test_map_page_lists_memorials_white_spots_and_downloads(client, memorial_index, network):
    html = client.get(memorial_index.url).content.decode()
    for page in network.values():
        assert page.title in html
    white = html[html.index('id="white-spots-title"') :]
    white = white[: white.index("</ul>")]
    assert "Бабынинский район" in white and "Козельский район" not in white
    assert 'href="/api/memorials.geojson?lang=ru"' in html
    assert 'href="/api/memorials.csv"' in html and 'href="/api/heroes.csv"' in html
    assert 'data-memorial-map="memorial-map-data"' in html


def test_map_page_has_no_inline_code(client, memorial_index, network):
    html = client.get(memorial_index.url).content.decode()
    for attrs in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attrs or 'type="application/json"' in attrs or "ld+json" in attrs, attrs
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "unpkg.com" not in html and "cdn" not in html.lower()


def test_map_page_filters_and_bad_filters(client, memorial_index, network):
    html = client.get(
        memorial_index.url, {"district": "Износковский", "kind": "stele"}
    ).content.decode()
    assert network["stele"].title in html and network["grave"].title not in html
    response = client.get(
        memorial_index.url, {"district": "Атлантида\x00", "kind": "pyramid", "page": "-1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Район «Атлантида» не найден" in html and "Вида памятника «pyramid» нет" in html
    assert network["grave"].title in html


def test_map_page_queries_do_not_grow_with_memorials(client, memorial_index, make_memorial):
    make_memorial()
    few = count_queries(client, memorial_index.url)
    for _ in range(25):
        make_memorial()
    assert count_queries(client, memorial_index.url) == few


def test_map_page_paginates_the_list(client, memorial_index, make_memorial, monkeypatch):
    from memorials import listing

    monkeypatch.setattr(listing, "MEMORIALS_PER_PAGE", 2)
    for n in range(3):
        make_memorial(title=f"Памятник {n}", settlement=f"с. {n}")
    first = client.get(memorial_index.url).content.decode()
    assert "Памятник 0" in first and "Памятник 2" not in first
    assert 'rel="next"' in first
    assert "Памятник 2" in client.get(memorial_index.url + "?page=2").content.decode()


def test_home_page_shows_the_memorials_section(
    client, home_page, memorial_index, hero_index, network
):
    html = client.get("/").content.decode()
    assert "Описано памятников: 3" in html
    assert memorial_index.url in html and hero_index.url in html


# -- GeoJSON -------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_of_points(client, network):
    response = client.get(GEOJSON)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 3
    by_ref = {f["properties"]["ref"]: f for f in data["features"]}
    stele = by_ref[network["stele"].ref]
    assert stele["type"] == "Feature"
    assert stele["geometry"] == {"type": "Point", "coordinates": [35.29, 54.63]}  # lon, lat
    assert stele["properties"] == {
        "title": network["stele"].title,
        "url": network["stele"].url,
        "kind": "stele",
        "district": "Износковский район",
        "settlement": network["stele"].settlement,
        "ref": network["stele"].ref,
    }


def test_geojson_leaves_out_drafts_and_private_memorials(client, network, make_memorial):
    make_memorial(live=False)
    private = make_memorial()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert len(json.loads(client.get(GEOJSON).content)["features"]) == 3


@pytest.mark.parametrize(
    ("params", "refs"),
    [
        ({"district": "Козельский район"}, {"grave", "obelisk"}),
        ({"district": "Козельский"}, {"grave", "obelisk"}),
        ({"district": "Бабынинский район"}, set()),
        ({"kind": "mass_grave"}, {"grave"}),
        ({"kind": "Братская могила"}, {"grave"}),
        ({"bbox": "35.5,54.0,36.0,54.5"}, {"grave", "obelisk"}),
        ({"bbox": "35.0,54.5,35.5,55.0", "kind": "stele"}, {"stele"}),
        ({"district": "Козельский район", "kind": "stele"}, set()),
        ({"lang": "en"}, {"grave", "obelisk", "stele"}),
        ({"_": "12345"}, {"grave", "obelisk", "stele"}),
    ],
)
def test_geojson_filters(client, network, params, refs):
    data = json.loads(client.get(GEOJSON, params).content)
    expected = {network[name].ref for name in refs}
    assert {f["properties"]["ref"] for f in data["features"]} == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bbox": "1,2,3"}, "четыре числа"),
        ({"bbox": "a,b,c,d"}, "должны быть числами"),
        ({"bbox": "nan,1,2,3"}, "конечными"),
        ({"bbox": "1,80,2,95"}, "широта"),
        ({"bbox": "200,1,201,2"}, "долгота"),
        ({"bbox": "36,54,35,55"}, "западная граница"),
        ({"bbox": "35,55,36,54"}, "южная граница"),
        ({"kind": "пирамида"}, "Вида памятника"),
        ({"district": "Нарния\x00"}, "не найден"),
        ({"district": "x" * 5000}, "не найден"),
        ({"lang": "de"}, "не поддерживается"),
    ],
)
def test_geojson_bad_parameters_are_a_russian_400(client, network, params, message):
    response = client.get(GEOJSON, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert message in json.loads(response.content)["error"]


def test_geojson_is_cacheable(client, network, make_memorial):
    response = client.get(GEOJSON, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=300" in response["Cache-Control"] and "public" in response["Cache-Control"]
    etag = response["ETag"]
    assert response["Last-Modified"]
    assert json.loads(gzip.decompress(response.content))["type"] == "FeatureCollection"
    again = client.get(GEOJSON, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="gzip")
    assert again.status_code == 304 and not again.content
    make_memorial()
    changed = client.get(GEOJSON, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and len(json.loads(changed.content)["features"]) == 4


def test_geojson_popup_photo(client, make_memorial):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Обелиск", file=get_test_image_file())
    page = make_memorial(photo=image)
    page.save_revision().publish()  # publishing makes the popup's thumbnail
    feature = json.loads(client.get(GEOJSON).content)["features"][0]
    assert feature["properties"]["photo"].startswith("/media/images/")


#: The budget of the map's data on a phone: 5,000 memorials, gzipped (measured: about 120 KB).
GZIP_LIMIT_5000 = 250_000


def test_geojson_of_5000_memorials_stays_small_gzipped(regional_library):
    """5,000 features as the view makes them, with realistic titles, places and URLs.

    Built in memory with the view's own ``feature()``: 5,000 pages in the database would
    only slow the suite down. Gzipped at level 6, as Django's gzip does.
    """
    titles = ["Братская могила советских воинов", "Обелиск воинам-землякам",
              "Памятник воинам-освободителям", "Мемориальная доска на здании школы"]  # fmt: skip
    kinds = ["mass_grave", "obelisk", "monument", "plaque"]
    library_url = "/biblioteki/kozelskaya-centralnaya-rajonnaya-biblioteka/"
    features = []
    for n in range(5000):
        page = MemorialPage(
            pk=100_000 + n,
            title=titles[n % 4],
            kind=kinds[n % 4],
            latitude=Decimal(f"{53.4 + (n * 7919 % 19000) / 10000:.6f}"),
            longitude=Decimal(f"{33.6 + (n * 104729 % 37000) / 10000:.6f}"),
            district=DISTRICTS[n % len(DISTRICTS)].name,
            settlement=f"д. Деревня {n}",
            ref=f"KLG-{n:05d}",
        )
        url = f"{library_url}{slugify_ru(page.title + ' ' + page.settlement)}/"
        features.append(feature(page, url))
    body = dumps({"type": "FeatureCollection", "features": features})
    size = len(gzip.compress(body, 6))
    print(f"GeoJSON of 5,000 memorials: {len(body):,} bytes, {size:,} bytes gzipped")
    assert size < GZIP_LIMIT_5000


# -- open data -----------------------------------------------------------------------------


def test_csv_download_has_the_import_columns(client, network):
    response = client.get("/api/memorials.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffref;title;kind;latitude;longitude;settlement;district;")
    assert network["stele"].ref in text and "54.63;35.29" in text


def test_api_exposes_memorial_fields(client, network, make_hero):
    page = network["grave"]
    make_hero(memorials=[page], ref="H-API")
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    for field in ("kind", "latitude", "longitude", "district", "settlement", "ref", "heroes",
                  "condition", "buried_known", "heritage_number", "library"):  # fmt: skip
        assert field in data, field
    assert data["ref"] == page.ref
    assert data["heroes"][0]["ref"] == "H-API"
    listing = client.get("/api/v2/pages/", {"type": "memorials.MemorialPage", "fields": "ref,kind"})
    assert listing.status_code == 200 and listing.json()["meta"]["total_count"] == 3


# -- translations ---------------------------------------------------------------------------


def test_translated_memorial_shares_its_reference_and_district(
    client, home_page, library_index, memorial_index, make_memorial, make_hero,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """A memorial translated with wagtail-localize keeps ``ref`` and ``district`` (reference
    data, synchronised), is unique per language, and the English map lists it once."""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation
    from wagtail_localize.operations import TranslationCreator

    english = Locale.objects.get(language_code="en")
    page = make_memorial(title="Обелиск воинам-землякам", ref="KLG-7")
    other = make_memorial(title="Братская могила")
    hero = make_hero(memorials=[page])
    creator = TranslationCreator(user=None, target_locales=[english])
    for source in (home_page, library_index, page.get_parent(), memorial_index, page):
        creator.create_translations(source.specific)
        translation = Translation.objects.get(
            source__object_id=source.translation_key, target_locale=english
        )
        with django_capture_on_commit_callbacks(execute=True):
            translation.save_target(publish=True)
    translated = page.get_translation(english).specific
    assert translated.live and translated.ref == "KLG-7" and translated.ref_key != page.ref_key
    assert translated.district == page.district
    assert translated.library.locale == english  # its library's English page

    data = json.loads(client.get(GEOJSON, {"lang": "en"}).content)
    urls = {f["properties"]["ref"]: f["properties"]["url"] for f in data["features"]}
    assert urls == {"KLG-7": translated.url, other.ref: other.url}  # untranslated: Russian
    english_map = memorial_index.get_translation(english)
    html = client.get(english_map.url).content.decode()
    assert translated.url in html and other.url in html
    assert hero.url in client.get(translated.url).content.decode()  # the hero, in Russian
