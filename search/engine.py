"""The public search: ranked hits with snippets, facet counts, typo tolerance, suggestions.

Only live pages in the visitor's language (and documents) that no view restriction hides
are ever read from the index: the conditions are part of the SQL, so a private or draft
page cannot appear, not even as a facet count.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

from .analysis import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    clean_query,
    highlight,
    parse_query,
    prefix_groups,
    typo_candidates,
)
from .indexing import term_counts
from .matching import ENTRIES, FACET_KEYS, Group, compile_match
from .models import SearchEntry

__all__ = [
    "KIND_LABELS",
    "KIND_SINGULAR",
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_WORDS",
    "FacetValue",
    "Filters",
    "Hit",
    "SearchOutcome",
    "run_search",
    "suggest",
]

#: The kinds the public search shows, in the order of the type tabs.
KIND_LABELS = {
    "hero": _("Герои"),
    "memorial": _("Памятники"),
    "material": _("Материалы"),
    "project": _("Проекты"),
    "library": _("Библиотеки"),
    "document": _("Документы"),
    "page": _("Страницы"),
}
KIND_SINGULAR = {
    "hero": _("Герой"),
    "memorial": _("Памятник"),
    "material": _("Материал"),
    "project": _("Проект"),
    "library": _("Библиотека"),
    "document": _("Документ"),
    "page": _("Страница"),
}
FACETS = ("type", "district", "library", "project", "year")
SUGGEST_MIN_LENGTH = 2
MAX_PAGE = 100_000


@dataclass
class Filters:
    type: str | None = None
    district: str | None = None
    library: int | None = None
    project: int | None = None
    year: int | None = None

    @classmethod
    def from_data(cls, data):
        """Read filters from request.GET: ``(filters, errors)``; bad values are dropped."""
        filters, errors = cls(), []
        kind = (data.get("type") or "").strip()
        if kind:
            if kind in KIND_LABELS:
                filters.type = kind
            else:
                errors.append(gettext("Неизвестный тип материалов: «%s».") % kind[:40])
        # The district goes into SQL: cleaned like a query (PostgreSQL rejects NUL).
        district, _cut = clean_query(data.get("district") or "")
        if district:
            filters.district = district[:100]
        for name, message in (
            ("library", gettext("Номер библиотеки должен быть числом.")),
            ("project", gettext("Номер проекта должен быть числом.")),
            ("year", gettext("Год должен быть числом.")),
        ):
            value = (data.get(name) or "").strip()
            if not value:
                continue
            if value.isascii() and value.isdigit() and len(value) <= 9:
                setattr(filters, name, int(value))
            else:
                errors.append(message)
        return filters, errors

    def key_value(self, facet):
        return getattr(self, facet)

    def __bool__(self):
        return any(getattr(self, facet) is not None for facet in FACETS)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    kind_label: str
    snippet: SafeString
    snippet_text: str
    object: object
    score: int = 0


@dataclass
class SearchOutcome:
    query: str
    query_was_cut: bool = False
    total: int = 0
    page: int = 1
    num_pages: int = 1
    per_page: int = 20
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    corrected: bool = False


FACET_COLUMNS = {
    "type": "kind",
    "district": "district",
    "library": "library_id",
    "project": "project_id",
    "year": "year",
}


def _filter_sql(filters):
    """The facet keys the filters select, as SQL (``None`` without filters)."""
    conditions, params = [], []
    for facet, column in FACET_COLUMNS.items():
        value = filters.key_value(facet)
        if value is not None:
            conditions.append(f"{column} = %s")
            params.append(value)
    if not conditions:
        return None, []
    return f"SELECT id FROM {FACET_KEYS} WHERE {' AND '.join(conditions)}", params


class _Scope:
    """What a visitor may see: live, public, in their language, of a public kind."""

    def __init__(self, locale):
        kinds = list(KIND_LABELS)
        self.facet_key_sql = (
            f"SELECT id FROM {FACET_KEYS} WHERE live = %s AND (locale_id = %s OR locale_id = 0)"
            f" AND kind IN ({', '.join(['%s'] * len(kinds))})"
        )
        self.facet_key_params = [True, locale.pk if locale else 0, *kinds]
        prefixes = [
            "p" + path for path in PageViewRestriction.objects.values_list("page__path", flat=True)
        ]
        prefixes += [
            "c" + path
            for path in CollectionViewRestriction.objects.values_list("collection__path", flat=True)
        ]
        self.exclude_sql, self.exclude_params = None, []
        if prefixes:
            conditions = " OR ".join(
                ["(restriction_path >= %s AND restriction_path < %s)"] * len(prefixes)
            )
            self.exclude_sql = f"SELECT id FROM {ENTRIES} WHERE {conditions}"
            for prefix in prefixes:
                self.exclude_params += [prefix, prefix + "\uffff"]

    def match(self, groups, **kwargs):
        return compile_match(
            groups,
            facet_key_sql=self.facet_key_sql,
            facet_key_params=self.facet_key_params,
            exclude_sql=self.exclude_sql,
            exclude_params=self.exclude_params,
            **kwargs,
        )


def _labels(facet, values):
    if facet == "type":
        return {value: str(KIND_LABELS.get(value, value)) for value in values}
    if facet in ("library", "project"):
        titles = dict(Page.objects.filter(id__in=values).values_list("id", "title"))
        return {value: titles.get(value, str(value)) for value in values}
    return {value: str(value) for value in values}


def _facets(sums, filters):
    """FacetValue lists from ``{column: {value as text: count}}``."""
    facets = {}
    for facet, column in FACET_COLUMNS.items():
        numeric = column != "kind" and column != "district"
        totals = Counter()
        for text, count in sums.get(column, {}).items():
            value = int(text) if numeric and text is not None else text
            if value not in ("", 0, None):
                totals[value] += count
        selected = filters.key_value(facet)
        if selected is not None and selected not in totals:
            totals[selected] += 0
        labels = _labels(facet, list(totals))
        values = [
            FacetValue(str(value), labels[value], count, value == selected)
            for value, count in totals.items()
        ]
        if facet == "type":
            order = list(KIND_LABELS)
            values.sort(key=lambda item: order.index(item.value) if item.value in order else 99)
        elif facet == "year":
            values.sort(key=lambda item: -int(item.value))
        elif facet == "district":
            values.sort(key=lambda item: item.label)
        else:
            values.sort(key=lambda item: (-item.count, item.label))
        facets[facet] = values
    return facets


def _run(scope, groups, filters, per_page, offset):
    """Return ``(match, sums, total, ranked)`` for groups under filters."""
    match = scope.match(groups)
    if match is None:
        return None, {}, 0, []
    active = [
        (column, filters.key_value(facet))
        for facet, column in FACET_COLUMNS.items()
        if filters.key_value(facet) is not None
    ]
    total, sums, ranked = match.facets_and_top(per_page, offset, active)
    return match, sums, total, ranked


def _correct(parsed):
    """Replace words found nowhere by the most frequent term one letter away.

    Returns ``(groups, suggestion)`` or ``None`` when no word could be corrected.
    """
    counts = term_counts(set().union(*parsed.groups))
    groups, words, changed = [], [], False
    for terms, word, raw in zip(parsed.groups, parsed.words, parsed.raw_words, strict=True):
        if any(counts.get(term) for term in terms):
            groups.append(Group(terms))
            words.append(raw)
            continue
        candidates = typo_candidates(word)
        counts = term_counts(candidates)
        if not counts:
            return None
        best = max(sorted(counts), key=lambda term: (candidates[term][0], counts[term]))
        display = candidates[best][1]
        groups.append(Group(frozenset([best])))
        words.append(display.capitalize() if raw[:1].isupper() else display)
        changed = True
    return (groups, " ".join(words)) if changed else None


def _load_objects(entries, request):
    """``{entry_id: (object, url)}`` for entries: one query for the pages, one for the
    documents.

    A hit shows the index's title and snippet and links its page, whose URL needs only the
    base page (its url_path and the Site's root paths): pages are not made specific, which
    would cost a query per page type on the results page."""
    page_ids = {}
    document_ids = {}
    document_model = get_document_model()
    for entry in entries:
        model = entry.content_type.model_class()
        if model is not None and issubclass(model, Page):
            page_ids[entry.object_id] = entry.pk
        elif model is not None and issubclass(model, document_model):
            document_ids[entry.object_id] = entry.pk
    found = {}
    for page in Page.objects.filter(id__in=page_ids):
        found[page_ids[page.pk]] = (page, page.get_url(request=request))
    for document in document_model.objects.filter(id__in=document_ids):
        found[document_ids[document.pk]] = (document, document.url)
    return found


def _found(ranked, request):
    """Yield ``(entry, object, url, score)`` for ranked entries whose object has a URL."""
    entries = {
        entry.pk: entry
        for entry in SearchEntry.objects.filter(
            id__in=[entry_id for entry_id, _ in ranked]
        ).select_related("content_type", "facet_key")
    }
    objects = _load_objects(entries.values(), request)
    for entry_id, score in ranked:
        if entry_id in entries and entry_id in objects and objects[entry_id][1]:
            yield entries[entry_id], *objects[entry_id], score


def _hits(ranked, terms, request):
    hits = []
    for entry, obj, url, score in _found(ranked, request):
        snippet, snippet_text = highlight(entry.body or entry.title, terms)
        kind = entry.facet_key.kind
        hits.append(
            Hit(
                title=entry.title,
                url=url,
                kind=kind,
                kind_label=str(KIND_SINGULAR.get(kind, kind)),
                snippet=snippet,
                snippet_text=snippet_text,
                object=obj,
                score=score,
            )
        )
    return hits


def run_search(query, *, locale, filters=None, page=1, per_page=20, request=None):
    """Search the archive as a visitor (see the module docstring). Never raises on input."""
    filters = filters or Filters()
    parsed = parse_query(query)
    outcome = SearchOutcome(query=parsed.text, query_was_cut=parsed.was_cut, per_page=per_page)
    if not parsed:
        outcome.facets = {facet: [] for facet in FACETS}
        return outcome
    scope = _Scope(locale)
    groups = [Group(terms) for terms in parsed.groups]
    terms = parsed.terms
    try:
        # Far beyond any last page, small enough for a database integer.
        page = min(max(1, int(page)), MAX_PAGE)
    except (TypeError, ValueError, OverflowError):
        page = 1
    offset = (page - 1) * per_page
    match, counts, total, ranked = _run(scope, groups, filters, per_page, offset)
    if total == 0:
        corrected = _correct(parsed)
        if corrected is not None:
            new_groups, suggestion = corrected
            outcome.suggestion = suggestion
            result = _run(scope, new_groups, filters, per_page, offset)
            if result[2]:
                match, counts, total, ranked = result
                outcome.corrected = True
                terms = frozenset().union(*(group.terms for group in new_groups))
    outcome.total = total
    outcome.facets = _facets(counts, filters)
    outcome.num_pages = max(1, math.ceil(total / per_page))
    outcome.page = min(page, outcome.num_pages)
    if outcome.page != page and total:
        # Asked for a page beyond the last: show the last one.
        ranked = match.top(per_page, (outcome.page - 1) * per_page, *_filter_sql(filters))
    if total:
        outcome.hits = _hits(ranked, terms, request)
    return outcome


def suggest(prefix, *, locale, limit=10, request=None):
    """Titles and hero names starting with what was typed: ``[{"title", "url", "type"}]``."""
    parsed = parse_query(prefix)
    if len(parsed.last_word) < SUGGEST_MIN_LENGTH:
        return []
    match = _Scope(locale).match(prefix_groups(parsed), title_only=True)
    if match is None:
        return []
    return [
        {"title": entry.title, "url": url, "type": entry.facet_key.kind}
        for entry, _obj, url, _score in _found(match.top(limit), request)
    ]
