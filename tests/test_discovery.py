"""How visitors' tools find the archive: sitemap.xml, robots.txt, RSS and Atom feeds."""

import datetime
import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

import pytest
from wagtail_factories import ImageFactory

from home import discovery
from projects import feeds

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"

START = timezone.make_aware(datetime.datetime(2024, 5, 1, 12, 0))


def published(page, days):
    """Set the page's publication dates: ``days`` after START (first and last)."""
    when = START + datetime.timedelta(days=days)
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    page.first_published_at = page.last_published_at = when
    return page


def translate(page, english, title, **fields):
    """A published English translation of a page whose parent is already translated."""
    translation = page.copy_for_translation(english)
    translation.title = title
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation.specific


@pytest.fixture
def network(home_page, make_library, make_project, make_contribution):
    """Two libraries (one private), two projects, materials published on known days."""
    library = make_library(title="Козельская ЦРБ", short_name="Козельская ЦРБ", slug="kozelsk")
    other_library = make_library(title="Жуковская библиотека", slug="zhukovo")
    private_library = make_library(title="Закрытая библиотека", slug="zakrytaya")
    PageViewRestriction.objects.create(
        page=private_library, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    project = make_project(title="Память поколений", slug="pamyat", intro="О проекте.")
    other_project = make_project(title="Читаем вместе", slug="chitaem")
    materials = {
        "first": make_contribution(library, project, title="Хроника села", intro="Летопись."),
        "second": make_contribution(other_library, project, title="Галерея героев"),
        "third": make_contribution(library, other_project, title="Буктрейлер о войне"),
    }
    for days, material in enumerate(materials.values()):
        published(material, days)
    materials["draft"] = make_contribution(library, project, live=False, title="Черновик")
    materials["private"] = published(
        make_contribution(private_library, project, title="Секретный материал"), 10
    )
    for page in (home_page, library.get_parent(), project.get_parent()):
        published(page, -1)
    for page in (library, other_library, private_library, project, other_project):
        published(page, -1)
    return {
        "library": library,
        "other_library": other_library,
        "private_library": private_library,
        "project": project,
        "other_project": other_project,
        **materials,
    }


@pytest.fixture
def english_network(network, home_page, english):
    """The home page, both indexes, one library, one project and one material in English."""
    english_home = translate(home_page, english, "Letopis")
    translate(network["library"].get_parent(), english, "Libraries")
    translate(network["project"].get_parent(), english, "Projects")
    library = translate(
        network["library"], english, "Kozelsk Central Library", short_name="Kozelsk Library"
    )
    project = translate(network["project"], english, "Memory of Generations")
    material = published(translate(network["first"], english, "Village chronicle"), 20)
    # An English translation still in draft: never listed.
    draft = network["third"].copy_for_translation(english)
    return {"home": english_home, "library": library, "project": project, "first": material,
            "draft": draft}  # fmt: skip


def xml_of(response):
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.content)


def sitemap_urls(client, section):
    """``{location: {"lastmod": …, "alternates": {hreflang: href}}}`` of a sitemap file."""
    root = xml_of(client.get(f"/sitemap-{section}.xml"))
    return {
        url.findtext(f"{SM}loc"): {
            "lastmod": url.findtext(f"{SM}lastmod"),
            "alternates": {
                link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
            },
        }
        for url in root.iter(f"{SM}url")
    }


# -- sitemap.xml -----------------------------------------------------------------------------


def test_sitemap_index_lists_the_sections_with_the_sites_hostname(client, site, network):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    assert "max-age=3600" in response["Cache-Control"]
    root = xml_of(response)
    assert root.tag == f"{SM}sitemapindex"
    files = {s.findtext(f"{SM}loc"): s.findtext(f"{SM}lastmod") for s in root}
    # Sections without pages (no memorials or heroes yet) are left out.
    assert list(files) == [
        f"{site.root_url}/sitemap-pages.xml",
        f"{site.root_url}/sitemap-materials.xml",
    ]
    assert site.root_url == "http://localhost"  # the Wagtail Site, not the request's host
    assert files[f"{site.root_url}/sitemap-materials.xml"].startswith("2024-05-03")


def test_sitemap_lists_both_languages_with_hreflang_alternates(client, network, english_network):
    pages = sitemap_urls(client, "pages")
    materials = sitemap_urls(client, "materials")
    root = "http://localhost"
    assert f"{root}/" in pages and f"{root}/en/" in pages
    assert f"{root}/en/proekty/pamyat/" in pages

    chronicle = materials[f"{root}/biblioteki/kozelsk/{network['first'].slug}/"]
    english = f"{root}/en/biblioteki/kozelsk/{network['first'].slug}/"
    assert chronicle["alternates"] == {
        "ru": f"{root}/biblioteki/kozelsk/{network['first'].slug}/",
        "en": english,
        "x-default": f"{root}/biblioteki/kozelsk/{network['first'].slug}/",
    }
    assert materials[english]["alternates"] == chronicle["alternates"]
    assert materials[english]["lastmod"] == "2024-05-21"
    # A page in one language only has no alternates; every URL has its last change.
    assert materials[f"{root}/biblioteki/zhukovo/{network['second'].slug}/"]["alternates"] == {}
    assert all(info["lastmod"] for info in {**pages, **materials}.values())
    # One sitemap whatever language the crawler prefers.
    english_crawler = client.get("/sitemap-materials.xml", HTTP_ACCEPT_LANGUAGE="en")
    assert english_crawler.content == client.get("/sitemap-materials.xml").content


def test_sitemap_leaves_out_drafts_private_pages_and_the_tree_root(
    client, network, english_network
):
    locations = "\n".join([*sitemap_urls(client, "pages"), *sitemap_urls(client, "materials")])
    assert f"/{network['draft'].slug}/" not in locations
    assert "zakrytaya" not in locations  # the private library and its material
    assert f"/en/biblioteki/kozelsk/{network['third'].slug}/" not in locations  # English draft
    third = sitemap_urls(client, "materials")[
        f"http://localhost/biblioteki/kozelsk/{network['third'].slug}/"
    ]
    assert third["alternates"] == {}
    assert "/en/biblioteki/zhukovo/" not in locations  # never translated
    assert locations.count("http://localhost/\n") == 1  # the home page once, no tree root
    unpublished = network["other_project"]
    unpublished.unpublish()
    assert "/proekty/chitaem/" not in "\n".join(sitemap_urls(client, "pages"))


def test_sitemap_sections_are_paginated(client, network, monkeypatch):
    monkeypatch.setattr(discovery.PageSitemap, "limit", 2)
    files = [s.findtext(f"{SM}loc") for s in xml_of(client.get("/sitemap.xml"))]
    assert "http://localhost/sitemap-materials.xml?p=2" in files
    first = sitemap_urls(client, "materials")
    second = xml_of(client.get("/sitemap-materials.xml?p=2"))
    assert len(first) == 2 and len(list(second.iter(f"{SM}url"))) == 1
    assert client.get("/sitemap-materials.xml?p=3").status_code == 404
    assert client.get("/sitemap-materials.xml?p=abc").status_code == 404
    assert client.get("/sitemap-unknown.xml").status_code == 404


def test_sitemap_costs_the_same_queries_for_3_or_30_pages(
    client, network, make_contribution, django_assert_max_num_queries
):
    client.get("/sitemap-materials.xml")  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap-materials.xml")
    for n in range(27):
        make_contribution(network["other_library"], network["project"], title=f"Материал {n}")
    with CaptureQueriesContext(connection) as many:
        assert len(sitemap_urls(client, "materials")) == 30
    assert len(many) == len(few)
    with django_assert_max_num_queries(10):
        client.get("/sitemap.xml")


# -- robots.txt ------------------------------------------------------------------------------


def test_robots_txt_allows_the_site_and_points_to_the_sitemap(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "max-age=86400" in response["Cache-Control"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = [line.split(": ", 1)[1] for line in lines if line.startswith("Disallow:")]
    assert disallowed == ["/admin/", "/search/", "/en/search/", "/api/v2/", "/low-vision/"]
    assert "Allow: /" in lines
    assert f"Sitemap: {site.root_url}/sitemap.xml" in lines


# -- feeds -----------------------------------------------------------------------------------


def rss_items(client, url):
    root = xml_of(client.get(url))
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel"), root.findall("channel/item")


def test_site_feed_lists_new_materials_newest_first(client, network):
    network["first"].cover_image = ImageFactory(title="Обложка")
    network["first"].save_revision().publish()
    published(network["first"], 5)  # republished: its first publication counts
    response = client.get("/feeds/materials.rss")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "max-age=900" in response["Cache-Control"]
    channel, items = rss_items(client, "/feeds/materials.rss")
    assert channel.findtext("title") == "Новые материалы — Летопись"
    assert channel.findtext("language") == "ru"
    assert channel.findtext("link") == "http://localhost/"
    assert [item.findtext("title") for item in items] == [
        "Хроника села",
        "Буктрейлер о войне",
        "Галерея героев",
    ]  # no draft, nothing from the private library
    first = items[0]
    assert first.findtext("link") == f"http://localhost/biblioteki/kozelsk/{network['first'].slug}/"
    description = first.findtext("description")
    assert "<p>Летопись.</p>" in description
    assert "Библиотека: Козельская ЦРБ" in description
    assert "Проект: Память поколений" in description
    assert first.findtext(f"{DC}creator") == "Козельская ЦРБ"
    assert first.findtext("pubDate") == "Mon, 06 May 2024 09:00:00 +0000"
    enclosure = first.find("enclosure")
    assert enclosure.get("url").startswith("http://localhost/media/images/")
    assert enclosure.get("url").endswith(".jpg") and enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) > 0


def test_site_feed_is_limited_and_costs_the_same_queries(
    client, network, make_contribution, monkeypatch
):
    client.get("/feeds/materials.rss")  # warm caches (site root paths, site settings)
    with CaptureQueriesContext(connection) as few:
        client.get("/feeds/materials.rss")
    for n in range(5):
        published(make_contribution(network["library"], network["project"]), 30 + n)
    monkeypatch.setattr(feeds, "FEED_ITEMS", 6)
    with CaptureQueriesContext(connection) as many:
        _channel, items = rss_items(client, "/feeds/materials.rss")
    assert len(items) == 6
    assert len(many) == len(few)


def test_site_feed_in_atom(client, network):
    response = client.get("/feeds/materials.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = xml_of(response)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == (
        "http://localhost/feeds/materials.atom"
    )
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Буктрейлер о войне",
        "Галерея героев",
        "Хроника села",
    ]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Козельская ЦРБ"
    assert entries[0].findtext(f"{ATOM}published").startswith("2024-05-03")


def test_english_feeds_list_english_materials(client, network, english_network):
    channel, items = rss_items(client, "/en/feeds/materials.rss")
    assert channel.findtext("language") == "en"
    assert channel.findtext("link") == "http://localhost/en/"
    assert [item.findtext("title") for item in items] == ["Village chronicle"]
    assert items[0].findtext("link").startswith("http://localhost/en/biblioteki/kozelsk/")
    # The material's project is named in English, its library too.
    assert "Memory of Generations" in items[0].findtext("description")
    assert items[0].findtext(f"{DC}creator") == "Kozelsk Library"

    _channel, items = rss_items(client, "/en/feeds/project/pamyat.rss")
    assert [item.findtext("title") for item in items] == ["Village chronicle"]
    _channel, items = rss_items(client, "/en/feeds/library/kozelsk.rss")
    assert [item.findtext("title") for item in items] == ["Village chronicle"]
    assert client.get("/en/feeds/library/zhukovo.rss").status_code == 404  # not translated


def test_project_and_library_feeds(client, network):
    channel, items = rss_items(client, "/feeds/project/pamyat.rss")
    assert channel.findtext("title") == "Новые материалы проекта «Память поколений»"
    assert channel.findtext("link") == "http://localhost/proekty/pamyat/"
    assert [item.findtext("title") for item in items] == ["Галерея героев", "Хроника села"]

    channel, items = rss_items(client, "/feeds/library/kozelsk.rss")
    assert channel.findtext("title") == "Новые материалы: Козельская ЦРБ"
    assert [item.findtext("title") for item in items] == ["Буктрейлер о войне", "Хроника села"]

    root = xml_of(client.get("/feeds/library/kozelsk.atom"))
    assert len(root.findall(f"{ATOM}entry")) == 2


def test_unknown_private_or_unpublished_feeds_are_not_found(client, network):
    network["other_project"].unpublish()
    for url in [
        "/feeds/project/net-takogo.rss",
        "/feeds/project/chitaem.atom",  # unpublished
        "/feeds/library/net-takoy.atom",
        "/feeds/library/zakrytaya.rss",  # private
        "/feeds/library/.rss",
        "/en/feeds/project/pamyat.rss",  # no English translation
    ]:
        assert client.get(url).status_code == 404, url


# -- autodiscovery ---------------------------------------------------------------------------


def test_pages_announce_their_feeds(client, network, english_network):
    home = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Новые материалы (RSS)" '
        'href="/feeds/materials.rss">'
    ) in home
    assert (
        'type="application/atom+xml" title="Новые материалы (Atom)" href="/feeds/materials.atom"'
        in home
    )

    project = client.get(network["project"].url).content.decode()
    assert 'href="/feeds/project/pamyat.rss"' in project
    assert 'href="/feeds/project/pamyat.atom"' in project
    assert (
        '<a href="/feeds/project/pamyat.rss" type="application/rss+xml" '
        'aria-label="RSS-лента новых материалов проекта">RSS</a>'
    ) in project

    library = client.get(network["library"].url).content.decode()
    assert (
        'title="Новые материалы: Козельская ЦРБ (RSS)" href="/feeds/library/kozelsk.rss"' in library
    )
    assert 'href="/feeds/library/kozelsk.atom"' in library
    assert 'aria-label="RSS-лента новых материалов библиотеки">RSS</a>' in library

    english = client.get(english_network["project"].url).content.decode()
    assert 'href="/en/feeds/materials.rss"' in english
    assert 'href="/en/feeds/project/pamyat.rss"' in english


def test_favicon_is_served_and_linked(client, home_page):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/icons/favicon.ico")
    assert "max-age" in response["Cache-Control"]
    assert finders.find("icons/favicon.ico")
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/icons/favicon.ico"' in html
    assert 'rel="apple-touch-icon"' in html
