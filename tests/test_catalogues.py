"""The ru and en message catalogues are complete: no UI string stays untranslated."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def entries(code):
    return [
        e for e in polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po")) if not e.obsolete
    ]


def test_english_catalogue_translates_every_string():
    untranslated = [
        e.msgid
        for e in entries("en")
        if (e.msgid_plural and not all(e.msgstr_plural.values()))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert untranslated == []


@pytest.mark.parametrize("code", ["ru", "en"])
def test_no_fuzzy_entries(code):
    assert [e.msgid for e in entries(code) if "fuzzy" in e.flags] == []


def test_russian_plurals_have_three_forms():
    catalogue = polib.pofile(str(LOCALE / "ru" / "LC_MESSAGES" / "django.po"))
    assert "nplurals=3" in catalogue.metadata["Plural-Forms"]
    for entry in catalogue:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 3 and all(entry.msgstr_plural.values()), entry.msgid


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|\{(\w*)\}")


def placeholders(text):
    return sorted(name for pair in PLACEHOLDER.findall(text) for name in pair if name)


@pytest.mark.parametrize("code", ["ru", "en"])
def test_translations_keep_the_placeholders(code):
    """A translation that names another placeholder fails at run time (KeyError in the
    middle of a page), so each one must use exactly those of its original."""
    wrong = []
    for entry in entries(code):
        expected = placeholders(entry.msgid)
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = placeholders(text)
            # A singular form may drop the count ("one object" for %(counter)s).
            if (
                text
                and found != expected
                and not (entry.msgid_plural and set(found) < set(expected))
            ):
                wrong.append((entry.msgid, text))
    assert wrong == []
