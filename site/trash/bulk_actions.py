"""The explorer's bulk «Удалить»: to the trash, like the single delete view."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction

from .models import is_in_trash, trash_path
from .operations import move_to_trash


class TrashBulkAction(DeleteBulkAction):
    """Replaces Wagtail's page bulk delete (registered after it, under the same
    ``action_type``). Who may delete is unchanged (``can_delete``); pages already in the
    trash are refused here — deleting for good is the trash's own, administrators' view."""

    display_name = _("Удалить")
    aria_label = _("Переместить выбранные страницы в корзину")
    template_name = "trash/confirm_bulk_trash.html"

    @cached_property
    def trash_path(self):
        return trash_path()

    def check_perm(self, page):
        return not is_in_trash(page, self.trash_path) and super().check_perm(page)

    def post(self, request):
        # Recoverable: no "type the site's name" step before it.
        return super(DeleteBulkAction, self).post(request)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        num_parent_objects = num_child_objects = 0
        # Ancestors first: a selected page below another selected page goes with it.
        for page in sorted(objects, key=lambda page: page.path):
            records = move_to_trash(page, user)
            if records:
                num_parent_objects += 1
                num_child_objects += records[0].descendant_count
        return num_parent_objects, num_child_objects

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = ngettext(
            "%(count)d страница перемещена в корзину.",
            "%(count)d страницы перемещены в корзину.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
        if num_child_objects:
            message += " " + ngettext(
                "Вместе с ними — %(count)d вложенная страница.",
                "Вместе с ними — %(count)d вложенные страницы.",
                num_child_objects,
            ) % {"count": num_child_objects}
        return message
