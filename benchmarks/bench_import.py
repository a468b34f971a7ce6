"""Benchmark of ``import_memorials``: 10,000 heroes into a fresh SQLite database.

    make bench-import                    # or: .venv/bin/python benchmarks/bench_import.py
    .venv/bin/python benchmarks/bench_import.py --heroes 2000 --memorials 200

Generates the CSV files deterministically (seeded: the same files on every machine) in
Windows-1251 with semicolons, as Excel in a Russian locale saves them, migrates a new
SQLite database in a temporary folder, creates the regional library and the Book of
Memory, then times the import, and a second run of the same files (which must change
nothing). Prints the figures; the database is removed afterwards unless --keep.
"""

import argparse
import csv
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = [
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов",
    "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров",
]  # fmt: skip
NAMES = ["Иван", "Пётр", "Николай", "Алексей", "Василий", "Михаил", "Фёдор", "Сергей", "Павел"]
PATRONYMICS = ["Иванович", "Петрович", "Николаевич", "Алексеевич", "Васильевич", "Семёнович"]
RANKS = ["рядовой", "красноармеец", "ефрейтор", "сержант", "старший сержант", "лейтенант"]
KINDS = ["братская могила", "обелиск", "памятник", "stele", "bust", "plaque"]


def generate(memorials, heroes, seed=1941):
    """``(memorials CSV bytes, heroes CSV bytes)``: cp1251, semicolons, decimal commas."""
    from network.regions import DISTRICTS

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["ref", "title", "kind", "latitude", "longitude", "settlement", "district",
                     "address", "year_unveiled", "description", "library"])  # fmt: skip
    for n in range(1, memorials + 1):
        district = DISTRICTS[n % len(DISTRICTS)]
        lat = f"{district.lat + rng.uniform(-0.1, 0.1):.6f}".replace(".", ",")
        lon = f"{district.lon + rng.uniform(-0.15, 0.15):.6f}".replace(".", ",")
        writer.writerow([f"B-M{n:05d}", "Братская могила советских воинов", rng.choice(KINDS),
                         lat, lon, f"д. Деревня {n}", district.name, "", rng.randint(1950, 2020),
                         "Описание памятника.", ""])  # fmt: skip
    memorial_csv = out.getvalue().encode("cp1251")

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["ref", "last_name", "first_name", "patronymic", "birth_year", "death_year",
                     "rank", "biography", "memorial_ref"])  # fmt: skip
    for n in range(1, heroes + 1):
        birth = rng.randint(1895, 1925)
        refs = [f"B-M{rng.randint(1, memorials):05d}"]
        if n % 5 == 0:
            refs.append(f"B-M{rng.randint(1, memorials):05d}")
        writer.writerow([f"B-H{n:06d}", rng.choice(SURNAMES), rng.choice(NAMES),
                         rng.choice(PATRONYMICS), birth, rng.randint(1941, 1945),
                         rng.choice(RANKS), "" if n % 3 else "Краткая биография героя.",
                         "; ".join(dict.fromkeys(refs))])  # fmt: skip
    return memorial_csv, out.getvalue().encode("cp1251")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memorials", type=int, default=1000)
    parser.add_argument("--heroes", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the database and the files")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="letopis-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    # The test settings: DEBUG off (no query log), as in production, and media elsewhere.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.chdir(ROOT)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(
        f"Database: {connection.settings_dict['NAME']} (SQLite {connection.Database.sqlite_version})"
    )
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.monotonic() - started:.1f} s")

    from wagtail.models import Page

    from home.models import HomePage
    from memorials.importer import Importer
    from memorials.models import HeroIndexPage, HeroPage, MemorialPage
    from network.models import LibraryIndexPage, LibraryPage

    home = HomePage.objects.first() or Page.get_first_root_node()
    directory = home.add_child(instance=LibraryIndexPage(title="Библиотеки", slug="biblioteki"))
    directory.add_child(
        instance=LibraryPage(
            title="Областная библиотека", slug="oblastnaya", library_type="regional",
            district="город Калуга",
        )
    )  # fmt: skip
    home.add_child(instance=HeroIndexPage(title="Книга памяти", slug="kniga-pamyati"))

    memorial_csv, hero_csv = generate(args.memorials, args.heroes)
    (folder / "memorials.csv").write_bytes(memorial_csv)
    (folder / "heroes.csv").write_bytes(hero_csv)
    print(f"files: {args.memorials} memorials ({len(memorial_csv) // 1024} KB), "
          f"{args.heroes} heroes ({len(hero_csv) // 1024} KB), cp1251, semicolons")  # fmt: skip

    def progress(label, done, total):
        if done == total or done % 2000 < 250:
            print(f"  {label}: {done}/{total} {time.monotonic() - started:.1f} s", flush=True)

    started = time.monotonic()
    report = Importer(progress=progress).run(folder / "memorials.csv", folder / "heroes.csv")
    first = time.monotonic() - started
    print(f"first import: {first:.1f} s — memorials: {report.memorials.summary()}; "
          f"heroes: {report.heroes.summary()}")  # fmt: skip
    print(f"  {(args.heroes + args.memorials) / first:.0f} pages per second, indexes included")

    started = time.monotonic()
    report = Importer().run(folder / "memorials.csv", folder / "heroes.csv")
    second = time.monotonic() - started
    print(f"second import (same files): {second:.1f} s — memorials: {report.memorials.summary()}; "
          f"heroes: {report.heroes.summary()}")  # fmt: skip
    print(f"pages: {MemorialPage.objects.count()} memorials, {HeroPage.objects.count()} heroes")
    connection.close()
    if args.keep:
        print(f"kept: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
