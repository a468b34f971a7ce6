"""Every page type of the project can be created through the admin, by an editor's form."""

from django.apps import apps

from wagtail.models import Page, get_page_models
from wagtail.test.utils.form_data import rich_text

import pytest

from home.models import HomePage
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


CREATE_FORMS = {HomePage: form_for_home}


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
