from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Поиск")

    def ready(self):
        from . import signals

        signals.connect_hero_links()
