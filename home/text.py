"""Russian text helpers shared by every app: transliterated slugs and plural forms."""

import re

from django.utils.text import slugify

# Transliteration for URLs: the same table as the Wagtail admin's slug field uses for
# Russian (GOST 7.79 system B), so a title gets one slug whether typed or imported.
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "c",
    "ч": "ch", "ш": "sh", "щ": "shh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ў": "w",
}  # fmt: skip


def transliterate(text):
    """Latin letters for Cyrillic ones, keeping everything else as it is."""
    out = []
    for char in text:
        lower = char.lower()
        latin = _TRANSLIT.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def slugify_ru(text, max_length=80):
    """An ASCII slug for a (Russian) title: «Наши памятники – наши герои» → nashi-pamyatniki-nashi-geroi."""
    slug = slugify(transliterate(text or ""))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


def plural_ru(number, one, few, many):
    """The Russian plural form for a number: 1 библиотека, 2 библиотеки, 5 библиотек.

    Used where gettext's catalogues are not involved (figures composed into sentences);
    11–14 take the «many» form.
    """
    n = abs(int(number))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


_SPACES = re.compile(r"\s+")


def squash_spaces(text):
    return _SPACES.sub(" ", text or "").strip()
