"""The memorials as GeoJSON (RFC 7946): the map's data and an open data download.

One ``Feature`` per published memorial with a ``Point`` geometry in
``[longitude, latitude]`` order (WGS84) and the properties ``title``, ``url``, ``kind``,
``district``, ``settlement``, ``ref`` and, when the memorial has a photograph, ``photo``
(a small rendition for the map's popup). The output is compact (no spaces, UTF-8 rather
than ``\\u`` escapes): 5,000 memorials stay small enough for a phone once gzipped.
"""

import hashlib
import json
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Sum
from django.utils.translation import gettext as _

from wagtail.images import get_image_model
from wagtail.models import Locale

from .listing import read_district, read_kind
from .locales import in_locale
from .models import MemorialPage

#: The popup's photograph (see static/js/memorial-map.js).
POPUP_PHOTO_SPEC = "fill-240x160"
VERSION_KEY = "memorials:geojson:version"
BODY_CACHE_SECONDS = 24 * 60 * 60

MAP_FIELDS = (
    "pk",
    "title",
    "url_path",
    "locale_id",
    "kind",
    "latitude",
    "longitude",
    "district",
    "settlement",
    "ref",
    "photo_id",
)


class FilterError(ValueError):
    """A query parameter the GeoJSON cannot honour; its message is shown to the caller."""


# -- filters -------------------------------------------------------------------------------


def parse_bbox(value):
    """``west,south,east,north`` in degrees → a tuple, or :class:`FilterError`."""
    parts = [p.strip() for p in value.replace(";", ",").split(",")]
    if len(parts) != 4:
        raise FilterError(
            _(
                "bbox: нужно четыре числа через запятую — запад, юг, восток, север (долгота, широта)."
            )
        )
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise FilterError(
            _("bbox: координаты должны быть числами, например 35.1,53.9,36.8,54.9.")
        ) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise FilterError(_("bbox: координаты должны быть конечными числами."))
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise FilterError(_("bbox: долгота должна быть от −180 до 180 градусов."))
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise FilterError(_("bbox: широта должна быть от −90 до 90 градусов."))
    if south > north:
        raise FilterError(_("bbox: южная граница севернее северной."))
    if west > east:
        raise FilterError(_("bbox: западная граница восточнее восточной."))
    return west, south, east, north


def parse_filters(params):
    """The GeoJSON's filters from a query dict: ``lang``, ``district``, ``kind``, ``bbox``.

    Unknown parameters are ignored (a cache-busting ``_=`` is harmless); a bad value of a
    known one raises :class:`FilterError` with a Russian message.
    """
    filters = {}
    languages = {code for code, _name in settings.LANGUAGES}
    lang = (params.get("lang") or settings.LANGUAGE_CODE).strip()
    if lang not in languages:
        raise FilterError(
            _("lang: язык «%(lang)s» не поддерживается; можно: %(langs)s.")
            % {"lang": lang[:20], "langs": ", ".join(sorted(languages))}
        )
    filters["lang"] = lang
    if params.get("district", "").strip():
        known = set(
            MemorialPage.objects.published()
            .order_by()
            .values_list("district", flat=True)
            .distinct()
        )
        district, error = read_district(params["district"], known)
        if error:
            raise FilterError(error)
        filters["district"] = district
    if params.get("kind", "").strip():
        kind, error = read_kind(params["kind"])
        if error:
            raise FilterError(error)
        filters["kind"] = kind
    if params.get("bbox", "").strip():
        filters["bbox"] = parse_bbox(params["bbox"])
    return filters


# -- data ----------------------------------------------------------------------------------


def memorials_for_map(filters=None):
    """Published memorials with a point, in the filters' language, narrowed by the filters."""
    filters = filters or {}
    locale = Locale.objects.filter(
        language_code=filters.get("lang") or settings.LANGUAGE_CODE
    ).first()
    memorials = (
        in_locale(MemorialPage.objects.published(), locale)
        .exclude(latitude=None)
        .exclude(longitude=None)
    )
    if filters.get("district"):
        memorials = memorials.filter(district=filters["district"])
    if filters.get("kind"):
        memorials = memorials.filter(kind=filters["kind"])
    if filters.get("bbox"):
        west, south, east, north = filters["bbox"]
        memorials = memorials.filter(
            longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
        )
    return memorials


def _coordinate(value):
    # Decimal("36.275400") → 36.2754: the shortest float that reads back the same.
    return float(value)


def feature(memorial, url, photo_url=""):
    """One memorial as a GeoJSON ``Feature`` (coordinates in longitude, latitude order)."""
    properties = {
        "title": memorial.title,
        "url": url,
        "kind": memorial.kind,
        "district": memorial.district,
        "settlement": memorial.settlement,
        "ref": memorial.ref,
    }
    if photo_url:
        properties["photo"] = photo_url
    return {
        "type": "Feature",
        "id": memorial.pk,
        "geometry": {
            "type": "Point",
            "coordinates": [_coordinate(memorial.longitude), _coordinate(memorial.latitude)],
        },
        "properties": properties,
    }


def feature_collection(memorials, request=None, base_url=None):
    """A GeoJSON ``FeatureCollection`` dict of ``memorials`` (a queryset).

    URLs are site-relative (``/biblioteki/…/``) unless ``base_url`` is given (exports).
    The popup's renditions are prefetched with the memorials; a missing one is made once.
    """
    Rendition = get_image_model().get_rendition_model()
    memorials = (
        memorials.only(*MAP_FIELDS)
        .select_related("photo")
        .prefetch_related(
            Prefetch(
                "photo__renditions",
                queryset=Rendition.objects.filter(filter_spec=POPUP_PHOTO_SPEC),
            )
        )
        .order_by("pk")
    )
    features = []
    for memorial in memorials:
        url = memorial.get_url(request) or ""
        photo_url = ""
        if memorial.photo is not None:
            try:
                photo_url = memorial.photo.get_rendition(POPUP_PHOTO_SPEC).url
            except Exception:  # a missing or broken image file must not break the map
                photo_url = ""
        if base_url:
            url = base_url + url if url.startswith("/") else url
            photo_url = base_url + photo_url if photo_url.startswith("/") else photo_url
        features.append(feature(memorial, url, photo_url))
    return {"type": "FeatureCollection", "features": features}


def dumps(collection):
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- caching -------------------------------------------------------------------------------


def data_version():
    """A number that changes whenever a memorial is published, unpublished, moved or deleted.

    Signals bump it (see ``signals.py``); the ETag also hashes the count and the latest
    publication time, so a cache that lost the version still notices new data.
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_version():
    cache.set(VERSION_KEY, time.time(), None)


def fingerprint(memorials, filters):
    """``(etag, last modified datetime or None)`` of a filtered set, in one query."""
    stamp = memorials.order_by().aggregate(
        count=Count("pk"),
        latest=Max("last_published_at"),
        edited=Max("latest_revision_created_at"),
        top=Max("pk"),
        total=Sum("pk"),
    )
    key = json.dumps([data_version(), stamp, filters], sort_keys=True, default=str)
    return hashlib.sha256(key.encode()).hexdigest()[:32], stamp["latest"]


def cached_body(etag, build):
    key = f"memorials:geojson:{etag}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, BODY_CACHE_SECONDS)
    return body
