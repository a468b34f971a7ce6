"""The admin report of participation statistics (with CSV and Excel export)."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .models import ProjectPage
from .stats import stats_by_project


class ProjectStatisticsReport(ReportView):
    page_title = _("Статистика проектов")
    header_icon = "table"
    index_url_name = "project_statistics"
    index_results_url_name = "project_statistics_results"
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 50
    list_export = [
        "title",
        "years",
        "status_label",
        "libraries",
        "rural",
        "districts",
        "regions",
        "materials",
        "photos",
    ]
    export_headings = {
        "title": _("Проект"),
        "years": _("Годы"),
        "status_label": _("Статус"),
        "libraries": _("Библиотек"),
        "rural": _("Из них сельских"),
        "districts": _("Муниципальных районов"),
        "regions": _("Регионов"),
        "materials": _("Материалов"),
        "photos": _("Фотографий"),
    }

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Проект"),
                get_url=lambda p: p.get_url(self.request),
            ),
            Column("years", label=_("Годы")),
            Column("status_label", label=_("Статус")),
            Column("libraries", label=_("Библиотек")),
            Column("rural", label=_("Из них сельских")),
            Column("districts", label=_("Районов")),
            Column("regions", label=_("Регионов")),
            Column("materials", label=_("Материалов")),
            Column("photos", label=_("Фотографий")),
        ]

    def get_queryset(self):
        return ProjectPage.objects.filter(locale__language_code="ru").order_by(
            "-start_year", "title"
        )

    def decorate_paginated_queryset(self, object_list):
        projects = list(object_list)
        stats = stats_by_project(projects)
        for project in projects:
            figures = stats[project.translation_key]
            for name, value in figures.as_dict().items():
                setattr(project, name, value)
            project.status_label = project.get_status_display()
        return projects

    def get_filename(self):
        return "letopis-statistika-proektov"
