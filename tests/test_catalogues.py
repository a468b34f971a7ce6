"""The ru and en message catalogues are complete: no UI string stays untranslated."""

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
