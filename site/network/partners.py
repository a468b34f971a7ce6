"""Where a partner library's editor may look and act in the admin.

Wagtail's native permissions already keep a partner's editors out of other libraries'
subtrees for editing. What they leave open is *seeing*: the "add" permission on the Book of
Memory (so partners can write hero stories) makes every hero — other libraries' drafts
included — explorable, searchable in the admin and listed by the admin API; the page chooser
shows every page of the site (Wagtail issue #9714). This module defines, once, what a
partner may see and where a partner may act, and the rest of the app applies it:

- **area**: the subtrees of the user's libraries, plus pages owned by the editors of those
  libraries (their hero stories under the Book of Memory) — never what is in the trash
  (``trash``: moderators restore it);
- **visible**: the area, the way to it (the ancestors of the library pages and the pages
  the partner holds permissions on, such as the Book of Memory), and everybody else's pages
  as the public sees them: live, not behind a view restriction and without unpublished
  changes. Admin listings show a page's *draft* title (``get_admin_display_title``), so a
  published page with pending changes would show another library's draft in the page
  chooser; it is left out until a moderator publishes or the changes are discarded.

Images, documents and videos: Wagtail's collection permissions decide what a partner may
edit and choose, but its admin API lists every file and a few views (wagtailmedia's usage
page, bulk actions' "no permission" lists) show titles of files one may not touch.
``permitted_assets`` is what a partner may see of them: what they may change, delete or
choose (their library's collection and the shared one).

Administrators (superusers), moderators and accounts that belong to no library are not
partners: ``partner_scope`` returns ``None`` for them and nothing here restricts them.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.models import GroupPagePermission, Page, PageViewRestriction
from wagtail.permission_policies.pages import PagePermissionPolicy

from .roles import is_moderator

_CACHE_ATTRIBUTE = "_letopis_partner_scope"


@dataclass(frozen=True)
class PartnerScope:
    """The libraries one partner editor works for."""

    library_ids: tuple[int, ...]
    library_paths: tuple[str, ...]
    member_ids: frozenset[int]
    collection_ids: tuple[int, ...]
    # The pages on the way to the area: every ancestor of the library pages and of the
    # pages the partner's groups hold permissions on, and those pages themselves.
    way_paths: frozenset[str] = frozenset()
    # Subtrees that are nobody's area, whoever owns the pages there: the trash.
    closed_paths: tuple[str, ...] = ()

    def area_q(self):
        """Pages the partner works on: own subtrees and own editors' pages."""
        subtrees = [Q(path__startswith=path) for path in self.library_paths]
        area = reduce(or_, subtrees, Q(owner_id__in=self.member_ids))
        for path in self.closed_paths:
            area &= ~Q(path__startswith=path)
        return area

    def visible_q(self):
        """Pages the partner may see in admin listings, choosers and the admin API."""
        public = Q(live=True, has_unpublished_changes=False)
        for path in _restricted_paths():
            public &= ~Q(path__startswith=path)
        return self.area_q() | Q(path__in=self.way_paths) | public

    def in_area(self, page):
        if any(page.path.startswith(path) for path in self.closed_paths):
            return False
        return page.owner_id in self.member_ids or any(
            page.path.startswith(path) for path in self.library_paths
        )

    def can_see(self, page):
        if self.in_area(page) or page.path in self.way_paths:
            return True
        return (
            page.live
            and not page.has_unpublished_changes
            and not any(page.path.startswith(p) for p in _restricted_paths())
        )


def _restricted_paths():
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def partner_scope(user):
    """The user's :class:`PartnerScope`, or ``None`` when nothing restricts them.

    Cached on the user object, so one request computes it once.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, _CACHE_ATTRIBUTE, False)
    if cached is not False:
        return cached
    scope = _compute_scope(user)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def _compute_scope(user):
    from django.contrib.auth import get_user_model

    from .models import LibraryAccess

    if is_moderator(user):
        return None
    accesses = list(
        LibraryAccess.objects.filter(group__user=user)
        .select_related("library")
        .order_by("library__path")
    )
    if not accesses:
        return None
    # Translations of a library page live in other trees: they belong to it as well.
    libraries = Page.objects.filter(
        translation_key__in=[access.library.translation_key for access in accesses],
        depth__gt=1,
    ).values_list("pk", "path")
    members = (
        get_user_model()
        .objects.filter(groups__library_access__in=accesses)
        .values_list("pk", flat=True)
    )
    anchors = [path for _pk, path in libraries]
    anchors += GroupPagePermission.objects.filter(group__user=user).values_list(
        "page__path", flat=True
    )
    return PartnerScope(
        library_ids=tuple(pk for pk, _path in libraries),
        library_paths=tuple(path for _pk, path in libraries),
        member_ids=frozenset([user.pk, *members]),
        collection_ids=tuple(access.collection_id for access in accesses),
        way_paths=frozenset(
            path[:end]
            for path in anchors
            for end in range(Page.steplen, len(path) + 1, Page.steplen)
        ),
        closed_paths=_closed_paths(),
    )


def _closed_paths():
    """The trash (``trash.models.TrashCan``): deleted pages wait there for a moderator, out
    of every partner's area — their own libraries' deleted drafts included."""
    from trash.models import trash_path

    path = trash_path()
    return (path,) if path else ()


def visible_pages(queryset, user):
    """``queryset`` narrowed to what ``user`` may see (unchanged for non-partners)."""
    scope = partner_scope(user)
    if scope is None:
        return queryset
    return queryset.filter(scope.visible_q())


class LetopisPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with partners' explorable pages limited to what they may see.

    ``explorable_instances`` feeds the explorer, the admin page search, the admin API, the
    "type use" listing and the site history report, so one override covers them all.
    """

    def explorable_instances(self, user):
        return visible_pages(super().explorable_instances(user), user)


# -- images, documents, videos ------------------------------------------------------------


def _asset_policy(model):
    """(permission policy, actions that let one see an item) of an asset model."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    from wagtailmedia.models import get_media_model
    from wagtailmedia.permissions import permission_policy as media_policy

    if issubclass(model, get_image_model()):
        return policy_registry.get_by_type(model), ["change", "delete", "choose"]
    if issubclass(model, get_document_model()):
        return policy_registry.get_by_type(model), ["change", "delete", "choose"]
    if issubclass(model, get_media_model()):
        # wagtailmedia has no "choose": its chooser lists what one may change or delete.
        return media_policy, ["change", "delete"]
    raise TypeError(f"{model} is not an image, document or video model")


def permitted_assets(queryset, user):
    """``queryset`` of images, documents or videos narrowed, for a partner, to what they
    may change, delete or choose (unchanged for everybody else)."""
    if partner_scope(user) is None:
        return queryset
    policy, actions = _asset_policy(queryset.model)
    allowed = policy.instances_user_has_any_permission_for(user, actions)
    return queryset.filter(pk__in=allowed.values("pk"))


class PartnerAssetsAPIMixin:
    """The admin API's images and documents endpoints, narrowed by ``permitted_assets``
    (Wagtail's list every file outside a privacy-restricted collection)."""

    def get_queryset(self):
        return permitted_assets(super().get_queryset(), self.request.user)
