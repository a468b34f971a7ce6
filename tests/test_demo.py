"""The demo network: deterministic, idempotent, and it keeps editors' changes."""

from io import StringIO

from django.core.management import call_command

from wagtail.images import get_image_model
from wagtail.models import Page

import pytest

from home.models import HomePage, SiteSettings

pytestmark = pytest.mark.django_db


def counts():
    return Page.objects.count(), get_image_model().objects.count()


def test_load_demo_builds_the_site_and_is_idempotent(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    first = counts()
    home = HomePage.objects.get(pk=site.root_page_id)
    assert home.lead and home.hero_image is not None
    assert home.get_translation_or_none(home.locale.__class__.objects.get(language_code="en")).live
    assert SiteSettings.for_site(site).organisation
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    assert counts() == first


def test_load_demo_keeps_edits(site, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    home = HomePage.objects.get(pk=site.root_page_id)
    home.lead = "Изменено редактором"
    home.save_revision().publish()
    call_command("load_demo", stdout=StringIO())
    home.refresh_from_db()
    assert home.lead == "Изменено редактором"
    assert "Изменено редактором" in client.get("/").content.decode()
