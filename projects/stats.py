"""Participation statistics, computed live from published contributions.

One aggregate query serves any number of projects, so the project index and every
project page show the figures with a constant number of queries.
"""

from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import CharField, Count, Q, Sum, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class ParticipationStats:
    libraries: int = 0
    rural: int = 0
    districts: int = 0
    regions: int = 0
    materials: int = 0
    photos: int = 0

    def as_dict(self):
        return asdict(self)

    def __bool__(self):
        return self.materials > 0

    def sentence(self):
        """«23 библиотеки из 15 муниципальных районов и 2 регионов, из них сельских — 14,
        предоставили 40 материалов и 180 фотографий.» — with correct plural forms."""
        parts = {
            "libraries": ngettext("%(count)s библиотека", "%(count)s библиотеки", self.libraries)
            % {"count": self.libraries},
            "districts": ngettext(
                "%(count)s муниципального района", "%(count)s муниципальных районов", self.districts
            )
            % {"count": self.districts},
            "regions": ngettext("%(count)s региона", "%(count)s регионов", self.regions)
            % {"count": self.regions},
            "rural": self.rural,
            "verb": ngettext("предоставила", "предоставили", self.libraries),
            "materials": ngettext("%(count)s материал", "%(count)s материала", self.materials)
            % {"count": self.materials},
            "photos": ngettext("%(count)s фотографию", "%(count)s фотографии", self.photos)
            % {"count": self.photos},
        }
        return (
            gettext(
                "%(libraries)s из %(districts)s и %(regions)s, из них сельских — %(rural)s, "
                "%(verb)s %(materials)s и %(photos)s."
            )
            % parts
        )


def _aggregates():
    district_key = Concat(
        "library__region", Value("|"), "library__district", output_field=CharField()
    )
    return {
        "libraries": Count("library", distinct=True),
        "rural": Count("library", filter=Q(library__is_rural=True), distinct=True),
        "districts": Count(district_key, filter=~Q(library__district=""), distinct=True),
        "regions": Count("library__region", distinct=True),
        "materials": Count("pk", distinct=True),
        "photos": Coalesce(Sum("photo_count"), 0),
    }


def counted_contributions():
    """Published, public contributions in the site's source language (translations of a
    material are not counted twice)."""
    from .models import ContributionPage

    return (
        ContributionPage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE, library__isnull=False)
    )


def stats_by_project(projects):
    """``{translation_key: ParticipationStats}`` for the given projects, in one query.

    Keyed by translation key so a project's translations share its figures.
    """
    keys = {project.translation_key for project in projects}
    if not keys:
        return {}
    rows = (
        counted_contributions()
        .filter(project__translation_key__in=keys)
        .values("project__translation_key")
        .annotate(**_aggregates())
        .order_by()
    )
    result = {key: ParticipationStats() for key in keys}
    for row in rows:
        key = row.pop("project__translation_key")
        result[key] = ParticipationStats(**row)
    return result


def stats_for_project(project):
    return stats_by_project([project])[project.translation_key]


def stats_overall(projects=None):
    """Figures across the given projects (or all): a library counts once however many
    projects it took part in."""
    qs = counted_contributions()
    if projects is not None:
        qs = qs.filter(project__translation_key__in={p.translation_key for p in projects})
    row = qs.aggregate(**_aggregates())
    return ParticipationStats(**{k: v or 0 for k, v in row.items()})


def stats_by_library(project):
    """Rows per library for one project (the CSV for annual reports)."""
    return (
        counted_contributions()
        .filter(project__translation_key=project.translation_key)
        .values(
            "library__title",
            "library__library_type",
            "library__is_rural",
            "library__district",
            "library__region",
        )
        .annotate(materials=Count("pk"), photos=Coalesce(Sum("photo_count"), 0))
        .order_by("library__region", "library__district", "library__title")
    )
