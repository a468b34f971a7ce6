"""Open data: the memorials as GeoJSON and CSV, the heroes as CSV.

The URLs sit outside the language prefixes (``/api/memorials.geojson``), like the API.
Responses are cacheable: an ETag and Last-Modified answer conditional requests with 304,
``Cache-Control`` lets browsers and proxies keep them for a few minutes, and the GeoJSON
is gzipped for clients that accept it. A bad parameter is a 400 with a JSON error in
Russian, never a server error.
"""

import io

from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from . import geojson
from .exchange import (
    export_heroes_queryset,
    export_memorials_queryset,
    write_heroes_csv,
    write_memorials_csv,
)

MAX_AGE = 300


def _cache_headers(response, etag, last_modified):
    response["ETag"] = f'"{etag}"'
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _error(message, status=400):
    return JsonResponse(
        {"error": str(message)}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@require_safe
@gzip_page
def memorials_geojson(request):
    """``/api/memorials.geojson?district=…&kind=…&bbox=w,s,e,n&lang=ru``."""
    try:
        filters = geojson.parse_filters(request.GET)
    except geojson.FilterError as exc:
        return _error(exc)
    memorials = geojson.memorials_for_map(filters)
    etag, last_modified = geojson.fingerprint(memorials, filters)
    not_modified = get_conditional_response(
        request, etag=f'"{etag}"', last_modified=last_modified and last_modified.timestamp()
    )
    if not_modified is not None:
        return _cache_headers(not_modified, etag, last_modified)

    def build():
        return geojson.dumps(geojson.feature_collection(memorials, request=request))

    body = geojson.cached_body(etag, build)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may map it
    return _cache_headers(response, etag, last_modified)


def _csv_download(request, queryset, writer, filename):
    etag, last_modified = geojson.fingerprint(queryset, {"csv": filename})
    not_modified = get_conditional_response(
        request, etag=f'"{etag}"', last_modified=last_modified and last_modified.timestamp()
    )
    if not_modified is not None:
        return _cache_headers(not_modified, etag, last_modified)
    stream = io.StringIO()
    writer(stream)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return _cache_headers(response, etag, last_modified)


@require_safe
def memorials_csv(request):
    """All published memorials, the import's columns (UTF-8 with BOM, semicolons)."""
    return _csv_download(
        request, export_memorials_queryset(), write_memorials_csv, "letopis-memorials.csv"
    )


@require_safe
def heroes_csv(request):
    """All published heroes of the Book of Memory, the import's columns."""
    return _csv_download(request, export_heroes_queryset(), write_heroes_csv, "letopis-heroes.csv")
