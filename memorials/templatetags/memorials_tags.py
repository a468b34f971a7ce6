"""Template tags of memorials and heroes: the map's script and styles, kind labels.

The pages' schema.org JSON-LD is written on every page by ``components/social_meta.html``
from the pages' ``structured_data()`` (see ``home.structured_data``).
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


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
