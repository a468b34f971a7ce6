"""Keeping the index true where Wagtail's save signals do not reach."""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from modelsearch.index import insert_or_update_object
from modelsearch.utils import get_content_type_pk
from wagtail.models import Page
from wagtail.signals import post_page_move

from .models import SearchEntry


@receiver(post_page_move)
def follow_moved_subtree(sender, instance, **kwargs):
    """Treebeard rewrites the paths of a moved page's descendants without saving them: the
    entries' restriction paths (which hide private subtrees) are read again from the pages."""
    page = Page.objects.get(pk=instance.pk)
    subtree = Page.objects.filter(path__startswith=page.path).values("id")
    SearchEntry.objects.filter(
        root_content_type_id=get_content_type_pk(Page), object_id__in=subtree
    ).update(
        restriction_path=Concat(
            Value("p"), Subquery(Page.objects.filter(id=OuterRef("object_id")).values("path")[:1])
        )
    )


def connect_hero_links():
    """A hero's district facet comes from the memorials bearing the name: re-index the hero
    when those links change (they are saved after the page itself)."""
    from memorials.models import HeroMemorial

    def reindex_hero(sender, instance, **kwargs):
        hero = Page.objects.filter(pk=instance.page_id).first()
        if hero is not None:
            insert_or_update_object(hero)

    post_save.connect(reindex_hero, sender=HeroMemorial, dispatch_uid="search_hero_link_saved")
    post_delete.connect(reindex_hero, sender=HeroMemorial, dispatch_uid="search_hero_link_deleted")
