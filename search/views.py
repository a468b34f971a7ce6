"""The archive's public search: the HTML page, its JSON twin and the suggestions.

The engine (``search.engine``) cleans the query, ranks, highlights and counts the facets;
these views only read the request, build the links that keep the query and the filters,
and render. Nothing a visitor types may end in a server error: the engine never raises on
user input, a bad page number becomes page 1 and invalid filters become messages.
"""

import logging
import re

from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from memorials.models import HeroIndexPage, MemorialIndexPage
from projects.models import ProjectIndexPage

from . import engine
from .analysis import clean_query

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 20
SUGGESTIONS = 10
MIN_SUGGEST_LENGTH = 2
FILTER_NAMES = ("type", "district", "library", "project", "year")
# Facet values shown before «Показать все»; the rest fold into a <details> element.
FACET_VALUES_SHOWN = 8
JSON_TYPE = "application/json"
WORD = re.compile(r"\w+(?:-\w+)*")

FACET_TITLES = {
    "type": gettext_lazy("Тип"),
    "district": gettext_lazy("Район"),
    "library": gettext_lazy("Библиотека"),
    "project": gettext_lazy("Проект"),
    "year": gettext_lazy("Год"),
}

# What the empty search page suggests trying: words found in the archive.
EXAMPLES = (
    gettext_lazy("Соколов"),
    gettext_lazy("Козельск"),
    gettext_lazy("братская могила"),
    gettext_lazy("Бессмертный полк"),
)


# -- reading the request -------------------------------------------------------------------


def page_number(value):
    """The requested page: a positive integer, else 1 (``?page=abc``, ``?page=-3``)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), engine.MAX_PAGE)


def wants_json(request):
    """``?format=json``, or an ``Accept`` header that prefers JSON to HTML."""
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type(["text/html", JSON_TYPE]) == JSON_TYPE


# -- links that keep the query and the filters ----------------------------------------------


def filter_values(filters):
    return {name: getattr(filters, name, None) for name in FILTER_NAMES}


def search_href(query, filters, page=None, **changes):
    """``?q=…&district=…&page=2``: the search with some filters changed (None removes one)."""
    values = filter_values(filters)
    values.update(changes)
    params = QueryDict(mutable=True)
    if query:
        params["q"] = query
    for name in FILTER_NAMES:
        if values.get(name) not in (None, ""):
            params[name] = str(values[name])
    if page and page > 1:
        params["page"] = str(page)
    return "?" + params.urlencode()


# -- the parts of the page ----------------------------------------------------------------


def type_tabs(outcome, filters):
    """«Все» and each kind of result with its count; kinds without results are left out,
    and so are the tabs altogether when no kind has any."""
    values = outcome.facets.get("type", [])
    tabs = [
        {
            "label": _("Все"),
            "count": sum(value.count for value in values),
            "selected": not filters.type,
            "href": search_href(outcome.query, filters, type=None),
        }
    ]
    for value in values:
        if value.count or value.selected:
            tabs.append(
                {
                    "label": value.label,
                    "count": value.count,
                    "selected": value.selected,
                    "href": search_href(outcome.query, filters, type=value.value),
                }
            )
    return tabs if tabs[0]["count"] else []


def facet_groups(outcome, filters):
    """District, library, project and year: links that add a value or remove a selected one."""
    groups = []
    for name in FILTER_NAMES[1:]:
        values = [
            {
                "label": value.label,
                "count": value.count,
                "selected": value.selected,
                "href": search_href(
                    outcome.query, filters, **{name: None if value.selected else value.value}
                ),
            }
            for value in outcome.facets.get(name, [])
            if value.count or value.selected
        ]
        if not values:
            continue
        shown, more = values[:FACET_VALUES_SHOWN], values[FACET_VALUES_SHOWN:]
        groups.append(
            {
                "name": name,
                "title": FACET_TITLES[name],
                "values": shown,
                "more": more,
                "more_open": any(value["selected"] for value in more),
                "total": len(values),
            }
        )
    return groups


def selected_filters(outcome, filters):
    """The filters in force beside the type (the tabs show that one), each with a link that
    removes it: «Район: Козельский район ×»."""
    chosen = []
    for name, value in filter_values(filters).items():
        if name == "type" or value in (None, ""):
            continue
        # The engine lists a selected value with its label even when nothing has it.
        label = next(
            (v.label for v in outcome.facets.get(name, []) if v.selected or v.value == str(value)),
            str(value),
        )
        chosen.append(
            {
                "title": FACET_TITLES[name],
                "label": label,
                "href": search_href(outcome.query, filters, **{name: None}),
            }
        )
    return chosen


def pagination(outcome, filters):
    if outcome.num_pages <= 1:
        return None
    current = outcome.page
    numbers = Paginator(range(outcome.num_pages), 1).get_elided_page_range(
        current, on_each_side=2, on_ends=1
    )
    items = []
    for number in numbers:
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            href = search_href(outcome.query, filters, page=number)
            items.append({"number": number, "href": href, "current": number == current})
    return {
        "previous": search_href(outcome.query, filters, page=current - 1) if current > 1 else None,
        "next": (
            search_href(outcome.query, filters, page=current + 1)
            if current < outcome.num_pages
            else None
        ),
        "items": items,
    }


def editors_picks(query, request):
    """Search promotions for the query: live, public pages in the visitor's language and
    external links, with the editor's description (or the page's search description)."""
    # As typed (lower case, single spaces) or without its punctuation: «Бессмертный полк!»
    # finds the promotions of «бессмертный полк».
    keys = {normalise_query_string(query), normalise_query_string(" ".join(WORD.findall(query)))}
    keys.discard("")
    if not keys:
        return []
    visible = Page.objects.live().public().filter(locale=Locale.get_active())
    picks = (
        SearchPromotion.objects.filter(query__query_string__in=keys)
        .filter(Q(page__in=visible) | (Q(page__isnull=True) & ~Q(external_link_url="")))
        .select_related("page")
    )
    result = []
    for pick in picks:
        if pick.page_id:
            url = pick.page.get_url(request)
            description = pick.description or pick.page.search_description
        else:
            url = pick.external_link_url
            description = pick.description
        if url:
            result.append({"title": pick.title or url, "url": url, "description": description})
    return result


def record_hit(query):
    """Count the query for the admin's «Search terms» report (wagtail search promotions)."""
    try:
        with transaction.atomic():
            Query.get(query).add_hit()
    except DatabaseError:  # a concurrent first hit of the same query: not worth an error
        logger.warning("Search hit of %r not recorded", query, exc_info=True)


def section_links():
    """The archive's sections a visitor may browse when the search finds nothing."""
    locale = Locale.get_active()
    links = []
    for model in (HeroIndexPage, MemorialIndexPage, ProjectIndexPage):
        page = model.objects.live().public().filter(locale=locale).first()
        if page is not None:
            links.append({"title": page.title, "url": page.url})
    return links


# -- the views ----------------------------------------------------------------------------


@require_safe
def search(request):
    raw_query = request.GET.get("q", "")
    filters, errors = engine.Filters.from_data(request.GET)
    page = page_number(request.GET.get("page", 1))
    outcome = None
    if raw_query.strip():
        outcome = engine.run_search(
            raw_query,
            locale=Locale.get_active(),
            filters=filters,
            page=page,
            per_page=RESULTS_PER_PAGE,
            request=request,
        )
        if not any(char.isalnum() for char in outcome.query):
            # Only punctuation or symbols: as if nothing was typed.
            outcome = None

    if wants_json(request):
        response = JsonResponse(
            search_json(request, outcome, errors), json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = render(
            request, "search/search.html", page_context(request, outcome, filters, errors)
        )
    patch_vary_headers(response, ["Accept"])
    return response


def page_context(request, outcome, filters, errors):
    context = {
        "outcome": outcome,
        "errors": errors,
        "filters_active": any(v not in (None, "") for v in filter_values(filters).values()),
        "max_query_length": engine.MAX_QUERY_LENGTH,
        "max_query_words": engine.MAX_QUERY_WORDS,
        "examples": [{"text": text, "href": search_href(str(text), None)} for text in EXAMPLES],
    }
    if outcome is None:
        return context
    context.update(
        {
            "search_query": outcome.query,
            "hits": outcome.hits,
            "first_number": (outcome.page - 1) * outcome.per_page + 1,
            "type_tabs": type_tabs(outcome, filters),
            "facet_groups": facet_groups(outcome, filters),
            "selected_filters": selected_filters(outcome, filters),
            "clear_filters_href": search_href(outcome.query, None),
            "suggestion_href": (
                search_href(outcome.suggestion, filters) if outcome.suggestion else None
            ),
            "pagination": pagination(outcome, filters),
            "promotions": [],
            "sections": [] if outcome.total else section_links(),
        }
    )
    if outcome.page == 1:
        if not context["filters_active"]:
            context["promotions"] = editors_picks(outcome.query, request)
        if request.method == "GET":
            record_hit(outcome.query)
    return context


def search_json(request, outcome, errors):
    if outcome is None:
        return {
            "query": "",
            "total": 0,
            "page": 1,
            "num_pages": 1,
            "results": [],
            "facets": {name: [] for name in FILTER_NAMES},
            "suggestion": None,
            "corrected": False,
            "errors": [str(error) for error in errors],
        }
    return {
        "query": outcome.query,
        "total": outcome.total,
        "page": outcome.page,
        "num_pages": outcome.num_pages,
        "results": [
            {
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url) if hit.url else None,
                "type": hit.kind,
                "snippet": hit.snippet_text,
            }
            for hit in outcome.hits
        ],
        "facets": {
            name: [
                {
                    "value": value.value,
                    "label": str(value.label),
                    "count": value.count,
                    "selected": value.selected,
                }
                for value in outcome.facets.get(name, [])
            ]
            for name in FILTER_NAMES
        },
        "suggestion": outcome.suggestion,
        "corrected": outcome.corrected,
        "errors": [str(error) for error in errors],
    }


@require_safe
def suggest(request):
    """Titles and hero names for what was typed so far: the search box's suggestions."""
    prefix, _cut = clean_query(request.GET.get("q", ""))
    results = []
    # «Герой», «Памятник» beside a name read better than the tabs' plurals.
    kind_names = getattr(engine, "KIND_SINGULAR", engine.KIND_LABELS)
    if len(prefix) >= MIN_SUGGEST_LENGTH:
        found = engine.suggest(
            prefix, locale=Locale.get_active(), limit=SUGGESTIONS, request=request
        )
        for item in found[:SUGGESTIONS]:
            results.append(
                {
                    "title": item["title"],
                    "url": request.build_absolute_uri(item["url"]),
                    "type": item["type"],
                    "type_label": str(kind_names.get(item["type"], "")),
                }
            )
    if results:
        status = ngettext("%(count)s подсказка", "Подсказок: %(count)s", len(results)) % {
            "count": len(results)
        }
    else:
        status = _("Подсказок нет") if len(prefix) >= MIN_SUGGEST_LENGTH else ""
    response = JsonResponse(
        {"query": prefix, "results": results, "status": status},
        json_dumps_params={"ensure_ascii": False},
    )
    patch_cache_control(response, public=True, max_age=60)
    return response
