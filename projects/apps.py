from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Сетевые проекты")

    def ready(self):
        from . import sections, signals  # noqa: F401  (registration on import)
