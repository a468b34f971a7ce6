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
#: The facet keys' columns the public search counts by.
FACET_COLUMNS = ("kind", "district", "library_id", "project_id", "year")


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

    def top(self, limit, offset=0, facet_key_sql=None, facet_key_params=()):
        """``[(entry_id, score)]`` best first; optionally only entries whose facet key is
        selected by ``facet_key_sql``."""
        sql, params = f"SELECT m.eid, m.score FROM ({self.sql}) m", list(self.params)
        if facet_key_sql:
            sql += f" WHERE m.fk IN ({facet_key_sql})"
            params.extend(facet_key_params)
        sql += " ORDER BY m.score DESC, m.eid LIMIT %s OFFSET %s"
        return self._run(sql, [*params, int(limit), int(offset)])

    def facets_and_top(self, limit, offset=0, filters=()):
        """One statement for the total, the facet counts and a page of hits.

        ``filters`` are ``(column, value)`` pairs on the facet keys (kind, district,
        library_id, project_id, year). Returns ``(total, facets, ranked)``: the number of
        matching entries that pass the filters; ``{column: {value: count}}`` where each
        column's counts pass every filter but its own; ``[(entry_id, score)]`` best first
        among the entries that pass the filters.
        """
        filters = list(filters)

        def where(skip=None):
            kept = [(column, value) for column, value in filters if column != skip]
            if not kept:
                return "", []
            return " WHERE " + " AND ".join(f"c.{column} = %s" for column, _ in kept), [
                value for _, value in kept
            ]

        parts, params = [], list(self.params)
        total_where, total_params = where()
        parts.append(f"SELECT 'total', NULL, SUM(c.n) FROM c{total_where}")
        params += total_params
        for column in FACET_COLUMNS:
            column_where, column_params = where(column)
            parts.append(
                f"SELECT '{column}', CAST(c.{column} AS VARCHAR(100)), SUM(c.n) FROM c{column_where}"
                f" GROUP BY c.{column}"
            )
            params += column_params
        top_where, top_params = where()
        parts.append(
            "SELECT 'top', CAST(t.eid AS VARCHAR(100)), t.score FROM ("
            f"SELECT m.eid, m.score FROM m JOIN {FACET_KEYS} c ON c.id = m.fk{top_where}"
            " ORDER BY m.score DESC, m.eid LIMIT %s OFFSET %s) t"
        )
        params += [*top_params, int(limit), int(offset)]
        sql = (
            f"WITH m AS MATERIALIZED ({self.sql}), "
            f"c AS MATERIALIZED (SELECT k.kind, k.district, k.library_id, k.project_id, k.year, g.n "
            f"FROM (SELECT m.fk, COUNT(*) AS n FROM m GROUP BY m.fk) g JOIN {FACET_KEYS} k ON k.id = g.fk) "
            + " UNION ALL ".join(parts)
        )
        total, facets, ranked = 0, {column: {} for column in FACET_COLUMNS}, []
        for part, value, number in self._run(sql, params):
            if part == "total":
                total = int(number or 0)
            elif part == "top":
                ranked.append((int(value), number))
            elif number:
                facets[part][value] = int(number)
        ranked.sort(key=lambda item: (-item[1], item[0]))
        return total, facets, ranked

    def entry_ids_sql(self):
        return f"SELECT m.eid FROM ({self.sql}) m", self.params


def _vendor():
    return connections[router.db_for_read(SearchEntry)].vendor


def capped_term_counts(terms, cap=10_000):
    """``{term: entries}`` counted up to ``cap`` each — enough to tell a rare word from a
    common one, without reading 50,000 postings of the common one."""
    counts = {}
    terms = sorted(terms)
    part = f"SELECT %s, COUNT(*) FROM (SELECT 1 FROM {POSTINGS} WHERE term = %s LIMIT {int(cap)}) x"
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        for start in range(0, len(terms), 100):
            chunk = terms[start : start + 100]
            cursor.execute(
                " UNION ALL ".join([part] * len(chunk)),
                [value for term in chunk for value in (term, term)],
            )
            counts.update(cursor.fetchall())
    return counts


def _term_counts(groups):
    return capped_term_counts(set().union(*(group.terms for group in groups)))


@dataclass(frozen=True)
class Restrictions:
    """Conditions on the driving posting ``p`` (its facet key and entry are the entry's)."""

    title_only: bool = False
    facet_key_sql: str | None = None
    facet_key_params: tuple = ()
    entry_sql: str | None = None
    entry_params: tuple = ()
    exclude_sql: str | None = None
    exclude_params: tuple = ()

    def sql(self):
        where, params = [], []
        if self.title_only:
            where.append(f"p.weight >= {TITLE_MIN_WEIGHT}")
        for template, sql, sql_params in (
            ("p.facet_key IN ({})", self.facet_key_sql, self.facet_key_params),
            ("p.entry_id IN ({})", self.entry_sql, self.entry_params),
            ("p.entry_id NOT IN ({})", self.exclude_sql, self.exclude_params),
        ):
            if sql:
                where.append(template.format(sql))
                params.extend(sql_params)
        return where, params


def _terms_sql(column, terms):
    terms = sorted(terms)
    if len(terms) == 1:
        return f"{column} = %s", terms
    return f"{column} IN ({', '.join(['%s'] * len(terms))})", terms


def compile_match(groups, *, operator="and", **restrictions):
    """Compile groups into a :class:`Match`, or ``None`` when nothing can match.

    ``restrictions`` are the fields of :class:`Restrictions` (title only, facet keys,
    entries to search within, entries to leave out), each an SQL subquery with its params.
    """
    groups = simplify(groups) if operator == "and" else [g for g in groups if g.terms or g.prefix]
    if not groups:
        return None
    restrictions = Restrictions(**restrictions)
    if operator == "and" and not any(group.prefix for group in groups):
        return _compile_and(groups, restrictions)
    return _compile_grouped(groups, operator, restrictions)


def _compile_and(groups, restrictions):
    """Every group must match: read the postings of the rarest group, and look the others up
    by primary key (term, entry) for each of its entries — index seeks, no sort, no GROUP BY.
    """
    if len(groups) == 1:
        driving = groups[0]
    else:
        counts = _term_counts(groups)
        sizes = [sum(counts.get(term, 0) for term in group.terms) for group in groups]
        if not all(sizes):
            return None  # a word found nowhere: nothing can match
        driving = groups[sizes.index(min(sizes))]
    others = [group for group in groups if group is not driving]
    title_only = restrictions.title_only
    title = f" AND d.weight >= {TITLE_MIN_WEIGHT}" if title_only else ""

    # Every other group is looked up by primary key (term, entry): one JOIN for a one-term
    # group (PostgreSQL can merge-join the two ranges, both ordered by entry), one LEFT JOIN
    # per alternative of a group of alternatives, at least one of which must be there. The
    # key is unique, so no join multiplies rows.
    greatest = "MAX" if _vendor() == "sqlite" else "GREATEST"
    joins, join_params, score_parts, where = [], [], ["p.weight"], []
    for number, group in enumerate(others):
        aliases = []
        for alternative, term in enumerate(sorted(group.terms)):
            alias = f"j{number}_{alternative}"
            kind = "JOIN" if len(group.terms) == 1 else "LEFT JOIN"
            joins.append(
                f"{kind} {POSTINGS} {alias} ON {alias}.entry_id = p.entry_id AND {alias}.term = %s"
                + (f" AND {alias}.weight >= {TITLE_MIN_WEIGHT}" if title_only else "")
            )
            join_params.append(term)
            aliases.append(alias)
        if len(aliases) == 1:
            score_parts.append(f"{aliases[0]}.weight")
        else:
            where.append(
                "(" + " OR ".join(f"{alias}.entry_id IS NOT NULL" for alias in aliases) + ")"
            )
            weights = ", ".join(f"COALESCE({alias}.weight, 0)" for alias in aliases)
            score_parts.append(f"{greatest}({weights})")

    condition, driving_terms = _terms_sql("p.term", driving.terms)
    where.insert(0, condition)
    params = list(driving_terms)
    if len(driving_terms) > 1:
        # An entry with two of the driving group's terms appears once: with its first term.
        where.append(
            f"NOT EXISTS (SELECT 1 FROM {POSTINGS} d WHERE d.entry_id = p.entry_id "
            f"AND d.term IN ({', '.join(['%s'] * len(driving_terms))}) AND d.term < p.term{title})"
        )
        params.extend(driving_terms)
    extra_where, extra_params = restrictions.sql()
    where += extra_where
    params += extra_params

    sql = (
        f"SELECT p.entry_id AS eid, p.facet_key AS fk, {' + '.join(score_parts)} AS score "
        f"FROM {POSTINGS} p {' '.join(joins)} WHERE {' AND '.join(where)}"
    )
    return Match(sql, join_params + params)


def _compile_grouped(groups, operator, restrictions):
    """Any group may match ("or"), or a group is a prefix (autocomplete): aggregate postings."""
    predicates = [group.predicate() for group in groups]
    where = ["(" + " OR ".join(sql for sql, _ in predicates) + ")"]
    params = [param for _, group_params in predicates for param in group_params]
    extra_where, extra_params = restrictions.sql()
    where += extra_where
    params += extra_params
    where_sql = " AND ".join(where)
    sql = (
        f"SELECT p.entry_id AS eid, p.facet_key AS fk, SUM(p.weight) AS score "
        f"FROM {POSTINGS} p WHERE {where_sql} GROUP BY p.entry_id, p.facet_key"
    )
    if operator == "and" and len(groups) > 1:
        cases = " ".join(
            f"WHEN {pred} THEN {number}" for number, (pred, _) in enumerate(predicates)
        )
        sql += f" HAVING COUNT(DISTINCT CASE {cases} END) = {len(groups)}"
        params.extend(param for _, group_params in predicates for param in group_params)
    return Match(sql, params)
