"""Hardening (issue #8): the Content-Security-Policy, upload limits, documents served safely,
original images never public, fixed rendition filters, ``/healthz`` and the production
settings. The policy in a real browser: tests/browser/test_csp.py."""

import importlib
import json
import logging
import os
import re
import struct
import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import NoReverseMatch, clear_url_caches, reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, UploadedFile

import pytest
from PIL import Image as PILImage
from PIL import ImageFile

from operations.security import render_policy
from projects.embeds import parse_video_url
from settings.base import csp_origin
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
Image = get_image_model()
Document = get_document_model()
Rendition = Image.get_rendition_model()


def directives(header):
    policy = {}
    for part in header.split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def png_bytes(size=(40, 30)):
    buffer = BytesIO()
    PILImage.new("RGB", size, (120, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def png_header(width, height):
    """A "pixel bomb": a valid PNG of ~80 bytes whose header declares width × height pixels
    (the pixel data is never there; only a decoder would find out, too late)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


# -- Content-Security-Policy ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.example.org:8080/{z}/{x}/{y}.png", "http://tiles.example.org:8080"),
        ("https://tiles-{s}.example.org/{z}/{x}/{y}.png", "https://*.example.org"),
        ("https://a.b{s}.example.org/{z}.png", "https:"),
        ("//tiles.example.org/{z}/{x}/{y}.png", "tiles.example.org"),
        ("/tiles/{z}/{x}/{y}.png", ""),
    ],
)
def test_map_tile_source_comes_from_the_tile_url(url, source):
    assert csp_origin(url) == source


def test_public_pages_get_the_strict_policy(client, home_page):
    response = client.get("/")
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    policy = directives(header)
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", csp_origin(settings.MAP_TILE_URL)],
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://rutube.ru",
            "https://vkvideo.ru",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
    assert "https://tile.openstreetmap.org" in policy["img-src"]


@pytest.mark.parametrize(
    "url", ["/net-takoj-stranicy/", "/robots.txt", "/healthz", "/api/v2/pages/", "/sitemap.xml"]
)
def test_every_response_has_a_policy(client, home_page, url):
    assert directives(client.get(url)["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_static_files_have_a_policy_too(client):
    response = client.get("/static/css/letopis.css")
    response.close()
    assert response.status_code == 200
    assert "Content-Security-Policy" in response


def test_the_admin_gets_its_own_policy(client, home_page, superuser):
    policy = directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert policy == settings.CSP_POLICIES["admin"] | {
        "img-src": ["'self'", "data:", csp_origin(settings.MAP_TILE_URL)]
    }
    # What Wagtail's widgets need (settings/base.py says why), and nothing more.
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert all(not source.startswith("http") for source in policy["script-src"])
    # An editor on a public page (with Wagtail's user bar) gets the public policy.
    client.force_login(superuser)
    public = directives(client.get("/")["Content-Security-Policy"])
    assert public["script-src"] == ["'self'"] and public["style-src"] == ["'self'"]


def test_report_only_switch(client, home_page, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"])["script-src"] == ["'self'"]


def test_media_in_object_storage_may_be_shown(client, home_page):
    """With media in an S3 bucket (production's S3_BUCKET) pictures and videos come from the
    storage's address: the policy allows that origin for them, and nothing else."""
    from django.core.files.storage import default_storage

    from operations import security

    signed = "https://storage.example.org/letopis-media/csp-origin?X-Amz-Signature=0f"
    security.media_origin.cache_clear()
    security.rendered_policies.cache_clear()
    try:
        with mock.patch.object(default_storage, "url", return_value=signed):
            public = directives(client.get("/")["Content-Security-Policy"])
            admin = directives(client.get("/admin/login/")["Content-Security-Policy"])
    finally:
        security.media_origin.cache_clear()
        security.rendered_policies.cache_clear()
    for policy in (public, admin):
        assert policy["img-src"][-1] == "https://storage.example.org"
        assert policy["media-src"] == ["'self'", "https://storage.example.org"]
        assert policy["script-src"][0] == "'self'" and "https://storage.example.org" not in (
            policy["script-src"] + policy["style-src"] + policy.get("frame-src", [])
        )
    assert "media-src" not in directives(client.get("/")["Content-Security-Policy"])


def test_render_policy_drops_empty_directives_and_repeated_sources():
    assert (
        render_policy({"img-src": ["'self'", "", "'self'", "data:"], "frame-src": [""]})
        == "img-src 'self' data:"
    )


@pytest.mark.parametrize(
    "link",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
        "https://vk.com/video-12345_67890",
        "https://vkvideo.ru/video-12345_67890",
    ],
)
def test_every_video_player_is_an_allowed_frame(link):
    embed = parse_video_url(link).embed_url
    origin = "/".join(embed.split("/")[:3])
    assert origin in settings.CSP_POLICIES["public"]["frame-src"]


def test_django_debug_pages_keep_their_inline_styles(client, home_page, settings):
    """Only in development: Django's yellow error pages need their inline styles to be read."""
    settings.DEBUG = True
    response = client.get("/net-takoj-stranicy/")
    assert response.status_code == 404
    assert "Content-Security-Policy" not in response
    settings.DEBUG = False
    assert "Content-Security-Policy" in client.get("/net-takoj-stranicy/")


PUBLIC_TEMPLATES = [
    path
    for path in (ROOT / "templates").rglob("*.html")
    if not path.relative_to(ROOT / "templates").as_posix().startswith(("network/", "wagtail"))
]
INLINE_CODE = [
    # A script that runs: any <script> without src, except JSON data blocks.
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"),
    re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),  # onclick=…, onload=…
    re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),  # style="…"
    re.compile(r"<style[\s>]", re.IGNORECASE),
    re.compile(r"javascript:", re.IGNORECASE),
]


@pytest.mark.parametrize(
    "template", PUBLIC_TEMPLATES, ids=lambda p: p.relative_to(ROOT / "templates").as_posix()
)
def test_public_templates_have_no_inline_code(template):
    text = template.read_text(encoding="utf-8")
    found = [match.group(0) for pattern in INLINE_CODE for match in pattern.finditer(text)]
    assert not found, f"{template}: {found}"


def test_the_error_page_is_styled_by_a_file(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "style=" not in html and "/static/css/plain-page.css" in html


# -- upload limits --------------------------------------------------------------------------


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node()


def too_big_png(limit):
    """A real PNG padded past ``limit`` bytes."""
    data = png_bytes()
    return data + b"\0" * (limit + 1 - len(data))


IMAGE_CASES = {
    # name: (file name, content, the start of the expected Russian message)
    "too-big": (
        "scan.png",
        lambda: too_big_png(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE),
        "Файл слишком большой",
    ),
    "pixel-bomb": (
        "bomb.png",
        lambda: png_header(30_000, 30_000),
        "В изображении слишком много точек",
    ),
    "over-the-pixel-limit": (
        "big.png",
        lambda: png_header(9_000, 8_000),
        "В изображении слишком много точек",
    ),
    # Willow takes markup for SVG: a type not accepted.
    "html-as-jpg": (
        "photo.jpg",
        lambda: b"<html><script>alert(1)</script></html>",
        "Изображения такого типа не принимаются",
    ),
    "png-as-jpg": ("photo.jpg", png_bytes, "Расширение файла «.jpeg» не соответствует"),
    "svg": (
        "drawing.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "Изображения такого типа не принимаются",
    ),
    # A valid header whose picture data is cut short: Willow's decoder fails.
    "truncated": (
        "scan.png",
        lambda: png_header(2_000, 1_000),
        "Файл не удалось открыть как изображение",
    ),
    "exe": (
        "setup.exe",
        lambda: b"MZ\x90\x00" + b"\0" * 60,
        "Файл не удалось открыть как изображение",
    ),
}


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def saved_state():
    """What an upload could leave behind: images, pending uploads, original files."""
    originals = Path(settings.MEDIA_ROOT) / "original_images"
    files = set(originals.iterdir()) if originals.exists() else set()
    return Image.objects.count(), UploadedFile.objects.count(), files


def assert_nothing_saved(before):
    """Nothing new since ``before`` (other tests share the media folder)."""
    assert saved_state() == before


def upload_errors(client, app, endpoint, name, content, collection):
    """Post the file to one of the admin's three upload paths of ``app`` ("images" or
    "docs"); return its status and the error text it shows."""
    if endpoint in ("add", "add_multiple"):
        response = client.post(
            reverse(f"wagtail{app}:{endpoint}"),
            {"title": "Проверка", "collection": collection.pk}
            | {"file" if endpoint == "add" else "files[]": upload(name, content)},
        )
        if endpoint == "add":
            return response.status_code, response.content.decode()
        data = response.json()
        assert data["success"] is False, data
        return response.status_code, data["error_message"]
    prefix = {"images": "image", "docs": "document"}[app] + "-chooser-upload"
    response = client.post(
        reverse(f"wagtail{app}_chooser:create"),
        {
            f"{prefix}-title": "Проверка",
            f"{prefix}-collection": collection.pk,
            f"{prefix}-file": upload(name, content),
        },
    )
    data = response.json()
    assert data["step"] == "reshow_creation_form", data
    return response.status_code, data["htmlFragment"]


@pytest.mark.parametrize("case", IMAGE_CASES)
@pytest.mark.parametrize("endpoint", ["add", "add_multiple", "chooser"])
def test_a_bad_image_is_refused_with_a_clear_message(
    admin_browser, root_collection, endpoint, case
):
    name, content, message = IMAGE_CASES[case]
    before = saved_state()
    status, text = upload_errors(
        admin_browser, "images", endpoint, name, content(), root_collection
    )
    assert status == 200
    text = text.replace("&quot;", '"').replace("&#x27;", "'").replace("&laquo;", "«")
    assert message in text, text[:3000]
    assert_nothing_saved(before)


def test_a_pixel_bomb_is_refused_before_anything_is_decoded(admin_browser, root_collection):
    """Wagtail alone decodes the whole picture to count its pixels (a compressible PNG of
    70-170 megapixels becomes hundreds of megabytes of memory first); the header decides."""
    with mock.patch.object(ImageFile.ImageFile, "load", autospec=True) as load:
        status, text = upload_errors(
            admin_browser,
            "images",
            "add_multiple",
            "big.png",
            png_header(9_000, 8_000),
            root_collection,
        )
    assert status == 200 and "В изображении слишком много точек" in text
    assert load.call_count == 0


def test_the_image_limits_are_set():
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 20 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 64_000_000
    assert sorted(settings.WAGTAILIMAGES_EXTENSIONS) == [
        "avif",
        "gif",
        "jpeg",
        "jpg",
        "png",
        "webp",
    ]
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * 1024 * 1024
    assert not {"html", "htm", "svg", "js", "exe", "xhtml", "xml"} & set(
        settings.WAGTAILDOCS_EXTENSIONS
    )


def test_a_good_image_still_uploads(admin_browser, root_collection):
    response = admin_browser.post(
        reverse("wagtailimages:add_multiple"),
        {"collection": root_collection.pk, "files[]": upload("photo.png", png_bytes())},
    )
    assert response.json()["success"] is True
    assert Image.objects.filter(file__startswith="original_images/photo").count() == 1


DOCUMENT_CASES = {
    "too-big": (
        "scan.pdf",
        lambda: b"%PDF-1.4\n" + b"\0" * settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        "Файл слишком большой",
    ),
    "html": ("page.html", lambda: b"<html><script>alert(1)</script></html>", "Расширение файлов"),
    "svg": (
        "drawing.svg",
        lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        "Расширение файлов",
    ),
    "exe": ("setup.exe", lambda: b"MZ\x90\x00", "Расширение файлов"),
    "no-extension": ("README", lambda: b"text", "Расширение файлов"),
}


@pytest.mark.parametrize("case", DOCUMENT_CASES)
@pytest.mark.parametrize("endpoint", ["add", "add_multiple", "chooser"])
def test_a_bad_document_is_refused_with_a_clear_message(
    admin_browser, root_collection, endpoint, case
):
    name, content, message = DOCUMENT_CASES[case]
    before = Document.objects.count(), UploadedFile.objects.count()
    status, text = upload_errors(admin_browser, "docs", endpoint, name, content(), root_collection)
    assert status == 200
    assert message in text, text[:3000]
    assert (Document.objects.count(), UploadedFile.objects.count()) == before


def test_a_png_renamed_pdf_is_a_document_but_never_shown_as_a_page(admin_browser, root_collection):
    """Documents are files, not checked for content: the allowed extension decides the type
    they are served with, and the browser is told not to guess (nosniff) nor run anything."""
    response = admin_browser.post(
        reverse("wagtaildocs:add_multiple"),
        {"collection": root_collection.pk, "files[]": upload("scan.pdf", png_bytes())},
    )
    assert response.json()["success"] is True
    document = Document.objects.get(title="scan.pdf")
    served = admin_browser.get(document.url)
    served.close()
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"


# -- documents served safely ----------------------------------------------------------------


def test_documents_are_served_by_wagtails_view():
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == ["application/pdf", "text/plain"]
    assert settings.WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT is True


@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition"),
    [
        ("notes.txt", b"<html><script>alert(1)</script></html>", "text/plain", "inline"),
        ("rules.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf", "inline"),
        ("stats.csv", "район;библиотек\nКозельский;12\n".encode(), "text/csv", "attachment"),
        ("report.docx", b"PK\x03\x04docx", None, "attachment"),
        ("captions.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\n<b>hi</b>\n", None, "attachment"),
    ],
)
def test_documents_have_safe_headers(client, name, content, content_type, disposition):
    document = Document.objects.create(title=name, file=ContentFile(content, name=name))
    url = document.url
    assert url == f"/documents/{document.pk}/{name}"
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Content-Disposition"].startswith(disposition)
    assert not response["Content-Type"].startswith(("text/html", "image/svg", "application/xhtml"))
    if content_type:
        assert response["Content-Type"].split(";")[0] == content_type
    assert b"".join(response.streaming_content) == content
    response.close()


def test_a_private_collections_document_is_not_served_to_a_visitor(client, root_collection):
    private = root_collection.add_child(name="Внутренние документы")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = Document.objects.create(
        title="Служебная записка",
        collection=private,
        file=ContentFile(b"secret", name="memo.txt"),
    )
    response = client.get(document.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# -- original images are not public ---------------------------------------------------------


@pytest.fixture
def pictured_pages(make_library, make_project, make_contribution, make_memorial, home_page):
    def image(title):
        return Image.objects.create(title=title, file=get_test_image_file(size=(1200, 800)))

    home_page.hero_image = image("Обелиск")
    home_page.save_revision().publish()
    library, project = make_library(), make_project()
    contribution = make_contribution(library, project, title="Летопись села")
    contribution.cover_image = image("Обложка")
    contribution.body = [
        {
            "type": "gallery",
            "value": {
                "title": "Встреча",
                "images": [
                    {
                        "type": "item",
                        "value": {
                            "image": image("Встреча").pk,
                            "caption": "",
                            "credit": "",
                            "alt_text": "Встреча",
                        },
                        "id": "item-1",
                    }
                ],
            },
        }
    ]
    contribution.save_revision().publish()
    memorial = make_memorial(photo=image("Памятник"))
    return [home_page, contribution, memorial]


def test_pages_and_the_api_never_give_an_original_image(client, pictured_pages):
    for page in pictured_pages:
        page.refresh_from_db()
        html = client.get(page.url).content.decode()
        assert "/media/images/" in html, page.url
        assert "original_images" not in html, page.url
    for url in [
        "/api/v2/images/",
        f"/api/v2/images/{Image.objects.first().pk}/",
        f"/api/v2/pages/{pictured_pages[1].pk}/",
        f"/api/v2/pages/{pictured_pages[2].pk}/",
        "/api/v2/pages/?type=projects.ContributionPage&fields=*",
        "/api/memorials.geojson",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "original_images" not in body and "download_url" not in body, url


@pytest.fixture
def debug_urls(settings):
    """The URL configuration as ``DEBUG = True`` builds it (urls.py reads DEBUG on import)."""
    import urls

    settings.DEBUG = True
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(urls)
    clear_url_caches()


def test_the_development_server_never_serves_originals_or_documents(client, debug_urls, home_page):
    image = Image.objects.create(title="Фото", file=get_test_image_file(size=(200, 100)))
    rendition = image.get_rendition("width-100")
    document = Document.objects.create(title="Правила", file=ContentFile(b"x", name="rules.pdf"))
    original, stored_document = image.file.name, document.file.name
    assert original.startswith("original_images/") and stored_document.startswith("documents/")
    assert (Path(settings.MEDIA_ROOT) / original).is_file()

    response = client.get(rendition.url)
    assert response.status_code == 200
    # Read to the end (which closes the file); ``response.close()`` would send
    # request_finished and close the test's database connection on PostgreSQL.
    assert b"".join(response.streaming_content)
    for path in [
        original,
        stored_document,
        original.upper(),
        f"images/../{original}",
        f"./{original}",
        f"images/..%2F{original}",
        f"/{original}",
        original.replace("/", "\\"),
    ]:
        assert client.get(f"/media/{path}").status_code == 404, path


# -- rendition filters are fixed ------------------------------------------------------------


def test_the_dynamic_image_view_is_not_routed(client, home_page):
    with pytest.raises(NoReverseMatch):
        reverse("wagtailimages_serve", args=("signature", 1, "fill-10x10"))
    image = Image.objects.create(title="Фото", file=get_test_image_file())
    before = Rendition.objects.count()
    for url in [
        f"/images/abc/{image.pk}/fill-10x10/",
        f"/images/abc/{image.pk}/fill-10x10/photo.png",
        f"/en/images/abc/{image.pk}/fill-10x10/",
    ]:
        assert client.get(url).status_code == 404, url
    assert Rendition.objects.count() == before


def test_api_clients_cannot_choose_a_filter_spec(client, pictured_pages):
    from api import API_IMAGE_SPEC

    image = Image.objects.order_by("pk").first()
    asked = [
        f"/api/v2/images/{image.pk}/?fields=rendition(fill-10x10)",
        f"/api/v2/images/{image.pk}/?fields=thumbnail",
        f"/api/v2/images/{image.pk}/?fields=fill-10x10",
        f"/api/v2/images/{image.pk}/?spec=fill-10x10&filter=fill-10x10",
        "/api/v2/images/?fields=*,rendition(fill-20x20)",
        f"/api/v2/pages/{pictured_pages[1].pk}/?fields=cover_image(fill-30x30)",
        f"/api/v2/pages/{pictured_pages[1].pk}/?fields=cover_image(rendition)",
        "/api/v2/images/?fields=rendition",
        f"/api/v2/images/{image.pk}/",
    ]
    known = set(Rendition.objects.values_list("pk", flat=True))
    for url in asked:
        assert client.get(url).status_code in (200, 400), url
    new_specs = set(Rendition.objects.exclude(pk__in=known).values_list("filter_spec", flat=True))
    assert new_specs <= {API_IMAGE_SPEC}
    detail = client.get(f"/api/v2/images/{image.pk}/").json()
    assert detail["rendition"]["url"].startswith("/media/images/")
    assert API_IMAGE_SPEC.replace("|", ".") in detail["rendition"]["url"]


# -- /healthz -------------------------------------------------------------------------------

SECRETS = ["db.internal", "10.0.0.5", "5432", "PostgreSQL", "redis", "6379", "/srv/", "Errno"]


def test_healthz_reports_every_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok"},
    }
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies and "Set-Cookie" not in response
    assert response["Content-Type"] == "application/json"
    # The storage check leaves nothing behind.
    folder = Path(settings.MEDIA_ROOT) / "healthz"
    assert not folder.exists() or not any(folder.iterdir())
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize("failing", ["database", "cache", "storage"])
def test_healthz_reports_a_failure_without_details(client, caplog, failing):
    patches = {
        "database": mock.patch(
            "operations.health.connection.cursor",
            side_effect=OperationalError(
                'connection to server at "db.internal" (10.0.0.5), port 5432 failed: '
                "PostgreSQL 16.1"
            ),
        ),
        "cache": mock.patch(
            "operations.health.cache.set",
            side_effect=ConnectionError("Error 111 connecting to redis:6379. Connection refused."),
        ),
        "storage": mock.patch(
            "operations.health.default_storage.save",
            side_effect=PermissionError(13, "Permission denied", "/srv/letopis/media/healthz"),
        ),
    }
    with patches[failing], caplog.at_level(logging.ERROR, logger="operations.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    expected = dict.fromkeys(("database", "cache", "storage"), "ok") | {failing: "error"}
    assert response.json() == {"status": "error", "checks": expected}
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    # The details are in the server's log.
    assert any(record.exc_info for record in caplog.records), caplog.records


def test_healthz_is_not_in_the_sitemap(client, home_page):
    assert "healthz" not in client.get("/sitemap-pages.xml").content.decode()


# -- production settings --------------------------------------------------------------------


def env_example():
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def production(code):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CSP_"))}
    env.update(env_example())
    env["PYTHONPATH"] = str(ROOT / "site")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_production_settings_harden_the_site():
    result = production(
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({name: getattr(s, name) for name in ["
        "'CSP_POLICIES', 'CSP_REPORT_ONLY', 'MIDDLEWARE', 'SECURE_REDIRECT_EXEMPT', "
        "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
        "'WAGTAILDOCS_SERVE_METHOD', 'SECURE_CROSS_ORIGIN_OPENER_POLICY', 'DEBUG']}))"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["CSP_REPORT_ONLY"] is False
    assert "operations.security.ContentSecurityPolicyMiddleware" in values["MIDDLEWARE"]
    assert values["CSP_POLICIES"]["public"]["script-src"] == ["'self'"]
    assert values["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$"]
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"


def test_check_deploy_is_clean():
    """What `make deploy-check` runs."""
    result = production(
        "import sys, django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    assert result.returncode == 0, result.stdout + result.stderr
