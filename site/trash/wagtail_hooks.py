"""The trash in the admin: every page deletion goes there; the «Корзина» section; the
trash kept read-only and out of sight (explorer, choosers) until a page is restored."""

from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from . import urls, views
from .api import TrashAwarePagesAdminAPIViewSet
from .bulk_actions import TrashBulkAction
from .models import TrashCan, TrashedPage, is_in_trash, names_trash_page, trash_path
from .operations import RESTORE_ACTION, TRASH_ACTION, can_view_trash

# -- every deletion goes to the trash ---------------------------------------------------


@hooks.register("before_delete_page")
def delete_to_trash(request, page):
    """Wagtail's delete view, after its own permission check: our confirmation and the
    move to the trash instead of the deletion."""
    if is_in_trash(page):
        return views.already_in_trash(request)
    return views.confirm_trash(request, page)


# After Wagtail's own page bulk delete (order), which it replaces.
hooks.register("register_bulk_action", TrashBulkAction, order=100)


@hooks.register("construct_admin_api")
def trash_aware_page_actions(router):
    router.register_endpoint("pages", TrashAwarePagesAdminAPIViewSet)


# -- the section ------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_trash_urls():
    return [path("trash/", include(urls, namespace="trash"))]


class TrashMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_trash(request.user)


@hooks.register("register_admin_menu_item")
def register_trash_menu_item():
    return TrashMenuItem(
        gettext_lazy("Корзина"), reverse("trash:index"), icon_name="bin", order=8900
    )


class TrashLogFormatter(LogFormatter):
    """A history entry of ``operations._log_subtree``: the top page's names its old or new
    parent, the pages below it the top page they went with."""

    with_message = parent_message = message = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if "with" in data:
            return self.with_message % data["with"]
        if "parent" in data:
            return self.parent_message % data["parent"]
        return str(self.message)


class TrashedFormatter(TrashLogFormatter):
    label = gettext_lazy("Перемещение в корзину")
    with_message = gettext_lazy("Перемещена в корзину вместе с «%(title)s»")
    parent_message = gettext_lazy("Перемещена в корзину из «%(title)s»")
    message = gettext_lazy("Перемещена в корзину")


class RestoredFormatter(TrashLogFormatter):
    label = gettext_lazy("Восстановление из корзины")
    with_message = gettext_lazy("Восстановлена из корзины вместе с «%(title)s»")
    parent_message = gettext_lazy("Восстановлена из корзины в «%(title)s» (черновиком)")
    message = gettext_lazy("Восстановлена из корзины")


@hooks.register("register_log_actions")
def register_trash_log_actions(actions):
    actions.register_action(TRASH_ACTION)(TrashedFormatter)
    actions.register_action(RESTORE_ACTION)(RestoredFormatter)


# -- out of sight ---------------------------------------------------------------------


@hooks.register("construct_explorer_page_queryset")
def hide_trash_can_in_explorer(parent_page, pages, request):
    """The container is reached through «Корзина», not the page tree (pages inside it stay
    explorable by URL for moderators)."""
    return pages.not_type(TrashCan)


@hooks.register("construct_page_chooser_queryset")
def hide_trash_in_choosers(pages, request):
    """Nothing in the trash can be linked to, or chosen as a place to move or copy to."""
    path = trash_path()
    return pages.exclude(path__startswith=path) if path else pages


# -- read-only while in the trash -------------------------------------------------------


def _refuse(request, message, page=None):
    """The error message, and back to the page's restore view (or the trash, or home)."""
    messages.error(request, message)
    if not can_view_trash(request.user):
        return redirect("wagtailadmin_home")
    record = TrashedPage.objects.holding(page) if page is not None else None
    if record is not None:
        return redirect("trash:restore", record.pk)
    return redirect("trash:index")


READ_ONLY = gettext_lazy(
    "Страница в корзине: изменения не сохраняются. Восстановите её, чтобы продолжить работу."
)


@hooks.register("before_edit_page")
def trashed_pages_are_read_only(request, page):
    """Moderators may open a page in the trash (its form, preview, history) but not save,
    submit or publish it there: it would go live nowhere, or wait in moderation for
    nothing."""
    if not is_in_trash(page):
        return None
    if request.method == "POST":
        return _refuse(request, READ_ONLY, page)
    buttons = []
    record = TrashedPage.objects.holding(page) if can_view_trash(request.user) else None
    if record is not None:
        buttons.append(
            messages.button(reverse("trash:restore", args=[record.pk]), _("Восстановить"))
        )
    messages.warning(request, READ_ONLY, buttons=buttons)
    return None


@hooks.register("before_create_page")
def nothing_is_added_in_the_trash(request, parent_page, page_class):
    if is_in_trash(parent_page, inclusive=True):
        return _refuse(request, _("В корзину нельзя добавлять страницы."))
    return None


@hooks.register("before_move_page")
def nothing_moves_in_or_out_of_the_trash(request, page, destination):
    path = trash_path()
    if is_in_trash(page, path):
        return _refuse(request, _("Страницу из корзины можно только восстановить."), page)
    if is_in_trash(destination, path, inclusive=True):
        return _refuse(request, _("Чтобы убрать страницу в корзину, удалите её."))
    return None


@hooks.register("before_copy_page")
def nothing_is_copied_from_or_into_the_trash(request, page):
    path = trash_path()
    if is_in_trash(page, path):
        return _refuse(request, _("Страницу из корзины можно только восстановить."), page)
    if names_trash_page(request.POST.get("new_parent_page"), path):
        return _refuse(request, _("В корзину нельзя копировать страницы."))
    return None


@hooks.register("before_bulk_action")
def no_bulk_actions_in_the_trash(request, action_type, objects, action_class_instance):
    if getattr(action_class_instance, "model", None) is not Page:
        return None
    path = trash_path()
    if any(is_in_trash(page, path) for page in objects):
        return _refuse(request, _("Страницу из корзины можно только восстановить."))
    if names_trash_page(request.POST.get("chooser"), path):
        return _refuse(request, _("Чтобы убрать страницу в корзину, удалите её."))
    return None
