"""The admin's coordinate inputs with a map to set the point (static/js/coordinates-widget.js).

wagtailgeowidget loads Leaflet from a CDN and asks for API keys; this picker uses the
vendored Leaflet (static/vendor/) and the site's tile server. The inputs stay ordinary
text inputs: an editor can always type or paste the coordinates (with a decimal comma,
as a Russian keyboard writes them), and without JavaScript the form works the same.
"""

import json
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext

from network.regions import REGION_BOUNDS, REGION_CENTRE, REGION_NAME


class CoordinateInput(forms.TextInput):
    """A latitude or longitude input; the latitude input also carries the map's settings."""

    def __init__(self, role, attrs=None):
        self.role = role
        attrs = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "spellcheck": "false",
            "data-coordinate": role,
            **(attrs or {}),
        }
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.role == "latitude":
            context["widget"]["attrs"]["data-coordinates-map"] = json.dumps(map_options())
        return context

    def format_value(self, value):
        # The stored Decimal («54.529300») without trailing zeros: what an editor typed.
        if value in (None, ""):
            return None
        text = str(value)
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text

    @property
    def media(self):
        return forms.Media(
            css={"all": ["vendor/leaflet/leaflet.css"]},
            js=["vendor/leaflet/leaflet.js", "js/coordinates-widget.js"],
        )


def map_options():
    """What the picker needs: tiles, the region's view and the editor's messages."""
    south, west, north, east = REGION_BOUNDS
    return {
        "tileUrl": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_ATTRIBUTION", ""),
        "centre": list(REGION_CENTRE),
        "bounds": [[south, west], [north, east]],
        "icon": {
            "url": static("vendor/leaflet/images/marker-icon.png"),
            "retinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
        },
        "strings": {
            "label": gettext("Точка на карте: щёлкните по карте или перетащите отметку"),
            "hint": gettext(
                "Щёлкните по карте, чтобы поставить отметку, или перетащите её. Координаты "
                "можно и ввести: широту и долготу в градусах, например 54.5293 и 36.2754; "
                "пара «54.5293, 36.2754», вставленная в поле широты, разойдётся по двум полям."
            ),
            "outside": gettext(
                "Точка за пределами области (%(region)s): проверьте, не перепутаны ли широта и долгота."
            )
            % {"region": REGION_NAME},
            "zero": gettext("Точка 0, 0 — похоже, координаты не заполнены."),
            "clear": gettext("Убрать отметку"),
        },
    }


class CoordinateField(forms.DecimalField):
    """Degrees with a decimal point or comma, rounded to six places (about 10 cm).

    Map services give up to fifteen decimals («54.52930123456789»): refusing them for
    having more than six would only send the editor to count digits.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("\u2212", "-")
        value = super().to_python(value)
        if value is not None:
            value = value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        return value


def use_coordinate_fields(form, names=("latitude", "longitude")):
    """Swap a model form's latitude/longitude fields for :class:`CoordinateField`."""
    for name in names:
        old = form.fields.get(name)
        if old is None:
            continue
        form.fields[name] = CoordinateField(
            max_digits=9,
            decimal_places=6,
            required=old.required,
            label=old.label,
            help_text=old.help_text,
            widget=old.widget,
            initial=old.initial,
        )
