"""The version for the visually impaired in templates (home/low_vision.py).

``{% low_vision_panel %}`` — the settings panel (only in that version);
``{% low_vision_on_url %}`` — the link that switches it on and returns to this page.
"""

from django import template

from home import low_vision

register = template.Library()


@register.inclusion_tag("components/low_vision_panel.html", takes_context=True)
def low_vision_panel(context):
    request = context["request"]
    if getattr(request, "low_vision", None) is None:
        return {"panel": None}
    return {"panel": low_vision.panel(request)}


@register.simple_tag(takes_context=True)
def low_vision_on_url(context):
    return low_vision.switch_url(context["request"].get_full_path(), on="1")
