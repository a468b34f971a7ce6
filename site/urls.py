"""URLs: the admin, APIs, robots.txt and the sitemap without a language prefix; public pages
and feeds in Russian at / and in English under /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api import api_router
from home import discovery, low_vision
from operations import health, media
from projects import feeds

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # Open data of the memorial map (GeoJSON, CSV): no language prefix, like the API.
    path("api/", include("memorials.urls")),
    # Discovery (home/discovery.py): one sitemap for both languages, so no prefix.
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
    path("favicon.ico", discovery.favicon, name="favicon"),
    path("sitemap.xml", discovery.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", discovery.sitemap_section, name="sitemap_section"),
    # The version for the visually impaired: one view for both languages (home/low_vision.py).
    path("low-vision/", low_vision.switch, name="low_vision"),
    # Database, cache and storage status for load balancers and monitoring (operations/health.py).
    path("healthz", health.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Uploaded files in development (operations/media.py): never originals or documents.
    urlpatterns += static(settings.MEDIA_URL, view=media.serve_public_media)

# Feeds of new materials (projects/feeds.py), in the language of their prefix.
feed_urls = [
    path("materials.rss", feeds.MaterialsFeed(), name="feed_materials_rss"),
    path("materials.atom", feeds.MaterialsAtomFeed(), name="feed_materials_atom"),
    path("project/<slug:slug>.rss", feeds.ProjectMaterialsFeed(), name="feed_project_rss"),
    path("project/<slug:slug>.atom", feeds.ProjectMaterialsAtomFeed(), name="feed_project_atom"),
    path("library/<slug:slug>.rss", feeds.LibraryMaterialsFeed(), name="feed_library_rss"),
    path("library/<slug:slug>.atom", feeds.LibraryMaterialsAtomFeed(), name="feed_library_atom"),
]

urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("feeds/", include(feed_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
