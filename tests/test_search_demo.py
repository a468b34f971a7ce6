"""Searching the demo archive as a visitor would: inflected surnames, places and nouns,
any letter case, ё or е, with or without hyphens and quotes. The suite runs on SQLite and on
PostgreSQL (CI runs both), so each case proves both databases find the same pages.

The demo is built once for the module (see tests/test_demo.py) and rolled back after.
"""

from django.db import transaction

from wagtail.models import Locale

import pytest

from memorials.models import HeroPage, MemorialPage
from projects.models import ContributionPage
from search.engine import Filters, run_search
from tests.test_demo import run_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def archive(demo, db):
    return Locale.objects.get(language_code="ru")


def found(locale, query, kind=None):
    outcome = run_search(query, locale=locale, filters=Filters(type=kind), per_page=100)
    return outcome, {hit.url for hit in outcome.hits}


def urls(pages):
    return {page.url for page in pages}


def russian(model, **filters):
    return model.objects.live().filter(locale__language_code="ru", **filters)


HEROES = [
    # (case, query, filter on HeroPage)
    ("surname, masculine, dative", "Кузнецову", {"last_name": "Кузнецов"}),
    ("surname, masculine, instrumental", "Кузнецовым", {"last_name": "Кузнецов"}),
    ("surname, feminine, genitive", "Григорьевой", {"last_name": "Григорьева"}),
    ("surname, feminine, dative", "Ефимовой", {"last_name": "Ефимова"}),
    ("surname in capitals", "КУЗНЕЦОВ", {"last_name": "Кузнецов"}),
    ("surname in lower case", "кузнецов", {"last_name": "Кузнецов"}),
    (
        "first name and surname, other order",
        "Прасковья Григорьева",
        {"last_name": "Григорьева", "first_name": "Прасковья"},
    ),
    ("full name with е for ё", "Кузнецов Борис Семенович", {"title": "Кузнецов Борис Семёнович"}),
    (
        "full name, every word inflected",
        "Кузнецову Борису Семёновичу",
        {"title": "Кузнецов Борис Семёнович"},
    ),
]


@pytest.mark.parametrize(("case", "query", "where"), HEROES, ids=[case for case, *_ in HEROES])
def test_heroes_by_inflected_names(archive, case, query, where):
    expected = urls(russian(HeroPage, **where))
    assert expected, f"the demo has no hero for {where}"
    _outcome, hits = found(archive, query, kind="hero")
    # A surname is one lemma for both genders: «Григорьевой» finds the Григорьева heroes
    # and their Григорьев namesakes (one family of names), never anyone else.
    assert expected <= hits, case
    surname = next(iter(russian(HeroPage, **where))).last_name
    family = urls(
        russian(HeroPage, last_name__in=[surname, surname.removesuffix("а"), surname + "а"])
    )
    assert hits <= family, case


MEMORIALS = [
    ("place, prepositional plural-only name", "в Сухиничах", {"settlement": "г. Сухиничи"}),
    ("place, prepositional", "в Козельске", {"settlement": "г. Козельск"}),
    ("place with ё written with е", "Березовка", {"settlement": "д. Берёзовка"}),
    ("place with hyphen", "Спас-Деменск", {"settlement": "г. Спас-Деменск"}),
    ("place without hyphen", "Спас Деменск", {"settlement": "г. Спас-Деменск"}),
    ("district adjective, prepositional", "в Мещовском районе", {"district": "Мещовский район"}),
    ("noun and adjective, plural", "братские могилы", {"title__startswith": "Братская могила"}),
    ("noun, genitive", "обелиска", {"title__startswith": "Обелиск"}),
    ("guillemets ignored", "«Вечный огонь»", {"title__contains": "Вечный огонь"}),
    ("straight quotes ignored", '"вечного огня"', {"title__contains": "Вечный огонь"}),
]


@pytest.mark.parametrize(
    ("case", "query", "where"), MEMORIALS, ids=[case for case, *_ in MEMORIALS]
)
def test_memorials_by_places_and_nouns(archive, case, query, where):
    expected = urls(russian(MemorialPage, **where))
    assert expected, f"the demo has no memorial for {where}"
    _outcome, hits = found(archive, query, kind="memorial")
    assert expected <= hits, case


def test_hyphen_or_not_finds_the_same(archive):
    assert (
        found(archive, "Спас-Деменск")[1]
        == found(archive, "Спас Деменск")[1]
        == found(archive, "спас деменске")[1]
    )


def test_materials_by_place_and_noun_forms(archive):
    expected = urls(russian(ContributionPage, title__startswith="Козельск:"))
    assert expected
    _outcome, hits = found(archive, "летописи Козельска", kind="material")
    assert hits == expected


def test_materials_by_a_word_of_a_quote(archive):
    # The demo's quotes are signed «А. М. Кузнецова, жительница села»: a feminine surname
    # in a block deep inside the StreamField.
    outcome, _hits = found(archive, "Кузнецовой", kind="material")
    assert outcome.total > 0
    assert all("Кузнецов" in hit.snippet_text for hit in outcome.hits)
    assert all("<mark>Кузнецова</mark>" in hit.snippet for hit in outcome.hits)


def test_projects_by_inflected_theme_words(archive):
    _outcome, hits = found(archive, "героям памятников", kind="project")
    assert any("nashi-pamyatniki" in url for url in hits)


def test_a_typo_in_a_demo_surname(archive):
    outcome, hits = found(archive, "Григорьвой")
    assert outcome.corrected and outcome.suggestion == "Григорьевой"
    assert urls(russian(HeroPage, last_name="Григорьева")) <= hits


def test_facets_on_the_demo_add_up(archive):
    outcome, _hits = found(archive, "памятник")
    assert sum(value.count for value in outcome.facets["type"]) == outcome.total
    districts = sum(value.count for value in outcome.facets["district"])
    assert 0 < districts <= outcome.total
