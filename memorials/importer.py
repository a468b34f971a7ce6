"""Importing memorials and heroes from CSV files, idempotently, by their ``ref``.

- Every row is checked before anything is written; a bad row is reported with its line
  number and reason and skipped, the good rows are imported (bad input loses nothing).
- A row whose ``ref`` exists updates that page with a new revision; a row that would
  change nothing creates no revision, so running the same file twice changes nothing.
- An empty optional cell never erases what is on the site (an editor may have written a
  longer biography there); a filled cell replaces the value. A hero's ``memorial_ref``,
  when filled, is the whole list of memorials bearing the name.
- A memorial lives below the library named in its ``library`` cell, or the ``--library``
  default, or the regional library. An existing memorial moves only when its own cell
  names another library.
- A page with an editor's unpublished changes is never published by the import: the
  import adds a draft revision on top of the editor's one and says so.

Speed: existing records are loaded into dicts by ``ref`` a chunk at a time, slugs are
allocated in memory per parent, rows are written in transactions of a few hundred, and
the search index and the reference index are updated once per page at the end rather
than on every save.
"""

import datetime
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from modelcluster.models import get_all_child_relations

from home.text import slugify_ru
from network.geo import validate_point
from network.regions import get_district, in_region

from .exchange import HERO_REQUIRED, MEMORIAL_REQUIRED, TableError, read_table
from .locales import default_locale
from .models import HeroIndexPage, HeroMemorial, HeroPage, MemorialPage
from .models.hero import HERO_MIN_YEAR
from .models.memorial import MEMORIAL_MIN_YEAR
from .models.reference import REF_PATTERN
from .text import full_name, text_to_richtext
from .vocabulary import kind_from_text

BATCH_SIZE = 250
LOOKUP_CHUNK = 500
SPLIT_REFS = re.compile(r"[;,\s]+")
SIX_PLACES = Decimal("0.000001")


class RowError(ValueError):
    """A row that cannot be imported; the message says why, in Russian."""


@dataclass
class Problem:
    file: str
    line: int
    ref: str
    message: str

    def __str__(self):
        ref = f" [{self.ref}]" if self.ref else ""
        return f"{self.file}, строка {self.line}{ref}: {self.message}"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0

    def summary(self):
        return (
            f"создано {self.created}, обновлено {self.updated}, "
            f"без изменений {self.unchanged}, с ошибками {self.failed}"
        )


@dataclass
class Report:
    memorials: Tally = field(default_factory=Tally)
    heroes: Tally = field(default_factory=Tally)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def failed(self):
        return self.memorials.failed + self.heroes.failed

    def error(self, file, line, ref, message):
        self.errors.append(Problem(file, line, ref, str(message)))

    def warn(self, file, line, ref, message):
        self.warnings.append(Problem(file, line, ref, str(message)))


# -- reading cells -------------------------------------------------------------------------


def _text(row, column, max_length=None, label=None):
    value = " ".join((row.get(column) or "").split())
    if max_length and len(value) > max_length:
        raise RowError(f"{label or column}: длиннее {max_length} знаков.")
    return value


def _long_text(row, column):
    return (row.get(column) or "").strip()


def _coordinate(row, column, label):
    raw = (row.get(column) or "").strip().replace(" ", "").replace(",", ".").replace("\u2212", "-")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise RowError(f"{label} «{row.get(column)}» — не число.") from None
    if not value.is_finite():
        raise RowError(f"{label} «{row.get(column)}» — не число.")
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def _year(row, column, label, minimum):
    raw = (row.get(column) or "").strip().rstrip(".").removesuffix("г").strip()
    if not raw:
        return None
    if re.fullmatch(r"\d{4}\.0+", raw):  # Excel writes numbers as 1965.0
        raw = raw.split(".")[0]
    if not raw.isdigit():
        raise RowError(f"{label} «{row.get(column)}» — не год.")
    value = int(raw)
    this_year = datetime.date.today().year
    if not minimum <= value <= this_year:
        raise RowError(f"{label} {value} вне допустимого диапазона ({minimum}–{this_year}).")
    return value


_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(row, column, label, minimum):
    """A date written ДД.ММ.ГГГГ (as Excel shows it in a Russian locale) or ГГГГ-ММ-ДД."""
    raw = (row.get(column) or "").strip().removesuffix("г.").strip()
    if not raw:
        return None
    if match := _DAY_FIRST.fullmatch(raw):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(raw):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise RowError(
            f"{label} «{row.get(column)[:40]}» — не дата: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД."
        )
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        raise RowError(f"{label} «{raw}»: такой даты нет.") from None
    today = datetime.date.today()
    if not (value.year >= minimum and value <= today):
        raise RowError(f"{label} {raw} вне допустимого диапазона ({minimum} год — сегодня).")
    return value


def _year_of(date, year, label):
    """The year of a row: the year cell, else the date's; they must agree."""
    if date is None:
        return year
    if year is not None and year != date.year:
        raise RowError(f"{label} {year} не совпадает с датой {date:%d.%m.%Y}.")
    return date.year


def _ref(row):
    ref = (row.get("ref") or "").strip()
    if not ref:
        raise RowError("нет идентификатора (столбец ref).")
    if not REF_PATTERN.match(ref):
        raise RowError(
            f"идентификатор «{ref[:70]}» недопустим: до 64 знаков без пробелов, запятых и точек с запятой."
        )
    return ref


def parse_memorial(row):
    """The values of a memorial row; :class:`RowError` for the first problem found."""
    ref = _ref(row)
    title = _text(row, "title", 255, "Название")
    if not title:
        raise RowError("нет названия (столбец title).")
    raw_kind = _text(row, "kind")
    if not raw_kind:
        raise RowError("не указан вид памятника (столбец kind).")
    kind = kind_from_text(raw_kind)
    if kind is None:
        raise RowError(
            f"неизвестный вид памятника «{raw_kind[:60]}»; допустимы: памятник, обелиск, "
            "братская могила, стела, бюст, мемориальная доска, мемориальный комплекс, другое."
        )
    latitude = _coordinate(row, "latitude", "Широта")
    longitude = _coordinate(row, "longitude", "Долгота")
    errors = validate_point(latitude, longitude, required=True)
    if errors:
        raise RowError("координаты: " + " ".join(str(m) for m in errors.values()))
    district_name = _text(row, "district", 120, "Район")
    district = get_district(district_name)
    values = {
        "title": title,
        "kind": kind.value,
        "latitude": latitude,
        "longitude": longitude,
        "settlement": _text(row, "settlement", 120, "Населённый пункт"),
        "district": district.name if district else district_name,
        "address": _text(row, "address", 255, "Адрес"),
        "year_unveiled": _year(row, "year_unveiled", "Год открытия", MEMORIAL_MIN_YEAR),
        "description": text_to_richtext(_long_text(row, "description")),
    }
    return ref, values, _text(row, "library")


def parse_hero(row):
    ref = _ref(row)
    last_name = _text(row, "last_name", 80, "Фамилия")
    if not last_name:
        raise RowError("нет фамилии (столбец last_name).")
    first_name = _text(row, "first_name", 80, "Имя")
    patronymic = _text(row, "patronymic", 80, "Отчество")
    birth_date = _date(row, "birth_date", "Дата рождения", HERO_MIN_YEAR)
    death_date = _date(row, "death_date", "Дата смерти", HERO_MIN_YEAR)
    birth_year = _year_of(
        birth_date, _year(row, "birth_year", "Год рождения", HERO_MIN_YEAR), "Год рождения"
    )
    death_year = _year_of(
        death_date, _year(row, "death_year", "Год смерти", HERO_MIN_YEAR), "Год смерти"
    )
    if birth_year and death_year and death_year < birth_year:
        raise RowError(f"год смерти {death_year} раньше года рождения {birth_year}.")
    if birth_date and death_date and death_date < birth_date:
        raise RowError(
            f"дата смерти {death_date:%d.%m.%Y} раньше даты рождения {birth_date:%d.%m.%Y}."
        )
    name = full_name(last_name, first_name, patronymic)
    if len(name) > 255:
        raise RowError("Полное имя длиннее 255 знаков.")
    values = {
        "title": name,
        "last_name": last_name,
        "first_name": first_name,
        "patronymic": patronymic,
        "birth_year": birth_year,
        "birth_date": birth_date,
        "death_year": death_year,
        "death_date": death_date,
        "rank": _text(row, "rank", 80, "Звание"),
        "biography": text_to_richtext(_long_text(row, "biography")),
    }
    memorial_refs = []
    for memorial_ref in SPLIT_REFS.split(row.get("memorial_ref") or ""):
        if memorial_ref and memorial_ref not in memorial_refs:
            memorial_refs.append(memorial_ref)
    return ref, values, memorial_refs


# -- writing pages -------------------------------------------------------------------------


class SlugAllocator:
    """Unique slugs among a parent's children, decided in memory.

    Wagtail's own allocation asks the database once per candidate («-2», «-3», …): with a
    thousand «Братская могила» under one library that is a million queries.
    """

    def __init__(self):
        self.taken = {}

    def allocate(self, parent, text):
        taken = self.taken.get(parent.pk)
        if taken is None:
            taken = set(parent.get_children().values_list("slug", flat=True))
            self.taken[parent.pk] = taken
        base = slugify_ru(text) or "page"
        slug, suffix = base, 1
        while slug in taken:
            suffix += 1
            slug = f"{base}-{suffix}"
        taken.add(slug)
        return slug


class PathAllocator:
    """Tree paths of new children, decided in memory (treebeard asks for the last child
    and updates the parent's child count on every add_child)."""

    def __init__(self):
        self.last = {}
        self.parents = {}

    def allocate(self, parent):
        position = self.last.get(parent.pk)
        if position is None:
            last = (
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            position = Page._str2int(last[-Page.steplen :]) if last else 0
        position += 1
        self.last[parent.pk] = position
        self.parents[parent.pk] = parent
        return Page._get_path(parent.path, parent.depth + 1, position)

    def flush(self):
        """Store the true child counts of the parents written to; forget the positions,
        so the next batch starts from the database (an editor may have added a page)."""
        for parent in self.parents.values():
            count = Page.objects.filter(
                path__startswith=parent.path, depth=parent.depth + 1
            ).count()
            Page.objects.filter(pk=parent.pk).update(numchild=count)
            parent.numchild = count
        self.last.clear()
        self.parents.clear()


@contextmanager
def deferred_indexing(models):
    """Skip search index updates on save for ``models``; the importer indexes at the end."""
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def update_reference_index(model, objects):
    """``ReferenceIndex.create_or_update_for_object`` for many objects of one model.

    The same rows as Wagtail's per-object method (which the tests compare it with), with
    one query to read and one to write per chunk instead of several per object. Falls
    back to the per-object method if Wagtail's reference extraction is ever renamed.
    """
    extract = getattr(ReferenceIndex, "_extract_references_from_object", None)
    if extract is None:  # pragma: no cover
        for obj in objects:
            ReferenceIndex.create_or_update_for_object(obj)
        return
    content_types = [
        ContentType.objects.get_for_model(m, for_concrete_model=False)
        for m in [model, *model._meta.get_parent_list()]
    ]
    content_type, base_content_type = content_types[0], content_types[-1]
    known = {ct.id for ct in content_types}
    wanted = {str(obj.pk): set(extract(obj)) for obj in objects}
    existing = {}
    for (
        row_id,
        object_id,
        ct_id,
        to_ct,
        to_id,
        model_path,
        content_path,
    ) in ReferenceIndex.objects.filter(
        base_content_type=base_content_type, object_id__in=wanted
    ).values_list(
        "id",
        "object_id",
        "content_type_id",
        "to_content_type_id",
        "to_object_id",
        "model_path",
        "content_path",
    ):
        existing.setdefault(object_id, {})[(to_ct, to_id, model_path, content_path)] = (
            ct_id,
            row_id,
        )
    new_rows, stale = [], []
    for object_id, references in wanted.items():
        present = existing.get(object_id, {})
        for to_ct, to_id, model_path, content_path in references - set(present):
            new_rows.append(
                ReferenceIndex(
                    content_type=content_type,
                    base_content_type=base_content_type,
                    object_id=object_id,
                    to_content_type_id=to_ct,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
        stale += [
            row_id
            for reference, (ct_id, row_id) in present.items()
            if reference not in references and ct_id in known
        ]
    ReferenceIndex.objects.bulk_create(
        new_rows, ignore_conflicts=connection.features.supports_ignore_conflicts
    )
    if stale:
        ReferenceIndex.objects.filter(id__in=stale).delete()


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Importer:
    """``Importer(library=…, draft=…).run(memorials_file, heroes_file)`` → :class:`Report`."""

    def __init__(self, library=None, draft=False, user=None, progress=None, batch_size=BATCH_SIZE):
        self.library_slug = (library or "").strip()
        self.draft = draft
        self.user = user
        self.progress = progress
        self.batch_size = batch_size
        self.report = Report()
        self.locale = default_locale()
        self.slugs = SlugAllocator()
        self.paths = PathAllocator()
        self.log_entries = []
        # One import is one action in the pages' history: its entries share a uuid.
        self.log_uuid = uuid.uuid4()
        self.page_content_type_id = ContentType.objects.get_for_model(Page).pk
        self.touched = {MemorialPage: set(), HeroPage: set()}
        self._libraries = None
        self._regional = None

    # -- libraries -------------------------------------------------------------------------
    @property
    def libraries(self):
        if self._libraries is None:
            from network.models import LibraryPage

            self._libraries = {}
            for library in LibraryPage.objects.filter(locale=self.locale).order_by("path"):
                self._libraries.setdefault(library.slug, library)
            self._regional = next(
                (lib for lib in self._libraries.values() if lib.library_type == "regional"), None
            )
        return self._libraries

    def check_library_option(self):
        """The ``--library`` slug must exist: a typo there would misplace every row."""
        if self.library_slug and self.library_slug not in self.libraries:
            raise TableError(f"Библиотека «{self.library_slug}» (--library) не найдена.")

    def library_for(self, slug):
        if slug:
            library = self.libraries.get(slug)
            if library is None:
                raise RowError(f"неизвестная библиотека «{slug[:80]}» (столбец library).")
            return library
        if self.library_slug:
            return self.libraries[self.library_slug]
        self.libraries  # noqa: B018  (loads the regional library too)
        if self._regional is None:
            raise RowError(
                "не указана библиотека, а областной библиотеки на сайте нет: "
                "заполните столбец library или укажите --library."
            )
        return self._regional

    # -- the run ---------------------------------------------------------------------------
    def run(self, memorials=None, heroes=None):
        """Import the files (paths, bytes or binary files); either may be None."""
        memorial_table = read_table(memorials, MEMORIAL_REQUIRED) if memorials is not None else None
        hero_table = read_table(heroes, HERO_REQUIRED) if heroes is not None else None
        self.check_library_option()
        try:
            with deferred_indexing([MemorialPage, HeroPage]):
                if memorial_table is not None:
                    self.import_memorials(memorial_table)
                if hero_table is not None:
                    self.import_heroes(hero_table)
        finally:
            # Even after an unexpected error, the batches already written get indexed.
            self.update_indexes()
        return self.report

    def _tick(self, label, done, total):
        if self.progress is not None:
            self.progress(label, done, total)

    def _batches(self, label, rows, handle):
        total = len(rows)
        done = 0
        for batch in _chunks(rows, self.batch_size):
            with transaction.atomic():
                for item in batch:
                    handle(*item)
                self.paths.flush()
                self._flush_log()
            done += len(batch)
            self._tick(label, done, total)

    # -- memorials -------------------------------------------------------------------------
    def import_memorials(self, table):
        name = table.name or "памятники"
        tally = self.report.memorials
        parsed = []
        seen = {}
        for line, row in table.rows:
            raw_ref = (row.get("ref") or "").strip()
            try:
                ref, values, library_slug = parse_memorial(row)
                if ref in seen:
                    raise RowError(f"идентификатор {ref} уже встречался в строке {seen[ref]}.")
                library = self.library_for(library_slug)
            except RowError as exc:
                tally.failed += 1
                self.report.error(name, line, raw_ref, exc)
                continue
            seen[ref] = line
            if not in_region(values["latitude"], values["longitude"]):
                self.report.warn(
                    name,
                    line,
                    ref,
                    "точка за пределами области — проверьте, не перепутаны ли широта и долгота.",
                )
            parsed.append((line, ref, values, library, bool(library_slug)))

        existing = {}
        for refs in _chunks([p[1] for p in parsed], LOOKUP_CHUNK):
            for page in MemorialPage.objects.filter(locale=self.locale, ref__in=refs):
                existing[page.ref] = page

        def handle(line, ref, values, library, library_given):
            mark = len(self.log_entries)
            try:
                with transaction.atomic():
                    self.save_memorial(existing.get(ref), ref, values, library, library_given)
            except Exception as exc:  # a database error on one row must not stop the rest
                del self.log_entries[mark:]  # the row's history went with its savepoint
                tally.failed += 1
                self.report.error(name, line, ref, f"не удалось сохранить: {exc}")

        self._batches("Памятники", parsed, handle)

    def save_memorial(self, page, ref, values, library, library_given):
        tally = self.report.memorials
        if page is None:
            page = MemorialPage(locale=self.locale, ref=ref, owner=self.user, **values)
            self._create(page, library, f"{values['title']} {values['settlement']}")
            tally.created += 1
            return
        target = self._editable(page)
        changed = self._assign(target, values)
        move_to = None
        if library_given and page.library_id != library.pk:
            move_to = library
        if not changed and move_to is None:
            tally.unchanged += 1
            return
        if move_to is not None:
            slug = self.slugs.allocate(move_to, page.slug)
            if slug != page.slug:  # a namesake already lives there
                page.slug = slug
                page.save(clean=False, update_fields=["slug", "url_path"])
            page.move(move_to, pos="last-child", user=self.user)
            page.refresh_from_db()
            target = self._editable(page)
            self._assign(target, values)
        self._save_revision(page, target)
        tally.updated += 1

    # -- heroes ----------------------------------------------------------------------------
    def import_heroes(self, table):
        name = table.name or "герои"
        tally = self.report.heroes
        book = HeroIndexPage.objects.filter(locale=self.locale).order_by("-live", "path").first()
        memorial_ids = dict(
            MemorialPage.objects.filter(locale=self.locale).exclude(ref="").values_list("ref", "pk")
        )
        parsed = []
        seen = {}
        for line, row in table.rows:
            raw_ref = (row.get("ref") or "").strip()
            try:
                if book is None:
                    raise RowError(
                        "на сайте нет страницы «Книга памяти»: создайте её, затем повторите загрузку."
                    )
                ref, values, memorial_refs = parse_hero(row)
                if ref in seen:
                    raise RowError(f"идентификатор {ref} уже встречался в строке {seen[ref]}.")
                unknown = [r for r in memorial_refs if r not in memorial_ids]
                if unknown:
                    raise RowError(
                        "памятник не найден: {} (столбец memorial_ref).".format(
                            ", ".join(u[:64] for u in unknown[:5])
                        )
                    )
            except RowError as exc:
                tally.failed += 1
                self.report.error(name, line, raw_ref, exc)
                continue
            seen[ref] = line
            parsed.append((line, ref, values, [memorial_ids[r] for r in memorial_refs]))

        existing = {}
        links = {}
        for refs in _chunks([p[1] for p in parsed], LOOKUP_CHUNK):
            pages = HeroPage.objects.filter(locale=self.locale, ref__in=refs)
            for page in pages:
                existing[page.ref] = page
            for hero_id, memorial_id in (
                HeroMemorial.objects.filter(page__in=pages)
                .order_by("sort_order", "pk")
                .values_list("page_id", "memorial_id")
            ):
                links.setdefault(hero_id, []).append(memorial_id)

        def handle(line, ref, values, memorial_ids):
            mark = len(self.log_entries)
            try:
                with transaction.atomic():
                    self.save_hero(existing.get(ref), ref, values, memorial_ids, book, links)
            except RowError as exc:  # the row disagrees with the page on the site
                del self.log_entries[mark:]
                tally.failed += 1
                self.report.error(name, line, ref, exc)
            except Exception as exc:
                del self.log_entries[mark:]
                tally.failed += 1
                self.report.error(name, line, ref, f"не удалось сохранить: {exc}")

        self._batches("Герои", parsed, handle)

    def save_hero(self, page, ref, values, memorial_ids, book, links):
        tally = self.report.heroes
        if page is None:
            page = HeroPage(locale=self.locale, ref=ref, owner=self.user, **values)
            links = [
                HeroMemorial(memorial_id=pk, sort_order=i) for i, pk in enumerate(memorial_ids)
            ]
            self._create(page, book, values["title"], links)
            tally.created += 1
            return
        target = self._editable(page)
        before = (target.last_name, target.first_name, target.patronymic)
        changed = self._assign(target, {k: v for k, v in values.items() if k != "title"})
        after = (target.last_name, target.first_name, target.patronymic)
        if after != before:
            # The title follows a changed name; a title an editor wrote by hand
            # («Иванов Иван Иванович, гвардии сержант») is otherwise left alone.
            target.title = full_name(*after)
        for kind, label in (("birth", "год рождения"), ("death", "год смерти")):
            # A year in the file against an exact date on the site: the page would lie.
            date, year = getattr(target, f"{kind}_date"), getattr(target, f"{kind}_year")
            if date is not None and year is not None and date.year != year:
                raise RowError(
                    f"{label} {year} не совпадает с датой {date:%d.%m.%Y}, указанной на сайте: "
                    "исправьте год или укажите в файле дату."
                )
        if memorial_ids:
            current = (
                links.get(page.pk, [])
                if target is page
                else [link.memorial_id for link in target.memorial_links.all()]
            )
            if current != memorial_ids:
                target.memorial_links = [HeroMemorial(memorial_id=pk) for pk in memorial_ids]
                changed = True
        if not changed:
            tally.unchanged += 1
            return
        self._save_revision(page, target)
        tally.updated += 1

    # -- shared ----------------------------------------------------------------------------
    # A new page is written with what add_child(), save_revision() and publish() would
    # leave in the database (its tree path and url_path, a revision that is both latest
    # and live, the publication dates, the "create" and "publish" log entries, the
    # page_published signal) in three statements instead of some seventy: every row was
    # validated above, and Wagtail's per-save validation checks each foreign key, the slug
    # and the parent one query at a time, saves the page three times and deserialises the
    # revision it has just serialised.
    def _create(self, page, parent, slug_text, links=None):
        now = timezone.now()
        publish = not self.draft
        page.slug = self.slugs.allocate(parent, slug_text)
        page.depth = parent.depth + 1
        page.path = self.paths.allocate(parent)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.live = publish
        page.has_unpublished_changes = not publish
        page.latest_revision_created_at = now
        if publish:
            page.first_published_at = page.last_published_at = now
        page._cached_parent_obj = parent  # set_url_path() and the slug helper use it
        page._is_site_root = False
        if isinstance(page, MemorialPage):
            page.library = parent
        page.save(clean=False, log_action=None)
        # A new page's links are inserted in one statement (modelcluster would first
        # look for existing ones, then insert them one by one), then given to the
        # revision from memory, as is the (empty) list of comments.
        if links is not None:
            for link in links:
                link.page_id = page.pk
            HeroMemorial.objects.bulk_create(links)
            page.memorial_links = links
        setattr(page, COMMENTS_RELATION_NAME, [])
        revision = Revision(
            content_object=page,
            base_content_type_id=self.page_content_type_id,
            user=self.user,
            created_at=now,
            content=page.serializable_data(),
            object_str=str(page),
        )
        revision.save()
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision, live_revision=revision if publish else None
        )
        page.latest_revision = revision
        self._log(page, "wagtail.create", None, now)
        if publish:
            page.live_revision = revision
            self._log(page, "wagtail.publish", revision, now)
            page_published.send(sender=type(page), instance=page, revision=revision)
        self.touched[type(page)].add(page.pk)

    def _publish(self, page, revision):
        """Publish an updated page: what ``PublishRevisionAction`` does for a page without
        schedules or workflows (its content and child relations are written too)."""
        now = timezone.now()
        page.live = True
        page.has_unpublished_changes = False
        page.expired = False
        page.live_revision = revision
        page.last_published_at = now
        if page.first_published_at is None:
            page.first_published_at = now
        page._is_site_root = False
        page.save(clean=False)
        self._log(page, "wagtail.publish", revision, now)
        page_published.send(sender=type(page), instance=page, revision=revision)

    def _log(self, page, action, revision, timestamp):
        """A page history entry, written with the batch (see ``_batches``)."""
        self.log_entries.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=page.get_admin_display_title(),
                action=action,
                timestamp=timestamp,
                data={},
                user=self.user,
                uuid=self.log_uuid,
                page_id=page.pk,
                revision=revision,
                content_changed=action == "wagtail.publish",
            )
        )

    def _flush_log(self):
        if self.log_entries:
            PageLogEntry.objects.bulk_create(self.log_entries)
            self.log_entries = []

    def _editable(self, page):
        """What an update starts from: the latest draft if an editor left one, else the page."""
        if page.has_unpublished_changes:
            return page.get_latest_revision_as_object()
        return page

    @staticmethod
    def _assign(target, values):
        """Set the filled values on ``target``; return whether anything changed."""
        changed = False
        for name, value in values.items():
            if value in ("", None):
                continue  # an empty cell never erases what is on the site
            if getattr(target, name) != value:
                setattr(target, name, value)
                changed = True
        return changed

    def _save_revision(self, page, target):
        had_draft = page.has_unpublished_changes
        target._is_site_root = False
        revision = target.save_revision(user=self.user, clean=False)
        self._log(target, "wagtail.edit", revision, revision.created_at)
        if not self.draft and not had_draft:
            self._publish(target, revision)
        elif had_draft and not self.draft:
            self.report.warn(
                "",
                0,
                page.ref,
                f"«{page.title}»: у страницы есть неопубликованные правки редактора — "
                "изменения сохранены черновиком, опубликуйте их после проверки.",
            )
        self.touched[type(page)].add(page.pk)

    def update_indexes(self):
        index_pages(self.touched, progress=self._tick)


def index_pages(pages_by_model, progress=None):
    """Index pages once each, after their saves skipped it (see ``deferred_indexing``):
    the search index, then the reference index (the admin's usage counts).

    ``pages_by_model``: ``{model: {pk, …}}``.
    """
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in pages_by_model.items():
        # The reference index reads every child relation of every page: fetch them for
        # a whole chunk at once.
        relations = [rel.get_accessor_name() for rel in get_all_child_relations(model)]
        done = 0
        for chunk in _chunks(sorted(pks), LOOKUP_CHUNK):
            with transaction.atomic():
                objects = list(
                    model.get_indexed_objects().filter(pk__in=chunk).prefetch_related(*relations)
                )
                for backend in backends:
                    backend.add_bulk(model, objects)
                update_reference_index(model, objects)
            done += len(chunk)
            if progress is not None:
                progress("Индексы", done, len(pks))
