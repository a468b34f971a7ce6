"""Building the demo network: the shared tools and the home page's part.

``manage.py load_demo`` calls the ``build_demo(builder)`` function of each app listed in
``DEMO_APPS`` in order. Every step is idempotent: what exists is kept as it is (editors'
changes survive a re-run), only what is missing is created. Randomness is seeded, and
images are drawn with Pillow, so two runs on two machines build the same network.
"""

import io
import math
import random
from importlib import import_module

from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.models import Collection, Locale, Page, Site

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

DEMO_APPS = ["home", "network", "projects", "memorials"]
DEMO_COLLECTION = "Демонстрационные материалы"
SEED = 1941

PALETTES = [
    ((62, 52, 44), (176, 141, 87), (236, 224, 200)),
    ((34, 52, 74), (110, 140, 170), (226, 232, 238)),
    ((70, 30, 30), (160, 60, 50), (240, 220, 200)),
    ((40, 60, 40), (120, 150, 100), (230, 236, 220)),
    ((50, 45, 60), (140, 120, 160), (232, 226, 240)),
]


class DemoBuilder:
    """Shared state of one ``load_demo`` run."""

    def __init__(self, stdout=None, style=None):
        self.rng = random.Random(SEED)
        self.stdout = stdout
        self.style = style
        self.created = 0
        self.kept = 0
        self.ru = Locale.objects.get(language_code="ru")
        self.en, _ = Locale.objects.get_or_create(language_code="en")
        self.site = Site.objects.get(is_default_site=True)
        self.home = self.site.root_page.specific
        self.collection = self._collection()
        self.data = {}  # what one app's step leaves for the next ones

    # -- output ---------------------------------------------------------------------------
    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    # -- pages ----------------------------------------------------------------------------
    def child(self, parent, model, slug, **fields):
        """The live child ``slug`` of ``parent``, created and published if missing.

        An existing page is returned as it is: a re-run never overwrites editors' work.
        """
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            self.kept += 1
            return existing.specific
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def translate(self, page, strings):
        """Translate ``page`` into English through wagtail-localize, once.

        ``strings`` maps the Russian source strings to English; a string without an entry
        falls back to the source text. Line breaks of plain text fields may be written as
        ``\n`` (the PO files have ``<br/>``). Returns the English page, or None when the
        parent has no English translation (wagtail-localize would otherwise publish an
        untranslated copy of every ancestor).
        """
        page = page.specific
        existing = page.get_translation_or_none(self.en)
        if existing is not None:
            return existing.specific
        parent = page.get_parent()
        if parent.depth > 1 and parent.get_translation_or_none(self.en) is None:
            self.log(f"  нет перевода родительской страницы: {page.url_path} не переведена")
            return None
        from wagtail_localize.models import Translation, TranslationSource

        strings = {
            source.replace("\n", "<br/>"): english.replace("\n", "<br/>")
            for source, english in strings.items()
        }
        # What wagtail_localize.operations.TranslationCreator does, without its publication:
        # that one is deferred to the end of the transaction, with the page as it was then,
        # so it later overwrote the English text (with the untranslated copy) and the child
        # count (with 0, which made every English page below unreachable).
        source, _created = TranslationSource.get_or_create_from_instance(page)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=self.en
        )
        po = translation.export_po()
        for entry in po:
            if entry.msgid in strings:
                entry.msgstr = strings[entry.msgid]
        translation.import_po(po)
        translation.save_target(publish=False)
        translated = page.get_translation(self.en)
        translated.get_latest_revision().publish()
        self.created += 1
        return translated.specific

    def repair_child_counts(self):
        """Child counts of the English pages, as the tree has them (demo databases built
        before the fix above kept a count of 0 under the English sections)."""
        for page in Page.objects.filter(locale=self.en).only("path", "depth", "numchild"):
            count = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1).count()
            if count != page.numchild:
                Page.objects.filter(pk=page.pk).update(numchild=count)

    # -- images ---------------------------------------------------------------------------
    def _collection(self):
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=DEMO_COLLECTION).first()
        return existing or root.add_child(name=DEMO_COLLECTION)

    def image(self, title, kind="landscape", size=(1200, 800), seed=None):
        """A Wagtail image drawn with Pillow (no download), found again by its title."""
        from wagtail.images import get_image_model

        Image = get_image_model()
        existing = Image.objects.filter(title=title, collection=self.collection).first()
        if existing is not None:
            return existing
        rng = random.Random(f"{SEED}:{title}:{seed}")
        picture = draw_picture(rng, kind, size)
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=82, optimize=True)
        filename = f"demo-{abs(hash_title(title))}.jpg"
        image = Image(title=title, collection=self.collection)
        image.file = ImageFile(buffer, name=filename)
        image.save()
        return image


def hash_title(title):
    """A stable (not salted per process) number for a title, for file names."""
    value = 0
    for char in title:
        value = (value * 131 + ord(char)) % 1_000_000_007
    return value


#: Cyrillic → Latin for English texts (BGN/PCGN without diacritics, as English books spell
#: Russian names: Semyon, Grigoryeva, Dmitry, Yukhnov). Not the slug table of home.text.
_ENGLISH_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюя")


#: Settlement type abbreviations that stand before a name: «с. Износки», «д. Лужки».
SETTLEMENT_PREFIXES = ("с. ", "д. ", "г. ", "п. ", "пос. ")


def bare_settlement(settlement):
    """«с. Износки» → «Износки»."""
    for prefix in SETTLEMENT_PREFIXES:
        settlement = settlement.removeprefix(prefix)
    return settlement


def english_spelling(text):
    """A Russian name in English letters: «Семёнович» → Semyonovich, «Юхновский» →
    Yukhnovsky, «Троицкое» → Troitskoye, «Мария» → Maria."""
    out = []
    for i, char in enumerate(text):
        lower = char.lower()
        latin = _ENGLISH_LETTERS.get(lower)
        if latin is None:
            out.append(char)
            continue
        before = text[i - 1].lower() if i else " "
        after = text[i + 1].lower() if i + 1 < len(text) else " "
        ending = not text[i + 2 : i + 3].isalpha()  # the next letter is the word's last
        if lower == "е" and (not before.isalpha() or before in _VOWELS or before in "ъь"):
            latin = "ye"
        elif lower == "ё" and before in "жчшщ":
            latin = "o"
        elif lower == "ь" and after in "ио":
            latin = "y"  # Ильич → Ilyich
        elif lower in "иы" and after == "й" and ending:
            latin = "y"  # Дмитрий → Dmitry, Юхновский → Yukhnovsky
        elif lower == "й" and before in "иы" and not after.isalpha():
            latin = ""
        elif lower == "я" and before == "и" and not after.isalpha():
            latin = "a"  # Мария → Maria
        if char != lower and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def english_slug(text, max_length=80):
    """A slug for an English title."""
    from django.utils.text import slugify

    slug = slugify(text.replace("–", "-").replace("—", "-"))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


def draw_picture(rng, kind, size):
    """An evocative, text-free picture: sky, land and a monument or building silhouette."""
    width, height = size
    dark, mid, light = rng.choice(PALETTES)
    img = PILImage.new("RGB", size, light)
    draw = ImageDraw.Draw(img)
    horizon = int(height * rng.uniform(0.6, 0.75))
    for y in range(horizon):  # sky gradient
        t = y / max(horizon, 1)
        colour = tuple(int(light[i] * (1 - t * 0.35) + mid[i] * t * 0.35) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    for i in range(3):  # rolling land
        base = horizon + i * (height - horizon) // 4
        points = [(0, height)]
        for x in range(0, width + 40, 40):
            points.append((x, base + int(12 * math.sin(x / rng.uniform(60, 140) + i))))
        points.append((width, height))
        shade = tuple(int(mid[c] * (1 - i * 0.25) + dark[c] * i * 0.25) for c in range(3))
        draw.polygon(points, fill=shade)
    cx = int(width * rng.uniform(0.35, 0.65))
    if kind in {"monument", "obelisk"}:
        top = int(height * rng.uniform(0.12, 0.25))
        w = int(width * 0.05)
        draw.polygon(
            [
                (cx - w, horizon),
                (cx - w // 2, top + w),
                (cx, top),
                (cx + w // 2, top + w),
                (cx + w, horizon),
            ],
            fill=dark,
        )
        draw.rectangle([cx - 3 * w, horizon - w // 2, cx + 3 * w, horizon + w // 2], fill=dark)
        star_r = w * 0.9
        star = [
            (
                cx + star_r * (1 if k % 2 == 0 else 0.45) * math.sin(k * math.pi / 5),
                top
                - star_r * 1.4
                - star_r * (1 if k % 2 == 0 else 0.45) * math.cos(k * math.pi / 5),
            )
            for k in range(10)
        ]
        draw.polygon(star, fill=(170, 40, 40))
    elif kind == "library":
        w, h = int(width * 0.32), int(height * 0.28)
        draw.rectangle([cx - w // 2, horizon - h, cx + w // 2, horizon + 10], fill=dark)
        draw.polygon(
            [
                (cx - w // 2 - 20, horizon - h),
                (cx, horizon - h - h // 2),
                (cx + w // 2 + 20, horizon - h),
            ],
            fill=dark,
        )
        for col in range(5):
            x = cx - w // 2 + (col + 0.5) * w / 5
            draw.rectangle([x - 8, horizon - h + 20, x + 8, horizon - 10], fill=light)
    elif kind == "portrait":
        r = int(min(width, height) * 0.16)
        cy = int(height * 0.38)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=dark)
        draw.ellipse([cx - 2 * r, cy + r, cx + 2 * r, cy + 4 * r], fill=dark)
    else:
        for _ in range(rng.randint(3, 6)):  # trees
            x = rng.randint(0, width)
            h = rng.randint(height // 8, height // 4)
            draw.polygon(
                [(x, horizon - h), (x - h // 4, horizon + 5), (x + h // 4, horizon + 5)], fill=dark
            )
    return img.filter(ImageFilter.SMOOTH)


HOME_LEAD = (
    "Летопись — общий архив сетевых проектов областной библиотеки и муниципальных библиотек "
    "области: памятники и их герои, хроники сёл, буктрейлеры и открытки."
)
HOME_BODY = (
    "<p>С 2015 года библиотеки области вместе собирают сведения о памятниках Великой "
    "Отечественной войны и о людях, чьи имена на них высечены. В сетевых проектах участвуют "
    "центральные районные, городские и сельские библиотеки, а также библиотеки соседних "
    "регионов.</p><p>Каждый материал подписан библиотекой, которая его подготовила. "
    "Ищите героев по фамилии, памятники — по названию села, материалы — по любому слову.</p>"
)
ENGLISH = {
    "Летопись": "Letopis",
    HOME_LEAD: (
        "Letopis is the shared archive of the network projects of the regional library and the "
        "municipal libraries of the region: war memorials and their heroes, village chronicles, "
        "book trailers and postcards."
    ),
    "С 2015 года библиотеки области вместе собирают сведения о памятниках Великой "
    "Отечественной войны и о людях, чьи имена на них высечены. В сетевых проектах участвуют "
    "центральные районные, городские и сельские библиотеки, а также библиотеки соседних "
    "регионов.": (
        "Since 2015 the libraries of the region have been collecting the stories of the Great "
        "Patriotic War memorials and of the people whose names they bear. District, town and "
        "village libraries take part in the network projects, as do libraries of neighbouring "
        "regions."
    ),
    "Каждый материал подписан библиотекой, которая его подготовила. Ищите героев по фамилии, "
    "памятники — по названию села, материалы — по любому слову.": (
        "Every material names the library that prepared it. Search heroes by surname, memorials "
        "by village and materials by any word."
    ),
}


def build_demo(builder):
    """Site settings, the home page's content and its English translation."""
    from home.models import SiteSettings

    site = builder.site
    if site.site_name != "Летопись" or site.hostname != "localhost":
        site.site_name = site.site_name or "Летопись"
        site.save()
    settings = SiteSettings.for_site(site)
    if not settings.organisation:
        settings.site_name_en = "Letopis"
        settings.tagline = "Архив сетевых проектов библиотек области"
        settings.tagline_en = "The archive of the region's library network projects"
        settings.organisation = "Калужская областная научная библиотека им. В. Г. Белинского"
        settings.organisation_en = "V. G. Belinsky Kaluga Regional Scientific Library"
        settings.address = "248000, г. Калуга, ул. Луначарского, 6"
        settings.address_en = "6 Lunacharskogo St., Kaluga, 248000, Russia"
        settings.phone = "+7 (4842) 56-00-00"
        settings.email = "letopis@example.org"
        settings.opening_hours = "Пн–Пт 10:00–19:00, Сб 10:00–18:00, Вс — выходной"
        settings.opening_hours_en = "Mon–Fri 10:00–19:00, Sat 10:00–18:00, closed on Sundays"
        settings.save()
        builder.created += 1

    home = builder.home
    if not home.lead and not home.has_unpublished_changes and home.revisions.count() == 0:
        home.lead = HOME_LEAD
        home.body = HOME_BODY
        home.hero_image = builder.image("Обелиск на холме", kind="obelisk")
        home.save_revision().publish()
        builder.created += 1
    builder.translate(home, ENGLISH)
    builder.data["home"] = home


def load_demo(stdout=None, style=None):
    builder = DemoBuilder(stdout=stdout, style=style)
    modules = []
    for app in DEMO_APPS:
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        modules.append(module)
        with transaction.atomic():
            module.build_demo(builder)
        builder.log(f"  {app}: готово")
    # Steps that need every app's pages (the libraries' access to the Book of Memory).
    for module in modules:
        if hasattr(module, "finish_demo"):
            with transaction.atomic():
                module.finish_demo(builder)
    builder.repair_child_counts()
    return builder
