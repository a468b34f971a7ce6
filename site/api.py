"""Wagtail API v2: pages, images and documents, read-only, at /api/v2/."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


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


class Images(SearchOperatorMixin, ImagesAPIViewSet):
    pass


class Documents(SearchOperatorMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", Pages)
api_router.register_endpoint("images", Images)
api_router.register_endpoint("documents", Documents)
