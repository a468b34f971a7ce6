"""The projects' sections of the home page: current projects and the latest materials."""

from home.sections import Section, register_section

from .models import ContributionPage, ProjectPage, ProjectStatus

LATEST_MATERIALS = 6


@register_section
def current_projects(home_page, request):
    projects = list(
        ProjectPage.objects.live()
        .public()
        .descendant_of(home_page)
        .filter(status__in=[ProjectStatus.OPEN, ProjectStatus.ANNOUNCED])
        .select_related("cover_image")
        .order_by("-start_year", "title")[:3]
    )
    if not projects:
        return None
    from .stats import stats_by_project

    stats = stats_by_project(projects)
    index = projects[0].get_parent()
    return Section(
        "components/home/current_projects.html",
        {"project_stats": [(p, stats[p.translation_key]) for p in projects], "index": index},
        order=10,
    )


@register_section
def latest_materials(home_page, request):
    materials = list(
        ContributionPage.objects.for_listing().filter(locale=home_page.locale)[:LATEST_MATERIALS]
    )
    if not materials:
        return None
    return Section("components/home/latest_materials.html", {"contributions": materials}, order=20)
