"""The admin dashboard's two views of moderation.

- A library editor sees «Материалы моей библиотеки»: drafts, in moderation, rejected (with
  the moderator's comment) and published, newest first.
- A moderator sees «Очередь модерации»: every submission waiting for approval, grouped by
  the library it comes from, oldest first within each library.
"""

from django.db.models import CharField, Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce

from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from .models import LibraryAccess, LibraryPage
from .partners import partner_scope
from .roles import is_moderator

PANEL_ITEMS = 8
QUEUE_LIMIT = 200

DRAFT, IN_MODERATION, REJECTED, PUBLISHED = "draft", "in_moderation", "rejected", "published"


def annotate_moderation(pages):
    """``pages`` with ``moderation_status`` / ``moderation_state_id`` of the latest workflow."""
    latest = WorkflowState.objects.filter(
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        base_content_type_id=_page_content_type_id(),
    ).order_by("-created_at", "-pk")
    return pages.annotate(
        # "" for a page never submitted (a NULL would need IS NULL in every filter below).
        moderation_status=Coalesce(Subquery(latest.values("status")[:1]), Value("")),
        moderation_state_id=Subquery(latest.values("pk")[:1]),
    )


def _page_content_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page).pk


# No workflow yet, or the last one approved or cancelled.
_SETTLED = Q(
    moderation_status__in=["", WorkflowState.STATUS_APPROVED, WorkflowState.STATUS_CANCELLED]
)
STATUS_FILTERS = {
    IN_MODERATION: Q(moderation_status=WorkflowState.STATUS_IN_PROGRESS),
    REJECTED: Q(moderation_status=WorkflowState.STATUS_NEEDS_CHANGES),
    DRAFT: (Q(live=False) | Q(has_unpublished_changes=True)) & _SETTLED,
    PUBLISHED: Q(live=True, has_unpublished_changes=False) & _SETTLED,
}
STATUS_ORDER = [REJECTED, DRAFT, IN_MODERATION, PUBLISHED]


def library_materials(user, limit=PANEL_ITEMS):
    """{status: {"count": n, "pages": [page, …]}} of the materials in ``user``'s area."""
    scope = partner_scope(user)
    if scope is None:
        return {}
    pages = annotate_moderation(
        Page.objects.filter(scope.area_q()).not_type(LibraryPage).filter(depth__gt=2)
    )
    counts = pages.aggregate(
        **{status: Count("pk", filter=STATUS_FILTERS[status]) for status in STATUS_ORDER}
    )
    result = {}
    for status in STATUS_ORDER:
        selected = pages.filter(STATUS_FILTERS[status]).order_by(
            "-latest_revision_created_at", "-pk"
        )
        if status == REJECTED:
            rejected = TaskState.objects.filter(
                workflow_state_id=OuterRef("moderation_state_id"),
                status=TaskState.STATUS_REJECTED,
            ).order_by("-finished_at", "-pk")
            selected = selected.annotate(
                rejection_comment=Subquery(rejected.values("comment")[:1]),
                rejected_at=Subquery(rejected.values("finished_at")[:1]),
            )
        result[status] = {
            "count": counts[status],
            "pages": list(selected.select_related("content_type")[:limit]),
        }
    return result


def moderation_queue(limit=QUEUE_LIMIT):
    """[(library label, [workflow state, …]), …] of submissions awaiting a decision."""
    # In progress only: ``active()`` also has the rejected ones ("needs changes"), which
    # wait for their editors, not for a moderator.
    states = list(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type_id=_page_content_type_id(),
        )
        .select_related("requested_by", "current_task_state__task")
        .order_by("created_at", "pk")[:limit]
    )
    pages = Page.objects.in_bulk([int(state.object_id) for state in states])
    libraries = {
        library.path: library
        for library in LibraryPage.objects.only("path", "title", "short_name", "slug")
    }
    requester_libraries = {}
    for access in LibraryAccess.objects.filter(
        group__user__in=[state.requested_by_id for state in states if state.requested_by_id]
    ).values("group__user", "library__path"):
        requester_libraries.setdefault(access["group__user"], access["library__path"])
    groups = {}
    for state in states:
        page = pages.get(int(state.object_id))
        if page is None:
            continue
        # Not ``state.page``: that is the reverse side of Page's generic relation to its
        # workflow states (``_specific_workflow_states``); assigning to it raises TypeError.
        state.queued_page = page
        library = next(
            (
                libraries[page.path[:depth]]
                for depth in range(len(page.path), 3, -4)
                if page.path[:depth] in libraries
            ),
            None,
        )
        if library is None and state.requested_by_id in requester_libraries:
            library = libraries.get(requester_libraries[state.requested_by_id])
        label = library.display_name if library else "—"
        groups.setdefault(label, []).append(state)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


class LibraryMaterialsPanel(Component):
    name = "letopis_library_materials"
    template_name = "network/admin/library_materials_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = super().get_context_data(parent_context)
        materials = library_materials(request.user)
        context["sections"] = [(status, materials[status]) for status in STATUS_ORDER]
        return context


class ModerationQueuePanel(Component):
    name = "letopis_moderation_queue"
    template_name = "network/admin/moderation_queue_panel.html"
    order = 50

    @staticmethod
    def is_shown_to(user):
        return is_moderator(user)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        queue = moderation_queue()
        context["queue"] = queue
        context["total"] = sum(len(states) for _label, states in queue)
        return context
