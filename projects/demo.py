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
        builder.translate(projects[spec["slug"]], english)
    builder.data["project_index"] = index
    builder.data["projects"] = projects
    _promotions(projects)
    if not libraries:
        return
    _contributions(builder, projects, libraries)


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
        settlement = library.settlement or library.title
        place = settlement
        for prefix in ("с. ", "д. ", "г. ", "п. ", "пос. "):
            place = place.removeprefix(prefix)
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
    books = [
        ("Борис Васильев", "А зори здесь тихие…", 1969, "https://rutube.ru/video/" + "a1b2c3d4e5f60718293a4b5c6d7e8f90/"),
        ("Константин Симонов", "Живые и мёртвые", 1959, "https://vkvideo.ru/video-12345678_456239017"),
        ("Виктор Некрасов", "В окопах Сталинграда", 1946, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ]  # fmt: skip
    awards = [Award.FIRST, Award.SECOND, Award.THIRD]
    for n, (author, book, year, url) in enumerate(books):
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
