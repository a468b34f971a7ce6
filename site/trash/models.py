"""The trash container and the record of each deletion (see the package docstring)."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.coreutils import find_available_slug
from wagtail.models import Page, PageViewRestriction


class TrashCan(Page):
    """«Корзина»: the one page under the root that holds deleted pages.

    It belongs to no Wagtail Site, so nothing below it has a public address; it is never
    live, never indexed, hidden from the explorer and every page chooser, and closed by a
    view restriction (moderators only), so whatever sits below it also counts as private
    everywhere the site asks ``public()`` — the search, the sitemap, the feeds, API v2.
    Nobody creates it by hand (:func:`trash_can` does, on the first deletion).
    """

    # No template: the container is never served (``route`` and ``serve`` answer 404).
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []
    search_fields = []
    max_count = 1
    is_creatable = False
    preview_modes = []

    class Meta:
        verbose_name = _("корзина")
        verbose_name_plural = _("корзины")

    def route(self, request, path_components):
        # Even if somebody pointed a Site at it, nothing in the trash is ever served.
        raise Http404

    def serve(self, request, *args, **kwargs):
        raise Http404

    def get_sitemap_urls(self, request=None):
        return []


TRASH_TITLE = "Корзина"
TRASH_SLUG = "korzina"


def trash_can():
    """The trash container, created under the root (closed to the public) when missing.

    The root row is locked first, so two first deletions at once cannot make two.
    """
    existing = TrashCan.objects.first()
    if existing is not None:
        return existing
    with transaction.atomic():
        root = Page.objects.select_for_update().get(depth=1)
        existing = TrashCan.objects.first()
        if existing is not None:
            return existing
        can = TrashCan(
            title=TRASH_TITLE,
            slug=find_available_slug(root, TRASH_SLUG),
            live=False,
            show_in_menus=False,
        )
        root.add_child(instance=can)
        close_to_public(can)
        return can


def close_to_public(can):
    """A view restriction on the container: only moderators (and superusers) pass it."""
    from django.contrib.auth.models import Group

    from network.roles import MODERATORS

    restriction = PageViewRestriction.objects.filter(page=can).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(
            page=can, restriction_type=PageViewRestriction.GROUPS
        )
    restriction.groups.set(Group.objects.filter(name=MODERATORS))


def trash_path():
    """The tree path of the trash container, or ``None`` while there is none."""
    return TrashCan.objects.values_list("path", flat=True).first()


def is_in_trash(page, path=None, inclusive=False):
    """Whether ``page`` lies below the trash container — or, ``inclusive``, is the container
    itself (``path``: the container's path, if known; ``page`` may be ``None``)."""
    path = path if path is not None else trash_path()
    if not path or page is None or not page.path.startswith(path):
        return False
    return inclusive or page.path != path


def names_trash_page(value, path=None):
    """Whether ``value`` (a page id from a request) names the trash or a page in it."""
    value = str(value if value is not None else "")
    if not value.isdigit():
        return False
    page = Page.objects.filter(pk=value).only("path").first()
    return is_in_trash(page, path, inclusive=True)


class TrashedPageQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("page", "page__locale", "original_parent", "deleted_by")

    def holding(self, page):
        """The record ``page`` went to the trash with: its own or a trashed ancestor's."""
        return self.filter(page__in=page.get_ancestors(inclusive=True)).first()


class TrashedPage(models.Model):
    """One page (with its subtree) moved to the trash: where it was and who deleted it.

    The page itself, its subtree and every revision stay untouched in the tree below the
    trash container; this row remembers what a restore needs.
    """

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, related_name="trash_record", verbose_name=_("страница")
    )
    # Pages deleted in one act (a page and its translations) share a batch.
    batch = models.UUIDField(_("удалены вместе"), default=uuid.uuid4, db_index=True)
    original_parent = models.ForeignKey(
        Page,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("родительская страница"),
    )
    original_location = models.CharField(
        _("где была"),
        max_length=1000,
        blank=True,
        help_text=_("Заголовки страниц над ней в момент удаления."),
    )
    original_url_path = models.TextField(_("адрес в дереве"), blank=True)
    original_slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True)
    original_position = models.PositiveIntegerField(_("место среди соседних страниц"), default=0)
    published_ids = models.JSONField(
        _("опубликованные страницы"),
        default=list,
        blank=True,
        help_text=_("Страницы этой ветки, опубликованные в момент удаления."),
    )
    descendant_count = models.PositiveIntegerField(_("вложенных страниц"), default=0)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("удалил(а)"),
    )
    deleted_at = models.DateTimeField(_("удалена"), default=timezone.now, db_index=True)

    objects = TrashedPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("страница в корзине")
        verbose_name_plural = _("страницы в корзине")
        ordering = ["-deleted_at", "-pk"]

    def __str__(self):
        return self.page.draft_title

    @property
    def was_live(self):
        return self.page_id in self.published_ids

    def available_parent(self, path=None):
        """The page's old parent, if it still exists outside the trash (``path``: the
        trash's path, if known)."""
        parent = self.original_parent
        if parent is None or is_in_trash(parent, path, inclusive=True):
            return None
        return parent
