"""The admin API's page actions: "delete" moves to the trash; nothing acts on pages in it."""

from django.utils.translation import gettext as _

from wagtail.actions.delete_page import DeletePageAction
from wagtail.admin.api.actions.delete import DeletePageAPIAction
from wagtail.admin.api.views import PagesAdminAPIViewSet

from rest_framework import status
from rest_framework.response import Response

from .models import is_in_trash, names_trash_page, trash_path
from .operations import move_to_trash


class TrashPageAPIAction(DeletePageAPIAction):
    def execute(self, instance, data):
        # Wagtail's permission check ("can_delete"); a refusal is DRF's 403.
        DeletePageAction(page=instance, user=self.request.user).check()
        move_to_trash(instance, self.request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TrashAwarePagesAdminAPIViewSet(PagesAdminAPIViewSet):
    actions = {**PagesAdminAPIViewSet.actions, "delete": TrashPageAPIAction}

    def action_view(self, request, pk, action_name):
        instance = self.get_object()
        path = trash_path()
        destination = (
            request.data.get("destination_page_id") if hasattr(request.data, "get") else None
        )
        if is_in_trash(instance, path) or names_trash_page(destination, path):
            return Response(
                {"message": _("Страница в корзине: сначала восстановите её.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().action_view(request, pk, action_name)
