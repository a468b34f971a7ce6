"""The home page and the site's chrome, in Russian and in English."""

import re

import pytest

from home.demo import DemoBuilder
from home.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def settings_filled(site):
    obj = SiteSettings.for_site(site)
    obj.tagline = "Архив сетевых проектов библиотек области"
    obj.tagline_en = "The archive of the region's library network projects"
    obj.organisation = "Областная научная библиотека"
    obj.organisation_en = "Regional Scientific Library"
    obj.address = "г. Орёл, ул. Горького, 43"
    obj.phone = "+7 (4862) 76-00-00"
    obj.email = "letopis@example.org"
    obj.save()
    return obj


@pytest.fixture
def translated_home(home_page, django_capture_on_commit_callbacks):
    home_page.lead = "Общий архив библиотек области."
    home_page.save_revision().publish()
    strings = {"Летопись": "Letopis", "Общий архив библиотек области.": "The shared archive."}
    with django_capture_on_commit_callbacks(execute=True):
        return DemoBuilder().translate(home_page, strings)


def test_home_page_renders_in_russian_at_root(client, home_page, settings_filled):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "<h1" in html and home_page.title in html
    assert "Архив сетевых проектов библиотек области" in html  # tagline from site settings
    assert "Областная научная библиотека" in html and "letopis@example.org" in html


def test_home_page_renders_in_english_under_prefix(client, translated_home, settings_filled):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "The shared archive." in html
    assert "Общий архив" not in html
    # English twins of the site settings, English UI strings.
    assert "The archive of the region&#x27;s library network projects" in html
    assert "Regional Scientific Library" in html
    assert "Skip to main content" in html


def test_language_switcher_leads_to_the_translation(client, translated_home):
    html = client.get("/").content.decode()
    assert re.search(r'<a href="/en/"[^>]*hreflang="en"', html)
    html = client.get("/en/").content.decode()
    assert re.search(r'<a href="/"[^>]*hreflang="ru"', html)
    assert 'hreflang="ru" href="http://testserver/"' in html
    assert 'hreflang="en" href="http://testserver/en/"' in html


def test_language_switcher_without_translation_falls_back(client, home_page):
    # No English translation of the home page yet: the English link stays on the site.
    html = client.get("/").content.decode()
    assert re.search(r'<a href="/"[^>]*hreflang="en"', html)


def test_page_has_landmarks_skip_link_and_search(client, home_page):
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert html.count('<nav class="') >= 2 and 'aria-label="Основная навигация"' in html
    assert 'role="search"' in html and 'name="q"' in html
    assert 'name="viewport"' in html


def test_main_navigation_lists_menu_pages(client, home_page):
    from wagtail.models import Page

    shown = Page(title="Проекты", slug="proekty", show_in_menus=True)
    hidden = Page(title="Служебная", slug="sluzhebnaya", show_in_menus=False)
    home_page.add_child(instance=shown)
    home_page.add_child(instance=hidden)
    shown.save_revision().publish()
    hidden.save_revision().publish()
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Основная навигация"')[1].split("</nav>")[0]
    assert "Проекты" in nav and "Служебная" not in nav


def test_no_resource_is_loaded_from_another_host(client, home_page):
    html = client.get("/").content.decode()
    external = re.findall(r'(?:src|href)="(https?://(?!testserver)[^"]+)"', html)
    # Only plain links may point elsewhere; nothing is loaded (no script, style or font).
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="https?://(?!testserver)', html)
    assert all("cdn" not in url for url in external)


def test_unknown_page_is_a_friendly_404(client, home_page):
    response = client.get("/net-takoy-stranitsy/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
