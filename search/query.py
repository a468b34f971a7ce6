"""Turning what a visitor typed into a query the search backends accept."""

import unicodedata

MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """Return ``(query, was_cut)``: letters, digits and single spaces, at most 200 characters.

    Quotes, brackets, FTS operators, control characters and NUL bytes make the database
    backends raise errors; none of them carries meaning for this archive's search.
    """
    raw = raw or ""
    was_cut = len(raw) > MAX_QUERY_LENGTH
    raw = raw[:MAX_QUERY_LENGTH]
    chars = []
    for char in raw:
        category = unicodedata.category(char)
        if category[0] in {"L", "N"}:
            chars.append(char)
        else:
            chars.append(" ")
    return " ".join("".join(chars).split()), was_cut
