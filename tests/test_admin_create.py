"""Every page type of the project can be created through the admin, by an editor's form."""

from django.apps import apps

from wagtail.models import Page, get_page_models
from wagtail.test.utils.form_data import inline_formset, rich_text, streamfield

import pytest

from home.models import HomePage
from memorials.models import HeroIndexPage, HeroPage, MemorialIndexPage, MemorialPage
from network.models import LibraryIndexPage, LibraryPage
from projects.models import ContributionPage, ProjectIndexPage, ProjectPage
from tests.admin_forms import admin_create_page

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"home", "projects", "memorials", "search", "network"}


def form_for_home(request):
    return request.getfixturevalue("root_page"), {
        "title": "Вторая главная",
        "slug": "vtoraya-glavnaya",
        "lead": "Вступление",
        "body": rich_text("<p>О проекте</p>"),
    }


def form_for_library_index(request):
    return request.getfixturevalue("home_page"), {
        "title": "Библиотеки области",
        "slug": "biblioteki-oblasti",
        "intro": rich_text("<p>Все участники сети.</p>"),
    }


def form_for_library(request):
    return request.getfixturevalue("library_index"), {
        "title": "Износковская сельская библиотека",
        "slug": "iznoskovskaya",
        "short_name": "Износковская",
        "library_type": "rural",
        "region": "Калужская область",
        "district": "Износковский",
        "settlement": "с. Износки",
        "latitude": "54.6400",
        "longitude": "35.3200",
        "description": rich_text("<p>Сельская библиотека.</p>"),
    }


def form_for_project_index(request):
    return request.getfixturevalue("home_page"), {
        "title": "Все проекты",
        "slug": "vse-proekty",
        "intro": rich_text(""),
    }


def form_for_project(request):
    return request.getfixturevalue("project_index"), {
        "title": "Наши памятники – наши герои",
        "slug": "nashi-pamyatniki",
        "theme_of_year": "",
        "start_year": "2015",
        "status": "open",
        "intro": "Памятники и герои.",
        "body": streamfield([]),
        "documents": inline_formset([]),
        "nominations": inline_formset([{"title": "Лучший буктрейлер", "description": ""}]),
        "is_contest": "on",
    }


def form_for_contribution(request):
    library = request.getfixturevalue("make_library")()
    project = request.getfixturevalue("make_project")(status="open")
    return library, {
        "title": "Летопись села Износки",
        "slug": "letopis-iznoski",
        "project": str(project.pk),
        "settlement": "с. Износки",
        "date": "2020-05-09",
        "authors": "Иванова М. П.",
        "intro": "Хроника села в годы войны.",
        "body": streamfield([]),
        "award": "",
    }


def form_for_memorial_index(request):
    return request.getfixturevalue("home_page"), {
        "title": "Памятники",
        "slug": "pamyatniki",
        "intro": rich_text("<p>Памятники области на карте.</p>"),
        "how_to_help": rich_text(""),
    }


def form_for_memorial(request):
    library = request.getfixturevalue("make_library")(district="Козельский район")
    return library, {
        "title": "Братская могила советских воинов",
        "slug": "bratskaya-mogila",
        "kind": "mass_grave",
        "latitude": "54.0353",
        "longitude": "35.78",
        "settlement": "г. Козельск",
        "district": "Козельский район",
        "address": "",
        "year_unveiled": "1957",
        "sculptor": "",
        "architect": "",
        "inscription": "",
        "buried_known": "112",
        "buried_unknown": "",
        "heritage_number": "",
        "burial_passport_number": "",
        "condition": "good",
        "condition_checked": "2024-05-01",
        "custodian": "",
        "description": rich_text("<p>Описание.</p>"),
        "photos": streamfield([]),
        "sources": streamfield([]),
        "ref": "KLG-0001",
    }


def form_for_hero_index(request):
    return request.getfixturevalue("home_page"), {
        "title": "Книга памяти",
        "slug": "kniga-pamyati",
        "intro": rich_text("<p>Имена героев.</p>"),
    }


def form_for_hero(request):
    home = request.getfixturevalue("home_page")
    book = HeroIndexPage(title="Книга памяти", slug="kniga-pamyati")
    home.add_child(instance=book)
    return book, {
        "title": "Иванов Иван Иванович",
        "slug": "ivanov-ivan-ivanovich",
        "last_name": "Иванов",
        "first_name": "Иван",
        "patronymic": "Иванович",
        "birth_year": "1915",
        "birth_place": "",
        "death_year": "1942",
        "death_place": "",
        "rank": "рядовой",
        "unit": "",
        "fate": "killed",
        "awards": "",
        "biography": rich_text("<p>Рассказ.</p>"),
        "memorial_links": inline_formset([]),
        "sources": streamfield([]),
        "library": "",
        "ref": "",
    }


CREATE_FORMS = {
    HomePage: form_for_home,
    LibraryIndexPage: form_for_library_index,
    LibraryPage: form_for_library,
    ProjectIndexPage: form_for_project_index,
    ProjectPage: form_for_project,
    ContributionPage: form_for_contribution,
    MemorialIndexPage: form_for_memorial_index,
    MemorialPage: form_for_memorial,
    HeroIndexPage: form_for_hero_index,
    HeroPage: form_for_hero,
}


def test_every_page_type_has_a_creation_test():
    project_models = {model for model in get_page_models() if model._meta.app_label in PROJECT_APPS}
    assert project_models, "no page types found"
    assert project_models <= set(CREATE_FORMS), project_models - set(CREATE_FORMS)


@pytest.mark.parametrize("model", list(CREATE_FORMS), ids=lambda m: m.__name__)
def test_page_type_can_be_created_through_the_admin(model, request, admin_browser):
    parent, data = CREATE_FORMS[model](request)
    response, page = admin_create_page(admin_browser, model, parent, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert page is not None and page.live
    assert page.get_parent().pk == parent.pk
    assert apps.is_installed(model._meta.app_label)
    assert Page.objects.filter(pk=page.pk).exists()


def test_cyrillic_slug_typed_by_hand_is_transliterated(root_page, admin_browser):
    response, page = admin_create_page(
        admin_browser, HomePage, root_page, {"title": "Летопись района", "slug": "летопись-района"}
    )
    assert response.status_code == 302
    assert page.slug == "letopis-rajona"


def test_contribution_created_in_admin_is_attributed_to_its_library(request, admin_browser):
    parent, data = form_for_contribution(request)
    response, page = admin_create_page(admin_browser, ContributionPage, parent, data)
    assert response.status_code == 302
    assert page.library_id == parent.pk


def test_contribution_in_a_closed_project_is_refused(request, admin_browser):
    parent, data = form_for_contribution(request)
    closed = request.getfixturevalue("make_project")(status="closed")
    data["project"] = str(closed.pk)
    response, page = admin_create_page(admin_browser, ContributionPage, parent, data)
    assert response.status_code == 200 and page is None
