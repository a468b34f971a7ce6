from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Главная")

    def ready(self):
        from home import page_cache  # noqa: F401  (its signal receivers)
        from home.site_address import point_default_site_at_base_url

        post_migrate.connect(point_default_site_at_base_url, sender=self)
