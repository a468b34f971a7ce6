"""SQL over the posting table, the same on SQLite and PostgreSQL.

A query is a list of :class:`Group` objects — one per word — and an operator. An entry
matches a group when it has one of the group's terms (or a term starting with its prefix,
for autocomplete); with "and" it must match every group. The score is the sum of the
weights of the matched postings.

The SQL only ever receives terms as parameters; terms are letters and digits produced by
``search.analysis``, never text a visitor typed.
"""

from dataclasses import dataclass

from django.db import connections, router

from .models import FacetKey, Posting, SearchEntry

POSTINGS = Posting._meta.db_table
ENTRIES = SearchEntry._meta.db_table
FACET_KEYS = FacetKey._meta.db_table
TITLE_MIN_WEIGHT = 100
PREFIX_END = "\uffff"


@dataclass(frozen=True)
class Group:
    terms: frozenset = frozenset()
    prefix: str = ""

    def predicate(self):
        parts, params = [], []
        if self.terms:
            terms = sorted(self.terms)
            parts.append(f"p.term IN ({', '.join(['%s'] * len(terms))})")
            params.extend(terms)
        if self.prefix:
            parts.append("(p.term >= %s AND p.term < %s)")
            params.extend([self.prefix, self.prefix + PREFIX_END])
        sql = parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
        return sql, params

    @property
    def is_single_term(self):
        return len(self.terms) == 1 and not self.prefix


def simplify(groups):
    """Drop empty groups, and groups implied by another: if every term of B is in A, any
    entry matching B matches A, so A adds nothing to an "and" query."""
    groups = [group for group in dict.fromkeys(groups) if group.terms or group.prefix]
    kept = []
    for group in groups:
        implied = any(
            other is not group
            and not group.prefix
            and not other.prefix
            and other.terms < group.terms
            for other in groups
        )
        if not implied:
            kept.append(group)
    return kept


@dataclass
class Match:
    """A compiled match: ``sql`` selects ``eid, fk, score`` with ``params``."""

    sql: str
    params: list

    def _run(self, sql, params):
        with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self):
        return self._run(f"SELECT COUNT(*) FROM ({self.sql}) m", self.params)[0][0]

    def facet_counts(self):
        """``{facet_key_id: number of matching entries}``."""
        return dict(
            self._run(f"SELECT m.fk, COUNT(*) FROM ({self.sql}) m GROUP BY m.fk", self.params)
        )

    def top(self, limit, offset=0, facet_keys=None):
        """``[(entry_id, score)]`` best first; optionally only entries with these facet keys."""
        sql, params = f"SELECT m.eid, m.score FROM ({self.sql}) m", list(self.params)
        if facet_keys is not None:
            if not facet_keys:
                return []
            keys = sorted(facet_keys)
            sql += f" WHERE m.fk IN ({', '.join(['%s'] * len(keys))})"
            params.extend(keys)
        sql += " ORDER BY m.score DESC, m.eid LIMIT %s OFFSET %s"
        return self._run(sql, [*params, int(limit), int(offset)])

    def entry_ids_sql(self):
        return f"SELECT m.eid FROM ({self.sql}) m", self.params


def compile_match(
    groups,
    *,
    operator="and",
    title_only=False,
    facet_key_sql=None,
    facet_key_params=(),
    entry_sql=None,
    entry_params=(),
    exclude_sql=None,
    exclude_params=(),
):
    """Compile groups into a :class:`Match`, or ``None`` when nothing can match."""
    groups = simplify(groups) if operator == "and" else [g for g in groups if g.terms or g.prefix]
    if not groups:
        return None
    predicates = [group.predicate() for group in groups]
    where = ["(" + " OR ".join(sql for sql, _ in predicates) + ")"]
    params = [param for _, group_params in predicates for param in group_params]
    if title_only:
        where.append(f"p.weight >= {TITLE_MIN_WEIGHT}")
    if facet_key_sql:
        where.append(f"p.facet_key IN ({facet_key_sql})")
        params.extend(facet_key_params)
    if entry_sql:
        where.append(f"p.entry_id IN ({entry_sql})")
        params.extend(entry_params)
    if exclude_sql:
        where.append(f"p.entry_id NOT IN ({exclude_sql})")
        params.extend(exclude_params)
    where_sql = " AND ".join(where)

    if len(groups) == 1 and groups[0].is_single_term:
        sql = (
            f"SELECT p.entry_id AS eid, p.facet_key AS fk, p.weight AS score "
            f"FROM {POSTINGS} p WHERE {where_sql}"
        )
        return Match(sql, params)

    sql = (
        f"SELECT p.entry_id AS eid, p.facet_key AS fk, SUM(p.weight) AS score "
        f"FROM {POSTINGS} p WHERE {where_sql} GROUP BY p.entry_id, p.facet_key"
    )
    if operator == "and" and len(groups) > 1:
        if all(group.is_single_term for group in groups):
            # (term, entry) is unique: one posting per matched group.
            sql += f" HAVING COUNT(*) = {len(groups)}"
        else:
            cases = " ".join(
                f"WHEN {pred} THEN {number}" for number, (pred, _) in enumerate(predicates)
            )
            sql += f" HAVING COUNT(DISTINCT CASE {cases} END) = {len(groups)}"
            params.extend(param for _, group_params in predicates for param in group_params)
    return Match(sql, params)
