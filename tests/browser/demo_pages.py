"""The demo's pages the browser tests visit, chosen by what they show."""

from dataclasses import dataclass, field


@dataclass
class DemoSite:
    """The live server's address and the demo's pages by name and language: ``paths[name,
    language]`` is the path of a page (see ``demo_paths``)."""

    url: str
    paths: dict = field(default_factory=dict)
    contribution_blocks: dict = field(default_factory=dict)
    # A live Russian library page with no English translation (the language switcher's
    # fallback to the other home page).
    untranslated_library: str = ""


# Contributions to show, one per kind of material, named by the block that marks the kind;
# together they must use every block type (test_contributions_cover_every_block checks it).
CONTRIBUTION_KINDS = ["chronicle", "book_trailer", "postcard", "place", "document"]


def demo_paths(site):
    """Fill ``site.paths`` with one page of each public type, chosen from the demo by what it
    shows (the richest of its kind), in Russian and, where translated, English."""
    from django.db.models import Count, Exists, F, OuterRef

    from wagtail.models import Locale

    from home.models import HomePage
    from memorials.models import HeroIndexPage, HeroPage, MemorialIndexPage, MemorialPage
    from network.models import LibraryIndexPage, LibraryPage
    from projects.models import ContributionPage, ProjectIndexPage, ProjectPage

    russian = Locale.objects.get(language_code="ru")
    english = Locale.objects.get(language_code="en")

    def live(model):
        return model.objects.live().filter(locale=russian).order_by("path")

    def translated_first(model, queryset):
        """Put the pages with a live English translation first, keeping the order."""
        keys = model.objects.live().filter(locale=english).values("translation_key")
        return queryset.annotate(
            translated=Exists(keys.filter(translation_key=OuterRef("translation_key")))
        ).order_by("-translated", *queryset.query.order_by)

    pages = {
        "home": live(HomePage).get(depth=2),
        "project-index": live(ProjectIndexPage).first(),
        "project": live(ProjectPage).filter(is_contest=False).first(),
        "contest": live(ProjectPage).filter(is_contest=True).first(),
        "library-index": live(LibraryIndexPage).first(),
        "library": translated_first(
            LibraryPage,
            live(LibraryPage)
            .annotate(materials=Count("contributions"))
            .order_by("-materials", "path"),
        ).first(),
        "memorial-map": live(MemorialIndexPage).first(),
        "memorial": translated_first(
            MemorialPage,
            # The one with a photograph and the most heroes: the images-off test needs a
            # picture with a text.
            live(MemorialPage)
            .annotate(heroes=Count("hero_links"))
            .order_by(F("photo_id").asc(nulls_last=True), "-heroes", "path"),
        ).first(),
        "hero-index": live(HeroIndexPage).first(),
        "hero": translated_first(
            HeroPage,
            live(HeroPage)
            .annotate(memorials=Count("memorial_links"))
            .order_by("-memorials", "path"),
        ).first(),
    }
    contributions = [
        (page, {block.block_type for block in page.body}) for page in live(ContributionPage)
    ]
    translated = set(
        ContributionPage.objects.live()
        .filter(locale=english)
        .values_list("translation_key", flat=True)
    )
    for kind in CONTRIBUTION_KINDS:
        # The contribution with this block that has an English translation and shows the most
        # kinds of block.
        page, blocks = max(
            ((page, blocks) for page, blocks in contributions if kind in blocks),
            key=lambda item: (item[0].translation_key in translated, len(item[1])),
            default=(None, set()),
        )
        pages[f"contribution-{kind}"] = page
        site.contribution_blocks[kind] = blocks

    for name, page in pages.items():
        assert page is not None, f"the demo has no page for {name!r}"
        site.paths[name, "ru"] = page.url
        translation = page.get_translation_or_none(english)
        if translation is not None and translation.live:
            site.paths[name, "en"] = translation.url

    untranslated = translated_first(LibraryPage, live(LibraryPage)).last()
    assert untranslated.get_translation_or_none(english) is None, "every library is translated"
    site.untranslated_library = untranslated.url

    site.paths["search", "ru"] = "/search/?q=Козельск"
    site.paths["search-empty", "ru"] = "/search/?q=щщщщ"
    site.paths["search", "en"] = "/en/search/?q=memorials"
    site.paths["search-empty", "en"] = "/en/search/?q=qqqqq"
    site.paths["not-found", "ru"] = "/net-takoj-stranicy/"
    site.paths["not-found", "en"] = "/en/no-such-page/"
