"""A bounded load test on loopback: ``make loadtest``.

    make loadtest                                 # or: .venv/bin/python benchmarks/loadtest/run.py
    make loadtest LOADTEST_USERS=100 LOADTEST_SECONDS=120 LOADTEST_DB=sqlite

50 locust users (``LOADTEST_USERS``), started 10 a second (``LOADTEST_SPAWN_RATE``), browse
for 60 s (``LOADTEST_SECONDS``) the site served as production serves it — gunicorn
(``BENCH_WORKERS`` workers, 3 sync by default, as ``make bench``), ``settings.production``,
whitenoise, the anonymous page cache on (``PAGE_CACHE_SECONDS=600``) in Redis
(``LOADTEST_REDIS_URL``, redis://127.0.0.1:6379/6, flushed before; a throw-away
redis-server when nothing answers there). Locust runs headless in its own process with
its gevent client (``FastHttpUser``): 50 users cost it a fraction of a core.

Each user opens a page drawn by weight from these groups, then reads it 0.5–2 s
(``LOADTEST_WAIT``; ``0`` for none: a closed loop at full speed) — by ``WEIGHTS``, which
``LOADTEST_WEIGHTS`` changes (``search=0,suggest=0``: no searches) —: heroes, memorials,
contributions, projects, libraries and the library directory, the home page, the Book of
Memory (its pages, letters and a surname filter), the memorial map page and its list, the
map's GeoJSON, searches and search suggestions. The addresses are drawn from the archive
in the database before the server starts (``LOADTEST_SEED``): random live pages of each
type, the commonest surnames and some settlements for the searches. Each address is
requested once before the test (``LOADTEST_WARM=0`` skips it), as on a site that has had
visitors: the page cache holds what has been visited.

The archive: the one ``make bench`` keeps (``bench_pages.py``), PostgreSQL's if there is one,
else SQLite's (``LOADTEST_DB=sqlite|postgres`` chooses). If none is kept, one of 11,000 pages
is written first (a minute or two), not the 110,000 of ``make bench`` (``LOADTEST_PAGES``
sets the size, and then that archive is used or written).

Prints locust's summary, then requests, errors, requests/s and p50/p95/p99 per group and in
total, and every error. Exit status 1 if any request failed (the goal: none).
"""

import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT)]  # run as a script: ``benchmarks`` is importable from the root

from benchmarks.bench_pages import (  # noqa: E402
    DATABASES,
    SQLITE_DIR,
    archive_counts,
    prepare_archive,
)
from benchmarks.common import (  # noqa: E402
    LABELS,
    Processes,
    Server,
    collect_static,
    database_version,
    fetch,
    flush_redis,
    free_port,
    gunicorn_command,
    production_environment,
    redis_for_benchmark,
)

DEFAULT_BUILD_PAGES = 11_000
PAGE_CACHE_SECONDS = 600
# What visitors open, by weight: mostly the Book of Memory and memorials (9 May).
WEIGHTS = {
    "hero": 28,
    "book of memory": 10,
    "memorial": 14,
    "memorial map page": 4,
    "map GeoJSON": 4,
    "contribution": 10,
    "project": 5,
    "library": 5,
    "home": 8,
    "search": 8,
    "suggest": 4,
}
SAMPLES = {"hero": 200, "memorial": 60, "contribution": 40, "library": 20}


def env_int(name, default):
    return int(os.environ.get(name) or default)


def weights_from(text, defaults=WEIGHTS):
    """``WEIGHTS`` with ``LOADTEST_WEIGHTS``' changes, e.g. ``"search=0,hero=40"``."""
    weights = dict(defaults)
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        group, _, value = item.partition("=")
        if group.strip() not in weights or not value.strip().isdigit():
            sys.exit(f"LOADTEST_WEIGHTS: «{item}» is not group=integer ({', '.join(weights)})")
        weights[group.strip()] = int(value)
    return weights


def choose_archive():
    """``(database, pages)``: the kept bench archive to use, or the one to write."""
    choice = os.environ.get("LOADTEST_DB") or "auto"
    if choice not in ("auto", "sqlite", "postgres"):
        sys.exit(f"LOADTEST_DB={choice}: sqlite, postgres or auto")
    candidates = ["postgres", "sqlite"] if choice == "auto" else [choice]
    if DATABASES.postgres_reachable():
        if choice == "postgres":
            sys.exit(f"PostgreSQL is not reachable at {DATABASES.admin_dsn()}")
        candidates = [c for c in candidates if c != "postgres"]
    wanted = os.environ.get("LOADTEST_PAGES")
    if wanted:
        return candidates[0], int(wanted)
    for database in candidates:
        built = DATABASES.built_pages(database)
        if built:
            return database, built
    return candidates[0], DEFAULT_BUILD_PAGES


def discover(seed):
    """The addresses of each group, drawn from the database (Django set up)."""
    from django.db.models import Count

    from wagtail.models import Locale, Page

    from home.models import HomePage
    from memorials.models import HeroIndexPage, HeroPage, MemorialIndexPage, MemorialPage
    from network.models import LibraryIndexPage, LibraryPage
    from projects.models import ContributionPage, ProjectPage

    rng = random.Random(seed)
    locale = Locale.get_default()

    def live(model):
        return model.objects.live().public().filter(locale=locale)

    def sample(model, n):
        ids = sorted(live(model).values_list("pk", flat=True))
        chosen = rng.sample(ids, min(n, len(ids)))
        return [page.url for page in Page.objects.filter(pk__in=chosen).order_by("path")]

    def urls(queryset):
        return [page.url for page in queryset]

    surnames = [
        row["last_name"]
        for row in live(HeroPage)
        .values("last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_name")[:6]
    ]
    heroes = sorted(live(HeroPage).values_list("pk", flat=True))
    some_heroes = HeroPage.objects.filter(pk__in=rng.sample(heroes, min(4, len(heroes))))
    settlements = sorted(
        {m.settlement for m in live(MemorialPage).order_by("path")[:200] if m.settlement}
    )
    words = [
        *surnames,
        *(f"{h.last_name} {h.first_name}".strip() for h in some_heroes),
        *rng.sample(settlements, min(4, len(settlements))),
    ]
    book = live(HeroIndexPage).order_by("path").first()
    book_urls = []
    if book:
        letters = sorted({s[0] for s in surnames if s})
        book_urls = [book.url]
        book_urls += [f"{book.url}?{urlencode({'page': n})}" for n in (2, 3, 10, 50)]
        book_urls += [f"{book.url}?{urlencode({'letter': letter})}" for letter in letters]
        book_urls += [f"{book.url}?{urlencode({'q': surname})}" for surname in surnames[:3]]
    maps = urls(live(MemorialIndexPage).order_by("path"))
    maps += [f"{url}?{urlencode({'page': 2})}" for url in maps[:1]]
    groups = {
        "hero": sample(HeroPage, SAMPLES["hero"]),
        "book of memory": book_urls,
        "memorial": sample(MemorialPage, SAMPLES["memorial"]),
        "memorial map page": maps,
        "map GeoJSON": ["/api/memorials.geojson"],
        "contribution": sample(ContributionPage, SAMPLES["contribution"]),
        "project": urls(live(ProjectPage).order_by("path")),
        "library": sample(LibraryPage, SAMPLES["library"])
        + urls(live(LibraryIndexPage).order_by("path")),
        "home": urls(live(HomePage).order_by("path")[:1]),
        "search": ["/search/?" + urlencode({"q": word}) for word in words],
        "suggest": [
            "/search/suggest/?" + urlencode({"q": word[:4]})
            for word in [*surnames, *settlements[:3]]
        ],
    }
    return groups


def warm(base, groups, workers):
    """One request per address: the page cache holds what visitors have seen. Searches
    first: a search may change what the cache holds (it records the query)."""
    order = sorted(groups, key=lambda group: group not in ("search", "suggest"))
    everything = [base + url for group in order for url in groups[group]]
    with ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(lambda url: (url, fetch(url)[0]), everything))
    return [(url, status) for url, status in statuses if status != 200]


def read_stats(prefix):
    """locust's ``_stats.csv`` rows by name, and its failures."""
    stats = {}
    path = Path(f"{prefix}_stats.csv")
    if path.exists():
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                stats[row["Name"]] = row
    failures = []
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with path.open(newline="") as handle:
            failures = list(csv.DictReader(handle))
    return stats, failures


def format_stats(stats, hits=None):
    """The table of groups and the total (lines); ``hits``: the page cache's answers per
    group (``{"answered": {group: n}, "cached": {group: n}}``) for the last column."""
    answered = (hits or {}).get("answered", {})
    cached = (hits or {}).get("cached", {})
    header = (f"  {'group':<18}{'requests':>9}{'errors':>8}{'req/s':>8}"
              f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'cached':>8}")  # fmt: skip
    lines = [header, "  " + "-" * (len(header) - 2)]

    def share(names):
        total = sum(answered.get(name, 0) for name in names)
        return f"{sum(cached.get(n, 0) for n in names) / total * 100:.0f} %" if total else "—"

    def row(label, data, names):
        def ms(key):
            value = data.get(key) or "N/A"
            return value if value == "N/A" else f"{float(value):.0f}"

        return (f"  {label:<18}{int(data['Request Count']):>9}{int(data['Failure Count']):>8}"
                f"{float(data['Requests/s']):>8.1f}{ms('50%'):>8}{ms('95%'):>8}{ms('99%'):>8}"
                f"{ms('Max Response Time'):>8}{share(names):>8}")  # fmt: skip

    names = [*WEIGHTS, *sorted(set(stats) - set(WEIGHTS) - {"Aggregated"})]
    for name in names:
        if name in stats:
            lines.append(row(name, stats[name], [name]))
    if "Aggregated" in stats:
        lines.append("  " + "-" * (len(header) - 2))
        lines.append(row("total", stats["Aggregated"], names))
    lines.append("  cached: answers the page cache served (X-Page-Cache: hit), of the 200s")
    return lines


def main():
    if not shutil.which("locust", path=str(Path(sys.executable).parent)):
        sys.exit("locust is missing: `make install-dev` installs it (the dev dependencies).")
    users = env_int("LOADTEST_USERS", 50)
    seconds = env_int("LOADTEST_SECONDS", 60)
    spawn_rate = float(os.environ.get("LOADTEST_SPAWN_RATE") or 10)
    wait = os.environ.get("LOADTEST_WAIT") or "0.5-2"
    workers = env_int("BENCH_WORKERS", 3)
    redis_wanted = os.environ.get("LOADTEST_REDIS_URL") or "redis://127.0.0.1:6379/6"
    started = time.monotonic()

    database, pages = choose_archive()
    print(f"=== Load test: {LABELS[database]} archive of {pages:,} pages ===", flush=True)
    timings = prepare_archive(database, pages)
    from django.db import connection

    version = database_version()
    counts = archive_counts()
    groups = discover(env_int("LOADTEST_SEED", 2026))
    connection.close()
    print("addresses: " + ", ".join(f"{g} {len(u)}" for g, u in groups.items()), flush=True)

    workdir = SQLITE_DIR
    workdir.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="letopis-loadtest-"))
    urls_file = out / "urls.json"
    chosen = weights_from(os.environ.get("LOADTEST_WEIGHTS"))
    groups = {group: urls for group, urls in groups.items() if chosen[group] > 0}
    weights = {group: chosen[group] for group in groups}
    urls_file.write_text(json.dumps({"weights": weights, "groups": groups}, ensure_ascii=False))

    processes = Processes()
    code = 1
    try:
        redis_url = redis_for_benchmark(redis_wanted, processes, workdir)
        if redis_url is None:
            sys.exit(f"No Redis at {redis_wanted} and no redis-server to start.")
        flush_redis(redis_url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = production_environment(base, DATABASES.url(database), workdir, redis_url,
                                     PAGE_CACHE_SECONDS=PAGE_CACHE_SECONDS)  # fmt: skip
        step = time.monotonic()
        if not collect_static(env, workdir / "static"):
            print("static files: collected already", flush=True)
        timings["collectstatic"] = time.monotonic() - step
        server = Server(processes, env, port, workdir / "server-loadtest.log",
                        gunicorn_command(port, workers)).start()  # fmt: skip
        print(f"gunicorn ({workers} sync workers) on {base}, PAGE_CACHE_SECONDS="
              f"{PAGE_CACHE_SECONDS}, Redis {redis_url}", flush=True)  # fmt: skip
        if os.environ.get("LOADTEST_WARM", "1") != "0":
            step = time.monotonic()
            bad = warm(base, groups, workers)
            timings["warm-up"] = time.monotonic() - step
            print(f"warm-up: {sum(map(len, groups.values()))} addresses in "
                  f"{timings['warm-up']:.0f} s", flush=True)  # fmt: skip
            for url, status in bad:
                print(f"  warm-up: {status} at {url}")

        prefix = out / "loadtest"
        command = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
                   "--headless", "--users", str(users), "--spawn-rate", str(spawn_rate),
                   "--run-time", f"{seconds}s", "--host", base, "--csv", str(prefix),
                   "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"]  # fmt: skip
        print(f"\nlocust: {users} users, {spawn_rate:g} new a second, {seconds} s, "
              f"think time {wait} s\n", flush=True)  # fmt: skip
        step = time.monotonic()
        hits_file = out / "cache-hits.json"
        locust_env = {**os.environ, "LOADTEST_URLS": str(urls_file), "LOADTEST_WAIT": wait,
                      "LOADTEST_HITS": str(hits_file)}  # fmt: skip
        locust = subprocess.run(command, cwd=out, env=locust_env)
        timings["locust"] = time.monotonic() - step
        stats, failures = read_stats(prefix)
        hits = json.loads(hits_file.read_text()) if hits_file.exists() else {}
        server.stop()
    finally:
        processes.stop()

    print(f"\n{LABELS[database]} ({version}), {pages:,} pages: {counts['contributions']:,} "
          f"contributions, {counts['memorials']:,} memorials, {counts['heroes']:,} heroes; "
          f"gunicorn {workers} sync workers, page cache in Redis; locust {users} users for "
          f"{seconds} s, think time {wait} s; {os.cpu_count()} CPUs shared by both")  # fmt: skip
    print("\n".join(format_stats(stats, hits)))
    total = stats.get("Aggregated")
    errors = int(total["Failure Count"]) if total else None
    if failures:
        print("\nerrors:")
        for failure in failures:
            print(f"  {failure['Occurrences']:>6} × {failure['Name']}: {failure['Error']}")
    if errors is None:
        print("\nlocust wrote no statistics: the test did not run")
    elif errors:
        print(f"\n{errors} of {int(total['Request Count']):,} requests failed (goal: none)")
        print(f"the server's log, its end ({server.log}):\n" + server.log_tail(2000))
    else:
        print(f"\nerrors: none of {int(total['Request Count']):,} requests (goal: none)")
        code = 0 if locust.returncode == 0 else 1
    timings["all"] = time.monotonic() - started
    print("times: " + ", ".join(f"{name} {value:.0f} s" for name, value in timings.items()))
    print(f"locust's CSV files: {out}")
    return code


if __name__ == "__main__":
    sys.exit(main())
