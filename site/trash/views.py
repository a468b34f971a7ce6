"""«Корзина» in the admin: the confirmation of a deletion, the listing, restore, and the
administrators' «Удалить навсегда» and «Очистить корзину».

Every trash view checks its own permission before it looks anything up (the partner
isolation middleware knows only Wagtail's page URLs): moderators and administrators see
and restore, administrators alone delete for good; anybody else gets 403 whatever the id.
"""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminPageChooser, HeaderButton
from wagtail.models import Page, ReferenceIndex

from network.admin_views import SectionBreadcrumbsMixin

from .models import TrashCan, TrashedPage, trash_path
from .operations import (
    RestoreError,
    can_empty_trash,
    can_view_trash,
    empty_trash,
    move_to_trash,
    purge,
    restore,
    translations_to_trash,
)

ITEMS_PER_PAGE = 25


# -- the deletion itself (Wagtail's delete view, through the before_delete_page hook) --------


def already_in_trash(request):
    messages.error(
        request,
        _("Эта страница уже в корзине. Удалить её навсегда может только администратор."),
    )
    if can_view_trash(request.user):
        return redirect("trash:index")
    return redirect("wagtailadmin_home")


def confirm_trash(request, page):
    """GET: what goes to the trash and how it comes back; POST: move it there."""
    next_url = get_valid_next_url_from_request(request)
    if request.method == "POST":
        records = move_to_trash(page, request.user)
        if not records:
            return already_in_trash(request)
        trashed_message(request, records)
        if next_url:
            return redirect(next_url)
        return redirect("wagtailadmin_explore", records[0].original_parent_id)
    translations = translations_to_trash(page, request.user)
    usage = ReferenceIndex.get_references_to(page).group_by_source_object()
    context = {
        "page": page,
        "descendant_count": page.get_descendant_count(),
        "translations": translations,
        "usage_count": usage.count(),
        "usage_url": reverse("wagtailadmin_pages:usage", args=[page.pk]),
        "next": next_url,
        "cancel_url": next_url or reverse("wagtailadmin_explore", args=[page.get_parent().pk]),
        "can_restore": can_view_trash(request.user),
    }
    return TemplateResponse(request, "trash/confirm_trash.html", context)


def trashed_message(request, records):
    """«… перемещена в корзину», with a way back for those who may restore."""
    first = records[0]
    text = _("Страница «%(title)s» перемещена в корзину.") % {"title": first.page.draft_title}
    pages = sum(record.descendant_count for record in records)
    if pages:
        # The same message as the bulk confirmation's (``{% blocktranslate count counter %}``).
        text += " " + ngettext(
            "Вместе с ней — %(counter)s вложенная страница.",
            "Вместе с ней — %(counter)s вложенные страницы.",
            pages,
        ) % {"counter": pages}
    if len(records) > 1:
        text += " " + _("Переводы тоже: %(languages)s.") % {
            "languages": ", ".join(
                str(record.page.locale.get_display_name()) for record in records[1:]
            )
        }
    buttons = []
    if can_view_trash(request.user):
        buttons.append(
            messages.button(reverse("trash:restore", args=[first.pk]), _("Восстановить"))
        )
    else:
        text += " " + _("Восстановить её может модератор сети.")
    messages.success(request, text, buttons=buttons)


# -- the admin section -------------------------------------------------------------------


def forbidden(request):
    """A plain 403 (Wagtail turns a PermissionDenied in the admin into a redirect to the
    dashboard; a refusal here is an answer, not a detour)."""
    return TemplateResponse(request, "trash/forbidden.html", status=403)


class TrashView(SectionBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """A view of the section: moderators and administrators; with ``administrators_only``,
    administrators alone. The permission is checked before anything is looked up."""

    administrators_only = False
    section_url_name = "trash:index"
    section_label = gettext_lazy("Корзина")
    header_icon = "bin"

    def dispatch(self, request, *args, **kwargs):
        allowed = can_empty_trash if self.administrators_only else can_view_trash
        if not allowed(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class TrashRecordView(TrashView):
    """A view of one record (``pk``); ``submit_button_*``: its confirmation's button."""

    record_queryset = TrashedPage.objects.select_related("page")
    submit_button_label = ""
    submit_button_classname = ""

    @cached_property
    def record(self):
        return get_object_or_404(self.record_queryset, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.record.page.draft_title

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)


class TrashIndexView(TrashView):
    page_title = TrashView.section_label
    template_name = "trash/index.html"

    @cached_property
    def page_obj(self):
        return Paginator(TrashedPage.objects.for_listing(), ITEMS_PER_PAGE).get_page(
            self.request.GET.get("p")
        )

    def get_header_buttons(self):
        if can_empty_trash(self.request.user) and self.page_obj.paginator.count:
            return [
                HeaderButton(_("Очистить корзину"), url=reverse("trash:empty"), icon_name="bin")
            ]
        return []

    def get_context_data(self, **kwargs):
        path = trash_path()
        for record in self.page_obj.object_list:
            record.restore_parent = record.available_parent(path)
        return super().get_context_data(
            page_obj=self.page_obj, can_purge=can_empty_trash(self.request.user), **kwargs
        )


class RestoreForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Куда восстановить"),
        queryset=Page.objects.all(),
        required=False,
        help_text=gettext_lazy("Страница, внутри которой она снова появится."),
    )
    with_batch = forms.BooleanField(
        label=gettext_lazy("Восстановить и переводы, удалённые вместе с ней"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, record, parent_needed, batch, **kwargs):
        super().__init__(*args, **kwargs)
        if parent_needed:
            self.fields["parent"].required = True
            self.fields["parent"].widget = AdminPageChooser(
                target_models=record.page.specific_class.allowed_parent_page_models(),
                can_choose_root=False,
            )
        else:
            del self.fields["parent"]
        if not batch:
            del self.fields["with_batch"]


class RestoreView(TrashRecordView):
    page_title = gettext_lazy("Восстановить страницу")
    header_icon = "undo"
    template_name = "trash/restore.html"
    record_queryset = TrashedPage.objects.select_related("page", "original_parent")
    submit_button_label = gettext_lazy("Восстановить")

    @cached_property
    def parent(self):
        return self.record.available_parent()

    @cached_property
    def batch(self):
        """The other pages deleted with it (its translations)."""
        return list(
            TrashedPage.objects.filter(batch=self.record.batch)
            .exclude(pk=self.record.pk)
            .select_related("page__locale")
        )

    def get_form(self):
        return RestoreForm(
            self.request.POST if self.request.method == "POST" else None,
            record=self.record,
            parent_needed=self.parent is None,
            batch=bool(self.batch),
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(parent=self.parent, batch=self.batch, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            outcome = restore(
                self.record,
                request.user,
                parent=form.cleaned_data.get("parent"),
                with_batch=form.cleaned_data.get("with_batch", False),
            )
        except RestoreError as exc:
            form.add_error("parent" if "parent" in form.fields else None, str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        self.report(outcome)
        return redirect("wagtailadmin_explore", outcome.parent.pk)

    def report(self, outcome):
        request = self.request
        text = _(
            "Страница «%(title)s» восстановлена в «%(parent)s» как черновик: "
            "опубликуйте её, когда она снова понадобится на сайте."
        ) % {"title": outcome.page.draft_title, "parent": outcome.parent.draft_title}
        edit = reverse("wagtailadmin_pages:edit", args=[outcome.page.pk])
        messages.success(request, text, buttons=[messages.button(edit, _("Редактировать"))])
        if outcome.slug_changed:
            messages.warning(
                request,
                _(
                    "Адрес «%(old)s» уже занят другой страницей: восстановленная страница "
                    "получила адрес «%(new)s»."
                )
                % {"old": self.record.original_slug, "new": outcome.slug},
            )
        if outcome.along:
            messages.success(
                request,
                _("Восстановлены и переводы: %(titles)s.")
                % {"titles": ", ".join(page.draft_title for page in outcome.along)},
            )
        if outcome.left:
            messages.warning(
                request,
                _(
                    "Остались в корзине переводы, которым некуда вернуться: %(titles)s. "
                    "Восстановите их по одному, выбрав новое место."
                )
                % {"titles": ", ".join(page.draft_title for page in outcome.left)},
            )


class PurgeView(TrashRecordView):
    administrators_only = True
    page_title = gettext_lazy("Удалить навсегда")
    template_name = "trash/purge.html"
    submit_button_label = gettext_lazy("Да, удалить навсегда")
    submit_button_classname = "serious"

    def post(self, request, *args, **kwargs):
        title = self.record.page.draft_title
        try:
            count = purge(self.record, request.user)
        except RestoreError as exc:
            messages.error(request, str(exc))
            return redirect("trash:index")
        messages.success(
            request,
            ngettext(
                "Страница «%(title)s» удалена навсегда (%(count)d страница).",
                "Страница «%(title)s» удалена навсегда (%(count)d страницы).",
                count,
            )
            % {"title": title, "count": count},
        )
        return redirect("trash:index")


class EmptyTrashView(TrashView):
    administrators_only = True
    page_title = gettext_lazy("Очистить корзину")
    template_name = "trash/empty.html"
    submit_button_label = gettext_lazy("Да, очистить корзину")
    submit_button_classname = "serious"

    def get_context_data(self, **kwargs):
        can = TrashCan.objects.first()
        return super().get_context_data(
            page_count=can.get_descendant_count() if can else 0, **kwargs
        )

    def post(self, request, *args, **kwargs):
        deleted, kept = empty_trash(request.user)
        messages.success(
            request,
            ngettext(
                "Корзина очищена: %(count)d страница удалена навсегда.",
                "Корзина очищена: %(count)d страницы удалены навсегда.",
                deleted,
            )
            % {"count": deleted},
        )
        if kept:
            messages.error(
                request,
                _("Не удалены, потому что на них ссылаются другие объекты: %(titles)s.")
                % {"titles": ", ".join(page.draft_title for page in kept)},
            )
        return redirect("trash:index")
