"""The memorial map: every described memorial of the region on a map and in a list."""

from django.utils.translation import gettext_lazy as _

from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.models import RICH_TEXT_FEATURES
from home.pages import LetopisPageMixin

from ..locales import in_locale
from .memorial import MemorialPage


class MemorialIndexPage(LetopisPageMixin, Page):
    """The map and the accessible list of memorials, the white spots, the open data.

    Memorial pages live in their libraries' parts of the tree, not below this page: it
    gathers them by query, so it has no children of its own.
    """

    intro = RichTextField(_("вступление"), features=RICH_TEXT_FEATURES, blank=True)
    how_to_help = RichTextField(
        _("как помочь"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Показывается рядом со списком «белых пятен»: как библиотеке описать памятник."
        ),
    )

    content_panels = [*Page.content_panels, "intro", "how_to_help"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("how_to_help")]

    template = "pages/memorial_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("карта памятников")
        verbose_name_plural = _("карты памятников")

    def memorials(self):
        """Published memorials in this page's language, untranslated ones in Russian."""
        return in_locale(MemorialPage.objects.published(), self.locale)

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: a collection of the memorials (the map and its list)."""
        from home.structured_data import collection_page

        return collection_page(self, request, image_url)

    def get_context(self, request, *args, **kwargs):
        from ..listing import memorial_map_context

        context = super().get_context(request, *args, **kwargs)
        context.update(memorial_map_context(self, request))
        return context
