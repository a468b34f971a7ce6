"""Chronicle entries by day of the year: what the home page's «В этот день» reads.

Reading every published material's StreamField on every visit to the home page would
grow with the archive, so each published contribution's chronicle entries dated to an
exact day are copied into ``ChronicleDate`` rows (indexed by month, day and language).
They follow the page: rebuilt when it is published (the live content, not drafts),
dropped when it is unpublished, deleted with it (a cascade). A move changes neither the
dates nor the language, and the page's address and library are read through the
foreign key, so a move needs nothing. ``projects/migrations`` fills the table for pages
published before it existed.

The entries are read from the body's raw JSON, not from block values: no images or rich
text are loaded, and the same function serves the migration.
"""

import html
import re

from django.utils.html import strip_tags

HEADING_LENGTH = 200
TEXT_LENGTH = 300

_SPACES = re.compile(r"\s+")


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def plain_text(rich_text, limit=TEXT_LENGTH):
    """Rich text HTML as one line of plain text, cut at a word with «…»."""
    text = _SPACES.sub(" ", html.unescape(strip_tags(str(rich_text or "")))).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " ":  # the cut falls inside a word: drop the word
        cut = cut.rsplit(" ", 1)[0] or cut
    return cut.rstrip(" ,.;:—–-") + "…"


def _list_items(raw_list):
    """ListBlock items as ``(id, value)``: the current format has ``{"type": "item",
    "value": …, "id": …}``; older data is a list of plain values."""
    for item in raw_list or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item.get("id") or "", item["value"]
        else:
            yield "", item


def dated_entries(raw_body):
    """The chronicle entries of a body dated to an exact day, as dicts of ``block_id``,
    ``year``, ``month``, ``day``, ``heading`` and ``text``.

    ``raw_body`` is the StreamField's JSON (a list of ``{"type", "value", "id"}``).
    Entries with a month but no day, or a date that does not exist, are left out.
    """
    import calendar

    entries = []
    for block in raw_body or []:
        if not isinstance(block, dict) or block.get("type") != "chronicle":
            continue
        value = block.get("value") or {}
        for item_id, entry in _list_items(value.get("entries")):
            if not isinstance(entry, dict):
                continue
            year, month, day = (
                _int(entry.get("year")),
                _int(entry.get("month")),
                _int(entry.get("day")),
            )
            if not (year and month and day) or not 1 <= month <= 12:
                continue
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                continue
            entries.append(
                {
                    "block_id": str(item_id or block.get("id") or "")[:64],
                    "year": year,
                    "month": month,
                    "day": day,
                    "heading": plain_text(entry.get("heading"), HEADING_LENGTH),
                    "text": plain_text(entry.get("text")),
                }
            )
    return entries


def raw_body(page):
    """The raw JSON of a contribution's body, whatever state the value is in."""
    body = page.body
    raw = getattr(body, "raw_data", body)
    return list(raw or [])


def sync_chronicle_dates(page, model=None):
    """Make ``page``'s rows match its live content (none if it is not live)."""
    if model is None:
        from .models import ChronicleDate as model

    model.objects.filter(page_id=page.pk).delete()
    if not page.live:
        return
    model.objects.bulk_create(
        model(page_id=page.pk, locale_id=page.locale_id, **entry)
        for entry in dated_entries(raw_body(page))
    )
