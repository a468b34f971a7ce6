"""Benchmark of the archive's search: 100,000 pages on SQLite and on PostgreSQL.

    make bench-search                          # or: .venv/bin/python benchmarks/bench_search.py
    .venv/bin/python benchmarks/bench_search.py --pages 2000 --db sqlite
    .venv/bin/python benchmarks/bench_search.py --db postgres --keep   # reuse a built database

For each database: migrates a fresh one, writes a deterministic archive (``archive.py``:
mostly heroes of the Book of Memory, with memorials, contributions with StreamField
bodies, libraries and projects), checks the page tree and that generated pages render,
builds the search index (``search.indexing.rebuild_index``; on PostgreSQL then does what
autovacuum would, VACUUM ANALYZE, if nothing has — see ``analyze_if_needed``), times the public
search (``search.engine.run_search``: total, facets and the first 20 hits with snippets)
on sets of queries — rare words, common words, inflected forms, full names, places,
typos — and the suggestions (``search.engine.suggest``) and the search page itself.
Prints p50/p95/max per set against the targets (p95 < 150 ms on SQLite, < 50 ms on
PostgreSQL).

Databases: SQLite in /tmp/letopis-bench-search/ (``BENCH_SQLITE_DIR``); PostgreSQL
``letopis_bench_search`` on 127.0.0.1:5432 as user postgres (``BENCH_POSTGRES_URL``),
created and dropped by the benchmark; skipped with a message when the server is not
reachable. Both are removed afterwards unless ``--keep``, which also reuses a database
built completely by an earlier ``--keep`` run with as many pages (the page writing is skipped; the index is
rebuilt unless ``--skip-index``). Options may also come from ``BENCH_PAGES``,
``BENCH_DB`` and ``BENCH_ROUNDS``, e.g. ``make bench-search BENCH_PAGES=20000``.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]  # run as a script: ``benchmarks`` is importable from the root

from benchmarks.common import LABELS, BenchDatabases, percentile  # noqa: E402

SQLITE_DIR = Path(os.environ.get("BENCH_SQLITE_DIR", "/tmp/letopis-bench-search"))
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/letopis_bench_search"
)
DATABASES = BenchDatabases(SQLITE_DIR, POSTGRES_URL)
TARGETS_MS = {"sqlite": 150, "postgres": 50}
SLOW_MS = 5_000  # a query slower than this in the warm-up is timed once, not every round
QUERY_TIMEOUT_S = 120  # PostgreSQL's statement_timeout while timing

# The queries, by kind. The rare surnames are carried by 1–4 heroes each (archive.py);
# the common words by thousands of pages.
QUERY_SETS = {
    "rare": ["Чеботарёв", "Чеботарев", "Пустовалову", "Козодоева", "Тараторкиным",
             "Голенищеву", "Рукавишникова", "Синебрюхов"],
    "forms": ["Кузнецову", "Смирновой", "Ивановым", "Петровых", "героям", "погибшим",
              "братской могиле", "эвакогоспиталях"],
    "common": ["Иван", "рядовой", "Козельский", "погиб", "братская могила", "1942",
               "Калужской губернии", "пропал без вести"],
    "names": ["Иванов Иван", "Петрова Мария Ивановна", "Кузнецов Николай Петрович",
              "Смирнов Алексей Васильевич", "Соколова Анна", "Чеботарёв Иван"],
    "places": ["в Козельске", "Спас-Деменск", "Спас Деменск", "Берёзовка", "Березовка",
               "Сухиничи", "под Ржевом", "Малоярославец"],
    "typos": ["Кузнцов", "Смирнв", "Чеботарв", "рядовй"],
}  # fmt: skip
SUGGEST_PREFIXES = ["Куз", "Ив", "Смир", "Чебот", "Козел", "Спас"]
PAGE_QUERIES = ["Кузнецов", "в Козельске", "Петрова Мария Ивановна"]


# -- the parent: one child process per database ---------------------------------------------


def postgres_reachable():
    """``None`` if the PostgreSQL server answers, else why not."""
    return DATABASES.postgres_reachable()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=int(os.environ.get("BENCH_PAGES", 100_000)))
    parser.add_argument(
        "--db", choices=["sqlite", "postgres", "both"], default=os.environ.get("BENCH_DB", "both")
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 5)),
                        help="timed rounds over every query, after one warm-up round")  # fmt: skip
    parser.add_argument("--keep", action="store_true",
                        help="reuse a database built by an earlier --keep run; keep it afterwards")  # fmt: skip
    parser.add_argument("--skip-index", action="store_true",
                        help="with --keep: use the index as it is, do not rebuild it")  # fmt: skip
    parser.add_argument("--no-analyze", action="store_true",
                        help="PostgreSQL: do not VACUUM ANALYZE tables autovacuum has not reached")  # fmt: skip
    parser.add_argument("--progress-every", type=int, default=10_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the JSON file a child writes
    args = parser.parse_args()
    if args.child:
        return run_child(args)

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results, failures = {}, []
    for database in databases:
        print(f"\n=== {LABELS[database]}: {args.pages:,} pages ===", flush=True)
        if database == "postgres":
            problem = postgres_reachable()
            if problem:
                print(f"PostgreSQL skipped: not reachable at {DATABASES.admin_dsn()} ({problem})")
                continue
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            result_file = Path(out.name)
        command = [sys.executable, __file__, "--db", database, "--child", str(result_file),
                   "--pages", str(args.pages), "--rounds", str(args.rounds),
                   "--progress-every", str(args.progress_every)]  # fmt: skip
        if args.keep:
            command.append("--keep")
        if args.skip_index:
            command.append("--skip-index")
        if args.no_analyze:
            command.append("--no-analyze")
        code = subprocess.call(command, cwd=ROOT)
        text = result_file.read_text() if result_file.exists() else ""
        result_file.unlink(missing_ok=True)
        if code != 0 or not text:
            print(f"{LABELS[database]}: the benchmark failed (exit code {code})")
            failures.append(database)
            continue
        results[database] = json.loads(text)
    if len(results) > 1:
        print_comparison(results)
    return 1 if failures else 0


def print_comparison(results):
    print("\n=== Summary ===")
    names = list(results)
    header = f"{'':28}" + "".join(f"{LABELS[n]:>16}" for n in names)
    print(header)

    def row(label, values):
        print(f"{label:28}" + "".join(f"{value:>16}" for value in values))

    row("pages", [f"{results[n]['pages']:,}" for n in names])
    row("write pages, s", [_fmt_s(results[n].get("build_seconds")) for n in names])
    row("index, s", [_fmt_s(results[n].get("index_seconds")) for n in names])
    row("VACUUM ANALYZE, s", [_fmt_s(results[n].get("analyze_seconds")) for n in names])
    for name in QUERY_SETS:
        row(f"{name}: p50 / p95, ms",
            [_pair(results[n].get("sets", {}).get(name)) for n in names])  # fmt: skip
    row("suggest: p50 / p95, ms", [_pair(results[n].get("suggest")) for n in names])
    row("search page: p50 / p95, ms", [_pair(results[n].get("page")) for n in names])
    row(
        "all queries: p95, ms",
        [
            f"{results[n]['overall_p95']:.0f}" if results[n].get("overall_p95") is not None else "—"
            for n in names
        ],
    )
    row("target p95, ms", [f"< {TARGETS_MS[n]}" for n in names])
    row("verdict", [results[n].get("verdict", "—") for n in names])


def _fmt_s(value):
    return "—" if value is None else f"{value:.1f}"


def _pair(stats):
    if not stats:
        return "—"
    return f"{stats['p50']:.0f} / {stats['p95']:.0f}"


# -- the child: one database ----------------------------------------------------------------


def summary(times, totals=()):
    return {
        "queries": None,
        "runs": len(times),
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "max": max(times),
        "hits": statistics.median(totals) if totals else None,
    }


def prepare_database(database, keep, pages):
    """Point Django at the benchmark database; create it fresh unless a complete one of
    ``pages`` pages is kept from an earlier ``--keep`` run. Returns whether it is reused."""
    return DATABASES.prepare(database, keep, pages)


def mark_built(database, pages):
    """Remember that the archive was written completely (what ``--keep`` reuses)."""
    DATABASES.mark_built(database, pages)


def drop_database(database):
    DATABASES.drop(database)


def run_child(args):
    database = args.db
    reuse = prepare_database(database, args.keep, args.pages)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.chdir(ROOT)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from wagtail.models import Page

    from benchmarks.archive import build_archive, check_tree

    version = (
        f"SQLite {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else "PostgreSQL {}.{}".format(
            *divmod(connection.cursor().connection.info.server_version, 10000)
        )
    )
    print(f"Database: {connection.settings_dict['NAME']} ({version})", flush=True)
    result = {"database": database, "target_ms": TARGETS_MS[database]}

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.monotonic() - started:.1f} s", flush=True)

    if reuse:
        print(f"reusing the database built earlier with {args.pages:,} pages (--keep)")
        result["build_seconds"] = None
    else:
        print(f"writing {args.pages:,} pages…", flush=True)
        built = build_archive(
            args.pages, progress=lambda line: print(line, flush=True),
            progress_every=args.progress_every,
        )  # fmt: skip
        counts = built["counts"]
        print(f"pages written: {built['pages']:,} in {built['seconds']:.1f} s "
              f"({built['pages'] / built['seconds']:,.0f} pages/s) — "
              f"{counts['heroes']:,} heroes, {counts['memorials']:,} memorials, "
              f"{counts['contributions']:,} contributions, {counts['libraries']} libraries, "
              f"{counts['projects']} projects", flush=True)  # fmt: skip
        result["build_seconds"] = built["seconds"]
        if args.keep:
            mark_built(database, built["pages"])
    result["pages"] = Page.objects.count() - 1

    started = time.monotonic()
    problems = check_tree()
    if problems:
        print(f"page tree: {len(problems)} problems, e.g.:", *problems[:5], sep="\n  ")
    else:
        print(f"page tree: sound ({time.monotonic() - started:.1f} s to check)")
    result["tree_problems"] = len(problems)
    result["render"] = check_rendering()

    result["index_seconds"] = None
    if args.skip_index and reuse:
        print("index: kept as it is (--skip-index)")
    else:
        result["index_seconds"] = build_index()
    result["analyze_seconds"] = None if args.no_analyze else analyze_if_needed()

    engine = load_engine()
    if engine is None:
        print("queries skipped: search.engine is not available yet")
    else:
        time_queries(engine, args.rounds, result)
        print_table(result)

    connection.close()
    if args.keep:
        print(f"kept: {DATABASES.where(database)}")
    else:
        drop_database(database)
    Path(args.child).write_text(json.dumps(result))
    return 0


def check_rendering():
    """Generated pages of each kind load as their specific class and render with 200."""
    from django.test import Client

    from wagtail.models import Page

    from memorials.models import HeroIndexPage, HeroPage, MemorialPage
    from network.models import LibraryPage
    from projects.models import ContributionPage

    client = Client()
    figures = {}
    samples = [HeroPage.objects.order_by("-pk").first(), MemorialPage.objects.order_by("-pk").first(),
               ContributionPage.objects.order_by("-pk").first(), LibraryPage.objects.order_by("-pk").first(),
               HeroIndexPage.objects.first()]  # fmt: skip
    specific = Page.objects.filter(pk__in=[p.pk for p in samples if p]).specific()
    assert {type(p) for p in specific} == {type(p) for p in samples if p}, "specific() failed"
    line = []
    for page in samples:
        if page is None:
            continue
        started = time.perf_counter()
        response = client.get(page.url)
        ms = (time.perf_counter() - started) * 1000
        name = type(page).__name__
        figures[name] = {"status": response.status_code, "ms": ms, "url": page.url}
        line.append(f"{name} {response.status_code} ({ms:.0f} ms)")
        if response.status_code != 200:
            print(f"  rendering {page.url} gave {response.status_code}")
    print("rendering: " + ", ".join(line), flush=True)
    return figures


def build_index():
    """Time the full build of the project's search index."""
    try:
        from search.indexing import rebuild_index
    except ImportError:
        print("index skipped: search.indexing.rebuild_index is not available yet")
        return None
    started = time.monotonic()
    last = {"at": started}

    def progress(model, done, total):
        now = time.monotonic()
        if done == total or now - last["at"] >= 10:
            last["at"] = now
            print(f"  index: {model._meta.label} {done:,}/{total:,}  {now - started:6.1f} s",
                  flush=True)  # fmt: skip

    print("building the search index…", flush=True)
    outcome = rebuild_index(progress=progress)
    seconds = time.monotonic() - started
    indexed = outcome[0] if isinstance(outcome, tuple) else outcome
    print(f"index built: {indexed:,} objects in {seconds:.1f} s "
          f"({(indexed or 0) / seconds:,.0f} objects/s)", flush=True)  # fmt: skip
    return seconds


def analyze_if_needed():
    """PostgreSQL: VACUUM ANALYZE the tables nothing has vacuumed or analysed (returns the
    seconds, or None).

    In production autovacuum vacuums and analyses a table soon after a bulk load; where it
    is off (as on this build machine) or has not run yet, the planner takes the freshly
    filled tables for empty ones, and without a visibility map every index-only scan of
    the postings reads the table too: queries take several times as long, some minutes.
    The benchmark measures the steady state, so it does autovacuum's work and names the
    tables that needed it. SQLite is left as it is: nothing analyses there unless the
    application does.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 1000 AND ("
            "(last_analyze IS NULL AND last_autoanalyze IS NULL) OR "
            "(last_vacuum IS NULL AND last_autovacuum IS NULL)) ORDER BY n_live_tup DESC"
        )
        missing = [row[0] for row in cursor.fetchall()]
        if not missing:
            print("statistics and visibility maps: present (VACUUM ANALYZE not needed)")
            return None
        started = time.monotonic()
        cursor.execute("VACUUM ANALYZE")
        seconds = time.monotonic() - started
    print(f"VACUUM ANALYZE: {seconds:.1f} s — never vacuumed or analysed: {', '.join(missing)} "
          f"(autovacuum is {autovacuum} on this server)", flush=True)  # fmt: skip
    return seconds


def load_engine():
    try:
        from search import engine
    except ImportError:
        return None
    return engine


def time_queries(engine, rounds, result):
    from django.test import Client

    from wagtail.models import Locale

    locale = Locale.get_default()
    filters = engine.Filters()

    def search(query):
        return engine.run_search(query, locale=locale, filters=filters, page=1)

    def suggest(prefix):
        return engine.suggest(prefix, locale=locale)

    client = Client()

    def page(query):
        response = client.get(f"/search/?q={quote(query)}")
        assert response.status_code == 200, (query, response.status_code)
        return response

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {QUERY_TIMEOUT_S * 1000}")

    def timed(function, argument):
        started = time.perf_counter()
        try:
            outcome = function(argument)
        except Exception as exc:  # a timeout or an engine error: recorded, not fatal
            outcome = exc
        return (time.perf_counter() - started) * 1000, outcome

    # One warm-up round: the first query of a connection loads dictionaries and caches.
    # A query slower than SLOW_MS here is not repeated: its one time is its figure.
    totals, slow, errors = {}, {}, {}
    started = time.perf_counter()
    for queries in QUERY_SETS.values():
        for query in queries:
            ms, outcome = timed(search, query)
            if isinstance(outcome, Exception):
                errors[query] = f"{type(outcome).__name__}: {str(outcome).splitlines()[0][:120]}"
                slow[query] = ms
                totals[query] = (None, False, None, 0)
                print(f"  «{query}»: {errors[query]} after {ms:.0f} ms", flush=True)
                continue
            if ms > SLOW_MS:
                slow[query] = ms
                print(f"  «{query}»: {ms / 1000:.1f} s — timed once", flush=True)
            totals[query] = (outcome.total, outcome.corrected, outcome.suggestion,
                             len(outcome.hits))  # fmt: skip
    for prefix in SUGGEST_PREFIXES:
        timed(suggest, prefix)
    for query in PAGE_QUERIES:
        timed(page, query)
    print(f"warm-up round: {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)

    times = {name: [] for name in QUERY_SETS}
    per_query = {query: [] for queries in QUERY_SETS.values() for query in queries}
    for name, queries in QUERY_SETS.items():
        for query in queries:
            if query in slow:
                times[name].append(slow[query])
                per_query[query].append(slow[query])
    suggest_times, suggest_counts, page_times = [], {}, []
    for _ in range(rounds):
        for name, queries in QUERY_SETS.items():
            for query in queries:
                if query in slow:
                    continue
                ms, _outcome = timed(search, query)
                times[name].append(ms)
                per_query[query].append(ms)
        for prefix in SUGGEST_PREFIXES:
            ms, outcome = timed(suggest, prefix)
            suggest_counts[prefix] = len(outcome) if isinstance(outcome, list) else str(outcome)
            suggest_times.append(ms)
        for query in PAGE_QUERIES:
            ms, _outcome = timed(page, query)
            page_times.append(ms)

    result["sets"] = {}
    for name, queries in QUERY_SETS.items():
        stats = summary(times[name], [totals[q][0] for q in queries if totals[q][0] is not None])
        stats["queries"] = len(queries)
        result["sets"][name] = stats
    result["per_query"] = {
        query: {
            "median_ms": statistics.median(values),
            "total": totals[query][0],
            "corrected": totals[query][1],
            "suggestion": totals[query][2],
            "hits_shown": totals[query][3],
            "error": errors.get(query),
        }
        for query, values in per_query.items()
    }
    result["suggest"] = summary(suggest_times)
    result["suggest"]["queries"] = len(SUGGEST_PREFIXES)
    result["suggest_counts"] = suggest_counts
    result["page"] = summary(page_times)
    result["page"]["queries"] = len(PAGE_QUERIES)
    everything = [ms for values in times.values() for ms in values]
    result["overall_p95"] = percentile(everything, 95)
    result["verdict"] = "ok" if result["overall_p95"] < TARGETS_MS[result["database"]] else "SLOW"
    result["rounds"] = rounds


def print_table(result):
    label = LABELS[result["database"]]
    print(f"\n{label}, {result['pages']:,} pages, {result['rounds']} round{'s' if result['rounds'] != 1 else ''} after a warm-up "
          f"(run_search: total, facets, 20 hits with snippets):")  # fmt: skip
    print(f"  {'set':<14}{'queries':>8}{'hits (med)':>12}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    rows = [
        *result["sets"].items(),
        ("suggest", result["suggest"]),
        ("search page", result["page"]),
    ]
    for name, stats in rows:
        hits = "" if stats["hits"] is None else f"{stats['hits']:,.0f}"
        print(f"  {name:<14}{stats['queries']:>8}{hits:>12}{stats['p50']:>9.1f}"
              f"{stats['p95']:>9.1f}{stats['max']:>9.1f}")  # fmt: skip
    target = TARGETS_MS[result["database"]]
    print(f"  all run_search queries: p95 {result['overall_p95']:.1f} ms — target < {target} ms: "
          f"{result['verdict']}")  # fmt: skip
    print("\n  per query (median ms, total hits; «→» marks a typo correction):")
    for name, queries in QUERY_SETS.items():
        cells = []
        for query in queries:
            info = result["per_query"][query]
            fixed = f" → {info['suggestion']}" if info["corrected"] else ""
            found = "ERROR" if info["error"] else f"{info['total']:,}"
            cells.append(f"«{query}» {info['median_ms']:.0f} ms, {found}{fixed}")
        print(f"  {name}: " + "; ".join(cells))
    print("  suggest: " + ", ".join(f"«{p}» {n}" for p, n in result["suggest_counts"].items()))
    if result.get("index_seconds") is not None:
        print(f"  index build: {result['index_seconds']:.1f} s")
    if result.get("analyze_seconds") is not None:
        print(f"  VACUUM ANALYZE after the index build: {result['analyze_seconds']:.1f} s")
    if result.get("build_seconds") is not None:
        print(f"  page writing: {result['build_seconds']:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
