"""Backups: the database and the media in one archive, and bringing it back.

``manage.py backup DIR`` writes ``DIR/letopis-YYYYmmdd-HHMMSS.tar``; ``manage.py restore
ARCHIVE`` loads it into an empty installation (a database ``migrate`` has just created).

Choices, and why
----------------

**A portable dump, not pg_dump or a copy of the SQLite file.** The rows are written with
Django's JSON Lines serializer, one model after another. The same archive restores into
SQLite or PostgreSQL (an embedded installation can move to PostgreSQL and back), needs no
``pg_dump``/``pg_restore`` of the server's exact major version on the machine, and streams
row by row (queryset iterators on the way out, the line-by-line deserializer on the way in),
so memory does not grow with the archive. The price is speed — every row goes through the
ORM — which is seconds for a network of this size (see the README).

**Every primary key is kept, content types and permissions included.** Natural keys are what
``dumpdata`` offers against the ids a fresh ``migrate`` gives content types and permissions,
but ids are not only in foreign keys here: a revision's JSON holds its page's
``content_type`` id, StreamField JSON holds image, document, video and page ids. Those would
silently point elsewhere if any id changed. So restore empties *every* table of the target
first — the root page, home page, default site, locales, collections, roles, workflow,
content types and permissions that ``migrate`` and its ``post_migrate`` handlers created
(``network.roles.ensure_roles`` among them) — and loads the archive's rows with their own ids,
inside one transaction: the installation ends up exactly as the archived one was, or is left
untouched. Foreign keys are deferred constraints on both databases, so the load order does
not matter to them; many-to-many links are dumped as rows of their through tables (ids
kept too); models are still written parents first (a readable dump, and safer for a
database without deferred checks). PostgreSQL's sequences are moved past the loaded ids.
Rows go in as they are, several per INSERT (what ``loaddata``'s raw save does one row at a
time), without save signals: they are copies, and everything derived from them (log
entries, reference index, «В этот день» dates) is in the archive already. Times keep their
microseconds (Django's JSON encoder would cut them to milliseconds).

**A consistent snapshot.** The dump is read inside one transaction: on PostgreSQL
``REPEATABLE READ, READ ONLY`` (one snapshot, writers are never blocked); on SQLite a single
read transaction (``BEGIN``, then the first read fixes what the whole dump sees — in SQLite's
default journal mode writers wait for it, so the site's edits pause for the seconds a dump
takes). When called inside a transaction already (a test), that transaction's view is used.
The migration state is read in the same snapshot.

**Media through ``default_storage``**, never through paths, so S3-compatible storage works
too. The archive holds every file a row references (any ``FileField`` of a dumped model:
image originals, documents, videos and their thumbnails, avatars), read after the snapshot —
Wagtail never rewrites a stored file in place (a replaced file gets a new name), so a file
read a moment later is the one the row meant, or gone: a missing file is reported with its
path as a warning and listed in the manifest; the backup goes on. The other files of the
media storage are kept too (put there by hand, or left by a deleted row: kept rather than
judged), except **renditions**: their files
(``images/``) and rows are left out, because Wagtail makes a rendition again from the
original the first time a page asks for it. The rows are dropped, not restored, so none
points at a missing file.

**What is left out and rebuilt**: renditions (above), the search index (the ``search`` app's
tables and Wagtail's own index tables, vendor specific — ``update_index`` rebuilds the index
after a restore), login sessions and admin editing sessions (the restored site logs everybody
out).

**The archive** is an uncompressed tar with compressed members: ``database.jsonl.gz``, the
media files under ``media/`` as they are (JPEG, PNG, PDF, MP4 are compressed already; gzip
over them costs time for nothing) and ``manifest.json`` — format version, creation time,
Django/Wagtail/Python versions, database vendor, the applied migrations per app, the number
of rows per model, the media summary and the sha256 and size of every other member. The
manifest comes last because it holds the others' checksums, which also makes a truncated
archive easy to spot: its manifest is gone. It is written under a temporary name, readable by
the owner only (it holds password hashes and API tokens), and renamed when complete; a
folder inside the media root (public, and the archive would copy itself) is refused. A
database with unapplied migrations is refused too: the ORM reads the rows with the code's
models, so back up before upgrading the code, not between the upgrade and ``migrate``.

**Restore refuses rather than guesses.** Before anything is written it checks the format
version, that the target applied exactly the archive's migrations (older or newer code
needs the matching version first: the rows must fit the tables), that the target is empty
(no users, images, documents, videos or revisions, no page but the root and the home page a
fresh ``migrate`` creates) and the checksum of every member. Then it writes the media files
(removed again if the database load fails), loads the database in one transaction, clears
the caches and rebuilds the search index. ``restore --check`` stops after the checks.
"""

import contextlib
import datetime
import gzip
import hashlib
import io
import json
import os
import platform
import shutil
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

import wagtail

FORMAT = "letopis-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.jsonl.gz"
MEDIA_PREFIX = "media/"
#: Wagtail's renditions folder in the media storage (``AbstractRendition.get_upload_to``).
RENDITIONS_FOLDER = "images/"
#: Rows per INSERT statement on restore (fewer where the database limits parameters).
INSERT_BATCH = 500
#: A progress line every this many rows.
PROGRESS_EVERY = 5000
CHUNK_SIZE = 1024 * 1024
#: Media files up to this size are copied through memory, larger ones through a temporary file.
SPOOL_SIZE = 16 * 1024 * 1024

#: Rows that are not part of the archive (lower-case labels), and why.
EXCLUDED_MODELS = {
    # Regenerated from the originals when a page asks for them.
    "wagtailimages.rendition": "renditions",
    # The site's search index: rebuilt by update_index after a restore.
    "search.facetkey": "search index",
    "search.searchentry": "search index",
    "search.posting": "search index",
    # Wagtail's own database search index (vendor specific; the site's backend is search/).
    "wagtailsearch.indexentry": "search index",
    "wagtailsearch.sqliteftsindexentry": "search index",
    # Who is logged in and who has an editor open: meaningless in another installation.
    "sessions.session": "sessions",
    "wagtailadmin.editingsession": "sessions",
}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, except that times keep their microseconds (it cuts them to
    milliseconds, as ECMA-262 does): a restored revision has its exact timestamp."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """An expected failure; the message is for the person running the command."""


def _quiet(message):
    pass


# ---------------------------------------------------------------------------------------
# What is dumped
# ---------------------------------------------------------------------------------------


def _is_excluded(model):
    from wagtail.images.models import AbstractRendition

    return model._meta.label_lower in EXCLUDED_MODELS or issubclass(model, AbstractRendition)


def dumped_models(using=DEFAULT_DB_ALIAS):
    """The concrete, managed models whose rows go into the archive, parents first."""
    connection = connections[using]
    tables = set(connection.introspection.table_names(include_views=False))
    chosen = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not _is_excluded(model)
        and model._meta.db_table in tables
        and router.allow_migrate_model(using, model)
    ]
    return _parents_first(chosen)


def _parents_first(chosen):
    """Order models so that the targets of foreign keys (and multi-table parents) come before
    the models pointing at them; cycles are broken where they close (the constraints are
    deferred, so the order is a nicety, not a requirement). Content types lead."""
    chosen_set = set(chosen)
    ordered, done, visiting = [], set(), set()

    def visit(model):
        if model in done or model in visiting:
            return
        visiting.add(model)
        relations = [f for f in model._meta.local_fields if f.is_relation]
        relations += list(model._meta.local_many_to_many)
        for relation in relations:
            target = relation.related_model
            if target is None or target is model:
                continue
            target = target._meta.concrete_model
            if target in chosen_set:
                visit(target)
        visiting.discard(model)
        done.add(model)
        ordered.append(model)

    chosen = sorted(chosen, key=lambda m: (m is not ContentType, m._meta.label_lower))
    for model in chosen:
        visit(model)
    return ordered


def _file_fields(model):
    return [f for f in model._meta.local_fields if isinstance(f, models.FileField)]


def applied_migrations(connection):
    """``{app_label: [names]}`` of the migrations of the code's graph applied in the database
    (squashed migrations counted the way ``migrate`` counts them)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    state = {}
    for app_label, name in loader.applied_migrations:
        if (app_label, name) in loader.graph.nodes:
            state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def unapplied_migrations(connection):
    """``["app.name"]`` of the code's migrations the database has not applied."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@contextlib.contextmanager
def snapshot(connection):
    """One consistent view of the database for everything read inside."""
    if connection.in_atomic_block:
        # The caller's transaction (a test's) already fixes what we see; isolation can no
        # longer be chosen once a transaction has begun.
        yield
        return
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # SQLite: Django has issued BEGIN; the first read takes the snapshot for the rest.
        yield


# ---------------------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    rows: dict
    files: int
    bytes: int
    missing: list
    seconds: float
    size: int = 0


class _HashingReader:
    """A file wrapper that hashes and counts what is read through it."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add_member(tar, name, fileobj, size, mtime=None):
    """Add ``size`` bytes of ``fileobj`` as ``name``; return its manifest entry."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = int(mtime if mtime is not None else time.time())
    reader = _HashingReader(fileobj)
    tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": size}


def _archive_path(directory):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = directory / f"letopis-{stamp}.tar"
    counter = 2
    while path.exists():
        path = directory / f"letopis-{stamp}-{counter}.tar"
        counter += 1
    return path


def _dump_database(stream, using, report):
    """Write every dumped model's rows to ``stream`` (gzipped JSON Lines) in one snapshot.

    Returns ``(rows per model, referenced files {name: model label}, migrations)``."""
    connection = connections[using]
    counts = {}
    referenced = {}
    total = 0
    serializer = serializers.get_serializer("jsonl")()
    with snapshot(connection):
        migrations = applied_migrations(connection)
        with (
            gzip.GzipFile(fileobj=stream, mode="wb", compresslevel=6, mtime=0) as gz,
            io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as text,
        ):
            for model in dumped_models(using):
                label = model._meta.label_lower
                file_fields = _file_fields(model)
                queryset = model._base_manager.using(using).order_by("pk")
                # Many-to-many links are rows of their own (the auto-created through models,
                # dumped like any model, ids kept): the fields exclude them here.
                fields = [f.name for f in model._meta.local_fields]

                def rows(queryset=queryset, file_fields=file_fields, label=label):
                    nonlocal total
                    for obj in queryset.iterator(chunk_size=2000):
                        for file_field in file_fields:
                            value = file_field.value_from_object(obj)
                            if value and value.name:
                                referenced.setdefault(value.name, label)
                        counts[label] = counts.get(label, 0) + 1
                        total += 1
                        if total % PROGRESS_EVERY == 0:
                            report(_("  база данных: %(rows)s строк…") % {"rows": total})
                        yield obj

                serializer.serialize(rows(), stream=text, fields=fields, cls=ExactJSONEncoder)
                counts.setdefault(label, 0)
    return counts, referenced, migrations


def _walk(storage, folder=""):
    """Every file name under ``folder`` of ``storage``."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}{name}/")


def _copy_media(tar, storage, referenced, report, warn):
    """Add the referenced files (and the other files of the media storage but renditions)
    to ``tar``; return ``(members, files, bytes, missing)``."""
    members = {}
    missing = []
    names = sorted(referenced)
    known = set(names)
    others = [
        name
        for name in _walk(storage)
        if name not in known and not name.startswith(RENDITIONS_FOLDER)
    ]
    copied = copied_bytes = 0
    for index, name in enumerate(names + others, 1):
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_SIZE) as spool:
            try:
                with storage.open(name, "rb") as source:
                    shutil.copyfileobj(source, spool, CHUNK_SIZE)
            except OSError as exc:
                # Missing or unreadable: the rest of the archive is still worth having.
                missing.append(name)
                problem = (
                    _("не найден в хранилище")
                    if isinstance(exc, FileNotFoundError)
                    else _("не читается (%(error)s)") % {"error": exc}
                )
                warn(
                    _("Внимание: файл %(name)s (%(model)s) %(problem)s — в архиве его нет.")
                    % {
                        "name": name,
                        "model": referenced.get(name, _("без ссылки из базы")),
                        "problem": problem,
                    }
                )
                continue
            size = spool.tell()
            spool.seek(0)
            try:
                mtime = storage.get_modified_time(name).timestamp()
            except (NotImplementedError, OSError):
                mtime = None
            members[MEDIA_PREFIX + name] = _add_member(tar, MEDIA_PREFIX + name, spool, size, mtime)
        copied += 1
        copied_bytes += size
        if index % 500 == 0:
            report(_("  медиафайлы: %(files)s…") % {"files": index})
    return members, copied, copied_bytes, missing


def create_backup(directory, *, using=DEFAULT_DB_ALIAS, storage=None, report=_quiet, warn=_quiet):
    """Write a complete archive into ``directory``; return a :class:`BackupResult`."""
    storage = storage or default_storage
    started = time.monotonic()
    directory = Path(directory)
    try:
        media_root = Path(storage.path("")).resolve()
    except NotImplementedError:  # not a file system: nothing to mix up
        media_root = None
    if media_root is not None and directory.resolve().is_relative_to(media_root):
        # The archive would be copied into itself, and the media folder is public.
        raise BackupError(
            _("Архив нельзя класть в папку медиафайлов (%(root)s): она доступна из интернета.")
            % {"root": media_root}
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            _("Не удалось создать папку %(path)s: %(error)s") % {"path": directory, "error": exc}
        ) from exc
    path = _archive_path(directory)
    partial = directory / f".{path.name}.part"
    connection = connections[using]
    pending = unapplied_migrations(connection)
    if pending:
        raise BackupError(
            _(
                "База данных отстаёт от кода: не применены миграции %(names)s. Сохраните её "
                "той версией сайта, что с ней работала, или сначала выполните migrate."
            )
            % {"names": ", ".join(pending[:10])}
        )
    for model in dumped_models(using):
        for file_field in _file_fields(model):
            if file_field.storage is not storage:
                warn(
                    _(
                        "Внимание: файлы поля %(field)s хранятся не в основном хранилище "
                        "медиафайлов — в архив они не попадут."
                    )
                    % {"field": f"{model._meta.label}.{file_field.name}"}
                )
    try:
        with tempfile.TemporaryFile(dir=directory) as dump:
            report(_("База данных (%(vendor)s)…") % {"vendor": connection.vendor})
            counts, referenced, migrations = _dump_database(dump, using, report)
            rows = sum(counts.values())
            report(
                _("  строк: %(rows)s, моделей: %(models)s") % {"rows": rows, "models": len(counts)}
            )
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as output:
                with tarfile.open(fileobj=output, mode="w:", format=tarfile.PAX_FORMAT) as tar:
                    size = dump.tell()
                    dump.seek(0)
                    members = {DATABASE: _add_member(tar, DATABASE, dump, size)}
                    report(_("Медиафайлы…"))
                    media, files, media_bytes, missing = _copy_media(
                        tar, storage, referenced, report, warn
                    )
                    members.update(media)
                    manifest = {
                        "format": FORMAT,
                        "version": FORMAT_VERSION,
                        "created_at": timezone.localtime().isoformat(timespec="seconds"),
                        "software": {
                            "django": django.get_version(),
                            "wagtail": wagtail.__version__,
                            "python": platform.python_version(),
                        },
                        "database": {
                            "vendor": connection.vendor,
                            "member": DATABASE,
                            "serializer": "jsonl",
                            "rows": counts,
                            "excluded": sorted(EXCLUDED_MODELS),
                        },
                        "migrations": migrations,
                        "media": {
                            "files": files,
                            "bytes": media_bytes,
                            "referenced": len(referenced),
                            "missing": missing,
                            "skipped": f"renditions ({RENDITIONS_FOLDER}): made again on request",
                        },
                        "members": members,
                    }
                    data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                    data = data.encode("utf-8")
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(data)
                    info.mode = 0o644
                    info.mtime = int(time.time())
                    tar.addfile(info, io.BytesIO(data))
                output.flush()
                os.fsync(output.fileno())
        os.replace(partial, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        if isinstance(exc, OSError):
            raise BackupError(
                _("Не удалось записать архив в %(path)s: %(error)s")
                % {"path": directory, "error": exc}
            ) from exc
        raise
    return BackupResult(
        path=path,
        rows=counts,
        files=files,
        bytes=media_bytes,
        missing=missing,
        seconds=time.monotonic() - started,
        size=path.stat().st_size,
    )


# ---------------------------------------------------------------------------------------
# Reading an archive
# ---------------------------------------------------------------------------------------


def _safe_media_name(member_name):
    """The storage name of a media member, or None if the name could leave the media root."""
    if not member_name.startswith(MEDIA_PREFIX):
        return None
    name = member_name[len(MEDIA_PREFIX) :]
    path = PurePosixPath(name)
    if not name or "\\" in name or "\x00" in name or path.is_absolute():
        return None
    if any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return name


class Archive:
    """An opened archive: its manifest read and its members listed (nothing verified yet)."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.is_file():
            raise BackupError(_("Архив %(path)s не найден.") % {"path": self.path})
        self.tar = None
        try:
            # Kept open for the archive's lifetime (closed by close()).
            self.tar = tarfile.open(self.path, mode="r:")  # noqa: SIM115
            members = self.tar.getmembers()
        except (tarfile.TarError, EOFError, OSError) as exc:
            self.close()
            raise BackupError(
                _("%(path)s повреждён или не является архивом Летописи (%(error)s).")
                % {"path": self.path, "error": exc}
            ) from exc
        self.members = {}
        for member in members:
            if member.name in self.members:
                self.close()
                raise BackupError(
                    _("В архиве дважды встречается %(name)s: архив повреждён.")
                    % {"name": member.name}
                )
            self.members[member.name] = member
        try:
            self.manifest = self._read_manifest()
        except BaseException:
            self.close()
            raise

    def close(self):
        if self.tar is not None:
            self.tar.close()
            self.tar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _read_manifest(self):
        member = self.members.get(MANIFEST)
        if member is None or not member.isfile():
            raise BackupError(
                _(
                    "В %(path)s нет описи (manifest.json): архив неполон (оборван при записи "
                    "или копировании) или это не архив Летописи."
                )
                % {"path": self.path}
            )
        try:
            with self.tar.extractfile(member) as stream:
                manifest = json.loads(stream.read().decode("utf-8"))
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise BackupError(
                _("Опись архива %(path)s не читается: %(error)s")
                % {"path": self.path, "error": exc}
            ) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(_("%(path)s — не архив Летописи.") % {"path": self.path})
        version = manifest.get("version")
        if version != FORMAT_VERSION:
            raise BackupError(
                _(
                    "Архив записан в формате версии %(version)s, а эта версия сайта читает "
                    "только формат %(supported)s."
                )
                % {"version": version, "supported": FORMAT_VERSION}
            )
        members = manifest.get("members")
        database = manifest.get("database")
        migrations = manifest.get("migrations")
        if (
            not isinstance(members, dict)
            or DATABASE not in members
            or not all(
                isinstance(entry, dict)
                and isinstance(entry.get("sha256"), str)
                and isinstance(entry.get("size"), int)
                for entry in members.values()
            )
            or not isinstance(database, dict)
            or not isinstance(database.get("rows"), dict)
            or not all(isinstance(count, int) for count in database["rows"].values())
            or not isinstance(migrations, dict)
            or not all(isinstance(names, list) for names in migrations.values())
        ):
            raise BackupError(_("Опись архива %(path)s неполна.") % {"path": self.path})
        for name in members:
            if name != DATABASE and _safe_media_name(name) is None:
                raise BackupError(_("Недопустимое имя файла в архиве: %(name)s.") % {"name": name})
        return manifest

    def media_names(self):
        """``[(member name, storage name)]`` of the media files, in archive order."""
        return [
            (name, _safe_media_name(name))
            for name in self.members
            if name in self.manifest["members"] and name != DATABASE
        ]

    def verify(self, report=_quiet):
        """Check that the archive holds exactly the manifest's members, intact."""
        expected = self.manifest["members"]
        extra = sorted(set(self.members) - set(expected) - {MANIFEST})
        if extra:
            raise BackupError(
                _("В архиве есть файлы, которых нет в описи: %(names)s.")
                % {"names": ", ".join(extra[:10])}
            )
        checked = 0
        for name, entry in expected.items():
            member = self.members.get(name)
            if member is None:
                raise BackupError(
                    _("В архиве нет файла %(name)s, указанного в описи: архив неполон.")
                    % {"name": name}
                )
            if not member.isfile() or member.size != entry.get("size"):
                raise BackupError(
                    _("Файл %(name)s в архиве повреждён (не тот размер).") % {"name": name}
                )
            digest = hashlib.sha256()
            try:
                with self.tar.extractfile(member) as stream:
                    for chunk in iter(lambda: stream.read(CHUNK_SIZE), b""):
                        digest.update(chunk)
            except (tarfile.TarError, EOFError, OSError) as exc:
                raise BackupError(
                    _("Файл %(name)s в архиве не читается: %(error)s")
                    % {"name": name, "error": exc}
                ) from exc
            if digest.hexdigest() != entry.get("sha256"):
                raise BackupError(
                    _(
                        "Контрольная сумма файла %(name)s не совпадает с описью: архив повреждён "
                        "или изменён. Ничего не восстановлено."
                    )
                    % {"name": name}
                )
            checked += 1
            if checked % 500 == 0:
                report(_("  проверено файлов: %(files)s…") % {"files": checked})
        return checked

    def open_database(self):
        """The database dump as a text stream of JSON lines."""
        raw = self.tar.extractfile(self.members[DATABASE])
        return io.TextIOWrapper(gzip.GzipFile(fileobj=raw, mode="rb"), encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Checks before a restore
# ---------------------------------------------------------------------------------------


def check_migrations(manifest, connection):
    """The target must have applied exactly the archive's migrations."""
    if unapplied_migrations(connection):
        raise BackupError(
            _(
                "В этой установке применены не все миграции. Выполните «manage.py migrate» "
                "и повторите восстановление."
            )
        )
    here = applied_migrations(connection)
    there = {app: set(names) for app, names in manifest["migrations"].items()}
    differences = []
    for app in sorted(set(here) | set(there)):
        only_there = sorted(there.get(app, set()) - set(here.get(app, [])))
        only_here = sorted(set(here.get(app, [])) - there.get(app, set()))
        if only_there:
            differences.append(
                _("%(app)s: в архиве есть %(names)s, здесь нет")
                % {"app": app, "names": ", ".join(only_there)}
            )
        if only_here:
            differences.append(
                _("%(app)s: здесь есть %(names)s, в архиве нет")
                % {"app": app, "names": ", ".join(only_here)}
            )
    if differences:
        raise BackupError(
            _(
                "Архив сделан другой версией сайта: схема базы данных не совпадает "
                "(%(differences)s). Восстановите архив в установке той же версии, что его "
                "создала (после восстановления её можно обновить и выполнить migrate)."
            )
            % {"differences": "; ".join(differences[:10])}
        )


def installation_contents(using=DEFAULT_DB_ALIAS):
    """What makes an installation non-empty: ``[(what, count)]`` (empty for a fresh one)."""
    from django.contrib.auth import get_user_model

    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Revision

    # (what, rows, how many a fresh migrate leaves)
    checks = [
        (_("пользователей"), get_user_model()._base_manager.using(using), 0),
        # The home page (home/migrations) below the root; the root has depth 1.
        (_("страниц"), Page._base_manager.using(using).filter(depth__gte=2), 1),
        (_("версий страниц"), Revision._base_manager.using(using), 0),
        (_("изображений"), get_image_model()._base_manager.using(using), 0),
        (_("документов"), get_document_model()._base_manager.using(using), 0),
    ]
    if apps.is_installed("wagtailmedia"):
        from wagtailmedia.models import get_media_model

        checks.append((_("видео и аудио"), get_media_model()._base_manager.using(using), 0))
    found = []
    for what, queryset, fresh in checks:
        count = queryset.count()
        if count > fresh:
            found.append((what, count))
    return found


def check_empty(using=DEFAULT_DB_ALIAS):
    found = installation_contents(using)
    if found:
        raise BackupError(
            _(
                "Восстанавливать можно только в пустую установку (новая база, на которой "
                "выполнен migrate), а в этой уже есть данные: %(found)s. Ничего не изменено."
            )
            % {"found": ", ".join(f"{what} — {count}" for what, count in found)}
        )


# ---------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    rows: dict = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    missing: list = field(default_factory=list)
    checked: int = 0
    seconds: float = 0.0
    manifest: dict = field(default_factory=dict)


@contextlib.contextmanager
def muted(*signals):
    """Disconnect every receiver of ``signals`` for the duration (in this process)."""
    saved = []
    for signal in signals:
        with signal.lock:
            saved.append((signal, signal.receivers))
            signal.receivers = []
            signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for signal, receivers in saved:
            with signal.lock:
                signal.receivers = receivers
                signal.sender_receivers_cache.clear()


def _restore_media(archive, storage, report):
    """Write the archive's media files; return ``(files written, bytes, new names)``."""
    written = []
    total_bytes = 0
    count = 0
    try:
        for member_name, name in archive.media_names():
            member = archive.members[member_name]
            existed = storage.exists(name)
            if existed:
                storage.delete(name)
            with archive.tar.extractfile(member) as stream:
                saved = storage.save(name, File(stream, name=name))
            if not existed:
                written.append(saved)
            if saved != name:
                raise BackupError(
                    _("Хранилище записало файл %(name)s под другим именем (%(saved)s).")
                    % {"name": name, "saved": saved}
                )
            count += 1
            total_bytes += member.size
            if count % 500 == 0:
                report(_("  медиафайлы: %(files)s…") % {"files": count})
    except BaseException:
        _remove(storage, written)
        raise
    return count, total_bytes, written


def _remove(storage, names):
    for name in names:
        with contextlib.suppress(Exception):
            storage.delete(name)


def _empty_tables(connection):
    """Delete every row of every Django table (foreign keys are checked at the end of the
    transaction, so the order does not matter). DELETE rather than TRUNCATE: the target is
    a fresh installation with a few hundred rows, and DELETE behaves alike on both databases
    and inside an enclosing transaction."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"DELETE FROM {quote(table)}")


def _reset_sequences(connection):
    tables = set(connection.introspection.table_names(include_views=False))
    restored = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _insert_rows(objects, using):
    """INSERT rows of one model as they are, several per statement.

    What ``Model.save_base(raw=True, force_insert=True)`` — ``loaddata``'s way — does for one
    row (the model's own table only, values untouched: no ``auto_now``, no signals), for a
    batch: one statement per batch instead of one per row, which is most of a restore's time
    on PostgreSQL. ``bulk_create`` would not do: it refuses multi-table children and
    re-stamps ``auto_now`` fields."""
    model = type(objects[0])
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if not getattr(f, "generated", False)]
    batch_size = max(connections[using].ops.bulk_batch_size(fields, objects), 1)
    for start in range(0, len(objects), batch_size):
        chunk = objects[start : start + batch_size]
        model._base_manager.using(using)._insert(chunk, fields=fields, using=using, raw=True)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = using


def _load_database(archive, using, report):
    """Replace every row of the database by the archive's, in one transaction."""
    connection = connections[using]
    expected = archive.manifest["database"]["rows"]
    counts = Counter()
    total = 0
    with transaction.atomic(using=using):
        _empty_tables(connection)
        ContentType.objects.clear_cache()
        try:
            with muted(pre_save, post_save, m2m_changed), archive.open_database() as text:
                batch = []
                for item in serializers.deserialize("jsonl", text, using=using):
                    obj = item.object
                    if batch and (type(obj) is not type(batch[0]) or len(batch) >= INSERT_BATCH):
                        _insert_rows(batch, using)
                        batch = []
                    if item.m2m_data:
                        # Not in archives of this format (links are rows of their own).
                        item.save(using=using, force_insert=True)
                    else:
                        batch.append(obj)
                    counts[obj._meta.label_lower] += 1
                    total += 1
                    if total % PROGRESS_EVERY == 0:
                        report(_("  база данных: %(rows)s строк…") % {"rows": total})
                if batch:
                    _insert_rows(batch, using)
            connection.check_constraints()
        except (DeserializationError, DatabaseError, EOFError, OSError, ValueError) as exc:
            raise BackupError(
                _("Не удалось загрузить базу данных из архива (ничего не изменено): %(error)s")
                % {"error": exc}
            ) from exc
        wrong = sorted(
            label
            for label in set(expected) | set(counts)
            if counts[label] != expected.get(label, 0)
        )
        if wrong:
            raise BackupError(
                _("Загружено не столько строк, сколько в описи (%(models)s): ничего не изменено.")
                % {"models": ", ".join(wrong[:10])}
            )
        _reset_sequences(connection)
    ContentType.objects.clear_cache()
    return dict(counts)


def restore_backup(
    path,
    *,
    using=DEFAULT_DB_ALIAS,
    storage=None,
    check_only=False,
    rebuild_index=True,
    report=_quiet,
):
    """Bring an archive back into an empty installation; return a :class:`RestoreResult`.

    Nothing is written before the archive, its compatibility and the target's emptiness are
    checked; the database is loaded all or nothing."""
    storage = storage or default_storage
    started = time.monotonic()
    connection = connections[using]
    with Archive(path) as archive:
        manifest = archive.manifest
        result = RestoreResult(
            manifest=manifest, missing=manifest.get("media", {}).get("missing", [])
        )
        report(
            _("Архив от %(created)s (%(vendor)s, Wagtail %(wagtail)s).")
            % {
                "created": manifest.get("created_at", "?"),
                "vendor": manifest["database"].get("vendor", "?"),
                "wagtail": manifest.get("software", {}).get("wagtail", "?"),
            }
        )
        check_migrations(manifest, connection)
        if not check_only:
            check_empty(using)
        report(_("Проверка контрольных сумм…"))
        result.checked = archive.verify(report)
        if check_only:
            result.seconds = time.monotonic() - started
            return result
        report(_("Медиафайлы…"))
        result.files, result.bytes, written = _restore_media(archive, storage, report)
        report(
            _("  файлов: %(files)s (%(seconds).1f с)")
            % {"files": result.files, "seconds": time.monotonic() - started}
        )
        report(_("База данных…"))
        loading = time.monotonic()
        try:
            result.rows = _load_database(archive, using, report)
        except BaseException:
            _remove(storage, written)
            raise
        report(
            _("  строк: %(rows)s (%(seconds).1f с)")
            % {"rows": sum(result.rows.values()), "seconds": time.monotonic() - loading}
        )
    for cache in caches.all():
        cache.clear()
    if rebuild_index:
        report(_("Поисковый индекс…"))
        indexing = time.monotonic()
        call_command("update_index", verbosity=0)
        report(_("  готово (%(seconds).1f с)") % {"seconds": time.monotonic() - indexing})
    result.seconds = time.monotonic() - started
    return result
