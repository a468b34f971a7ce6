"""Every public page type renders with the same number of database queries for 10 or 500 of
what it shows (issue #8): children, blocks, gallery photos, heroes, memorials, search hits,
feed entries, sitemap URLs.

Each case builds its page with ``FEW`` items, measures it, grows it to ``MANY`` and measures
again: the counts must be equal (a paginated list shows at most a page, but a full page must
cost what a short one does). A measurement is of a cold cache: a first request makes the
renditions and whatever else is done once, then every cache is cleared and the second request
is counted — a restarted cache, or another worker's renditions, must not turn a page into a
query per picture. On a difference the failure lists the queries one run made more often
than the other (literal values blanked out) and the start of the diff of both runs' SQL.

The data is written in bulk (``add_pages``: tree paths decided in memory, no revisions, no
search indexing unless asked for), and every picture is a distinct ``Image`` row sharing one
small file, whose renditions are copied from the first ones made (``share_renditions``).
"""

import datetime
import difflib
import re
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale, Page

import pytest
from wagtailmedia.models import Media

from memorials.importer import PathAllocator, deferred_indexing, index_pages
from memorials.models import HeroIndexPage, HeroMemorial, HeroPage, MemorialIndexPage, MemorialPage
from network.models import LibraryIndexPage, LibraryPage, LibraryType
from network.regions import DISTRICTS
from projects.models import (
    ChronicleDate,
    ContributionPage,
    Nomination,
    ProjectDocument,
    ProjectIndexPage,
    ProjectPage,
)

pytestmark = pytest.mark.django_db

FEW = 10
MANY = 500


# -- measuring -----------------------------------------------------------------------------


def clear_caches():
    for alias in settings.CACHES:
        caches[alias].clear()


def queries_of(client, url):
    """The SQL of a cold-cache request of ``url`` (see the module's docstring) and its HTML."""
    assert client.get(url).status_code == 200, url  # renditions made, one-off work done
    clear_caches()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    assert context.captured_queries, f"{url} was not rendered (served from a cache?)"
    return [query["sql"] for query in context.captured_queries], response.content.decode()


_NUMBERS = re.compile(r"\b\d+\b")
_SAVEPOINTS = re.compile(r'"s\d+_x\d+"')
_LISTS = re.compile(r"\((?:\s*(?:%s|N|'[^']*'|\"[^\"]*\")\s*,?)+\)")


def normalised(sql, length=300):
    """A query without its literal values, so two runs' queries line up; long ones cut."""
    sql = _LISTS.sub("(…)", _NUMBERS.sub("N", _SAVEPOINTS.sub("SAVEPOINT", sql)))
    return sql if len(sql) <= length else sql[: length - 1] + "…"


def difference(url, few, many, lines=40):
    """What the run with more items did differently: the queries that one run made more
    often than the other, then the start of the diff of both runs' queries in order."""
    few, many = [normalised(sql) for sql in few], [normalised(sql) for sql in many]
    more, fewer = Counter(many) - Counter(few), Counter(few) - Counter(many)
    extra = [f"  {count:+d} × {sql}" for sql, count in more.items()]
    extra += [f"  {-count:+d} × {sql}" for sql, count in fewer.items()]
    diff = list(
        difflib.unified_diff(
            few,
            many,
            f"{url} with {FEW} items: {len(few)} queries",
            f"{url} with {MANY} items: {len(many)} queries",
            lineterm="",
            n=1,
        )
    )
    if len(diff) > lines:
        diff = [*diff[:lines], f"… ({len(diff) - lines} more lines)"]
    return "\n".join([f"{url}: queries made more (+) or less (-) often with {MANY} items:",
                      *extra, *diff])  # fmt: skip


@dataclass
class Probe:
    """A URL to measure, and what proves it shows the items: each marker of ``expect``
    occurs at least that many times in its response."""

    url: str
    expect: dict


# -- writing data in bulk ------------------------------------------------------------------


def add_pages(parent, pages):
    """``pages`` (unsaved specific pages) as live children of ``parent``, in few queries each.

    What treebeard and Wagtail's ``add_child`` would leave (tree path, url_path, locale, child
    count), without revisions, log entries, per-save validation or search indexing (the
    search case indexes its pages at once with ``index_pages``).
    """
    paths = PathAllocator()
    now = timezone.now()
    with deferred_indexing({type(page) for page in pages}):
        for position, page in enumerate(pages):
            page.slug = page.slug or f"{type(page).__name__.lower()}-{uuid.uuid4().hex[:12]}"
            page.depth = parent.depth + 1
            page.path = paths.allocate(parent)
            page.numchild = 0
            page.locale_id = parent.locale_id
            page.draft_title = page.title
            page.live = True
            page.has_unpublished_changes = False
            published = now - datetime.timedelta(minutes=len(pages) - position)
            page.first_published_at = page.last_published_at = published
            page._cached_parent_obj = parent
            page.save(clean=False, log_action=None)
        paths.flush()
    return pages


def translations(sources, parent, title="{title} (en)"):
    """English translations of ``sources`` (copies of their fields, the same translation
    key) under ``parent``, as wagtail-localize would leave them: links to other pages (a
    material's project, a hero's memorials) still name the Russian pages."""
    pages = []
    for source in sources:
        values = {
            field.attname: getattr(source, field.attname)
            for field in type(source)._meta.concrete_fields
            if field.model is not Page and not field.primary_key
        }
        values["title"] = title.format(title=source.title)
        values["translation_key"] = source.translation_key
        values["slug"] = source.slug
        pages.append(type(source)(**values))
    return add_pages(parent, pages)


def stream(*blocks):
    return [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]


def items(values):
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def photo(image, n):
    return {"image": image.pk, "caption": f"Подпись {n}", "credit": "Фото из архива",
            "alt_text": f"Снимок {n}"}  # fmt: skip


def pairs(ru, en):
    return list(zip(ru, en, strict=True))


class World:
    """The site in Russian and English, built on demand, and what the cases grow.

    ``ensure(key, count, make)`` grows the list ``key`` to ``count`` items with
    ``make(start, stop)``; most lists hold (Russian page, English page) pairs.
    """

    def __init__(self, home):
        self.home = home
        self.english = Locale.objects.get(language_code="en")
        self.data = {}

    def ensure(self, key, count, make):
        have = self.data.setdefault(key, [])
        if len(have) < count:
            have.extend(make(len(have), count))
        return have[:count]

    # -- files ---------------------------------------------------------------------------
    @cached_property
    def seed_image(self):
        return get_image_model().objects.create(
            title="Фотография", file=get_test_image_file(filename="photo.png", size=(48, 32))
        )

    def images(self, count, title="Фотография"):
        """``count`` new images, each its own row, all sharing the seed's file."""
        Image = get_image_model()
        seed = self.seed_image
        return Image.objects.bulk_create(
            Image(
                title=f"{title} {n}",
                description=f"{title} {n}: люди у обелиска",
                file=seed.file.name,
                width=seed.width,
                height=seed.height,
                file_size=seed.file_size,
                file_hash=seed.file_hash,
                collection_id=seed.collection_id,
            )
            for n in range(count)
        )

    def share_renditions(self):
        """Give every image sharing the seed's file each rendition one of them has: the
        same file makes the same rendition, and making thousands would take minutes."""
        Image = get_image_model()
        Rendition = Image.get_rendition_model()
        images = Image.objects.filter(file=self.seed_image.file.name)
        made, have = {}, set()
        for rendition in Rendition.objects.filter(image__in=images):
            made.setdefault((rendition.filter_spec, rendition.focal_point_key), rendition)
            have.add((rendition.image_id, rendition.filter_spec, rendition.focal_point_key))
        Rendition.objects.bulk_create(
            (
                Rendition(
                    image_id=image_id,
                    filter_spec=spec,
                    focal_point_key=key,
                    file=rendition.file.name,
                    width=rendition.width,
                    height=rendition.height,
                )
                for image_id in images.values_list("pk", flat=True)
                for (spec, key), rendition in made.items()
                if (image_id, spec, key) not in have
            ),
            batch_size=500,
        )

    @cached_property
    def seed_document(self):
        return get_document_model().objects.create(
            title="Положение о конкурсе",
            file=ContentFile(b"%PDF-1.4 " + b"x" * 2039, name="polozhenie.pdf"),
        )

    def documents(self, count):
        Document = get_document_model()
        seed = self.seed_document
        return Document.objects.bulk_create(
            Document(
                title=f"Документ {n}",
                file=seed.file.name,
                file_size=seed.file_size,
                file_hash=seed.file_hash,
                collection_id=seed.collection_id,
            )
            for n in range(count)
        )

    @cached_property
    def captions(self):
        return get_document_model().objects.create(
            title="Субтитры", file=ContentFile(b"WEBVTT\n", name="captions.vtt")
        )

    @cached_property
    def seed_video(self):
        return Media.objects.create(
            title="Буктрейлер",
            file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="trailer.mp4"),
            type="video",
            duration=60,
            width=640,
            height=360,
        )

    def videos(self, count):
        seed = self.seed_video
        return Media.objects.bulk_create(
            Media(
                title=f"Буктрейлер {n}",
                file=seed.file.name,
                type="video",
                duration=60,
                width=640,
                height=360,
                collection_id=seed.collection_id,
            )
            for n in range(count)
        )

    # -- the tree ------------------------------------------------------------------------
    def _translated(self, page):
        translation = page.copy_for_translation(self.english)
        translation.save_revision().publish()
        return type(page).objects.get(pk=translation.pk)

    @cached_property
    def home_en(self):
        return self._translated(self.home)

    def _index(self, model, slug, title):
        self.home_en  # noqa: B018  (the English tree first)
        page = model(title=title, slug=slug)
        self.home.add_child(instance=page)
        page.save_revision().publish()
        return page, self._translated(page)

    @cached_property
    def library_index(self):
        return self._index(LibraryIndexPage, "biblioteki", "Библиотеки")

    @cached_property
    def project_index(self):
        return self._index(ProjectIndexPage, "proekty", "Проекты")

    @cached_property
    def memorial_index(self):
        return self._index(MemorialIndexPage, "pamyatniki", "Памятники")

    @cached_property
    def hero_index(self):
        return self._index(HeroIndexPage, "kniga-pamyati", "Книга памяти")

    def libraries(self, count):
        """Libraries with photos, in every district of the region."""

        def make(start, stop):
            ru_index, en_index = self.library_index
            photos = self.images(stop - start, "Здание библиотеки")
            pages = []
            for n, image in zip(range(start, stop), photos, strict=True):
                district = DISTRICTS[n % len(DISTRICTS)]
                pages.append(
                    LibraryPage(
                        title=f"Сельская библиотека № {n}",
                        short_name=f"Библиотека № {n}",
                        slug=f"library-{n}",
                        library_type=LibraryType.values[n % len(LibraryType.values)],
                        region="Калужская область",
                        district=district.name,
                        settlement=f"д. Деревня {n}",
                        latitude=Decimal("54.0") + Decimal(n % 100) / 100,
                        longitude=Decimal("35.5") + Decimal(n // 100) / 100,
                        photo=image,
                    )
                )
            add_pages(ru_index, pages)
            return pairs(pages, translations(pages, en_index, "Library {title}"))

        return self.ensure("libraries", count, make)

    @cached_property
    def library(self):
        return self.libraries(1)[0]

    def make_projects(self, start, stop, **fields):
        ru_index, en_index = self.project_index
        covers = self.images(stop - start, "Обложка проекта")
        pages = [
            ProjectPage(
                **{
                    "title": f"Сетевой проект {n}",
                    "slug": f"project-{n}",
                    "start_year": 2000 + n % 25,
                    "end_year": 2000 + n % 25 + 1,
                    "theme_of_year": f"Тема {n % 7}",
                    "status": ("open", "announced", "closed", "results")[n % 4],
                    "intro": f"Проект {n} о памяти.",
                    "cover_image": image,
                    **fields,
                }
            )
            for n, image in zip(range(start, stop), covers, strict=True)
        ]
        add_pages(ru_index, pages)
        return pairs(pages, translations(pages, en_index, "Project {title}"))

    def projects(self, count):
        return self.ensure("projects", count, self.make_projects)

    @cached_property
    def project(self):
        return self.make_projects(0, 1, slug="pamyat-pokolenij")[0]

    def contributions(self, key, count, libraries, project, body=None, **fields):
        """Materials with covers in ``project``, spread over ``libraries`` (pairs)."""

        def make(start, stop):
            ru_project = project[0]
            covers = self.images(stop - start, "Обложка")
            groups = {}
            for n, image in zip(range(start, stop), covers, strict=True):
                page = ContributionPage(
                    title=f"Материал {n} о Козельске",
                    project=ru_project,
                    settlement=f"д. Деревня {n}",
                    date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
                    intro=f"Материал {n} о героях села.",
                    cover_image=image,
                    body=body(n) if body else [],
                    **{name: value(n) for name, value in fields.items()},
                )
                groups.setdefault(n % len(libraries), []).append(page)
            made = []
            for position, pages in groups.items():
                ru_library, en_library = libraries[position]
                add_pages(ru_library, pages)
                made += pairs(pages, translations(pages, en_library, "Material {title}"))
            return made

        return self.ensure(key, count, make)

    def memorials(self, key, count, library=None):
        """Memorials with photos, of every kind, in every district, described by ``library``."""

        def make(start, stop):
            ru_library, en_library = library or self.library
            photos = self.images(stop - start, "Памятник")
            kinds = ["obelisk", "mass_grave", "monument", "stele", "bust", "plaque"]
            pages = [
                MemorialPage(
                    title=f"Обелиск воинам-землякам № {n} в Козельске",
                    slug=f"{key}-{n}",
                    kind=kinds[n % len(kinds)],
                    latitude=Decimal("54.0") + Decimal(n % 100) / 1000,
                    longitude=Decimal("35.5") + Decimal(n // 100) / 1000,
                    settlement=f"д. Деревня {n}",
                    district=DISTRICTS[n % len(DISTRICTS)].name,
                    year_unveiled=1960 + n % 40,
                    ref=f"{key}-m{n}",
                    photo=image,
                )
                for n, image in zip(range(start, stop), photos, strict=True)
            ]
            add_pages(ru_library, pages)
            return pairs(pages, translations(pages, en_library, "Obelisk {title}"))

        return self.ensure(key, count, make)

    def heroes(self, key, count, memorials=(), **fields):
        """Heroes of the Book of Memory named on ``memorials`` (pairs)."""

        def make(start, stop):
            ru_index, en_index = self.hero_index
            photos = self.images(stop - start, "Портрет")
            letters = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ"
            pages = [
                HeroPage(
                    last_name=f"{letters[n % len(letters)]}ванов{n}",
                    first_name="Иван",
                    patronymic="Иванович",
                    title=f"{letters[n % len(letters)]}ванов{n} Иван Иванович",
                    slug=f"hero-{key}-{n}",
                    birth_year=1915,
                    death_year=1942,
                    rank="рядовой",
                    fate="killed",
                    unit="1134-й стрелковый полк",
                    biography="<p>Родился в Козельском районе.</p>",
                    ref=f"{key}-h{n}",
                    photo=image,
                    library=self.library[0],
                    **fields,
                )
                for n, image in zip(range(start, stop), photos, strict=True)
            ]
            add_pages(ru_index, pages)
            english = translations(pages, en_index, "Hero {title}")
            HeroMemorial.objects.bulk_create(
                HeroMemorial(page=hero, memorial=ru_memorial, sort_order=position)
                for hero in pages + english
                for position, (ru_memorial, _en) in enumerate(memorials)
            )
            return pairs(pages, english)

        return self.ensure(key, count, make)

    def link(self, hero, memorials):
        """Name ``hero`` (a pair) on more ``memorials`` (pairs)."""
        start = HeroMemorial.objects.filter(page=hero[0]).count()
        HeroMemorial.objects.bulk_create(
            HeroMemorial(page=page, memorial=ru_memorial, sort_order=start + position)
            for page in hero
            for position, (ru_memorial, _en) in enumerate(memorials)
        )


# -- the page types ------------------------------------------------------------------------

#: «В этот день» on the home page looks at this day.
DAY = datetime.date(2025, 3, 12)
CASES = {}


def case(func):
    CASES[func.__name__.replace("_", "-")] = func
    return func


def both(pair, marker, count, suffix=""):
    """Probes of the Russian page of ``pair`` and of its English translation, each showing
    ``marker`` at least ``count`` times."""
    return [Probe(page.url + suffix, {marker: count}) for page in pair]


def contribution_body(world, count):
    """Every block type: a chronicle of ``count`` entries with a photo each, a gallery of
    ``count`` photos and ``count`` blocks of the other kinds in turn."""
    images = iter(world.images(4 * count, "Снимок"))
    documents = iter(world.documents(count))
    videos = iter(world.videos(count))
    entries = [
        {"year": 1941 + n % 4, "month": str(1 + n % 12), "day": 1 + n % 28,
         "heading": f"Событие {n}", "text": f"<p>Запись {n}.</p>",
         "photos": items([photo(next(images), n)])}
        for n in range(count)
    ]  # fmt: skip
    others = [
        lambda n: ("book_trailer", {"video": next(videos).pk, "link": "", "poster": next(images).pk,
                                    "book_author": "Юрий Бондарев", "book_title": f"Книга {n}",
                                    "book_year": 1970, "annotation": "О войне.",
                                    "captions": world.captions.pk}),
        lambda n: ("book_trailer", {"video": None, "poster": None, "captions": None,
                                    "link": "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
                                    "book_author": "", "book_title": f"Книга {n}",
                                    "book_year": None, "annotation": ""}),
        lambda n: ("postcard", {"image": next(images).pk, "occasion": "9 Мая",
                                "greeting": "С Днём Победы!", "text_equivalent": f"Открытка {n}"}),
        lambda n: ("place", {"label": f"Место {n}", "latitude": 54.5, "longitude": 36.2,
                             "description": "Братская могила."}),
        lambda n: ("document", {"document": next(documents).pk, "title": ""}),
        lambda n: ("quote", {"text": f"Цитата {n}", "author": "Симонов", "source": "1941"}),
        lambda n: ("text", f"<p>Текст {n}.</p>"),
    ]  # fmt: skip
    return stream(
        ("chronicle", {"title": "Летопись", "entries": items(entries)}),
        ("gallery", {"title": "Галерея", "images": items(photo(next(images), n) for n in range(count))}),
        *(others[n % len(others)](n) for n in range(count)),
    )  # fmt: skip


@case
def home(world, count):
    libraries = world.libraries(3)
    materials = world.contributions("materials", count, libraries, world.project)
    world.projects(count)

    def on_the_day(start, stop):
        """A chronicle entry of the day in each new material (both languages)."""
        ChronicleDate.objects.bulk_create(
            ChronicleDate(page=page, locale_id=page.locale_id, month=DAY.month, day=DAY.day,
                          year=1941 + n % 4, heading=f"Событие {n}", text="Запись.")
            for n, pair in zip(range(start, stop), materials[start:stop], strict=True)
            for page in pair
        )  # fmt: skip
        return materials[start:stop]

    world.ensure("chronicle-dates", count, on_the_day)
    world.heroes("born", count, birth_date=DAY.replace(year=1915))
    return [
        Probe(page.url, {"card--contribution": min(count, 6), "on-this-day__page": 6})
        for page in (world.home, world.home_en)
    ]


@case
def project_index(world, count):
    world.projects(count)
    return both(world.project_index, "card--project", min(count, 12))


@case
def project(world, count):
    """Materials from many libraries, the project's documents, a body of a gallery and
    documents."""
    libraries = world.libraries(max(1, count // 10))
    world.contributions("materials", count, libraries, world.project)
    photos, documents = world.images(count, "Фото проекта"), world.documents(count)
    for page in world.project:
        have = page.documents.count()
        ProjectDocument.objects.bulk_create(
            ProjectDocument(page=page, document=document, sort_order=have + n)
            for n, document in enumerate(world.documents(count - have))
        )
        page.body = stream(
            ("gallery", {"title": "Галерея", "images": items(photo(image, n)
                                                             for n, image in enumerate(photos))}),
            *(("document", {"document": document.pk, "title": ""}) for document in documents),
        )  # fmt: skip
        page.save(clean=False, update_fields=["body"])
    return [
        Probe(page.url, {"card--contribution": min(count, 24), '<figure class="photo">': count})
        for page in world.project
    ]


@case
def contest(world, count):
    contest = world.data.get("contest")
    if contest is None:
        contest = world.data["contest"] = world.make_projects(
            0, 1, slug="konkurs", is_contest=True, status="results"
        )[0]
    for page in contest:
        have = page.nominations.count()
        Nomination.objects.bulk_create(
            Nomination(page=page, title=f"Номинация {n}", description="Условия.", sort_order=n)
            for n in range(have, count // 5)
        )
    nominations = list(contest[0].nominations.order_by("sort_order"))
    libraries = world.libraries(max(1, count // 10))
    world.contributions(
        "entries", count, libraries, contest,
        nomination=lambda n: nominations[n % len(nominations)],
        award=lambda n: ("1", "2", "3", "diploma", "special")[n % 5],
    )  # fmt: skip
    return [
        Probe(page.url, {"card--contribution": min(count, 24), "</strong> — <a": count})
        for page in contest
    ]


@case
def contribution(world, count):
    (material,) = world.contributions(
        f"material-{count}", 1, [world.library], world.project,
        body=lambda n: contribution_body(world, count),
    )  # fmt: skip
    return both(material, '<figure class="photo">', 2 * count)


@case
def library_index(world, count):
    world.libraries(count)
    return both(world.library_index, "card--library", min(count, 24))


@case
def library(world, count):
    world.contributions("materials", count, [world.library], world.project)
    world.memorials("memorials", count)
    return both(world.library, "card--contribution", min(count, 12))


@case
def memorial_map(world, count):
    memorials = world.memorials("map", count)
    world.heroes("heroes", count, memorials=memorials[:3])
    return [
        *both(world.memorial_index, "memorial-item__title", min(count, 50)),
        *both(world.memorial_index, "memorial-item__title", 1, "?kind=obelisk&district="
              + DISTRICTS[0].name),
        Probe("/api/memorials.geojson", {'"type":"Feature"': count}),
        Probe("/api/memorials.geojson?lang=en", {'"type":"Feature"': count}),
        Probe("/api/memorials.csv", {"map-m": count}),
        Probe("/api/heroes.csv", {"heroes-h": count}),
    ]  # fmt: skip


@case
def memorial(world, count):
    (memorial,) = world.memorials(f"memorial-{count}", 1)
    photos = world.images(count, "Памятник")
    for page in memorial:
        page.photos = stream(
            *(("photo", {"image": image.pk, "caption": f"Вид {n}", "author": "", "year": 2020})
              for n, image in enumerate(photos))
        )  # fmt: skip
        page.save(clean=False, update_fields=["photos"])
    world.heroes(f"heroes-{count}", count, memorials=[memorial])
    return both(memorial, "hero-item__name", min(count, 100))


@case
def hero_index(world, count):
    world.heroes("heroes", count)
    return [
        *both(world.hero_index, "hero-item__name", min(count, 50)),
        *both(world.hero_index, "hero-item__name", 1, "?letter=А"),
    ]


@case
def hero(world, count):
    (hero,) = world.heroes(f"hero-{count}", 1)
    world.link(hero, world.memorials(f"memorials-{count}", count))
    return both(hero, "memorial-item__title", count)


@case
def search(world, count):
    pages = {}
    for kind, made in (
        (HeroPage, world.heroes("heroes", count)),
        (MemorialPage, world.memorials("memorials", count)),
        (ContributionPage, world.contributions("materials", count, [world.library], world.project)),
    ):
        pages[kind] = {page.pk for pair in made for page in pair}
    index_pages(pages)
    hits, per_page = "search-result__title", min(count, 20)
    return [
        Probe("/search/?q=Козельск", {hits: per_page}),
        Probe("/en/search/?q=Козельск", {hits: per_page}),
        Probe("/search/?q=рядовой", {hits: per_page}),
        Probe("/search/?q=Козельск&type=memorial", {hits: per_page}),
        Probe("/search/?q=Козельск&format=json", {'"url"': per_page}),
        Probe("/search/suggest/?q=Обел", {"Обелиск": min(count, 10)}),
    ]


@case
def feeds(world, count):
    world.contributions("materials", count, [world.library], world.project)
    project, library, shown = world.project[0].slug, world.library[0].slug, min(count, 30)
    return [
        Probe(f"{prefix}/feeds/{feed}.{kind}", {"<item>" if kind == "rss" else "<entry>": shown})
        for prefix in ("", "/en")
        for feed in ("materials", f"project/{project}", f"library/{library}")
        for kind in ("rss", "atom")
    ]


@case
def sitemaps(world, count):
    world.libraries(count)
    world.contributions("materials", count, [world.library], world.project)
    world.memorials("memorials", count)
    world.heroes("heroes", count)
    return [
        Probe("/sitemap.xml", {"<sitemap>": 4}),
        *(
            Probe(f"/sitemap-{section}.xml", {"<url>": 2 * count})
            for section in ("pages", "materials", "memorials", "heroes")
        ),
    ]


@pytest.mark.parametrize("name", list(CASES))
def test_queries_do_not_grow_with_what_a_page_shows(name, client, home_page, monkeypatch):
    """Each probe of a case costs as many queries with ``MANY`` items as with ``FEW``
    (``-s`` prints the counts)."""
    from home import on_this_day

    monkeypatch.setattr(on_this_day, "today", lambda: DAY)
    world = World(home_page)
    runs = {}
    for count in (FEW, MANY):
        probes = CASES[name](world, count)
        world.share_renditions()
        runs[count] = []
        for probe in probes:
            sql, html = queries_of(client, probe.url)
            for marker, expected in probe.expect.items():
                shown = html.count(marker)
                assert shown >= expected, f"{probe.url}: {shown} × {marker!r}, not {expected}"
            runs[count].append((probe.url, sql))
    differences = [
        difference(few_url if few_url == many_url else f"{few_url} / {many_url}", few, many)
        for (few_url, few), (many_url, many) in zip(runs[FEW], runs[MANY], strict=True)
        if len(few) != len(many)
    ]
    counts = ", ".join(
        f"{url}: {len(few)}→{len(many)}"
        for (url, few), (_url, many) in zip(runs[FEW], runs[MANY], strict=True)
    )
    assert not differences, f"{counts}\n\n" + "\n\n".join(differences)
    print(f"{name}: {counts}")
