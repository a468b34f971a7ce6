"""Shared fixtures: the site root, users, and an admin client logged in as an editor."""

from django.conf import settings
from django.utils import translation

from wagtail.models import Locale, Page, Site

import pytest


@pytest.fixture(autouse=True)
def russian_by_default():
    """Every test starts in the site's default language: a request to /en/ in one test
    must not leave English active for the next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def home_page(db):
    """The Russian home page, created by home's data migration, published."""
    from home.models import HomePage

    return HomePage.objects.get(depth=2, locale__language_code="ru")


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def english(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="root-admin", email="root@example.org", password="correct horse battery"
    )


@pytest.fixture
def admin_browser(client, superuser):
    """A test client logged in to the Wagtail admin as a superuser."""
    client.force_login(superuser)
    return client


@pytest.fixture
def library_index(home_page):
    from tests.factories import LibraryIndexPageFactory

    return LibraryIndexPageFactory(parent=home_page, slug="biblioteki")


@pytest.fixture
def project_index(home_page):
    from tests.factories import ProjectIndexPageFactory

    return ProjectIndexPageFactory(parent=home_page, slug="proekty")


@pytest.fixture
def make_library(library_index):
    """``make_library(**fields)``: a published library page in the directory."""
    from tests.factories import LibraryPageFactory

    def make(**fields):
        return LibraryPageFactory(parent=library_index, **fields)

    return make


@pytest.fixture
def make_project(project_index):
    from tests.factories import ProjectPageFactory

    def make(**fields):
        return ProjectPageFactory(parent=project_index, **fields)

    return make


@pytest.fixture
def make_contribution():
    """``make_contribution(library, project, live=True, **fields)``."""
    from tests.factories import ContributionPageFactory

    def make(library, project, live=True, **fields):
        page = ContributionPageFactory(parent=library, project=project, live=live, **fields)
        return page

    return make


@pytest.fixture(scope="session", autouse=True)
def _end_leftover_sessions(django_db_setup, django_db_blocker):
    """PostgreSQL: before the test database is dropped, end the sessions other threads left
    open (the browser tests' live server answers each request in a thread of its own), or
    the drop fails with "being accessed by other users"."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
