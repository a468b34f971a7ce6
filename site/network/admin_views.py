"""«Библиотеки-участники» in the admin: moderators onboard libraries and invite editors.

The same ``network.onboarding`` functions as ``manage.py import_libraries``; moderators get
no user or group permissions — these views create only library editor accounts, in the
library's own group.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from memorials.importer import RowError

from .models import LibraryAccess, LibraryType
from .onboarding import invite_editor, onboard_library, parse_library
from .regions import REGION_NAME, REGIONS

LIBRARIES_PER_PAGE = 50


def can_onboard(user):
    return user.is_active and (user.is_superuser or user.has_perm("network.add_libraryaccess"))


class SectionBreadcrumbsMixin:
    """Breadcrumbs of an admin section's views: the dashboard, the section's index, then the
    view itself (except on the index)."""

    section_url_name = ""
    section_label = ""

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse(self.section_url_name), "label": self.section_label},
        ]
        if self.get_page_title() != self.section_label:
            items.append({"url": "", "label": self.get_page_title()})
        return items


class OnboardingPermissionMixin(SectionBreadcrumbsMixin):
    section_url_name = "network_libraries"
    section_label = _("Библиотеки-участники")

    def dispatch(self, request, *args, **kwargs):
        if not can_onboard(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class LibraryListView(OnboardingPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Библиотеки-участники")
    header_icon = "group"
    template_name = "network/admin/libraries.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accesses = (
            LibraryAccess.objects.select_related("library", "group", "collection")
            .annotate(
                editors=Count("group__user", filter=Q(group__user__is_active=True)),
                waiting=Count(
                    "group__user",
                    filter=Q(group__user__last_login__isnull=True, group__user__is_active=True),
                ),
            )
            .order_by("library__title")
        )
        page = Paginator(accesses, LIBRARIES_PER_PAGE).get_page(self.request.GET.get("p"))
        context["page_obj"] = page
        context["header_buttons"] = []
        return context


class LibraryForm(forms.Form):
    name = forms.CharField(label=_("Полное название"), max_length=255)
    short_name = forms.CharField(label=_("Краткое название"), max_length=120, required=False)
    slug = forms.SlugField(
        label=_("Адрес (slug)"),
        max_length=80,
        help_text=_("Латинские буквы, цифры и дефисы: kozelskaya-crb."),
    )
    type = forms.ChoiceField(label=_("Тип"), choices=LibraryType.choices, initial=LibraryType.RURAL)
    region = forms.ChoiceField(
        label=_("Регион"), choices=[(r, r) for r in REGIONS], initial=REGION_NAME
    )
    district = forms.CharField(
        label=_("Район или округ"),
        max_length=120,
        help_text=_("Как в справочнике районов: «Козельский район», «город Калуга»."),
    )
    settlement = forms.CharField(label=_("Населённый пункт"), max_length=120, required=False)
    address = forms.CharField(label=_("Адрес"), max_length=255, required=False)
    latitude = forms.CharField(label=_("Широта"), required=False)
    longitude = forms.CharField(label=_("Долгота"), required=False)
    website = forms.CharField(label=_("Сайт"), max_length=200, required=False)
    editors = forms.CharField(
        label=_("Редакторы"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Адреса электронной почты через точку с запятой или с новой строки. "
            "Каждый получит письмо со ссылкой, чтобы задать пароль."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.library_data = parse_library(
                {key: str(value or "") for key, value in cleaned.items()}
            )
        except RowError as exc:
            raise ValidationError(str(exc)) from exc
        return cleaned


class OnboardLibraryView(OnboardingPermissionMixin, WagtailAdminTemplateMixin, FormView):
    page_title = _("Подключить библиотеку")
    header_icon = "group"
    template_name = "network/admin/form.html"
    form_class = LibraryForm
    success_url = reverse_lazy("network_libraries")

    def form_valid(self, form):
        try:
            outcome = onboard_library(form.library_data, actor=self.request.user)
        except (RowError, ValidationError) as exc:
            form.add_error(None, exc.messages if hasattr(exc, "messages") else str(exc))
            return self.form_invalid(form)
        library = outcome.library
        if outcome.created:
            messages.success(self.request, _("Библиотека «%s» подключена.") % library.title)
        else:
            messages.success(self.request, _("Библиотека «%s» обновлена.") % library.title)
        if outcome.invited:
            messages.success(
                self.request, _("Приглашения отправлены: %s.") % ", ".join(outcome.invited)
            )
        for warning in form.library_data.warnings:
            messages.warning(self.request, warning)
        return super().form_valid(form)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Электронная почта редактора"), max_length=150)


class InviteEditorView(OnboardingPermissionMixin, WagtailAdminTemplateMixin, FormView):
    header_icon = "mail"
    template_name = "network/admin/form.html"
    form_class = InviteForm
    success_url = reverse_lazy("network_libraries")

    def dispatch(self, request, *args, **kwargs):
        self.access = get_object_or_404(
            LibraryAccess.objects.select_related("library"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Пригласить редактора: %s") % self.access.library.display_name

    def form_valid(self, form):
        user, invited = invite_editor(
            self.access.library, form.cleaned_data["email"], actor=self.request.user
        )
        if invited:
            messages.success(self.request, _("Приглашение отправлено на %s.") % user.email)
        else:
            messages.info(
                self.request,
                _("%s уже задал пароль и теперь тоже редактор этой библиотеки.") % user.email,
            )
        return redirect(self.success_url)
