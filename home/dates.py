"""Dates in words, in the page's language: «12 марта 1943 г.», "12 March 1943".

Dates are written from tables, not from the message catalogue: Russian needs the month in
two cases («март 1943 г.», «12 марта 1943 г.») and the year abbreviation, English neither,
and a catalogue entry per case and month would only invite translation slips. Shared by
the chronicle blocks, the Book of Memory and the home page's «В этот день».
"""

from django.utils.translation import get_language

_MONTHS = {
    "ru": {
        "nominative": (
            "январь", "февраль", "март", "апрель", "май", "июнь",
            "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
        ),
        "genitive": (
            "января", "февраля", "марта", "апреля", "мая", "июня",
            "июля", "августа", "сентября", "октября", "ноября", "декабря",
        ),
    },
    "en": {
        "nominative": (
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December",
        ),
    },
}  # fmt: skip
_MONTHS["en"]["genitive"] = _MONTHS["en"]["nominative"]
_DATE_FORMATS = {
    "ru": {
        "year": "{year} г.",
        "month": "{month} {year} г.",
        "day": "{day} {month} {year} г.",
        "day_month": "{day} {month}",
    },
    "en": {
        "year": "{year}",
        "month": "{month} {year}",
        "day": "{day} {month} {year}",
        "day_month": "{day} {month}",
    },
}


def date_language(code=None):
    """``ru`` or ``en``: the language dates are written in for ``code`` (default: the
    active language); any language but Russian gets English."""
    code = (code or get_language() or "ru").split("-")[0].lower()
    return code if code in _DATE_FORMATS else "en"


def format_partial_date(year, month=None, day=None, language=None):
    """«1943 г.», «март 1943 г.», «12 марта 1943 г.»; "1943", "March 1943", "12 March 1943"."""
    code = date_language(language)
    formats = _DATE_FORMATS[code]
    if not month:
        return formats["year"].format(year=year)
    if not day:
        return formats["month"].format(month=_MONTHS[code]["nominative"][month - 1], year=year)
    return formats["day"].format(day=day, month=_MONTHS[code]["genitive"][month - 1], year=year)


def format_date(date, language=None):
    """A ``datetime.date`` in words: «12 марта 1943 г.», "12 March 1943"."""
    return format_partial_date(date.year, date.month, date.day, language=language)


def format_day_month(month, day, language=None):
    """A day of the year: «12 марта», "12 March"."""
    code = date_language(language)
    return _DATE_FORMATS[code]["day_month"].format(
        day=day, month=_MONTHS[code]["genitive"][month - 1]
    )


def iso_partial_date(year, month=None, day=None):
    """The ``datetime`` of ``<time>``: ``1943``, ``1943-03`` or ``1943-03-12``."""
    if not month:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
