"""Moderation notices beyond Wagtail's own.

Wagtail e-mails a rejection to the person who submitted the page only. A library's material
is the library's, so every editor of that library hears about it, with the moderator's
comment (Wagtail's own e-mail templates, so the wording and the user's notification
preferences are Wagtail's).
"""

from django.contrib.auth import get_user_model

from wagtail.admin.mail import WorkflowStateRejectionEmailNotifier
from wagtail.models import Page
from wagtail.signals import workflow_rejected

from .models import LibraryAccess


def library_editors(page):
    """Accounts of the libraries ``page`` belongs to: by its place in the tree, or — for a
    hero story under the Book of Memory — by its owner's libraries."""
    libraries = LibraryAccess.objects.filter(
        library__path__in=[page.path[:depth] for depth in range(4, len(page.path) + 1, 4)]
    )
    if not libraries.exists() and page.owner_id:
        libraries = LibraryAccess.objects.filter(group__user=page.owner_id)
    return (
        get_user_model()
        .objects.filter(groups__library_access__in=libraries, is_active=True)
        .distinct()
    )


class LibraryRejectionNotifier(WorkflowStateRejectionEmailNotifier):
    """The rejection e-mail, to the library's other editors (the submitter has Wagtail's)."""

    def get_recipient_users(self, workflow_state, **kwargs):
        page = workflow_state.content_object
        if not isinstance(page, Page):
            return set()
        triggering_user = kwargs.get("user")
        excluded = {workflow_state.requested_by_id, getattr(triggering_user, "pk", None)}
        return {user for user in library_editors(page) if user.pk not in excluded}


# Kept in a module variable: signals hold receivers by weak reference, and an instance
# passed inline would be garbage-collected (and silently disconnected) at once.
library_rejection_notifier = LibraryRejectionNotifier()

workflow_rejected.connect(
    library_rejection_notifier,
    sender=None,
    dispatch_uid="letopis_library_rejection_notification",
)
