"""The Book of Memory: hero pages, the А–Я index, one hero on many memorials, translations."""

import json
import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from memorials.models import HeroMemorial, HeroPage
from tests.admin_forms import admin_create_page
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


# -- one hero, many memorials ---------------------------------------------------------------


def test_one_hero_on_many_memorials_links_both_ways(client, make_memorial, make_hero):
    village = make_memorial(title="Братская могила в Попелёве", settlement="д. Попелёво")
    centre = make_memorial(title="Обелиск в Козельске", settlement="г. Козельск")
    hero = make_hero(memorials=[village, centre], last_name="Соколов", first_name="Пётр")
    other = make_hero(memorials=[centre], last_name="Андреев")

    html = client.get(hero.url).content.decode()
    assert village.title in html and village.url in html
    assert centre.title in html and centre.url in html

    assert list(village.heroes()) == [hero]
    assert list(centre.heroes()) == [other, hero]  # by name
    assert hero.url in client.get(village.url).content.decode()
    centre_html = client.get(centre.url).content.decode()
    assert hero.url in centre_html and other.url in centre_html


def test_unpublished_heroes_and_memorials_are_not_linked(client, make_memorial, make_hero):
    shown, hidden = make_memorial(), make_memorial(live=False)
    hero = make_hero(memorials=[shown, hidden])
    draft = make_hero(memorials=[shown], live=False)
    assert list(shown.heroes()) == [hero]
    html = client.get(hero.url).content.decode()
    assert shown.title in html and hidden.title not in html
    assert draft.title not in client.get(shown.url).content.decode()


def test_hero_page_queries_do_not_grow_with_memorials(client, make_memorial, make_hero):
    few = make_hero(memorials=[make_memorial()])
    many = make_hero(memorials=[make_memorial() for _ in range(12)])
    assert count_queries(client, few.url) == count_queries(client, many.url)


def test_hero_page_structured_data_is_a_person(client, make_memorial, make_hero):
    hero = make_hero(
        memorials=[make_memorial()],
        last_name="Петров",
        first_name="Пётр",
        patronymic="Петрович",
        birth_year=1920,
        death_year=1943,
        awards="Медаль «За отвагу»\nОрден Красной Звезды",
        unit="1134-й стрелковый полк",
    )
    html = client.get(hero.url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = next(node for node in json.loads(block)["@graph"] if node["@type"] == "Person")
    assert data["familyName"] == "Петров" and data["additionalName"] == "Петрович"
    assert data["birthDate"] == "1920" and data["deathDate"] == "1943"
    assert data["award"] == ["Медаль «За отвагу»", "Орден Красной Звезды"]
    assert "Орден Красной Звезды" in html and "1920–1943" in html


def test_hero_api_exposes_fields_and_memorial_links(client, make_memorial, make_hero):
    memorial = make_memorial()
    hero = make_hero(memorials=[memorial], ref="H-7")
    data = client.get(f"/api/v2/pages/{hero.pk}/").json()
    for field in ("last_name", "first_name", "patronymic", "birth_year", "death_year", "rank",
                  "unit", "fate", "awards", "biography", "photo", "sources", "library", "ref"):  # fmt: skip
        assert field in data, field
    assert data["ref"] == "H-7"
    assert data["memorial_links"][0]["memorial"]["id"] == memorial.pk


# -- validation and the admin ---------------------------------------------------------------


def test_hero_years_are_validated(hero_index):
    hero = HeroPage(last_name="Сидоров", birth_year=1950, death_year=1940, locale=hero_index.locale)
    with pytest.raises(ValidationError) as error:
        hero.clean()
    assert "раньше года рождения" in str(error.value.message_dict["death_year"])
    hero = HeroPage(last_name="Сидоров", birth_year=1700, locale=hero_index.locale)
    with pytest.raises(ValidationError) as error:
        hero.clean()
    assert "Год должен быть от 1850" in str(error.value.message_dict["birth_year"])


def hero_form(memorials=(), **extra):
    data = {
        "title": "",
        "slug": "",
        "last_name": "Ёлкин",
        "first_name": "Семён",
        "patronymic": "Фёдорович",
        "birth_year": "1910",
        "birth_place": "д. Попелёво",
        "death_year": "1942",
        "death_place": "",
        "rank": "сержант",
        "unit": "",
        "fate": "killed",
        "awards": "",
        "biography": rich_text("<p>Рассказ о герое.</p>"),
        "memorial_links": inline_formset([{"memorial": str(m.pk)} for m in memorials]),
        "sources": streamfield([]),
        "library": "",
        "ref": "",
    }
    data.update(extra)
    return data


def test_admin_makes_the_title_and_slug_from_the_name(admin_browser, hero_index, make_memorial):
    memorials = [make_memorial(), make_memorial()]
    url = reverse("wagtailadmin_pages:add", args=["memorials", "heropage", hero_index.pk])
    form = nested_form_data(hero_form(memorials))
    form["action-publish"] = "publish"
    response = admin_browser.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    hero = HeroPage.objects.get(last_name="Ёлкин")
    assert hero.title == "Ёлкин Семён Фёдорович"
    assert hero.slug == "yolkin-semyon-fyodorovich"
    assert hero.url == "/kniga-pamyati/yolkin-semyon-fyodorovich/"
    assert hero.initial == "Е" and hero.name_key == "елкин семен федорович"
    assert [link.memorial_id for link in hero.memorial_links.all()] == [m.pk for m in memorials]


def test_admin_refuses_the_same_memorial_twice(admin_browser, hero_index, make_memorial):
    memorial = make_memorial()
    response, page = admin_create_page(
        admin_browser, HeroPage, hero_index, hero_form([memorial, memorial], title="Ёлкин С. Ф.")
    )
    assert response.status_code == 200 and page is None
    assert "указан дважды" in response.content.decode()


# -- the Book of Memory's index ------------------------------------------------------------


@pytest.fixture
def book(make_hero):
    names = [("Алексеев", "Иван"), ("Андреев", "Пётр"), ("Борисов", "Семён"),
             ("Ёлкин", "Фёдор"), ("Егоров", "Илья"), ("Иванов", "Иван"), ("иванова", "Мария")]  # fmt: skip
    return {last: make_hero(last_name=last, first_name=first) for last, first in names}


def names_in(html):
    return re.findall(r'class="hero-item__name"[^>]*>([^<]+)<', html)


def test_index_lists_heroes_alphabetically_with_letters(client, hero_index, book):
    html = client.get(hero_index.url).content.decode()
    assert [n.split()[0] for n in names_in(html)] == [
        "Алексеев", "Андреев", "Борисов", "Егоров", "Ёлкин", "Иванов", "иванова",
    ]  # fmt: skip
    assert re.search(r'<a href="\?letter=%D0%90"[^>]*>А</a>', html)  # А has heroes: a link
    assert '<span class="alphabet__empty" aria-hidden="true">Я</span>' in html  # none on Я
    assert "Имён в Книге памяти: 7" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"letter": "А"}, ["Алексеев", "Андреев"]),
        ({"letter": "а"}, ["Алексеев", "Андреев"]),
        ({"letter": "Ё"}, ["Егоров", "Ёлкин"]),  # Ё is filed under Е
        ({"q": "иван"}, ["Иванов", "иванова"]),  # case folded on SQLite too
        ({"q": "ЁЛК"}, ["Ёлкин"]),
        ({"q": "иванов иван"}, ["Иванов"]),
        ({"q": "Иванов", "letter": "И"}, ["Иванов", "иванова"]),
        ({"q": "Шмидт"}, []),
    ],
)
def test_index_filters_by_letter_and_surname(client, hero_index, book, params, expected):
    html = client.get(hero_index.url, params).content.decode()
    assert [n.split()[0] for n in names_in(html)] == expected


@pytest.mark.parametrize(
    "params",
    [
        {"letter": "Ж" * 3},
        {"letter": "%"},
        {"letter": "\x00"},
        {"q": "\x00иван"},
        {"q": "'\"; DROP TABLE --" * 20},
        {"q": "x" * 10_000},
        {"page": "999"},
        {"page": "-1"},
        {"page": "один"},
    ],
)
def test_index_never_fails_on_bad_parameters(client, hero_index, book, params):
    response = client.get(hero_index.url, params)
    assert response.status_code == 200


def test_index_says_when_a_letter_is_unknown(client, hero_index, book):
    html = client.get(hero_index.url, {"letter": "Q1"}).content.decode()
    assert "Буквы «Q1» нет в указателе." in html
    assert len(names_in(html)) == 7


def test_index_paginates(client, hero_index, book, monkeypatch):
    from memorials import listing

    monkeypatch.setattr(listing, "HEROES_PER_PAGE", 3)
    first = names_in(client.get(hero_index.url).content.decode())
    third = names_in(client.get(hero_index.url, {"page": "3"}).content.decode())
    assert len(first) == 3 and len(third) == 1


def test_index_queries_do_not_grow_with_heroes(client, hero_index, make_hero):
    make_hero()
    few = count_queries(client, hero_index.url)
    for n in range(30):
        make_hero(last_name=f"Петров{n}")
    assert count_queries(client, hero_index.url) == few


# -- translations ---------------------------------------------------------------------------


def test_translated_hero_keeps_its_memorial_links(
    client, home_page, hero_index, make_memorial, make_hero, django_capture_on_commit_callbacks
):
    """wagtail-localize synchronises the hero ↔ memorial links (a child relation)."""
    from wagtail_localize.models import Translation
    from wagtail_localize.operations import TranslationCreator

    english = Locale.objects.get(language_code="en")
    memorial = make_memorial(title="Обелиск воинам-землякам")
    hero = make_hero(memorials=[memorial], last_name="Орлов")
    hero.save_revision().publish()
    creator = TranslationCreator(user=None, target_locales=[english])
    creator.create_translations(home_page)
    creator.create_translations(hero_index)
    creator.create_translations(hero)
    for page in (home_page, hero_index, hero):
        translation = Translation.objects.get(
            source__object_id=page.translation_key, target_locale=english
        )
        with django_capture_on_commit_callbacks(execute=True):  # it publishes on commit
            translation.save_target(publish=True)
    translated = hero.get_translation(english).specific
    assert translated.ref == hero.ref  # a synchronised field
    assert [link.memorial_id for link in translated.memorial_links.all()] == [memorial.pk]
    # The English hero links to the Russian memorial while it has no translation…
    assert memorial.url in client.get(translated.url).content.decode()
    # …and the Russian memorial lists the hero once, in Russian.
    assert list(memorial.heroes()) == [hero]
    # The English Book of Memory lists the hero once, translated.
    book = hero_index.get_translation(english)
    html = client.get(book.url).content.decode()
    assert html.count("Орлов") == 1 and translated.url in html


def test_hero_links_must_point_to_memorials(hero_index, make_hero, make_memorial):
    hero = make_hero()
    link = HeroMemorial(page=hero, memorial_id=make_memorial().pk)
    link.save()
    assert hero.memorial_links.count() == 1
