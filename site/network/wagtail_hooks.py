"""The partner libraries in the admin: isolation hooks, dashboard panels, onboarding views."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .moderation import LibraryMaterialsPanel, ModerationQueuePanel
from .partners import partner_scope, visible_pages


@hooks.register("construct_page_chooser_queryset")
def hide_other_libraries_pages(pages, request):
    """The page chooser and its search: a partner sees own pages and public live ones
    (Wagtail issue #9714: the chooser otherwise lists every page, drafts included)."""
    return visible_pages(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def hide_other_libraries_pages_in_explorer(parent_page, pages, request):
    return visible_pages(pages, request.user)


@hooks.register("insert_global_admin_css")
def library_panels_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/letopis-admin.css"))


@hooks.register("register_log_actions")
def register_library_log_actions(actions):
    actions.register_action(
        "letopis.library.onboarded", _("Библиотека подключена"), _("Библиотека подключена")
    )
    actions.register_action(
        "letopis.library.editor_added",
        _("Редактор добавлен в библиотеку"),
        _("Редактор добавлен в библиотеку"),
    )
    actions.register_action(
        "letopis.library.editor_invited",
        _("Приглашение редактору отправлено"),
        _("Приглашение редактору отправлено"),
    )


@hooks.register("construct_homepage_panels")
def add_library_panels(request, panels):
    if partner_scope(request.user) is not None:
        panels.insert(0, LibraryMaterialsPanel())
    elif ModerationQueuePanel.is_shown_to(request.user):
        panels.insert(0, ModerationQueuePanel())


@hooks.register("register_admin_urls")
def register_library_urls():
    return [
        path("libraries/", admin_views.LibraryListView.as_view(), name="network_libraries"),
        path("libraries/add/", admin_views.OnboardLibraryView.as_view(), name="network_onboard"),
        path(
            "libraries/<int:pk>/invite/",
            admin_views.InviteEditorView.as_view(),
            name="network_invite",
        ),
    ]


class LibrariesMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_onboard(request.user)


@hooks.register("register_admin_menu_item")
def register_libraries_menu_item():
    return LibrariesMenuItem(
        _("Библиотеки-участники"),
        reverse("network_libraries"),
        icon_name="group",
        order=250,
    )


# -- isolation of partner libraries: files and reports ----------------------------------------


@hooks.register("construct_admin_api", order=100)
def narrow_admin_api_assets(router):
    """The admin API's images and documents, narrowed for partners to what they may choose
    or change (``network.partners.permitted_assets``). Registered after Wagtail's own
    endpoints (``order``), which it replaces."""
    from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

    from .partners import PartnerAssetsAPIMixin

    class PartnerImagesAdminAPIViewSet(PartnerAssetsAPIMixin, ImagesAdminAPIViewSet):
        pass

    class PartnerDocumentsAdminAPIViewSet(PartnerAssetsAPIMixin, DocumentsAdminAPIViewSet):
        pass

    router.register_endpoint("images", PartnerImagesAdminAPIViewSet)
    router.register_endpoint("documents", PartnerDocumentsAdminAPIViewSet)


@hooks.register("construct_reports_menu")
def hide_site_wide_reports_from_partners(request, menu_items):
    """Reports a partner gets a 404 for (network.middleware.PARTNER_REFUSED_URLS)."""
    if partner_scope(request.user) is None:
        return
    from .middleware import PARTNER_REFUSED_URLS

    refused = {reverse(name) for name in PARTNER_REFUSED_URLS}
    menu_items[:] = [item for item in menu_items if item.url not in refused]
