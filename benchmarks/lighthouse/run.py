"""Lighthouse scores of the local site: home, a project, a contribution, a memorial, search.

    make lighthouse                                   # or, after npm ci in this folder:
    .venv/bin/python benchmarks/lighthouse/run.py [--strict] [--runs 3] [--workdir DIR]

Builds a throw-away demo site in a temporary folder (SQLite database, media, collected static
files — never the developer's ``db.sqlite3`` or ``media/``), serves it as production does
(``settings.production``: DEBUG off, gunicorn, whitenoise with compressed hashed static files,
Redis from a throw-away ``redis-server`` when one is installed), and runs Lighthouse (npm,
pinned in package.json) on Debian's chromium with the mobile preset — Lighthouse's default
form factor and simulated throttling — three times per page; the median run by performance
counts (``--runs``). The browser may reach only 127.0.0.1: every other host resolves to
nothing, so nothing is fetched from the internet; map tiles are a local placeholder
(``--tiles blocked`` leaves them unresolved instead).

Prints the four category scores with LCP, TBT and CLS per page, marks those below the targets
(performance ≥ 95, accessibility 100, best practices ≥ 95, SEO 100) and lists the audits that
cost points. Exit status 0 whatever the scores unless ``--strict`` (then 1 below a target); 2
when a page could not be audited at all. The JSON reports stay in the reports folder named at
the end. ``--workdir DIR`` keeps the demo site there and reuses it on the next run.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: ``benchmarks`` is importable from the root

from benchmarks.common import free_port, manage, wait_until_up  # noqa: E402

LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "seo"}

# Picks the audited pages from the demo: the first live page of each kind in the default
# language (tree order, so the same pages on every build of the deterministic demo).
PICK_PAGES = """
import json
from wagtail.models import Locale
from home.models import HomePage
from projects.models import ContributionPage, ProjectPage
from memorials.models import MemorialPage

locale = Locale.get_default()
urls = {}
for name, model in [("home", HomePage), ("project", ProjectPage),
                    ("contribution", ContributionPage), ("memorial", MemorialPage)]:
    page = model.objects.live().public().filter(locale=locale).order_by("path").first()
    urls[name] = page.url if page else None
print(json.dumps(urls))
"""
SEARCH_QUERY = "Козельск"
WORKERS = 3  # gunicorn's, as `make serve` runs it
ATTEMPTS = 3  # Lighthouse's own failures ("Please run Lighthouse again") are retried


def chrome_path():
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        sys.exit(f"No chromium at {path}: run `make install-browser` or set CHROME_PATH.")
    return path


class PageError(Exception):
    """A page that could not be audited: the server failed it or Lighthouse did."""


class LighthouseError(PageError):
    """Lighthouse failed on the page (NO_NAVSTART, NO_FCP…): often transient."""


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise PageError(f"the server answered {error.code}") from error


def warm_up(url):
    """Request the page until every worker has served it (its renditions made, templates
    compiled, the search dictionaries loaded), as on a site that has had visitors: a cold
    worker takes several times longer to answer its first request."""
    get(url)
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(get, [url] * WORKERS * 3))


class Site:
    """The demo site on gunicorn (plus a throw-away redis-server), stopped on exit."""

    def __init__(self, workdir, port, tiles):
        self.workdir, self.port, self.tiles = workdir, port, tiles
        self.base = f"http://127.0.0.1:{port}"
        self.processes = []
        self.env = self.environment()

    def environment(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            BASE_URL=self.base,
            CSRF_TRUSTED_ORIGINS=self.base,
            DATABASE_URL=f"sqlite:///{self.workdir / 'db.sqlite3'}",
            MEDIA_ROOT=str(self.workdir / "media"),
            STATIC_ROOT=str(self.workdir / "static"),
            # Plain HTTP on 127.0.0.1: no TLS proxy in front to redirect to.
            SECURE_SSL_REDIRECT="false",
            PYTHONPATH=os.pathsep.join([str(ROOT / "site"), str(HERE)]),
        )
        if self.tiles == "local":
            env["MAP_TILE_URL"] = f"{self.base}/__tiles/{{z}}/{{x}}/{{y}}.png"
            env["LIGHTHOUSE_TILES"] = "1"
        redis = shutil.which("redis-server")
        if redis:
            redis_port = free_port()
            command = [redis, "--port", str(redis_port), "--bind", "127.0.0.1",
                       "--save", "", "--appendonly", "no", "--dir", str(self.workdir)]  # fmt: skip
            self.start(command, stdout=subprocess.DEVNULL)
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        else:
            print("No redis-server: production settings with a local-memory cache instead.")
            env["REDIS_URL"] = "redis://unused"
            env["DJANGO_SETTINGS_MODULE"] = "lighthouse_settings"
        return env

    def start(self, command, **kwargs):
        process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def build(self):
        fresh = not (self.workdir / "db.sqlite3").exists()
        steps = [("compile_catalogues",), ("migrate", "--no-input")]
        if fresh:
            steps.append(("load_demo",))
        steps.append(("collectstatic", "--no-input", "--clear"))
        for step in steps:
            started = time.monotonic()
            manage(self.env, *step)
            print(f"  manage.py {step[0]}: {time.monotonic() - started:.0f} s")
        if not fresh:
            print("  demo database reused")

    def serve(self):
        self.log = self.workdir / "server.log"
        # As `make serve` runs it, with the wrapper that adds media (lighthouse_wsgi.py).
        command = [sys.executable, "-m", "gunicorn", "lighthouse_wsgi:application",
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
                   "--no-control-socket", "--log-level", "warning"]  # fmt: skip
        with self.log.open("w") as log:
            server = self.start(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(self.base + "/robots.txt", server)
        except SystemExit:
            sys.stderr.write(self.log.read_text()[-4000:])
            raise

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def pick_pages(site):
    urls = json.loads(manage(site.env, "shell", "-c", PICK_PAGES).strip().splitlines()[-1])
    missing = [name for name, url in urls.items() if not url]
    if missing:
        sys.exit(f"the demo has no page for: {', '.join(missing)}")
    urls["search"] = "/search/?" + urllib.parse.urlencode({"q": SEARCH_QUERY})
    return {name: site.base + url for name, url in urls.items()}


def lighthouse(url, output, chrome):
    # Everything but the local site resolves to nothing: no request leaves the machine.
    rules = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
    command = [
        str(LIGHTHOUSE), url,
        "--only-categories=" + ",".join(CATEGORIES),
        "--output=json", f"--output-path={output}",
        f"--chrome-flags=--headless=new --no-sandbox --host-resolver-rules='{rules}'",
        "--quiet",
    ]  # fmt: skip
    output.unlink(missing_ok=True)
    result = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True
    )
    if not output.exists():
        sys.stderr.write(result.stdout + result.stderr)
        raise LighthouseError(f"lighthouse exited with {result.returncode} and no report")
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise LighthouseError(report["runtimeError"].get("message", "lighthouse error"))
    return report


def figures(report):
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    audits = report["audits"]
    metrics = {
        "lcp": audits["largest-contentful-paint"].get("numericValue"),
        "tbt": audits["total-blocking-time"].get("numericValue"),
        "cls": audits["cumulative-layout-shift"].get("numericValue"),
        # Observed (not simulated): the time the server took to answer the document.
        "server": audits["server-response-time"].get("numericValue"),
    }
    return scores, metrics


def failing_audits(report, category):
    """``(weight, audit)`` of the audits that cost the category points, heaviest first."""
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            failing.append((ref["weight"], audit))
    return sorted(failing, key=lambda item: (-item[0], item[1]["score"]))


def print_table(results):
    header = f"{'page':<13}" + "".join(f"{SHORT[c]:>7}" for c in CATEGORIES)
    header += f"{'LCP s':>8}{'TBT ms':>8}{'CLS':>7}{'server ms':>11}"
    print(header)
    print("-" * len(header))
    for name, result in results.items():
        row = f"{name:<13}"
        if isinstance(result, PageError):
            print(f"{row}not audited: {result}")
            continue
        scores, metrics, _ = result
        for c in CATEGORIES:
            mark = "*" if scores[c] < TARGETS[c] else " "
            row += f"{scores[c]:>6}{mark}"
        row += f"{metrics['lcp'] / 1000:>8.1f}{metrics['tbt']:>8.0f}{metrics['cls']:>7.3f}"
        row += f"{metrics['server']:>11.0f}"
        print(row)
    print("-" * len(header))
    targets = "".join(
        f"{('≥' if TARGETS[c] < 100 else '') + str(TARGETS[c]):>6} " for c in CATEGORIES
    )
    print(f"{'target':<13}{targets}   (* below target)")


def print_conditions(results):
    """Lighthouse's warnings about the run, and its measure of this machine's CPU."""
    reports = [result[2] for result in results.values() if not isinstance(result, PageError)]
    if not reports:
        return
    index = [report["environment"]["benchmarkIndex"] for report in reports]
    print(f"\nCPU benchmark index {min(index):.0f}–{max(index):.0f} (Lighthouse's mobile "
          "throttling is calibrated for ~1000 and up; a busy machine scores lower)")  # fmt: skip
    warnings = dict.fromkeys(w for report in reports for w in report.get("runWarnings", []))
    for warning in warnings:
        print(f"Lighthouse warns: {' '.join(warning.split())}")


def print_failures(results):
    for name, result in results.items():
        if isinstance(result, PageError):
            continue
        scores, _, report = result
        for category in [c for c in CATEGORIES if scores[c] < TARGETS[c]]:
            print(f"\n{name} — {category} {scores[category]}, the audits that cost points:")
            for weight, audit in failing_audits(report, category)[:6]:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                print(f"  {audit['id']} (score {audit['score']:.2f}, weight {weight:g}): "
                      f"{audit['title']}{value}")  # fmt: skip


def audit_page(url, name, runs, reports, chrome):
    """``(scores, metrics, report)`` of the median run by performance."""
    warm_up(url)
    done = []
    for n in range(runs):
        output = reports / (f"{name}.json" if runs == 1 else f"{name}-{n + 1}.json")
        for attempt in range(ATTEMPTS):
            try:
                report = lighthouse(url, output, chrome)
                break
            except LighthouseError as error:
                if attempt == ATTEMPTS - 1:
                    raise
                print(f"    {error} — again", flush=True)
        done.append((*figures(report), report))
    done.sort(key=lambda run: run[0]["performance"])
    return done[len(done) // 2]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when below a target")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median counts")
    parser.add_argument("--workdir", type=Path, help="keep the demo site here and reuse it")
    parser.add_argument("--reports", type=Path, help="folder for the JSON reports (default: new)")
    parser.add_argument("--port", type=int, default=0, help="the server's port (0: a free one)")
    parser.add_argument(
        "--tiles",
        choices=["local", "blocked"],
        default="local",
        help="map tiles from a local placeholder, or left unresolved",
    )
    parser.add_argument(
        "--page",
        action="append",
        choices=["home", "project", "contribution", "memorial", "search"],
        help="audit only this page (repeatable)",
    )
    args = parser.parse_args()

    if not LIGHTHOUSE.exists():
        sys.exit(f"No lighthouse: npm ci --prefix {HERE.relative_to(ROOT)} (or make lighthouse)")
    chrome = chrome_path()
    version = subprocess.run([LIGHTHOUSE, "--version"], capture_output=True, text=True)
    started = time.monotonic()
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="letopis-lighthouse-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    reports = args.reports or Path(tempfile.mkdtemp(prefix="letopis-lighthouse-reports-"))
    reports = reports.resolve()
    reports.mkdir(parents=True, exist_ok=True)

    site = Site(workdir, args.port or free_port(), args.tiles)
    results = {}
    try:
        print(f"Demo site in {workdir}")
        site.build()
        site.serve()
        pages = pick_pages(site)
        if args.page:
            pages = {name: url for name, url in pages.items() if name in args.page}
        print(f"Served at {site.base} in {time.monotonic() - started:.0f} s; "
              f"Lighthouse {version.stdout.strip()}, mobile, {chrome}")  # fmt: skip
        for name, url in pages.items():
            print(f"  {name}: {url}", flush=True)
            try:
                results[name] = audit_page(url, name, args.runs, reports, chrome)
            except PageError as error:
                results[name] = error
        failed = any(isinstance(result, PageError) for result in results.values())
        if failed:
            print(f"\nThe server's log ({site.log}), its end:")
            print(site.log.read_text()[-3000:])
    finally:
        site.stop()
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print_table(results)
    print_conditions(results)
    print_failures(results)
    print(f"\nReports: {reports}  ({time.monotonic() - started:.0f} s in all)")
    below = any(
        scores[c] < TARGETS[c]
        for scores, _, _ in (r for r in results.values() if not isinstance(r, PageError))
        for c in CATEGORIES
    )
    if failed:
        sys.exit(2)  # a page that could not be audited is an error, not a score
    if args.strict and below:
        sys.exit(1)


if __name__ == "__main__":
    main()
