"""The version for the visually impaired («Версия для слабовидящих», GOST R 52872-2019).

The visitor's choice lives in one cookie and is applied on the server: the middleware reads it
into ``request.low_vision`` (None in the normal version), ``base.html`` writes the classes on
``<html>`` and links ``css/low-vision.css``, so the first paint is already right (nothing
flashes, nothing needs JavaScript). Templates that render pictures ask
``request.low_vision.images`` and print the alternative text instead.

The settings panel is made of plain links to ``/low-vision/?<setting>=<value>&next=<page>``;
the view stores the new choice and sends the visitor back to the page. It is a GET because a
link works everywhere (keyboard, screen readers, no forms); it changes nothing but the
visitor's own display preference, is never cached and is kept out of search engines.
"""

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache

COOKIE = "letopis_low_vision"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

# Each setting: its values in order, the default, and what the panel calls each value.
SIZES = {
    "1": _("Крупный шрифт"),
    "2": _("Более крупный шрифт"),
    "3": _("Самый крупный шрифт"),
}
SCHEMES = {
    "black-on-white": _("Чёрным по белому"),
    "white-on-black": _("Белым по чёрному"),
    "blue": _("Тёмно-синим по голубому"),
    "brown": _("Коричневым по бежевому"),
}
IMAGES = {
    "on": pgettext_lazy("images", "Показывать"),
    "off": pgettext_lazy("images", "Не показывать"),
}
SPACINGS = {
    "1": pgettext_lazy("spacing", "Обычный"),
    "2": pgettext_lazy("spacing", "Увеличенный"),
    "3": pgettext_lazy("spacing", "Большой"),
}
SETTINGS = {"size": SIZES, "scheme": SCHEMES, "images": IMAGES, "spacing": SPACINGS}
# The panel's order: how the text looks first, pictures last.
PANEL_ORDER = ("size", "scheme", "spacing", "images")


@dataclass(frozen=True)
class LowVision:
    """The visitor's settings in the version for the visually impaired."""

    size: str = "2"
    scheme: str = "black-on-white"
    images: bool = True
    spacing: str = "1"

    @classmethod
    def from_cookie(cls, value):
        """The settings stored in the cookie; a part that is missing or not understood keeps
        its default (the mode stays on: the visitor did switch it on)."""
        settings = cls()
        for part in (value or "").split("."):
            name, _sep, choice = part.partition("-")
            settings = settings.changed(name, choice)
        return settings

    def to_cookie(self):
        return ".".join(f"{name}-{self.value(name)}" for name in SETTINGS)

    def value(self, name):
        if name == "images":
            return "on" if self.images else "off"
        return getattr(self, name)

    def changed(self, name, choice):
        """These settings with ``name`` set to ``choice``; unchanged if either is unknown."""
        if name not in SETTINGS or choice not in SETTINGS[name]:
            return self
        return replace(self, **{name: choice == "on" if name == "images" else choice})

    @property
    def css_classes(self):
        classes = [
            "lv",
            f"lv-size-{self.size}",
            f"lv-scheme-{self.scheme}",
            f"lv-spacing-{self.spacing}",
        ]
        if not self.images:
            classes.append("lv-images-off")
        return " ".join(classes)


def from_request(request):
    # An empty value is a deleted cookie (some clients send it back until it expires).
    value = request.COOKIES.get(COOKIE)
    return LowVision.from_cookie(value) if value else None


class LowVisionMiddleware:
    """``request.low_vision``: the visitor's settings, or None in the normal version. Pages
    differ by the cookie, so every response varies on it (a shared cache keeps both)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.low_vision = from_request(request)
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response


def switch_url(next_url, **params):
    """The link that applies ``params`` (``on``, ``off`` or one setting) and returns to
    ``next_url``."""
    return f"{reverse('low_vision')}?{urlencode({**params, 'next': next_url})}"


def panel(request):
    """What the settings panel shows: each setting's choices with their links, the current
    one marked."""
    current = request.low_vision
    here = request.get_full_path()
    return {
        "groups": [_group(name, current, here) for name in PANEL_ORDER],
        "off_url": switch_url(here, off="1"),
    }


GROUP_LABELS = {
    "size": _("Размер шрифта"),
    "scheme": _("Цвета"),
    "spacing": _("Интервал между буквами и строками"),
    "images": _("Изображения"),
}


def _group(name, current, here):
    return {
        "name": name,
        "label": GROUP_LABELS[name],
        "choices": [
            {
                "value": value,
                "label": label,
                "url": switch_url(here, **{name: value}),
                "current": current.value(name) == value,
            }
            for value, label in SETTINGS[name].items()
        ],
    }


@never_cache
def switch(request):
    """Turn the version on (``?on=1``) or off (``?off=1``), or change one setting
    (``?size=3``); then back to ``next``, a page of this site."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response["X-Robots-Tag"] = "noindex, nofollow"
    if "off" in request.GET:
        response.delete_cookie(COOKIE, samesite="Lax")
        return response
    current = from_request(request) or LowVision()
    for name in SETTINGS:
        if name in request.GET:
            current = current.changed(name, request.GET[name])
    response.set_cookie(
        COOKIE,
        current.to_cookie(),
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
