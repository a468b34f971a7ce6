"""Admin integration: the statistics report in the Reports menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import ProjectStatisticsReport


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return ProjectStatisticsReport().permission_policy.user_has_any_permission(
            request.user, ProjectStatisticsReport.any_permission_required
        )


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        _("Статистика проектов"),
        reverse("project_statistics"),
        name="project-statistics",
        icon_name="table",
        order=100,
    )


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path("reports/projects/", ProjectStatisticsReport.as_view(), name="project_statistics"),
        path(
            "reports/projects/results/",
            ProjectStatisticsReport.as_view(results_only=True),
            name="project_statistics_results",
        ),
    ]
