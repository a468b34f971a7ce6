"""The projects' sections of the home page: current projects and the latest materials;
the chronicle entries of «В этот день» (``home.on_this_day``)."""

from home.images import renditions_prefetch
from home.on_this_day import DayEvent, register_day_source
from home.sections import Section, register_section

from .models import (
    PROJECT_CARD_PICTURE,
    ChronicleDate,
    ContributionPage,
    ProjectPage,
    ProjectStatus,
)

LATEST_MATERIALS = 6


@register_section
def current_projects(home_page, request):
    projects = list(
        ProjectPage.objects.live()
        .public()
        .descendant_of(home_page)
        .filter(status__in=[ProjectStatus.OPEN, ProjectStatus.ANNOUNCED])
        .select_related("cover_image")
        .prefetch_related(renditions_prefetch("cover_image__renditions", PROJECT_CARD_PICTURE))
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


@register_day_source
def chronicle_on_day(home_page, request, month, day, limit):
    """Chronicle entries of published materials dated to this day and month."""
    rows = (
        ChronicleDate.objects.filter(month=month, day=day, locale_id=home_page.locale_id)
        .filter(page__in=ContributionPage.objects.live().public().values("pk"))
        .select_related("page", "page__library")
        .order_by("year", "pk")[:limit]
    )
    events = []
    for row in rows:
        page = row.page
        events.append(
            DayEvent(
                kind="chronicle",
                year=row.year,
                month=row.month,
                day=row.day,
                url=page.get_url(request),
                link_text=page.title,
                lead=row.heading,
                text=row.text,
                source=page.library_name,
                sort_key=(0, row.pk),
            )
        )
    return events
