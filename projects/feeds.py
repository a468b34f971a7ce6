"""RSS 2.0 and Atom feeds of new materials: the whole network, one project, one library.

Under each language's prefix (``/feeds/materials.rss``, ``/en/feeds/materials.atom``), with
the materials of that language only. Projects and libraries are named by slug in the active
language, as their pages are; an unknown, unpublished or private one is a 404.
"""

import copy
import mimetypes

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from wagtail.models import Locale

from home.discovery import site_root_url, wagtail_site

from .models import CARD_RENDITION, ContributionPage, ProjectPage

FEED_ITEMS = 30
FEED_MAX_AGE = 900


class MaterialsFeed(Feed):
    """New materials of the network in the active language, newest first."""

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request of its URL, and Wagtail builds page URLs
        # with the request: each request gets its own copy that knows it.
        feed = copy.copy(self)
        feed.request = request
        feed.locale = Locale.get_active()
        response = Feed.__call__(feed, request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    def get_object(self, request, *args, **kwargs):
        return None  # the whole network

    def materials(self, obj):
        return ContributionPage.objects.for_listing().filter(locale=self.locale)

    def items(self, obj):
        items = list(self.materials(obj).order_by("-first_published_at", "-pk")[:FEED_ITEMS])
        # A translated material still points to the Russian project (wagtail-localize keeps
        # page foreign keys): name the project in the feed's language where it exists.
        keys = {item.project.translation_key for item in items}
        localized = {
            project.translation_key: project
            for project in ProjectPage.objects.live().filter(
                translation_key__in=keys, locale=self.locale
            )
        }
        for item in items:
            item.feed_project = localized.get(item.project.translation_key, item.project)
        return items

    def title(self, obj):
        return _("Новые материалы — %(site)s") % {"site": self.site_name()}

    def description(self, obj):
        return _("Новые материалы библиотек в сетевых проектах.")

    def link(self, obj):
        return wagtail_site(self.request).root_page.localized.get_full_url(self.request)

    def feed_url(self, obj):
        return site_root_url(self.request) + self.request.path

    def site_name(self):
        from home.templatetags.letopis import site_name

        return site_name({"request": self.request})

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_description(self, item):
        lines = [(item.intro,)] if item.intro else []
        if item.library:
            lines.append((_("Библиотека:"), item.library_name))
        lines.append((_("Проект:"), item.feed_project.title))
        return format_html_join("", "<p>{}</p>", ((" ".join(line),) for line in lines))

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.library_name or None

    def item_enclosures(self, item):
        """The cover as the card shows it (the rendition listings already made)."""
        if item.cover_image is None:
            return []
        try:
            rendition = item.cover_image.get_rendition(CARD_RENDITION)
        except OSError:
            return []  # the original file is gone: the material stays in the feed
        url = rendition.url
        if url.startswith("/"):
            url = site_root_url(self.request) + url
        try:
            length = rendition.file.size
        except OSError:
            length = 0  # RSS's advice when the size is unknown
        mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
        return [Enclosure(url, str(length), mime_type)]


class ProjectMaterialsFeed(MaterialsFeed):
    """New materials of one project."""

    def get_object(self, request, slug):
        project = ProjectPage.objects.live().public().filter(slug=slug, locale=self.locale)
        return first_or_404(project)

    def materials(self, project):
        return super().materials(project).filter(project__translation_key=project.translation_key)

    def title(self, project):
        return _("Новые материалы проекта «%(project)s»") % {"project": project.title}

    def description(self, project):
        return project.intro or self.title(project)

    def link(self, project):
        return project.get_full_url(self.request)


class LibraryMaterialsFeed(MaterialsFeed):
    """New materials of one library."""

    def get_object(self, request, slug):
        from network.models import LibraryPage

        library = LibraryPage.objects.live().public().filter(slug=slug, locale=self.locale)
        return first_or_404(library)

    def materials(self, library):
        return super().materials(library).filter(library=library)

    def title(self, library):
        return _("Новые материалы: %(library)s") % {"library": library.display_name}

    def description(self, library):
        return self.title(library)

    def link(self, library):
        return library.get_full_url(self.request)


def first_or_404(pages):
    # Slugs are unique among siblings only: with two indexes of one kind, the first wins.
    page = pages.order_by("path").first()
    if page is None:
        raise Http404("No such feed")
    return page


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class MaterialsAtomFeed(AtomMixin, MaterialsFeed):
    pass


class ProjectMaterialsAtomFeed(AtomMixin, ProjectMaterialsFeed):
    pass


class LibraryMaterialsAtomFeed(AtomMixin, LibraryMaterialsFeed):
    pass
