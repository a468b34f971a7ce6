"""Shared fixtures: the site root, users, and an admin client logged in as an editor."""

from wagtail.models import Locale, Page, Site

import pytest


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
