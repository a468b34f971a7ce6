"""The library network: the directory of libraries and one page per library.

Each library's contributions (and, later, memorial descriptions) live below its
``LibraryPage``, so Wagtail's native subtree permissions give each partner library its
own part of the tree. The public views aggregate across libraries by query.
"""

from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.models import RICH_TEXT_FEATURES
from home.pages import LetopisPageMixin

from .forms import LibraryAdminPageForm
from .geo import check_point, latitude_field, longitude_field

LIBRARIES_PER_PAGE = 24
CONTRIBUTIONS_PER_PAGE = 12


def library_of(page):
    """The library whose part of the tree holds ``page`` (its nearest LibraryPage ancestor),
    preferring the ancestor in the page's own language."""
    ancestors = LibraryPage.objects.ancestor_of(page)
    return ancestors.filter(locale_id=page.locale_id).last() or ancestors.last()


class LibraryType(models.TextChoices):
    REGIONAL = "regional", _("областная библиотека")
    CENTRAL = "central", _("центральная районная библиотека (ЦБС)")
    CITY = "city", _("городская библиотека")
    RURAL = "rural", _("сельская библиотека")
    CHILDREN = "children", _("детская библиотека")
    SCHOOL = "school", _("школьная библиотека")
    PARTNER = "partner", _("библиотека-партнёр другого региона")


class LibraryIndexPage(LetopisPageMixin, Page):
    """The directory of the network's libraries, filterable by district, type and region."""

    intro = RichTextField(_("вступление"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, "intro"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    template = "pages/library_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["network.LibraryPage"]

    class Meta:
        verbose_name = _("каталог библиотек")
        verbose_name_plural = _("каталоги библиотек")

    def libraries(self):
        return (
            LibraryPage.objects.child_of(self)
            .live()
            .public()
            .select_related("photo")
            .order_by("region", "district", "title")
        )

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: a collection of the network's libraries."""
        from home.structured_data import collection_page

        return collection_page(self, request, image_url)

    def get_context(self, request, *args, **kwargs):
        from .views import library_directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(library_directory_context(self, request))
        return context


class LibraryPage(LetopisPageMixin, Page):
    """A member of the network; its subtree holds everything it contributed."""

    short_name = models.CharField(
        _("краткое название"),
        max_length=120,
        blank=True,
        help_text=_("Как библиотеку называют в подписях: «Жуковская сельская библиотека»."),
    )
    library_type = models.CharField(
        _("тип библиотеки"), max_length=16, choices=LibraryType.choices, default=LibraryType.RURAL
    )
    is_rural = models.BooleanField(
        _("сельская"),
        default=False,
        help_text=_("Библиотека в сельской местности: учитывается в статистике проектов."),
    )
    region = models.CharField(_("регион"), max_length=120, default="Калужская область")
    district = models.CharField(
        _("муниципальный район или округ"), max_length=120, blank=True, db_index=True
    )
    settlement = models.CharField(_("населённый пункт"), max_length=120, blank=True)
    address = models.CharField(_("адрес"), max_length=255, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    website = models.URLField(_("сайт"), blank=True)
    phone = models.CharField(_("телефон"), max_length=64, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    description = RichTextField(_("о библиотеке"), features=RICH_TEXT_FEATURES, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("фотография"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            ["short_name", FieldRowPanel(["library_type", "is_rural"])],
            heading=_("Библиотека"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(["region", "district"]),
                FieldRowPanel(["settlement", "address"]),
                FieldRowPanel(["latitude", "longitude"]),
            ],
            heading=_("Где находится"),
        ),
        MultiFieldPanel(["website", "phone", "email"], heading=_("Контакты")),
        FieldPanel("description"),
        FieldPanel("photo"),
    ]
    search_kind = "library"

    def search_facets(self):
        return {"district": self.district, "library_id": self.pk}

    search_fields = [
        *Page.search_fields,
        index.SearchField("short_name"),
        index.SearchField("settlement"),
        index.SearchField("district"),
        index.SearchField("description"),
        index.FilterField("library_type"),
        index.FilterField("district"),
        index.FilterField("region"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "short_name",
            "library_type",
            "is_rural",
            "region",
            "district",
            "settlement",
            "address",
            "latitude",
            "longitude",
            "website",
            "phone",
            "email",
            "description",
            "photo",
        )
    ]

    base_form_class = LibraryAdminPageForm
    template = "pages/library_page.html"
    parent_page_types = ["network.LibraryIndexPage"]
    subpage_types = ["projects.ContributionPage", "memorials.MemorialPage"]

    class Meta:
        verbose_name = _("библиотека")
        verbose_name_plural = _("библиотеки")

    @property
    def display_name(self):
        return self.short_name or self.title

    @cached_property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None

    def clean(self):
        super().clean()
        check_point(self.latitude, self.longitude)

    def save(self, *args, **kwargs):
        if self.library_type == LibraryType.RURAL:
            self.is_rural = True
        return super().save(*args, **kwargs)

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: a library, with its address, place on the map and contacts."""
        from home.structured_data import describe, page_url

        data = {"@type": "Library", "name": self.title, "url": page_url(self, request)}
        if self.short_name and self.short_name != self.title:
            data["alternateName"] = self.short_name
        address = {"@type": "PostalAddress", "addressCountry": "RU"}
        for key, value in (
            ("streetAddress", self.address),
            ("addressLocality", self.settlement),
            ("addressRegion", self.region),
        ):
            if value:
                address[key] = value
        data["address"] = address
        if self.district:
            data["containedInPlace"] = {"@type": "AdministrativeArea", "name": self.district}
        if self.has_point:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        if self.phone:
            data["telephone"] = self.phone
        if self.email:
            data["email"] = self.email
        if self.website:
            data["sameAs"] = [self.website]
        return describe(data, self, image_url)

    def get_context(self, request, *args, **kwargs):
        from projects.models import ContributionPage

        context = super().get_context(request, *args, **kwargs)
        # A library previewed before its first save has no materials yet (and no id to filter on).
        contributions = (
            ContributionPage.objects.for_listing().filter(library=self)
            if self.pk
            else ContributionPage.objects.none()
        )
        paginator = Paginator(contributions, CONTRIBUTIONS_PER_PAGE)
        context["contributions"] = paginator.get_page(request.GET.get("page"))
        return context


class LibraryAccess(models.Model):
    """What lets a partner library's editors work in their own area and nowhere else.

    One row per onboarded library: the group its editors belong to (with native page
    permissions on the library's subtree) and its own image, document and video collection
    (with collection permissions on it only). ``network.onboarding`` creates and repairs
    them; ``network.partners`` reads them to close what Wagtail's native checks leave open.
    """

    library = models.OneToOneField(
        LibraryPage,
        verbose_name=_("библиотека"),
        on_delete=models.CASCADE,
        related_name="access",
    )
    group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("группа редакторов"),
        on_delete=models.PROTECT,
        related_name="library_access",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("коллекция"),
        on_delete=models.PROTECT,
        related_name="library_access",
    )
    created_at = models.DateTimeField(_("подключена"), auto_now_add=True)

    class Meta:
        verbose_name = _("доступ библиотеки")
        verbose_name_plural = _("доступы библиотек")

    def __str__(self):
        return self.library.display_name
