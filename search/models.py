"""The search index: entries, their facet keys and the inverted index (postings).

The same three tables and the same SQL serve SQLite and PostgreSQL, so both databases find
exactly the same things (see ``search/analysis.py`` for the analysis and
``search/engine.py`` for the queries).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class FacetKey(models.Model):
    """One combination of the values the public search filters and counts by.

    Postings carry the id of their entry's combination, so the facet counts of a query are a
    ``GROUP BY`` over the postings alone — no join with the entries, however many match.
    There are few combinations (kinds × districts × libraries × projects × years), not one
    per entry. "No value" is stored as 0 or "" so that the unique constraint holds.
    """

    locale_id = models.IntegerField(default=0)
    live = models.BooleanField(default=True)
    kind = models.CharField(max_length=16)
    district = models.CharField(max_length=100, blank=True, default="")
    library_id = models.IntegerField(default=0)
    project_id = models.IntegerField(default=0)
    year = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("сочетание фасетов")
        verbose_name_plural = _("сочетания фасетов")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "locale_id",
                    "live",
                    "kind",
                    "district",
                    "library_id",
                    "project_id",
                    "year",
                ],
                name="search_facetkey_unique",
            )
        ]

    def __str__(self):
        return " / ".join(str(value) for value in self.as_tuple() if value not in ("", 0))

    def as_tuple(self):
        return (
            self.locale_id,
            self.live,
            self.kind,
            self.district,
            self.library_id,
            self.project_id,
            self.year,
        )


class SearchEntry(models.Model):
    """One indexed object: its text for snippets and the terms it was indexed under."""

    # The root model's content type (Page for every page type) and the object's pk: an
    # object has one entry, whichever of its classes it was indexed through.
    root_content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    facet_key = models.ForeignKey(FacetKey, on_delete=models.PROTECT, related_name="+")
    # "p" + page path or "c" + collection path: a view restriction on a page or a collection
    # hides every entry whose restriction_path starts with the restricted one's.
    restriction_path = models.CharField(max_length=300, blank=True, default="")
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The distinct terms of the entry's postings, space-separated: re-indexing deletes the
    # old postings by primary key.
    terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("запись поискового индекса")
        verbose_name_plural = _("записи поискового индекса")
        constraints = [
            models.UniqueConstraint(
                fields=["root_content_type", "object_id"], name="search_entry_unique_object"
            )
        ]
        indexes = [models.Index(fields=["restriction_path"], name="search_entry_restriction")]

    def __str__(self):
        return self.title


class Posting(models.Model):
    """One term of one entry: the inverted index.

    The primary key (term, entry) makes "which entries have this term" one index range on
    both databases; ``weight`` (title or body, term frequency) ranks, ``facet_key`` counts.
    The table is created by hand in the migration: WITHOUT ROWID on SQLite (the rows live in
    the primary key's B-tree), a covering primary key with binary collation on PostgreSQL.
    """

    pk = models.CompositePrimaryKey("term", "entry_id")
    term = models.CharField(max_length=64)
    entry_id = models.IntegerField()
    weight = models.SmallIntegerField()
    facet_key = models.IntegerField()

    class Meta:
        verbose_name = _("термин")
        verbose_name_plural = _("термины")

    def __str__(self):
        return f"{self.term} → {self.entry_id}"
