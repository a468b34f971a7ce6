"""The library directory, a library's page, its map data, and the demo libraries."""

import json
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, PageViewRestriction

import pytest
from wagtail_factories import ImageFactory

from network.models import LIBRARIES_PER_PAGE, LibraryType
from network.regions import DISTRICTS, REGION_NAME, district_names, get_district, in_region

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def card_titles(html):
    """The library names on the directory's cards, in order."""
    return re.findall(r'<h3 class="card__title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


def map_data(html, map_id):
    match = re.search(rf'<script id="{map_id}-data" type="application/json">(.*?)</script>', html)
    assert match, f"no map data for {map_id}"
    return json.loads(match.group(1))


@pytest.fixture
def libraries(make_library):
    """Three libraries: rural, central district and a partner of a neighbouring region."""
    return {
        "rural": make_library(
            title="Шанско-Заводская сельская библиотека",
            library_type=LibraryType.RURAL,
            district="Износковский район",
            settlement="с. Шанский Завод",
            latitude=Decimal("54.693088"),
            longitude=Decimal("35.260377"),
        ),
        "central": make_library(
            title="Козельская центральная районная библиотека",
            library_type=LibraryType.CENTRAL,
            district="Козельский район",
            settlement="г. Козельск",
            latitude=Decimal("54.035300"),
            longitude=Decimal("35.780000"),
        ),
        "partner": make_library(
            title="Дятьковская городская библиотека",
            library_type=LibraryType.PARTNER,
            region="Брянская область",
            district="Дятьковский район",
            settlement="г. Дятьково",
            latitude=Decimal("53.596000"),
            longitude=Decimal("34.339000"),
        ),
    }


# -- the region's reference data ---------------------------------------------------------


def test_region_has_its_districts_with_centres_inside_the_region():
    assert REGION_NAME == "Калужская область"
    names = district_names()
    assert len(DISTRICTS) == 26 and len(set(names)) == 26
    assert "Козельский район" in names and "город Калуга" in names and "город Обнинск" in names
    for district in DISTRICTS:
        assert in_region(district.lat, district.lon), district.name
    assert get_district("Износковский") is get_district("Износковский район")
    assert get_district("город Калуга").point == (54.5293, 36.2754)


# -- the directory ------------------------------------------------------------------------


def test_directory_lists_live_libraries_with_count_type_and_rural_mark(
    client, library_index, libraries, make_library
):
    make_library(title="Черновик библиотеки", live=False)
    html = html_of(client.get(library_index.url))
    assert set(card_titles(html)) == {page.title for page in libraries.values()}
    assert "Найдено 3 библиотеки" in html
    assert "Сельская библиотека" in html  # the type, capitalised on the card
    assert 'class="badge">сельская<' in html
    assert "с. Шанский Завод, Износковский район" in html
    assert "Брянская область" in html  # another region is named on its card
    assert "Черновик" not in html


def test_directory_hides_private_libraries(client, library_index, libraries):
    PageViewRestriction.objects.create(
        page=libraries["central"], restriction_type="password", password="secret"
    )
    html = html_of(client.get(library_index.url))
    assert libraries["central"].title not in card_titles(html)
    assert "Найдено 2 библиотеки" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"district": "Козельский район"}, {"central"}),
        ({"type": "rural"}, {"rural"}),
        ({"type": "partner"}, {"partner"}),
        ({"region": "Брянская область"}, {"partner"}),
        ({"region": "Калужская область"}, {"rural", "central"}),
        ({"region": "Калужская область", "type": "central"}, {"central"}),
    ],
)
def test_directory_filters(client, library_index, libraries, query, expected):
    html = html_of(client.get(library_index.url, query))
    assert set(card_titles(html)) == {libraries[key].title for key in expected}
    for name, value in query.items():
        # The form shows what is selected, and offers a way back to everything.
        assert f'<option value="{value}" selected>' in html, name
    assert f'<a href="{library_index.url}">Сбросить</a>' in html


def test_directory_filter_form_is_labelled_and_offers_existing_values(
    client, library_index, libraries
):
    html = html_of(client.get(library_index.url))
    form = html.split('<form class="filters"')[1].split("</form>")[0]
    assert 'method="get"' in form
    for field in ("district", "type", "region"):
        assert f'<label for="filter-{field}">' in form
        assert f'<select id="filter-{field}" name="{field}">' in form
    # Partner regions make <optgroup>s of districts; only existing values are offered.
    assert '<optgroup label="Брянская область">' in form
    assert '<option value="Дятьковский район">' in form
    assert '<option value="Бабынинский район">' not in form
    assert '<option value="school">' not in form


@pytest.mark.parametrize(
    "query",
    [
        {"district": "Нет такого района"},
        {"type": "library'; DROP TABLE"},
        {"region": "Марс"},
        {"district": "Козельский\x00район"},
        {"region": "x" * 5000},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999"},
    ],
)
def test_directory_ignores_invalid_filters(client, library_index, libraries, query):
    html = html_of(client.get(library_index.url, query))
    assert len(card_titles(html)) == 3


def test_directory_paginates_and_keeps_filters_in_page_links(client, library_index, make_library):
    for n in range(LIBRARIES_PER_PAGE + 6):
        make_library(
            title=f"Библиотека {n:02d}",
            library_type=LibraryType.RURAL,
            latitude=Decimal("54.0") + Decimal(n) / 50,
            longitude=Decimal("35.0"),
        )
    make_library(title="Городская", library_type=LibraryType.CITY)
    html = html_of(client.get(library_index.url, {"type": "rural"}))
    assert len(card_titles(html)) == LIBRARIES_PER_PAGE
    assert "Найдено 30 библиотек" in html
    assert 'href="?type=rural&amp;page=2"' in html
    html = html_of(client.get(library_index.url, {"type": "rural", "page": 2}))
    assert len(card_titles(html)) == 6
    assert "Городская" not in card_titles(html)
    # The map shows every filtered library, not only those of this page.
    assert len(map_data(html, "libraries-map")) == LIBRARIES_PER_PAGE + 6


def test_directory_orders_region_first_and_regional_library_at_its_head(
    client, library_index, make_library
):
    make_library(title="Б партнёр", library_type=LibraryType.PARTNER, region="Брянская область")
    make_library(title="А сельская", district="Бабынинский район")
    make_library(title="Я областная", library_type=LibraryType.REGIONAL, district="город Калуга")
    titles = card_titles(html_of(client.get(library_index.url)))
    assert titles == ["Я областная", "А сельская", "Б партнёр"]


def test_directory_map_data_contains_the_filtered_libraries_coordinates(
    client, library_index, libraries, make_library
):
    make_library(title="Без координат")
    html = html_of(client.get(library_index.url))
    points = map_data(html, "libraries-map")
    by_title = {point["title"]: point for point in points}
    assert set(by_title) == {page.title for page in libraries.values()}
    central = by_title[libraries["central"].title]
    assert central == {
        "lat": 54.0353,
        "lon": 35.78,
        "title": "Козельская центральная районная библиотека",
        "url": libraries["central"].url,
        "popup": "г. Козельск, Козельский район",
    }
    assert by_title[libraries["partner"].title]["popup"].endswith("Брянская область")
    # The map region is labelled, and the list is its text alternative.
    assert 'role="region" aria-label="Карта библиотек"' in html
    assert 'class="skip-map" href="#directory-list-title"' in html

    html = html_of(client.get(library_index.url, {"type": "rural"}))
    assert [p["title"] for p in map_data(html, "libraries-map")] == [libraries["rural"].title]


def test_directory_map_data_is_json_not_code(client, library_index, make_library):
    make_library(
        title="</script><script>alert(1)</script>",
        latitude=Decimal("54.5"),
        longitude=Decimal("36.2"),
    )
    html = html_of(client.get(library_index.url))
    assert "<script>alert(1)" not in html
    assert map_data(html, "libraries-map")[0]["title"] == "</script><script>alert(1)</script>"


def test_directory_pages_load_no_inline_code(client, library_index, libraries):
    for url in (library_index.url, libraries["rural"].url):
        html = html_of(client.get(url))
        for tag in re.findall(r"<script\b[^>]*>", html):
            # Data, not code: the map's configuration and the page's JSON-LD.
            data_types = ('type="application/json"', 'type="application/ld+json"')
            assert any(t in tag for t in data_types) or " src=" in tag, tag
        assert not re.search(r"\son(click|load|error|change|submit)=", html)
        assert "/static/vendor/leaflet/leaflet.js" in html
        assert "/static/js/map.js" in html
        # Leaflet is served locally: nothing is loaded from another host.
        assert not re.search(r'<script[^>]+src="https?://', html)
        assert not re.search(r'<link rel="stylesheet" href="https?://', html)


def test_directory_queries_do_not_grow_with_libraries(client, home_page):
    from tests.factories import LibraryIndexPageFactory, LibraryPageFactory

    def build(count, slug):
        index = LibraryIndexPageFactory(parent=home_page, slug=slug)
        for n in range(count):
            LibraryPageFactory(
                parent=index,
                title=f"Библиотека {slug} {n}",
                district=DISTRICTS[n % len(DISTRICTS)].name,
                library_type=LibraryType.values[n % len(LibraryType.values)],
                latitude=Decimal("54.5") + Decimal(n) / 100,
                longitude=Decimal("36.2"),
                photo=ImageFactory(title=f"Фото {slug} {n}") if n % 3 == 0 else None,
            )
        return index

    def count_queries(index):
        assert client.get(index.url).status_code == 200  # renditions, site root, locales
        with CaptureQueriesContext(connection) as ctx:
            html = html_of(client.get(index.url))
        return len(ctx), html

    small, small_html = count_queries(build(3, "small"))
    large, large_html = count_queries(build(30, "large"))
    assert len(card_titles(small_html)) == 3 and len(card_titles(large_html)) == 24
    assert small == large


# -- a library's page --------------------------------------------------------------------


@pytest.fixture
def full_library(make_library):
    return make_library(
        title="Козельская центральная районная библиотека",
        short_name="Козельская ЦРБ",
        library_type=LibraryType.CENTRAL,
        region="Калужская область",
        district="Козельский район",
        settlement="г. Козельск",
        address="г. Козельск, ул. Большая Советская, 18",
        latitude=Decimal("54.035300"),
        longitude=Decimal("35.780000"),
        website="https://kozelsk-library.example.org/",
        phone="+7 (48442) 2-11-37",
        email="kozelsk@example.org",
        description="<p>Объединяет 27 сельских библиотек района.</p>",
        photo=ImageFactory(title="Здание библиотеки на Большой Советской"),
    )


def test_library_page_shows_its_fields(client, full_library, library_index):
    html = html_of(client.get(full_library.url))
    for text in (
        "<h1>Козельская центральная районная библиотека</h1>",
        "Козельская ЦРБ",
        "Центральная районная библиотека (ЦБС)",
        "Калужская область",
        "г. Козельск, ул. Большая Советская, 18",
        'href="https://kozelsk-library.example.org/"',
        'href="tel:+74844221137"',
        'href="mailto:kozelsk@example.org"',
        "Объединяет 27 сельских библиотек района.",
        'alt="Здание библиотеки на Большой Советской"',
        "srcset=",
        f'<a href="{library_index.url}">',  # the way back to the directory
        "?district=%D0%9A%D0%BE%D0%B7%D0%B5%D0%BB%D1%8C%D1%81%D0%BA%D0%B8%D0%B9%20%D1%80%D0%B0%D0%B9%D0%BE%D0%BD",
    ):
        assert text in html, text
    assert map_data(html, "library-map") == [
        {
            "lat": 54.0353,
            "lon": 35.78,
            "title": full_library.title,
            "url": full_library.url,
            "popup": "г. Козельск, Козельский район",
        }
    ]
    assert 'aria-label="Карта: Козельская ЦРБ"' in html
    assert "Библиотека пока не прислала материалов" in html


def test_library_page_without_coordinates_has_no_map(client, make_library):
    html = html_of(client.get(make_library(title="Без точки").url))
    assert 'id="library-map"' not in html
    assert "leaflet.js" not in html


def test_library_page_lists_its_contributions_newest_first(
    client, full_library, make_library, make_project, make_contribution
):
    import datetime

    project = make_project(title="Листая «Летопись…» войны")
    other_project = make_project(title="Наши памятники – наши герои")
    make_contribution(full_library, project, title="Старый", date=datetime.date(2016, 5, 9))
    make_contribution(full_library, other_project, title="Новый", date=datetime.date(2024, 5, 9))
    make_contribution(full_library, project, title="Средний", date=datetime.date(2020, 4, 1))
    make_contribution(full_library, project, title="Черновик материала", live=False)
    private = make_contribution(full_library, project, title="Закрытый материал")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    make_contribution(make_library(title="Другая"), project, title="Чужой материал")

    html = html_of(client.get(full_library.url))
    section = html.split('id="contributions-title"')[1]
    titles = re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', section)
    assert titles == ["Новый", "Средний", "Старый"]
    assert "Наши памятники – наши герои" in section and "Листая «Летопись…» войны" in section
    assert '<time datetime="2024-05-09">9 мая 2024</time>' in section
    assert "Черновик материала" not in html and "Закрытый материал" not in html
    assert "Чужой материал" not in html
    assert "3 материала в сетевых проектах" in html


def test_library_page_paginates_contributions(
    client, full_library, make_project, make_contribution
):
    from network.models import CONTRIBUTIONS_PER_PAGE

    project = make_project()
    for _ in range(CONTRIBUTIONS_PER_PAGE + 1):
        make_contribution(full_library, project)
    first = html_of(client.get(full_library.url))
    assert first.count("card--contribution") == CONTRIBUTIONS_PER_PAGE
    assert 'href="?page=2"' in first
    second = html_of(client.get(full_library.url, {"page": 2}))
    assert second.count("card--contribution") == 1
    assert html_of(client.get(full_library.url, {"page": "zzz"})).count("card--contribution")


# -- coordinates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("0", "0", "latitude"),
        ("54.5", None, "longitude"),
        (None, "36.2", "latitude"),
        ("91", "36.2", "latitude"),
        ("54.5", "-181", "longitude"),
    ],
)
def test_library_coordinates_are_validated(make_library, latitude, longitude, field):
    library = make_library()
    library.latitude = Decimal(latitude) if latitude is not None else None
    library.longitude = Decimal(longitude) if longitude is not None else None
    with pytest.raises(ValidationError) as error:
        library.full_clean()
    assert field in error.value.message_dict


def test_library_coordinates_accept_a_point_or_nothing(make_library):
    library = make_library()
    library.full_clean()
    library.latitude, library.longitude = Decimal("54.529300"), Decimal("36.275400")
    library.full_clean()


# -- the English directory ---------------------------------------------------------------


def test_translated_directory_shows_untranslated_libraries_in_russian(
    client, library_index, libraries
):
    english = Locale.objects.get(language_code="en")
    translated = library_index.copy_for_translation(english, copy_parents=True)
    translated.title = "Libraries"
    translated.save_revision().publish()
    own = libraries["central"].copy_for_translation(english)
    own.title = "Kozelsk Central District Library"
    own.save_revision().publish()

    html = html_of(client.get(translated.url))
    titles = card_titles(html)
    assert "Kozelsk Central District Library" in titles
    assert libraries["central"].title not in titles  # its translation stands for it
    assert libraries["rural"].title in titles and libraries["partner"].title in titles
    assert f'lang="ru"><a href="{libraries["rural"].url}"' in html
    assert len(map_data(html, "libraries-map")) == 3


# -- the demo --------------------------------------------------------------------------------


def test_admin_preview_of_a_new_library_renders(admin_browser, library_index):
    """Previewing a library before its first save: no materials yet, and no error."""
    from django.urls import reverse

    from wagtail.test.utils.form_data import nested_form_data, rich_text

    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["network", "librarypage", library_index.pk]
    )
    data = nested_form_data(
        {
            "title": "Новая сельская библиотека",
            "slug": "novaya",
            "short_name": "",
            "library_type": "rural",
            "region": "Калужская область",
            "district": "Козельский район",
            "settlement": "Берёзовка",
            "address": "",
            "latitude": "",
            "longitude": "",
            "website": "",
            "phone": "",
            "email": "",
            "description": rich_text("<p>Библиотека села.</p>"),
        }
    )
    response = admin_browser.post(url, data)
    assert response.json()["is_valid"], response.json()
    response = admin_browser.get(url)
    assert response.status_code == 200
    assert "Новая сельская библиотека" in response.content.decode()
