from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, using, **kwargs):
    """After ``migrate``: the moderators' group, its permissions and the workflow.

    Runs once per ``migrate``, when the signal for this app arrives, after creating the
    permissions of every app first (Django creates each app's permissions in that app's
    own post_migrate, and some apps come after this one).
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    from .roles import ensure_roles

    ensure_roles()


class NetworkConfig(AppConfig):
    """The library network: the directory of libraries and each library's part of the tree."""

    name = "network"
    verbose_name = _("Сеть библиотек")

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from . import sessions, signals  # noqa: F401
        from .partners import LetopisPagePermissionPolicy

        register_permission_policy(Page, LetopisPagePermissionPolicy(Page))
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="letopis-ensure-roles")
