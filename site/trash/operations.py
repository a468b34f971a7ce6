"""Moving pages to the trash, restoring them and deleting them for good.

Every admin path that deletes a page ends in :func:`move_to_trash`; only :func:`purge`
and :func:`empty_trash` (administrators') really delete, with Wagtail's own
``DeletePageAction`` (so the audit log records each page as deleted, as it always did).
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page, Revision, WorkflowState

from network.roles import is_moderator

from .models import TrashCan, TrashedPage, is_in_trash, trash_can, trash_path

TRASH_ACTION = "letopis.trash"
RESTORE_ACTION = "letopis.restore"


# -- who may do what ---------------------------------------------------------------------


def can_view_trash(user):
    """Moderators and administrators see the whole trash and restore from it; nobody else
    sees it at all (library editors ask a moderator: see the package docstring)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_moderator(user)


def can_empty_trash(user):
    """Deleting for good — one page or the whole trash — is an administrator's."""
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


# -- moving to the trash -----------------------------------------------------------------


def _fresh(page):
    """``page`` as the database has it now (a move rewrites descendants' paths)."""
    return Page.objects.get(pk=page.pk)


def translations_to_trash(page, user=None):
    """The translations of ``page`` that go to the trash with it.

    Wagtail's own rule for a deletion in several languages (``DeleteView`` with the
    ``construct_translated_pages_to_cascade_actions`` hook): a translation goes along when it
    sits in the same place in its language's tree — its parent is a translation of the
    page's parent. wagtail-localize does not cascade deletions itself, so without this the
    English translation of a deleted material would stay published on its own. Only those
    ``user`` may delete go along: a library editor's deletion never takes a published
    translation a moderator made.
    """
    parent = page.get_parent()
    if parent is None:
        return []
    parent_paths = set(
        Page.objects.filter(translation_key=parent.translation_key).values_list("path", flat=True)
    )
    path = trash_path()
    found = []
    for translation in page.get_translations().order_by("path"):
        if translation.path[: -Page.steplen] not in parent_paths:
            continue
        if is_in_trash(translation, path):
            continue
        if user is not None and not translation.permissions_for_user(user).can_delete():
            continue
        found.append(translation)
    return found


def available_slug(slug, parent, page=None):
    """``slug`` if no other child of ``parent`` has it, else ``slug-2``, ``slug-3``…"""
    siblings = parent.get_children()
    if page is not None:
        siblings = siblings.exclude(pk=page.pk)
    taken = set(siblings.filter(slug__startswith=slug).values_list("slug", flat=True))
    if slug not in taken:
        return slug
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = slug[: 255 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


@transaction.atomic
def move_to_trash(page, user=None, with_translations=True):
    """Move ``page`` (with its subtree and, see :func:`translations_to_trash`, its
    translations) to the trash; returns the new :class:`TrashedPage` records.

    Nothing is lost: the pages, their revisions, comments and history stay as they were,
    only moved below the trash container. They are unpublished first (so they leave the
    public site, the search index, the sitemap and the feeds through the signals the
    project already follows), their moderation is cancelled and scheduled publications
    are dropped, so nothing publishes itself from the trash.
    """
    page = _fresh(page)
    if page.depth == 1 or is_in_trash(page, inclusive=True):
        return []
    pages = [page]
    if with_translations:
        pages += translations_to_trash(page, user)
    can = trash_can()
    batch = uuid.uuid4()
    return [_trash_one(_fresh(each), user, can, batch) for each in pages]


def _trash_one(page, user, can, batch):
    parent = page.get_parent()
    subtree = Page.objects.descendant_of(page, inclusive=True).order_by("path")
    ids = list(subtree.values_list("pk", flat=True))
    published = list(subtree.filter(live=True).values_list("pk", flat=True))
    siblings = list(parent.get_children().values_list("pk", flat=True))
    location = " › ".join(
        page.get_ancestors().filter(depth__gt=1).values_list("draft_title", flat=True)
    )

    _cancel_moderation(ids, user)
    # A revision approved for later publication would go live from the trash.
    Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(pk) for pk in ids],
        approved_go_live_at__isnull=False,
    ).update(approved_go_live_at=None)
    # Each live page by itself: Wagtail's include_descendants skips locked descendants.
    for live_page in subtree.filter(live=True).specific().iterator():
        UnpublishPageAction(live_page, user=user).execute(skip_permission_checks=True)

    record = TrashedPage.objects.create(
        page=page,
        batch=batch,
        original_parent=parent,
        original_location=location[:1000],
        original_url_path=page.url_path,
        original_slug=page.slug,
        original_position=siblings.index(page.pk),
        published_ids=published,
        descendant_count=len(ids) - 1,
        deleted_by=user if user is not None and user.is_authenticated else None,
    )

    # Siblings' slugs must differ: two deleted «draft» pages of two libraries meet here.
    slug = available_slug(page.slug, can, page)
    if slug != page.slug:
        Page.objects.filter(pk=page.pk).update(slug=slug)
    MovePageAction(_fresh(page), can, pos="last-child", user=user).execute(
        skip_permission_checks=True
    )

    _log_subtree(
        page,
        Page.objects.filter(pk__in=ids),
        TRASH_ACTION,
        user,
        {"parent": {"id": parent.pk, "title": parent.draft_title}, "descendants": len(ids) - 1},
    )
    return record


def _log_subtree(page, subtree, action, user, data):
    """One history entry for each page of ``subtree``: ``data`` on ``page`` (its top), «with
    «page»» on the pages below it."""
    along = {"with": {"id": page.pk, "title": page.draft_title}}
    for each in subtree.order_by("path"):
        log(instance=each, action=action, user=user, data=data if each.pk == page.pk else along)


def _cancel_moderation(ids, user):
    states = WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(pk) for pk in ids],
    )
    for state in states.select_related("current_task_state__task"):
        state.cancel(user=user)


# -- restoring ---------------------------------------------------------------------------


class RestoreError(Exception):
    """The page cannot go back where asked; the message says why (in Russian)."""


@dataclass
class Restored:
    page: Page
    parent: Page
    slug: str
    slug_changed: bool
    # Pages of the same deletion (translations) restored along, and those left behind.
    along: list = field(default_factory=list)
    left: list = field(default_factory=list)


def check_new_parent(record, parent, user):
    """Why ``parent`` cannot take the page back (``None`` if it can)."""
    page = record.page
    if is_in_trash(parent, inclusive=True):
        return _("Нельзя восстановить страницу внутрь корзины.")
    if not page.permissions_for_user(user).can_move_to(parent):
        return _("Страница типа «%(type)s» не может находиться в «%(parent)s».") % {
            "type": page.specific_class._meta.verbose_name,
            "parent": parent.get_admin_display_title(),
        }
    return None


@transaction.atomic
def restore(record, user, parent=None, with_batch=True):
    """Bring ``record``'s page (and subtree) back — under its old parent, or ``parent`` —
    as a draft; with ``with_batch`` also the translations deleted with it whose own old
    parents still exist. Returns a :class:`Restored`; raises :class:`RestoreError`."""
    original = record.available_parent()
    target = parent or original
    if target is None:
        raise RestoreError(
            _("Родительской страницы «%(title)s» больше нет на сайте: выберите новое место.")
            % {"title": _parent_title(record)}
        )
    if parent is not None and (original is None or parent.pk != original.pk):
        problem = check_new_parent(record, parent, user)
        if problem:
            raise RestoreError(problem)
    outcome = _restore_one(record, target, user, back_in_place=target == original)
    if with_batch:
        others = TrashedPage.objects.filter(batch=record.batch).exclude(pk=record.pk)
        for other in others.select_related("page", "original_parent"):
            other_parent = other.available_parent()
            if other_parent is None:
                outcome.left.append(other.page)
                continue
            outcome.along.append(_restore_one(other, other_parent, user, True).page)
    return outcome


def _parent_title(record):
    if record.original_parent is not None:
        return record.original_parent.draft_title
    return record.original_location.rsplit(" › ", 1)[-1] or "—"


def _restore_one(record, target, user, back_in_place):
    page = _fresh(record.page)
    slug = available_slug(record.original_slug, target, page)
    Page.objects.filter(pk=page.pk).update(slug=slug)
    anchor, pos = target, "last-child"
    if back_in_place:
        children = list(target.get_children().order_by("path"))
        if record.original_position < len(children):
            anchor, pos = children[record.original_position], "left"
    MovePageAction(_fresh(page), anchor, pos=pos, user=user).execute(skip_permission_checks=True)

    page = _fresh(page)
    slug_changed = slug != record.original_slug
    if slug_changed:
        # The draft the editor opens comes from the latest revision: it must carry the
        # new address, or the next save would stumble on the old, taken one.
        draft = page.specific.get_latest_revision_as_object()
        if draft.latest_revision_id:
            draft.slug = slug
            draft.save_revision(user=user, log_action=False, clean=False, changed=False)
    _log_subtree(
        page,
        Page.objects.descendant_of(page, inclusive=True),
        RESTORE_ACTION,
        user,
        {
            "parent": {"id": target.pk, "title": target.draft_title},
            "slug": slug,
            "original_slug": record.original_slug,
        },
    )
    record.delete()
    return Restored(page=page, parent=target, slug=slug, slug_changed=slug_changed)


# -- deleting for good -------------------------------------------------------------------


def purge(record, user):
    """Delete ``record``'s page and subtree for good (revisions included, the record with
    them); returns the number of pages deleted. Raises :class:`RestoreError` when other
    objects protect it."""
    return _delete_for_good(record.page, user)


def _delete_for_good(page, user):
    page = _fresh(page)
    count = Page.objects.descendant_of(page, inclusive=True).count()
    try:
        with transaction.atomic():
            DeletePageAction(page.specific, user=user).execute(skip_permission_checks=True)
    except (ProtectedError, RestrictedError) as exc:
        raise RestoreError(
            _("Страницу «%(title)s» нельзя удалить: на неё ссылаются другие объекты.")
            % {"title": page.draft_title}
        ) from exc
    return count


def empty_trash(user):
    """Delete everything in the trash for good; returns (pages deleted, pages kept because
    other objects protect them)."""
    can = TrashCan.objects.first()
    if can is None:
        return 0, []
    deleted, kept = 0, []
    for child in can.get_children().order_by("path"):
        try:
            deleted += _delete_for_good(child, user)
        except RestoreError:
            kept.append(child)
    return deleted, kept
