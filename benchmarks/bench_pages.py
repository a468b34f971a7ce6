"""Throughput and latency of the public pages through gunicorn, cold and cached, against a
static file served by the same server: ``make bench``.

    make bench                                   # or: .venv/bin/python benchmarks/bench_pages.py
    make bench BENCH_PAGES=11000 BENCH_SECONDS=3 BENCH_DB=sqlite    # a quick look
    .venv/bin/python benchmarks/bench_pages.py --fresh              # rebuild the archives

For each database (SQLite, PostgreSQL): writes the deterministic archive of ``archive.py``
(110,000 pages: 5,500 memorials, 2,200 contributions, 102,000+ heroes, 132 libraries,
10 projects), builds the search index (``bench_search.build_index``; on PostgreSQL then
VACUUM ANALYZE as autovacuum would, ``bench_search.analyze_if_needed``) and keeps the
database, keyed by its size: a rerun with as many pages skips the minutes of generation
(``--fresh`` rebuilds). Then picks the measured addresses from the database — the home page,
the project with the most contributions, a contribution, a memorial bearing heroes' names,
a hero on a memorial, the map's GeoJSON (``/api/memorials.geojson``) and the search page for
the commonest surname of the Book of Memory — collects the static files and serves the site
as production does (``settings.production``: DEBUG off, gunicorn, whitenoise with hashed
static files, Redis) twice:

- **cold**: ``PAGE_CACHE_SECONDS=0`` — no page cache, every request renders the page. Each
  worker has served the address before timing (templates compiled, database and OS caches
  warm): what is measured is rendering, not a first visit to a cold machine.
- **cached**: ``PAGE_CACHE_SECONDS=600`` with Redis (``BENCH_REDIS_URL``, a spare database
  of the local server, flushed before), after the same warm-up (its first request fills
  the cache). Without the anonymous page cache (``home/page_cache.py``) it equals cold.

The site's stylesheet (``/static/css/letopis.[hash].css``, whitenoise) is the ceiling of what
this server can answer: it is timed (for half of ``BENCH_SECONDS``) just before each page, and
the page's throughput is given as a percentage of that run's — paired, because whatever else
runs on the machine changes from minute to minute. The goal: cached pages at ≥ 50 % of it.

**Load generator: ApacheBench** (``ab``, Debian's apache2-utils; ``make bench`` installs it).
On a 2-core machine the client competes with the server for the CPU: ab is one C thread on
an event loop that spends a few microseconds per request, so nearly all the CPU goes to
gunicorn — a Python client (locust, which ``make loadtest`` uses for a realistic mix) costs
about as much per request as whitenoise itself and would cap the static ceiling. ab runs
a fixed concurrency (``BENCH_CONCURRENCY``, default 4: two requests queued per core, enough to
keep every worker busy without measuring only the queue) for a fixed time per address
(``BENCH_SECONDS``, default 10), asks for keep-alive (``-k``; gunicorn's sync workers close
the connection anyway, so each request pays a loopback connect, as behind a proxy that does
not pool connections), accepts pages of varying length (``-l``), and writes every
percentile (``-e``), whose 50th and 95th are reported. Like a browser, every client here
sends ``Accept-Encoding: gzip, deflate, br`` (``common.BROWSER_HEADERS``): whitenoise answers
with the compressed file, the map's GeoJSON comes gzipped. Any answer but 200 counts as an error
(ab's non-2xx and failed requests; a 3xx is an error too) and is printed.

**Server**: gunicorn with 3 sync workers (``BENCH_WORKERS``, ``BENCH_WORKER_CLASS``,
``BENCH_THREADS``), as ``make serve`` runs it. Rendering and whitenoise are CPU-bound Python,
so 2 cores need 2 busy processes; the third keeps a core busy while another waits on the
database or Redis. gthread workers add keep-alive, but their threads share one GIL per
process: on this machine (3 interleaved rounds, 4 s each) 2 workers × 4 threads served the
static file about as fast (1,900–3,400 req/s against 2,700–3,200) and cached pages 30–50 %
slower (960–1,250 req/s against 1,490–2,390); 3 × 2 threads and 2 sync workers fell between.

Databases: SQLite in ``/tmp/letopis-bench-pages/`` (``BENCH_PAGES_SQLITE_DIR``; the collected
static files and the server logs go there too), PostgreSQL ``letopis_bench`` on
127.0.0.1:5432 as user postgres (``BENCH_PAGES_POSTGRES_URL``), created by the benchmark and
kept; skipped with a message when the server is not reachable. Other knobs: ``BENCH_PAGES``
(110000), ``BENCH_DB`` (sqlite|postgres|both), ``BENCH_SECONDS``, ``BENCH_CONCURRENCY``,
``BENCH_WORKERS``, ``BENCH_REDIS_URL`` (redis://127.0.0.1:6379/5; a throw-away redis-server
is started when nothing answers there). Exit status 1 when a database's run failed or any
request got an error.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]  # run as a script: ``benchmarks`` is importable from the root

from benchmarks.common import (  # noqa: E402
    BROWSER_HEADERS,
    LABELS,
    BenchDatabases,
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
    setup_django,
    warm_up,
)

SQLITE_DIR = Path(os.environ.get("BENCH_PAGES_SQLITE_DIR", "/tmp/letopis-bench-pages"))
POSTGRES_URL = os.environ.get(
    "BENCH_PAGES_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/letopis_bench"
)
DATABASES = BenchDatabases(SQLITE_DIR, POSTGRES_URL)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
MODES = {"cold": 0, "cached": 600}  # PAGE_CACHE_SECONDS
STATIC_FILE = "css/letopis.css"
GOAL_PERCENT = 50
ERROR_KINDS = ["connect", "receive", "length", "exceptions"]  # ab's "Failed requests"
PAGE_NAMES = ["home", "project", "contribution", "memorial", "hero", "map GeoJSON", "search"]


def env_int(name, default):
    return int(os.environ.get(name) or default)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=env_int("BENCH_PAGES", 110_000))
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres", "both"],
        default=os.environ.get("BENCH_DB") or "both",
    )
    parser.add_argument("--seconds", type=int, default=env_int("BENCH_SECONDS", 10),
                        help="timed seconds per address and mode")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=env_int("BENCH_CONCURRENCY", 4))
    parser.add_argument("--workers", type=int, default=env_int("BENCH_WORKERS", 3))
    parser.add_argument("--worker-class", choices=["sync", "gthread"],
                        default=os.environ.get("BENCH_WORKER_CLASS") or "sync")  # fmt: skip
    parser.add_argument("--threads", type=int, default=env_int("BENCH_THREADS", 4),
                        help="threads per gthread worker")  # fmt: skip
    parser.add_argument("--fresh", action="store_true",
                        help="rebuild the archive even if one of this size is kept")  # fmt: skip
    parser.add_argument("--progress-every", type=int, default=10_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the JSON file a child writes
    return parser.parse_args()


# -- the parent: one child process per database ---------------------------------------------


def main():
    args = parse_args()
    if args.child:
        return run_child(args)
    if not shutil.which("ab"):
        sys.exit("ApacheBench (ab) is missing: `make bench` installs it (Debian's apache2-utils).")
    started = time.monotonic()
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results, failures = [], []
    for database in databases:
        print(f"\n=== {LABELS[database]}: {args.pages:,} pages ===", flush=True)
        if database == "postgres":
            problem = DATABASES.postgres_reachable()
            if problem:
                print(f"PostgreSQL skipped: not reachable at {DATABASES.admin_dsn()} ({problem})")
                continue
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            result_file = Path(out.name)
        command = [sys.executable, __file__, "--db", database, "--child", str(result_file),
                   "--pages", str(args.pages), "--seconds", str(args.seconds),
                   "--concurrency", str(args.concurrency), "--workers", str(args.workers),
                   "--worker-class", args.worker_class, "--threads", str(args.threads),
                   "--progress-every", str(args.progress_every)]  # fmt: skip
        if args.fresh:
            command.append("--fresh")
        code = subprocess.call(command, cwd=ROOT)
        text = result_file.read_text() if result_file.exists() else ""
        result_file.unlink(missing_ok=True)
        if code != 0 or not text:
            print(f"{LABELS[database]}: the benchmark failed (exit code {code})")
            failures.append(database)
            continue
        results.append(json.loads(text))
    if results:
        print("\n=== Results ===")
        for result in results:
            print()
            print("\n".join(format_table(result)))
    print(f"\n{time.monotonic() - started:.0f} s in all")
    errors = sum(row["errors"] for result in results for row in result_rows(result))
    return 1 if failures or errors else 0


# -- ab -------------------------------------------------------------------------------------


def ab_command(url, seconds, concurrency, csv_path):
    # -t before -n: ab's -t sets the request count to 50,000, -n after it raises it so the
    # time limit is what ends the run (ab sizes its table of timings on -n).
    headers = [arg for name, value in BROWSER_HEADERS.items() for arg in ("-H", f"{name}: {value}")]
    return ["ab", "-q", "-r", "-k", "-l", "-c", str(concurrency), "-t", str(seconds),
            "-n", str(max(50_000, seconds * 20_000)), "-s", "60", "-e", str(csv_path),
            *headers, url]  # fmt: skip


def _number(pattern, text, cast=float, default=None):
    match = re.search(pattern, text, re.MULTILINE)
    return cast(match.group(1)) if match else default


def parse_ab(output, percentiles_csv):
    """ab's figures: requests, req/s, p50 and p95 (ms) and the errors, from its report and
    its ``-e`` file (``percent,ms`` lines for 0…99)."""
    percents = {}
    for line in percentiles_csv.splitlines()[1:]:
        percent, _, ms = line.partition(",")
        if percent.strip().isdigit() and ms.strip():
            percents[int(percent)] = float(ms)
    # The report's own table (whole ms) is right where the -e file is not: with a handful of
    # requests (a page of seconds) ab reads the high percentiles past its last timing, as 0.
    table = {
        int(percent): float(ms)
        for percent, ms in re.findall(r"^\s*(\d+)%\s+(\d+)", output, re.MULTILINE)
    }
    for percent in (50, 95):
        lower = percents.get(50, 0.0) if percent == 95 else 0.0
        if percent in table and (percents.get(percent) or 0.0) <= lower and table[percent]:
            percents[percent] = table[percent]
    failed = _number(r"^Failed requests:\s+(\d+)", output, int, 0)
    non_2xx = _number(r"^Non-2xx responses:\s+(\d+)", output, int, 0)
    detail = re.search(r"^\s+\(Connect: (\d+), Receive: (\d+), Length: (\d+), Exceptions: (\d+)\)",
                       output, re.MULTILINE)  # fmt: skip
    return {
        "requests": _number(r"^Complete requests:\s+(\d+)", output, int, 0),
        "rps": _number(r"^Requests per second:\s+([\d.]+)", output, float, 0.0),
        "p50": percents.get(50),
        "p95": percents.get(95),
        "failed": failed,
        "failed_detail": (
            dict(zip(ERROR_KINDS, map(int, detail.groups()), strict=True)) if detail else {}
        ),
        "non_2xx": non_2xx,
        "errors": failed + non_2xx,
        "bytes": _number(r"^Document Length:\s+(\d+) bytes", output, int),
    }


def run_ab(url, seconds, concurrency, workdir):
    csv_path = Path(workdir) / "ab-percentiles.csv"
    csv_path.unlink(missing_ok=True)
    done = subprocess.run(
        ab_command(url, seconds, concurrency, csv_path), capture_output=True, text=True
    )
    figures = parse_ab(done.stdout, csv_path.read_text() if csv_path.exists() else "")
    if done.returncode != 0 or not figures["requests"]:
        # ab gave up (e.g. every connection refused): the whole run is one error.
        figures["errors"] = max(figures["errors"], 1)
        figures["ab_error"] = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
    return figures


# -- the table ------------------------------------------------------------------------------


def result_rows(result):
    for mode in result["modes"].values():
        yield mode["static"]
        yield from mode["pages"].values()


def format_table(result):
    """The printed table of one database's run (a list of lines)."""
    modes = result["modes"]
    counts = result["counts"]
    server = result["server"]
    lines = [
        f"{LABELS[result['database']]} ({result['version']}), {result['pages']:,} pages: "
        f"{counts['contributions']:,} contributions, {counts['memorials']:,} memorials, "
        f"{counts['heroes']:,} heroes",
        f"gunicorn {server['workers']} {server['worker_class']} workers"
        + (f" × {server['threads']} threads" if server["worker_class"] == "gthread" else "")
        + f"; ab -k -c {result['concurrency']}, {result['seconds']} s per row; "
        f"{result['cpus']} CPUs shared by client and server",
    ]
    header = f"  {'page':<14}{'mode':<8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'% static':>10}"
    lines += [header, "  " + "-" * (len(header) - 2)]

    def row(name, mode, figures, static_rps):
        static_rps = figures.get("static_rps", static_rps)  # the static run paired with it
        share = f"{figures['rps'] / static_rps * 100:.0f} %" if static_rps else "—"
        p50 = "—" if figures["p50"] is None else f"{figures['p50']:.1f}"
        p95 = "—" if figures["p95"] is None else f"{figures['p95']:.1f}"
        return (f"  {name:<14}{mode:<8}{figures['rps']:>9.1f}{p50:>9}{p95:>9}"
                f"{figures['errors']:>8}{share:>10}")  # fmt: skip

    for mode, run in modes.items():
        lines.append(row("static file", mode, run["static"], run["static"]["rps"]))
    for name in PAGE_NAMES:
        for mode, run in modes.items():
            if name in run["pages"]:
                lines.append(row(name, mode, run["pages"][name], run["static"]["rps"]))
    lines.append("  " + "-" * (len(header) - 2))
    if "cached" in modes:
        run = modes["cached"]
        shares = {}
        for name, figures in run["pages"].items():
            static_rps = figures.get("static_rps", run["static"]["rps"])
            shares[name] = figures["rps"] / static_rps * 100 if static_rps else 0
        met = [name for name, share in shares.items() if share >= GOAL_PERCENT]
        lowest = min(shares, key=shares.get) if shares else None
        verdict = "met" if len(met) == len(shares) else "NOT met"
        lines.append(
            f"  goal — cached pages ≥ {GOAL_PERCENT} % of the static file: {verdict} "
            f"({len(met)} of {len(shares)}"
            + (f"; lowest {lowest} {shares[lowest]:.0f} %" if lowest else "")
            + ")"
        )
    lines += [
        "  cold: PAGE_CACHE_SECONDS=0, every request renders the page (no page cache; database",
        "        and OS caches warm, each worker served the address before timing)",
        "  cached: PAGE_CACHE_SECONDS=600, Redis flushed before, warmed up the same way",
        "  static file: whitenoise, the same server, timed for half as long just before each",
        "        page (mean req/s, median p50/p95 of those runs); % static = the page's req/s",
        "        ÷ the static file's req/s just before it (the pair shares the machine's load)",
        "  addresses: "
        + ", ".join(
            f"{name} {url}"
            + (f" ({result['notes'][name]})" if name in result.get("notes", {}) else "")
            for name, url in result["urls"].items()
        ),
    ]
    timings = result.get("timings", {})
    if timings:
        lines.append(
            "  times: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
        )
    return lines


# -- the child: one database ----------------------------------------------------------------


def prepare_archive(database, pages, fresh=False, progress_every=10_000):
    """Connect this process's Django to the kept benchmark ``database`` holding an archive of
    ``pages`` pages, writing and indexing it first if there is none. Returns the timings."""
    from benchmarks.bench_search import analyze_if_needed, build_index

    reuse = DATABASES.prepare(database, keep=not fresh, pages=pages)
    setup_django()
    from django.core.management import call_command

    from benchmarks.archive import build_archive

    print(f"Database: {DATABASES.where(database)} ({database_version()})", flush=True)
    timings = {}
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.monotonic() - started:.1f} s", flush=True)
    if reuse:
        print(f"reusing the archive of {pages:,} pages built by an earlier run", flush=True)
    else:
        print(f"writing {pages:,} pages…", flush=True)
        built = build_archive(
            pages, progress=lambda line: print(line, flush=True), progress_every=progress_every
        )
        timings["generation"] = built["seconds"]
        print(f"pages written in {built['seconds']:.1f} s", flush=True)
        index_seconds = build_index()
        if index_seconds is not None:
            timings["index"] = index_seconds
    analyze_seconds = analyze_if_needed()
    if analyze_seconds is not None:
        timings["VACUUM ANALYZE"] = analyze_seconds
    if not reuse:
        DATABASES.mark_built(database, pages)
    return timings


def archive_counts():
    from memorials.models import HeroPage, MemorialPage
    from projects.models import ContributionPage

    return {
        "contributions": ContributionPage.objects.live().count(),
        "memorials": MemorialPage.objects.live().count(),
        "heroes": HeroPage.objects.live().count(),
    }


def common_surname():
    """The surname most heroes of the archive bear."""
    from django.db.models import Count

    from memorials.models import HeroPage

    row = (
        HeroPage.objects.live()
        .values("last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_name")
        .first()
    )
    return row["last_name"] if row else "Иванов"


def pick_urls():
    """The measured addresses, chosen from the database the same way on every run."""
    from django.db.models import Count

    from wagtail.models import Locale

    from home.models import HomePage
    from memorials.models import HeroPage, MemorialPage
    from projects.models import ContributionPage, ProjectPage

    locale = Locale.get_default()

    def live(model):
        return model.objects.live().public().filter(locale=locale)

    pages = {
        "home": live(HomePage).order_by("path").first(),
        "project": live(ProjectPage)
        .annotate(n=Count("contribution_pages"))
        .order_by("-n", "path")
        .first(),
        "contribution": live(ContributionPage).order_by("path").first(),
        "memorial": live(MemorialPage)
        .filter(hero_links__isnull=False)
        .distinct()
        .order_by("path")
        .first(),
        "hero": live(HeroPage).filter(memorial_links__isnull=False).order_by("path").first(),
    }
    missing = [name for name, page in pages.items() if page is None]
    if missing:
        sys.exit(f"the archive has no page for: {', '.join(missing)}")
    urls = {name: page.url for name, page in pages.items()}
    urls["map GeoJSON"] = "/api/memorials.geojson"
    urls["search"] = "/search/?" + urlencode({"q": common_surname()})
    return urls


def describe_urls(urls):
    """What the chosen pages show, for the table's legend: their list sizes."""
    from memorials.models import HeroPage, MemorialPage
    from projects.models import ContributionPage

    project = urls["project"]
    memorial = MemorialPage.objects.live().get(url_path__endswith=urls["memorial"])
    return {
        "project": f"{ContributionPage.objects.live().filter(project__url_path__endswith=project).count()} contributions",
        "memorial": f"{memorial.hero_links.count()} heroes",
        "hero": f"{HeroPage.objects.live().get(url_path__endswith=urls['hero']).memorial_links.count()} memorials",
        "search": f"«{common_surname()}»",
    }


def static_url(static_root):
    manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][STATIC_FILE]


def run_child(args):
    database = args.db
    child_started = time.monotonic()
    timings = prepare_archive(database, args.pages, args.fresh, args.progress_every)
    from django.db import connection

    result = {
        "database": database,
        "version": database_version(),
        "pages": args.pages,
        "counts": archive_counts(),
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "cpus": os.cpu_count(),
        "server": {
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads,
        },
    }
    urls = pick_urls()
    try:
        result["notes"] = describe_urls(urls)
    except Exception as exc:  # only the legend's detail: never worth the run
        print(f"(the chosen pages could not be described: {exc})")
    connection.close()

    workdir = SQLITE_DIR
    workdir.mkdir(parents=True, exist_ok=True)
    processes = Processes()
    try:
        redis_url = redis_for_benchmark(REDIS_URL, processes, workdir)
        if redis_url is None:
            sys.exit(f"No Redis at {REDIS_URL} and no redis-server to start: install redis-server.")
        if redis_url != REDIS_URL:
            print(f"No Redis at {REDIS_URL}: a throw-away redis-server at {redis_url}")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        database_url = DATABASES.url(database)
        env = production_environment(base, database_url, workdir, redis_url)
        started = time.monotonic()
        if not collect_static(env, workdir / "static"):
            print("static files: collected already", flush=True)
        timings["collectstatic"] = time.monotonic() - started
        urls = {"static file": static_url(workdir / "static"), **urls}
        result["urls"] = {name: url for name, url in urls.items() if name != "static file"}
        result["static_url"] = urls["static file"]
        result["modes"] = {}
        for mode, cache_seconds in MODES.items():
            started = time.monotonic()
            flush_redis(redis_url)
            env = production_environment(
                base, database_url, workdir, redis_url, PAGE_CACHE_SECONDS=cache_seconds
            )
            command = gunicorn_command(port, args.workers, args.worker_class, args.threads)
            server = Server(
                processes, env, port, workdir / f"server-{database}-{mode}.log", command
            )
            print(f"\n{mode}: gunicorn on {base}, PAGE_CACHE_SECONDS={cache_seconds}", flush=True)
            server.start()
            try:
                result["modes"][mode] = measure(server, urls, args, workdir)
            finally:
                server.stop()
            timings[f"{mode} run"] = time.monotonic() - started
    finally:
        processes.stop()
    timings["all"] = time.monotonic() - child_started
    result["timings"] = timings
    print()
    print("\n".join(format_table(result)), flush=True)
    Path(args.child).write_text(json.dumps(result))
    return 0


def measure(server, urls, args, workdir):
    """Warm every address up, then time each with ab, each page right after the static
    file (for half as long): the pair shares the machine's load of the moment."""
    run = {"pages": {}}
    static = server.base + urls["static file"]
    statuses = warm_up(static, args.workers)
    if any(status != 200 for status in statuses):
        print(f"  static file: NON-200 in warm-up: {sorted(set(statuses))}")
    samples = []
    for name, path in urls.items():
        if name == "static file":
            continue
        url = server.base + path
        statuses = warm_up(url, args.workers)
        status, headers, body = fetch(url)
        bad = sorted({s for s in [*statuses, status] if s != 200})
        cache_headers = "; ".join(
            f"{key}: {value}"
            for key, value in headers.items()
            if key.lower() in ("cache-control", "age", "x-cache", "x-page-cache", "etag")
        )
        reference = run_ab(static, max(1, args.seconds // 2), args.concurrency, workdir)
        report_errors("static file", urls["static file"], reference, server)
        samples.append(reference)
        figures = run_ab(url, args.seconds, args.concurrency, workdir)
        figures["url"] = path
        figures["static_rps"] = reference["rps"]
        note = f"  NON-200 in warm-up: {bad}" if bad else ""
        print(f"  {name:<13} {figures['rps']:>8.1f} req/s  p50 {_ms(figures['p50'])}  "
              f"p95 {_ms(figures['p95'])}  errors {figures['errors']}  "
              f"(static file just before: {reference['rps']:.0f} req/s; "
              f"{len(body) / 1024:,.0f} KB; {cache_headers or 'no cache headers'}){note}",
              flush=True)  # fmt: skip
        report_errors(name, path, figures, server)
        run["pages"][name] = figures
    run["static"] = combine(samples)
    return run


def combine(samples):
    """The static file's figures over its runs: mean req/s, median p50 and p95, all errors."""

    def median(values):
        values = sorted(v for v in values if v is not None)
        return values[len(values) // 2] if values else None

    return {
        "rps": sum(s["rps"] for s in samples) / len(samples) if samples else 0.0,
        "p50": median(s["p50"] for s in samples),
        "p95": median(s["p95"] for s in samples),
        "errors": sum(s["errors"] for s in samples),
        "requests": sum(s["requests"] for s in samples),
        "runs": len(samples),
        "rps_range": [min(s["rps"] for s in samples), max(s["rps"] for s in samples)]
        if samples
        else None,
    }


def report_errors(name, path, figures, server):
    if not figures["errors"]:
        return
    print(f"    errors at {name} {path}: {figures.get('non_2xx', 0)} non-2xx answers, "
          f"{figures.get('failed', 0)} failed {figures.get('failed_detail') or ''} "
          f"{figures.get('ab_error', '')}")  # fmt: skip
    status = fetch(server.base + path)[0]
    print(
        f"    a request now answers {status}; the server's log, its end:\n" + server.log_tail(1500)
    )


def _ms(value):
    return "—" if value is None else f"{value:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
