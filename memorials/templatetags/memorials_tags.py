"""Template tags of memorials and heroes: structured data and the map's script.

``{% structured_data page %}`` writes the page's schema.org JSON-LD in a
``<script type="application/ld+json">`` element. It is data, not code: the JSON is
escaped the way ``json_script`` escapes it (``<``, ``>`` and ``&`` as ``\\u`` escapes), so
a title containing ``</script>`` cannot end the element, and a strict
Content-Security-Policy that forbids inline scripts does not apply to it.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

SHARE_SPEC = "fill-1200x630-c80|format-jpeg"
# The escapes of django.utils.html.json_script (a private table there).
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    request = context.get("request")
    image_url = ""
    image = getattr(page, "photo", None)
    if image is not None and request is not None:
        try:
            image_url = request.build_absolute_uri(image.get_rendition(SHARE_SPEC).url)
        except Exception:  # a broken image file must not break the page
            image_url = ""
    return json_ld(page.structured_data(request, image_url=image_url))


@register.simple_tag
def memorial_map_js():
    """The memorial map's own script (after ``{% map_js %}``, which loads Leaflet)."""
    return format_html('<script src="{}" defer></script>', static("js/memorial-map.js"))


@register.simple_tag
def memorials_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/memorials.css"))


@register.filter
def kind_label(code):
    from memorials.models import MemorialKind

    try:
        return MemorialKind(code).label
    except ValueError:
        return code
