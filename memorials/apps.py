from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemorialsConfig(AppConfig):
    name = "memorials"
    verbose_name = _("Памятники и Книга памяти")

    def ready(self):
        from . import sections, signals  # noqa: F401  (registration on import)
