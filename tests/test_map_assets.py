"""The map's assets: vendored Leaflet with its licences, the site's map script, no inline code."""

import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.template import Context, Template

import pytest

STATIC = Path(settings.BASE_DIR) / "static"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
MAP_JS = STATIC / "js" / "map.js"

VENDORED = [
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.js.map",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/layers.png",
    "vendor/leaflet/images/layers-2x.png",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.markercluster/leaflet.markercluster.js.map",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
]
OWN = ["js/map.js", "css/map.css", "css/network.css"]


@pytest.mark.parametrize("path", VENDORED + OWN)
def test_static_file_exists(path):
    assert (STATIC / path).is_file(), path
    assert (STATIC / path).stat().st_size > 0


@pytest.mark.parametrize(
    ("folder", "licence"),
    [
        ("leaflet", "BSD 2-Clause License"),
        ("leaflet.markercluster", "Permission is hereby granted"),
    ],
)
def test_vendored_packages_keep_their_licence(folder, licence):
    assert licence in (STATIC / "vendor" / folder / "LICENSE").read_text()


def test_vendor_readme_names_packages_versions_and_licences():
    readme = (STATIC / "vendor" / "README.md").read_text()
    for text in ("leaflet", "1.9.4", "BSD-2-Clause", "leaflet.markercluster", "1.5.3", "MIT"):
        assert text in readme
    version = re.search(r'version="([\d.]+)"', (STATIC / "vendor/leaflet/leaflet.js").read_text())
    assert version and version.group(1) == "1.9.4"


def test_every_referenced_source_map_and_image_exists():
    """whitenoise's manifest storage fails on a sourceMappingURL or url() to a missing file."""
    for path in VENDORED + OWN:
        if not path.endswith((".js", ".css")):
            continue
        text = (STATIC / path).read_text()
        folder = (STATIC / path).parent
        for ref in re.findall(r"sourceMappingURL=(\S+)", text):
            assert (folder / ref).is_file(), (path, ref)
        for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", text):
            if ref.startswith(("#", "data:")):
                continue
            assert (folder / ref).is_file(), (path, ref)


def test_manifest_storage_hashes_the_map_files(tmp_path):
    """What ``collectstatic`` does in production, for the map's files only."""
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    source = FileSystemStorage(location=STATIC)
    storage = CompressedManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    paths = {}
    for path in VENDORED + OWN:
        with source.open(path) as handle:
            storage.save(path, handle)
        paths[path] = (source, path)
    results = list(storage.post_process(paths))
    errors = [error for _, _, error in results if isinstance(error, Exception)]
    assert not errors
    hashed = storage.stored_name("vendor/leaflet/leaflet.js")
    assert hashed != "vendor/leaflet/leaflet.js"
    text = (tmp_path / hashed).read_text()
    assert re.search(r"sourceMappingURL=leaflet\.js\.[0-9a-f]{12}\.map", text)


def test_map_js_writes_data_as_text_only():
    script = MAP_JS.read_text()
    for unsafe in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in script, unsafe
    assert "new Function" not in script
    assert ".textContent = point." in script  # popups are built with DOM methods
    # Both hooks: the map component and the StreamField place block.
    assert ".map[data-map]" in script and ".map[data-lat][data-lon]" in script


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_map_js_is_valid_javascript():
    result = subprocess.run(
        ["node", "--check", str(MAP_JS)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_templates_have_no_inline_code():
    """A strict Content-Security-Policy comes later: only script files and JSON data."""
    assert _templates()
    for template in _templates():
        source = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", source, flags=re.IGNORECASE):
            assert 'type="application/json"' in tag or "src=" in tag, (template.name, tag)
        handlers = re.findall(r"\son[a-z]+\s*=\s*[\"']", source)
        assert not handlers, (template.name, handlers)
        assert "javascript:" not in source, template.name


def test_map_tags_render_files_and_configuration(settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_ATTRIBUTION = "&copy; участники OpenStreetMap"
    html = Template("{% load network_tags %}{% map_css %}{% map_js %}").render(Context())
    for path in (
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet.markercluster/MarkerCluster.css",
        "css/map.css",
    ):
        assert f'<link rel="stylesheet" href="/static/{path}">' in html
    for path in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet.markercluster/leaflet.markercluster.js",
    ):
        assert f'<script src="/static/{path}" defer></script>' in html
    assert html.index("leaflet.js") < html.index("leaflet.markercluster.js") < html.index("map.js")
    config = re.search(
        r'<script id="letopis-map-config" type="application/json">(.*?)</script>', html
    )
    import json

    data = json.loads(config.group(1))
    assert data["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert data["attribution"] == "&copy; участники OpenStreetMap"
    assert data["icon"]["url"] == "/static/vendor/leaflet/images/marker-icon.png"
    assert data["strings"]["zoomIn"] == "Приблизить"


def test_map_component_renders_a_labelled_hidden_region_with_json_points(settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = Template(
        '{% include "components/map.html" with points=points map_id="m" label="Карта мест" %}'
    ).render(Context({"points": [{"lat": 54.5, "lon": 36.2, "title": "<b>Калуга</b>"}]}))
    assert 'data-map data-points="m-data"' in html
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'role="region" aria-label="Карта мест"' in html and " hidden>" in html
    assert (
        '<script id="m-data" type="application/json">'
        '[{"lat": 54.5, "lon": 36.2, "title": "\\u003Cb\\u003EКалуга\\u003C/b\\u003E"}]</script>'
    ) in html
