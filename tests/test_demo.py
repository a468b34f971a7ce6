"""The demo network, built once for this module: deterministic, idempotent, complete.

Building it takes a while (hundreds of pages, drawn images), so one module-scoped build
serves every check here; each test still runs in its own transaction inside it.
"""

import datetime
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from wagtail.images import get_image_model
from wagtail.models import Locale, Page

import pytest

from home.models import HomePage, SiteSettings
from network.models import LibraryPage, LibraryType
from network.regions import REGION_NAME, district_names, in_region
from projects.models import ContributionPage, ProjectPage


def run_demo():
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return Page.objects.count(), get_image_model().objects.count()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built once, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = run_demo()
        yield {"output": output, "counts": counts()}
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    return demo


def test_second_run_creates_nothing(demo_db):
    output = run_demo()
    assert "создано 0" in output
    assert counts() == demo_db["counts"]


def test_second_run_keeps_edits(demo_db, client):
    home = HomePage.objects.get(depth=2, locale__language_code="ru")
    home.lead = "Изменено редактором"
    home.save_revision().publish()
    run_demo()
    home.refresh_from_db()
    assert home.lead == "Изменено редактором"
    assert "Изменено редактором" in client.get("/").content.decode()


def test_home_page_settings_and_english_home(demo_db):
    home = HomePage.objects.get(depth=2, locale__language_code="ru")
    assert home.lead and home.hero_image is not None
    english = home.get_translation(Locale.objects.get(language_code="en"))
    assert english.live and english.title == "Letopis"
    assert SiteSettings.objects.get().organisation


def test_library_network(demo_db):
    libraries = LibraryPage.objects.filter(locale__language_code="ru")
    assert libraries.count() >= 23
    assert libraries.filter(is_rural=True).count() > libraries.count() / 2
    partners = libraries.filter(library_type=LibraryType.PARTNER)
    assert set(partners.values_list("region", flat=True)) == {
        "Брянская область",
        "Смоленская область",
    }
    home_region = libraries.filter(region=REGION_NAME)
    districts = set(home_region.values_list("district", flat=True))
    assert len(districts) >= 12 and districts <= set(district_names())
    assert home_region.filter(library_type=LibraryType.REGIONAL).count() == 1
    for kind in (LibraryType.CENTRAL, LibraryType.CITY, LibraryType.CHILDREN):
        assert home_region.filter(library_type=kind).exists(), kind
    for library in libraries:
        assert library.slug.isascii() and library.live
        assert library.short_name and library.address and library.phone and library.description
        if library.region == REGION_NAME:
            assert in_region(library.latitude, library.longitude), library.title
    assert libraries.exclude(photo=None).count() >= 3
    index = libraries.first().get_parent().specific
    assert index.slug == "biblioteki" and index.show_in_menus
    english = index.get_translation(Locale.objects.get(language_code="en"))
    assert english.title == "Libraries" and english.live


def test_projects_and_contributions(demo_db):
    projects = ProjectPage.objects.filter(locale__language_code="ru")
    titles = set(projects.values_list("title", flat=True))
    assert {"Наши памятники – наши герои", "Листая «Летопись…» войны"} <= titles
    assert projects.get(title="Наши памятники – наши герои").end_year is None
    letopis = projects.get(title="Листая «Летопись…» войны")
    assert (letopis.start_year, letopis.status, letopis.theme_of_year) == (
        2020,
        "closed",
        "Год памяти и славы",
    )
    contest = projects.get(is_contest=True)
    assert contest.status == "results" and contest.nominations.count() >= 2
    assert projects.filter(status="open", start_year=2026).exists()
    contributions = ContributionPage.objects.live().filter(locale__language_code="ru")
    assert contributions.count() >= 30
    libraries = set(contributions.values_list("library", flat=True))
    assert len(libraries) >= 15
    assert contributions.filter(library__library_type=LibraryType.PARTNER).exists()
    assert contributions.exclude(award="").filter(project=contest).count() >= 3
    used = {block.block_type for page in contributions for block in page.body}
    assert used == {
        "chronicle",
        "gallery",
        "book_trailer",
        "postcard",
        "quote",
        "text",
        "document",
        "place",
    }
    # Block ids everywhere: wagtail-localize needs them to translate.
    for page in contributions[:5]:
        assert all(block.id for block in page.body)


@pytest.mark.parametrize(
    "path",
    ["/", "/en/", "/proekty/", "/proekty/listaya-letopis-vojny/", "/biblioteki/"],
)
def test_demo_pages_render(demo_db, client, path):
    assert client.get(path).status_code == 200


def test_every_english_demo_page_is_reachable(demo_db, client):
    """wagtail-localize's deferred publication once left the English sections with a child
    count of 0, and every English project answered 404."""
    english = Page.objects.live().filter(locale__language_code="en", depth__gt=1)
    assert english.filter(depth=4).exists()
    # The English text, not the untranslated copy wagtail-localize publishes first.
    assert english.get(slug="proekty").title == "Network projects"
    assert not english.filter(title__regex=r"[А-Яа-яЁё]").exists()
    for page in english:
        children = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1)
        assert page.numchild == children.count(), page.url_path
        assert client.get(page.url).status_code == 200, page.url


def test_every_demo_contribution_renders(demo_db, client):
    for page in ContributionPage.objects.live().filter(locale__language_code="ru"):
        response = client.get(page.url)
        assert response.status_code == 200, page.url


def test_on_this_day_has_something_on_many_days(demo_db):
    """Exact dates of chronicle entries and heroes spread over the year (home page section)."""
    from memorials.models import HeroPage
    from projects.models import ChronicleDate

    days = set(ChronicleDate.objects.filter(locale__language_code="ru").values_list("month", "day"))
    assert len(days) >= 20  # each library's front, liberation and letter on its own day
    heroes = HeroPage.objects.live().filter(locale__language_code="ru")
    assert not heroes.filter(death_year__isnull=False, death_date__isnull=True).exists()
    for hero in heroes.exclude(death_date=None).exclude(fate="survived"):
        assert datetime.date(1941, 6, 22) <= hero.death_date <= datetime.date(1945, 9, 2)
    for month, day in heroes.exclude(death_date=None).values_list("death_month", "death_day"):
        days.add((month, day))
    for month, day in heroes.exclude(birth_date=None).values_list("birth_month", "birth_day"):
        days.add((month, day))
    assert len(days) >= 200
