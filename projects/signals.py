"""Keep each contribution's library in step with the page tree."""

from django.dispatch import receiver

from wagtail.signals import post_page_move


@receiver(post_page_move)
def update_library_after_move(sender, instance, **kwargs):
    """A moved library subtree or contribution gets its library recomputed."""
    from .models import ContributionPage

    for page in ContributionPage.objects.descendant_of(instance, inclusive=True):
        library = page.find_library()
        if library != page.library:
            ContributionPage.objects.filter(pk=page.pk).update(library=library)
