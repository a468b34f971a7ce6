"""CSV files of memorials and heroes as people make them, and the open data exports.

Reading accepts what Excel and LibreOffice save in a Russian locale: UTF-8 with or without
a byte order mark, or Windows-1251; comma- or semicolon-separated; header names in any
case; extra columns ignored. Writing produces the same columns as the import (so an
export can be edited and imported back), UTF-8 with a byte order mark and semicolons,
which Excel in a Russian locale opens without an import dialog.
"""

import csv
import io
import json
from dataclasses import dataclass

from django.conf import settings

from .text import richtext_to_text

MEMORIAL_COLUMNS = (
    "ref",
    "title",
    "kind",
    "latitude",
    "longitude",
    "settlement",
    "district",
    "address",
    "year_unveiled",
    "description",
    "library",
)
MEMORIAL_REQUIRED = ("ref", "title", "kind", "latitude", "longitude")

HERO_COLUMNS = (
    "ref",
    "last_name",
    "first_name",
    "patronymic",
    "birth_year",
    "death_year",
    "rank",
    "biography",
    "memorial_ref",
    # Optional (older files have no such columns): exact dates, ДД.ММ.ГГГГ or ГГГГ-ММ-ДД.
    "birth_date",
    "death_date",
)
HERO_REQUIRED = ("ref", "last_name")

DELIMITERS = (";", ",", "\t")


class TableError(Exception):
    """The file as a whole cannot be read (encoding, missing columns): nothing imported."""


@dataclass
class Table:
    """A CSV file decoded: its columns, rows as dicts and each row's line number."""

    name: str
    encoding: str
    delimiter: str
    columns: list
    rows: list  # [(line number, {column: value})]


def decode(data):
    """Text and encoding of a file's bytes: UTF-8 (BOM or not), else Windows-1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:  # cp1251 maps all but one byte (0x98)
        raise TableError(
            f"Файл не в кодировке UTF-8 и не в Windows-1251 (байт {exc.start + 1})."
        ) from exc


def sniff_delimiter(header_line):
    """The separator of the header line: the most frequent of ; , and tab."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(source, required, name=""):
    """Read a CSV file (path, bytes or binary file) into a :class:`Table`.

    Raises :class:`TableError` when the file cannot be decoded or lacks a required column.
    Blank lines are skipped; cells are stripped; missing trailing cells are empty.
    """
    if isinstance(source, bytes):
        data = source
    elif hasattr(source, "read"):
        data = source.read()
        name = name or getattr(source, "name", "")
    else:
        with open(source, "rb") as f:
            data = f.read()
        name = name or str(source)
    if isinstance(data, str):
        text, encoding = data.lstrip("\ufeff"), "utf-8"
    else:
        text, encoding = decode(data)
    if "\x00" in text:
        raise TableError("В файле есть нулевые байты: это не текстовый CSV (может быть, XLSX?).")
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise TableError("Файл пуст.") from None
    columns = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise TableError(
            "В первой строке нет столбцов: {}. Ожидаются столбцы: {}.".format(
                ", ".join(missing), ", ".join(required)
            )
        )
    rows = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                row = {}
                for column, cell in zip(columns, cells, strict=False):
                    if column and column not in row:
                        row[column] = cell.strip()
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise TableError(f"Строка {line}: файл повреждён ({exc}).") from exc
    return Table(name=name, encoding=encoding, delimiter=delimiter, columns=columns, rows=rows)


# -- export --------------------------------------------------------------------------------


def number(value):
    """A Decimal without trailing zeros: «54.5293», not «54.529300»."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def memorial_row(memorial):
    return [
        memorial.ref,
        memorial.title,
        memorial.kind,
        number(memorial.latitude),
        number(memorial.longitude),
        memorial.settlement,
        memorial.district,
        memorial.address,
        memorial.year_unveiled or "",
        richtext_to_text(memorial.description),
        memorial.library.slug if memorial.library_id and memorial.library else "",
    ]


def hero_row(hero, memorial_refs):
    return [
        hero.ref,
        hero.last_name,
        hero.first_name,
        hero.patronymic,
        hero.birth_year or "",
        hero.death_year or "",
        hero.rank,
        richtext_to_text(hero.biography),
        " ".join(memorial_refs),
        hero.birth_date.isoformat() if hero.birth_date else "",
        hero.death_date.isoformat() if hero.death_date else "",
    ]


def export_memorials_queryset():
    """Published memorials of the source language, in a stable order."""
    from .locales import default_locale
    from .models import MemorialPage

    return (
        MemorialPage.objects.published()
        .filter(locale=default_locale())
        .select_related("library")
        .order_by("ref", "pk")
    )


def export_heroes_queryset():
    from .locales import default_locale
    from .models import HeroPage

    return HeroPage.objects.published().filter(locale=default_locale()).order_by("ref", "pk")


def hero_memorial_refs():
    """``{hero pk: [memorial ref, …]}`` of every link, in one query."""
    from .models import HeroMemorial

    refs = {}
    links = (
        HeroMemorial.objects.filter(memorial__live=True)
        .exclude(memorial__ref="")
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "memorial__ref")
    )
    for hero_id, ref in links:
        refs.setdefault(hero_id, []).append(ref)
    return refs


def write_csv(stream, header, rows):
    """Write UTF-8 CSV with a BOM and semicolons to a text stream."""
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)


def write_memorials_csv(stream, memorials=None):
    memorials = export_memorials_queryset() if memorials is None else memorials
    write_csv(stream, MEMORIAL_COLUMNS, (memorial_row(m) for m in memorials.iterator(2000)))


def write_heroes_csv(stream, heroes=None):
    heroes = export_heroes_queryset() if heroes is None else heroes
    refs = hero_memorial_refs()
    write_csv(
        stream, HERO_COLUMNS, (hero_row(h, refs.get(h.pk, [])) for h in heroes.iterator(2000))
    )


def write_geojson(stream, request=None, base_url=None):
    from .geojson import feature_collection, memorials_for_map

    collection = feature_collection(memorials_for_map(), request=request, base_url=base_url)
    json.dump(collection, stream, ensure_ascii=False, separators=(",", ":"))


def absolute_base_url():
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
