"""Reading memorial kinds as people write them: codes, Russian names, common synonyms.

Used by the CSV import and by the map's filters, so a file saying «Братская могила» and a
link saying ``?kind=mass_grave`` mean the same thing.
"""

from django.utils import translation

from .models import MemorialKind
from .text import fold

# Synonyms found in district lists and registries, folded (see text.fold).
_SYNONYMS = {
    "памятник": MemorialKind.MONUMENT,
    "скульптура": MemorialKind.MONUMENT,
    "обелиск": MemorialKind.OBELISK,
    "братская могила": MemorialKind.MASS_GRAVE,
    "братское захоронение": MemorialKind.MASS_GRAVE,
    "воинское захоронение": MemorialKind.MASS_GRAVE,
    "могила": MemorialKind.MASS_GRAVE,
    "стела": MemorialKind.STELE,
    "стелла": MemorialKind.STELE,
    "бюст": MemorialKind.BUST,
    "мемориальная доска": MemorialKind.PLAQUE,
    "памятная доска": MemorialKind.PLAQUE,
    "доска": MemorialKind.PLAQUE,
    "мемориальный комплекс": MemorialKind.COMPLEX,
    "мемориал": MemorialKind.COMPLEX,
    "комплекс": MemorialKind.COMPLEX,
    "другое": MemorialKind.OTHER,
    "прочее": MemorialKind.OTHER,
}


def _names():
    names = dict(_SYNONYMS)
    for code in MemorialKind.values:
        names[code] = MemorialKind(code)
        names[code.replace("_", " ")] = MemorialKind(code)
    # The labels in both languages, whatever language is active.
    for language in ("ru", "en"):
        with translation.override(language):
            for code, label in MemorialKind.choices:
                names.setdefault(fold(str(label)), MemorialKind(code))
    return names


_NAMES = None


def kind_from_text(value):
    """The ``MemorialKind`` a cell or a parameter names, or None."""
    global _NAMES
    if _NAMES is None:
        _NAMES = _names()
    key = fold(value).strip(" .")
    return _NAMES.get(key)
