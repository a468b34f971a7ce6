"""A war memorial: its place on the map, what it is, whom it commemorates.

A memorial page lives in the part of the page tree of the library that described it (the
regional library's for its own imports), like a contribution: Wagtail's native subtree
permissions let each partner library edit its own memorials. The map, the lists and the
open data aggregate memorials across libraries by query.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from rest_framework import serializers

from home.models import RICH_TEXT_FEATURES
from home.pages import LetopisPageMixin
from network.forms import LibraryAdminPageForm
from network.geo import latitude_field, longitude_field, validate_point
from network.regions import REGION_NAME, get_district, in_region

from ..blocks import PhotosBlock, SourcesBlock, prefetch_photos
from ..locales import in_locale
from ..text import richtext_to_text
from ..widgets import CoordinateInput, use_coordinate_fields
from .reference import ReferencedRecord

#: Memorials are as old as the war of 1812 here (Maloyaroslavets), and none is unveiled
#: in the future.
MEMORIAL_MIN_YEAR = 1700
HEROES_ON_MEMORIAL_PAGE = 100


class MemorialKind(models.TextChoices):
    MONUMENT = "monument", _("памятник")
    OBELISK = "obelisk", _("обелиск")
    MASS_GRAVE = "mass_grave", _("братская могила")
    STELE = "stele", _("стела")
    BUST = "bust", _("бюст")
    PLAQUE = "plaque", _("мемориальная доска")
    COMPLEX = "complex", _("мемориальный комплекс")
    OTHER = "other", _("другое")


#: Kinds at which people are buried: only they record how many.
BURIAL_KINDS = {MemorialKind.MASS_GRAVE, MemorialKind.COMPLEX, MemorialKind.OTHER}


class Condition(models.TextChoices):
    GOOD = "good", _("хорошее")
    FAIR = "fair", _("удовлетворительное")
    POOR = "poor", _("плохое, нужен ремонт")
    LOST = "lost", _("утрачен")


class MemorialQuerySet(PageQuerySet):
    def published(self):
        return self.live().public()


MemorialManager = PageManager.from_queryset(MemorialQuerySet)


class HeroesField(serializers.Field):
    """The heroes named on a memorial, for the API: ``[{id, title, ref}]``."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page):
        return [
            {"id": hero.pk, "title": hero.title, "ref": hero.ref}
            for hero in page.heroes().only("pk", "title", "ref")
        ]


class MemorialForm(LibraryAdminPageForm):
    """Coordinates typed with a decimal comma or pasted with many decimals are accepted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_coordinate_fields(self)


class MemorialPage(LetopisPageMixin, ReferencedRecord, Page):
    """A monument, obelisk, mass grave, stele, bust, plaque or memorial complex."""

    REF_PREFIX = "m"

    kind = models.CharField(
        _("вид"), max_length=16, choices=MemorialKind.choices, default=MemorialKind.MONUMENT
    )
    latitude = latitude_field()
    longitude = longitude_field()
    settlement = models.CharField(
        _("населённый пункт"), max_length=120, blank=True, help_text=_("Например: «д. Попелёво»")
    )
    district = models.CharField(
        _("муниципальный район или округ"),
        max_length=120,
        blank=True,
        db_index=True,
        help_text=_("Как в справочнике области: «Козельский район», «город Калуга»."),
    )
    address = models.CharField(
        _("адрес или ориентир"),
        max_length=255,
        blank=True,
        help_text=_("Улица и дом или ориентир: «у здания школы», «сельское кладбище»."),
    )
    year_unveiled = models.PositiveSmallIntegerField(_("год открытия"), null=True, blank=True)
    sculptor = models.CharField(_("скульптор"), max_length=255, blank=True)
    architect = models.CharField(_("архитектор"), max_length=255, blank=True)
    inscription = models.TextField(
        _("надпись"), blank=True, help_text=_("Текст надписи на памятнике, строка в строку.")
    )
    buried_known = models.PositiveIntegerField(
        _("захоронено: известных"),
        null=True,
        blank=True,
        help_text=_("Для братских могил: число установленных имён."),
    )
    buried_unknown = models.PositiveIntegerField(
        _("захоронено: неизвестных"),
        null=True,
        blank=True,
        help_text=_("Для братских могил: число неизвестных воинов."),
    )
    heritage_number = models.CharField(
        _("номер в реестре объектов культурного наследия"),
        max_length=32,
        blank=True,
        help_text=_(
            "Регистрационный номер в едином государственном реестре, если памятник в него внесён."
        ),
    )
    burial_passport_number = models.CharField(
        _("номер паспорта воинского захоронения"), max_length=64, blank=True
    )
    condition = models.CharField(
        _("состояние"), max_length=8, choices=Condition.choices, blank=True
    )
    condition_checked = models.DateField(
        _("состояние проверено"),
        null=True,
        blank=True,
        help_text=_("Когда библиотека последний раз видела памятник."),
    )
    custodian = models.CharField(
        _("кто ухаживает"),
        max_length=255,
        blank=True,
        help_text=_("Школа, администрация поселения, общественная организация."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("главная фотография"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Показывается на карте и в начале страницы."),
    )
    description = RichTextField(_("описание и история"), features=RICH_TEXT_FEATURES, blank=True)
    photos = StreamField(PhotosBlock(), verbose_name=_("фотографии"), blank=True)
    sources = StreamField(SourcesBlock(), verbose_name=_("источники"), blank=True)
    library = models.ForeignKey(
        "network.LibraryPage",
        verbose_name=_("библиотека"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="memorials",
        help_text=_("Библиотека, в разделе которой находится описание (заполняется само)."),
    )

    objects = MemorialManager()
    base_form_class = MemorialForm

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                "kind",
                FieldRowPanel(
                    [
                        FieldPanel("latitude", widget=CoordinateInput(role="latitude")),
                        FieldPanel("longitude", widget=CoordinateInput(role="longitude")),
                    ]
                ),
                FieldRowPanel(["settlement", "district"]),
                "address",
            ],
            heading=_("Что и где"),
        ),
        "photo",
        "description",
        MultiFieldPanel(
            [
                FieldRowPanel(["year_unveiled", "sculptor", "architect"]),
                "inscription",
                FieldRowPanel(["buried_known", "buried_unknown"]),
            ],
            heading=_("О памятнике"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(["condition", "condition_checked"]),
                "custodian",
                FieldRowPanel(["heritage_number", "burial_passport_number"]),
                "ref",
            ],
            heading=_("Состояние и учёт"),
        ),
        "photos",
        "sources",
    ]
    search_kind = "memorial"

    def search_facets(self):
        return {
            "district": self.district,
            "library_id": self.library_id,
            "year": self.year_unveiled,
        }

    search_fields = [
        *Page.search_fields,
        index.SearchField("settlement"),
        index.SearchField("district"),
        index.SearchField("address"),
        index.SearchField("inscription"),
        index.SearchField("description"),
        index.SearchField("sculptor"),
        index.SearchField("architect"),
        index.AutocompleteField("settlement"),
        index.FilterField("kind"),
        index.FilterField("district"),
        index.FilterField("library"),
        index.FilterField("ref"),
    ]
    api_fields = [
        *(
            APIField(name)
            for name in (
                "kind",
                "latitude",
                "longitude",
                "settlement",
                "district",
                "address",
                "year_unveiled",
                "sculptor",
                "architect",
                "inscription",
                "buried_known",
                "buried_unknown",
                "heritage_number",
                "burial_passport_number",
                "condition",
                "condition_checked",
                "custodian",
                "photo",
                "description",
                "photos",
                "sources",
                "library",
                "ref",
            )
        ),
        APIField("heroes", serializer=HeroesField()),
    ]
    # Reference data and identifiers are the same in every language: a translator must
    # not turn «Козельский район» into a filter value the map no longer knows.
    override_translatable_fields = [
        SynchronizedField("district"),
        SynchronizedField("ref"),
        SynchronizedField("heritage_number"),
        SynchronizedField("burial_passport_number"),
    ]

    template = "pages/memorial_page.html"
    parent_page_types = ["network.LibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("памятник")
        verbose_name_plural = _("памятники")

    # -- derived values ------------------------------------------------------------------
    @cached_property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def outside_region(self):
        """A point outside the region's bounding box: worth a second look, not an error."""
        return self.has_point and not in_region(self.latitude, self.longitude)

    @property
    def buried_total(self):
        if self.buried_known is None and self.buried_unknown is None:
            return None
        return (self.buried_known or 0) + (self.buried_unknown or 0)

    @cached_property
    def library_name(self):
        return self.library.display_name if self.library else ""

    @property
    def place(self):
        """«д. Попелёво, Козельский район» (the district in the active language)."""
        from network.regions import label

        return ", ".join(p for p in (self.settlement, label(self.district)) if p)

    # -- validation ----------------------------------------------------------------------
    def clean(self):
        super().clean()
        errors = dict(validate_point(self.latitude, self.longitude, required=True))
        this_year = datetime.date.today().year
        if self.year_unveiled is not None and not (
            MEMORIAL_MIN_YEAR <= self.year_unveiled <= this_year
        ):
            errors["year_unveiled"] = _("Год открытия должен быть от %(min)s до %(max)s.") % {
                "min": MEMORIAL_MIN_YEAR,
                "max": this_year,
            }
        if self.condition_checked and self.condition_checked > datetime.date.today():
            errors["condition_checked"] = _("Дата проверки ещё не наступила.")
        if self.condition_checked and not self.condition:
            errors["condition"] = _("Укажите состояние, которое проверили.")
        if (self.buried_known or self.buried_unknown) and self.kind not in BURIAL_KINDS:
            errors["buried_known"] = _(
                "Число захороненных указывается для братских могил и мемориальных комплексов."
            )
        errors.update(self.ref_errors())
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        district = get_district(self.district)
        if district is not None:
            self.district = district.name  # «Козельский» → «Козельский район»
        update_fields = kwargs.get("update_fields")
        if self.path and (update_fields is None or "library" in update_fields):
            # The library already loaded (the importer sets it) is kept if it is still an
            # ancestor in the same language; otherwise it is looked up in the tree.
            known = self._state.fields_cache.get("library")
            if not (
                known is not None
                and self.path.startswith(known.path)
                and known.locale_id == self.locale_id
            ):
                self.library = self.find_library()
        return super().save(*args, **kwargs)

    def find_library(self):
        from network.models import library_of

        return library_of(self)

    # -- relations -----------------------------------------------------------------------
    def heroes(self):
        """The published heroes whose names the memorial bears, in the page's language."""
        from .hero import HeroPage

        linked = (
            HeroPage.objects.live()
            .public()
            .filter(memorial_links__memorial__translation_key=self.translation_key)
        )
        return in_locale(linked, self.locale).order_by("name_key", "pk")

    def pages_showing_this(self):
        """The page cache's purge (home/page_cache.py): heroes name their memorials."""
        return [*self.heroes(), self.library]

    def index_page(self):
        """The map page of the memorial's language (for breadcrumbs), or None."""
        from .memorial_index import MemorialIndexPage

        return (
            MemorialIndexPage.objects.live().filter(locale_id=self.locale_id).first()
            or MemorialIndexPage.objects.live().first()
        )

    # -- rendering -----------------------------------------------------------------------
    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: a landmark with its coordinates and address."""
        from home.structured_data import page_url

        data = {
            "@context": "https://schema.org",
            "@type": "LandmarksOrHistoricalBuildings",
            "name": self.title,
            "url": page_url(self, request),
        }
        if self.has_point:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        address = {"@type": "PostalAddress", "addressCountry": "RU"}
        if self.address:
            address["streetAddress"] = self.address
        if self.settlement:
            address["addressLocality"] = self.settlement
        if self.district:
            district = get_district(self.district)
            address["addressRegion"] = REGION_NAME if district else self.district
        data["address"] = address
        if self.district:
            data["containedInPlace"] = {"@type": "AdministrativeArea", "name": self.district}
        description = self.search_description or richtext_to_text(self.description)
        if description:
            data["description"] = description[:500]
        if image_url:
            data["image"] = image_url
        if self.ref:
            data["identifier"] = self.ref
        return data

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        prefetch_photos(self.photos)
        heroes = self.heroes().only(
            "pk",
            "title",
            "url_path",
            "locale_id",
            "rank",
            "birth_year",
            "death_year",
            "fate",
        )
        page_obj = Paginator(heroes, HEROES_ON_MEMORIAL_PAGE).get_page(request.GET.get("page"))
        context["heroes"] = page_obj
        context["index"] = self.index_page()
        return context
