"""The search index and engine on real pages: what is found, what never is, facets,
typo tolerance, incremental indexing, and the Wagtail backend used by the admin and API."""

import datetime
import json

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, Locale, Page, PageViewRestriction

import pytest

from search.engine import Filters, run_search, suggest
from search.models import Posting, SearchEntry
from tests.fixtures.memorials.helpers import *  # noqa: F403


def search(query, language="ru", page=1, **filters):
    return run_search(
        query,
        locale=Locale.objects.get(language_code=language),
        filters=Filters(**filters),
        page=page,
    )


def titles(outcome):
    return [hit.title for hit in outcome.hits]


@pytest.fixture
def library(make_library):
    return make_library(title="Козельская центральная библиотека", district="Козельский район")


@pytest.fixture
def project(make_project):
    return make_project(title="Наши памятники – наши герои", start_year=2015)


# --- what is found -----------------------------------------------------------------


def test_a_published_page_is_found_at_once_and_an_edit_replaces_its_terms(make_hero):
    hero = make_hero(last_name="Кузнецов", first_name="Борис", patronymic="Семёнович")
    assert titles(search("Кузнецову")) == ["Кузнецов Борис Семёнович"]

    hero.last_name, hero.title = "Смирнов", "Смирнов Борис Семёнович"
    hero.save_revision().publish()
    assert search("Кузнецову").total == 0
    assert titles(search("Смирнову")) == ["Смирнов Борис Семёнович"]
    # One entry, its postings replaced, not added to.
    entry = SearchEntry.objects.get(object_id=hero.pk)
    assert not Posting.objects.filter(entry_id=entry.pk, term="кузнецов").exists()


def test_hero_full_name_in_any_order_and_case(make_hero):
    make_hero(
        last_name="Иванов", first_name="Иван", patronymic="Иванович", title="Иванов Иван Иванович"
    )
    for query in ("Иванов Иван Иванович", "Иван Иванов", "ИВАНОВУ ИВАНУ", "иванович иванов"):
        assert titles(search(query)) == ["Иванов Иван Иванович"], query


def test_memorial_fields_are_searchable(make_memorial):
    make_memorial(
        title="Обелиск павшим односельчанам",
        settlement="с. Воскресенское",
        district="Спас-Деменский район",
        inscription="Вечная слава героям, павшим за Родину",
        description="<p>Установлен жителями на средства колхоза «Рассвет».</p>",
    )
    for query in (
        "Воскресенском",  # settlement, prepositional
        "Спас Деменском районе",  # district, hyphen dropped, inflected
        "славы героев",  # inscription, other cases
        "колхозом Рассвет",  # description (rich text)
        "обелиски",  # title, plural
    ):
        assert titles(search(query)) == ["Обелиск павшим односельчанам"], query


def test_every_contribution_block_is_searchable(library, project, make_contribution):
    body = [
        {
            "type": "chronicle",
            "id": "chronicle-1",
            "value": {
                "title": "Хроника",
                "entries": [
                    {
                        "type": "item",
                        "id": "entry-1",
                        "value": {
                            "year": 1942,
                            "month": "",
                            "day": None,
                            "heading": "Освобождение",
                            "text": "<p>Партизаны взорвали мост через Жиздру.</p>",
                            "photos": [],
                        },
                    }
                ],
            },
        },
        {
            "type": "gallery",
            "id": "gallery-1",
            "value": {
                "title": "Фотографии",
                "images": [
                    {
                        "type": "item",
                        "id": "photo-1",
                        "value": {
                            "image": None,
                            "caption": "Митинг у сельсовета",
                            "credit": "",
                            "alt_text": "Люди у здания",
                        },
                    }
                ],
            },
        },
        {
            "type": "book_trailer",
            "id": "trailer-1",
            "value": {
                "video": None,
                "link": "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
                "poster": None,
                "book_author": "Юрий Бондарев",
                "book_title": "Горячий снег",
                "book_year": 1970,
                "annotation": "Роман о Сталинградской битве.",
                "captions": None,
            },
        },
        {
            "type": "postcard",
            "id": "card-1",
            "value": {
                "image": None,
                "occasion": "9 Мая",
                "greeting": "Поздравляем ветеранов с праздником!",
                "text_equivalent": "Открытка: красная гвоздика.",
            },
        },
    ]
    make_contribution(library, project, title="Материал библиотеки", body=json.dumps(body))
    cases = {
        "chronicle entry text": "мостом",
        "chronicle entry heading": "освобождения",
        "gallery caption": "митинге",
        "trailer annotation": "Сталинградская битва",
        "trailer book title": "горячего снега",
        "postcard greeting": "ветеранам",
        "postcard text equivalent": "гвоздики",
    }
    for case, query in cases.items():
        assert titles(search(query)) == ["Материал библиотеки"], case


def test_documents_are_found_by_title(db):
    Document = get_document_model()
    Document.objects.create(
        title="Положение о конкурсе буктрейлеров", file=ContentFile(b"%PDF", name="p.pdf")
    )
    outcome = search("положения конкурса")
    assert [(hit.kind, hit.title) for hit in outcome.hits] == [
        ("document", "Положение о конкурсе буктрейлеров")
    ]
    assert outcome.hits[0].url.startswith("/documents/")


def test_title_matches_rank_above_mentions(make_hero, library, project, make_contribution):
    make_contribution(
        library, project, title="Воспоминания о войне", intro="Рассказ о Кузнецове и его семье."
    )
    make_hero(
        last_name="Кузнецов", first_name="Пётр", patronymic="Ильич", title="Кузнецов Пётр Ильич"
    )
    assert titles(search("Кузнецов")) == ["Кузнецов Пётр Ильич", "Воспоминания о войне"]


# --- what never is -----------------------------------------------------------------


def test_drafts_never_appear_not_even_as_a_title(library, project, make_contribution, client):
    make_contribution(library, project, live=False, title="Черновик о Жиздре")
    assert search("Жиздра").total == 0
    assert suggest("Черновик", locale=Locale.get_default()) == []
    assert all(value.count == 0 for values in search("Жиздра").facets.values() for value in values)


def test_unpublished_and_deleted_pages_leave_the_results(library, project, make_contribution):
    page = make_contribution(library, project, title="Материал о Людинове")
    page.save_revision().publish()
    assert search("Людиново").total == 1
    page.unpublish()
    assert search("Людиново").total == 0
    page.save_revision().publish()
    assert search("Людиново").total == 1
    page.delete()
    assert search("Людиново").total == 0
    assert not SearchEntry.objects.filter(object_id=page.pk, title__contains="Людинов").exists()


def test_private_pages_and_their_subtrees_never_appear(library, project, make_contribution):
    make_contribution(library, project, title="Материал о Мещовске")
    restriction = PageViewRestriction.objects.create(
        page=library, restriction_type=PageViewRestriction.PASSWORD, password="секрет"
    )
    assert search("Мещовск").total == 0
    assert search("Козельская библиотека").total == 0  # the restricted page itself
    assert suggest("Мещовск", locale=Locale.get_default()) == []
    restriction.delete()
    assert search("Мещовск").total == 1


def test_a_page_moved_under_a_private_page_is_hidden(
    library, make_library, project, make_contribution
):
    page = make_contribution(library, project, title="Материал о Мосальске")
    private = make_library(title="Закрытый раздел")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert search("Мосальск").total == 1
    page.move(private, pos="last-child")
    assert search("Мосальск").total == 0


def test_documents_in_a_private_collection_never_appear(db):
    Document = get_document_model()
    private = Collection.get_first_root_node().add_child(name="Служебные")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    Document.objects.create(
        title="Служебная записка", file=ContentFile(b"x", name="z.pdf"), collection=private
    )
    assert search("служебная записка").total == 0


def test_only_the_current_language(home_page, english, django_capture_on_commit_callbacks):
    home_page.title = "Летопись Калужской области"
    home_page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        home_page.copy_for_translation(english).save_revision().publish()
    en_home = home_page.get_translation(english)
    en_home.title = "Chronicle of the Kaluga region"
    en_home.save_revision().publish()
    assert [hit.url for hit in search("Калужской").hits] == ["/"]
    assert search("Kaluga").total == 0
    assert [hit.title for hit in search("Kaluga", language="en").hits] == [
        "Chronicle of the Kaluga region"
    ]
    assert search("Калужской", language="en").total == 0


# --- facets, pagination, typos ---------------------------------------------------------


def test_facets_count_by_type_district_library_project_and_year(
    library, make_library, project, make_project, make_contribution, make_memorial, make_hero
):
    other = make_library(title="Сухиничская библиотека", district="Сухиничский район")
    contest = make_project(title="Конкурс буктрейлеров", start_year=2021)
    make_contribution(library, project, title="Обелиск в Козельске", date=datetime.date(2019, 5, 9))
    make_contribution(other, contest, title="Обелиск в Сухиничах", date=datetime.date(2021, 5, 9))
    make_memorial(
        title="Обелиск на площади", district="Козельский район", library=library, year_unveiled=1967
    )
    make_hero(
        last_name="Обелисков", title="Обелисков Иван Иванович", biography="<p>Имя на обелиске.</p>"
    )

    outcome = search("обелиск")
    facets = {
        name: {value.label: value.count for value in values}
        for name, values in outcome.facets.items()
    }
    assert outcome.total == 4
    assert facets["type"] == {"Герои": 1, "Памятники": 1, "Материалы": 2}
    assert facets["district"] == {"Козельский район": 2, "Сухиничский район": 1}
    assert facets["library"] == {
        "Козельская центральная библиотека": 2,
        "Сухиничская библиотека": 1,
    }
    assert facets["project"] == {"Наши памятники – наши герои": 1, "Конкурс буктрейлеров": 1}
    assert facets["year"] == {"2021": 1, "2019": 1, "1967": 1}

    filtered = search("обелиск", type="material", district="Козельский район")
    assert titles(filtered) == ["Обелиск в Козельске"]
    type_counts = {value.value: (value.count, value.selected) for value in filtered.facets["type"]}
    # A facet's counts ignore its own selection: the other types stay reachable.
    assert type_counts == {"material": (1, True), "memorial": (1, False)}


def test_pagination_and_a_page_beyond_the_last(make_hero):
    for number in range(25):
        make_hero(
            last_name=f"Петров{number:02d}", first_name="Пётр", title=f"Петров{number:02d} Пётр"
        )
    first, last = search("Пётр"), search("Пётр", page=99)
    assert (first.total, first.num_pages, len(first.hits)) == (25, 2, 20)
    assert (last.page, len(last.hits)) == (2, 5)
    assert not set(titles(first)) & set(titles(last))


def test_a_typo_in_a_surname_is_forgiven_with_a_suggestion(make_hero):
    make_hero(
        last_name="Смирнова",
        first_name="Мария",
        patronymic="Ивановна",
        title="Смирнова Мария Ивановна",
    )
    outcome = search("Смирнвой")  # one letter missing, inflected
    assert outcome.corrected and outcome.suggestion == "Смирновой"
    assert titles(outcome) == ["Смирнова Мария Ивановна"]
    exact = search("Смирновой")
    assert exact.suggestion is None and not exact.corrected


def test_a_typo_in_a_place_name_is_forgiven(make_memorial):
    make_memorial(title="Памятник в Мещовске", settlement="г. Мещовск", district="Мещовский район")
    outcome = search("Мешовск")
    assert outcome.corrected and outcome.suggestion == "Мещовск"
    assert titles(outcome) == ["Памятник в Мещовске"]


def test_nothing_found_and_nothing_close(make_hero):
    make_hero(last_name="Смирнова", title="Смирнова Мария")
    outcome = search("Ъъъъъъъ")
    assert (outcome.total, outcome.suggestion, outcome.hits) == (0, None, [])


def test_suggest_titles_and_hero_names_for_a_prefix(make_hero, make_memorial):
    make_hero(last_name="Кузнецов", first_name="Борис", title="Кузнецов Борис Семёнович")
    make_hero(last_name="Кузьмин", first_name="Пётр", title="Кузьмин Пётр Ильич")
    make_memorial(title="Обелиск в Кузьминках")
    found = suggest("Куз", locale=Locale.get_default())
    assert {item["title"] for item in found} == {
        "Кузнецов Борис Семёнович",
        "Кузьмин Пётр Ильич",
        "Обелиск в Кузьминках",
    }
    assert [item["title"] for item in suggest("Кузнецов Бор", locale=Locale.get_default())] == [
        "Кузнецов Борис Семёнович"
    ]
    assert suggest("К", locale=Locale.get_default()) == []


def test_query_count_does_not_grow_with_the_number_of_hits(make_hero):
    def queries(query):
        with CaptureQueriesContext(connection) as context:
            outcome = search(query)
        return outcome, len(context)

    for number in range(3):
        make_hero(last_name=f"Орлов{number}", first_name="Олег", title=f"Орлов{number} Олег")
    for number in range(18):
        make_hero(last_name=f"Соколов{number}", first_name="Семён", title=f"Соколов{number} Семён")
    search("Олег")  # warm the caches (content types, locales, site root paths)
    few, few_queries = queries("Олег")
    many, many_queries = queries("Семён")
    assert (few.total, many.total) == (3, 18)
    assert few_queries == many_queries


# --- the Wagtail backend: admin and API ------------------------------------------------


def test_api_search_uses_the_russian_analysis(client, make_hero):
    make_hero(last_name="Кузнецова", first_name="Анна", title="Кузнецова Анна Ивановна")
    response = client.get("/api/v2/pages/", {"search": "Кузнецовой", "type": "memorials.HeroPage"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Кузнецова Анна Ивановна"]


def test_admin_page_search_uses_the_russian_analysis(admin_browser, make_hero):
    make_hero(last_name="Кузнецова", first_name="Анна", title="Кузнецова Анна Ивановна")
    response = admin_browser.get("/admin/pages/search/", {"q": "кузнецовой"})
    assert response.status_code == 200
    assert "Кузнецова Анна Ивановна" in response.content.decode()


def test_backend_respects_queryset_filters_and_ordering(make_hero, hero_index):
    for last_name in ("Волков", "Волкова"):
        make_hero(last_name=last_name, title=f"{last_name} Иван")
    heroes = Page.objects.live().descendant_of(hero_index)
    assert heroes.search("Волкову").count() == 2
    assert list(heroes.filter(title__startswith="Волкова").search("Волков")) == [
        Page.objects.get(title="Волкова Иван")
    ]
    ordered = heroes.order_by("-title").search("Волков", order_by_relevance=False)
    assert [page.title for page in ordered] == ["Волкова Иван", "Волков Иван"]
    assert Page.objects.autocomplete("Волко").count() == 2


def test_update_index_rebuilds_and_drops_stale_entries(make_hero):
    hero = make_hero(last_name="Егоров", title="Егоров Иван")
    SearchEntry.objects.all().update(title="устарело")
    Page.objects.filter(pk=hero.pk).update(title="Егоров Пётр")  # no signal, no index update
    ghost = SearchEntry.objects.create(
        root_content_type_id=hero.content_type_id,
        content_type_id=hero.content_type_id,
        object_id=10**9,
        facet_key_id=SearchEntry.objects.first().facet_key_id,
    )
    call_command("update_index", stdout=None)
    assert titles(search("Егоров Пётр")) == ["Егоров Пётр"]
    assert not SearchEntry.objects.filter(pk=ghost.pk).exists()


def test_images_are_searchable_in_the_admin_but_never_public(admin_browser):
    from wagtail.images import get_image_model

    get_image_model().objects.create(title="Обелиск в Жиздре", file=get_test_image_file())
    assert search("Жиздра").total == 0
    response = admin_browser.get("/admin/images/", {"q": "жиздре"})
    assert "Обелиск в Жиздре" in response.content.decode()
