"""Sharing and discovery: the card a shared link shows (OpenGraph, Twitter, VK), the
canonical link and the schema.org JSON-LD of every public page."""

import datetime
import html as html_lib
import json
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale

import pytest

from home.models import SiteSettings
from projects.models import ContributionPage
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
SHARE_SIZE = ("1200", "630")


# -- reading a page's head -----------------------------------------------------------------


def head_of(response):
    assert response.status_code in (200, 404), response.status_code
    text = response.content.decode()
    return text[text.index("<head>") : text.index("</head>")]


def meta(head, key):
    """The content of ``<meta property|name="key">`` (unescaped), or None."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', head)
    return html_lib.unescape(match.group(1)) if match else None


def metas(head, key):
    return [
        html_lib.unescape(value)
        for value in re.findall(
            rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', head
        )
    ]


def canonical(head):
    match = re.search(r'<link rel="canonical" href="([^"]*)">', head)
    return html_lib.unescape(match.group(1)) if match else None


def json_ld(head):
    """The page's one JSON-LD block, parsed: ``{"@context": …, "@graph": [...]}``."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def node(head, schema_type):
    """The graph's node of a type (a node may have several types)."""
    for item in json_ld(head)["@graph"]:
        types = item["@type"] if isinstance(item["@type"], list) else [item["@type"]]
        if schema_type in types:
            return item
    raise AssertionError(f"no {schema_type} in the JSON-LD")


def picture(name, size=(1600, 900)):
    return Image.objects.create(title=name, file=get_test_image_file(f"{name}.png", size=size))


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page.specific


# -- a network with every page type --------------------------------------------------------


@pytest.fixture
def default_picture(site):
    image = picture("site-default")
    settings = SiteSettings.for_site(site)
    settings.share_image = image
    settings.tagline = "Летопись сельских библиотек"
    settings.organisation = "Калужская областная научная библиотека"
    settings.address = "Калуга, ул. Луначарского, 6"
    settings.vk_url = "https://vk.com/letopis"
    settings.save()
    return image


@pytest.fixture
def pages(
    home_page,
    library_index,
    project_index,
    make_library,
    make_project,
    make_contribution,
    memorial_index,
    hero_index,
    make_memorial,
    make_hero,
):
    library = make_library(
        title="Козельская центральная районная библиотека",
        short_name="Козельская ЦРБ",
        address="ул. Советская, 10",
        settlement="г. Козельск",
        latitude=Decimal("54.035300"),
        longitude=Decimal("35.780000"),
        phone="+7 48442 2-11-11",
        description="<p>Библиотека &amp; музей <b>города</b>.</p>",
        photo=picture("library-photo"),
    )
    project = make_project(
        title="Листая «Летопись…» войны",
        intro="Сетевой проект библиотек области о земляках-участниках войны.",
        cover_image=picture("project-cover"),
        theme_of_year="Год памяти и славы",
        regions="Калужская область, Брянская область",
    )
    contest = make_project(
        title="Конкурс буктрейлеров",
        is_contest=True,
        submission_deadline=datetime.date(2024, 4, 1),
        results_date=datetime.date(2024, 5, 9),
    )
    material = make_contribution(
        library,
        project,
        title="Хроника села Попелёво",
        intro="Летопись села в годы войны.",
        authors="Иванова А. А., Петров Б. Б.",
    )
    material = publish(material)
    memorial = make_memorial(library=library, title="Братская могила в Козельске")
    hero = make_hero(memorials=[memorial], last_name="Петров", first_name="Пётр")
    return {
        "home": home_page,
        "library_index": library_index,
        "project_index": project_index,
        "library": library,
        "project": project,
        "contest": contest,
        "material": material,
        "memorial_index": memorial_index,
        "memorial": memorial,
        "hero_index": hero_index,
        "hero": hero,
    }


EXPECTED = {
    # page: (JSON-LD type, og:type, has its own picture)
    "home": ("WebSite", "website", False),
    "library_index": ("CollectionPage", "website", False),
    "project_index": ("CollectionPage", "website", False),
    "memorial_index": ("CollectionPage", "website", False),
    "hero_index": ("CollectionPage", "website", False),
    "library": ("Library", "website", True),
    "project": ("CreativeWorkSeries", "article", True),
    "contest": ("Event", "article", False),
    "material": ("Article", "article", False),
    "memorial": ("LandmarksOrHistoricalBuildings", "article", False),
    "hero": ("Person", "profile", False),
}


# -- every page type -----------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPECTED)
def test_every_page_type_has_a_card_a_canonical_link_and_json_ld(
    client, pages, default_picture, name
):
    schema_type, og_type, own_picture = EXPECTED[name]
    page = pages[name]
    head = head_of(client.get(page.url))
    url = HOST + page.url

    assert canonical(head) == url
    assert meta(head, "og:url") == url
    assert meta(head, "og:title") == page.title
    assert meta(head, "twitter:title") == page.title
    assert meta(head, "og:type") == og_type
    assert meta(head, "og:site_name") == "Летопись"
    description = meta(head, "og:description")
    assert description and len(description) <= 201
    assert meta(head, "twitter:description") == description
    assert meta(head, "og:locale") == "ru_RU"

    image = meta(head, "og:image")
    assert image.startswith(HOST + "/media/images/")
    assert "fill-1200x630-c80.format-jpeg" in image
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == SHARE_SIZE
    assert meta(head, "og:image:type") == "image/jpeg"
    assert meta(head, "og:image:alt")
    assert meta(head, "vk:image") == image
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "twitter:image") == image
    assert meta(head, "twitter:image:alt") == meta(head, "og:image:alt")
    assert ("site-default" not in image) is own_picture
    # Plain http here: a secure URL is announced only for an https picture.
    assert meta(head, "og:image:secure_url") is None

    entity = node(head, schema_type)
    assert entity["url"] == url
    assert entity["name"] in (page.title, getattr(page, "full_name", None))
    # JSON-LD names a page's own picture only, never the site's default.
    assert ("image" in entity) is own_picture
    if own_picture:
        assert entity["image"] == image
    graph = json_ld(head)["@graph"]
    trails = [item for item in graph if item["@type"] == "BreadcrumbList"]
    if page.depth > 2:
        (trail,) = trails
        items = trail["itemListElement"]
        assert items[0]["item"] == HOST + "/" and items[-1]["item"] == url
        assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    else:
        assert trails == []


def test_summary_comes_from_the_search_description_then_the_intro_then_the_tagline(
    client, pages, default_picture
):
    project = pages["project"]
    assert meta(head_of(client.get(project.url)), "og:description") == project.intro

    project.search_description = "Краткое описание для поисковиков."
    project = publish(project)
    assert meta(head_of(client.get(project.url)), "og:description") == (
        "Краткое описание для поисковиков."
    )

    library = pages["library"]  # rich text, as plain text
    assert meta(head_of(client.get(library.url)), "og:description") == "Библиотека & музей города."

    contest = pages["contest"]  # nothing of its own: the site's tagline
    assert meta(head_of(client.get(contest.url)), "og:description") == (
        "Летопись сельских библиотек"
    )

    long_text = "Очень длинное вступление о проекте и его участниках. " * 10
    project.search_description = ""
    project.intro = long_text
    project = publish(project)
    summary = meta(head_of(client.get(project.url)), "og:description")
    assert summary.endswith("…") and len(summary) <= 200
    assert long_text.startswith(summary[:-1])


# -- the picture -----------------------------------------------------------------------------


def test_a_material_with_a_postcard_is_shared_as_the_postcard(client, pages, default_picture):
    card = picture("postcard-victory")
    material = pages["material"]
    material.cover_image = picture("material-cover")
    material.body = [
        {
            "type": "postcard",
            "value": {
                "image": card.pk,
                "greeting": "С Днём Победы!",
                "occasion": "9 Мая",
                "text_equivalent": "Открытка с обелиском и надписью «С Днём Победы!».",
            },
        }
    ]
    material = publish(material)
    head = head_of(client.get(material.url))
    image = meta(head, "og:image")
    assert "postcard-victory" in image and "fill-1200x630-c80.format-jpeg" in image
    assert meta(head, "og:image:alt") == "postcard-victory"
    assert meta(head, "vk:image") == meta(head, "twitter:image") == image
    assert node(head, "Article")["image"] == image

    # Without the postcard, the cover.
    material.body = []
    material = publish(material)
    assert "material-cover" in meta(head_of(client.get(material.url)), "og:image")


def test_pages_without_a_picture_fall_back_to_the_site_then_the_home_page(client, pages, site):
    index = pages["project_index"]
    # Nothing configured: no picture at all, a small card.
    head = head_of(client.get(index.url))
    assert meta(head, "og:image") is None and meta(head, "twitter:card") == "summary"

    # The home page's main image.
    home = pages["home"]
    home.hero_image = picture("home-hero")
    publish(home)
    head = head_of(client.get(index.url))
    assert "home-hero" in meta(head, "og:image")
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == SHARE_SIZE
    assert "image" not in node(head, "CollectionPage")

    # The site settings' share image comes first.
    settings = SiteSettings.for_site(site)
    settings.share_image = picture("site-card")
    settings.save()
    head = head_of(client.get(index.url))
    assert "site-card" in meta(head, "og:image")
    # A page's own picture comes before both.
    assert "project-cover" in meta(head_of(client.get(pages["project"].url)), "og:image")


def test_a_broken_picture_falls_back_to_the_default(client, pages, default_picture):
    photo = pages["library"].photo
    photo.file.storage.delete(photo.file.name)
    photo.renditions.all().delete()
    head = head_of(client.get(pages["library"].url))
    assert "site-default" in meta(head, "og:image")
    assert "image" not in node(head, "Library")


def test_a_secure_request_announces_a_secure_picture_url(client, pages, default_picture):
    head = head_of(client.get(pages["project"].url, secure=True))
    image = meta(head, "og:image")
    assert image.startswith("https://testserver/media/images/")
    assert meta(head, "og:image:secure_url") == image
    assert canonical(head) == "https://testserver" + pages["project"].url


# -- URLs and languages ----------------------------------------------------------------------


def test_canonical_url_leaves_out_the_query_string(client, pages, default_picture):
    index = pages["project_index"]
    head = head_of(client.get(index.url, {"page": "2", "utm_source": "vk", "status": "open"}))
    assert canonical(head) == meta(head, "og:url") == HOST + index.url
    assert node(head, "CollectionPage")["url"] == HOST + index.url


def test_english_pages_announce_their_language_and_the_russian_alternate(
    client, pages, default_picture
):
    english = Locale.objects.get(language_code="en")
    for page in (pages["home"], pages["project_index"]):
        translation = page.copy_for_translation(english)
        translation.save_revision().publish()
    translation = pages["project"].copy_for_translation(english)
    translation.title = "Leafing through the war chronicle"
    translation.intro = "The libraries' network project."
    translation = publish(translation)

    head = head_of(client.get(translation.url))
    assert translation.url.startswith("/en/")
    assert meta(head, "og:locale") == "en_GB"
    assert metas(head, "og:locale:alternate") == ["ru_RU"]
    assert canonical(head) == HOST + translation.url
    assert meta(head, "og:title") == "Leafing through the war chronicle"
    assert meta(head, "og:description") == "The libraries' network project."
    assert node(head, "CreativeWorkSeries")["inLanguage"] == "en"
    assert meta(head, "og:image")  # the cover, synchronised

    russian = head_of(client.get(pages["project"].url))
    assert meta(russian, "og:locale") == "ru_RU"
    assert metas(russian, "og:locale:alternate") == ["en_GB"]
    # A page without a translation has no alternate.
    assert metas(head_of(client.get(pages["contest"].url)), "og:locale:alternate") == []


# -- JSON-LD per page type -------------------------------------------------------------------


def test_json_ld_cannot_be_broken_out_of(client, pages, default_picture):
    project = pages["project"]
    project.title = 'Проект </script><script>alert("x")</script> & «кавычки»'
    project = publish(project)
    response = client.get(project.url)
    head = head_of(response)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block
    assert node(head, "CreativeWorkSeries")["name"] == project.title
    assert "<script>alert" not in response.content.decode()
    assert meta(head, "og:title") == project.title  # attribute-escaped, not raw


def test_home_page_is_a_web_site_with_its_search_and_publisher(client, pages, default_picture):
    head = head_of(client.get("/"))
    site = node(head, "WebSite")
    assert site["url"] == HOST + "/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == HOST + "/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    publisher = site["publisher"]
    assert publisher == {
        "@type": "Organization",
        "name": "Калужская областная научная библиотека",
        "address": {"@type": "PostalAddress", "streetAddress": "Калуга, ул. Луначарского, 6"},
        "sameAs": ["https://vk.com/letopis"],
    }
    assert "description" not in site  # the home page has no lead: the tagline is the site's

    home = pages["home"]
    home.lead = "Архив сети библиотек области: проекты, памятники, Книга памяти."
    publish(home)
    head = head_of(client.get("/"))
    assert node(head, "WebSite")["description"] == home.lead
    assert meta(head, "og:description") == home.lead


def test_listing_pages_list_what_they_show(client, pages, make_project, monkeypatch):
    from projects import models

    monkeypatch.setattr(models, "PROJECTS_PER_PAGE", 2)
    make_project(title="Ещё один проект", start_year=2010)
    index = pages["project_index"]
    shown = node(head_of(client.get(index.url)), "CollectionPage")["mainEntity"]
    assert shown["@type"] == "ItemList"
    urls = [item["url"] for item in shown["itemListElement"]]
    assert len(urls) == 2 and all(url.startswith(HOST + "/proekty/") for url in urls)
    second = node(head_of(client.get(index.url, {"page": 2})), "CollectionPage")["mainEntity"]
    assert [item["position"] for item in second["itemListElement"]] == [1]
    assert second["itemListElement"][0]["url"] not in urls

    heroes = node(head_of(client.get(pages["hero_index"].url)), "CollectionPage")
    assert [item["url"] for item in heroes["mainEntity"]["itemListElement"]] == [
        HOST + pages["hero"].url
    ]
    memorials = node(head_of(client.get(pages["memorial_index"].url)), "CollectionPage")
    assert HOST + pages["memorial"].url in [
        item["url"] for item in memorials["mainEntity"]["itemListElement"]
    ]
    libraries = node(head_of(client.get(pages["library_index"].url)), "CollectionPage")
    assert HOST + pages["library"].url in [
        item["url"] for item in libraries["mainEntity"]["itemListElement"]
    ]


def test_project_is_a_series_and_a_contest_an_event(client, pages, default_picture):
    project = node(head_of(client.get(pages["project"].url)), "CreativeWorkSeries")
    assert project["@type"] == "CreativeWorkSeries"
    assert project["startDate"] == "2020" and project["about"] == "Год памяти и славы"
    assert project["spatialCoverage"] == [
        {"@type": "AdministrativeArea", "name": "Калужская область"},
        {"@type": "AdministrativeArea", "name": "Брянская область"},
    ]
    assert project["publisher"]["name"] == "Калужская областная научная библиотека"

    contest = node(head_of(client.get(pages["contest"].url)), "Event")
    assert contest["@type"] == ["CreativeWorkSeries", "Event"]
    assert contest["endDate"] == "2024-05-09"
    assert contest["location"] == {"@type": "VirtualLocation", "url": HOST + pages["contest"].url}
    assert contest["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_material_is_an_article_by_its_library_in_its_project(client, pages, default_picture):
    material, library, project = pages["material"], pages["library"], pages["project"]
    article = node(head_of(client.get(material.url)), "Article")
    assert article["headline"] == material.title
    assert article["author"] == {
        "@type": "Organization",
        "name": "Козельская ЦРБ",
        "url": HOST + library.url,
    }
    assert article["contributor"] == [
        {"@type": "Person", "name": "Иванова А. А."},
        {"@type": "Person", "name": "Петров Б. Б."},
    ]
    assert article["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": project.title,
        "url": HOST + project.url,
    }
    assert article["datePublished"].startswith(material.first_published_at.date().isoformat())
    assert article["dateCreated"] == material.date.isoformat()
    assert article["description"] == "Летопись села в годы войны."
    trail = node(head_of(client.get(material.url)), "BreadcrumbList")["itemListElement"]
    assert [item["name"] for item in trail] == [
        "Летопись",
        "Библиотеки",
        library.title,
        material.title,
    ]


def test_library_has_its_address_place_and_contacts(client, pages, default_picture):
    data = node(head_of(client.get(pages["library"].url)), "Library")
    assert data["alternateName"] == "Козельская ЦРБ"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "RU",
        "streetAddress": "ул. Советская, 10",
        "addressLocality": "г. Козельск",
        "addressRegion": "Калужская область",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 54.0353, "longitude": 35.78}
    assert data["telephone"] == "+7 48442 2-11-11"


def test_memorial_and_hero_keep_their_own_json_ld(client, pages, default_picture):
    memorial = node(head_of(client.get(pages["memorial"].url)), "LandmarksOrHistoricalBuildings")
    assert memorial["identifier"] == pages["memorial"].ref
    assert memorial["geo"]["latitude"] == 54.0353
    hero = node(head_of(client.get(pages["hero"].url)), "Person")
    assert hero["familyName"] == "Петров" and hero["givenName"] == "Пётр"
    head = head_of(client.get(pages["hero"].url))
    assert meta(head, "profile:last_name") == "Петров"
    assert meta(head, "profile:first_name") == "Пётр"


# -- views that are not pages ----------------------------------------------------------------


def test_search_page_is_a_search_results_page(client, pages, default_picture):
    search = reverse("search")
    head = head_of(client.get(search, {"q": "Козельск", "page": "2", "type": "memorial"}))
    url = HOST + search + "?q=%D0%9A%D0%BE%D0%B7%D0%B5%D0%BB%D1%8C%D1%81%D0%BA"
    assert canonical(head) == meta(head, "og:url") == url
    assert meta(head, "og:title") == "Поиск: Козельск"
    assert meta(head, "og:description").startswith("Поиск по архиву")
    assert "site-default" in meta(head, "og:image")
    assert metas(head, "og:locale:alternate") == ["en_GB"]
    results = node(head, "SearchResultsPage")
    assert results["url"] == url and results["isPartOf"]["url"] == HOST + "/"

    empty = head_of(client.get(search))
    assert canonical(empty) == HOST + search
    assert node(empty, "SearchResultsPage")["name"] == "Поиск по архиву"


def test_not_found_page_has_a_card_but_no_canonical_link(client, pages, default_picture):
    head = head_of(client.get("/net-takoy-stranitsy/"))
    assert canonical(head) is None
    assert "application/ld+json" not in head
    assert meta(head, "og:title") == "Летопись"
    assert "site-default" in meta(head, "og:image")


def test_admin_previews_of_new_and_edited_pages_render(admin_browser, pages, default_picture):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    index = pages["project_index"]
    url = reverse("wagtailadmin_pages:preview_on_add", args=["projects", "projectpage", index.pk])
    data = nested_form_data(
        {
            "title": "Новый проект </script>",
            "slug": "novyy",
            "theme_of_year": "",
            "start_year": "2025",
            "status": "open",
            "intro": "Проект в работе.",
            "body": streamfield([]),
            "documents": inline_formset([]),
            "nominations": inline_formset([]),
        }
    )
    assert admin_browser.post(url, data).json()["is_valid"]
    head = head_of(admin_browser.get(url))
    assert node(head, "CreativeWorkSeries")["name"] == "Новый проект </script>"
    assert meta(head, "og:description") == "Проект в работе."
    assert "site-default" in meta(head, "og:image")

    project = pages["project"]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[project.pk])
    data["title"], data["slug"] = "Проект, исправленный", project.slug
    assert admin_browser.post(url, data).json()["is_valid"]
    head = head_of(admin_browser.get(url))
    assert meta(head, "og:title") == "Проект, исправленный"
    # A preview's request is Wagtail's own, on the Site's hostname.
    assert canonical(head).endswith(project.url)


# -- the cost --------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm caches (site root paths, locales, renditions)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_listing_queries_do_not_grow_with_their_pages(
    client, pages, default_picture, make_project, make_library, make_hero
):
    urls = [pages[name].url for name in ("project_index", "library_index", "hero_index")]
    before = [count_queries(client, url) for url in urls]
    for n in range(5):
        make_project(title=f"Проект {n}", cover_image=picture(f"cover-{n}"))
        make_library(title=f"Библиотека {n}")
        make_hero(last_name=f"Сидоров{n}")
    assert [count_queries(client, url) for url in urls] == before


def test_material_queries_do_not_grow_with_its_project(
    client, pages, default_picture, make_contribution
):
    url = pages["material"].url
    before = count_queries(client, url)
    for n in range(5):
        make_contribution(pages["library"], pages["project"], title=f"Материал {n}")
    assert count_queries(client, url) == before
    assert ContributionPage.objects.count() == 6
