"""The site's search backend for Wagtail (``WAGTAILSEARCH_BACKENDS["default"]``).

Every ``.search()`` and ``.autocomplete()`` — the admin's page, image and document
searches, the choosers, API v2's ``?search=`` — goes through the Russian analysis of
``search/analysis.py`` and the posting table of ``search/models.py``. The queryset being
searched is applied as an SQL subquery, so any filter Wagtail or the API puts on it
(live, public, locale, descendant_of, collection permissions…) holds without being declared
as a ``FilterField``.

The public search page uses the same index through ``search/engine.py``, which adds facets,
snippets and typo tolerance.
"""

from django.db.models import Case, IntegerField, When
from django.db.models.expressions import RawSQL

from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    SearchFieldError,
    get_model_root,
)
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from . import indexing
from .analysis import parse_query, prefix_groups
from .matching import Group, compile_match
from .models import SearchEntry


class LetopisIndex(BaseIndex):
    def add_items(self, model, items):
        indexing.index_objects(model, items)

    def delete_item(self, item):
        indexing.delete_object(item)

    def reset(self):
        indexing.delete_entries(SearchEntry.objects.all())


class LetopisRebuilder:
    """Re-index everything, then drop the entries of objects that no longer exist."""

    def __init__(self, index):
        self.index = index

    def start(self):
        from django.utils import timezone

        self.started_at = timezone.now()
        return self.index

    def finish(self):
        indexing.delete_entries(SearchEntry.objects.filter(indexed_at__lt=self.started_at))
        indexing.analyze()


class UnsupportedQuery(Exception):
    pass


class LetopisQueryCompiler(BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "and"
    HANDLES_ORDER_BY_EXPRESSIONS = True
    prefix_last_word = False

    def check(self):
        # Filters and ordering come from the queryset itself (a subquery): any are fine.
        if self.fields:
            allowed = {
                field.field_name for field in self.queryset.model.get_searchable_search_fields()
            }
            for name in self.fields:
                if name not in allowed:
                    raise SearchFieldError(
                        f'Cannot search with field "{name}". Please add index.SearchField("{name}") '
                        f"to {self.queryset.model.__name__}.search_fields.",
                        field_name=name,
                    )

    def _flatten(self, query):
        """Return ``(groups, operator)`` or ``None`` for "match everything"."""
        if isinstance(query, MatchAll):
            return None
        if isinstance(query, Boost):
            return self._flatten(query.subquery)
        if isinstance(query, PlainText | Phrase):
            parsed = parse_query(query.query_string)
            if self.prefix_last_word:
                groups = prefix_groups(parsed)
            else:
                groups = [Group(terms) for terms in parsed.groups]
            operator = getattr(query, "operator", "and")
            return groups, operator
        if isinstance(query, And | Or):
            groups = []
            for subquery in query.subqueries:
                flattened = self._flatten(subquery)
                if flattened is not None:
                    groups.extend(flattened[0])
            return groups, "and" if isinstance(query, And) else "or"
        if isinstance(query, Not):
            raise UnsupportedQuery("Negative search queries are not supported.")
        raise UnsupportedQuery(f"Unsupported search query: {query!r}")

    def compile(self):
        """Return ``None`` (match everything), or a Match, or ``False`` (match nothing)."""
        flattened = self._flatten(self.query)
        if flattened is None:
            return None
        groups, operator = flattened
        model = self.queryset.model
        entries = SearchEntry.objects.filter(
            root_content_type_id=get_content_type_pk(get_model_root(model)),
            content_type_id__in=get_descendants_content_types_pks(model),
            object_id__in=self.queryset.order_by().values("pk"),
        ).values("id")
        entry_sql, entry_params = entries.query.sql_with_params()
        match = compile_match(
            groups,
            operator=operator,
            title_only=bool(self.fields) and set(self.fields) == {"title"},
            entry_sql=entry_sql,
            entry_params=entry_params,
        )
        return match if match is not None else False


class LetopisAutocompleteCompiler(LetopisQueryCompiler):
    prefix_last_word = True


class LetopisSearchResults(BaseSearchResults):
    def _match(self):
        if not hasattr(self, "_compiled"):
            self._compiled = self.query_compiler.compile()
        return self._compiled

    def _clone(self):
        new = super()._clone()
        if hasattr(self, "_compiled"):
            new._compiled = self._compiled
        return new

    def _do_search(self):
        queryset = self.query_compiler.queryset
        match = self._match()
        if match is False:
            return []
        if match is None:
            return list(queryset[self.start : self.stop])
        if not self.query_compiler.order_by_relevance:
            entry_sql, params = match.entry_ids_sql()
            matching = SearchEntry.objects.filter(id__in=RawSQL(entry_sql, params))
            return list(
                queryset.filter(pk__in=matching.values("object_id"))[self.start : self.stop]
            )
        limit = (self.stop - self.start) if self.stop is not None else 10**9
        ranked = match.top(limit, self.start)
        if not ranked:
            return []
        scores = dict(ranked)
        object_ids = dict(SearchEntry.objects.filter(id__in=scores).values_list("id", "object_id"))
        order = [object_ids[entry_id] for entry_id, _ in ranked if entry_id in object_ids]
        objects = queryset.filter(pk__in=order)
        if self._score_field:
            objects = objects.annotate(
                **{
                    self._score_field: Case(
                        *(When(pk=object_ids[e], then=s) for e, s in ranked if e in object_ids),
                        output_field=IntegerField(),
                    )
                }
            )
        found = {obj.pk: obj for obj in objects}
        return [found[pk] for pk in order if pk in found]

    def _do_count(self):
        match = self._match()
        if match is False:
            return 0
        if match is None:
            return self.query_compiler.queryset.count()
        return match.count()


class LetopisSearchBackend(BaseSearchBackend):
    query_compiler_class = LetopisQueryCompiler
    autocomplete_query_compiler_class = LetopisAutocompleteCompiler
    results_class = LetopisSearchResults
    index_class = LetopisIndex
    rebuilder_class = LetopisRebuilder

    def __init__(self, params):
        super().__init__(params)
        self.params = params

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        # API v2 (the public one and the admin's) passes ?search_operator= through
        # unchecked, and modelsearch raises ValueError (a server error) on anything but
        # "and"/"or": an unknown operator means the default.
        operator = kwargs.get("operator")
        if operator is not None and str(operator).lower() not in ("and", "or"):
            kwargs["operator"] = None
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


SearchBackend = LetopisSearchBackend
