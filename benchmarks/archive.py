"""A large, realistic, deterministic archive written straight into the database.

``build_archive(pages)`` fills a freshly migrated database with ``pages`` published pages
in the project's real tree (see the README): the index pages, about 120 libraries and
10 projects (created with Wagtail's ``add_child`` and published: they are few), then
memorials (5 % of the pages) and contributions with StreamField bodies (2 %) under the
libraries, and heroes under the Book of Memory for the rest, written with bulk inserts.

Writing 100,000 pages through ``add_child()`` and ``publish()`` would take hours, so the
bulk pages are inserted the way the database would hold them after those calls, without
the per-page work: the ``wagtailcore_page`` rows with ``bulk_create`` (which returns the
new ids on PostgreSQL and SQLite ≥ 3.35), then the child table's rows (``page_ptr_id``
and the page type's own columns) with the same instances through Django's insert query,
as ``Model.save()`` itself writes a child table. Tree paths (treebeard's materialised path:
4 characters per level, 0-9A-Z), depth, ``numchild``, ``url_path``, slugs unique among
siblings, ``live`` and the publication dates, locale and ``translation_key`` are set as
Wagtail sets them, and so are the fields the page types derive on save (a hero's
``name_key``/``initial``, ``ref_key``, a memorial's or contribution's ``library``).
Not written for the bulk pages: revisions, history entries and the reference index
(pages made by a data migration have none either; the admin opens them all the same).
No signal fires, so nothing is indexed: the benchmark indexes afterwards, on its own clock.

Everything is drawn from ``random.Random(2026)``, block ids and translation keys included:
two builds of the same size hold the same archive.
"""

import datetime
import random
import time
import uuid
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from wagtail.models import Locale, Page, Site

from . import vocabulary as v

SEED = 2026
CHUNK = 1000
EPOCH = datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC)


class Writer:
    """Writes pages of one type under their parents with bulk inserts (see the module)."""

    def __init__(self, rng):
        self.rng = rng
        self.positions = {}  # parent pk → last child position
        self.slugs = defaultdict(set)  # parent pk → slugs taken
        self.parents = {}
        self.locale = Locale.get_default()

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def published_at(self):
        return EPOCH + datetime.timedelta(seconds=self.rng.randrange(10 * 365 * 86400))

    def _remember(self, parent):
        if parent.pk not in self.parents:
            self.parents[parent.pk] = parent
            last = (
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            self.positions[parent.pk] = Page._str2int(last[-Page.steplen :]) if last else 0
            self.slugs[parent.pk] = set(parent.get_children().values_list("slug", flat=True))

    def place(self, page, parent, slug_base):
        """Give ``page`` its place under ``parent``: path, depth, slug, url_path, locale…"""
        from home.text import slugify_ru

        self._remember(parent)
        position = self.positions[parent.pk] = self.positions[parent.pk] + 1
        page.path = Page._get_path(parent.path, parent.depth + 1, position)
        page.depth = parent.depth + 1
        page.numchild = 0
        taken = self.slugs[parent.pk]
        base = slugify_ru(slug_base) or "page"
        slug, suffix = base, 1
        while slug in taken:
            suffix += 1
            slug = f"{base}-{suffix}"
        taken.add(slug)
        page.slug = slug
        page.url_path = f"{parent.url_path}{slug}/"
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = self.published_at()
        page.locale = self.locale
        page.translation_key = self.uuid()
        return page

    def write(self, model, pages):
        """Insert ``pages`` (instances of ``model``, placed) in both tables; sets their ids."""
        child_fields = model._meta.local_concrete_fields
        with transaction.atomic():
            # Page's own manager writes the wagtailcore_page part of each instance and
            # gives back the ids, which become the child rows' page_ptr_id.
            Page.objects.bulk_create(pages, batch_size=500)
            for page in pages:
                page.page_ptr_id = page.id
            size = max(1, connection.ops.bulk_batch_size(child_fields, pages))
            for start in range(0, len(pages), min(size, 500)):
                model._base_manager._insert(
                    pages[start : start + min(size, 500)], fields=child_fields, using="default"
                )

    def finish(self):
        """Store the true number of children of every parent written to."""
        for parent in self.parents.values():
            count = Page.objects.filter(
                path__startswith=parent.path, depth=parent.depth + 1
            ).count()
            Page.objects.filter(pk=parent.pk).update(numchild=count)


def degrees(value):
    """A coordinate as the models store it: a Decimal with six places."""
    return Decimal(f"{value:.6f}")


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def feminine(surname):
    """The feminine form of a surname: Иванов → Иванова, Покровский → Покровская."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    if surname.endswith("ой"):
        return surname[:-2] + "ая"
    return surname  # Шевченко, Белых, Полищук, Жданович


def genitive(adjective):
    """«Козельский» → «Козельского» (every district's name is an adjective in -ий)."""
    return adjective[:-2] + "ого"


def instrumental(adjective):
    return adjective[:-2] + "им"


class Content:
    """The generator of every text: names, places, biographies, descriptions, bodies."""

    def __init__(self, rng):
        from network.regions import DISTRICTS

        self.rng = rng
        self.districts = DISTRICTS
        self.rural = [d for d in DISTRICTS if not d.is_city]
        # Zipf-like weights: the first surname ≈ 4 % of the heroes, the last ≈ 0.1 %.
        self.surname_weights = [1 / (rank + 1) ** 0.6 for rank in range(len(v.SURNAMES))]
        self.name_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(v.MALE_NAMES))]
        self.fathers = list(v.PATRONYMICS)
        self.father_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(self.fathers))]

    # -- places --------------------------------------------------------------------------
    def district(self):
        return self.rng.choice(self.districts)

    def centre(self, district):
        """(«г. Козельск», «Козельск»)."""
        _kind, _, name = district.centre.partition(" ")
        return district.centre, name

    def village(self, district):
        return f"{self.rng.choice(['д.', 'д.', 'с.'])} {self.rng.choice(v.VILLAGES)}"

    def home_place(self, district):
        """Where someone was born or lived, as the documents write it."""
        roll = self.rng.random()
        if district.is_city or roll < 0.15:
            return self.centre(district)[0]
        village = self.village(district)
        if roll < 0.3:
            return f"{village} {genitive(district.short_name)} уезда Калужской губернии"
        return f"{village} {genitive(district.short_name)} района"

    def commissariat(self, district):
        if district.is_city:
            return f"{v.CITY_ADJECTIVES[district.name]}им ГВК"
        return f"{instrumental(district.short_name)} РВК"

    # -- people --------------------------------------------------------------------------
    def person(self, rare=None):
        rng = self.rng
        female = rng.random() < 0.07
        surname = rare or rng.choices(v.SURNAMES, self.surname_weights)[0]
        father = rng.choices(self.fathers, self.father_weights)[0]
        if female:
            return feminine(surname), rng.choice(v.FEMALE_NAMES), v.PATRONYMICS[father][1], True
        first = rng.choices(v.MALE_NAMES, self.name_weights)[0]
        return surname, first, v.PATRONYMICS[father][0], False

    def initials(self):
        """«М. И. Кузнецова»: the authors of a library's material."""
        surname, first, patronymic, female = self.person()
        if not female:
            surname = feminine(surname)  # library staff are mostly women
            first = self.rng.choice(v.FEMALE_NAMES)
        return f"{first[0]}. {patronymic[0]}. {surname}"

    def date(self, year):
        """A day of the war in ``year``: «12 марта 1942 года» (22 June 1941 – 9 May 1945)."""
        month = self.rng.randint(7 if year == 1941 else 1, 5 if year == 1945 else 12)
        return f"{self.rng.randint(1, 28)} {MONTHS[month]} {year} года"

    def hero(self, rare=None):
        """The fields of one hero page (and ``home``, the district he came from)."""
        rng = self.rng
        last, first, patronymic, female = self.person(rare)
        a = "а" if female else ""  # the feminine ending of the past tense
        home = self.district()
        birth_year = rng.randint(1890, 1927)
        fate = weighted(rng, v.FATES)
        death_year = rng.randint(max(1941, birth_year + 16), 1945) if fate != "survived" else None
        rank = weighted(rng, v.FEMALE_RANKS if female else v.RANKS)
        birth_place = self.home_place(home)
        _, town = self.centre(home)
        told = []  # what the documents say besides the fate, in the order of a life
        if rng.random() < 0.5:
            told.append(f"Родил{'ась' if female else 'ся'} в {birth_year} году в {birth_place}.")
        if rng.random() < 0.4:
            job = rng.choice(v.JOBS)
            if female:
                job = job.replace("работал ", "работала ").replace("учился", "училась")
                job = job.replace("был ", "была ")
            if rng.random() < 0.3:
                told.append(f"До войны жил{a} в {v.CENTRE_LOCATIVE.get(town, town)}, {job}.")
            else:
                told.append(f"До войны {job}.")
        if rng.random() < 0.5:
            call_year = rng.randint(1941, death_year or 1943)
            told.append(f"Призван{a} {self.commissariat(home)} в {call_year} году.")
        if len(told) > 2:  # 1–3 sentences in all: drop one of the three
            del told[rng.randrange(3)]
        death_place = ""
        if fate == "killed":
            if rng.random() < 0.45:
                there = self.district()
                death_place = (
                    there.centre
                    if there.is_city
                    else f"{self.village(there)} {genitive(there.short_name)} района"
                )
                fell = (f"Погиб{'ла' if female else ''} в бою {self.date(death_year)} у "
                        f"{death_place}, похоронен{a} в братской могиле.")  # fmt: skip
            else:
                phrase, death_place, since, until = rng.choice(v.FAR_PLACES)
                fought = min(max(death_year, since), until)  # a year of the fighting there
                if fought >= birth_year + 16:
                    death_year = fought
                fell = f"Погиб{'ла' if female else ''} {phrase} {self.date(death_year)}."
        elif fate == "missing":
            fell = f"Пропал{a} без вести в {death_year} году."
        elif fate == "died_of_wounds":
            hospital = rng.choice(self.districts)
            _, hospital_town = self.centre(hospital)
            death_place = hospital.centre
            fell = (f"Умер{'ла' if female else ''} от ран в эвакогоспитале № "
                    f"{rng.randint(1000, 5999)} в {v.CENTRE_LOCATIVE.get(hospital_town, hospital_town)} "
                    f"{self.date(death_year)}.")  # fmt: skip
        else:
            fell = f"Вернул{'ась' if female else 'ся'} с войны, работал{a} в колхозе."
        sentences = [*told, fell]
        if rng.random() < 0.15:
            sentences = [*told[:1], fell, "Письма с фронта хранятся в семье и в библиотеке."]
        awards = rng.sample(v.AWARDS, rng.choice([0, 0, 0, 1, 1, 2]))
        return {
            "last_name": last,
            "first_name": first,
            "patronymic": patronymic,
            "birth_year": birth_year if rng.random() < 0.9 else None,
            "birth_place": birth_place,
            "death_year": death_year,
            "death_place": death_place,
            "rank": rank,
            "unit": self.unit() if rng.random() < 0.7 else "",
            "fate": fate,
            "awards": "\n".join(awards),
            "biography": "<p>" + " ".join(sentences) + "</p>",
            "home": home,
        }

    def unit(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            return (f"{rng.randint(100, 1350)}-й стрелковый полк "
                    f"{rng.randint(1, 380)}-й стрелковой дивизии")  # fmt: skip
        if roll < 0.7:
            return f"{rng.randint(1, 120)}-й гвардейский стрелковый полк"
        if roll < 0.8:
            return f"{rng.randint(1, 250)}-я танковая бригада"
        if roll < 0.9:
            return f"{rng.randint(1, 400)}-й отдельный сапёрный батальон"
        return f"партизанский отряд «{rng.choice(['Смерть фашизму', 'За Родину', 'Мститель'])}»"

    # -- memorials -----------------------------------------------------------------------
    def memorial(self, district):
        rng = self.rng
        kind = weighted(rng, v.MEMORIAL_KINDS)
        in_centre = district.is_city or rng.random() < 0.15
        settlement = self.centre(district)[0] if in_centre else self.village(district)
        year = rng.choice(
            [rng.randint(1946, 1960), rng.randint(1961, 1990), rng.randint(1991, 2023)]
        )
        burial = kind in ("mass_grave", "complex")
        known = rng.randint(3, 400) if burial else None
        unknown = rng.randint(0, 150) if burial else None
        where = settlement
        _, town = self.centre(district)
        if in_centre:
            where = v.CENTRE_LOCATIVE.get(town, town)
        description = (
            f"<p>{v.MEMORIAL_TITLES[kind][0]} установлен{'а' if kind in ('mass_grave', 'stele', 'plaque') else ''} "
            f"в {year} году в {where}.</p>"
        )
        if burial:
            description += (
                f"<p>Здесь похоронены {known} воинов, погибших в боях за "
                f"{'город' if district.is_city else district.name} в 1941–1943 годах; "
                f"имена {unknown} бойцов не установлены.</p>"
            ).replace("  ", " ")
        checked = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))
        return {
            "title": rng.choice(v.MEMORIAL_TITLES[kind]),
            "kind": kind,
            "latitude": degrees(district.lat + rng.uniform(-0.12, 0.12)),
            "longitude": degrees(district.lon + rng.uniform(-0.18, 0.18)),
            "settlement": settlement,
            "district": district.name,
            "address": rng.choice(v.ADDRESSES),
            "year_unveiled": year,
            "sculptor": rng.choice(v.SCULPTORS) if rng.random() < 0.1 else "",
            "inscription": rng.choice(v.INSCRIPTIONS),
            "buried_known": known,
            "buried_unknown": unknown,
            "heritage_number": f"40{rng.randint(10, 99)}{rng.randint(10**8, 10**9 - 1)}"
            if rng.random() < 0.3
            else "",
            "condition": rng.choice(["good", "good", "fair", "poor"]),
            "condition_checked": checked,
            "custodian": rng.choice(v.CUSTODIANS),
            "description": description,
        }

    # -- contributions -------------------------------------------------------------------
    def block(self, block_type, value, writer):
        return {"type": block_type, "value": value, "id": str(writer.uuid())}

    def contribution(self, library, project_title, writer):
        rng = self.rng
        place = (library.settlement or library.title).split(" ", 1)[-1]
        hero = self.person()
        kind = rng.randrange(4)
        if kind == 0:
            title = f"{place}: летопись военных лет"
            intro = f"Хроника {place} в 1941–1945 годах по документам и воспоминаниям старожилов."
        elif kind == 1:
            title = f"Обелиск павшим землякам: {place}"
            intro = "Памятник, имена на нём и судьбы тех, кого удалось найти."
        elif kind == 2:
            title = (
                f"История семьи {hero[0]}ых"
                if hero[0].endswith(("ов", "ев", "ин"))
                else f"{'Землячка' if hero[3] else 'Земляк'}: {hero[0]} {hero[1]} {hero[2]}"
            )
            intro = f"Судьба земляка ({hero[0]} {hero[1]} {hero[2]}) по рассказам внуков."
        else:
            title = f"История села {place}"
            intro = "Главы летописи села: от основания до наших дней."
        events = rng.sample(v.CHRONICLE_EVENTS, rng.randint(3, 6))
        events.sort(key=lambda e: (e[0], e[1] or 0))
        entries = []
        for year, month, heading, text in events:
            entries.append({
                "type": "item",
                "id": str(writer.uuid()),
                "value": {
                    "year": year,
                    "month": str(month) if month else "",
                    "day": rng.randint(1, 28) if month and rng.random() < 0.5 else None,
                    "heading": heading,
                    "text": f"<p>{text} {place}.</p>",
                    "photos": [],
                },
            })  # fmt: skip
        body = [
            self.block("text", f"<p>Материал подготовлен сотрудниками библиотеки по архивным "
                               f"документам и воспоминаниям жителей: {library.settlement}. "
                               f"В нём — судьба земляка: {hero[0]} {hero[1]} {hero[2]}, "
                               f"{'рядовой' if not hero[3] else 'санинструктор'}, "
                               f"{self.unit() if not hero[3] else 'медсанбат'}.</p>", writer),
            self.block("chronicle", {"title": f"Хроника: {place} в годы войны", "entries": entries},
                       writer),
        ]  # fmt: skip
        if rng.random() < 0.5:
            text, author = rng.choice(v.QUOTES)
            body.append(self.block("quote", {"text": text, "author": author, "source": ""}, writer))
        if rng.random() < 0.4 and library.latitude is not None:
            body.append(self.block("place", {
                "label": f"Обелиск, {library.settlement}",
                "latitude": round(float(library.latitude) + rng.uniform(-0.02, 0.02), 6),
                "longitude": round(float(library.longitude) + rng.uniform(-0.02, 0.02), 6),
                "description": "",
            }, writer))  # fmt: skip
        return {
            "title": title,
            "settlement": library.settlement,
            "authors": ", ".join(self.initials() for _ in range(rng.randint(1, 2))),
            "date": datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(11 * 365)),
            "intro": intro,
            "body": body,
        }


MONTHS = ["", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
          "сентября", "октября", "ноября", "декабря"]  # fmt: skip


def plan(pages):
    """How many pages of each kind make ``pages`` in all (the rest are heroes)."""
    libraries = max(5, min(120, round(pages * 120 / 100_000)))
    projects = min(len(v.PROJECTS), max(3, pages // 1000))
    memorials = round(pages * 0.05)
    contributions = round(pages * 0.02)
    fixed = 1 + 4 + libraries + projects  # the home page, the index pages
    heroes = pages - fixed - memorials - contributions
    if heroes < 0:
        raise ValueError(f"at least {fixed + memorials + contributions} pages are needed")
    return {
        "libraries": libraries,
        "projects": projects,
        "memorials": memorials,
        "contributions": contributions,
        "heroes": heroes,
    }


def publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_archive(pages, progress=None, progress_every=10_000):
    """Fill a freshly migrated database with ``pages`` pages; returns the figures.

    ``progress(message)`` receives a line every ``progress_every`` pages.
    """
    from home.models import HomePage
    from memorials.models import (
        HeroIndexPage,
        HeroMemorial,
        HeroPage,
        MemorialIndexPage,
        MemorialPage,
    )
    from memorials.text import fold, full_name, initial_of
    from network.models import LibraryIndexPage, LibraryPage, LibraryType
    from projects.models import ContributionPage, ProjectIndexPage, ProjectPage

    say = progress or (lambda message: None)
    counts = plan(pages)
    rng = random.Random(SEED)
    content = Content(rng)
    writer = Writer(rng)
    started = time.monotonic()

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):  # pragma: no cover - the migration creates it
        raise RuntimeError("the default site's root page is not a HomePage")

    # -- the few pages, made as an editor would make them --------------------------------
    directory = publish_child(home, LibraryIndexPage(title="Библиотеки", slug="biblioteki"))
    project_index = publish_child(home, ProjectIndexPage(title="Сетевые проекты", slug="proekty"))
    publish_child(home, MemorialIndexPage(title="Памятники", slug="pamyatniki"))
    book = publish_child(home, HeroIndexPage(title="Книга памяти", slug="kniga-pamyati"))

    libraries = []
    regional = publish_child(directory, LibraryPage(
        title="Калужская областная научная библиотека им. В. Г. Белинского",
        short_name="Областная библиотека", slug="oblastnaya", library_type=LibraryType.REGIONAL,
        district="город Калуга", settlement="г. Калуга", latitude=Decimal("54.513800"), longitude=Decimal("36.261200"),
    ))  # fmt: skip
    libraries.append(regional)
    districts = content.districts
    for n in range(1, counts["libraries"]):
        district = districts[(n - 1) % len(districts)]
        first_round = n <= len(districts)
        if first_round:
            kind = LibraryType.CITY if district.is_city else LibraryType.CENTRAL
            settlement = district.centre
            adjective = (
                (v.CITY_ADJECTIVES.get(district.name, "") + "ая")
                if district.is_city
                else district.short_name[:-2] + "ая"
            )
            title = (
                f"{adjective} центральная городская библиотека"
                if district.is_city
                else f"{adjective} центральная районная библиотека"
            )
        else:
            kind = LibraryType.RURAL if rng.random() < 0.8 else LibraryType.CHILDREN
            settlement = content.village(district)
            title = (
                f"Библиотека-филиал № {n} ({settlement})"
                if kind == LibraryType.RURAL
                else f"Детская библиотека № {n} ({settlement})"
            )
        library = publish_child(directory, LibraryPage(
            title=title, short_name=title.split(" (")[0], slug=f"biblioteka-{n}",
            library_type=kind, district=district.name, settlement=settlement,
            latitude=degrees(district.lat + rng.uniform(-0.08, 0.08)),
            longitude=degrees(district.lon + rng.uniform(-0.12, 0.12)),
            description=f"<p>{title}: фонды по истории края, встречи, краеведческие чтения.</p>",
        ))  # fmt: skip
        libraries.append(library)
    projects = []
    for n, (title, start, end, status, theme) in enumerate(v.PROJECTS[: counts["projects"]]):
        projects.append(publish_child(project_index, ProjectPage(
            title=title, slug=f"proekt-{n + 1}", start_year=start, end_year=end, status=status,
            theme_of_year=theme, regions="Калужская область",
            intro=f"Сетевой проект библиотек области «{title}».",
        )))  # fmt: skip
    few = time.monotonic() - started
    say(f"  {len(libraries)} libraries, {len(projects)} projects and the index pages "
        f"(add_child + publish): {few:.1f} s")  # fmt: skip

    by_district = defaultdict(list)
    for library in libraries:
        by_district[library.district].append(library)

    written = 1 + 4 + len(libraries) + len(projects)
    next_report = (written // progress_every + 1) * progress_every

    def tick(count):
        nonlocal written, next_report
        written += count
        if written >= next_report or written == pages:
            elapsed = time.monotonic() - started
            say(f"  {written:>7,} / {pages:,} pages  {elapsed:6.1f} s  "
                f"({written / elapsed:,.0f} pages/s)")  # fmt: skip
            while next_report <= written:
                next_report += progress_every

    ct = {
        m: ContentType.objects.get_for_model(m).pk
        for m in (MemorialPage, ContributionPage, HeroPage)
    }
    locale_id = writer.locale.pk

    # -- memorials under their district's libraries --------------------------------------
    memorial_ids = defaultdict(list)  # district name → memorial page ids
    batch = []
    for n in range(1, counts["memorials"] + 1):
        district = content.district()
        library = rng.choice(by_district.get(district.name) or [regional])
        values = content.memorial(district)
        page = MemorialPage(content_type_id=ct[MemorialPage], library=library,
                            ref=f"BM-{n:06d}", ref_key=f"{locale_id}:BM-{n:06d}",
                            photos=[], sources=[], **values)  # fmt: skip
        writer.place(page, library, f"{values['title']} {values['settlement']}")
        batch.append(page)
        if len(batch) == CHUNK or n == counts["memorials"]:
            writer.write(MemorialPage, batch)
            for p in batch:
                memorial_ids[p.district].append(p.id)
            tick(len(batch))
            batch = []

    # -- contributions: chronicles and stories under the libraries -----------------------
    members = [lib for lib in libraries if lib.library_type != LibraryType.REGIONAL] or libraries
    batch = []
    for n in range(1, counts["contributions"] + 1):
        library = rng.choice(members)
        project = rng.choice(projects)
        values = content.contribution(library, project.title, writer)
        page = ContributionPage(content_type_id=ct[ContributionPage], library=library,
                                project=project, photo_count=0, **values)  # fmt: skip
        writer.place(page, library, values["title"])
        batch.append(page)
        if len(batch) == CHUNK or n == counts["contributions"]:
            writer.write(ContributionPage, batch)
            tick(len(batch))
            batch = []

    # -- heroes in the Book of Memory ----------------------------------------------------
    # The rare surnames go to a few heroes each, at fixed places of the sequence.
    rare_at = {}
    spacing = max(1, counts["heroes"] // (len(v.RARE_SURNAMES) * 3 + 1))
    position = spacing // 2
    for n, surname in enumerate(v.RARE_SURNAMES):
        for _ in range(1 + n % 4):
            if position < counts["heroes"]:
                rare_at[position] = surname
            position += spacing
    all_memorials = [pk for pks in memorial_ids.values() for pk in pks]
    batch, links = [], []
    for n in range(counts["heroes"]):
        values = content.hero(rare=rare_at.get(n))
        home_district = values.pop("home")
        name = full_name(values["last_name"], values["first_name"], values["patronymic"])
        library = rng.choice(libraries) if rng.random() < 0.7 else None
        page = HeroPage(content_type_id=ct[HeroPage], title=name, library=library,
                        ref=f"BH-{n + 1:06d}", ref_key=f"{locale_id}:BH-{n + 1:06d}",
                        name_key=fold(name)[:255], initial=initial_of(values["last_name"]),
                        sources=_sources(rng, writer), **values)  # fmt: skip
        writer.place(page, book, name)
        batch.append(page)
        # The obelisk of the home village, sometimes also the grave where he fell.
        nearby = memorial_ids.get(home_district.name) or all_memorials
        chosen = [rng.choice(nearby)] if nearby and rng.random() < 0.85 else []
        if chosen and rng.random() < 0.2:
            other = rng.choice(all_memorials)
            if other not in chosen:
                chosen.append(other)
        links.append((page, chosen))
        if len(batch) == CHUNK or n == counts["heroes"] - 1:
            writer.write(HeroPage, batch)
            HeroMemorial.objects.bulk_create(
                [HeroMemorial(page_id=p.id, memorial_id=m, sort_order=i)
                 for p, memorials in links for i, m in enumerate(memorials)],
                batch_size=1000,
            )  # fmt: skip
            tick(len(batch))
            batch, links = [], []

    writer.finish()
    return {
        "counts": counts,
        "pages": Page.objects.count() - 1,  # without the tree's root
        "seconds": time.monotonic() - started,
        "few_seconds": few,
    }


def _sources(rng, writer):
    if rng.random() > 0.3:
        return []
    return [{
        "type": "source",
        "id": str(writer.uuid()),
        "value": {
            "title": rng.choice(["ОБД «Мемориал»: донесение о безвозвратных потерях",
                                 "Книга памяти Калужской области, т. 3",
                                 "ЦАМО, ф. 58, оп. 18001, д. 982"]),
            "url": "",
            "note": "",
        },
    }]  # fmt: skip


def check_tree():
    """Problems of the page tree, as ``fixtree`` would find them, in a few queries.

    treebeard's own ``find_problems()`` asks the database twice per page (an hour at
    100,000 pages); this loads every page's path once and checks in memory: path
    alphabet and length, depth, parents, ``numchild``, sibling slugs and ``url_path``.
    Returns a list of messages (empty: the tree is sound).
    """
    rows = list(Page.objects.values_list("id", "path", "depth", "numchild", "slug", "url_path"))
    by_path = {
        path: (pk, depth, numchild, slug, url_path)
        for pk, path, depth, numchild, slug, url_path in rows
    }
    alphabet = set(Page.alphabet)
    children = defaultdict(int)
    sibling_slugs = defaultdict(set)
    problems = []
    for pk, path, depth, _numchild, slug, url_path in rows:
        if set(path) - alphabet or len(path) % Page.steplen:
            problems.append(f"page {pk}: bad path {path!r}")
            continue
        if depth != len(path) // Page.steplen:
            problems.append(f"page {pk}: depth {depth} for path {path}")
        if depth == 1:
            continue
        parent_path = path[: -Page.steplen]
        parent = by_path.get(parent_path)
        if parent is None:
            problems.append(f"page {pk}: orphan (no page at {parent_path})")
            continue
        children[parent_path] += 1
        if slug in sibling_slugs[parent_path]:
            problems.append(f"page {pk}: slug {slug!r} taken by a sibling")
        sibling_slugs[parent_path].add(slug)
        if depth > 2 and url_path != f"{parent[4]}{slug}/":
            problems.append(f"page {pk}: url_path {url_path!r} under {parent[4]!r}")
    for path, (pk, _depth, numchild, _slug, _url_path) in by_path.items():
        if numchild != children.get(path, 0):
            problems.append(f"page {pk}: numchild {numchild}, has {children.get(path, 0)}")
    return problems
