"""Factories for the project's page types (wagtail-factories)."""

import datetime

import factory
import wagtail_factories

from network.models import LibraryIndexPage, LibraryPage, LibraryType
from projects.models import ContributionPage, Nomination, ProjectIndexPage, ProjectPage


class LibraryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Библиотеки"
    slug = factory.Sequence(lambda n: f"biblioteki-{n}")

    class Meta:
        model = LibraryIndexPage


class LibraryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Сельская библиотека № {n}")
    slug = factory.Sequence(lambda n: f"library-{n}")
    library_type = LibraryType.RURAL
    region = "Калужская область"
    district = "Износковский"
    settlement = factory.Sequence(lambda n: f"д. Деревня {n}")

    class Meta:
        model = LibraryPage


class ProjectIndexPageFactory(wagtail_factories.PageFactory):
    title = "Проекты"
    slug = factory.Sequence(lambda n: f"proekty-{n}")

    class Meta:
        model = ProjectIndexPage


class ProjectPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Сетевой проект {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    start_year = 2020
    status = "open"

    class Meta:
        model = ProjectPage


class NominationFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Номинация {n}")

    class Meta:
        model = Nomination


class ContributionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Материал {n}")
    slug = factory.Sequence(lambda n: f"material-{n}")
    date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))

    class Meta:
        model = ContributionPage
