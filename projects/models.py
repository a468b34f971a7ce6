"""Network projects, contests and the libraries' contributions.

A contribution lives below its library's page (the library's part of the tree) and names
its project with a foreign key: project pages aggregate their contributions by query.
"""

import csv

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from modelcluster.fields import ParentalKey

from home.models import RICH_TEXT_FEATURES
from home.pages import LetopisPageMixin, in_visitor_language
from network.forms import LibraryAdminPageForm

from .blocks import (
    ContributionStreamBlock,
    ProjectStreamBlock,
    count_photos,
    first_image,
    prefetch_body_renditions,
)

PROJECTS_PER_PAGE = 12
#: The picture a project card shows: the spec of templates/components/project_card.html,
#: whose renditions the listings prefetch (home/images.py).
PROJECT_CARD_PICTURE = "fill-{640x360,960x540}"
CONTRIBUTIONS_PER_PAGE = 24


class ProjectStatus(models.TextChoices):
    ANNOUNCED = "announced", _("объявлен")
    OPEN = "open", _("идёт приём материалов")
    CLOSED = "closed", _("приём материалов завершён")
    RESULTS = "results", _("подведены итоги")


class Award(models.TextChoices):
    FIRST = "1", _("1 место")
    SECOND = "2", _("2 место")
    THIRD = "3", _("3 место")
    DIPLOMA = "diploma", _("диплом участника")
    SPECIAL = "special", _("специальный приз")


def _csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel in a Russian locale reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return response


STATS_HEADER = [
    _("проект"),
    _("годы"),
    _("статус"),
    _("библиотек"),
    _("из них сельских"),
    _("муниципальных районов"),
    _("регионов"),
    _("материалов"),
    _("фотографий"),
]


def _stats_row(project, stats):
    return [
        project.title,
        project.years,
        project.get_status_display(),
        stats.libraries,
        stats.rural,
        stats.districts,
        stats.regions,
        stats.materials,
        stats.photos,
    ]


class ProjectIndexPage(RoutablePageMixin, LetopisPageMixin, Page):
    """All network projects and contests, filterable by year, theme and status."""

    intro = RichTextField(_("вступление"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, "intro"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    template = "pages/project_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["projects.ProjectPage"]

    class Meta:
        verbose_name = _("список проектов")
        verbose_name_plural = _("списки проектов")

    def projects(self):
        return (
            ProjectPage.objects.child_of(self)
            .live()
            .public()
            .select_related("cover_image")
            .order_by("-start_year", "title")
        )

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: a collection of the projects."""
        from home.structured_data import collection_page

        return collection_page(self, request, image_url)

    def filter_projects(self, request):
        projects = self.projects()
        filters = {
            "year": request.GET.get("year", "").strip(),
            "theme": request.GET.get("theme", "").strip(),
            "status": request.GET.get("status", "").strip(),
        }
        if filters["year"].isdigit():
            year = int(filters["year"])
            projects = projects.filter(start_year__lte=year).filter(
                models.Q(end_year__gte=year) | models.Q(end_year__isnull=True)
            )
        else:
            filters["year"] = ""
        if filters["theme"]:
            projects = projects.filter(theme_of_year=filters["theme"])
        if filters["status"] in ProjectStatus.values:
            projects = projects.filter(status=filters["status"])
        else:
            filters["status"] = ""
        return projects, filters

    def get_context(self, request, *args, **kwargs):
        from home.images import renditions_prefetch

        from .stats import stats_by_project, stats_overall

        context = super().get_context(request, *args, **kwargs)
        projects, filters = self.filter_projects(request)
        # The cards' renditions in one query: a page of 3 or 12 cards costs the same.
        projects = projects.prefetch_related(
            renditions_prefetch("cover_image__renditions", PROJECT_CARD_PICTURE)
        )
        page_obj = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
        stats = stats_by_project(page_obj.object_list)
        all_projects = self.projects()
        years = set()
        for start, end in all_projects.values_list("start_year", "end_year"):
            years.update(range(start, (end or start) + 1))
        context.update(
            {
                "projects": page_obj,
                "project_stats": [(p, stats[p.translation_key]) for p in page_obj.object_list],
                "overall_stats": stats_overall(list(all_projects)),
                "filters": filters,
                "years": sorted(years, reverse=True),
                "themes": sorted(
                    set(
                        all_projects.exclude(theme_of_year="").values_list(
                            "theme_of_year", flat=True
                        )
                    )
                ),
                "statuses": ProjectStatus.choices,
            }
        )
        return context

    @path("statistika/csv/", name="stats_csv")
    def stats_csv(self, request):
        from .stats import stats_by_project

        projects = list(self.projects())
        stats = stats_by_project(projects)
        rows = [_stats_row(p, stats[p.translation_key]) for p in projects]
        return _csv_response("letopis-projects-statistics.csv", STATS_HEADER, rows)


class ProjectPage(RoutablePageMixin, LetopisPageMixin, Page):
    """A yearly themed network project, or a contest (with nominations and results)."""

    theme_of_year = models.CharField(
        _("тема года"),
        max_length=120,
        blank=True,
        help_text=_("Например: «Год памяти и славы»."),
    )
    start_year = models.PositiveSmallIntegerField(_("год начала"))
    end_year = models.PositiveSmallIntegerField(
        _("год окончания"), null=True, blank=True, help_text=_("Пусто — проект продолжается.")
    )
    status = models.CharField(
        _("статус"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.OPEN
    )
    organiser = models.CharField(
        _("организатор"),
        max_length=255,
        blank=True,
        help_text=_("По умолчанию — областная библиотека из настроек сайта."),
    )
    regions = models.CharField(
        _("регионы-участники"),
        max_length=255,
        blank=True,
        help_text=_("Через запятую: «Калужская область, Брянская область»."),
    )
    intro = models.TextField(_("кратко о проекте"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("обложка"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ProjectStreamBlock(), verbose_name=_("описание"), blank=True)
    is_contest = models.BooleanField(
        _("это конкурс"),
        default=False,
        help_text=_("У конкурса есть номинации, сроки и итоги."),
    )
    submission_deadline = models.DateField(_("приём работ до"), null=True, blank=True)
    results_date = models.DateField(_("дата подведения итогов"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                "theme_of_year",
                FieldRowPanel(["start_year", "end_year"]),
                "status",
                "organiser",
                "regions",
            ],
            heading=_("О проекте"),
        ),
        "intro",
        "cover_image",
        "body",
        InlinePanel("documents", heading=_("Положение и другие документы"), label=_("документ")),
        MultiFieldPanel(
            [
                "is_contest",
                FieldRowPanel(["submission_deadline", "results_date"]),
                InlinePanel("nominations", label=_("номинация")),
            ],
            heading=_("Конкурс"),
        ),
    ]
    search_kind = "project"

    def search_facets(self):
        return {"project_id": self.pk, "year": self.start_year}

    search_fields = [
        *Page.search_fields,
        index.SearchField("theme_of_year"),
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("status"),
        index.FilterField("start_year"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "theme_of_year",
            "start_year",
            "end_year",
            "status",
            "organiser",
            "regions",
            "intro",
            "cover_image",
            "body",
            "is_contest",
            "submission_deadline",
            "results_date",
            "documents",
            "nominations",
        )
    ]

    template = "pages/project_page.html"
    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("сетевой проект или конкурс")
        verbose_name_plural = _("сетевые проекты и конкурсы")

    @property
    def years(self):
        if self.end_year is None:
            return f"{self.start_year}–"
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def accepts_materials(self):
        return self.status == ProjectStatus.OPEN

    @property
    def region_list(self):
        return [r.strip() for r in self.regions.split(",") if r.strip()]

    def clean(self):
        super().clean()
        if self.end_year is not None and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Год окончания раньше года начала.")})
        if self.start_year is not None and not 1900 <= self.start_year <= 2100:
            raise ValidationError({"start_year": _("Укажите год от 1900 до 2100.")})

    @property
    def schema_type(self):
        """A project is a CreativeWorkSeries: the libraries' materials of the theme of the
        year are its parts (``isPartOf``). A contest is an Event as well — it opens, closes
        to entries on a deadline and announces its results on a day — typed with both, so
        its entries remain parts of a creative work (the range of ``isPartOf``)."""
        return ["CreativeWorkSeries", "Event"] if self.is_contest else "CreativeWorkSeries"

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: the project (see ``schema_type``)."""
        from home.structured_data import describe, organisation, page_url

        url = page_url(self, request)
        organiser = (
            {"@type": "Organization", "name": self.organiser}
            if self.organiser
            else organisation(request)
        )
        data = {
            "@type": self.schema_type,
            "name": self.title,
            "url": url,
            "startDate": str(self.start_year),
            "publisher": organiser,
        }
        if self.end_year:
            data["endDate"] = str(self.end_year)
        if self.theme_of_year:
            data["about"] = self.theme_of_year
        if self.region_list:
            data["spatialCoverage"] = [
                {"@type": "AdministrativeArea", "name": region} for region in self.region_list
            ]
        if self.is_contest:
            end = self.results_date or self.submission_deadline
            if end:
                data["endDate"] = end.isoformat()
            data["organizer"] = organiser
            data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
            data["location"] = {"@type": "VirtualLocation", "url": url}
        return describe(data, self, image_url)

    def contributions(self):
        return ContributionPage.objects.for_listing().filter(
            project__translation_key=self.translation_key, locale=self.locale
        )

    def winners(self):
        """Awarded entries grouped by nomination, in nomination order, places in order."""
        entries = list(
            self.contributions()
            .exclude(award="")
            .select_related("nomination")
            .order_by("nomination__sort_order", "award", "title")
        )
        groups = {}
        for entry in entries:
            groups.setdefault(entry.nomination, []).append(entry)
        return list(groups.items())

    def get_context(self, request, *args, **kwargs):
        from .stats import stats_for_project

        context = super().get_context(request, *args, **kwargs)
        prefetch_body_renditions(self.body)
        contributions = self.contributions()
        library = request.GET.get("library", "")
        if library.isdigit():
            contributions = contributions.filter(library_id=int(library))
        context.update(
            {
                "stats": stats_for_project(self),
                "contributions": Paginator(contributions, CONTRIBUTIONS_PER_PAGE).get_page(
                    request.GET.get("page")
                ),
                "documents": self.documents.select_related("document"),
                "nominations": list(self.nominations.all()) if self.is_contest else [],
                "winners": self.winners()
                if self.is_contest and self.status == ProjectStatus.RESULTS
                else [],
            }
        )
        return context

    @path("statistika/csv/", name="stats_csv")
    def stats_csv(self, request):
        from .stats import stats_by_library, stats_for_project

        header = [
            _("библиотека"),
            _("тип"),
            _("сельская"),
            _("муниципальный район"),
            _("регион"),
            _("материалов"),
            _("фотографий"),
        ]
        from network.models import LibraryType

        types = dict(LibraryType.choices)
        rows = [
            [
                row["library__title"],
                types.get(row["library__library_type"], ""),
                _("да") if row["library__is_rural"] else _("нет"),
                row["library__district"],
                row["library__region"],
                row["materials"],
                row["photos"],
            ]
            for row in stats_by_library(self)
        ]
        total = stats_for_project(self)
        rows.append(
            [_("Итого: %(count)s") % {"count": total.libraries}, "", total.rural, total.districts,
             total.regions, total.materials, total.photos]
        )  # fmt: skip
        return _csv_response(f"{self.slug}-statistics.csv", header, rows)


class ProjectDocument(Orderable):
    """The rules (положение) and other documents of a project."""

    page = ParentalKey(ProjectPage, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("документ"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("подпись"), max_length=255, blank=True, help_text=_("Пусто — название документа.")
    )

    panels = ["document", "title"]
    api_fields = [APIField("document"), APIField("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("документ проекта")

    @property
    def label(self):
        return self.title or self.document.title


class Nomination(Orderable):
    """A contest nomination: entries are contributions marked with it."""

    page = ParentalKey(ProjectPage, related_name="nominations", on_delete=models.CASCADE)
    title = models.CharField(_("номинация"), max_length=255)
    description = models.TextField(_("условия"), blank=True)

    panels = ["title", "description"]
    api_fields = [APIField("title"), APIField("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("номинация")
        verbose_name_plural = _("номинации")

    def __str__(self):
        return f"{self.page.title}: {self.title}"


#: The picture a contribution card shows: the spec of templates/components/contribution_card.html,
#: whose renditions listings prefetch (home/images.py).
CARD_PICTURE = "fill-{480x320,960x640}"
#: The card's JPEG, the picture's fallback: the cover in the materials feeds.
CARD_RENDITION = "fill-480x320|format-jpeg"


class ContributionQuerySet(PageQuerySet):
    def for_listing(self):
        """Published public contributions with what their cards show, newest first.

        Card renditions are prefetched so a listing costs the same queries for 3 or 300 cards.
        """
        from home.images import renditions_prefetch

        return (
            self.live()
            .public()
            .select_related("library", "project", "cover_image")
            .prefetch_related(renditions_prefetch("cover_image__renditions", CARD_PICTURE))
            .order_by("-date", "-first_published_at", "-pk")
        )


ContributionManager = PageManager.from_queryset(ContributionQuerySet)


class ContributionForm(LibraryAdminPageForm):
    """Projects to choose from: those accepting materials, plus the current one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "project" in self.fields:
            current = self.instance.project_id
            query = models.Q(status=ProjectStatus.OPEN)
            if current:
                query |= models.Q(pk=current)
            self.fields["project"].queryset = ProjectPage.objects.filter(query).order_by(
                "-start_year", "title"
            )
        if "nomination" in self.fields:
            self.fields["nomination"].queryset = Nomination.objects.select_related("page")


class ContributionPage(LetopisPageMixin, Page):
    """One library's material within one project."""

    project = models.ForeignKey(
        ProjectPage,
        verbose_name=_("проект"),
        on_delete=models.PROTECT,
        related_name="contribution_pages",
        help_text=_("Проект, в котором сейчас идёт приём материалов."),
    )
    library = models.ForeignKey(
        "network.LibraryPage",
        verbose_name=_("библиотека"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="contributions",
        help_text=_("Библиотека, в разделе которой находится материал (заполняется сама)."),
    )
    settlement = models.CharField(_("населённый пункт"), max_length=120, blank=True)
    authors = models.CharField(
        _("авторы"), max_length=255, blank=True, help_text=_("ФИО составителей через запятую.")
    )
    date = models.DateField(_("дата материала"), null=True, blank=True)
    intro = models.TextField(_("кратко"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("обложка"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContributionStreamBlock(), verbose_name=_("содержание"), blank=True)
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("номинация конкурса"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    award = models.CharField(_("итог конкурса"), max_length=16, choices=Award.choices, blank=True)
    photo_count = models.PositiveIntegerField(_("фотографий"), default=0, editable=False)

    objects = ContributionManager()
    base_form_class = ContributionForm

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                # A short list of the projects accepting materials, not the page chooser.
                FieldPanel("project", widget=forms.Select),
                FieldRowPanel(["settlement", "date"]),
                "authors",
            ],
            heading=_("О материале"),
        ),
        "intro",
        "cover_image",
        "body",
        MultiFieldPanel(["nomination", "award"], heading=_("Конкурс")),
    ]
    search_kind = "material"

    def search_facets(self):
        library = self.library
        year = self.date.year if self.date else (self.project.start_year if self.project else None)
        return {
            "district": library.district if library else "",
            "library_id": self.library_id,
            "project_id": self.project_id,
            "year": year,
        }

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("authors"),
        index.SearchField("settlement"),
        index.SearchField("body"),
        index.FilterField("project"),
        index.FilterField("library"),
        index.FilterField("date"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "project",
            "library",
            "settlement",
            "authors",
            "date",
            "intro",
            "cover_image",
            "body",
            "nomination",
            "award",
            "photo_count",
        )
    ]

    template = "pages/contribution_page.html"
    parent_page_types = ["network.LibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("материал библиотеки")
        verbose_name_plural = _("материалы библиотек")

    def clean(self):
        super().clean()
        if self.nomination_id and self.project_id and self.nomination.page_id != self.project_id:
            raise ValidationError({"nomination": _("Эта номинация относится к другому проекту.")})
        if self.award and not self.nomination_id:
            raise ValidationError({"award": _("Итог конкурса указывается вместе с номинацией.")})

    def save(self, *args, **kwargs):
        self.photo_count = count_photos(self.body)
        if self.path:
            self.library = self.find_library()
        return super().save(*args, **kwargs)

    def find_library(self):
        from network.models import library_of

        return library_of(self)

    def share_image(self):
        """A shared link shows the first postcard (or photo) of the material."""
        return first_image(self.body) or self.cover_image

    @cached_property
    def library_name(self):
        return self.library.display_name if self.library else ""

    @cached_property
    def shown_project(self):
        """The project in the visitor's language (for its title and link)."""
        return in_visitor_language(self.project, self.locale)

    @cached_property
    def shown_library(self):
        """The library in the visitor's language (for its name and link)."""
        return in_visitor_language(self.library, self.locale)

    def pages_showing_this(self):
        """The page cache's purge (home/page_cache.py): the project lists its materials."""
        return [self.shown_project, self.library]

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: an article by the library, a part of its project."""
        from home.structured_data import describe, organisation, page_reference, page_url

        data = {
            "@type": "Article",
            "headline": self.title[:110],
            "name": self.title,
            "url": page_url(self, request),
            "publisher": organisation(request),
        }
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.isoformat()
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        if self.date:
            data["dateCreated"] = self.date.isoformat()
        if self.library:
            data["author"] = {
                **page_reference(self.library, request, "Organization"),
                "name": self.library_name,
            }
        names = [name.strip() for name in self.authors.split(",") if name.strip()]
        if names:
            data["contributor"] = [{"@type": "Person", "name": name} for name in names]
        if self.project:
            data["isPartOf"] = page_reference(self.project, request, self.project.schema_type)
        if self.settlement:
            data["contentLocation"] = {"@type": "Place", "name": self.settlement}
        return describe(data, self, image_url)

    def get_context(self, request, *args, **kwargs):
        from home.structured_data import SHARE_SPEC

        context = super().get_context(request, *args, **kwargs)
        context["is_source_language"] = self.locale.language_code == settings.LANGUAGE_CODE
        # The body's pictures, and the share card's (its first postcard or photo).
        prefetch_body_renditions(self.body, SHARE_SPEC)
        return context


class ChronicleDate(models.Model):
    """A published material's chronicle entry dated to an exact day (``projects.chronicle``).

    A copy kept in step with the live page, so the home page's «В этот день» finds the
    entries of a day of the year through an index instead of reading every StreamField.
    """

    page = models.ForeignKey(
        ContributionPage, on_delete=models.CASCADE, related_name="chronicle_dates"
    )
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200, blank=True)
    text = models.CharField(max_length=300, blank=True)
    block_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("дата летописи")
        verbose_name_plural = _("даты летописей")
        indexes = [models.Index(fields=["month", "day", "locale"], name="chronicle_day")]

    def __str__(self):
        return f"{self.day:02d}.{self.month:02d}.{self.year}: {self.heading or self.text[:60]}"
