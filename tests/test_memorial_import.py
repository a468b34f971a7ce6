"""CSV import and export of memorials and heroes: files as people make them, idempotence,
bad rows reported by line, the round trip, and the pages the importer writes."""

import csv
import io
import json
import random
from decimal import Decimal

from django.core.management import CommandError, call_command

from wagtail.models import PageLogEntry, ReferenceIndex, Revision

import pytest

from memorials.exchange import HERO_COLUMNS, MEMORIAL_COLUMNS, decode, read_table
from memorials.importer import Importer, update_reference_index
from memorials.models import HeroMemorial, HeroPage, MemorialPage
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

MEMORIALS_CP1251 = FIXTURES / "memorials-cp1251.csv"  # noqa: F405
HEROES_CP1251 = FIXTURES / "heroes-cp1251.csv"  # noqa: F405
MEMORIALS_UTF8 = FIXTURES / "memorials-utf8-bom.csv"  # noqa: F405


@pytest.fixture
def site_ready(regional_library, hero_index):
    """The regional library (the default home of memorials) and the Book of Memory."""
    return regional_library


def run(*args, **options):
    """``(exit status, stdout, stderr)`` of ``import_memorials``."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_memorials", *[str(a) for a in args], stdout=out, stderr=err, **options)
        status = 0
    except CommandError as exc:
        err.write(str(exc))
        status = exc.returncode
    return status, out.getvalue(), err.getvalue()


def revision_count():
    return Revision.objects.count()


# -- reading files -------------------------------------------------------------------------


def test_files_are_read_in_any_encoding_and_separator():
    cp1251 = read_table(MEMORIALS_CP1251, ["ref"])
    assert cp1251.encoding == "cp1251" and cp1251.delimiter == ";"
    assert cp1251.rows[0] == (2, cp1251.rows[0][1])
    assert cp1251.rows[0][1]["title"] == "Братская могила советских воинов"
    assert "примечание" in cp1251.columns  # extra columns are read and ignored
    utf8 = read_table(MEMORIALS_UTF8, ["ref"])
    assert utf8.encoding == "utf-8-sig" and utf8.delimiter == ","
    assert utf8.rows[1][1]["address"] == "ул. Ленина, 5"
    assert decode("Памятник".encode())[1] == "utf-8"


def test_a_file_without_the_required_columns_imports_nothing(site_ready, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("номер;название\n1;Обелиск\n", encoding="utf-8")
    status, _out, err = run(path)
    assert status == 1
    assert "нет столбцов: ref, title, kind, latitude, longitude" in err
    assert not MemorialPage.objects.exists()


# -- the fixtures: good rows imported, bad rows reported by line ---------------------------------


def test_import_reports_bad_rows_by_line_and_imports_the_good_ones(site_ready):
    status, out, err = run(MEMORIALS_CP1251, heroes=HEROES_CP1251)
    assert status == 1  # some rows failed
    assert "Памятники: создано 4, обновлено 0, без изменений 0, с ошибками 8." in out
    assert "Герои: создано 4, обновлено 0, без изменений 0, с ошибками 6." in out
    expected = [
        "memorials-cp1251.csv, строка 5 [BAD-LAT]: координаты: Широта должна быть от −90 до 90",
        "memorials-cp1251.csv, строка 6 [BAD-KIND]: неизвестный вид памятника «пирамида»",
        "memorials-cp1251.csv, строка 7: нет идентификатора",
        "memorials-cp1251.csv, строка 8 [NO-TITLE]: нет названия",
        "memorials-cp1251.csv, строка 10 [BAD-YEAR]: Год открытия 2150 вне допустимого диапазона",
        "memorials-cp1251.csv, строка 11 [KZ-001]: идентификатор KZ-001 уже встречался в строке 2",
        "memorials-cp1251.csv, строка 12 [ZERO]: координаты: Точка 0, 0",
        "memorials-cp1251.csv, строка 13 [BAD-LIB]: неизвестная библиотека «nesushchestvuyushchaya»",
        "heroes-cp1251.csv, строка 5 [H-BAD1]: нет фамилии",
        "heroes-cp1251.csv, строка 6 [H-BAD2]: год смерти 1940 раньше года рождения 1950",
        # the quoted two-paragraph biography of line 7 spans lines 7–9
        "heroes-cp1251.csv, строка 10 [H-BAD3]: памятник не найден: KZ-999",
        "heroes-cp1251.csv, строка 11 [H-BAD4]: Год рождения 1800 вне допустимого диапазона",
        "heroes-cp1251.csv, строка 12 [H-BAD5]: памятник не найден: BAD-LAT",
        "heroes-cp1251.csv, строка 13 [H-001]: идентификатор H-001 уже встречался в строке 2",
    ]
    for message in expected:
        assert message in err, message
    assert "строка 14 [FAR-1]: точка за пределами области" in out  # a warning, imported

    memorials = {m.ref: m for m in MemorialPage.objects.all()}
    assert set(memorials) == {"KZ-001", "KZ-002", "KZ-003", "FAR-1"}
    grave = memorials["KZ-001"]
    assert grave.live and grave.kind == "mass_grave"
    assert grave.latitude == Decimal("54.035300") and grave.longitude == Decimal("35.780000")
    assert grave.district == "Козельский район" and grave.year_unveiled == 1957
    assert grave.address == "ул. Советская, у школы"
    assert grave.description == "<p>Похоронены воины 1134-го стрелкового полка.</p>"
    assert grave.library_id == site_ready.pk  # no library column: the regional library
    assert memorials["KZ-003"].kind == "monument"  # «Памятник»

    heroes = {h.ref: h for h in HeroPage.objects.all()}
    assert set(heroes) == {"H-001", "H-002", "H-003", "H-004"}
    assert heroes["H-003"].title == "Ёлкин Семён" and heroes["H-003"].initial == "Е"
    assert heroes["H-004"].biography == "<p>Первая строка биографии.</p><p>Вторая строка.</p>"
    assert heroes["H-002"].url == "/kniga-pamyati/petrov-pyotr-petrovich/"


def test_one_hero_many_memorials_from_a_cell(site_ready):
    run(MEMORIALS_CP1251, heroes=HEROES_CP1251)
    petrov = HeroPage.objects.get(ref="H-002")  # "KZ-001; KZ-002"
    yolkin = HeroPage.objects.get(ref="H-003")  # "KZ-002 KZ-003"
    refs = lambda hero: [link.memorial.ref for link in hero.memorial_links.all()]  # noqa: E731
    assert refs(petrov) == ["KZ-001", "KZ-002"]
    assert refs(yolkin) == ["KZ-002", "KZ-003"]
    kz002 = MemorialPage.objects.get(ref="KZ-002")
    assert {h.ref for h in kz002.heroes()} == {"H-002", "H-003"}


def test_a_second_run_changes_nothing(site_ready):
    run(MEMORIALS_CP1251, heroes=HEROES_CP1251)
    revisions, logs = revision_count(), PageLogEntry.objects.count()
    status, out, _err = run(MEMORIALS_CP1251, heroes=HEROES_CP1251)
    assert status == 1  # the same bad rows are reported again
    assert "Памятники: создано 0, обновлено 0, без изменений 4, с ошибками 8." in out
    assert "Герои: создано 0, обновлено 0, без изменений 4, с ошибками 6." in out
    assert revision_count() == revisions and PageLogEntry.objects.count() == logs


def test_a_clean_file_exits_zero(site_ready):
    status, out, err = run(MEMORIALS_UTF8)
    assert status == 0, err
    assert "Памятники: создано 2" in out
    plaque = MemorialPage.objects.get(ref="UT-2")
    assert plaque.kind == "plaque" and plaque.district == "Тарусский район"


# -- what the importer writes ----------------------------------------------------------------


def test_imported_pages_are_published_like_editors_pages(site_ready):
    Importer().run(MEMORIALS_CP1251, HEROES_CP1251)
    hero = HeroPage.objects.get(ref="H-002")
    assert hero.live and not hero.has_unpublished_changes
    assert hero.first_published_at and hero.last_published_at
    assert hero.live_revision_id == hero.latest_revision_id is not None
    assert hero.url_path == "/home/kniga-pamyati/petrov-pyotr-petrovich/"
    assert hero.get_parent().numchild == HeroPage.objects.count()
    # The revision holds the page as saved, its links with their ids.
    as_revision = hero.get_latest_revision_as_object()
    assert as_revision.title == hero.title and as_revision.ref == "H-002"
    assert [link.pk for link in as_revision.memorial_links.all()] == [
        link.pk for link in hero.memorial_links.all()
    ]
    actions = list(PageLogEntry.objects.filter(page=hero).values_list("action", flat=True))
    assert sorted(actions) == ["wagtail.create", "wagtail.publish"]
    # The tree is sound: treebeard's own check finds nothing to fix.
    from wagtail.models import Page

    assert Page.find_problems() == ([], [], [], [], [])


def test_imported_pages_are_searchable_and_in_the_reference_index(site_ready):
    Importer().run(MEMORIALS_CP1251, HEROES_CP1251)
    assert list(HeroPage.objects.live().search("Соколова")) == [HeroPage.objects.get(ref="H-004")]
    memorial = MemorialPage.objects.get(ref="KZ-001")
    using = ReferenceIndex.get_references_to(memorial).group_by_source_object()
    assert {obj.specific.ref for obj, _refs in using} == {"H-001", "H-002"}


def test_bulk_reference_index_matches_wagtails_own(site_ready):
    Importer().run(MEMORIALS_CP1251, HEROES_CP1251)
    heroes = list(HeroPage.objects.all())
    before = set(ReferenceIndex.objects.values_list("object_id", "to_object_id", "content_path"))
    for hero in heroes:  # Wagtail's per-object method: nothing to add or remove
        ReferenceIndex.create_or_update_for_object(hero)
    after = set(ReferenceIndex.objects.values_list("object_id", "to_object_id", "content_path"))
    assert before == after
    update_reference_index(HeroPage, heroes)
    assert (
        set(ReferenceIndex.objects.values_list("object_id", "to_object_id", "content_path"))
        == after
    )


def test_an_update_makes_one_revision_and_empty_cells_erase_nothing(site_ready, tmp_path):
    Importer().run(MEMORIALS_CP1251, HEROES_CP1251)
    grave = MemorialPage.objects.get(ref="KZ-001")
    revisions = grave.revisions.count()
    path = tmp_path / "update.csv"
    path.write_text(
        "ref;title;kind;latitude;longitude;year_unveiled;description\n"
        "KZ-001;Братская могила советских воинов;братская могила;54,0400;35,7800;;\n",
        encoding="cp1251",
    )
    report = Importer().run(path)
    assert report.memorials.updated == 1
    grave.refresh_from_db()
    assert grave.latitude == Decimal("54.040000")
    assert grave.year_unveiled == 1957 and grave.description  # empty cells kept the values
    assert grave.revisions.count() == revisions + 1 and grave.live
    assert grave.live_revision_id == grave.latest_revision_id


def test_hero_links_are_replaced_by_a_filled_cell(site_ready, tmp_path):
    Importer().run(MEMORIALS_CP1251, HEROES_CP1251)
    path = tmp_path / "heroes.csv"
    path.write_text(
        "ref,last_name,memorial_ref\nH-002,Петров,KZ-003\nH-003,Ёлкин,\n", encoding="utf-8"
    )
    report = Importer().run(heroes=path)
    assert report.heroes.updated == 1 and report.heroes.unchanged == 1
    petrov = HeroPage.objects.get(ref="H-002")
    assert [link.memorial.ref for link in petrov.memorial_links.all()] == ["KZ-003"]
    assert petrov.first_name == "Пётр"  # not in the file: kept
    assert HeroPage.objects.get(ref="H-003").memorial_links.count() == 2  # empty cell: kept


def test_editors_draft_is_never_published_by_the_import(site_ready, tmp_path):
    Importer().run(MEMORIALS_CP1251)
    grave = MemorialPage.objects.get(ref="KZ-001")
    grave.inscription = "Черновик редактора"
    grave.save_revision()
    path = tmp_path / "update.csv"
    path.write_text(
        "ref;title;kind;latitude;longitude\nKZ-001;Братская могила (уточнено);братская могила;54,0353;35,78\n",
        encoding="utf-8",
    )
    report = Importer().run(path)
    assert report.memorials.updated == 1
    assert any("неопубликованные правки" in str(w) for w in report.warnings)
    grave.refresh_from_db()
    assert grave.title == "Братская могила советских воинов"  # the live page is unchanged
    draft = grave.get_latest_revision_as_object()
    assert draft.title == "Братская могила (уточнено)" and draft.inscription == "Черновик редактора"


def test_draft_option_creates_unpublished_pages(site_ready):
    status, out, _err = run(MEMORIALS_UTF8, "--draft")
    assert status == 0 and "черновиками" in out
    page = MemorialPage.objects.get(ref="UT-1")
    assert not page.live and page.has_unpublished_changes and page.latest_revision_id
    assert page.live_revision_id is None


def test_library_column_and_option_decide_where_memorials_live(site_ready, make_library, tmp_path):
    taruska = make_library(title="Тарусская ЦБС", slug="tarusskaya", district="Тарусский район")
    kozelsk = make_library(title="Козельская ЦБС", slug="kozelskaya", district="Козельский район")
    path = tmp_path / "m.csv"
    path.write_text(
        "ref;title;kind;latitude;longitude;library\n"
        "A-1;Обелиск;обелиск;54,72;37,17;\n"
        "A-2;Стела;стела;54,03;35,78;kozelskaya\n",
        encoding="utf-8",
    )
    status, _out, err = run(path, library="tarusskaya")
    assert status == 0, err
    assert MemorialPage.objects.get(ref="A-1").library_id == taruska.pk
    assert MemorialPage.objects.get(ref="A-2").library_id == kozelsk.pk
    # A row naming another library moves its memorial; the default never does.
    path.write_text(
        "ref;title;kind;latitude;longitude;library\nA-1;Обелиск;обелиск;54,72;37,17;\n"
        "A-2;Стела;стела;54,03;35,78;oblastnaya\n",
        encoding="utf-8",
    )
    status, _out, err = run(path, library="kozelskaya")
    assert status == 0, err
    assert MemorialPage.objects.get(ref="A-1").library_id == taruska.pk
    moved = MemorialPage.objects.get(ref="A-2")
    assert moved.library_id == site_ready.pk and moved.url_path.startswith(site_ready.url_path)


def test_unknown_library_option_is_refused(site_ready):
    status, _out, err = run(MEMORIALS_UTF8, library="net-takoj")
    assert status == 1 and "Библиотека «net-takoj» (--library) не найдена" in err
    assert not MemorialPage.objects.exists()


def test_without_a_regional_library_rows_need_a_library(make_library, hero_index):
    make_library(slug="selskaya")
    status, _out, err = run(MEMORIALS_UTF8)
    assert status == 1 and "областной библиотеки на сайте нет" in err


def test_heroes_need_the_book_of_memory(regional_library, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("ref,last_name\nH-1,Иванов\n", encoding="utf-8")
    status, _out, err = run(heroes=path)
    assert status == 1 and "нет страницы «Книга памяти»" in err


def test_progress_goes_to_stderr(site_ready):
    _status, _out, err = run(MEMORIALS_UTF8)
    assert "Памятники: 2 из 2 (100 %)" in err


# -- a few hundred rows, as a district sends them ------------------------------------------


def district_files(rng, memorials=300, heroes=400):
    """cp1251 + semicolons, with a bad row every so often; returns files and the bad lines."""
    bad_memorial_lines, bad_hero_lines = {}, {}
    rows = [list(MEMORIAL_COLUMNS)]
    for n in range(1, memorials + 1):
        lat, lon = f"{54 + rng.random() / 2:.5f}", f"{35.5 + rng.random():.5f}"
        row = [f"D-{n:04d}", f"Обелиск в деревне {n}", rng.choice(["обелиск", "stele", "Братская могила"]),
               lat.replace(".", ","), lon.replace(".", ","), f"д. Деревня {n}", "Козельский",
               "", str(rng.randint(1950, 2020)), "", ""]  # fmt: skip
        line = n + 1
        if n % 37 == 0:
            row[3] = "север"
            bad_memorial_lines[line] = "не число"
        elif n % 53 == 0:
            row[2] = "пирамида"
            bad_memorial_lines[line] = "неизвестный вид"
        rows.append(row)
    memorial_csv = "\r\n".join(";".join(r) for r in rows).encode("cp1251")
    good_refs = [f"D-{n:04d}" for n in range(1, memorials + 1) if n + 1 not in bad_memorial_lines]
    rows = [list(HERO_COLUMNS)]
    for n in range(1, heroes + 1):
        refs = rng.sample(good_refs, 2 if n % 4 == 0 else 1)
        row = [f"DH-{n:04d}", rng.choice(["Иванов", "Петров", "Сидоров"]), "Иван", "Петрович",
               "1915", "1943", "рядовой", "", " ".join(refs)]  # fmt: skip
        line = n + 1
        if n % 41 == 0:
            row[5] = "1900"
            bad_hero_lines[line] = "раньше года рождения"
        rows.append(row)
    hero_csv = "\r\n".join(";".join(r) for r in rows).encode("cp1251")
    return memorial_csv, hero_csv, bad_memorial_lines, bad_hero_lines


def test_a_district_file_of_hundreds_of_rows(site_ready, tmp_path):
    memorial_csv, hero_csv, bad_m, bad_h = district_files(random.Random(1941))
    (tmp_path / "m.csv").write_bytes(memorial_csv)
    (tmp_path / "h.csv").write_bytes(hero_csv)
    status, out, err = run(tmp_path / "m.csv", heroes=tmp_path / "h.csv")
    assert status == 1
    assert (
        f"Памятники: создано {300 - len(bad_m)}, обновлено 0, без изменений 0, с ошибками {len(bad_m)}."
        in out
    )
    assert (
        f"Герои: создано {400 - len(bad_h)}, обновлено 0, без изменений 0, с ошибками {len(bad_h)}."
        in out
    )
    for line, reason in {**bad_m}.items():
        assert any(f"m.csv, строка {line} " in e and reason in e for e in err.splitlines()), line
    for line, reason in bad_h.items():
        assert any(f"h.csv, строка {line} " in e and reason in e for e in err.splitlines()), line
    revisions = revision_count()
    status, out, _err = run(tmp_path / "m.csv", heroes=tmp_path / "h.csv")
    assert f"без изменений {300 - len(bad_m)}" in out and f"без изменений {400 - len(bad_h)}" in out
    assert revision_count() == revisions


# -- export and the round trip ---------------------------------------------------------------


def export(*args):
    out = io.StringIO()
    call_command("export_memorials", *args, stdout=out)
    return out.getvalue()


def test_export_import_round_trip(site_ready, tmp_path):
    Importer().run(MEMORIALS_CP1251, HEROES_CP1251)
    memorials_csv = export("--format", "csv", "--heroes", str(tmp_path / "heroes.csv"))
    heroes_csv = (tmp_path / "heroes.csv").read_text(encoding="utf-8")
    assert memorials_csv.startswith("\ufeff" + ";".join(MEMORIAL_COLUMNS))
    assert heroes_csv.startswith("\ufeff" + ";".join(HERO_COLUMNS))
    rows = list(csv.DictReader(io.StringIO(heroes_csv.lstrip("\ufeff")), delimiter=";"))
    assert {r["ref"]: r["memorial_ref"] for r in rows}["H-002"] == "KZ-001 KZ-002"

    # Into an empty site: the same records come back, and export the same.
    HeroMemorial.objects.all().delete()
    for page in [*HeroPage.objects.all(), *MemorialPage.objects.all()]:
        page.delete()
    (tmp_path / "memorials.csv").write_text(memorials_csv, encoding="utf-8")
    report = Importer().run(tmp_path / "memorials.csv", tmp_path / "heroes.csv")
    assert report.failed == 0 and report.memorials.created == 4 and report.heroes.created == 4
    assert export("--format", "csv", "--heroes", str(tmp_path / "again.csv")) == memorials_csv
    assert (tmp_path / "again.csv").read_text(encoding="utf-8") == heroes_csv

    # And into the same site: nothing changes.
    report = Importer().run(tmp_path / "memorials.csv", tmp_path / "heroes.csv")
    assert report.memorials.unchanged == 4 and report.heroes.unchanged == 4


def test_geojson_export(site_ready, tmp_path):
    Importer().run(MEMORIALS_UTF8)
    output = tmp_path / "memorials.geojson"
    call_command("export_memorials", "--format", "geojson", "--output", str(output))
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    feature = {f["properties"]["ref"]: f for f in data["features"]}["UT-1"]
    assert feature["geometry"]["coordinates"] == [37.1783, 54.7228]
    assert feature["properties"]["url"].startswith("http://testserver/")


def test_a_row_failing_in_the_database_is_rolled_back_alone(site_ready, monkeypatch):
    original = Importer._log

    def failing_log(self, page, action, revision, timestamp):
        if page.ref == "KZ-002" and action == "wagtail.publish":
            raise RuntimeError("сбой базы данных")
        return original(self, page, action, revision, timestamp)

    monkeypatch.setattr(Importer, "_log", failing_log)
    report = Importer().run(MEMORIALS_CP1251)
    assert report.memorials.created == 3
    assert any(
        "строка 3 [KZ-002]: не удалось сохранить: сбой базы данных" in str(e) for e in report.errors
    )
    assert not MemorialPage.objects.filter(ref="KZ-002").exists()
    assert set(MemorialPage.objects.values_list("ref", flat=True)) == {"KZ-001", "KZ-003", "FAR-1"}
    assert (
        not PageLogEntry.objects.exclude(page__in=MemorialPage.objects.all())
        .filter(label__contains="Обелиск воинам-землякам")
        .exists()
    )
