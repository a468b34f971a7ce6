"""A person of the Book of Memory, and the memorials that bear the name.

Heroes are shared records: one person may be named on a mass grave in the village where
he fell and on the obelisk of the village where he was born, described by two libraries.
So a hero page lives under the Book of Memory (``HeroIndexPage``), not under a library:
its address is short (/kniga-pamyati/ivanov-ivan-ivanovich/), and Wagtail's native "add"
permission on the Book of Memory lets a partner library's editors add hero pages and edit
the ones they own, while the regional library's editors edit all. The library that wrote
the story is named on the page (``library``).

The hero ↔ memorial link is an ``Orderable`` through-model on the hero page
(``HeroMemorial``) rather than a ``ParentalManyToManyField``: the admin edits it as an
inline list of page choosers, and wagtail-localize synchronises such child relations to
the translations (it skips many-to-many fields).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from modelcluster.fields import ParentalKey

from home.dates import format_date
from home.models import RICH_TEXT_FEATURES
from home.pages import LetopisPageMixin, in_visitor_language
from home.text import slugify_ru
from network.forms import LibraryAdminPageForm

from ..blocks import SourcesBlock
from ..locales import localized_pages
from ..text import fold, full_name, initial_of, richtext_to_text
from .reference import ReferencedRecord

HERO_MIN_YEAR = 1850


class Fate(models.TextChoices):
    KILLED = "killed", _("погиб")
    DIED_OF_WOUNDS = "died_of_wounds", _("умер от ран")
    MISSING = "missing", _("пропал без вести")
    SURVIVED = "survived", _("вернулся с войны")


#: What happened to a hero on the day of his death, as a label (the hero's page) — in the
#: masculine and the feminine (a patronymic in «-вна»/«-чна» is a woman's).
DEATH_LABELS = {
    Fate.KILLED: (_("Погиб"), _("Погибла")),
    Fate.DIED_OF_WOUNDS: (_("Умер от ран"), _("Умерла от ран")),
    Fate.MISSING: (_("Пропал без вести"), _("Пропала без вести")),
    Fate.SURVIVED: (_("Умер"), _("Умерла")),
    "": (_("Погиб или умер"), _("Погибла или умерла")),
}
BIRTH_LABELS = (_("Родился"), _("Родилась"))


class HeroQuerySet(PageQuerySet):
    def published(self):
        return self.live().public()

    def on_day(self, month, day):
        """Heroes born or fallen on a day of the year (any year): the indexed helper
        columns, not the dates, so SQLite and PostgreSQL use an index alike."""
        return self.filter(
            models.Q(birth_month=month, birth_day=day) | models.Q(death_month=month, death_day=day)
        )


HeroManager = PageManager.from_queryset(HeroQuerySet)


class HeroForm(LibraryAdminPageForm):
    """The title is the full name and the slug its transliteration: both may be left empty.

    Partner libraries' editors type a surname, a name and a patronymic; the page gets the
    title «Иванов Иван Иванович» and the address /kniga-pamyati/ivanov-ivan-ivanovich/
    (with «-2» for a namesake).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _(
                "Фамилия, имя и отчество. Оставьте пустым — заполнится из полей ниже."
            )
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self):
        data = self.cleaned_data
        if not data.get("title") and "title" not in self.errors:
            name = full_name(
                data.get("last_name", ""), data.get("first_name", ""), data.get("patronymic", "")
            )
            if name:
                data["title"] = name
            else:
                self.add_error("title", _("Укажите фамилию героя."))
        if not data.get("slug") and data.get("title") and "slug" not in self.errors:
            data["slug"] = self._free_slug(slugify_ru(data["title"]))
        return super().clean()

    def is_valid(self):
        # The links' formset is validated after the form's clean(): check it here.
        valid = super().is_valid()
        formset = self.formsets.get("memorial_links")
        if valid and formset is not None:
            chosen = [
                form.cleaned_data["memorial"].pk
                for form in formset.forms
                if form.cleaned_data.get("memorial") and not form.cleaned_data.get("DELETE")
            ]
            if len(set(chosen)) != len(chosen):
                self.add_error(None, _("Один и тот же памятник указан дважды."))
                valid = False
        return valid

    def _free_slug(self, base):
        if not base or self.parent_page is None:
            return base
        slug, suffix = base, 1
        while not Page._slug_is_available(slug, self.parent_page, self.instance):
            suffix += 1
            slug = f"{base}-{suffix}"
        return slug


class HeroPage(LetopisPageMixin, ReferencedRecord, Page):
    """A person commemorated: name, years, rank, unit, fate, awards and story."""

    REF_PREFIX = "h"

    last_name = models.CharField(_("фамилия"), max_length=80)
    first_name = models.CharField(_("имя"), max_length=80, blank=True)
    patronymic = models.CharField(_("отчество"), max_length=80, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("год рождения"), null=True, blank=True)
    birth_place = models.CharField(
        _("место рождения"),
        max_length=255,
        blank=True,
        help_text=_("Как в документах: «д. Попелёво Козельского района»."),
    )
    birth_date = models.DateField(
        _("дата рождения"),
        null=True,
        blank=True,
        help_text=_("Если известна точно. Год рождения заполнится по ней."),
    )
    death_year = models.PositiveSmallIntegerField(_("год гибели или смерти"), null=True, blank=True)
    death_date = models.DateField(
        _("дата гибели или смерти"),
        null=True,
        blank=True,
        help_text=_(
            "Если известна точно (для пропавших без вести — дата, с которой считается "
            "пропавшим). Год заполнится по ней."
        ),
    )
    death_place = models.CharField(_("место гибели или смерти"), max_length=255, blank=True)
    rank = models.CharField(
        _("воинское звание"), max_length=80, blank=True, help_text=_("«рядовой», «гвардии сержант»")
    )
    unit = models.CharField(
        _("воинская часть"),
        max_length=255,
        blank=True,
        help_text=_("«1134-й стрелковый полк 330-й стрелковой дивизии»"),
    )
    fate = models.CharField(_("судьба"), max_length=16, choices=Fate.choices, blank=True)
    awards = models.TextField(_("награды"), blank=True, help_text=_("По одной награде в строке."))
    biography = RichTextField(_("биография"), features=RICH_TEXT_FEATURES, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("фотография"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sources = StreamField(SourcesBlock(), verbose_name=_("источники"), blank=True)
    library = models.ForeignKey(
        "network.LibraryPage",
        verbose_name=_("библиотека"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hero_stories",
        help_text=_("Библиотека, которая подготовила рассказ о герое."),
    )
    # Derived from the name on save: how the index filters and sorts (see text.fold).
    name_key = models.CharField(max_length=255, editable=False, db_index=True, default="")
    initial = models.CharField(max_length=1, editable=False, db_index=True, default="")
    # Derived from the exact dates on save: the home page's «В этот день» looks heroes up
    # by day and month through plain indexes. (An index on EXTRACT(month …) would be an
    # index on one of Django's own SQL functions on SQLite, which no other tool can read.)
    birth_month = models.PositiveSmallIntegerField(null=True, editable=False)
    birth_day = models.PositiveSmallIntegerField(null=True, editable=False)
    death_month = models.PositiveSmallIntegerField(null=True, editable=False)
    death_day = models.PositiveSmallIntegerField(null=True, editable=False)

    objects = HeroManager()
    base_form_class = HeroForm

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel(["last_name", "first_name", "patronymic"])],
            heading=_("Имя"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(["birth_year", "birth_date", "birth_place"]),
                FieldRowPanel(["death_year", "death_date", "death_place"]),
                FieldRowPanel(["rank", "fate"]),
                "unit",
                "awards",
            ],
            heading=_("Сведения"),
        ),
        "photo",
        "biography",
        InlinePanel(
            "memorial_links",
            heading=_("Памятники, на которых увековечено имя"),
            label=_("памятник"),
        ),
        "sources",
        MultiFieldPanel([FieldPanel("library"), "ref"], heading=_("Учёт")),
    ]
    search_kind = "hero"

    def search_facets(self):
        """Facets of the public search: the district of the first memorial bearing the name
        (else the contributing library's), the library."""
        links = sorted(
            (link for link in self.memorial_links.all() if link.memorial is not None),
            key=lambda link: link.sort_order or 0,
        )
        district = links[0].memorial.district if links else ""
        if not district and self.library_id:
            district = self.library.district
        return {"district": district, "library_id": self.library_id}

    @classmethod
    def get_indexed_objects(cls):
        # The search facets read the library and the memorials: load them with the heroes.
        return (
            super()
            .get_indexed_objects()
            .select_related("library")
            .prefetch_related("memorial_links__memorial")
        )

    search_fields = [
        *Page.search_fields,
        index.SearchField("last_name"),
        index.SearchField("first_name"),
        index.SearchField("patronymic"),
        index.AutocompleteField("last_name"),
        index.SearchField("rank"),
        index.SearchField("unit"),
        index.SearchField("birth_place"),
        index.SearchField("death_place"),
        index.SearchField("biography"),
        index.FilterField("fate"),
        index.FilterField("initial"),
        index.FilterField("library"),
        index.FilterField("ref"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "last_name",
            "first_name",
            "patronymic",
            "birth_year",
            "birth_date",
            "birth_place",
            "death_year",
            "death_date",
            "death_place",
            "rank",
            "unit",
            "fate",
            "awards",
            "biography",
            "photo",
            "memorial_links",
            "sources",
            "library",
            "ref",
        )
    ]
    override_translatable_fields = [SynchronizedField("ref")]

    template = "pages/hero_page.html"
    parent_page_types = ["memorials.HeroIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("герой Книги памяти")
        verbose_name_plural = _("герои Книги памяти")
        indexes = [
            models.Index(fields=["birth_month", "birth_day"], name="hero_birth_day"),
            models.Index(fields=["death_month", "death_day"], name="hero_death_day"),
        ]

    @property
    def full_name(self):
        return full_name(self.last_name, self.first_name, self.patronymic)

    @cached_property
    def shown_library(self):
        """The library that prepared the story, in the visitor's language."""
        return in_visitor_language(self.library, self.locale)

    @property
    def years(self):
        """«1912–1943», «1912–?», «?–1943», «1912 г. р.» or ""."""
        if self.birth_year is None and self.death_year is None:
            return ""
        if self.fate == Fate.SURVIVED and self.death_year is None:
            # «born in 1912»: the survivor's year of birth alone.
            return gettext("%(year)s г. р.") % {"year": self.birth_year}
        return f"{self.birth_year or '?'}–{self.death_year or '?'}"

    @property
    def is_feminine(self):
        """A woman's patronymic ends in «-вна», «-чна» (Ивановна, Ильинична) or «кызы»."""
        patronymic = (self.patronymic or "").strip().lower()
        return patronymic.endswith(("вна", "чна", "кызы"))

    @property
    def birth_label(self):
        """«Родился» / «Родилась»."""
        return BIRTH_LABELS[self.is_feminine]

    @property
    def death_label(self):
        """«Погиб», «Умерла от ран», «Пропал без вести»… — by the fate and the gender."""
        labels = DEATH_LABELS.get(self.fate) or DEATH_LABELS[""]
        return labels[self.is_feminine]

    @property
    def birth_display(self):
        """«12 марта 1915 г.» when the exact date is known, else «в 1915 г.», else ""."""
        return _date_display(self.birth_date, self.birth_year)

    @property
    def death_display(self):
        return _date_display(self.death_date, self.death_year)

    @property
    def award_list(self):
        return [line.strip() for line in self.awards.splitlines() if line.strip()]

    def fill_years_from_dates(self):
        """An exact date fills in an empty year (the year and the date then agree)."""
        for kind in ("birth", "death"):
            date = getattr(self, f"{kind}_date")
            if date is not None and getattr(self, f"{kind}_year") is None:
                setattr(self, f"{kind}_year", date.year)

    def clean(self):
        super().clean()
        self.fill_years_from_dates()
        errors = {}
        today = datetime.date.today()
        this_year = today.year
        for field in ("birth_date", "death_date"):
            value = getattr(self, field)
            if value is not None and (value.year < HERO_MIN_YEAR or value > today):
                errors[field] = _("Дата должна быть от %(min)s года до сегодняшнего дня.") % {
                    "min": HERO_MIN_YEAR
                }
        for kind, message in (
            ("birth", _("Год рождения не совпадает с датой рождения (%(year)s).")),
            ("death", _("Год смерти не совпадает с датой смерти (%(year)s).")),
        ):
            date, year = getattr(self, f"{kind}_date"), getattr(self, f"{kind}_year")
            if date is not None and year is not None and date.year != year:
                errors.setdefault(f"{kind}_year", message % {"year": date.year})
        if (
            not errors
            and self.birth_date is not None
            and self.death_date is not None
            and self.death_date < self.birth_date
        ):
            errors["death_date"] = _("Дата смерти раньше даты рождения.")
        for field in ("birth_year", "death_year"):
            value = getattr(self, field)
            if value is not None and not HERO_MIN_YEAR <= value <= this_year:
                errors[field] = _("Год должен быть от %(min)s до %(max)s.") % {
                    "min": HERO_MIN_YEAR,
                    "max": this_year,
                }
        if (
            not errors
            and self.birth_year is not None
            and self.death_year is not None
            and self.death_year < self.birth_year
        ):
            errors["death_year"] = _("Год смерти раньше года рождения.")
        errors.update(self.ref_errors())
        if errors:
            raise ValidationError(errors)

    def _set_core_field_defaults(self):
        if not self.title:
            self.title = self.full_name
        super()._set_core_field_defaults()

    def save(self, *args, **kwargs):
        if not self.title:
            self.title = self.full_name
        self.name_key = fold(self.full_name)[:255]
        self.initial = initial_of(self.last_name)
        self.fill_years_from_dates()
        for kind in ("birth", "death"):
            date = getattr(self, f"{kind}_date")
            setattr(self, f"{kind}_month", date.month if date else None)
            setattr(self, f"{kind}_day", date.day if date else None)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key", "initial"}
        if update_fields is not None and {"birth_date", "death_date"} & set(update_fields):
            derived = [
                f"{k}_{part}" for k in ("birth", "death") for part in ("year", "month", "day")
            ]
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        return super().save(*args, **kwargs)

    def pages_showing_this(self):
        """The page cache's purge (home/page_cache.py): memorials list their heroes."""
        return [*self.linked_memorials, self.library]

    @cached_property
    def linked_memorials(self):
        """The memorials bearing the name, in the page's language where translated.

        The links are synchronised from the source page, so a translated hero points at
        the source memorials; their translations are looked up in one query.
        """
        links = [
            link
            for link in self.memorial_links.select_related("memorial")
            if link.memorial is not None and link.memorial.live
        ]
        memorials = [link.memorial for link in links]
        translated = localized_pages(memorials, self.locale)
        return [translated.get(m.translation_key, m) for m in memorials]

    def index_page(self):
        return self.get_parent()

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: a person."""
        from home.structured_data import page_url

        data = {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": self.full_name or self.title,
            "familyName": self.last_name,
            "url": page_url(self, request),
        }
        if self.first_name:
            data["givenName"] = self.first_name
        if self.patronymic:
            data["additionalName"] = self.patronymic
        # ISO 8601: the exact date where it is known, else the year.
        for kind in ("birth", "death"):
            date, year = getattr(self, f"{kind}_date"), getattr(self, f"{kind}_year")
            if date or year:
                data[f"{kind}Date"] = date.isoformat() if date else str(year)
        if self.birth_place:
            data["birthPlace"] = {"@type": "Place", "name": self.birth_place}
        if self.death_place:
            data["deathPlace"] = {"@type": "Place", "name": self.death_place}
        if self.unit:
            data["memberOf"] = {"@type": "Organization", "name": self.unit}
        if self.award_list:
            data["award"] = self.award_list
        description = self.search_description or richtext_to_text(self.biography)
        if description:
            data["description"] = description[:500]
        if image_url:
            data["image"] = image_url
        if self.ref:
            data["identifier"] = self.ref
        return data

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["memorials"] = self.linked_memorials
        context["index"] = self.get_parent()
        return context


def _date_display(date, year):
    if date is not None:
        return format_date(date)
    if year is not None:
        return _("в %(year)s г.") % {"year": year}
    return ""


class HeroMemorial(Orderable):
    """One memorial that bears a hero's name."""

    page = ParentalKey(HeroPage, related_name="memorial_links", on_delete=models.CASCADE)
    memorial = models.ForeignKey(
        "memorials.MemorialPage",
        verbose_name=_("памятник"),
        on_delete=models.CASCADE,
        related_name="hero_links",
    )

    panels = [FieldPanel("memorial")]
    api_fields = [APIField("memorial")]

    class Meta(Orderable.Meta):
        verbose_name = _("памятник героя")
        verbose_name_plural = _("памятники героя")

    def __str__(self):
        return str(self.memorial)
