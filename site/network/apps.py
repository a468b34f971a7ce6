from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The library network: the directory of libraries and each library's part of the tree."""

    name = "network"
    verbose_name = _("Сеть библиотек")
