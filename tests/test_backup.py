"""Backups (issue #8, «Nothing lost»): ``backup DIR`` and ``restore ARCHIVE``.

Each test builds its network inside a savepoint, backs it up, rolls the savepoint back — the
database is then exactly what a fresh ``migrate`` left (the test database) — empties the
media folder and restores. The whole test runs in pytest-django's transaction, rolled back
at the end, so no test leaves anything behind (a ``transaction=True`` test would flush the
database, and the later tests expect the rows ``migrate`` creates).
"""

import hashlib
import io
import json
import shutil
import tarfile
import threading
from io import StringIO

from django.contrib.auth.models import Group, Permission, User
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from wagtail.documents.models import Document
from wagtail.images.models import Image, Rendition
from wagtail.images.tests.utils import get_test_image_file, get_test_image_file_jpeg
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Revision,
    Site,
    WorkflowPage,
)
from wagtail_localize.models import Translation

import pytest

from home.demo import DemoBuilder
from memorials.models import HeroIndexPage, HeroMemorial
from operations.backup import FORMAT_VERSION, create_backup, installation_contents, snapshot
from tests.factories import (
    ContributionPageFactory,
    LibraryIndexPageFactory,
    LibraryPageFactory,
    ProjectIndexPageFactory,
    ProjectPageFactory,
)
from tests.fixtures.memorials.helpers import HeroPageFactory, MemorialPageFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def backups(tmp_path):
    return tmp_path / "backups"


# ---------------------------------------------------------------------------------------
# A small but complete network
# ---------------------------------------------------------------------------------------


def items(*values):
    return [{"type": "item", "value": value, "id": f"item-{i}"} for i, value in enumerate(values)]


def photo(image, caption):
    return {"image": image.pk, "caption": caption, "credit": "Фото: А. Петров", "alt_text": caption}


def build_network():
    """Libraries, a project with a material (StreamField with photos and a document, a
    published version and a newer draft), a memorial with its hero, an English translation,
    editors with permissions, image and document files."""
    from home.models import HomePage

    home = HomePage.objects.get(depth=2, locale__language_code="ru")
    collection = Collection.get_first_root_node().add_child(name="Козельская ЦРБ")
    obelisk = Image.objects.create(
        title="Обелиск в Козельске",
        file=get_test_image_file(filename="obelisk.png", colour="#8a6d3b", size=(900, 600)),
        collection=collection,
        focal_point_x=420,
        focal_point_y=180,
        focal_point_width=120,
        focal_point_height=90,
    )
    meeting = Image.objects.create(
        title="Встреча с ветеранами",
        file=get_test_image_file_jpeg(filename="vstrecha.jpg", colour="#336699", size=(800, 500)),
    )
    rules = Document.objects.create(
        title="Положение о конкурсе",
        file=ContentFile(b"%PDF-1.4 " + bytes(range(256)) * 8, name="polozhenie.pdf"),
        collection=collection,
    )

    libraries = LibraryIndexPageFactory(parent=home, slug="biblioteki")
    library = LibraryPageFactory(parent=libraries, title="Козельская ЦРБ", slug="kozelskaya")
    LibraryPageFactory(parent=libraries, title="Сухиничская ЦРБ", slug="suhinichskaya")
    projects = ProjectIndexPageFactory(parent=home, slug="proekty")
    project = ProjectPageFactory(parent=projects, title="Эхо войны", slug="eho-vojny")
    material = ContributionPageFactory(
        parent=library,
        project=project,
        title="Хроника Козельска",
        slug="hronika-kozelska",
        body=[
            {
                "type": "gallery",
                "id": "g1",
                "value": {
                    "title": "Митинг у обелиска",
                    "images": items(photo(obelisk, "Обелиск"), photo(meeting, "Ветераны")),
                },
            },
            {"type": "text", "id": "t1", "value": "<p>Летопись села Попелёво.</p>"},
            {"type": "document", "id": "d1", "value": {"document": rules.pk, "title": ""}},
        ],
    )
    for page in (libraries, library, projects, project, material):
        page.save_revision().publish()
    # A newer draft on top of the published version: restored as a draft, not published.
    material = material.specific
    material.title = "Хроника Козельска (дополнено)"
    material.save_revision()

    memorial = MemorialPageFactory(parent=library, title="Братская могила в Попелёве")
    memorial.save_revision().publish()
    book = HeroIndexPage(title="Книга памяти", slug="kniga-pamyati")
    home.add_child(instance=book)
    book.save_revision().publish()
    hero = HeroPageFactory(parent=book, last_name="Соколов", first_name="Пётр")
    HeroMemorial.objects.create(page=hero, memorial=memorial, sort_order=0)
    hero.save_revision().publish()

    DemoBuilder().translate(home, {"Летопись": "Letopis"})

    User.objects.create_superuser("archivist", "archivist@example.org", PASSWORD)
    editors = Group.objects.create(name="Редакторы: Козельская ЦРБ")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=editors, page=library, permission=Permission.objects.get(codename="add_page")
    )
    GroupCollectionPermission.objects.create(
        group=editors,
        collection=collection,
        permission=Permission.objects.get(codename="add_image"),
    )
    editor = User.objects.create_user("kozelsk", "kozelsk@example.org", PASSWORD)
    editor.groups.add(editors)
    return {"material": material, "obelisk": obelisk, "rules": rules, "hero": hero}


def file_hash(field_file):
    if not default_storage.exists(field_file.name):
        return None
    with default_storage.open(field_file.name, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def fingerprint():
    """Everything the comparison looks at, as plain values."""
    pages = [
        (p.pk, p.path, p.depth, p.numchild, p.title, p.draft_title, p.slug, p.url_path, p.live,
         p.has_unpublished_changes, p.locale.language_code, str(p.translation_key),
         p.content_type.app_label, p.content_type.model, p.latest_revision_id,
         p.live_revision_id, p.first_published_at)
        for p in Page.objects.select_related("locale", "content_type").order_by("path")
    ]  # fmt: skip
    revisions = [
        (r.pk, r.content_type.model, r.object_id, r.created_at, r.content)
        for r in Revision.objects.select_related("content_type").order_by("pk")
    ]
    images = [
        (i.pk, i.title, i.file.name, file_hash(i.file), i.width, i.height, i.focal_point_x,
         i.focal_point_y, i.focal_point_width, i.focal_point_height, i.collection.name,
         i.file_hash, i.created_at)
        for i in Image.objects.select_related("collection").order_by("pk")
    ]  # fmt: skip
    documents = [
        (d.pk, d.title, d.file.name, file_hash(d.file), d.collection.name)
        for d in Document.objects.select_related("collection").order_by("pk")
    ]
    users = [
        (u.pk, u.username, u.password, u.email, u.is_superuser, u.date_joined,
         sorted(u.groups.values_list("name", flat=True)))
        for u in User.objects.order_by("pk")
    ]  # fmt: skip
    groups = [
        (g.pk, g.name, sorted(g.permissions.values_list("content_type__app_label", "codename")))
        for g in Group.objects.order_by("pk")
    ]
    page_permissions = sorted(
        GroupPagePermission.objects.values_list("group__name", "page__path", "permission__codename")
    )
    collection_permissions = sorted(
        GroupCollectionPermission.objects.values_list(
            "group__name", "collection__name", "permission__codename"
        )
    )
    return {
        "pages": pages,
        "revisions": revisions,
        "images": images,
        "documents": documents,
        "users": users,
        "groups": groups,
        "page_permissions": page_permissions,
        "collection_permissions": collection_permissions,
        "collections": list(Collection.objects.order_by("path").values_list("path", "name")),
        "locales": list(Locale.objects.order_by("pk").values_list("pk", "language_code")),
        "sites": list(Site.objects.values_list("hostname", "root_page__path", "is_default_site")),
        "workflow_pages": sorted(WorkflowPage.objects.values_list("page__path", "workflow__name")),
        "hero_links": list(HeroMemorial.objects.values_list("page__title", "memorial__title")),
        "translations": sorted(
            Translation.objects.values_list("source__object_id", "target_locale__language_code")
        ),
    }


def back_up_and_empty(media_root, backups, build=build_network):
    """Build, back up, then return to a fresh installation: ``(archive, state, built, output)``."""
    out, err = StringIO(), StringIO()
    with transaction.atomic():
        built = build()
        state = fingerprint()
        call_command("backup", str(backups), stdout=out, stderr=err)
        transaction.set_rollback(True)
    shutil.rmtree(media_root)
    media_root.mkdir()
    for cache in caches.all():
        cache.clear()
    (archive,) = backups.glob("letopis-*.tar")
    return archive, state, built, out.getvalue() + err.getvalue()


def restore(archive, *args):
    out = StringIO()
    call_command("restore", str(archive), *args, stdout=out, stderr=out)
    return out.getvalue()


def media_files(media_root):
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------------------
# The round trip
# ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_restore_brings_back_the_network_exactly(client, media_root, backups):
    def build_and_render():
        built = build_network()
        # A rendition exists at backup time: its row and file are left out of the archive.
        assert client.get(built["material"].url).status_code == 200
        assert Rendition.objects.exists()
        return built

    archive, before, built, output = back_up_and_empty(media_root, backups, build_and_render)
    assert archive.name.startswith("letopis-") and archive.stat().st_mode & 0o077 == 0
    assert "Архив:" in output
    assert installation_contents() == []
    assert media_files(media_root) == []

    output = restore(archive)

    assert "Восстановлено:" in output and "wagtailcore.page" in output
    assert fingerprint() == before
    material = Page.objects.get(pk=built["material"].pk).specific
    assert material.has_unpublished_changes and material.title == "Хроника Козельска"
    assert material.get_latest_revision_as_object().title == "Хроника Козельска (дополнено)"
    assert User.objects.get(username="archivist").check_password(PASSWORD)

    # Renditions are made again from the restored originals, and their files exist.
    assert not Rendition.objects.exists()
    response = client.get(material.url)
    assert response.status_code == 200
    renditions = Rendition.objects.filter(image=built["obelisk"])
    assert renditions.exists()
    assert all(default_storage.exists(r.file.name) for r in renditions)
    assert renditions.first().url in response.content.decode()
    assert client.get(Page.objects.get(pk=built["hero"].pk).url).status_code == 200
    assert client.get("/en/").status_code == 200

    # The search index is rebuilt.
    response = client.get("/search/", {"q": "Хроника Козельска"})
    assert "Хроника Козельска" in response.content.decode()

    # New rows do not collide with the restored ids (sequences moved past them).
    page = LibraryPageFactory(parent=Page.objects.get(slug="biblioteki"), slug="novaya")
    assert page.pk > max(row[0] for row in before["pages"])


@pytest.mark.django_db
def test_archive_holds_a_manifest_the_dump_and_the_originals(media_root, backups):
    archive, before, built, _output = back_up_and_empty(media_root, backups)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        members = {name: tar.extractfile(name).read() for name in names if name != "manifest.json"}

    assert manifest["version"] == FORMAT_VERSION
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["rows"]["wagtailcore.page"] == len(before["pages"])
    assert manifest["database"]["rows"]["auth.user_groups"] == 1
    assert "wagtailimages.rendition" not in manifest["database"]["rows"]
    assert "0002_create_homepage" in manifest["migrations"]["home"]
    assert set(members) == set(manifest["members"])
    for name, data in members.items():
        assert hashlib.sha256(data).hexdigest() == manifest["members"][name]["sha256"]
    assert f"media/{built['obelisk'].file.name}" in names
    assert f"media/{built['rules'].file.name}" in names
    assert not [name for name in names if name.startswith("media/images/")]


@pytest.mark.django_db
def test_a_missing_file_is_a_warning_with_its_path(media_root, backups):
    def build():
        built = build_network()
        default_storage.delete(built["rules"].file.name)
        return built

    archive, _before, built, output = back_up_and_empty(media_root, backups, build)
    assert built["rules"].file.name in output
    assert "не найден" in output
    output = restore(archive)
    assert built["rules"].file.name in output
    assert Document.objects.get(pk=built["rules"].pk).title == "Положение о конкурсе"


@pytest.mark.django_db
def test_check_verifies_without_changing_anything(media_root, backups):
    archive, _before, _built, _output = back_up_and_empty(media_root, backups)
    assert "Архив цел" in restore(archive, "--check")
    assert installation_contents() == []
    assert media_files(media_root) == []


# ---------------------------------------------------------------------------------------
# Refusals: nothing is touched
# ---------------------------------------------------------------------------------------


def small_network():
    from home.models import HomePage

    home = HomePage.objects.get(depth=2, locale__language_code="ru")
    Image.objects.create(title="Обелиск", file=get_test_image_file(filename="obelisk.png"))
    libraries = LibraryIndexPageFactory(parent=home, slug="biblioteki")
    LibraryPageFactory(parent=libraries, title="Козельская ЦРБ", slug="kozelskaya")


@pytest.fixture
def archive(db, media_root, backups):
    archive, _state, _built, _output = back_up_and_empty(media_root, backups, small_network)
    return archive


def fresh_state():
    return list(Page.objects.order_by("path").values_list("pk", "path", "title")), list(
        Group.objects.order_by("pk").values_list("pk", "name")
    )


def refused(archive, media_root, message):
    before = fresh_state()
    with pytest.raises(CommandError, match=message):
        restore(archive)
    assert fresh_state() == before
    assert media_files(media_root) == []


def rewrite(archive, change):
    """A copy of the archive with ``change(name, data) -> data`` applied to its members."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    copy = archive.with_name("changed.tar")
    with tarfile.open(copy, "w") as tar:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return copy


def change_manifest(archive, edit):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return rewrite(archive, change)


def test_a_truncated_archive_is_refused(archive, media_root):
    truncated = archive.with_name("truncated.tar")
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    refused(truncated, media_root, "неполон|повреждён")


def test_something_else_is_refused(archive, media_root):
    other = archive.with_name("photo.tar")
    other.write_bytes(b"\x89PNG\r\n" + bytes(5000))
    refused(other, media_root, "не является архивом Летописи|неполон")
    refused(archive.with_name("nowhere.tar"), media_root, "не найден")


def test_a_changed_member_fails_its_checksum(archive, media_root):
    def flip(name, data):
        if name.startswith("media/"):
            return data[:-1] + bytes([data[-1] ^ 0xFF])
        return data

    refused(rewrite(archive, flip), media_root, "Контрольная сумма файла media/original_images/")


def test_an_unknown_format_version_is_refused(archive, media_root):
    def newer(manifest):
        manifest["version"] = FORMAT_VERSION + 1

    refused(change_manifest(archive, newer), media_root, "формате версии 2")


def test_another_schema_is_refused(archive, media_root):
    def newer(manifest):
        manifest["migrations"]["home"].append("0099_from_the_future")

    refused(change_manifest(archive, newer), media_root, "0099_from_the_future")


def test_a_member_outside_the_media_root_is_refused(archive, media_root):
    def escape(manifest):
        manifest["members"]["media/../settings.py"] = {"sha256": "0", "size": 1}

    refused(change_manifest(archive, escape), media_root, "Недопустимое имя")


@pytest.mark.django_db
def test_a_non_empty_installation_is_refused(archive, media_root):
    User.objects.create_user("someone", password=PASSWORD)
    default_storage.save("documents/own.txt", ContentFile(b"own"))
    before = media_files(media_root)
    with pytest.raises(CommandError, match=r"пустую установку.*пользователей — 1"):
        restore(archive)
    assert media_files(media_root) == before
    assert User.objects.get().username == "someone"
    assert Page.objects.count() == 2


def test_a_failed_load_changes_nothing(archive, media_root):
    """The last row of the dump is bad: every row before it was loaded, then rolled back,
    and the media files written before the load are removed."""
    import gzip

    def break_the_dump(name, data):
        if name != "database.jsonl.gz":
            return data
        rows = gzip.decompress(data) + b'{"model": "nowhere.nothing", "pk": 1, "fields": {}}\n'
        return gzip.compress(rows)

    broken = rewrite(archive, break_the_dump)
    with tarfile.open(broken) as tar:
        dump = tar.extractfile("database.jsonl.gz").read()

    def fix_checksum(manifest):
        manifest["members"]["database.jsonl.gz"] = {
            "sha256": hashlib.sha256(dump).hexdigest(),
            "size": len(dump),
        }

    refused(change_manifest(broken, fix_checksum), media_root, "Не удалось загрузить базу")
    assert installation_contents() == []
    assert Site.objects.get().root_page.title == "Летопись"


# ---------------------------------------------------------------------------------------
# The snapshot outside a test transaction (PostgreSQL: another connection sees only
# committed rows, which is what the command itself sees in production)
# ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_backup_reads_one_repeatable_read_only_snapshot(media_root, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a second connection to SQLite's in-memory test database would block")
    seen = {}

    def run():
        try:
            own = connections["default"]
            with snapshot(own), own.cursor() as cursor:
                cursor.execute("SHOW transaction_isolation")
                seen["isolation"] = cursor.fetchone()[0]
                cursor.execute("SHOW transaction_read_only")
                seen["read_only"] = cursor.fetchone()[0]
            seen["result"] = create_backup(tmp_path / "backups")
        except Exception as exc:  # reported in the test's thread
            seen["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert "error" not in seen, seen.get("error")
    assert seen["isolation"] == "repeatable read" and seen["read_only"] == "on"
    assert seen["result"].rows["wagtailcore.page"] == Page.objects.count()


@pytest.mark.django_db
def test_the_archive_never_goes_into_the_public_media_folder(media_root):
    with pytest.raises(CommandError, match="папку медиафайлов"):
        call_command("backup", str(media_root / "backups"), stdout=StringIO())
    assert media_files(media_root) == []
