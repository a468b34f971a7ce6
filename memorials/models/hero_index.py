"""The Book of Memory: every hero, by the alphabet, with a surname filter."""

from django.utils.translation import gettext_lazy as _

from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.models import RICH_TEXT_FEATURES
from home.pages import LetopisPageMixin

from ..locales import in_locale
from .hero import HeroPage


class HeroIndexPage(LetopisPageMixin, Page):
    """The Book of Memory (Книга памяти): the parent of every hero page.

    Hero pages are its children, so their addresses are short and readable
    (/kniga-pamyati/ivanov-ivan-ivanovich/) and the "add" permission on this page is what
    lets a partner library write hero stories (see ``hero.py``).
    """

    intro = RichTextField(_("вступление"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, "intro"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    template = "pages/hero_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["memorials.HeroPage"]

    class Meta:
        verbose_name = _("Книга памяти")
        verbose_name_plural = _("Книги памяти")

    def heroes(self):
        """Published heroes in this page's language, untranslated ones in Russian.

        There is one Book of Memory per language, so it lists every published hero.
        """
        return in_locale(HeroPage.objects.published(), self.locale)

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: a collection of the heroes (the Book of Memory)."""
        from home.structured_data import collection_page

        return collection_page(self, request, image_url)

    def get_context(self, request, *args, **kwargs):
        from ..listing import hero_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(hero_index_context(self, request))
        return context
