"""«Как цитировать»: the ГОСТ Р 7.0.100-2018 reference of materials, memorials and heroes,
in Russian and in English, and the component that shows and copies it."""

import datetime
import html
import re

from django.test import RequestFactory
from django.utils import timezone, translation

from wagtail.models import Page

import pytest

from home.citation import join_areas, lower_first, reference
from home.models import SiteSettings
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)
PUBLISHED = datetime.datetime(2024, 5, 9, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def site_settings(site):
    obj = SiteSettings.for_site(site)
    obj.site_name_en = "Letopis"
    obj.tagline = "Архив сетевых проектов библиотек Калужской области"
    obj.tagline_en = "The archive of the Kaluga region's library network projects"
    obj.organisation = "Калужская областная научная библиотека им. В. Г. Белинского"
    obj.organisation_en = "Belinsky Kaluga Regional Scientific Library"
    obj.save()
    return obj


@pytest.fixture
def library(make_library):
    return make_library(
        title="Козельская центральная районная библиотека",
        short_name="Козельская ЦРБ",
        slug="kozelskaya-crb",
    )


def published(page, when=PUBLISHED):
    """``page`` published as an editor would, first published at ``when``."""
    page.save_revision().publish()
    Page.objects.filter(pk=page.pk).update(first_published_at=when)
    page.refresh_from_db()
    return page


@pytest.fixture
def material(site_settings, library, make_project, make_contribution):
    page = make_contribution(
        library, make_project(), title="Козельск: летопись военных лет", slug="kozelsk-letopis"
    )
    return published(page)


@pytest.fixture
def memorial(site_settings, library, make_memorial):
    page = make_memorial(
        library=library, title="Братская могила советских воинов", slug="bratskaya-mogila"
    )
    return published(page, datetime.datetime(2025, 2, 23, 20, 0, tzinfo=datetime.UTC))


@pytest.fixture
def hero(site_settings, make_hero, library):
    page = make_hero(
        last_name="Петров",
        first_name="Пётр",
        patronymic="Петрович",
        slug="petrov-petr-petrovich",
        library=library,
    )
    return published(page, datetime.datetime(2023, 12, 31, 22, 30, tzinfo=datetime.UTC))


def request_for(path):
    return RequestFactory().get(path)


def cite(page, path=None):
    return reference(page, request_for(path or page.url), today=TODAY)


# -- Russian ---------------------------------------------------------------------------------


def test_material_reference(material):
    assert cite(material) == (
        "Козельск: летопись военных лет / Козельская центральная районная библиотека. "
        "– Текст : электронный // Летопись : архив сетевых проектов библиотек Калужской "
        "области. – 2024. – URL: http://testserver/biblioteki/kozelskaya-crb/kozelsk-letopis/ "
        "(дата обращения: 26.11.2026)."
    )


def test_memorial_reference(memorial):
    assert cite(memorial) == (
        "Братская могила советских воинов / Козельская центральная районная библиотека. "
        "– Текст : электронный // Летопись : архив сетевых проектов библиотек Калужской "
        "области. – 2025. – URL: http://testserver/biblioteki/kozelskaya-crb/bratskaya-mogila/ "
        "(дата обращения: 26.11.2026)."
    )


def test_hero_reference_names_the_library_that_wrote_the_story(hero):
    # Published on 31 December 2023 at 22:30 UTC: already 2024 in Moscow.
    assert cite(hero) == (
        "Петров Пётр Петрович / Козельская центральная районная библиотека. "
        "– Текст : электронный // Летопись : архив сетевых проектов библиотек Калужской "
        "области. – 2024. – URL: http://testserver/kniga-pamyati/petrov-petr-petrovich/ "
        "(дата обращения: 26.11.2026)."
    )


def test_hero_without_a_library_is_the_organisations(hero):
    hero.library = None
    hero.save_revision().publish()
    assert cite(hero) == (
        "Петров Пётр Петрович / Калужская областная научная библиотека им. В. Г. Белинского. "
        "– Текст : электронный // Летопись : архив сетевых проектов библиотек Калужской "
        "области. – 2024. – URL: http://testserver/kniga-pamyati/petrov-petr-petrovich/ "
        "(дата обращения: 26.11.2026)."
    )


def test_a_site_without_a_tagline_or_organisation(hero, site_settings):
    site_settings.tagline = site_settings.organisation = ""
    site_settings.save()
    hero.library = None
    hero.save_revision().publish()
    assert cite(hero) == (
        "Петров Пётр Петрович. – Текст : электронный // Летопись : [сайт]. – 2024. "
        "– URL: http://testserver/kniga-pamyati/petrov-petr-petrovich/ "
        "(дата обращения: 26.11.2026)."
    )


def test_the_access_date_is_today_in_moscow(material, monkeypatch):
    # 23:30 UTC on 31 December is already 1 January in Moscow.
    late = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late)
    text = reference(material, request_for(material.url))
    assert text.endswith("(дата обращения: 01.01.2027).")


def test_the_url_is_absolute_without_a_request(material):
    text = reference(material, today=TODAY)
    assert "URL: http://localhost/biblioteki/kozelskaya-crb/kozelsk-letopis/ (" in text


def test_punctuation_helpers():
    assert join_areas(["Заглавие", "", "2024", "URL: x"]) == "Заглавие. – 2024. – URL: x"
    assert join_areas(["Библиотека им. В. Г. Белинского.", "2024"]) == (
        "Библиотека им. В. Г. Белинского. – 2024"
    )
    assert join_areas(["Кто помнит?", "2024"]) == "Кто помнит? – 2024"
    assert lower_first("Архив сетевых проектов") == "архив сетевых проектов"
    assert lower_first("ЦБС Козельского района") == "ЦБС Козельского района"
    assert lower_first("") == ""


# -- English ---------------------------------------------------------------------------------


def translate(page, english, **fields):
    translated = page.copy_for_translation(english, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    return published(translated.specific, PUBLISHED)


def cite_in_english(page):
    with translation.override("en"):
        return cite(page)


def test_english_material_reference(material, library, english):
    translate(library, english, title="Kozelsk Central District Library")
    page = translate(material, english, title="Kozelsk: Chronicle of the War Years")
    assert cite_in_english(page) == (
        "Kozelsk: Chronicle of the War Years / Kozelsk Central District Library. "
        "– Text : electronic // Letopis : the archive of the Kaluga region's library network "
        "projects. – 2024. – URL: http://testserver/en/biblioteki/kozelskaya-crb/kozelsk-letopis/ "
        "(accessed: 26.11.2026)."
    )


def test_english_memorial_reference(memorial, library, english):
    translate(library, english, title="Kozelsk Central District Library")
    page = translate(memorial, english, title="Mass Grave of Soviet Soldiers")
    assert cite_in_english(page) == (
        "Mass Grave of Soviet Soldiers / Kozelsk Central District Library. "
        "– Text : electronic // Letopis : the archive of the Kaluga region's library network "
        "projects. – 2024. – URL: http://testserver/en/biblioteki/kozelskaya-crb/bratskaya-mogila/ "
        "(accessed: 26.11.2026)."
    )


def test_english_hero_reference(hero, library, english):
    page = translate(hero, english, title="Petrov Pyotr Petrovich")
    # The library that wrote the story has no English page: its Russian name stands.
    assert cite_in_english(page) == (
        "Petrov Pyotr Petrovich / Козельская центральная районная библиотека. "
        "– Text : electronic // Letopis : the archive of the Kaluga region's library network "
        "projects. – 2024. – URL: http://testserver/en/kniga-pamyati/petrov-petr-petrovich/ "
        "(accessed: 26.11.2026)."
    )
    translate(library, english, title="Kozelsk Central District Library")
    assert "Petrov Pyotr Petrovich / Kozelsk Central District Library. –" in cite_in_english(page)
    page.library = None
    page.save_revision().publish()
    assert cite_in_english(page).startswith(
        "Petrov Pyotr Petrovich / Belinsky Kaluga Regional Scientific Library. "
        "– Text : electronic // Letopis : the archive"
    )


# -- the component -----------------------------------------------------------------------------


def cite_section(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    match = re.search(r'<section class="cite".*?</section>', response.content.decode(), re.S)
    assert match, "no «Как цитировать» section"
    return match.group(0), response.content.decode()


@pytest.mark.parametrize("fixture", ["material", "memorial", "hero"])
def test_every_page_type_shows_the_reference_and_a_copy_button(client, request, fixture):
    page = request.getfixturevalue(fixture)
    section, page_html = cite_section(client, page)
    assert 'aria-labelledby="cite-title"' in section
    assert '<h2 id="cite-title">Как цитировать</h2>' in section
    text = re.search(r'<p class="cite__reference" id="cite-reference">(.*?)</p>', section, re.S)
    expected = reference(page, request_for(page.url), today=timezone.localdate())
    assert html.unescape(text.group(1)) == expected
    # The button is hidden until the script finds that copying works; the live region
    # carries the message.
    assert re.search(r'<p class="cite__actions" hidden data-cite-actions>', section)
    assert '<button type="button"' in section and ">Скопировать</button>" in section
    assert 'data-cite-copy="cite-reference"' in section
    assert 'role="status"' in section and 'data-copied="Ссылка скопирована"' in section
    assert page_html.count('src="/static/js/cite.js" defer') == 1


def test_the_component_is_in_english_on_english_pages(client, material, library, english):
    translate(library, english, title="Kozelsk Central District Library")
    page = translate(material, english, title="Kozelsk: Chronicle of the War Years")
    section, _ = cite_section(client, page)
    assert "Text : electronic // Letopis" in html.unescape(section)
    assert "Как цитировать" not in section and "Скопировать" not in section


def test_the_script_is_a_static_file():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    path = finders.find("js/cite.js")
    assert path
    source = Path(path).read_text(encoding="utf-8")
    assert "navigator.clipboard" in source and "data-cite-status" in source


def test_previews_of_new_and_edited_pages_render(admin_browser, hero, hero_index):
    from django.urls import reverse

    from wagtail.test.utils.form_data import nested_form_data

    from tests.test_heroes import hero_form

    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["memorials", "heropage", hero_index.pk]
    )
    response = admin_browser.post(url, nested_form_data(hero_form()))
    assert response.json()["is_valid"]
    response = admin_browser.get(url)
    assert response.status_code == 200
    assert "Как цитировать" not in response.content.decode()  # never published: no reference

    url = reverse("wagtailadmin_pages:preview_on_edit", args=[hero.pk])
    data = hero_form(title=hero.title, slug=hero.slug, last_name="Петров")
    response = admin_browser.post(url, nested_form_data(data))
    assert response.json()["is_valid"]
    page_html = admin_browser.get(url).content.decode()
    assert "Петров Пётр Петрович / " in html.unescape(page_html)
