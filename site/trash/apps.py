from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrashConfig(AppConfig):
    """The trash: deleted pages wait here, restorable, until an administrator empties it."""

    name = "trash"
    label = "trash"
    verbose_name = _("Корзина")
    default_auto_field = "django.db.models.BigAutoField"
