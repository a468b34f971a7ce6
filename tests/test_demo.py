"""The demo network, built once for this module: deterministic, idempotent, complete.

Building it takes a while (hundreds of pages, drawn images), so one module-scoped build
serves every check here; each test still runs in its own transaction inside it.
"""

import datetime
import re
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import TestCase
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.models import Locale, Page

import pytest

from home.models import HomePage, SiteSettings
from memorials.demo import ENGLISH_HEROES, ENGLISH_MEMORIALS
from memorials.models import HeroPage, MemorialPage
from network.models import LibraryPage, LibraryType
from network.regions import REGION_NAME, district_names, in_region
from projects.demo import ENGLISH_CONTRIBUTIONS
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
    english = Page.objects.filter(locale__language_code="en").count()
    output = run_demo()
    assert "создано 0" in output
    assert counts() == demo_db["counts"]
    assert Page.objects.filter(locale__language_code="en").count() == english


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


# -- English (issue #7) ------------------------------------------------------------------------

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def english_of(model, slugs):
    """``{Russian page: its English translation}`` for the demo pages named by ``slugs``."""
    en = Locale.objects.get(language_code="en")
    pages = model.objects.filter(locale__language_code="ru", slug__in=slugs)
    assert pages.count() == len(slugs), set(slugs) - set(pages.values_list("slug", flat=True))
    return {page: page.get_translation(en).specific for page in pages}


def test_english_contributions_memorials_and_heroes(demo_db):
    contributions = english_of(ContributionPage, ENGLISH_CONTRIBUTIONS)
    memorials = english_of(MemorialPage, ENGLISH_MEMORIALS)
    heroes = english_of(HeroPage, ENGLISH_HEROES)
    for english in (contributions | memorials | heroes).values():
        assert english.live and not english.has_unpublished_changes, english.url_path
        assert not CYRILLIC.search(english.title), english.title
        assert english.slug.isascii()
    for russian, english in (contributions | memorials).items():
        assert english.slug != russian.slug  # an English address, not the transliteration
    # One material of each kind.
    kinds = {block.block_type for page in contributions.values() for block in page.body}
    assert {"chronicle", "book_trailer", "postcard", "place", "document", "gallery"} <= kinds
    for page in contributions.values():
        assert page.library.locale.language_code == "en"  # under the English library
    # The memorial bearing the most names is translated, and so are some of its heroes.
    most = (
        HeroPage.objects.filter(locale__language_code="ru")
        .values("memorial_links__memorial")
        .annotate(n=Count("pk"))
        .order_by("-n", "memorial_links__memorial__path")
        .first()
    )
    top = MemorialPage.objects.get(pk=most["memorial_links__memorial"])
    assert top in memorials
    linked = [
        h for h in heroes if top.pk in set(h.memorial_links.values_list("memorial", flat=True))
    ]
    assert len(linked) >= 3
    # Names in English letters, surname first as in the Book of Memory; rank, awards and
    # story in English.
    (hero,) = english_of(HeroPage, ["voronin-mixail-semyonovich"]).values()
    assert hero.title == hero.full_name == "Voronin Mikhail Semyonovich"
    assert hero.slug == "voronin-mikhail-semyonovich" and hero.initial == "V"
    assert hero.rank == "private" and "Order of the Red Star" in hero.awards
    assert "Born in 1902" in hero.biography and not CYRILLIC.search(hero.biography)
    for russian, english in memorials.items():
        assert english.settlement and not CYRILLIC.search(english.settlement)
        assert not CYRILLIC.search(f"{english.description} {english.inscription}")
        assert english.district == russian.district  # reference data, synchronised


def switcher_link(html, code):
    match = re.search(rf'<a href="([^"]+)"[^>]*hreflang="{code}"', html)
    return match.group(1) if match else None


def test_english_pages_render_with_switcher_and_alternates(demo_db, client):
    pages = (
        english_of(ContributionPage, ENGLISH_CONTRIBUTIONS)
        | english_of(MemorialPage, ENGLISH_MEMORIALS)
        | english_of(HeroPage, ENGLISH_HEROES)
    )
    libraries = {p.get_parent().specific for p in pages.values() if not isinstance(p, HeroPage)}
    pages |= {library.get_translation(Locale.get_default()): library for library in libraries}
    for russian, english in pages.items():
        response = client.get(english.url)
        assert response.status_code == 200, english.url
        html = response.content.decode()
        assert '<html lang="en"' in html and f"<h1>{english.title}" in html.replace("&#x27;", "'")
        assert switcher_link(html, "ru") == russian.url
        assert f'hreflang="ru" href="http://testserver{russian.url}"' in html
        assert f'hreflang="en" href="http://testserver{english.url}"' in html
        russian_html = client.get(russian.url).content.decode()
        assert '<html lang="ru"' in russian_html
        assert switcher_link(russian_html, "en") == english.url
        assert f'hreflang="en" href="http://testserver{english.url}"' in russian_html


def test_english_projects_list_english_contributions(demo_db, client):
    en = Locale.objects.get(language_code="en")
    for english in english_of(ContributionPage, ENGLISH_CONTRIBUTIONS).values():
        project = english.project.get_translation(en)
        html = client.get(project.url).content.decode()
        assert f'href="{english.url}"' in html, (project.url, english.url)


@pytest.mark.parametrize(
    ("slug", "texts"),
    [
        ("letopis-vojny-kozelskaya-crb", ["Chronicle: Kozelsk during the war", "Liberation"]),
        ("buktrejler-borovskaya-crb", ["Viktor Nekrasov", "In the Trenches of Stalingrad"]),
        ("otkrytka-iznoskovskaya-crb", ["Happy Victory Day!", "Olga Berggolts"]),
        ("pamyatnik-obninskaya-gorodskaya-biblioteka", ["Obelisk, Obninsk", "Photographs"]),
        ("istoriya-sela-lyudinovskaya-detskaya-biblioteka", ["Founding", "17th century"]),
    ],
)
def test_english_contribution_texts(demo_db, client, slug, texts):
    (english,) = english_of(ContributionPage, [slug]).values()
    html = client.get(english.url).content.decode()
    for text in texts:
        assert text in html, text


def test_english_contribution_links_to_english_project_and_library(demo_db, client):
    """wagtail-localize copies page links unchanged: the page shows their translations."""
    (english,) = english_of(ContributionPage, ["buktrejler-borovskaya-crb"]).values()
    project = english.project.get_translation(english.locale)
    library = english.library.get_translation(english.locale)
    html = client.get(english.url).content.decode()
    assert f'href="{project.url}"' in html and project.title in html
    assert f'href="{library.url}"' in html
    assert f'href="{english.project.url}"' not in html  # the Russian project


def test_english_lists_show_translations_and_fall_back(demo_db, client):
    """The English map's GeoJSON and the English Book of Memory: translated records in
    English, the others in Russian (never left out)."""
    memorials = english_of(MemorialPage, ENGLISH_MEMORIALS)
    features = client.get(reverse("memorials_geojson") + "?lang=en").json()["features"]
    by_url = {f["properties"]["url"]: f["properties"] for f in features}
    assert len(features) == MemorialPage.objects.filter(locale__language_code="ru").count()
    for russian, english in memorials.items():
        assert by_url[english.url]["title"] == english.title and russian.url not in by_url
    book = client.get(english_of(HeroPage, ENGLISH_HEROES).popitem()[1].get_parent().url)
    html = book.content.decode()
    assert "Voronin Mikhail Semyonovich" in html and "Акимов" in html


def test_region_and_district_labels():
    """Regions and districts are shown through gettext labels; the stored names are data."""
    from django.utils import translation

    from network.regions import DISTRICTS, REGIONS, label

    with translation.override("ru"):
        assert label("Козельский") == label("Козельский район") == "Козельский район"
        assert label("Дятьковский район") == "Дятьковский район"  # a partner region's: as is
        assert all(str(d.label) == d.name for d in DISTRICTS)  # Russian: the names themselves
        assert all(str(label(region)) == region for region in REGIONS)
