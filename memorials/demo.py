"""The demo's memorials and Book of Memory.

«Памятники» (the map) and «Книга памяти» under the home page, with English translations;
about forty-five memorials near the centres of the region's districts, five districts left
without any (the map's white spots), and some two hundred heroes, a fifth of them named
on two memorials. Each memorial lives below its district's library, or the regional
library's where the district has none.

Deterministic (its own seeded generator, so other apps' demo steps do not shift it) and
idempotent: pages are found again by slug, nothing existing is changed.
"""

import datetime
import random
from decimal import Decimal

from home.text import slugify_ru
from network.regions import DISTRICTS, REGION_NAME, get_district

from .importer import deferred_indexing, index_pages
from .models import (
    Condition,
    Fate,
    HeroIndexPage,
    HeroMemorial,
    HeroPage,
    MemorialIndexPage,
    MemorialKind,
    MemorialPage,
)

SEED = "letopis-memorials-1941"

#: Districts with no memorial described yet: the white spots of the demo map.
EMPTY_DISTRICTS = {"Барятинский", "Куйбышевский", "Ульяновский", "Хвастовичский", "Тарусский"}

VILLAGES = [
    "д. Берёзовка", "с. Никольское", "д. Каменка", "с. Покровское", "д. Малиновка",
    "с. Воскресенское", "д. Дубровка", "с. Троицкое", "д. Сосновка", "д. Новосёлки",
    "с. Богородское", "д. Липицы", "д. Горки", "с. Успенское", "д. Ивановка",
    "д. Слобода", "с. Рождествено", "д. Лужки", "д. Верховье", "с. Спасское",
]  # fmt: skip

TITLES = {
    MemorialKind.MASS_GRAVE: [
        "Братская могила советских воинов",
        "Братская могила воинов, погибших в 1941–1943 годах",
        "Братская могила партизан",
    ],
    MemorialKind.OBELISK: ["Обелиск воинам-землякам", "Обелиск павшим односельчанам"],
    MemorialKind.MONUMENT: [
        "Памятник воинам-освободителям",
        "Памятник землякам, погибшим в Великой Отечественной войне",
    ],
    MemorialKind.STELE: ["Стела «Никто не забыт, ничто не забыто»", "Памятная стела землякам"],
    MemorialKind.BUST: ["Бюст Героя Советского Союза"],
    MemorialKind.PLAQUE: ["Мемориальная доска на здании школы"],
    MemorialKind.COMPLEX: ["Мемориальный комплекс «Вечный огонь»"],
}
KIND_WEIGHTS = [
    (MemorialKind.MASS_GRAVE, 9),
    (MemorialKind.OBELISK, 6),
    (MemorialKind.MONUMENT, 4),
    (MemorialKind.STELE, 2),
    (MemorialKind.BUST, 1),
    (MemorialKind.PLAQUE, 1),
    (MemorialKind.COMPLEX, 1),
]
INSCRIPTIONS = [
    "Вечная слава героям, павшим в боях за свободу и независимость нашей Родины",
    "Никто не забыт, ничто не забыто",
    "Здесь похоронены воины Советской армии,\nпогибшие при освобождении района от немецко-фашистских захватчиков",
    "Землякам, погибшим в Великой Отечественной войне 1941–1945 гг.",
]
SCULPTORS = ["Н. В. Томский", "Е. В. Вучетич", "А. П. Кибальников", "", "", ""]
CUSTODIANS = [
    "Администрация сельского поселения",
    "Средняя общеобразовательная школа",
    "Совет ветеранов района",
    "Юнармейский отряд школы",
]

MALE_SURNAMES = [
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов",
    "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров",
    "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев",
    "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин",
    "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов",
    "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов",
    "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов", "Крылов",
    "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов", "Казаков",
    "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов", "Мартынов",
    "Ефимов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов",
    "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев",
    "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов",
    "Леонов", "Соболев", "Ермаков", "Колесников", "Гончаров", "Емельянов", "Никифоров",
    "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев",
    "Панов", "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков", "Горбунов", "Анисимов",
    "Еремин", "Тихомиров", "Галкин", "Лукьянов", "Михеев", "Скворцов", "Юдин", "Белоусов",
]  # fmt: skip
MALE_NAMES = [
    "Иван", "Пётр", "Николай", "Алексей", "Василий", "Михаил", "Фёдор", "Сергей", "Павел",
    "Григорий", "Дмитрий", "Егор", "Андрей", "Степан", "Тимофей", "Яков", "Матвей", "Семён",
    "Илья", "Константин", "Александр", "Владимир", "Борис", "Виктор", "Анатолий", "Максим",
]  # fmt: skip
PATRONYMIC_ROOTS = [
    ("Иван", "Иванович", "Ивановна"), ("Пётр", "Петрович", "Петровна"),
    ("Николай", "Николаевич", "Николаевна"), ("Алексей", "Алексеевич", "Алексеевна"),
    ("Василий", "Васильевич", "Васильевна"), ("Михаил", "Михайлович", "Михайловна"),
    ("Фёдор", "Фёдорович", "Фёдоровна"), ("Сергей", "Сергеевич", "Сергеевна"),
    ("Григорий", "Григорьевич", "Григорьевна"), ("Егор", "Егорович", "Егоровна"),
    ("Андрей", "Андреевич", "Андреевна"), ("Степан", "Степанович", "Степановна"),
    ("Тимофей", "Тимофеевич", "Тимофеевна"), ("Семён", "Семёнович", "Семёновна"),
    ("Илья", "Ильич", "Ильинична"), ("Дмитрий", "Дмитриевич", "Дмитриевна"),
]  # fmt: skip
FEMALE_NAMES = [
    "Мария",
    "Анна",
    "Евдокия",
    "Прасковья",
    "Александра",
    "Екатерина",
    "Нина",
    "Клавдия",
]
RANKS = [
    ("рядовой", 40), ("красноармеец", 12), ("ефрейтор", 8), ("младший сержант", 8),
    ("сержант", 8), ("старший сержант", 5), ("старшина", 3), ("младший лейтенант", 5),
    ("лейтенант", 5), ("старший лейтенант", 3), ("капитан", 2), ("майор", 1),
]  # fmt: skip
FEMALE_RANKS = ["санинструктор", "рядовой медицинской службы", "сержант медицинской службы"]
UNITS = [
    "1134-й стрелковый полк 330-й стрелковой дивизии",
    "1281-й стрелковый полк 60-й стрелковой дивизии",
    "17-я гвардейская стрелковая дивизия",
    "50-я армия Западного фронта",
    "1-й гвардейский кавалерийский корпус",
    "322-я стрелковая дивизия",
    "4-й воздушно-десантный корпус",
    "Малоярославецкое пехотное училище (подольские курсанты)",
    "партизанский отряд района",
    "112-я танковая дивизия",
]
FATES = [(Fate.KILLED, 55), (Fate.MISSING, 20), (Fate.DIED_OF_WOUNDS, 10), (Fate.SURVIVED, 15)]
AWARDS = [
    "Медаль «За отвагу»",
    "Орден Красной Звезды",
    "Медаль «За боевые заслуги»",
    "Орден Отечественной войны II степени",
    "Орден Славы III степени",
    "Медаль «За оборону Москвы»",
]

INDEX_INTRO = (
    "<p>Воинские памятники, обелиски и братские могилы области на карте. Каждый описала "
    "библиотека своего района: где стоит памятник, когда открыт, в каком он состоянии и "
    "чьи имена на нём высечены.</p>"
)
INDEX_HELP = (
    "<p>Библиотека может описать памятник своего села: сфотографируйте его, перепишите "
    "надпись и имена, отметьте точку на карте — и отправьте описание в областную "
    "библиотеку.</p>"
)
BOOK_INTRO = (
    "<p>Имена воинов, высеченные на памятниках области, и истории, которые о них собрали "
    "библиотеки. Найдите фамилию по первой букве или наберите её в поиске.</p>"
)
ENGLISH_MAP = {
    "Памятники": "Memorials",
    "Воинские памятники, обелиски и братские могилы области на карте. Каждый описала "
    "библиотека своего района: где стоит памятник, когда открыт, в каком он состоянии и "
    "чьи имена на нём высечены.": (
        "The region's war memorials, obelisks and mass graves on a map. Each was described by "
        "the library of its district: where it stands, when it was unveiled, its condition "
        "and the names carved on it."
    ),
    "Библиотека может описать памятник своего села: сфотографируйте его, перепишите "
    "надпись и имена, отметьте точку на карте — и отправьте описание в областную "
    "библиотеку.": (
        "A library can describe the memorial of its village: photograph it, copy the "
        "inscription and the names, mark its place on the map and send the description to "
        "the regional library."
    ),
}
ENGLISH_BOOK = {
    "Книга памяти": "Book of Memory",
    "Имена воинов, высеченные на памятниках области, и истории, которые о них собрали "
    "библиотеки. Найдите фамилию по первой букве или наберите её в поиске.": (
        "The names of the soldiers carved on the region's memorials and the stories the "
        "libraries have collected about them. Find a surname by its first letter or search "
        "for it."
    ),
}


SOURCE_TITLE = "Книга памяти Калужской области"
SOURCE_NOTE = "районный том"


def description(title, settlement, district_name):
    """A demo memorial's description (one paragraph)."""
    return (
        f"{title} — {settlement}, {district_name}. Описание подготовлено библиотекой района "
        "по материалам районного военкомата и воспоминаниям жителей."
    )


def degrees(value):
    return Decimal(f"{value:.6f}")


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def feminine(surname):
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    return surname


def plan_memorials(rng):
    """The demo memorials as dicts, district by district (no database access)."""
    plans = []
    slugs = set()
    for number, district in enumerate(DISTRICTS):
        if district.short_name in EMPTY_DISTRICTS:
            continue
        count = 3 if district.is_city or number % 4 == 0 else 2
        villages = rng.sample(VILLAGES, count)
        for i in range(count):
            kind = (
                MemorialKind.COMPLEX if i == 0 and district.is_city else weighted(rng, KIND_WEIGHTS)
            )
            settlement = district.centre if i == 0 else villages[i]
            spread = 0.004 if i == 0 else 0.09
            title = rng.choice(TITLES[kind])
            slug = slugify_ru(f"{title} {settlement}")
            while slug in slugs:
                slug += "-2"
            slugs.add(slug)
            plan = {
                "slug": slug,
                "district": district,
                "title": title,
                "kind": kind,
                "settlement": settlement,
                "latitude": degrees(district.lat + rng.uniform(-spread, spread)),
                "longitude": degrees(district.lon + rng.uniform(-spread * 1.6, spread * 1.6)),
                "year_unveiled": rng.choice([1957, 1965, 1967, 1970, 1975, 1985, 1995, 2005, 2015]),
                "inscription": rng.choice(INSCRIPTIONS),
                "sculptor": rng.choice(SCULPTORS),
                "condition": rng.choice(
                    [Condition.GOOD, Condition.GOOD, Condition.FAIR, Condition.POOR]
                ),
                "custodian": rng.choice(CUSTODIANS),
                "photo": i == 0 or rng.random() < 0.4,
            }
            if kind == MemorialKind.MASS_GRAVE:
                plan["buried_known"] = rng.randint(8, 140)
                plan["buried_unknown"] = rng.randint(0, 60)
                plan["burial_passport_number"] = f"40-{number + 1:02d}-{rng.randint(1, 99):03d}"
            if rng.random() < 0.3:
                plan["heritage_number"] = f"40{rng.randint(10**12, 10**13 - 1)}"
            plans.append(plan)
    return plans


def plan_heroes(rng, count):
    heroes = []
    slugs = set()
    while len(heroes) < count:
        female = rng.random() < 0.08
        father = rng.choice(PATRONYMIC_ROOTS)
        surname = rng.choice(MALE_SURNAMES)
        if female:
            last, first, patronymic = feminine(surname), rng.choice(FEMALE_NAMES), father[2]
            rank = rng.choice(FEMALE_RANKS)
        else:
            last, first, patronymic = surname, rng.choice(MALE_NAMES), father[1]
            rank = weighted(rng, RANKS)
        name = f"{last} {first} {patronymic}"
        slug = slugify_ru(name)
        if slug in slugs:
            continue  # namesakes exist, but the demo reads better without them
        slugs.add(slug)
        fate = weighted(rng, FATES)
        birth = rng.randint(1895, 1926)
        if fate == Fate.SURVIVED:
            death = rng.choice([None, rng.randint(1960, 2010)])
        elif fate == Fate.MISSING:
            death = max(rng.choice([1941, 1942, 1943]), birth + 17)
        else:
            death = rng.randint(max(1941, birth + 17), 1945)
        heroes.append(
            {
                "slug": slug,
                "last_name": last,
                "first_name": first,
                "patronymic": patronymic,
                "rank": rank,
                "unit": rng.choice(UNITS) if rng.random() < 0.7 else "",
                "fate": fate,
                "birth_year": birth,
                "death_year": death,
                "awards": "\n".join(rng.sample(AWARDS, rng.choice([0, 0, 1, 1, 2]))),
                "photo": rng.random() < 0.15,
                "story": rng.random() < 0.3,
            }
        )
    return heroes


#: The war's first and last days: a soldier killed in 1941 fell after 22 June, in 1945
#: before the surrender of Japan.
WAR_BEGAN = datetime.date(1941, 6, 22)
WAR_ENDED = datetime.date(1945, 9, 2)


def exact_dates(hero):
    """Plausible exact dates for a demo hero: a death date in the death year (within the
    war for those who did not come back) and, for four in five, a birth date.

    From a generator of the hero's own, so the rest of the demo plan does not shift.
    """
    rng = random.Random(f"{SEED}:dates:{hero['slug']}")

    def day_in(first, last):
        return first + datetime.timedelta(days=rng.randint(0, (last - first).days))

    dates = {}
    if hero["death_year"]:
        first = datetime.date(hero["death_year"], 1, 1)
        last = datetime.date(hero["death_year"], 12, 31)
        if hero["fate"] != Fate.SURVIVED:
            first, last = max(first, WAR_BEGAN), min(last, WAR_ENDED)
        dates["death_date"] = day_in(first, last)
    if rng.random() < 0.8:
        year = hero["birth_year"]
        dates["birth_date"] = day_in(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    return dates


def biography(hero, memorial, district):
    fate_text = {
        Fate.KILLED: f"погиб в {hero['death_year']} году",
        Fate.DIED_OF_WOUNDS: f"умер от ран в {hero['death_year']} году",
        Fate.MISSING: f"пропал без вести в {hero['death_year']} году",
        Fate.SURVIVED: "вернулся домой и работал в колхозе",
    }[hero["fate"]]
    unit = f" Служил: {hero['unit']}." if hero["unit"] else ""
    return (
        f"<p>Родился в {hero['birth_year']} году. Призван в Красную армию районным "
        f"военкоматом ({district.name}).{unit} {hero['rank'].capitalize()}, "
        f"{fate_text}.</p><p>Имя увековечено на памятнике «{memorial.title}» "
        f"({memorial.settlement}). Сведения собраны библиотекой по документам и рассказам "
        "родственников.</p>"
    )


def _libraries(builder):
    from network.models import LibraryPage

    libraries = builder.data.get("libraries") or {
        page.slug: page for page in LibraryPage.objects.filter(locale=builder.ru)
    }
    regional = next((lib for lib in libraries.values() if lib.library_type == "regional"), None)
    by_district = {}
    # The district's central library first; partner regions have districts of the same
    # name («Жуковский район» is in Bryansk oblast too), so only the home region counts.
    members = sorted(
        (lib for lib in libraries.values() if lib.region == REGION_NAME and lib.district),
        key=lambda lib: (lib.library_type != "central", lib.slug),
    )
    for library in members:
        if library.library_type != "regional":
            by_district.setdefault(library.district, library)
    return regional, by_district


def build_demo(builder):
    # The search and reference indexes are updated once per page at the end, as the CSV
    # import does, rather than on each of the three saves of every page.
    with deferred_indexing([MemorialPage, HeroPage]):
        pages = _build(builder)
    index_pages({MemorialPage: {p.pk for p in pages if isinstance(p, MemorialPage)},
                 HeroPage: {p.pk for p in pages if isinstance(p, HeroPage)}})  # fmt: skip


def _build(builder):
    rng = random.Random(SEED)
    home = builder.home
    map_page = builder.child(
        home,
        MemorialIndexPage,
        "pamyatniki",
        title="Памятники",
        intro=INDEX_INTRO,
        how_to_help=INDEX_HELP,
        show_in_menus=True,
    )
    book = builder.child(
        home,
        HeroIndexPage,
        "kniga-pamyati",
        title="Книга памяти",
        intro=BOOK_INTRO,
        show_in_menus=True,
    )
    builder.translate(map_page, ENGLISH_MAP)
    builder.translate(book, ENGLISH_BOOK)
    builder.data["memorial_index"] = map_page
    builder.data["hero_index"] = book

    regional, by_district = _libraries(builder)
    if regional is None and not by_district:
        builder.log("  memorials: в демо нет библиотек — памятники не созданы")
        return []

    memorials = []
    for number, plan in enumerate(plan_memorials(rng), start=1):
        district = plan.pop("district")
        library = by_district.get(district.name) or by_district.get(district.short_name) or regional
        if library is None:
            library = next(iter(by_district.values()))
        has_photo = plan.pop("photo")
        fields = {k: v for k, v in plan.items() if k != "slug"}
        if has_photo:
            kind = (
                "obelisk"
                if plan["kind"] in {MemorialKind.OBELISK, MemorialKind.STELE}
                else "monument"
            )
            fields["photo"] = builder.image(
                f"{plan['title']}, {plan['settlement']}", kind=kind, size=(900, 600)
            )
        memorial = builder.child(
            library,
            MemorialPage,
            plan["slug"],
            district=district.name,
            ref=f"demo-m{number:03d}",
            description=f"<p>{description(plan['title'], plan['settlement'], district.name)}</p>",
            sources=[("source", {"title": SOURCE_TITLE, "url": "", "note": SOURCE_NOTE})],
            **fields,
        )
        memorials.append((memorial, district))

    hero_plans = plan_heroes(rng, 200)
    heroes = []
    for number, hero in enumerate(hero_plans, start=1):
        memorial, district = memorials[(number - 1) % len(memorials)]
        linked = [memorial]
        if number % 5 == 0:  # also named at the district centre, or on a neighbour's
            other, _ = memorials[(number * 7) % len(memorials)]
            if other.pk != memorial.pk:
                linked.append(other)
        fields = {
            key: hero[key]
            for key in (
                "last_name",
                "first_name",
                "patronymic",
                "rank",
                "unit",
                "fate",
                "birth_year",
                "death_year",
                "awards",
            )
        }
        fields.update(exact_dates(hero))
        if hero["photo"]:
            fields["photo"] = builder.image(
                f"Портрет: {hero['last_name']} {hero['first_name']}",
                kind="portrait",
                size=(480, 640),
            )
        if hero["story"]:
            fields["biography"] = biography(hero, memorial, district)
            fields["library"] = memorial.library
        hero_page = builder.child(
            book,
            HeroPage,
            hero["slug"],
            title=f"{hero['last_name']} {hero['first_name']} {hero['patronymic']}",
            ref=f"demo-h{number:03d}",
            memorial_links=[HeroMemorial(memorial=m) for m in linked],
            **fields,
        )
        heroes.append(hero_page)
    builder.log(f"  memorials: памятников {len(memorials)}, героев {len(hero_plans)}")
    english = translate_memorials(builder)
    return [m for m, _district in memorials] + heroes + english


# -- English (issue #7) ------------------------------------------------------------------------

#: The memorials translated into English: the one bearing the most names (Luzhki), a mass
#: grave with its burial figures (Iznoski), a district centre's obelisk and memorial
#: complex, and a village obelisk. Their libraries are translated by the network's step.
ENGLISH_MEMORIALS = [
    "pamyatnik-voinam-osvoboditelyam-d-luzhki",
    "bratskaya-mogila-voinov-pogibshix-v-19411943-godax-s-iznoski",
    "obelisk-pavshim-odnoselchanam-g-kozelsk",
    "memorialnyj-kompleks-vechnyj-ogon-g-obninsk",
    "obelisk-pavshim-odnoselchanam-s-troickoe",
]
#: The heroes translated into English: named on those memorials (some also on one that
#: is not translated), two with a story, a man named on two memorials, two women.
ENGLISH_HEROES = [
    "nikiforov-mixail-sergeevich",
    "vinogradov-semyon-semyonovich",
    "grigoreva-praskovya-ivanovna",
    "maksimov-ilya-ivanovich",
    "efremova-mariya-egorovna",
    "yakovlev-dmitrij-stepanovich",
    "voronin-mixail-semyonovich",
    "smirnov-pavel-andreevich",
]

MEMORIAL_TITLES_ENGLISH = {
    "Братская могила советских воинов": "Mass Grave of Soviet Soldiers",
    "Братская могила воинов, погибших в 1941–1943 годах": (
        "Mass Grave of Soldiers Killed in 1941–1943"
    ),
    "Братская могила партизан": "Mass Grave of Partisans",
    "Обелиск воинам-землякам": "Obelisk to Local Soldiers",
    "Обелиск павшим односельчанам": "Obelisk to Fallen Fellow Villagers",
    "Памятник воинам-освободителям": "Monument to the Liberators",
    "Памятник землякам, погибшим в Великой Отечественной войне": (
        "Monument to Local People Killed in the Great Patriotic War"
    ),
    "Стела «Никто не забыт, ничто не забыто»": "Stele “No One Is Forgotten, Nothing Is Forgotten”",
    "Памятная стела землякам": "Memorial Stele to Local People",
    "Бюст Героя Советского Союза": "Bust of a Hero of the Soviet Union",
    "Мемориальная доска на здании школы": "Memorial Plaque on the School Building",
    "Мемориальный комплекс «Вечный огонь»": "Eternal Flame Memorial Complex",
}
MEMORIAL_ENGLISH = {
    # Inscriptions
    "Вечная слава героям, павшим в боях за свободу и независимость нашей Родины": (
        "Eternal glory to the heroes who fell in battle for the freedom and independence of "
        "our Motherland"
    ),
    "Никто не забыт, ничто не забыто": "No one is forgotten, nothing is forgotten",
    "Здесь похоронены воины Советской армии,\nпогибшие при освобождении района от "
    "немецко-фашистских захватчиков": (
        "Here lie soldiers of the Soviet Army\nwho fell liberating the district from the "
        "German fascist invaders"
    ),
    "Землякам, погибшим в Великой Отечественной войне 1941–1945 гг.": (
        "To our fellow countrymen who died in the Great Patriotic War of 1941–1945"
    ),
    # Sculptors
    "Н. В. Томский": "N. V. Tomsky",
    "Е. В. Вучетич": "Ye. V. Vuchetich",
    "А. П. Кибальников": "A. P. Kibalnikov",
    # Custodians
    "Администрация сельского поселения": "The rural settlement administration",
    "Средняя общеобразовательная школа": "The local secondary school",
    "Совет ветеранов района": "The district veterans' council",
    "Юнармейский отряд школы": "The school's Yunarmiya cadet group",
    # Sources
    SOURCE_TITLE: "Book of Memory of Kaluga Oblast",
    SOURCE_NOTE: "district volume",
}
RANKS_ENGLISH = {
    "рядовой": "private",
    "красноармеец": "Red Army soldier",
    "ефрейтор": "lance corporal",
    "младший сержант": "junior sergeant",
    "сержант": "sergeant",
    "старший сержант": "senior sergeant",
    "старшина": "sergeant major",
    "младший лейтенант": "junior lieutenant",
    "лейтенант": "lieutenant",
    "старший лейтенант": "senior lieutenant",
    "капитан": "captain",
    "майор": "major",
    "санинструктор": "medical orderly",
    "рядовой медицинской службы": "private of the medical service",
    "сержант медицинской службы": "sergeant of the medical service",
}
UNITS_ENGLISH = {
    "1134-й стрелковый полк 330-й стрелковой дивизии": (
        "1134th Rifle Regiment, 330th Rifle Division"
    ),
    "1281-й стрелковый полк 60-й стрелковой дивизии": "1281st Rifle Regiment, 60th Rifle Division",
    "17-я гвардейская стрелковая дивизия": "17th Guards Rifle Division",
    "50-я армия Западного фронта": "50th Army, Western Front",
    "1-й гвардейский кавалерийский корпус": "1st Guards Cavalry Corps",
    "322-я стрелковая дивизия": "322nd Rifle Division",
    "4-й воздушно-десантный корпус": "4th Airborne Corps",
    "Малоярославецкое пехотное училище (подольские курсанты)": (
        "Maloyaroslavets Infantry School (the Podolsk cadets)"
    ),
    "партизанский отряд района": "the district's partisan detachment",
    "112-я танковая дивизия": "112th Tank Division",
}
AWARDS_ENGLISH = {
    "Медаль «За отвагу»": "Medal “For Courage”",
    "Орден Красной Звезды": "Order of the Red Star",
    "Медаль «За боевые заслуги»": "Medal “For Battle Merit”",
    "Орден Отечественной войны II степени": "Order of the Patriotic War, 2nd class",
    "Орден Славы III степени": "Order of Glory, 3rd class",
    "Медаль «За оборону Москвы»": "Medal “For the Defence of Moscow”",
}


def english_place(settlement):
    """«д. Лужки» → Luzhki."""
    from home.demo import bare_settlement, english_spelling

    return english_spelling(bare_settlement(settlement))


def english_district(name):
    """«Юхновский район» → Yukhnovsky District, «город Обнинск» → Obninsk."""
    from home.demo import english_spelling

    district = get_district(name)
    if district is None:
        return english_spelling(name)
    if district.is_city:
        return english_spelling(district.short_name.removeprefix("город "))
    return f"{english_spelling(district.short_name)} District"


def memorial_strings(memorial):
    """``DemoBuilder.translate`` strings of a demo memorial, or None if its title is not
    one the demo gives."""
    from home.demo import english_slug

    title = MEMORIAL_TITLES_ENGLISH.get(memorial.title)
    if title is None:
        return None
    place = english_place(memorial.settlement)
    district = get_district(memorial.district)
    where = (
        place
        if district and district.is_city
        else f"{place}, {english_district(memorial.district)}"
    )
    return {
        **MEMORIAL_ENGLISH,
        memorial.title: title,
        memorial.slug: english_slug(f"{title} {place}".replace("“", "").replace("”", "")),
        memorial.settlement: place,
        description(memorial.title, memorial.settlement, memorial.district): (
            f"{title}, {where}. Described by the district library from the records of the "
            "district military enlistment office and the recollections of local people."
        ),
    }


def hero_strings(hero):
    """``DemoBuilder.translate`` strings of a demo hero: the name in English letters, rank,
    unit, awards and story."""
    from home.demo import english_slug, english_spelling

    last, first, patronymic = (
        english_spelling(part) for part in (hero.last_name, hero.first_name, hero.patronymic)
    )
    # Surname first, as in the Russian Book of Memory: the index is alphabetical by surname
    # and a hero's title is his full name (``HeroPage.full_name``) in every language.
    name = " ".join(part for part in (last, first, patronymic) if part)
    strings = {
        hero.title: name,
        hero.slug: english_slug(name),
        hero.last_name: last,
        hero.first_name: first,
        hero.patronymic: patronymic,
        **RANKS_ENGLISH,
        **UNITS_ENGLISH,
    }
    lines = hero.award_list
    if lines and all(line in AWARDS_ENGLISH for line in lines):
        strings["\n".join(lines)] = "\n".join(AWARDS_ENGLISH[line] for line in lines)
    strings.update(_biography_strings(hero))
    return strings


def _biography_strings(hero):
    """The demo's story of ``hero`` (see ``biography``), paragraph by paragraph."""
    link = hero.memorial_links.select_related("memorial").order_by("sort_order", "pk").first()
    district = get_district(link.memorial.district) if link else None
    if not hero.biography or district is None:
        return {}
    memorial = link.memorial
    plan = {
        "birth_year": hero.birth_year,
        "death_year": hero.death_year,
        "fate": hero.fate,
        "unit": hero.unit,
        "rank": hero.rank,
    }
    russian = biography(plan, memorial, district).removeprefix("<p>").removesuffix("</p>")
    he, his = ("she", "Her") if hero.is_feminine else ("he", "His")
    fate = {
        Fate.KILLED: f"was killed in {hero.death_year}",
        Fate.DIED_OF_WOUNDS: f"died of wounds in {hero.death_year}",
        Fate.MISSING: f"went missing in action in {hero.death_year}",
        Fate.SURVIVED: "came home and worked on the collective farm",
    }[hero.fate]
    rank = RANKS_ENGLISH.get(hero.rank, hero.rank)
    if rank:
        article = "An" if rank[0].lower() in "aeiou" else "A"
        fate = f"{article} {rank}, {he} {fate}."
    else:
        fate = f"{he.capitalize()} {fate}."
    unit = UNITS_ENGLISH.get(hero.unit, hero.unit).removeprefix("the ")
    unit = f" Served in the {unit}." if unit else ""
    title = MEMORIAL_TITLES_ENGLISH.get(memorial.title, memorial.title)
    english = [
        f"Born in {hero.birth_year}. Called up into the Red Army by the district military "
        f"enlistment office ({english_district(district.name)}).{unit} {fate}",
        f"{his} name is on the memorial “{title}” ({english_place(memorial.settlement)}). "
        "The library gathered this information from documents and the recollections of "
        "relatives.",
    ]
    return dict(zip(russian.split("</p><p>"), english, strict=True))


def translate_memorials(builder):
    """The English memorials and heroes of ``ENGLISH_MEMORIALS`` and ``ENGLISH_HEROES``
    (their parents — the libraries, the Book of Memory — translated first); returns the
    English pages made by this run."""
    made = []
    memorials = MemorialPage.objects.filter(locale=builder.ru, slug__in=ENGLISH_MEMORIALS)
    for memorial in memorials.order_by("path"):
        strings = memorial_strings(memorial)
        if strings is not None and memorial.get_translation_or_none(builder.en) is None:
            page = builder.translate(memorial, strings)
            if page is not None:
                made.append(page)
    heroes = HeroPage.objects.filter(locale=builder.ru, slug__in=ENGLISH_HEROES)
    for hero in heroes.order_by("path"):
        if hero.get_translation_or_none(builder.en) is None:
            page = builder.translate(hero, hero_strings(hero))
            if page is not None:
                made.append(page)
    return made
