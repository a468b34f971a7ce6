"""Keep derived data in step with the page tree: libraries, chronicle dates."""

from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from .chronicle import sync_chronicle_dates
from .models import ChronicleDate, ContributionPage


@receiver(post_page_move)
def update_library_after_move(sender, instance, **kwargs):
    """A moved library subtree or contribution gets its library recomputed."""
    for page in ContributionPage.objects.descendant_of(instance, inclusive=True):
        library = page.find_library()
        if library != page.library:
            ContributionPage.objects.filter(pk=page.pk).update(library=library)


@receiver(page_published, sender=ContributionPage)
def chronicle_dates_on_publish(sender, instance, **kwargs):
    """The published content's dated chronicle entries (for «В этот день»)."""
    sync_chronicle_dates(instance)


@receiver(page_unpublished, sender=ContributionPage)
def chronicle_dates_on_unpublish(sender, instance, **kwargs):
    ChronicleDate.objects.filter(page_id=instance.pk).delete()
