"""«В этот день» on the home page: what the archive remembers about today's date.

Each app registers a *day source* — ``source(home_page, request, month, day, limit)``
returning :class:`DayEvent` objects of live, public pages in the home page's language —
and this module makes one home page section of them (``home.sections``): chronicle
entries of the libraries' materials (``projects``), heroes born or fallen on this day
(``memorials``). Each source answers with a fixed number of indexed queries, so the home
page costs the same whatever the size of the archive.

"Today" is ``timezone.localdate()`` (the site's time zone, Europe/Moscow); tests pass a
date to :func:`events_on` or patch :func:`today`.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .dates import format_day_month, format_partial_date, iso_partial_date
from .sections import Section, register_section

#: How many events the section shows at most.
EVENTS_SHOWN = 6

_sources = []


@dataclass
class DayEvent:
    """One thing that happened on this day in some year, and the page that tells it."""

    kind: str  # "chronicle", "birth" or "death": a CSS modifier
    year: int
    month: int
    day: int
    url: str
    link_text: str  # the page's title or the hero's name
    lead: str = ""  # the entry's heading, or «Погиб» / «Родился»
    text: str = ""  # the entry's text, shortened
    source: str = ""  # the library of a material, the rank of a hero
    sort_key: tuple = ()
    years_ago: str = ""  # «83 года назад», set for the day shown

    @property
    def date_display(self):
        return format_partial_date(self.year, self.month, self.day)

    @property
    def iso_date(self):
        return iso_partial_date(self.year, self.month, self.day)


def register_day_source(func):
    """Decorator: add a source of «В этот день» events."""
    _sources.append(func)
    return func


def today():
    return timezone.localdate()


def years_ago(year, on):
    """«83 года назад», «в этом году»."""
    years = on.year - year
    if years <= 0:
        return _("в этом году")
    return ngettext("%(count)s год назад", "%(count)s лет назад", years) % {"count": years}


def events_on(home_page, date, request=None, limit=EVENTS_SHOWN):
    """Up to ``limit`` events of ``date``'s day and month, oldest first.

    The sources take turns, so a day with many heroes still shows its chronicle entries.
    """
    queues = [list(source(home_page, request, date.month, date.day, limit)) for source in _sources]
    chosen = []
    while len(chosen) < limit and any(queues):
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop(0))
    return sorted(chosen, key=lambda event: (event.year, event.sort_key))


@register_section
def on_this_day(home_page, request):
    date = today()
    events = events_on(home_page, date, request)
    if not events:
        return None  # a quiet day: no empty heading
    for event in events:
        event.years_ago = years_ago(event.year, date)
    return Section(
        "components/home/on_this_day.html",
        {
            "events": events,
            "day_display": format_day_month(date.month, date.day),
            "iso_day": f"--{date.month:02d}-{date.day:02d}",
        },
        order=25,
    )
