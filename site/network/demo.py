"""The demo's library network: the directory and the libraries of Калужская область.

The regional library, central district libraries (ЦБС) of several districts, a city and a
children's library, and — most of the network, as in life — village libraries, plus two
partner libraries of neighbouring regions. Coordinates are the district centre's (from
``network.regions``) with a small offset drawn from the builder's seeded generator, so
two runs place every library in the same spot. Existing pages are kept as they are.
"""

from decimal import Decimal
from pathlib import Path

from .models import LibraryIndexPage, LibraryPage, LibraryType
from .regions import REGION_NAME, get_district

INDEX_INTRO = (
    "Областная научная библиотека и муниципальные библиотеки области — центральные "
    "районные, городские, детские и сельские, — а также библиотеки-партнёры соседних "
    "регионов. У каждой библиотеки своя страница со всеми её материалами."
)
INDEX_ENGLISH = {
    "Библиотеки": "Libraries",
    "biblioteki": "libraries",
    INDEX_INTRO: (
        "The regional scientific library and the municipal libraries of the region — district, "
        "town, children's and village libraries — and partner libraries of neighbouring "
        "regions. Each library has its own page with everything it has contributed."
    ),
}

#: The libraries translated into English (issue #7): those whose contributions and
#: memorials the projects' and memorials' demo steps translate (a translated page needs
#: its parent translated first). Region and district stay as they are: they are the
#: directory's filter values, shown through ``network.regions`` labels.
LIBRARY_ENGLISH = {
    "kozelskaya-crb": {
        "title": "Kozelsk Central District Library",
        "slug": "kozelsk-central-district-library",
        "short": "Kozelsk District Library",
        "settlement": "Kozelsk",
        "address": "18 Bolshaya Sovetskaya St., Kozelsk",
        "description": "The central library of the Kozelsk library system: it brings together "
        "the district's 27 village libraries and keeps the chronicle of the district's "
        "memorials.",
    },
    "borovskaya-crb": {
        "title": "Borovsk Central District Library",
        "slug": "borovsk-central-district-library",
        "short": "Borovsk District Library",
        "settlement": "Borovsk",
        "address": "5 Sovetskaya St., Borovsk",
        "description": "The district's central library: it runs a local history club and an "
        "online catalogue of the district's memorials.",
    },
    "iznoskovskaya-crb": {
        "title": "Iznoski Central District Library",
        "slug": "iznoski-central-district-library",
        "short": "Iznoski District Library",
        "settlement": "Iznoski",
        "address": "25 Lenina St., Iznoski",
        "description": "The central library of a rural district: together with the village "
        "libraries it describes the district's mass graves.",
    },
    "yuxnovskaya-crb": {
        "title": "Yukhnov Central District Library",
        "slug": "yukhnov-central-district-library",
        "short": "Yukhnov District Library",
        "settlement": "Yukhnov",
        "address": "9 Karla Marksa St., Yukhnov",
        "description": "Collects materials on the defence of the Ugra and of the Warsaw "
        "Highway in 1941–1942.",
    },
    "obninskaya-gorodskaya-biblioteka": {
        "title": "Obninsk Central City Library",
        "slug": "obninsk-central-city-library",
        "short": "Obninsk City Library",
        "settlement": "Obninsk",
        "address": "75 Lenina Ave., Obninsk",
        "description": "The city library of Russia's first science city: it runs a project "
        "about the townspeople who fought in the war.",
    },
    "lyudinovskaya-detskaya-biblioteka": {
        "title": "Lyudinovo District Children's Library",
        "slug": "lyudinovo-childrens-library",
        "short": "Lyudinovo Children's Library",
        "settlement": "Lyudinovo",
        "address": "4 Fokina St., Lyudinovo",
        "description": "The district's children's library: schoolchildren write down their "
        "families' stories of the war years.",
    },
}

R, C, CITY, CH, P = (
    LibraryType.REGIONAL,
    LibraryType.CENTRAL,
    LibraryType.CITY,
    LibraryType.CHILDREN,
    LibraryType.PARTNER,
)
V = LibraryType.RURAL

# (slug, type, full name, short name, district, settlement, street address, phone code,
#  description, photo?) — the district is the short name of a district of regions.py.
LIBRARIES = [
    (
        "kaluzhskaya-oblastnaya-nauchnaya-biblioteka",
        R,
        "Калужская областная научная библиотека им. В. Г. Белинского",
        "Областная библиотека им. Белинского",
        "город Калуга",
        "г. Калуга",
        "248000, г. Калуга, ул. Луначарского, 6",
        "4842",
        "Главная библиотека области и методический центр сети: координирует сетевые проекты, "
        "собирает материалы муниципальных библиотек и хранит краеведческий фонд.",
        True,
    ),
    (
        "kozelskaya-crb",
        C,
        "Козельская центральная районная библиотека",
        "Козельская ЦРБ",
        "Козельский",
        "г. Козельск",
        "ул. Большая Советская, 18",
        "48442",
        "Центральная библиотека Козельской ЦБС: объединяет 27 сельских библиотек района и ведёт "
        "летопись памятников района.",
        True,
    ),
    (
        "suxinichskaya-crb",
        C,
        "Сухиничская центральная районная библиотека",
        "Сухиничская ЦРБ",
        "Сухиничский",
        "г. Сухиничи",
        "ул. Ленина, 56",
        "48451",
        "Собирает воспоминания жителей о боях за Сухиничи зимой 1942 года.",
        False,
    ),
    (
        "borovskaya-crb",
        C,
        "Боровская центральная районная библиотека",
        "Боровская ЦРБ",
        "Боровский",
        "г. Боровск",
        "ул. Советская, 5",
        "48438",
        "Центральная библиотека района; ведёт краеведческий клуб и электронный каталог "
        "памятников района.",
        True,
    ),
    (
        "tarusskaya-crb",
        C,
        "Тарусская центральная районная библиотека",
        "Тарусская ЦРБ",
        "Тарусский",
        "г. Таруса",
        "ул. Ленина, 17",
        "48435",
        "Библиотека города писателей и художников; хранит фонд местных литераторов.",
        False,
    ),
    (
        "iznoskovskaya-crb",
        C,
        "Износковская центральная районная библиотека",
        "Износковская ЦРБ",
        "Износковский",
        "с. Износки",
        "ул. Ленина, 25",
        "48449",
        "Центральная библиотека сельского района; вместе с сельскими библиотеками описывает "
        "братские могилы района.",
        False,
    ),
    (
        "peremyshlskaya-crb",
        C,
        "Перемышльская центральная районная библиотека",
        "Перемышльская ЦРБ",
        "Перемышльский",
        "с. Перемышль",
        "ул. Ленина, 10",
        "48441",
        "Центральная библиотека района на берегу Оки; ведёт проект «Летопись родного села».",
        False,
    ),
    (
        "yuxnovskaya-crb",
        C,
        "Юхновская центральная районная библиотека",
        "Юхновская ЦРБ",
        "Юхновский",
        "г. Юхнов",
        "ул. Карла Маркса, 9",
        "48436",
        "Собирает материалы об обороне на Угре и о Варшавском шоссе 1941–1942 годов.",
        False,
    ),
    (
        "obninskaya-gorodskaya-biblioteka",
        CITY,
        "Центральная городская библиотека г. Обнинска",
        "Обнинская городская библиотека",
        "город Обнинск",
        "г. Обнинск",
        "пр. Ленина, 75",
        "484",
        "Городская библиотека первого наукограда; ведёт проект о земляках — участниках войны.",
        True,
    ),
    (
        "lyudinovskaya-detskaya-biblioteka",
        CH,
        "Людиновская районная детская библиотека",
        "Людиновская детская библиотека",
        "Людиновский",
        "г. Людиново",
        "ул. Фокина, 4",
        "48444",
        "Детская библиотека района: школьники записывают истории своих семей военных лет.",
        False,
    ),
    # Village libraries: most of the network.
    (
        "tarutinskaya-selskaya-biblioteka",
        V,
        "Тарутинская сельская библиотека",
        "Тарутинская библиотека",
        "Жуковский",
        "с. Тарутино",
        "ул. Центральная, 2",
        "48432",
        "Сельская библиотека на Тарутинском поле: краеведческий уголок о 1812 и 1941 годах.",
        True,
    ),
    (
        "vorsinskaya-selskaya-biblioteka",
        V,
        "Ворсинская сельская библиотека",
        "Ворсинская библиотека",
        "Боровский",
        "с. Ворсино",
        "ул. Молодёжная, 3",
        "48438",
        "Библиотека при доме культуры; собирает фотографии села разных лет.",
        False,
    ),
    (
        "detchinskaya-selskaya-biblioteka",
        V,
        "Детчинская сельская библиотека",
        "Детчинская библиотека",
        "Малоярославецкий",
        "с. Детчино",
        "ул. Матросова, 2",
        "48431",
        "Ведёт Книгу памяти села и выставку писем с фронта.",
        False,
    ),
    (
        "kremenskaya-selskaya-biblioteka",
        V,
        "Кременская сельская библиотека",
        "Кременская библиотека",
        "Медынский",
        "с. Кременское",
        "ул. Центральная, 11",
        "48433",
        "Сельская библиотека в краю Можайского рубежа обороны.",
        False,
    ),
    (
        "shanskaya-selskaya-biblioteka",
        V,
        "Сельская библиотека с. Шанский Завод",
        "Шанско-Заводская библиотека",
        "Износковский",
        "с. Шанский Завод",
        "ул. Школьная, 1",
        "48449",
        "Небольшая библиотека, которая знает каждую семью села; описала три памятника округи.",
        False,
    ),
    (
        "myatlevskaya-selskaya-biblioteka",
        V,
        "Мятлевская сельская библиотека",
        "Мятлевская библиотека",
        "Износковский",
        "п. Мятлево",
        "ул. Вокзальная, 6",
        "48449",
        "Собирает истории железнодорожников станции Мятлево в годы войны.",
        False,
    ),
    (
        "axlebininskaya-selskaya-biblioteka",
        V,
        "Ахлебининская сельская библиотека",
        "Ахлебининская библиотека",
        "Перемышльский",
        "с. Ахлебинино",
        "ул. Садовая, 4",
        "48441",
        "Вместе со школой ведёт летопись села и уход за воинским захоронением.",
        False,
    ),
    (
        "nizhneprysskaya-selskaya-biblioteka",
        V,
        "Нижнепрысковская сельская библиотека",
        "Нижнепрысковская библиотека",
        "Козельский",
        "с. Нижние Прыски",
        "ул. Оптинская, 8",
        "48442",
        "Библиотека рядом с Оптиной пустынью; краеведческие чтения для жителей и паломников.",
        True,
    ),
    (
        "serpejskaya-selskaya-biblioteka",
        V,
        "Серпейская сельская библиотека",
        "Серпейская библиотека",
        "Мещовский",
        "с. Серпейск",
        "ул. Ленина, 21",
        "48446",
        "Рассказывает об истории древнего Серпейска и о его защитниках.",
        False,
    ),
    (
        "shlippovskaya-selskaya-biblioteka",
        V,
        "Шлипповская сельская библиотека",
        "Шлипповская библиотека",
        "Сухиничский",
        "с. Шлиппово",
        "ул. Новая, 2",
        "48451",
        "Собирает воспоминания о партизанах Сухиничского района.",
        False,
    ),
    (
        "brynskaya-selskaya-biblioteka",
        V,
        "Брынская сельская библиотека",
        "Брынская библиотека",
        "Думиничский",
        "с. Брынь",
        "ул. Центральная, 14",
        "48447",
        "Ведёт летопись села и фотоархив выпускников сельской школы.",
        False,
    ),
    (
        "ogorskaya-selskaya-biblioteka",
        V,
        "Огорская сельская библиотека",
        "Огорская библиотека",
        "Жиздринский",
        "с. Огорь",
        "ул. Мира, 3",
        "48443",
        "Небольшая сельская библиотека; описала обелиск у сельского клуба.",
        False,
    ),
    (
        "bukanskaya-selskaya-biblioteka",
        V,
        "Буканская сельская библиотека",
        "Буканская библиотека",
        "Людиновский",
        "с. Букань",
        "ул. Молодёжная, 7",
        "48444",
        "Собирает материалы о людиновском подполье и партизанах района.",
        True,
    ),
    (
        "pavlinovskaya-selskaya-biblioteka",
        V,
        "Павлиновская сельская библиотека",
        "Павлиновская библиотека",
        "Спас-Деменский",
        "с. Павлиново",
        "ул. Школьная, 5",
        "48455",
        "Ведёт поиск имён воинов, погибших на Спас-Деменском направлении.",
        False,
    ),
    (
        "klimovozavodskaya-selskaya-biblioteka",
        V,
        "Климово-Заводская сельская библиотека",
        "Климово-Заводская библиотека",
        "Юхновский",
        "с. Климов Завод",
        "ул. Заводская, 1",
        "48436",
        "Хранит воспоминания о боях на Угре осенью 1941 года.",
        False,
    ),
    (
        "avchurinskaya-selskaya-biblioteka",
        V,
        "Авчуринская сельская библиотека",
        "Авчуринская библиотека",
        "Ферзиковский",
        "с. Авчурино",
        "ул. Центральная, 9",
        "48437",
        "Ведёт летопись села и проект о сельских учителях.",
        False,
    ),
    (
        "baryatinskaya-selskaya-biblioteka",
        V,
        "Барятинская сельская библиотека",
        "Барятинская библиотека",
        "Тарусский",
        "с. Барятино",
        "ул. Центральная, 3",
        "48435",
        "Рассказывает об усадьбе Барятино и о судьбах жителей села.",
        False,
    ),
    (
        "podbuzhskaya-selskaya-biblioteka",
        V,
        "Подбужская сельская библиотека",
        "Подбужская библиотека",
        "Хвастовичский",
        "с. Подбужье",
        "ул. Лесная, 2",
        "48453",
        "Собирает истории партизанского края на границе с Брянской областью.",
        False,
    ),
    (
        "uteshevskaya-selskaya-biblioteka",
        V,
        "Утешевская сельская библиотека",
        "Утешевская библиотека",
        "Бабынинский",
        "с. Утешево",
        "ул. Садовая, 1",
        "48448",
        "Ведёт краеведческий кружок для школьников и летопись села.",
        False,
    ),
]

# Partner libraries of neighbouring regions: explicit places (outside regions.py's data).
PARTNERS = [
    (
        "dyatkovskaya-gorodskaya-biblioteka",
        "Брянская область",
        "Дятьковская центральная городская библиотека",
        "Дятьковская библиотека",
        "Дятьковский район",
        "г. Дятьково",
        "ул. Ленина, 141",
        "48333",
        (53.5960, 34.3390),
        False,
        "Библиотека-партнёр из соседней Брянской области: вместе описывают партизанский край "
        "на границе двух областей.",
    ),
    (
        "ershichskaya-crb",
        "Смоленская область",
        "Ершичская центральная районная библиотека",
        "Ершичская ЦРБ",
        "Ершичский район",
        "с. Ершичи",
        "ул. Советская, 20",
        "48155",
        (53.9200, 32.7800),
        True,
        "Библиотека-партнёр Смоленской области; участвует в проекте о памятниках с 2019 года.",
    ),
]


def _coordinate(value):
    return Decimal(f"{value:.6f}")


def _phone(code, n):
    """A demo number of the right shape for the place's area code."""
    local_digits = 10 - len(code)
    number = str(21000 + 137 * n).rjust(local_digits, "2")[-local_digits:]
    if local_digits == 5:
        return f"+7 ({code}) {number[0]}-{number[1:3]}-{number[3:]}"
    if local_digits == 6:
        return f"+7 ({code}) {number[:2]}-{number[2:4]}-{number[4:]}"
    return f"+7 ({code}) {number[:3]}-{number[3:5]}-{number[5:]}"


def _description(text):
    return f"<p>{text}</p>"


def build_demo(builder):
    """The directory «Библиотеки» with its English translation, and the libraries."""
    index = builder.child(
        builder.home,
        LibraryIndexPage,
        "biblioteki",
        title="Библиотеки",
        show_in_menus=True,
        intro=_description(INDEX_INTRO),
    )
    builder.translate(index, INDEX_ENGLISH)

    libraries = {}
    existing = set(index.get_children().values_list("slug", flat=True))
    for n, (
        slug,
        kind,
        title,
        short,
        district_name,
        settlement,
        address,
        code,
        text,
        photo,
    ) in enumerate(LIBRARIES):
        district = get_district(district_name)
        # Always draw the offset, even for a kept page, so the generator's state (and so
        # every later step of the demo) is the same on every run.
        spread = 0.004 if kind in (R, CITY) or settlement == district.centre else 0.09
        lat = district.lat + builder.rng.uniform(-spread, spread)
        lon = district.lon + builder.rng.uniform(-spread, spread) * 1.6
        fields = {
            "title": title,
            "short_name": short,
            "library_type": kind,
            # A central library in a village (село) serves a rural district: rural too.
            "is_rural": kind == V or settlement.startswith(("с. ", "д. ", "п. ")),
            "region": REGION_NAME,
            "district": district.name,
            "settlement": settlement,
            "address": address if address.startswith("2") else f"{settlement}, {address}",
            "latitude": _coordinate(lat),
            "longitude": _coordinate(lon),
            "phone": _phone(code, n),
            "email": f"{slug.split('-')[0]}@example.org",
            "description": _description(text),
        }
        if kind == R:
            fields["website"] = "https://library.example.org/"
        if photo and slug not in existing:
            fields["photo"] = builder.image(f"Здание: {short}", kind="library")
        libraries[slug] = builder.child(index, LibraryPage, slug, **fields)

    for n, (
        slug,
        region,
        title,
        short,
        district,
        settlement,
        address,
        code,
        point,
        rural,
        text,
    ) in enumerate(PARTNERS, start=len(LIBRARIES)):
        lat = point[0] + builder.rng.uniform(-0.004, 0.004)
        lon = point[1] + builder.rng.uniform(-0.006, 0.006)
        libraries[slug] = builder.child(
            index,
            LibraryPage,
            slug,
            title=title,
            short_name=short,
            library_type=P,
            is_rural=rural,
            region=region,
            district=district,
            settlement=settlement,
            address=f"{settlement}, {address}",
            latitude=_coordinate(lat),
            longitude=_coordinate(lon),
            phone=_phone(code, n),
            email=f"{slug.split('-')[0]}@example.org",
            description=_description(text),
        )

    _translate_libraries(builder, libraries)
    builder.data["library_index"] = index
    builder.data["libraries"] = libraries
    builder.log(f"  network: библиотек в каталоге — {len(libraries)}")


def library_strings(library, english):
    """``DemoBuilder.translate`` strings of one library: its Russian texts → ``english``."""
    return {
        library.title: english["title"],
        library.slug: english["slug"],
        library.short_name: english["short"],
        library.settlement: english["settlement"],
        library.address: english["address"],
        # The description is one paragraph of plain text (see _description).
        _plain(library.description): english["description"],
    }


def _plain(html):
    return html.removeprefix("<p>").removesuffix("</p>")


def _translate_libraries(builder, libraries):
    for slug, english in LIBRARY_ENGLISH.items():
        library = libraries.get(slug)
        if library is not None:
            builder.translate(library, library_strings(library, english))


#: The demo libraries as a partner-library table: what ``import_libraries`` reads.
DEMO_CSV = Path(__file__).resolve().parent / "data" / "demo-libraries.csv"


def finish_demo(builder):
    """Onboard the demo libraries from ``DEMO_CSV`` (groups, collections, workflow,
    editor accounts without passwords and without invitations)."""
    from memorials.exchange import read_table

    from .onboarding import REQUIRED_COLUMNS, onboard_library, parse_library

    table = read_table(DEMO_CSV, REQUIRED_COLUMNS)
    editors = 0
    for _line, row in table.rows:
        outcome = onboard_library(parse_library(row), invite=False)
        editors += len(outcome.joined)
    builder.log(f"  network: библиотек-участников {len(table.rows)}, новых редакторов {editors}")
