"""The demo's network projects and the libraries' contributions.

Four projects from the seed: «Наши памятники – наши герои» (2015–, ongoing),
«Листая «Летопись…» войны» (2020, Year of Memory and Glory, closed), a book-trailer
contest with results, and a current project accepting materials; 32 contributions from
16 libraries (one of them a partner from another region), using every block type.
"""

import datetime
import random
import uuid

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

from .models import Award, ContributionPage, Nomination, ProjectIndexPage, ProjectPage

MONTHS = ["", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
          "сентября", "октября", "ноября", "декабря"]  # fmt: skip

PROJECTS = [
    {
        "slug": "nashi-pamyatniki-nashi-geroi",
        "title": "Наши памятники – наши герои",
        "start_year": 2015,
        "end_year": None,
        "status": "open",
        "theme_of_year": "",
        "regions": "Калужская область, Брянская область, Смоленская область",
        "intro": (
            "Библиотеки области описывают воинские памятники и обелиски своих сёл и собирают "
            "истории людей, чьи имена на них высечены."
        ),
        "en": {
            "Наши памятники – наши герои": "Our Memorials, Our Heroes",
            "intro": "The region's libraries describe the war memorials of their villages and "
            "collect the stories of the people whose names they bear.",
        },
    },
    {
        "slug": "listaya-letopis-vojny",
        "title": "Листая «Летопись…» войны",
        "start_year": 2020,
        "end_year": 2020,
        "status": "closed",
        "theme_of_year": "Год памяти и славы",
        "regions": "Калужская область, Брянская область",
        "intro": (
            "К 75-летию Победы библиотеки восстанавливали хронику своих сёл и городов в годы "
            "Великой Отечественной войны: по документам, воспоминаниям и фотографиям."
        ),
        "en": {
            "Листая «Летопись…» войны": "Leafing Through the Chronicle of the War",
            "intro": "For the 75th anniversary of the Victory the libraries pieced together the "
            "chronicle of their villages and towns during the war from documents, memories and "
            "photographs.",
        },
    },
    {
        "slug": "konkurs-buktrejlerov-kniga-o-vojne",
        "title": "Конкурс буктрейлеров «Книга о войне»",
        "start_year": 2025,
        "end_year": 2025,
        "status": "results",
        "theme_of_year": "Год защитника Отечества",
        "regions": "Калужская область, Смоленская область",
        "is_contest": True,
        "submission_deadline": datetime.date(2025, 4, 1),
        "results_date": datetime.date(2025, 5, 5),
        "intro": (
            "Библиотеки сняли буктрейлеры к книгам о войне и подготовили электронные открытки "
            "ко Дню Победы."
        ),
        "nominations": [
            (
                "Лучший буктрейлер",
                "Видеоролик до трёх минут о книге о Великой Отечественной войне.",
            ),
            ("Электронная открытка ко Дню Победы", "Открытка с поздравлением и историей."),
        ],
        "en": {
            "Конкурс буктрейлеров «Книга о войне»": "Book Trailer Contest “A Book About the War”",
            "intro": "The libraries made book trailers for books about the war and e-postcards "
            "for Victory Day.",
        },
    },
    {
        "slug": "letopis-rodnogo-sela",
        "title": "Летопись родного села",
        "start_year": 2026,
        "end_year": 2026,
        "status": "open",
        "theme_of_year": "Год единства народов России",
        "regions": "Калужская область",
        "intro": (
            "Идёт приём материалов: библиотеки пишут историю своих сёл — от основания до наших "
            "дней, с фотографиями из семейных альбомов."
        ),
        "en": {
            "Летопись родного села": "Chronicle of My Village",
            "intro": "Accepting materials: the libraries write the history of their villages, "
            "from their founding to our days, with photographs from family albums.",
        },
    },
]

REGIONS_ENGLISH = {
    "Калужская область": "Kaluga Oblast",
    "Брянская область": "Bryansk Oblast",
    "Смоленская область": "Smolensk Oblast",
}
THEMES_ENGLISH = {
    "Год памяти и славы": "Year of Memory and Glory",
    "Год защитника Отечества": "Year of the Defender of the Fatherland",
    "Год единства народов России": "Year of Unity of the Peoples of Russia",
}

CHRONICLE_EVENTS = [
    (
        1941,
        10,
        5,
        "Фронт у околицы",
        "Немецкие части вышли к реке; жители ушли в лес и укрыли скот.",
    ),
    (1941, 12, None, "Оккупация", "Зимой в селе стоял немецкий гарнизон; школа стала казармой."),
    (
        1942,
        1,
        7,
        "Освобождение",
        "Части 50-й армии освободили село; сгорело больше половины домов.",
    ),
    (
        1942,
        None,
        None,
        "Год восстановления",
        "Колхоз поднимали женщины и подростки; пахали на коровах.",
    ),
    (
        1943,
        3,
        12,
        "Письмо с фронта",
        "Пришло письмо от учителя Н. П. Ефимова, ушедшего добровольцем.",
    ),
    (
        1945,
        5,
        9,
        "День Победы",
        "У сельсовета собрались все жители; звонили в рельс, плакали и пели.",
    ),
]


#: How far (in days, either way) each library's date of an event may lie from the one in
#: ``CHRONICLE_EVENTS``: the front reached and left each village on its own day, letters
#: came any day; Victory Day is the same everywhere. So the home page's «В этот день»
#: finds chronicle entries on many days of the year.
DATE_SPREAD = {"Фронт у околицы": 25, "Освобождение": 20, "Письмо с фронта": 150}


def _library_events(library, events):
    """``events`` with each exact day moved by the library's own (seeded) offset."""
    moved = []
    for year, month, day, heading, text in events:
        spread = DATE_SPREAD.get(heading, 0)
        if month and day and spread:
            rng = random.Random(f"letopis-chronicle:{library.slug}:{heading}")
            date = datetime.date(year, month, day)
            date += datetime.timedelta(days=rng.randint(-spread, spread))
            year, month, day = date.year, date.month, date.day
        moved.append((year, month, day, heading, text))
    return moved


# The contest's book trailers: (author, title, year, link).
BOOKS = [
    ("Борис Васильев", "А зори здесь тихие…", 1969, "https://rutube.ru/video/" + "a1b2c3d4e5f60718293a4b5c6d7e8f90/"),
    ("Константин Симонов", "Живые и мёртвые", 1959, "https://vkvideo.ru/video-12345678_456239017"),
    ("Виктор Некрасов", "В окопах Сталинграда", 1946, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
]  # fmt: skip


def _place_of(library):
    """The library's settlement as stored («с. Износки») and its bare name («Износки»)."""
    from home.demo import bare_settlement

    settlement = library.settlement or library.title
    return settlement, bare_settlement(settlement)


def _id(builder):
    return str(uuid.UUID(int=builder.rng.getrandbits(128), version=4))


def _block(builder, block_type, value):
    return {"type": block_type, "value": value, "id": _id(builder)}


def _photos(builder, titles, kind="landscape"):
    return [builder.image(title, kind=kind) for title in titles]


def _gallery(builder, settlement, count=4):
    items = []
    for n, image in enumerate(
        _photos(builder, [f"{settlement}: фото {i + 1}" for i in range(count)]), start=1
    ):
        items.append(
            {
                "image": image.pk,
                "caption": f"{settlement}, {1941 + n} г.",
                "credit": "Из фондов библиотеки",
                "alt_text": f"Вид села {settlement}: поле, деревья и дома на горизонте",
            }
        )
    return _block(builder, "gallery", {"title": "Фотографии", "images": items})


def _chronicle(builder, settlement, entries):
    photo = builder.image(f"{settlement}: хроника", kind="landscape")
    value = {"title": f"Хроника: {settlement} в годы войны", "entries": []}
    for year, month, day, heading, text in entries:
        value["entries"].append(
            {
                "year": year,
                "month": str(month) if month else "",
                "day": day,
                "heading": heading,
                "text": f"<p>{text}</p>",
                "photos": [
                    {
                        "image": photo.pk,
                        "caption": heading,
                        "credit": "Семейный архив",
                        "alt_text": f"Фотография: {heading.lower()}",
                    }
                ]
                if year == 1945
                else [],
            }
        )
    return _block(builder, "chronicle", value)


def _text(builder, html):
    return _block(builder, "text", html)


def _quote(builder, text, author, source=""):
    return _block(builder, "quote", {"text": text, "author": author, "source": source})


def _place(builder, library, label):
    lat = float(library.latitude or 54.5) + builder.rng.uniform(-0.02, 0.02)
    lon = float(library.longitude or 36.2) + builder.rng.uniform(-0.02, 0.02)
    return _block(
        builder,
        "place",
        {"label": label, "latitude": round(lat, 6), "longitude": round(lon, 6), "description": ""},
    )


def _document_block(builder, document):
    return _block(builder, "document", {"document": document.pk, "title": document.title})


def _trailer(builder, book_author, book_title, year, url):
    poster = builder.image(f"Постер: {book_title}", kind="monument")
    return _block(
        builder,
        "book_trailer",
        {
            "video": None,
            "link": url,
            "poster": poster.pk,
            "book_author": book_author,
            "book_title": book_title,
            "book_year": year,
            "annotation": f"Буктрейлер к книге «{book_title}»: о войне, о памяти и о людях.",
            "captions": None,
        },
    )


def _postcard(builder, greeting, occasion, text_equivalent):
    image = builder.image(f"Открытка: {greeting}", kind="obelisk")
    return _block(
        builder,
        "postcard",
        {
            "image": image.pk,
            "greeting": greeting,
            "occasion": occasion,
            "text_equivalent": text_equivalent,
        },
    )


def _document(builder, title, text):
    Document = get_document_model()
    existing = Document.objects.filter(title=title, collection=builder.collection).first()
    if existing:
        return existing
    document = Document(title=title, collection=builder.collection)
    slug = f"demo-{abs(hash_title(title))}.txt"
    document.file.save(slug, ContentFile(text.encode("utf-8")), save=False)
    document.save()
    return document


def hash_title(title):
    from home.demo import hash_title as _hash

    return _hash(title)


def _projects(builder, index):
    pages = {}
    for spec in PROJECTS:
        fields = {k: v for k, v in spec.items() if k not in {"slug", "en", "nominations"}}
        fields["cover_image"] = builder.image(f"Обложка: {spec['title']}", kind="obelisk")
        existing = index.get_children().filter(slug=spec["slug"]).exists()
        project = builder.child(index, ProjectPage, spec["slug"], **fields)
        if not existing:
            rules = _document(
                builder,
                f"Положение о проекте «{spec['title']}»",
                f"Положение о сетевом проекте «{spec['title']}».\n\n1. Общие положения…\n",
            )
            project.documents.create(document=rules, title="Положение о проекте")
            for title, description in spec.get("nominations", []):
                Nomination.objects.create(page=project, title=title, description=description)
            project.save_revision().publish()
        pages[spec["slug"]] = project
    return pages


def build_demo(builder):
    libraries = builder.data.get("libraries") or {}
    index = builder.child(
        builder.home,
        ProjectIndexPage,
        "proekty",
        title="Сетевые проекты",
        show_in_menus=True,
        intro="<p>Ежегодные тематические проекты и конкурсы областной библиотеки, в которых "
        "участвуют муниципальные библиотеки области и библиотеки соседних регионов.</p>",
    )
    builder.translate(
        index,
        {
            "Сетевые проекты": "Network projects",
            "Ежегодные тематические проекты и конкурсы областной библиотеки, в которых "
            "участвуют муниципальные библиотеки области и библиотеки соседних регионов.": (
                "Yearly themed projects and contests of the regional library, joined by the "
                "municipal libraries of the region and libraries of neighbouring regions."
            ),
        },
    )
    projects = _projects(builder, index)
    for spec in PROJECTS:
        english = {spec["title"]: spec["en"][spec["title"]], spec["intro"]: spec["en"]["intro"]}
        english[spec["regions"]] = ", ".join(
            REGIONS_ENGLISH[region.strip()] for region in spec["regions"].split(",")
        )
        if spec["theme_of_year"]:
            english[spec["theme_of_year"]] = THEMES_ENGLISH[spec["theme_of_year"]]
        builder.translate(projects[spec["slug"]], english)
    builder.data["project_index"] = index
    builder.data["projects"] = projects
    _promotions(projects)
    if not libraries:
        return
    _contributions(builder, projects, libraries)
    _translate_contributions(builder)


def _promotions(projects):
    """Editor's picks for queries visitors ask by name (idempotent: one pick per query)."""
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    picks = {
        "Бессмертный полк": (
            "nashi-pamyatniki-nashi-geroi",
            "Истории героев, собранные библиотеками области, и памятники с их именами.",
        ),
    }
    for query_string, (slug, description) in picks.items():
        query = Query.get(query_string)
        if not query.editors_picks.exists():
            SearchPromotion.objects.create(
                query=query, page=projects[slug], description=description, sort_order=0
            )


def _contributions(builder, projects, libraries):
    members = [lib for lib in libraries.values() if lib.library_type != "regional"]
    members.sort(key=lambda lib: lib.slug)
    partner = [lib for lib in members if lib.library_type == "partner"]
    home_members = [lib for lib in members if lib.library_type != "partner"]
    # 16 contributing libraries: 15 of the region and one partner from another region.
    chosen = home_members[:15] + partner[:1]
    memorials = projects["nashi-pamyatniki-nashi-geroi"]
    chronicle = projects["listaya-letopis-vojny"]
    contest = projects["konkurs-buktrejlerov-kniga-o-vojne"]
    village = projects["letopis-rodnogo-sela"]
    nominations = list(contest.nominations.order_by("sort_order", "pk"))
    trailer_nomination = nominations[0] if nominations else None
    postcard_nomination = nominations[1] if len(nominations) > 1 else None

    for n, library in enumerate(chosen):
        settlement, place = _place_of(library)
        # «Листая «Летопись…» войны»: a chronicle with photos for every library.
        entries = _library_events(library, CHRONICLE_EVENTS[n % 3 : n % 3 + 4])
        _contribution(
            builder, library, chronicle, f"letopis-vojny-{library.slug}",
            title=f"{place}: летопись военных лет",
            date=datetime.date(2020, 4, 1) + datetime.timedelta(days=n),
            intro=f"Хроника {place} в 1941–1945 годах по документам и воспоминаниям старожилов.",
            body=[
                _text(builder, f"<p>Материал подготовлен сотрудниками библиотеки по архивным "
                               f"документам и воспоминаниям жителей: {settlement}.</p>"),
                _chronicle(builder, place, entries),
                _gallery(builder, place, count=3 + n % 3),
                _quote(builder, "Мы пахали землю и ждали писем. Каждое письмо читали всей улицей.",
                       "А. М. Кузнецова, жительница села", "Из воспоминаний, записанных в 2019 году"),
            ],
        )  # fmt: skip
        # «Наши памятники – наши герои»: a memorial described, with its place on the map.
        if n % 2 == 0:
            _contribution(
                builder, library, memorials, f"pamyatnik-{library.slug}",
                title=f"Обелиск павшим землякам: {place}",
                date=datetime.date(2016 + n % 8, 5, 9),
                intro="Памятник, имена на нём и судьбы тех, кого удалось найти.",
                body=[
                    _text(builder, "<p>Обелиск установлен в 1967 году на месте братской могилы. "
                                   "На плитах — имена земляков, не вернувшихся с войны.</p>"),
                    _place(builder, library, f"Обелиск, {settlement}"),
                    _gallery(builder, f"Обелиск {place}", count=2),
                ],
            )  # fmt: skip
    # The contest: trailers and postcards, with results.
    awards = [Award.FIRST, Award.SECOND, Award.THIRD]
    for n, (author, book, year, url) in enumerate(BOOKS):
        library = chosen[n + 1]
        _contribution(
            builder, library, contest, f"buktrejler-{library.slug}",
            title=f"Буктрейлер «{book}»",
            date=datetime.date(2025, 3, 10 + n),
            intro=f"Буктрейлер по книге: {author}, «{book}».",
            body=[_trailer(builder, author, book, year, url)],
            nomination=trailer_nomination, award=awards[n] if trailer_nomination else "",
        )  # fmt: skip
    for n in range(3):
        library = chosen[n + 5]
        _contribution(
            builder, library, contest, f"otkrytka-{library.slug}",
            title=f"Открытка ко Дню Победы: {library.display_name}",
            date=datetime.date(2025, 4, 20 + n),
            intro="Электронная открытка ко Дню Победы.",
            body=[
                _postcard(builder, "С Днём Победы!", "9 Мая",
                          "Открытка: обелиск с красной звездой на холме на фоне неба. Надпись: "
                          "«С Днём Победы!». Поздравление от библиотеки."),
                _quote(builder, "Никто не забыт, ничто не забыто.", "Ольга Берггольц"),
            ],
            nomination=postcard_nomination,
            award=(Award.FIRST if n == 0 else Award.DIPLOMA) if postcard_nomination else "",
        )  # fmt: skip
    # The current project: the first materials have arrived.
    for n in range(2):
        library = chosen[n + 10]
        rules = _document(builder, f"История села: справка {library.slug}",
                          "Историческая справка о селе.\n")  # fmt: skip
        _contribution(
            builder, library, village, f"istoriya-sela-{library.slug}",
            title=f"История села {library.settlement or library.title}",
            date=datetime.date(2026, 3, 1 + n),
            intro="Первые главы летописи села.",
            body=[
                _text(builder, "<h2>Основание</h2><p>Село впервые упоминается в писцовых книгах "
                               "XVII века.</p>"),
                _document_block(builder, rules),
            ],
        )  # fmt: skip


def _first_image_pk(value):
    """The first image id in raw block data: the card cover of a demo material."""
    if isinstance(value, dict):
        for key in ("image", "poster"):
            if isinstance(value.get(key), int):
                return value[key]
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _first_image_pk(item)
            if found:
                return found
    return None


def _contribution(builder, library, project, slug, body, **fields):
    from wagtail.images import get_image_model

    existing = library.get_children().filter(slug=slug).first()
    if existing is not None:
        builder.kept += 1
        return existing.specific
    cover = _first_image_pk(body)
    return builder.child(
        library,
        ContributionPage,
        slug,
        project=project,
        settlement=library.settlement,
        authors="Сотрудники библиотеки",
        cover_image=get_image_model().objects.filter(pk=cover).first() if cover else None,
        body=body,
        **fields,
    )


# -- English (issue #7) ------------------------------------------------------------------------

#: The contributions translated into English: one of each kind of material (a chronicle,
#: a book trailer, a postcard, a memorial with its place on the map, a village history with
#: a document), and both of one library's, so its English page lists all it sent. Their
#: libraries are translated by the network's step (``network.demo.LIBRARY_ENGLISH``).
ENGLISH_CONTRIBUTIONS = [
    "letopis-vojny-kozelskaya-crb",
    "buktrejler-borovskaya-crb",
    "otkrytka-iznoskovskaya-crb",
    "pamyatnik-obninskaya-gorodskaya-biblioteka",
    "letopis-vojny-obninskaya-gorodskaya-biblioteka",
    "istoriya-sela-lyudinovskaya-detskaya-biblioteka",
]

CHRONICLE_ENGLISH = {
    "Фронт у околицы": (
        "The front at the edge of the village",
        "German units reached the river; the villagers fled to the forest and hid their livestock.",
    ),
    "Оккупация": (
        "Occupation",
        "All winter a German garrison was quartered in the village; the school became a barracks.",
    ),
    "Освобождение": (
        "Liberation",
        "Units of the 50th Army liberated the village; more than half of the houses had "
        "burnt down.",
    ),
    "Год восстановления": (
        "A year of rebuilding",
        "Women and teenagers got the collective farm going again, ploughing with cows.",
    ),
    "Письмо с фронта": (
        "A letter from the front",
        "A letter came from the teacher N. P. Yefimov, who had volunteered for the front.",
    ),
    "День Победы": (
        "Victory Day",
        "Everyone in the village gathered at the village council; they struck the rail, "
        "wept and sang.",
    ),
}
BOOKS_ENGLISH = {
    "В окопах Сталинграда": ("Viktor Nekrasov", "In the Trenches of Stalingrad"),
    "Живые и мёртвые": ("Konstantin Simonov", "The Living and the Dead"),
    "А зори здесь тихие…": ("Boris Vasilyev", "The Dawns Here Are Quiet…"),
}
COMMON_ENGLISH = {
    "Сотрудники библиотеки": "Library staff",
    "Фотографии": "Photographs",
    "Из фондов библиотеки": "From the library's collection",
    "Семейный архив": "Family archive",
    "Мы пахали землю и ждали писем. Каждое письмо читали всей улицей.": (
        "We ploughed the land and waited for letters. Every letter was read aloud to the "
        "whole street."
    ),
    "А. М. Кузнецова, жительница села": "A. M. Kuznetsova, a villager",
    "Из воспоминаний, записанных в 2019 году": "From recollections recorded in 2019",
    "Памятник, имена на нём и судьбы тех, кого удалось найти.": (
        "The memorial, the names it bears and the fates of those we have been able to trace."
    ),
    "Обелиск установлен в 1967 году на месте братской могилы. На плитах — имена земляков, "
    "не вернувшихся с войны.": (
        "The obelisk was put up in 1967 over a mass grave. Its slabs bear the names of local "
        "people who did not come back from the war."
    ),
    "Электронная открытка ко Дню Победы.": "An e-postcard for Victory Day.",
    "С Днём Победы!": "Happy Victory Day!",
    "9 Мая": "9 May",
    "Открытка: обелиск с красной звездой на холме на фоне неба. Надпись: «С Днём Победы!». "
    "Поздравление от библиотеки.": (
        "Postcard: an obelisk with a red star on a hill against the sky. The caption reads "
        "“Happy Victory Day!”. Greetings from the library."
    ),
    "Никто не забыт, ничто не забыто.": "No one is forgotten, nothing is forgotten.",
    "Ольга Берггольц": "Olga Berggolts",
    "Первые главы летописи села.": "The first chapters of the village chronicle.",
    "Основание": "Founding",
    "Село впервые упоминается в писцовых книгах XVII века.": (
        "The village is first mentioned in the land cadastres of the 17th century."
    ),
}


def contribution_strings(page, english_library):
    """``DemoBuilder.translate`` strings of the contribution ``page``: the Russian texts
    ``_contributions`` writes for its library → English. ``english_library`` is the
    library's English page."""
    from home.demo import english_slug, english_spelling

    library = page.get_parent().specific
    settlement, place = _place_of(library)
    name = english_spelling(place)
    strings = dict(COMMON_ENGLISH)
    strings[settlement] = name
    for _year, _month, _day, heading, text in CHRONICLE_EVENTS:
        heading_en, text_en = CHRONICLE_ENGLISH[heading]
        strings[heading] = heading_en
        strings[text] = text_en
        strings[f"Фотография: {heading.lower()}"] = f"Photograph: {heading_en}"
    # «Листая «Летопись…» войны»: the chronicle.
    strings[f"{place}: летопись военных лет"] = f"{name}: A Chronicle of the War Years"
    strings[f"Хроника {place} в 1941–1945 годах по документам и воспоминаниям старожилов."] = (
        f"A chronicle of {name} in 1941–1945, from documents and the memories of long-time "
        "residents."
    )
    strings[
        "Материал подготовлен сотрудниками библиотеки по архивным документам и воспоминаниям "
        f"жителей: {settlement}."
    ] = (
        "Prepared by the library staff from archive documents and the memories of the people "
        f"of {name}."
    )
    strings[f"Хроника: {place} в годы войны"] = f"Chronicle: {name} during the war"
    # «Наши памятники – наши герои»: the obelisk and its place on the map.
    strings[f"Обелиск павшим землякам: {place}"] = f"Obelisk to the Fallen: {name}"
    strings[f"Обелиск, {settlement}"] = f"Obelisk, {name}"
    for subject, subject_en in ((place, name), (f"Обелиск {place}", f"the obelisk in {name}")):
        for year in range(1942, 1948):
            strings[f"{subject}, {year} г."] = f"{subject_en[0].upper()}{subject_en[1:]}, {year}"
        strings[f"Вид села {subject}: поле, деревья и дома на горизонте"] = (
            f"View of {subject_en}: fields, trees and houses on the horizon"
        )
    # The contest: book trailers and postcards.
    for author, book, _year, _url in BOOKS:
        author_en, book_en = BOOKS_ENGLISH[book]
        strings[author] = author_en
        strings[book] = book_en
        strings[f"Буктрейлер «{book}»"] = f"Book trailer: “{book_en}”"
        strings[f"Буктрейлер по книге: {author}, «{book}»."] = (
            f"A book trailer for {author_en}'s “{book_en}”."
        )
        strings[f"Буктрейлер к книге «{book}»: о войне, о памяти и о людях."] = (
            f"A book trailer for “{book_en}”: about the war, memory and people."
        )
    strings[f"Открытка ко Дню Победы: {library.display_name}"] = (
        f"Victory Day postcard: {english_library.display_name}"
    )
    # «Летопись родного села».
    strings[f"История села {library.settlement or library.title}"] = f"The History of {name}"
    strings[f"История села: справка {library.slug}"] = "Village history: background note"
    # The address: an English slug made from the English title.
    title = strings.get(page.title)
    if title:
        strings[page.slug] = english_slug(title.replace("“", "").replace("”", ""))
    return strings


def _translate_contributions(builder):
    pages = ContributionPage.objects.filter(locale=builder.ru, slug__in=ENGLISH_CONTRIBUTIONS)
    for page in pages.order_by("path"):
        english_library = page.get_parent().get_translation_or_none(builder.en)
        if english_library is None:
            builder.log(f"  projects: библиотека не переведена, {page.slug} — без перевода")
            continue
        if page.get_translation_or_none(builder.en) is None:
            builder.translate(page, contribution_strings(page, english_library.specific))
