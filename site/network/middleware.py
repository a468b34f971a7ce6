"""A partner's admin requests about a page outside their area end in 404, before the view.

Wagtail's views check permissions for *acting* on a page (edit, publish, delete…); some
views that *show* a page's drafts and history ask for less, and a partner holding "add" on
the Book of Memory passes Wagtail's checks for every hero. Rather than trust each view,
every admin URL that names a page is checked here against ``network.partners``:

- adding below a page, and browsing it (explorer, page chooser): the page must be visible
  to the partner (Wagtail then checks the "add" permission itself);
- everything else about a page (edit, preview, draft, history, revisions, compare, copy,
  move, delete, unpublish, lock, privacy, workflow, usage, translation): the page must be in
  the partner's area;
- page bulk actions: every page they name must be in the area;
- pages named to the page chooser's "chosen" endpoint: each must be visible.

Images, documents and videos are checked the same way, as a second line behind Wagtail's
collection permissions: an admin URL naming one, or a bulk action naming several, needs each
to be among ``permitted_assets`` (wagtailmedia's usage page checks nothing, and bulk
actions list the titles of the items one may not act on).

A few admin-wide reports list every page or translation with titles and have no filter a
hook could narrow: partners get a 404 there (and ``wagtail_hooks`` hides them from the
reports menu).
"""

from django.apps import apps
from django.http import Http404

from wagtail.models import Page

from .partners import partner_scope, permitted_assets

PAGE_FIELDS = ("path", "owner_id", "live", "has_unpublished_changes")

BROWSE_URLS = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_pages:add",
    "wagtailadmin_pages:preview_on_add",
    "wagtailadmin_pages:add_subpage",
}
PAGE_NAMESPACES = {"wagtailadmin_pages", "wagtailforms"}
PAGE_URLS = {"wagtail_localize:submit_page_translation", "wagtail_localize:convert_to_alias"}
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
CHOSEN_PAGES_URL = "wagtailadmin_choose_page_chosen_multiple"

ASSET_NAMESPACES = {"wagtailimages", "wagtailimages_chooser", "wagtaildocs",
                    "wagtaildocs_chooser", "wagtailmedia"}  # fmt: skip
ASSET_KWARGS = ("image_id", "document_id", "doc_id", "media_id", "pk")
ASSET_BULK_MODELS = {("wagtailimages", "image"), ("wagtaildocs", "document")}

# Reports of the whole site: the page types report names the last edited page of each type
# (a draft of any library), the translations report every translation with its titles.
PARTNER_REFUSED_URLS = {
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
    "wagtail_localize:translations_report",
    "wagtail_localize:translations_report_results",
}


def _page_ids(match):
    ids = [match.kwargs[name] for name in PAGE_KWARGS if name in match.kwargs]
    if match.view_name == "wagtailadmin_pages:revisions_compare" and "pk" in match.kwargs:
        ids.append(match.kwargs["pk"])
    return ids


class PartnerAreaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not getattr(request, "user", None):
            return None
        name = match.view_name
        is_page_url = (
            name in BROWSE_URLS or name in PAGE_URLS or (match.namespace in PAGE_NAMESPACES)
        )
        bulk_model = (view_kwargs.get("app_label"), view_kwargs.get("model_name"))
        is_bulk = name == "wagtail_bulk_action" and view_kwargs.get("app_label") == "wagtailcore"
        is_asset_bulk = name == "wagtail_bulk_action" and bulk_model in ASSET_BULK_MODELS
        is_asset_url = match.namespace in ASSET_NAMESPACES
        if not (
            is_page_url
            or is_bulk
            or is_asset_bulk
            or is_asset_url
            or name == CHOSEN_PAGES_URL
            or name in PARTNER_REFUSED_URLS
        ):
            return None
        scope = partner_scope(request.user)
        if scope is None:
            return None
        if name in PARTNER_REFUSED_URLS:
            raise Http404
        if is_bulk:
            self._check_bulk(request, scope)
            return None
        if is_asset_bulk:
            self._check_assets(request, apps.get_model(*bulk_model), _numeric_ids(request))
            return None
        if is_asset_url:
            ids = [match.kwargs[key] for key in ASSET_KWARGS if key in match.kwargs]
            if ids:
                self._check_assets(request, _asset_model(match.namespace), ids)
            return None
        if name == CHOSEN_PAGES_URL:
            for page in Page.objects.filter(pk__in=_numeric_ids(request)).only(*PAGE_FIELDS):
                if not scope.can_see(page):
                    raise Http404
            return None
        for page_id in _page_ids(match):
            page = Page.objects.filter(pk=page_id).only(*PAGE_FIELDS).first()
            if page is None:
                continue  # the view answers 404 itself
            allowed = scope.can_see(page) if name in BROWSE_URLS else scope.in_area(page)
            if name == "wagtailadmin_pages:move_confirm" and page_id == view_kwargs.get(
                "destination_id"
            ):
                allowed = scope.can_see(page)
            if not allowed:
                raise Http404
        return None

    def _check_bulk(self, request, scope):
        ids = request.GET.getlist("id")
        if "all" in ids:
            parent_id = request.GET.get("childOf") or ""
            if not parent_id.isdigit():
                raise Http404
            pages = Page.objects.filter(pk=parent_id)
        else:
            pages = Page.objects.filter(pk__in=_numeric_ids(request))
        for page in pages.only(*PAGE_FIELDS):
            if not scope.in_area(page):
                raise Http404

    def _check_assets(self, request, model, ids):
        ids = [str(pk) for pk in ids if str(pk).isdigit()]
        permitted = permitted_assets(model.objects.filter(pk__in=ids), request.user)
        if permitted.count() != model.objects.filter(pk__in=ids).count():
            raise Http404


def _asset_model(namespace):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from wagtailmedia.models import get_media_model

    if namespace.startswith("wagtailimages"):
        return get_image_model()
    if namespace.startswith("wagtaildocs"):
        return get_document_model()
    return get_media_model()


def _numeric_ids(request):
    return [value for value in request.GET.getlist("id") if value.isdigit()]
