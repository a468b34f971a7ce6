"""Template tags of the library network and of the shared map component.

A page with a map loads the map's files and renders the component::

    {% load network_tags %}
    {% block extra_head %}{% map_css %}{% endblock %}
    {% block extra_js %}{% map_js %}{% endblock %}
    ...
    {% include "components/map.html" with points=map_points map_id="libraries-map" label=map_label %}

``{% map_js %}`` also writes the site-wide map configuration (tile server, attribution,
marker icons, the map's UI strings) as a JSON data element, so a bare
``<div class="map" data-lat=… data-lon=… data-label=…>`` rendered by a StreamField
``place`` block is enhanced without template tags of its own.
"""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from home.structured_data import JSON_ESCAPES
from network.regions import label as region_label
from network.views import library_place, library_point

register = template.Library()

MAP_CONFIG_ID = "letopis-map-config"

MAP_STYLESHEETS = (
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "css/map.css",
)
MAP_SCRIPTS = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "js/map.js",
)


@register.simple_tag
def map_settings():
    """The tile server and its attribution, from ``settings.MAP_TILE_URL`` / ``MAP_ATTRIBUTION``.

    The attribution is HTML written by the site's administrators (a link to the map data's
    licence); Leaflet renders it in the attribution control.
    """
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_ATTRIBUTION", ""),
    }


def map_config():
    """Everything map.js needs besides each map's points, with URLs of hashed static files.

    Leaflet guesses its marker images' folder from its stylesheet, which fails once the
    manifest storage has renamed the files; the icons are therefore passed explicitly.
    """
    return {
        "tileUrl": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_ATTRIBUTION", ""),
        "icon": {
            "url": static("vendor/leaflet/images/marker-icon.png"),
            "retinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
        },
        "strings": {
            "map": gettext("Карта"),
            "mapOf": gettext("Карта: %(label)s"),
            "zoomIn": gettext("Приблизить"),
            "zoomOut": gettext("Отдалить"),
            "point": gettext("Точка на карте"),
            "cluster": gettext("Отметок в этой группе:"),
            "tilesFailed": gettext(
                "Подложка карты не загрузилась; отметки показаны без неё, а адреса есть в тексте страницы."
            ),
        },
    }


def json_data(value, element_id):
    """Like Django's ``json_script``, but readable Cyrillic instead of ``\\uXXXX`` escapes.

    A map of a hundred places in Russian is about a third the size this way.
    """
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(data.translate(JSON_ESCAPES)),  # escaped above
    )


@register.filter
def map_json(value, element_id):
    """``{{ points|map_json:"libraries-map-data" }}``: the points as a JSON data element."""
    return json_data(value, element_id)


@register.filter
def place(library, with_region=False):
    """Where a library is: «с. Утешево, Бабынинский район» (see ``network.views.library_place``)."""
    return library_place(library, with_region=bool(with_region))


@register.filter
def place_label(name):
    """A region's or district's name in the visitor's language (``regions.label``): the
    stored names are Russian data, used as filter values and in URLs."""
    return region_label(name)


@register.simple_tag
def map_css():
    """``<link>`` elements of Leaflet, markercluster and the site's map styles."""
    return format_html_join(
        "\n", '<link rel="stylesheet" href="{}">', ((static(path),) for path in MAP_STYLESHEETS)
    )


@register.simple_tag
def map_js():
    """The map configuration (JSON data, not code) and the deferred map scripts.

    No inline code: the scripts are files and the configuration is an
    ``application/json`` element, so a strict Content-Security-Policy can forbid inline
    scripts.
    """
    scripts = format_html_join(
        "\n", '<script src="{}" defer></script>', ((static(path),) for path in MAP_SCRIPTS)
    )
    return format_html("{}\n{}", json_data(map_config(), MAP_CONFIG_ID), scripts)


@register.simple_tag(takes_context=True)
def library_map_points(context, *libraries):
    """Map points (see ``network.views.library_point``) of the given libraries with a place.

    ``{% library_map_points page as points %}`` for one library; a list or queryset of
    libraries may be passed as well.
    """
    request = context.get("request")
    flat = []
    for item in libraries:
        if item is None:
            continue
        if isinstance(item, list | tuple) or hasattr(item, "model"):
            flat.extend(item)
        else:
            flat.append(item)
    return [point for library in flat if (point := library_point(library, request))]
