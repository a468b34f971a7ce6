"""What the benchmarks share: their kept databases, a production-like server, percentiles.

- ``BenchDatabases``: a benchmark's SQLite file and PostgreSQL database, created fresh or
  kept between runs and reused when they hold a complete archive of the same size
  (``bench_search.py``, ``bench_pages.py``, ``loadtest/run.py``).
- ``production_environment`` and ``Server``: the site as production runs it (gunicorn,
  ``settings.production``, whitenoise with hashed static files, Redis) on 127.0.0.1, with
  ``free_port``, ``wait_until_up`` and ``warm_up`` (also ``lighthouse/run.py``).
- ``percentile``: the nearest-rank percentile every benchmark reports.

Imported as ``benchmarks.common``: the scripts put the repository root on ``sys.path``.
"""

import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def percentile(values, p):
    """Nearest-rank percentile of ``values`` (milliseconds)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# -- the benchmark databases ----------------------------------------------------------------

SQLITE_NAME = "bench.sqlite3"


class BenchDatabases:
    """One benchmark's databases: ``SQLITE_NAME`` in ``sqlite_dir`` and the PostgreSQL
    database named by ``postgres_url`` (created and dropped through the server's
    ``postgres`` database). A database holding a complete archive says so — a ``built``
    file beside the SQLite one, a comment on the PostgreSQL database — with its size."""

    def __init__(self, sqlite_dir, postgres_url):
        self.sqlite_dir = Path(sqlite_dir)
        self.postgres_url = postgres_url

    @property
    def sqlite_path(self):
        return self.sqlite_dir / SQLITE_NAME

    @property
    def _sqlite_files(self):
        names = [SQLITE_NAME + suffix for suffix in ("", "-wal", "-shm", "-journal")]
        return [self.sqlite_dir / name for name in [*names, "built"]]

    @property
    def postgres_name(self):
        return urlsplit(self.postgres_url).path.lstrip("/")

    def admin_dsn(self):
        url = urlsplit(self.postgres_url)
        return (
            f"host={url.hostname or '127.0.0.1'} port={url.port or 5432} "
            f"user={url.username or 'postgres'}"
            + (f" password={url.password}" if url.password else "")
            + " dbname=postgres"
        )

    def url(self, database):
        """The ``DATABASE_URL`` of ``database`` (``sqlite`` or ``postgres``)."""
        return f"sqlite:///{self.sqlite_path}" if database == "sqlite" else self.postgres_url

    def where(self, database):
        return str(self.sqlite_path) if database == "sqlite" else self.postgres_url

    def postgres_reachable(self):
        """``None`` if the PostgreSQL server answers, else why not."""
        try:
            import psycopg
        except ImportError:
            return "psycopg is not installed"
        try:
            with psycopg.connect(self.admin_dsn(), connect_timeout=3):
                return None
        except Exception as exc:  # any connection failure means "skip"
            text = str(exc).strip()
            return text.splitlines()[0] if text else type(exc).__name__

    def built_pages(self, database):
        """The size of the complete archive ``database`` holds, or ``None``."""
        if database == "sqlite":
            marker = self.sqlite_dir / "built"
            if self.sqlite_path.exists() and marker.exists():
                text = marker.read_text().strip()
                return int(text) if text.isdigit() else None
            return None
        if self.postgres_reachable():
            return None
        import psycopg

        with psycopg.connect(self.admin_dsn(), autocommit=True) as admin:
            row = admin.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [self.postgres_name],
            ).fetchone()
        comment = (row[0] or "") if row else ""
        prefix = "letopis bench built "
        tail = comment[len(prefix) :]
        return int(tail) if comment.startswith(prefix) and tail.isdigit() else None

    def prepare(self, database, keep, pages):
        """Point ``DATABASE_URL`` at ``database``; create it empty unless ``keep`` and it
        holds a complete archive of ``pages`` pages. Returns whether it is reused."""
        reuse = keep and self.built_pages(database) == pages
        if database == "sqlite":
            self.sqlite_dir.mkdir(parents=True, exist_ok=True)
            if not reuse:
                for path in self._sqlite_files:
                    path.unlink(missing_ok=True)
        elif not reuse:
            import psycopg

            with psycopg.connect(self.admin_dsn(), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.postgres_name}" WITH (FORCE)')
                admin.execute(
                    f"CREATE DATABASE \"{self.postgres_name}\" ENCODING 'UTF8' TEMPLATE template0"
                )
        os.environ["DATABASE_URL"] = self.url(database)
        return reuse

    def mark_built(self, database, pages):
        """Remember that the archive was written completely (what a kept run reuses);
        call with Django connected to ``database``."""
        if database == "sqlite":
            (self.sqlite_dir / "built").write_text(str(pages))
            return
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                f"COMMENT ON DATABASE \"{self.postgres_name}\" IS 'letopis bench built {pages}'"
            )

    def drop(self, database):
        if database == "sqlite":
            for path in self._sqlite_files:
                path.unlink(missing_ok=True)
            return
        import psycopg

        with psycopg.connect(self.admin_dsn(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.postgres_name}" WITH (FORCE)')


def setup_django(settings="settings.test"):
    """Set Django up in this process (the database from ``DATABASE_URL``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    for path in (str(ROOT), str(ROOT / "site")):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


def database_version():
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        version = cursor.connection.info.server_version
    return "PostgreSQL {}.{}".format(*divmod(version, 10000))


# -- the site as production serves it -------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server stopped at start (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    sys.exit(f"the server did not answer {url} within {timeout} s")


# What every benchmark client sends, as a browser does: the page cache keeps a compressed and
# an uncompressed variant (the map's GeoJSON is gzipped), and whitenoise serves the .br file.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}


def fetch(url, timeout=120, headers=BROWSER_HEADERS):
    """``(status, headers, body)`` of a GET (the body as sent: compressed if it was); an
    HTTP error is an answer, not an exception."""
    try:
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def warm_up(url, workers, rounds=3):
    """Request ``url`` until every worker has served it (templates compiled, dictionaries
    loaded), as on a site that has had visitors. Returns the statuses seen."""
    statuses = [fetch(url)[0]]
    with ThreadPoolExecutor(workers) as pool:
        statuses += [status for status, _, _ in pool.map(fetch, [url] * workers * rounds)]
    return statuses


def production_environment(base, database_url, workdir, redis_url, **extra):
    """The environment of ``settings.production`` on ``base`` (http://127.0.0.1:PORT):
    a throw-away secret key, no HTTPS redirect (no TLS proxy in front), static files and
    media under ``workdir``. Variables of the caller's own Django settings are dropped."""
    workdir = Path(workdir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BASE_URL=base,
        CSRF_TRUSTED_ORIGINS=base,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        SECURE_SSL_REDIRECT="false",
        PYTHONPATH=os.pathsep.join([str(ROOT / "site"), str(ROOT)]),
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, quiet=True):
    """``manage.py`` with ``env``; stops the benchmark with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, text=True
    )
    if result.returncode:
        if quiet:
            sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"manage.py {' '.join(args)} failed")
    return result.stdout


def collect_static(env, static_root):
    """``collectstatic`` with ``env`` into ``static_root``, unless what is there was collected
    after the last change of the project's static files and of the locked packages (whose
    apps bring the admin's): the manifest's post-processing takes half a minute here.
    Returns whether it ran."""
    manifest = Path(static_root) / "staticfiles.json"
    if manifest.exists():
        sources = [ROOT / "requirements.lock", *(ROOT / "static").rglob("*")]
        newest = max(path.stat().st_mtime for path in sources if path.is_file())
        if manifest.stat().st_mtime > newest:
            return False
    manage(env, "collectstatic", "--no-input")
    return True


class Processes:
    """Child processes in their own sessions, stopped (group and all) by ``stop()``."""

    def __init__(self):
        self.processes = []

    def start(self, command, **kwargs):
        process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def stop(self, process=None):
        for each in [process] if process else reversed(self.processes):
            if each.poll() is None:
                os.killpg(each.pid, signal.SIGTERM)
                try:
                    each.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(each.pid, signal.SIGKILL)
                    each.wait()
            if each in self.processes:
                self.processes.remove(each)


def redis_answers(url):
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:  # refused, unknown host, no redis package: not usable
        return False


def redis_for_benchmark(url, processes, workdir):
    """``url`` if a Redis server answers there, else a throw-away ``redis-server`` started
    in ``processes`` (its URL), else ``None``."""
    if redis_answers(url):
        return url
    binary = shutil.which("redis-server")
    if not binary:
        return None
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(workdir)]  # fmt: skip
    processes.start(command, stdout=subprocess.DEVNULL)
    started = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if redis_answers(started):
            return started
        time.sleep(0.2)
    return None


def flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def gunicorn_command(port, workers, worker_class="sync", threads=1, app="wsgi:application"):
    """gunicorn as ``make serve`` runs it, on 127.0.0.1:``port``."""
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", worker_class,
               "--no-control-socket", "--log-level", "warning"]  # fmt: skip
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    return command


class Server:
    """gunicorn with ``env`` on a free port of 127.0.0.1; its log in ``log``."""

    def __init__(self, processes, env, port, log, command):
        self.processes, self.env, self.port, self.log = processes, env, port, Path(log)
        self.base = f"http://127.0.0.1:{port}"
        self.command = command
        self.process = None

    def start(self, ready_path="/robots.txt"):
        with self.log.open("w") as log:
            self.process = self.processes.start(
                self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            wait_until_up(self.base + ready_path, self.process)
        except SystemExit:
            sys.stderr.write(self.log_tail())
            self.stop()
            raise
        return self

    def log_tail(self, chars=3000):
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self):
        if self.process is not None:
            self.processes.stop(self.process)
            self.process = None
