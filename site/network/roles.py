"""The roles of the network and what each may do, in Wagtail's native terms.

- **Administrators**: superusers of the regional library.
- **Moderators** (group «Модераторы»): publish, unpublish, lock, unlock, move and delete
  anywhere; approve or reject submissions; manage projects, site settings, search
  promotions, every collection; onboard libraries and invite their editors.
- **Library editors**: one group per library (``network.onboarding``), page permissions on
  the library's subtree and "add" on the Book of Memory, collection permissions on the
  library's collection, "choose" on the shared collection; nothing else.

``ensure_roles`` makes the database match this, idempotently; it runs after every
``migrate`` (``network.apps``), so a fresh install has the roles and the workflow.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

MODERATORS = "Модераторы"
WORKFLOW = "Модерация материалов"
TASK = "Проверка модератором"
LIBRARIES_COLLECTION = "Библиотеки"
SHARED_COLLECTION = "Общие материалы"

# Wagtail's initial data: renamed to ours rather than left beside them.
_WAGTAIL_MODERATORS = "Moderators"
_WAGTAIL_EDITORS = "Editors"
_WAGTAIL_WORKFLOW = "Moderators approval"

MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "bulk_delete_page",
                              "lock_page", "unlock_page"]  # fmt: skip
LIBRARY_PAGE_PERMISSIONS = ["add_page", "change_page"]
HERO_BOOK_PERMISSIONS = ["add_page"]

MODERATOR_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtailimages.delete_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtaildocs.delete_document",
    "wagtailmedia.add_media",
    "wagtailmedia.change_media",
    "wagtailmedia.delete_media",
]
# Own uploads can be deleted by their uploader through Wagtail's ownership rule ("add");
# other editors' files of the same library can be changed, not deleted.
LIBRARY_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtailmedia.add_media",
    "wagtailmedia.change_media",
]
SHARED_COLLECTION_PERMISSIONS = ["wagtailimages.choose_image", "wagtaildocs.choose_document"]

MODERATOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "home.change_sitesettings",
    "wagtailsearchpromotions.add_query",
    "wagtailsearchpromotions.change_query",
    "wagtailsearchpromotions.delete_query",
    "wagtailsearchpromotions.add_searchpromotion",
    "wagtailsearchpromotions.change_searchpromotion",
    "wagtailsearchpromotions.delete_searchpromotion",
    "wagtail_localize.submit_translation",
    "network.add_libraryaccess",
    "network.change_libraryaccess",
]
LIBRARY_PERMISSIONS = ["wagtailadmin.access_admin"]


def permissions(names):
    """``Permission`` objects for "app_label.codename" names (all must exist)."""
    found = {}
    for name in names:
        app_label, codename = name.split(".")
        found[name] = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    return [found[name] for name in names]


def page_permissions(codenames):
    return permissions([f"wagtailcore.{codename}" for codename in codenames])


def set_page_permissions(group, page, codenames):
    """Exactly ``codenames`` for ``group`` on ``page`` (others on that page removed)."""
    wanted = page_permissions(codenames)
    GroupPagePermission.objects.filter(group=group, page=page).exclude(
        permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def set_collection_permissions(group, collection, names):
    wanted = permissions(names)
    GroupCollectionPermission.objects.filter(group=group, collection=collection).exclude(
        permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def child_collection(parent, name):
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(name=name)


def libraries_collection():
    return child_collection(Collection.get_first_root_node(), LIBRARIES_COLLECTION)


def shared_collection():
    return child_collection(Collection.get_first_root_node(), SHARED_COLLECTION)


def _ours_or_wagtails(model, name, wagtail_name):
    """The object called ``name``; else Wagtail's initial one (``wagtail_name``) renamed."""
    obj = model.objects.filter(name=name).first()
    if obj is None:
        obj = model.objects.filter(name=wagtail_name).first()
        if obj is None:
            return model.objects.create(name=name)
        obj.name = name
        obj.save(update_fields=["name"])
    return obj


def moderators_group():
    return _ours_or_wagtails(Group, MODERATORS, _WAGTAIL_MODERATORS)


def is_moderator(user):
    """Administrators and the members of «Модераторы»: they see and act on every library's
    work (the moderation queue, the trash, every page)."""
    return user.is_superuser or user.groups.filter(name=MODERATORS).exists()


def moderation_workflow():
    """The one workflow: a moderator's approval. Wagtail's default one, renamed, if present."""
    workflow = _ours_or_wagtails(Workflow, WORKFLOW, _WAGTAIL_WORKFLOW)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    return workflow


def moderation_task(workflow, moderators):
    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    elif task.name == _WAGTAIL_WORKFLOW:
        task.name = TASK
        task.save(update_fields=["name"])
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([moderators])
    return task


def assign_workflow(page, workflow):
    """``workflow`` for ``page``'s subtree (replacing another one assigned right there)."""
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


@transaction.atomic
def ensure_roles():
    """Create or repair the moderators' group, its permissions and the workflow."""
    moderators = moderators_group()
    moderators.permissions.add(*permissions(MODERATOR_PERMISSIONS))
    root_page = Page.get_first_root_node()
    if root_page is not None:
        set_page_permissions(moderators, root_page, MODERATOR_PAGE_PERMISSIONS)
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        set_collection_permissions(moderators, root_collection, MODERATOR_COLLECTION_PERMISSIONS)
        libraries_collection()
        shared_collection()
    workflow = moderation_workflow()
    moderation_task(workflow, moderators)
    if root_page is not None:
        assign_workflow(root_page, workflow)
    # Wagtail's "Editors" group may add and change every page of the site: an account put
    # there by mistake would escape its library. Removed while nobody is in it.
    Group.objects.filter(name=_WAGTAIL_EDITORS, user__isnull=True).delete()
    return moderators, workflow
