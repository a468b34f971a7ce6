from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the site: backups and restore (``operations.backup``), the
    Content-Security-Policy (``security``), upload checks (``uploads``), development media
    (``media``) and ``/healthz`` (``health``)."""

    name = "operations"
    label = "operations"
    verbose_name = _("Эксплуатация")
