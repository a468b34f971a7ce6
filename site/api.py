"""Wagtail API v2: pages, images and documents, read-only, at /api/v2/."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.api.v2.serializers import ImageSerializer as WagtailImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, ReferenceIndex


class SearchOperatorMixin:
    """``?search_operator=`` other than "and"/"or" is a 400, not a ValueError deep in the
    search backend (a 500)."""

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        operator = self.request.GET.get("search_operator")
        if operator is not None and operator.lower() not in ("and", "or"):
            raise BadRequestError("search_operator must be either 'and' or 'or'")


class Pages(SearchOperatorMixin, PagesAPIViewSet):
    pass


class PublishedAssetsMixin:
    """A library's images and documents are listed once a live page uses them.

    Partner libraries upload into their own collections while a material is a draft;
    until a moderator publishes it, its photographs and files are nobody else's business
    (Wagtail's API would list every file outside a restricted collection). Files of other
    collections — shared, the regional library's — are listed as Wagtail lists them.
    """

    def get_queryset(self):
        from network.models import LibraryAccess

        queryset = super().get_queryset()
        live_pages = Page.objects.live().annotate(key=Cast("pk", CharField())).values("key")
        used = ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=live_pages,
            to_content_type=ContentType.objects.get_for_model(queryset.model),
        ).values("to_object_id")
        return queryset.annotate(key=Cast("pk", CharField())).filter(
            ~Q(collection__in=LibraryAccess.objects.values("collection")) | Q(key__in=used)
        )


#: The one picture size the API offers: the gallery's full view (the same rendition).
API_IMAGE_SPEC = "max-1600x1600"


class ImageSerializer(WagtailImageSerializer):
    rendition = ImageRenditionField(API_IMAGE_SPEC, source="*", read_only=True)


def _without_download_url(fields):
    return [field for field in fields if field != "download_url"]


class Images(SearchOperatorMixin, PublishedAssetsMixin, ImagesAPIViewSet):
    """Images with a rendition of one fixed size instead of Wagtail's ``download_url``.

    The original file is not public (the web server refuses /media/original_images/, see
    operations/media.py), so its address is not given; no client can choose a filter spec
    either: ``rendition`` is always ``API_IMAGE_SPEC``, and Wagtail's dynamic image view is not
    routed. Listed only when asked for (``?fields=rendition``), so a listing creates no
    renditions by default."""

    base_serializer_class = ImageSerializer
    body_fields = [*ImagesAPIViewSet.body_fields, "rendition"]
    meta_fields = _without_download_url(ImagesAPIViewSet.meta_fields)
    listing_default_fields = _without_download_url(ImagesAPIViewSet.listing_default_fields)
    nested_default_fields = _without_download_url(ImagesAPIViewSet.nested_default_fields)


class Documents(SearchOperatorMixin, PublishedAssetsMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", Pages)
api_router.register_endpoint("images", Images)
api_router.register_endpoint("documents", Documents)
