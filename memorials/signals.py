"""Keep derived data in step with the page tree: libraries, the map's cache, thumbnails."""

import contextlib

from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from .geojson import POPUP_PHOTO_SPEC, bump_version
from .models import MemorialPage


@receiver(post_page_move)
def update_after_move(sender, instance, **kwargs):
    """A moved library subtree or memorial gets its library recomputed (and new URLs)."""
    moved = MemorialPage.objects.descendant_of(instance, inclusive=True)
    for page in moved:
        library = page.find_library()
        if library != page.library:
            MemorialPage.objects.filter(pk=page.pk).update(library=library)
    if moved.exists():
        bump_version()


@receiver(page_published, sender=MemorialPage)
def memorial_published(sender, instance, **kwargs):
    bump_version()
    if instance.photo_id:
        # Make the map popup's thumbnail now, so the GeoJSON never has to.
        # A broken image file is the image library's business, not the publisher's.
        with contextlib.suppress(Exception):
            instance.photo.get_rendition(POPUP_PHOTO_SPEC)


@receiver(page_unpublished, sender=MemorialPage)
def memorial_unpublished(sender, instance, **kwargs):
    bump_version()


@receiver(post_delete, sender=MemorialPage)
def memorial_deleted(sender, instance, **kwargs):
    bump_version()
