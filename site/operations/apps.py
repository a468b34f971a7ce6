from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the site: backups and restore (``operations.backup``)."""

    name = "operations"
    label = "operations"
    verbose_name = _("Эксплуатация")
