"""Writing objects into the search index (``search/models.py``).

An object's entry keeps its title and text (for snippets), the values the public search
filters and counts by (a :class:`~search.models.FacetKey`), and its terms in the posting
table with a weight: a term of the title weighs 100 and more (the shorter the title, the
more), a term of the text 10 and more (the more often it occurs, the more).

Models tell the index about themselves with two optional hooks:

- ``search_kind`` (class attribute): "hero", "memorial", "material", "project", "library"…
- ``search_facets()`` (method): a dict with any of ``district``, ``library_id``,
  ``project_id``, ``year``.
"""

import time
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import Manager
from django.utils import timezone
from django.utils.encoding import force_str

from modelsearch.backends.base import get_model_root
from modelsearch.index import AutocompleteField, RelatedFields, SearchField, get_indexed_models
from wagtail.models import Page

from .analysis import MAX_TERM_LENGTH, document_terms
from .models import FacetKey, Posting, SearchEntry

TITLE_WEIGHT = 100
BODY_WEIGHT = 10
BATCH_SIZE = 500


def kind_of(obj):
    kind = getattr(obj, "search_kind", None)
    if kind:
        return kind
    if isinstance(obj, Page):
        return "root" if obj.depth == 1 else "page"
    return obj._meta.model_name[:16]


def facets_of(obj):
    facets = obj.search_facets() if hasattr(obj, "search_facets") else {}
    return {
        "district": (facets.get("district") or "")[:100],
        "library_id": facets.get("library_id") or 0,
        "project_id": facets.get("project_id") or 0,
        "year": facets.get("year") or 0,
    }


def restriction_path_of(obj):
    if isinstance(obj, Page):
        return "p" + obj.path
    collection = getattr(obj, "collection", None)
    if collection is not None:
        return "c" + collection.path
    return ""


def _prepare(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "\n".join(_prepare(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(_prepare(item) for item in value.values())
    return force_str(value)


def _field_values(obj, field):
    """Yield ``(field, text)`` for a search field, following RelatedFields."""
    if isinstance(field, SearchField | AutocompleteField):
        yield field, _prepare(field.get_value(obj))
    elif isinstance(field, RelatedFields):
        related = field.get_value(obj)
        if related is None:
            return
        if isinstance(related, Manager):
            related = related.all()
        elif callable(related):
            related = [related()]
        else:
            related = [related]
        for item in related:
            for sub_field in field.fields:
                yield from _field_values(item, sub_field)


def text_of(obj):
    """Return ``(title, body)``: the text of the object's SearchFields."""
    title, body = [], []
    for field in obj.get_search_fields():
        for current, text in _field_values(obj, field):
            if not isinstance(current, SearchField) or not text.strip():
                continue
            (title if current.field_name == "title" else body).append(text)
    return " ".join(title), "\n".join(body)


def postings_of(title, body):
    """Return ``{term: weight}`` for a document."""
    title_terms, body_counts, title_length = document_terms(title, body)
    weights = {}
    for term, count in body_counts.items():
        weights[term[:MAX_TERM_LENGTH]] = BODY_WEIGHT + min(count, 10)
    title_weight = TITLE_WEIGHT + max(0, 30 - title_length)
    for term in title_terms:
        weights[term[:MAX_TERM_LENGTH]] = title_weight
    return weights


class FacetKeys:
    """Resolves facet combinations to FacetKey ids, creating missing ones (few queries)."""

    FIELDS = ("locale_id", "live", "kind", "district", "library_id", "project_id", "year")

    def __init__(self, using):
        self.using = using
        self.cache = {}

    def _load(self, combos):
        kinds = {combo[2] for combo in combos}
        keys = FacetKey.objects.using(self.using).filter(kind__in=kinds)
        for row in keys.values_list("id", *self.FIELDS):
            self.cache[tuple(row[1:])] = row[0]

    def resolve(self, combos):
        missing = {combo for combo in combos if combo not in self.cache}
        if missing:
            self._load(missing)
            missing = {combo for combo in missing if combo not in self.cache}
        if missing:
            FacetKey.objects.using(self.using).bulk_create(
                [FacetKey(**dict(zip(self.FIELDS, combo, strict=True))) for combo in missing],
                ignore_conflicts=True,  # another process may have created one meanwhile
            )
            self._load(missing)
        return self.cache


def _document(obj):
    title, body = text_of(obj)
    combo = (
        getattr(obj, "locale_id", None) or 0,
        bool(getattr(obj, "live", True)),
        kind_of(obj),
        *facets_of(obj).values(),
    )
    return {
        "object_id": obj.pk,
        "content_type_id": ContentType.objects.get_for_model(obj).pk,
        "combo": combo,
        "restriction_path": restriction_path_of(obj)[:300],
        "title": title,
        "body": body,
        "weights": postings_of(title, body),
    }


def _delete_postings(cursor, entries):
    """Delete the postings of entries (``(id, terms)`` pairs) by primary key."""
    table = Posting._meta.db_table
    for entry_id, terms in entries:
        term_list = terms.split()
        for start in range(0, len(term_list), 500):
            chunk = term_list[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {table} WHERE entry_id = %s AND term IN ({placeholders})",
                [entry_id, *chunk],
            )


def _insert_postings(cursor, rows):
    table = Posting._meta.db_table
    for start in range(0, len(rows), 5000):
        cursor.executemany(
            f"INSERT INTO {table} (term, entry_id, weight, facet_key) VALUES (%s, %s, %s, %s)",
            rows[start : start + 5000],
        )


def index_objects(model, objs):
    """Add or update objects of one model in the index (one transaction)."""
    objs = [obj for obj in objs if obj.pk is not None]
    if not objs:
        return
    using = router.db_for_write(SearchEntry)
    root_ct = ContentType.objects.get_for_model(get_model_root(model)).pk
    documents = [_document(obj) for obj in objs]
    now = timezone.now()
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        keys = FacetKeys(using).resolve({doc["combo"] for doc in documents})
        existing = {
            entry.object_id: entry
            for entry in SearchEntry.objects.using(using)
            .filter(
                root_content_type_id=root_ct, object_id__in=[doc["object_id"] for doc in documents]
            )
            .only("id", "object_id", "terms")
        }
        # Old postings and entries go; the entries are written again (new ids): cheaper than
        # updating them one by one, and nothing else refers to an entry's id.
        _delete_postings(cursor, [(entry.pk, entry.terms) for entry in existing.values()])
        SearchEntry.objects.using(using).filter(
            id__in=[entry.pk for entry in existing.values()]
        ).delete()
        entries = []
        for doc in documents:
            doc["entry"] = SearchEntry(
                root_content_type_id=root_ct,
                object_id=doc["object_id"],
                content_type_id=doc["content_type_id"],
                facet_key_id=keys[doc["combo"]],
                restriction_path=doc["restriction_path"],
                title=doc["title"],
                body=doc["body"],
                terms=" ".join(sorted(doc["weights"])),
                indexed_at=now,
            )
            entries.append(doc["entry"])
        SearchEntry.objects.using(using).bulk_create(entries, batch_size=BATCH_SIZE)
        rows = [
            (term, doc["entry"].pk, weight, keys[doc["combo"]])
            for doc in documents
            for term, weight in doc["weights"].items()
        ]
        _insert_postings(cursor, rows)


def delete_object(obj):
    using = router.db_for_write(SearchEntry)
    root_ct = ContentType.objects.get_for_model(get_model_root(type(obj))).pk
    entries = list(
        SearchEntry.objects.using(using)
        .filter(root_content_type_id=root_ct, object_id=obj.pk)
        .values_list("id", "terms")
    )
    if not entries:
        return
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        _delete_postings(cursor, entries)
        SearchEntry.objects.using(using).filter(
            id__in=[entry_id for entry_id, _ in entries]
        ).delete()


def delete_entries(queryset):
    """Delete entries and their postings (used for stale entries after a rebuild)."""
    entries = list(queryset.values_list("id", "terms"))
    using = queryset.db
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        _delete_postings(cursor, entries)
        SearchEntry.objects.using(using).filter(
            id__in=[entry_id for entry_id, _ in entries]
        ).delete()
    return len(entries)


def indexed_models():
    """Every indexed model; each one's ``get_indexed_objects()`` holds its own objects only
    (``Page.get_indexed_objects()`` excludes the page types that inherit from it)."""
    return [model for model in get_indexed_models() if not model._meta.proxy]


def rebuild_index(progress=None, batch_size=BATCH_SIZE):
    """Index every indexed object again and drop entries of objects that no longer exist.

    ``progress(model, done, total)`` is called after each batch. Returns
    ``(indexed, removed, seconds)``.
    """
    started = time.monotonic()
    start_time = timezone.now()
    indexed = 0
    for model in indexed_models():
        objects = model.get_indexed_objects().order_by("pk")
        total = objects.count()
        done, last_pk = 0, None
        while True:
            # Keyset pages: each batch starts where the last ended (no OFFSET rescans).
            page = objects if last_pk is None else objects.filter(pk__gt=last_pk)
            batch = list(page[:batch_size])
            if not batch:
                break
            index_objects(model, batch)
            done += len(batch)
            last_pk = batch[-1].pk
            if progress:
                progress(model, done, total)
        indexed += done
    removed = delete_entries(SearchEntry.objects.filter(indexed_at__lt=start_time))
    analyze()
    return indexed, removed, time.monotonic() - started


def analyze():
    """Refresh PostgreSQL's statistics of the index tables after a bulk (re)build: with
    none, the planner takes the facet keys for one row and picks nested loops."""
    using = router.db_for_write(SearchEntry)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Posting, SearchEntry, FacetKey):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def term_counts(terms):
    """``{term: number of entries, counted up to 10,000}`` for those of the terms that exist.

    Used by typo correction with hundreds of candidates: which exist is one index probe
    each (DISTINCT); only those few are counted.
    """
    from .matching import capped_term_counts

    terms = sorted(terms)
    table = Posting._meta.db_table
    existing = []
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        for start in range(0, len(terms), 900):
            chunk = terms[start : start + 900]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT DISTINCT term FROM {table} WHERE term IN ({placeholders})", chunk
            )
            existing += [row[0] for row in cursor.fetchall()]
    return Counter(capped_term_counts(existing))
