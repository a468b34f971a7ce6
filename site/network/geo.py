"""Coordinates: WGS84 decimal degrees, validated the same way for libraries and memorials."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def latitude_field(**kwargs):
    return models.DecimalField(
        _("широта"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
        help_text=_("Градусы в десятичном виде (WGS84), например 52.967800"),
        **kwargs,
    )


def longitude_field(**kwargs):
    return models.DecimalField(
        _("долгота"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
        help_text=_("Градусы в десятичном виде (WGS84), например 36.069400"),
        **kwargs,
    )


def validate_point(latitude, longitude, required=False):
    """Errors keyed by field for a latitude/longitude pair (both or neither, not 0,0)."""
    errors = {}
    if latitude is None and longitude is None:
        if required:
            errors["latitude"] = _("Укажите координаты точки на карте.")
        return errors
    if latitude is None:
        errors["latitude"] = _("Укажите широту вместе с долготой.")
    if longitude is None:
        errors["longitude"] = _("Укажите долготу вместе с широтой.")
    if errors:
        return errors
    if not -90 <= latitude <= 90:
        errors["latitude"] = _("Широта должна быть от −90 до 90 градусов.")
    if not -180 <= longitude <= 180:
        errors["longitude"] = _("Долгота должна быть от −180 до 180 градусов.")
    if not errors and latitude == 0 and longitude == 0:
        errors["latitude"] = _(
            "Точка 0, 0 находится в Гвинейском заливе: похоже, координаты не заполнены."
        )
    return errors


def check_point(latitude, longitude, required=False):
    errors = validate_point(latitude, longitude, required=required)
    if errors:
        raise ValidationError(errors)
