"""«В этот день» on the home page, and the exact dates of heroes it reads: chronicle entries
kept in step with publication, heroes' dates validated, shown, imported and exported."""

import csv
import datetime
import importlib
import io
import json
import re

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from home import on_this_day
from home.on_this_day import events_on, years_ago
from memorials.exchange import HERO_COLUMNS
from memorials.importer import Importer
from memorials.models import HeroPage
from projects.chronicle import dated_entries, plain_text
from projects.models import ChronicleDate
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 12)


def chronicle(*entries, block_id="chronicle-1"):
    """A contribution body with one chronicle block: entries are (year, month, day, heading)."""
    return [
        {
            "type": "chronicle",
            "id": block_id,
            "value": {
                "title": "Хроника",
                "entries": [
                    {
                        "type": "item",
                        "id": f"entry-{n}",
                        "value": {
                            "year": year,
                            "month": str(month or ""),
                            "day": day,
                            "heading": heading,
                            "text": f"<p>{heading}: <b>подробности</b> &amp; фото.</p>",
                            "photos": [],
                        },
                    }
                    for n, (year, month, day, heading) in enumerate(entries)
                ],
            },
        }
    ]


@pytest.fixture
def library(make_library):
    return make_library(
        title="Козельская центральная районная библиотека", short_name="Козельская ЦРБ"
    )


@pytest.fixture
def make_material(library, make_project, make_contribution):
    project = make_project()

    def make(*entries, publish=True, **fields):
        page = make_contribution(library, project, body=chronicle(*entries), **fields)
        if publish:
            page.save_revision().publish()
        return page

    return make


def rows(page):
    return sorted(
        ChronicleDate.objects.filter(page=page).values_list("year", "month", "day", "heading")
    )


# -- the denormalised chronicle dates --------------------------------------------------------


def test_only_entries_with_a_day_are_copied():
    body = chronicle(
        (1943, 3, 12, "Письмо с фронта"),
        (1941, 12, None, "Оккупация"),
        (1942, None, None, "Год восстановления"),
        (1943, 2, 30, "Несуществующий день"),
    )
    assert [(e["year"], e["month"], e["day"], e["heading"]) for e in dated_entries(body)] == [
        (1943, 3, 12, "Письмо с фронта")
    ]
    entry = dated_entries(body)[0]
    assert entry["block_id"] == "entry-0"
    assert entry["text"] == "Письмо с фронта: подробности & фото."
    # Older ListBlock data (plain values, no ids) is read too.
    old = chronicle((1945, 5, 9, "День Победы"))
    old[0]["value"]["entries"] = [item["value"] for item in old[0]["value"]["entries"]]
    assert dated_entries(old)[0]["block_id"] == "chronicle-1"
    assert plain_text("<p>" + "слово " * 100 + "</p>", 30) == "слово слово слово слово слово…"


def test_dates_follow_publication_unpublication_and_deletion(make_material):
    page = make_material((1943, 3, 12, "Письмо с фронта"), (1941, 12, None, "Оккупация"))
    assert rows(page) == [(1943, 3, 12, "Письмо с фронта")]
    assert ChronicleDate.objects.get(page=page).locale_id == page.locale_id

    # A draft changes nothing; publishing it does.
    page.body = chronicle((1942, 1, 7, "Освобождение"), (1945, 5, 9, "День Победы"))
    page.save_revision()
    assert rows(page) == [(1943, 3, 12, "Письмо с фронта")]
    page.get_latest_revision().publish()
    assert rows(page) == [(1942, 1, 7, "Освобождение"), (1945, 5, 9, "День Победы")]

    page.unpublish()
    assert rows(page) == []
    page.get_latest_revision().publish()
    assert len(rows(page)) == 2

    pk = page.pk
    page.delete()
    assert not ChronicleDate.objects.filter(page_id=pk).exists()


def test_a_material_never_published_has_no_dates(make_material):
    page = make_material((1943, 3, 12, "Черновик"), publish=False, live=False)
    page.save_revision()
    assert rows(page) == []


def test_a_move_keeps_the_dates_and_follows_the_library(make_material, make_library):
    page = make_material((1943, 3, 12, "Письмо с фронта"))
    other = make_library(title="Сухиничская центральная районная библиотека")
    page.move(other, pos="last-child")
    row = ChronicleDate.objects.select_related("page__library").get(page=page)
    assert row.page.library == other


def test_the_data_migration_fills_existing_pages(make_material):
    page = make_material((1943, 3, 12, "Письмо с фронта"))
    ChronicleDate.objects.all().delete()
    migration = importlib.import_module("projects.migrations.0003_fill_chronicle_dates")
    migration.fill(global_apps, None)
    assert rows(page) == [(1943, 3, 12, "Письмо с фронта")]


# -- heroes' exact dates ---------------------------------------------------------------------


def test_a_date_fills_the_year_and_must_agree_with_it(hero_index):
    hero = HeroPage(last_name="Сидоров", death_date=datetime.date(1943, 3, 12))
    hero.locale = hero_index.locale
    hero.clean()
    assert hero.death_year == 1943

    hero = HeroPage(last_name="Сидоров", locale=hero_index.locale, birth_year=1915)
    hero.birth_date = datetime.date(1916, 5, 1)
    with pytest.raises(ValidationError) as error:
        hero.clean()
    assert "не совпадает с датой рождения (1916)" in str(error.value.message_dict["birth_year"])

    hero = HeroPage(last_name="Сидоров", locale=hero_index.locale)
    hero.birth_date, hero.death_date = datetime.date(1920, 5, 1), datetime.date(1920, 4, 1)
    with pytest.raises(ValidationError) as error:
        hero.clean()
    assert "раньше даты рождения" in str(error.value.message_dict["death_date"])

    hero = HeroPage(last_name="Сидоров", locale=hero_index.locale)
    hero.death_date = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        hero.clean()
    assert "до сегодняшнего дня" in str(error.value.message_dict["death_date"])


def test_saving_fills_the_year_and_the_day_columns(make_hero):
    hero = make_hero(birth_year=None, death_year=None, death_date=datetime.date(1943, 3, 12))
    hero.refresh_from_db()
    assert (hero.death_year, hero.death_month, hero.death_day) == (1943, 3, 12)
    assert (hero.birth_month, hero.birth_day) == (None, None)
    hero.death_date = None
    hero.save()
    hero.refresh_from_db()
    assert (hero.death_year, hero.death_month, hero.death_day) == (1943, None, None)


def test_hero_page_shows_exact_dates_and_structured_data(client, make_hero):
    hero = make_hero(
        patronymic="Ивановна",
        first_name="Мария",
        last_name="Соколова",
        birth_date=datetime.date(1922, 1, 5),
        death_date=datetime.date(1943, 3, 12),
        birth_year=None,
        death_year=None,
        fate="killed",
    )
    page_html = client.get(hero.url).content.decode()
    assert re.search(
        r'<dt>Родилась</dt><dd><time datetime="1922-01-05">5 января 1922 г.</time>', page_html
    )
    assert re.search(
        r'<dt>Погибла</dt><dd><time datetime="1943-03-12">12 марта 1943 г.</time>', page_html
    )
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page_html, re.S)
    data = json.loads(block.group(1))["@graph"][0]
    assert data["@type"] == "Person"
    assert (data["birthDate"], data["deathDate"]) == ("1922-01-05", "1943-03-12")

    man = make_hero(death_year=1942, fate="missing")
    page_html = client.get(man.url).content.decode()
    assert "<dt>Пропал без вести</dt><dd>в 1942 г.</dd>" in page_html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page_html, re.S).group(1)
    )["@graph"][0]
    assert data["deathDate"] == "1942"


def test_hero_api_exposes_the_dates(client, make_hero):
    hero = make_hero(death_date=datetime.date(1942, 8, 3), death_year=1942)
    data = client.get(f"/api/v2/pages/{hero.pk}/").json()
    assert data["death_date"] == "1942-08-03" and data["birth_date"] is None


def test_admin_form_fills_the_year_from_the_date(admin_browser, hero_index):
    from tests.admin_forms import admin_create_page
    from tests.test_heroes import hero_form

    response, _ = admin_create_page(
        admin_browser,
        HeroPage,
        hero_index,
        hero_form(death_year="", death_date="1942-08-03", birth_year="1911", birth_date=""),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = HeroPage.objects.get(last_name="Ёлкин")
    assert (page.death_year, page.death_date) == (1942, datetime.date(1942, 8, 3))

    response, page = admin_create_page(
        admin_browser,
        HeroPage,
        hero_index,
        hero_form(title="Ёлкин С. Ф.", death_year="1941", death_date="1942-08-03"),
    )
    assert page is None
    assert "не совпадает с датой смерти (1942)" in response.content.decode()


# -- CSV import and export of the dates --------------------------------------------------------


@pytest.fixture
def book(regional_library, hero_index):
    return hero_index


def import_heroes(tmp_path, text):
    path = tmp_path / "heroes.csv"
    path.write_text(text, encoding="utf-8")
    return Importer().run(None, path)


def test_import_reads_both_date_formats_and_reports_bad_ones(book, tmp_path):
    report = import_heroes(
        tmp_path,
        "ref;last_name;birth_year;death_year;birth_date;death_date\n"
        "H-1;Иванов;;;05.01.1915;1943-03-12\n"  # line 2: both formats, years from dates
        "H-2;Петров;1920;1943;;12.03.1943\n"  # line 3: year and date agree
        "H-3;Сидоров;;;32.01.1915;\n"  # line 4: no such date
        "H-4;Орлов;;;;12/03/1943\n"  # line 5: not a date
        "H-5;Козлов;;1941;;12.03.1943\n"  # line 6: the year disagrees
        "H-6;Зайцев;;;12.03.1943;01.01.1943\n",  # line 7: death before birth
    )
    assert report.heroes.created == 2 and report.heroes.failed == 4
    errors = {problem.line: problem.message for problem in report.errors}
    assert set(errors) == {4, 5, 6, 7}
    assert "такой даты нет" in errors[4]
    assert "не дата: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД" in errors[5]
    assert "Год смерти 1941 не совпадает с датой 12.03.1943" in errors[6]
    assert "раньше даты рождения" in errors[7]
    ivanov = HeroPage.objects.get(ref="H-1")
    assert (ivanov.birth_date, ivanov.birth_year) == (datetime.date(1915, 1, 5), 1915)
    assert (ivanov.death_date, ivanov.death_year) == (datetime.date(1943, 3, 12), 1943)
    assert (ivanov.death_month, ivanov.death_day) == (3, 12)
    assert HeroPage.objects.get(ref="H-2").death_date == datetime.date(1943, 3, 12)


def test_a_year_in_the_file_against_a_date_on_the_site_is_refused(book, tmp_path):
    import_heroes(tmp_path, "ref;last_name;death_date\nH-1;Иванов;12.03.1943\n")
    report = import_heroes(tmp_path, "ref;last_name;death_year\nH-1;Иванов;1944\n")
    assert report.heroes.failed == 1
    assert report.errors[0].line == 2 and "указанной на сайте" in report.errors[0].message
    assert HeroPage.objects.get(ref="H-1").death_year == 1943


def test_old_files_without_date_columns_import_and_keep_dates(book, tmp_path):
    import_heroes(tmp_path, "ref;last_name;death_date\nH-1;Иванов;12.03.1943\n")
    report = import_heroes(tmp_path, "ref;last_name;rank\nH-1;Иванов;рядовой\n")
    assert report.failed == 0 and report.heroes.updated == 1
    assert HeroPage.objects.get(ref="H-1").death_date == datetime.date(1943, 3, 12)


def test_export_writes_the_dates_and_imports_back(book, tmp_path):
    from django.core.management import call_command

    import_heroes(
        tmp_path,
        "ref;last_name;birth_date;death_date\nH-1;Иванов;05.01.1915;1943-03-12\nH-2;Петров;;\n",
    )
    out = tmp_path / "export.csv"
    call_command("export_memorials", "--format", "csv", "--heroes", str(out), stdout=io.StringIO())
    text = out.read_text(encoding="utf-8").lstrip("\ufeff")
    assert text.startswith(";".join(HERO_COLUMNS))
    assert HERO_COLUMNS[-2:] == ("birth_date", "death_date")
    exported = {r["ref"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert (exported["H-1"]["birth_date"], exported["H-1"]["death_date"]) == (
        "1915-01-05",
        "1943-03-12",
    )
    assert exported["H-2"]["death_date"] == ""
    report = Importer().run(None, out)
    assert report.failed == 0 and report.heroes.unchanged == 2


# -- the home page section ------------------------------------------------------------------


@pytest.fixture
def day_archive(make_material, make_hero):
    """The archive's events of 12 March, and some that must not show."""
    make_material(
        (1943, 3, 12, "Письмо с фронта"),
        (1942, 1, 7, "Освобождение"),
        title="Козельск: летопись военных лет",
    )
    draft = make_material((1944, 3, 12, "Черновик"), publish=False, live=False, title="Черновик")
    private = make_material((1944, 3, 12, "Закрытая запись"), title="Закрытый материал")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    heroes = {
        "killed": make_hero(
            last_name="Петров", death_date=datetime.date(1943, 3, 12), death_year=1943
        ),
        "born": make_hero(
            last_name="Соколова",
            first_name="Мария",
            patronymic="Ивановна",
            birth_date=datetime.date(1922, 3, 12),
            birth_year=1922,
            death_year=None,
            fate="survived",
        ),
        "other_day": make_hero(
            last_name="Орлов", death_date=datetime.date(1943, 3, 13), death_year=1943
        ),
        "draft": make_hero(
            last_name="Черновиков", death_date=datetime.date(1942, 3, 12), death_year=1942
        ),
        "private": make_hero(
            last_name="Закрытов", death_date=datetime.date(1942, 3, 12), death_year=1942
        ),
    }
    heroes["draft"].unpublish()
    PageViewRestriction.objects.create(
        page=heroes["private"], restriction_type="password", password="x"
    )
    return {"draft": draft, "private": private, "heroes": heroes}


@pytest.fixture
def fixed_day(monkeypatch):
    monkeypatch.setattr(on_this_day, "today", lambda: DAY)
    return DAY


def test_events_of_a_day(home_page, day_archive):
    events = events_on(home_page, DAY)
    assert [(e.kind, e.year, e.lead, e.link_text) for e in events] == [
        ("birth", 1922, "Родилась", "Соколова Мария Ивановна"),
        ("chronicle", 1943, "Письмо с фронта", "Козельск: летопись военных лет"),
        ("death", 1943, "Погиб", "Петров Иван Иванович"),
    ]
    chronicle_event = events[1]
    assert chronicle_event.source == "Козельская ЦРБ"
    assert chronicle_event.text == "Письмо с фронта: подробности & фото."
    assert chronicle_event.date_display == "12 марта 1943 г."
    assert events_on(home_page, datetime.date(2026, 3, 14)) == []


def test_the_sources_take_turns(home_page, make_hero, make_material):
    for _ in range(8):
        make_hero(death_date=datetime.date(1942, 3, 12), death_year=1942)
    make_material((1945, 3, 12, "Последняя весна"))
    events = events_on(home_page, DAY)
    assert len(events) == on_this_day.EVENTS_SHOWN
    assert [e.kind for e in events].count("chronicle") == 1


def test_home_page_section_on_a_fixed_day(client, home_page, day_archive, fixed_day):
    page_html = client.get("/").content.decode()
    section = re.search(r'<section class="section on-this-day".*?</section>', page_html, re.S)
    assert section, "no «В этот день» section"
    section = section.group(0)
    assert 'aria-labelledby="home-day-title"' in section
    assert re.search(r'В этот день <span[^>]*>— <time datetime="--03-12">12 марта</time>', section)
    assert '<time datetime="1943-03-12">12 марта 1943 г.</time>' in section
    assert "· 83 года назад" in section and "· 104 года назад" in section
    assert "<strong>Письмо с фронта</strong>" in section
    assert "Козельск: летопись военных лет</a>" in section and "Козельская ЦРБ" in section
    assert "<strong>Погиб</strong>" in section and "Петров Иван Иванович</a>" in section
    assert "<strong>Родилась</strong>" in section and "Соколова Мария Ивановна</a>" in section
    for hidden in ("Черновик", "Закрыт", "Орлов"):
        assert hidden not in section, hidden
    hero = day_archive["heroes"]["killed"]
    assert f'<a href="{hero.url}">' in section


def test_a_quiet_day_shows_no_section(client, home_page, day_archive, monkeypatch):
    monkeypatch.setattr(on_this_day, "today", lambda: datetime.date(2026, 7, 1))
    assert "on-this-day" not in client.get("/").content.decode()


def test_only_the_home_pages_language(home_page, day_archive, english):
    english_home = home_page.copy_for_translation(english)
    english_home.save_revision().publish()
    assert events_on(english_home, DAY) == []
    assert events_on(home_page, DAY)


def test_years_ago_in_words():
    assert years_ago(1943, DAY) == "83 года назад"
    assert years_ago(2025, DAY) == "1 год назад"
    assert years_ago(2011, DAY) == "15 лет назад"
    assert years_ago(2026, DAY) == "в этом году"


def test_home_page_queries_do_not_grow_with_the_day(
    client, home_page, make_material, make_hero, monkeypatch
):
    def count():
        client.get("/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    monkeypatch.setattr(on_this_day, "today", lambda: DAY)
    make_material((1943, 3, 12, "Письмо с фронта"))
    make_hero(death_date=datetime.date(1943, 3, 12), death_year=1943)
    few = count()
    for n in range(4):
        make_material((1941 + n, 3, 12, f"Запись {n}"))
        make_hero(death_date=datetime.date(1942, 3, 12), death_year=1942)
        make_hero(birth_date=datetime.date(1915, 3, 12), birth_year=1915)
    many = count()
    assert few == many
