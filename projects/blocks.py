"""StreamField blocks of network projects and the libraries' contributions.

One StructBlock per kind of material (bakerydemo's ``base/blocks.py``): each declares its
icon, template (``components/streamfield/blocks/``), preview value and description for
editors. Cross-field validation lives in ``clean()``; what templates derive from a value
(dates in words, the sort order, alt text, share links) lives in a ``StructValue`` subclass.
There is deliberately no raw HTML block: everything an editor enters is escaped or goes
through a restricted rich text editor.
"""

import calendar
from urllib.parse import urlencode, urljoin

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.shortcuts import get_rendition_or_not_found

from wagtailmedia.blocks import VideoChooserBlock

from home.dates import date_language, format_partial_date, iso_partial_date
from network.geo import validate_point

from .embeds import UNRECOGNISED_LINK, iframe_html, parse_video_url

BLOCK_TEMPLATES = "components/streamfield/blocks/"

# Rich text in blocks: no images or embeds inside text (photos have their own blocks with
# alt text and credits), and no headings inside chronicle entries (the entry is the heading).
TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
ENTRY_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

# The postcard to download and print.
DOWNLOAD_SIZE = "max-2400x2400|format-jpeg"
# The renditions the blocks' templates make of their pictures, which templates name
# literally: keep them the same. A photo is a picture 480/800/1200 px wide and a 1600 px
# version for the viewer (photo.html); a postcard the same picture and DOWNLOAD_SIZE
# (postcard.html); a book trailer's poster one JPEG (book_trailer.html). A page loads them
# for its whole body in one query (``prefetch_body_renditions``).
PHOTO_PICTURE = "width-{480,800,1200}"
PHOTO_LARGE = "max-1600x1600"
POSTER = "width-1200|format-jpeg"

# ---------------------------------------------------------------------------------------
# Dates that may be a day, a month or only a year
# ---------------------------------------------------------------------------------------

MONTH_CHOICES = [
    ("1", _("январь")),
    ("2", _("февраль")),
    ("3", _("март")),
    ("4", _("апрель")),
    ("5", _("май")),
    ("6", _("июнь")),
    ("7", _("июль")),
    ("8", _("август")),
    ("9", _("сентябрь")),
    ("10", _("октябрь")),
    ("11", _("ноябрь")),
    ("12", _("декабрь")),
]


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _preview_assets(model):
    """Images or documents for block previews in the editor, from outside the partner
    libraries' own collections: every editor sees the previews, and a library's uploads
    may belong to its unpublished drafts."""
    from network.models import LibraryAccess

    return model.objects.exclude(
        collection__in=LibraryAccess.objects.values("collection")
    ).order_by("pk")


def _preview_images(count):
    """Pictures for block previews: a gallery or a postcard without a picture would preview
    as nothing. Empty when there are none."""
    from wagtail.images import get_image_model

    return list(_preview_assets(get_image_model())[:count])


# ---------------------------------------------------------------------------------------
# Shared behaviour
# ---------------------------------------------------------------------------------------


class LetopisStructBlock(blocks.StructBlock):
    """A StructBlock whose empty required fields get a message that says what to enter.

    Fields stay ``required=True`` (so the editor shows them as required and drafts may
    leave them empty); only Django's generic «fill in this field» is replaced.
    """

    required_messages = {}

    def clean(self, value):
        try:
            cleaned = super().clean(value)
        except blocks.StructBlockValidationError as error:
            errors = dict(error.block_errors)
            for name, message in self.required_messages.items():
                if getattr(errors.get(name), "code", None) == "required":
                    errors[name] = ValidationError(message, code="required")
            raise blocks.StructBlockValidationError(
                block_errors=errors, non_block_errors=error.non_block_errors
            ) from None
        errors = self.value_errors(cleaned)
        if errors:
            raise blocks.StructBlockValidationError(
                block_errors={name: ValidationError(message) for name, message in errors.items()}
            )
        return cleaned

    def value_errors(self, value):
        """Errors keyed by child block name; drafts skip what only completeness requires."""
        return {}


# ---------------------------------------------------------------------------------------
# Photos and galleries
# ---------------------------------------------------------------------------------------


class PhotoValue(blocks.StructValue):
    @property
    def alt(self):
        """The alt text: the editor's, else the image's own description (or its title)."""
        image = self.get("image")
        text = (self.get("alt_text") or "").strip()
        if text or image is None:
            return text
        return image.default_alt_text


class PhotoBlock(LetopisStructBlock):
    """A photograph with its caption, its author or source, and alt text."""

    image = ImageChooserBlock(label=_("изображение"))
    caption = blocks.CharBlock(
        label=_("подпись"),
        required=False,
        max_length=300,
        help_text=_("Что и кто на снимке, где и когда он сделан."),
    )
    credit = blocks.CharBlock(
        label=_("автор снимка или источник"),
        required=False,
        max_length=200,
        help_text=_("Например: «Фото из семейного архива Ивановых» или «Фото: А. Петров»."),
    )
    alt_text = blocks.CharBlock(
        label=_("альтернативный текст"),
        required=False,
        max_length=400,
        help_text=_(
            "Что изображено — для незрячих посетителей. Можно не заполнять, "
            "если описание задано у самого изображения в медиатеке."
        ),
    )

    required_messages = {"image": _("Выберите фотографию.")}

    class Meta:
        icon = "image"
        label = _("Фотография")
        template = BLOCK_TEMPLATES + "photo.html"
        value_class = PhotoValue
        description = _("Фотография с подписью, автором и альтернативным текстом.")
        preview_value = {
            "image": None,
            "caption": "Ветераны у обелиска в селе Берёзовка, 9 мая 1975 года",
            "credit": "Фото из архива сельской библиотеки",
            "alt_text": "Пятеро пожилых мужчин с орденами стоят у обелиска с венками",
        }

    def value_errors(self, value):
        image = value.get("image")
        has_description = bool(image and (getattr(image, "description", "") or "").strip())
        if (
            image is not None
            and not (value.get("alt_text") or "").strip()
            and not has_description
            and not self.is_deferred_validation
        ):
            return {
                "alt_text": _(
                    "Добавьте альтернативный текст: опишите, что на фотографии, "
                    "для незрячих посетителей."
                )
            }
        return {}


def _photos(list_value):
    return [photo for photo in list_value or [] if photo.get("image") is not None]


class GalleryValue(blocks.StructValue):
    @cached_property
    def photos(self):
        """The photographs in the editor's order, without images deleted from the library."""
        return _photos(self.get("images"))


class GalleryBlock(LetopisStructBlock):
    """Photographs in the editor's order, opened full size in a keyboard-friendly viewer."""

    title = blocks.CharBlock(label=_("заголовок"), required=False, max_length=200)
    images = blocks.ListBlock(PhotoBlock(), label=_("фотографии"))

    class Meta:
        icon = "image"
        label = _("Фотогалерея")
        template = BLOCK_TEMPLATES + "gallery.html"
        value_class = GalleryValue
        description = _("Несколько фотографий с подписями; по щелчку открываются крупно.")
        preview_value = {
            "title": "Встреча с ветеранами в читальном зале",
            "images": [
                {
                    "image": None,
                    "caption": "Ветераны у обелиска в селе Берёзовка, 9 мая 1975 года",
                    "credit": "Фото из архива сельской библиотеки",
                    "alt_text": "Пожилые мужчины с орденами стоят у обелиска с венками",
                },
                {
                    "image": None,
                    "caption": "Школьники читают письма с фронта",
                    "credit": "Фото: Н. Смирнова",
                    "alt_text": "Дети за столом читают пожелтевшие письма",
                },
            ],
        }

    def get_preview_value(self):
        value = super().get_preview_value()
        for photo, image in zip(
            value["images"], _preview_images(len(value["images"])), strict=False
        ):
            photo["image"] = image
        return value

    def value_errors(self, value):
        if not _photos(value.get("images")) and not self.is_deferred_validation:
            return {"images": _("Добавьте в галерею хотя бы одну фотографию.")}
        return {}


# ---------------------------------------------------------------------------------------
# Chronicle
# ---------------------------------------------------------------------------------------


class ChronicleEntryValue(blocks.StructValue):
    @property
    def year_number(self):
        return _int_or_none(self.get("year"))

    @property
    def month_number(self):
        return _int_or_none(self.get("month"))

    @property
    def day_number(self):
        return _int_or_none(self.get("day")) if self.month_number else None

    @property
    def display_date(self):
        if self.year_number is None:
            return ""
        return format_partial_date(self.year_number, self.month_number, self.day_number)

    @property
    def iso_date(self):
        if self.year_number is None:
            return ""
        return iso_partial_date(self.year_number, self.month_number, self.day_number)

    @property
    def sort_key(self):
        """A year alone comes before the months of that year, a month before its days."""
        return (self.year_number or 0, self.month_number or 0, self.day_number or 0)

    @cached_property
    def photos(self):
        return _photos(self.get("photos"))


class ChronicleEntryBlock(LetopisStructBlock):
    """One dated record: an exact day, a month, or only a year."""

    year = blocks.IntegerBlock(label=_("год"), min_value=1000, max_value=2100)
    month = blocks.ChoiceBlock(
        label=_("месяц"),
        choices=MONTH_CHOICES,
        required=False,
        help_text=_("Пусто, если известен только год."),
    )
    day = blocks.IntegerBlock(
        label=_("день"),
        required=False,
        min_value=1,
        max_value=31,
        help_text=_("Пусто, если известны только месяц и год."),
    )
    heading = blocks.CharBlock(label=_("заголовок"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("текст"), required=False, features=ENTRY_TEXT_FEATURES)
    photos = blocks.ListBlock(PhotoBlock(), label=_("фотографии"))

    required_messages = {"year": _("Укажите год.")}

    class Meta:
        icon = "date"
        label = _("Запись летописи")
        template = BLOCK_TEMPLATES + "chronicle_entry.html"
        value_class = ChronicleEntryValue
        description = _("Событие с датой: точный день, месяц или только год.")
        preview_value = {
            "year": 1943,
            "month": "3",
            "day": 12,
            "heading": "Освобождение Ржева",
            "text": "<p>Войска Западного фронта освободили город.</p>",
            "photos": [],
        }

    def value_errors(self, value):
        month = _int_or_none(value.get("month"))
        day = _int_or_none(value.get("day"))
        year = _int_or_none(value.get("year"))
        errors = {}
        if day and not month:
            errors["day"] = _("Чтобы указать день, выберите и месяц.")
        elif day and month and year and day > calendar.monthrange(year, month)[1]:
            errors["day"] = _("Даты %(date)s не существует: проверьте день и месяц.") % {
                "date": format_partial_date(year, month, day)
            }
        has_content = (
            (value.get("heading") or "").strip()
            or (value.get("text") and value["text"].source.strip())
            or _photos(value.get("photos"))
        )
        if not has_content and not self.is_deferred_validation:
            errors["heading"] = _("Запись пуста: добавьте заголовок, текст или фотографию.")
        return errors


class ChronicleValue(blocks.StructValue):
    @cached_property
    def sorted_entries(self):
        """Entries by date whatever order the editor added them in (stable for ties)."""
        return sorted(self.get("entries") or [], key=lambda entry: entry.sort_key)

    @property
    def has_photos(self):
        return any(entry.photos for entry in self.get("entries") or [])


class ChronicleBlock(LetopisStructBlock):
    """A dated chronicle: entries shown in date order, each with text and photos."""

    title = blocks.CharBlock(label=_("заголовок"), required=False, max_length=200)
    entries = blocks.ListBlock(ChronicleEntryBlock(), label=_("записи"))

    class Meta:
        icon = "history"
        label = pgettext_lazy("chronicle block", "Летопись")
        template = BLOCK_TEMPLATES + "chronicle.html"
        value_class = ChronicleValue
        description = _(
            "Записи с датами — день, месяц или только год — с текстом и фотографиями; "
            "на сайте выстраиваются по времени."
        )
        preview_value = {
            "title": "Летопись села Берёзовка в годы войны",
            "entries": [
                {
                    "year": 1941,
                    "month": "",
                    "day": None,
                    "heading": "Проводы на фронт",
                    "text": "<p>Из села ушли на фронт 126 человек, вернулись 48.</p>",
                    "photos": [],
                },
                {
                    "year": 1943,
                    "month": "3",
                    "day": 12,
                    "heading": "Освобождение",
                    "text": "<p>Части 5-й армии освободили село.</p>",
                    "photos": [],
                },
                {
                    "year": 1942,
                    "month": "1",
                    "day": None,
                    "heading": "Оккупация",
                    "text": "<p>В школе разместился немецкий штаб.</p>",
                    "photos": [],
                },
            ],
        }

    def value_errors(self, value):
        if not value.get("entries") and not self.is_deferred_validation:
            return {"entries": _("Добавьте в летопись хотя бы одну запись.")}
        return {}


# ---------------------------------------------------------------------------------------
# Book trailer
# ---------------------------------------------------------------------------------------


class VideoURLBlock(blocks.URLBlock):
    """A YouTube, Rutube or VK Video link; anything else is refused with a clear message."""

    def clean(self, value):
        value = super().clean(value)
        if value and parse_video_url(value) is None:
            raise ValidationError(UNRECOGNISED_LINK, code="unrecognised")
        return value

    class Meta:
        icon = "media"


class BookTrailerValue(blocks.StructValue):
    @cached_property
    def video_link(self):
        return parse_video_url(self.get("link") or "")

    @property
    def video_title(self):
        """The player's accessible name: «Буктрейлер: «Горячий снег»»."""
        title = self.get("book_title") or ""
        return _("Буктрейлер: «%(title)s»") % {"title": title} if title else _("Буктрейлер")

    @property
    def player_html(self):
        """The embedded player for a link, built by the embed finder's rules (no network)."""
        if self.video_link is None:
            return ""
        return iframe_html(self.video_link, self.video_title)

    @property
    def is_vertical(self):
        return bool(self.video_link and self.video_link.vertical)


class BookTrailerBlock(LetopisStructBlock):
    """A book trailer: a video file uploaded here, or a Rutube, VK Video or YouTube link."""

    video = VideoChooserBlock(
        label=_("видеофайл"),
        required=False,
        help_text=_("Видео, загруженное на сайт. Либо файл, либо ссылка."),
    )
    link = VideoURLBlock(
        label=_("ссылка на видео"),
        required=False,
        help_text=_("Rutube, VK Video или YouTube, например https://rutube.ru/video/…/"),
    )
    poster = ImageChooserBlock(
        label=_("обложка видео"),
        required=False,
        help_text=_("Кадр, который виден до начала просмотра видеофайла."),
    )
    book_author = blocks.CharBlock(label=_("автор книги"), required=False, max_length=200)
    book_title = blocks.CharBlock(label=_("название книги"), max_length=300)
    book_year = blocks.IntegerBlock(
        label=_("год издания"), required=False, min_value=1500, max_value=2100
    )
    annotation = blocks.TextBlock(
        label=_("аннотация"),
        required=False,
        max_length=1000,
        help_text=_("Два-три предложения о книге."),
    )
    captions = DocumentChooserBlock(
        label=_("субтитры"),
        required=False,
        help_text=_("Файл субтитров WebVTT (.vtt) к видеофайлу."),
    )

    required_messages = {"book_title": _("Укажите название книги.")}

    class Meta:
        icon = "media"
        label = _("Буктрейлер")
        template = BLOCK_TEMPLATES + "book_trailer.html"
        value_class = BookTrailerValue
        description = _(
            "Видео о книге: файл или ссылка на Rutube, VK Video, YouTube — с автором, "
            "названием и аннотацией."
        )
        # No link in the preview: the admin loads nothing from outside the site.
        preview_value = {
            "video": None,
            "link": "",
            "poster": None,
            "book_author": "Юрий Бондарев",
            "book_title": "Горячий снег",
            "book_year": 1970,
            "annotation": (
                "Роман о Сталинградской битве: одни сутки артиллерийской батареи, "
                "вставшей на пути танков Манштейна."
            ),
            "captions": None,
        }

    def value_errors(self, value):
        video, link, captions = value.get("video"), value.get("link"), value.get("captions")
        errors = {}
        if video and link:
            message = _("Укажите что-то одно: видеофайл или ссылку на видео.")
            errors["video"] = errors["link"] = message
        elif not video and not link and not self.is_deferred_validation:
            message = _("Добавьте видеофайл или ссылку на видео.")
            errors["video"] = errors["link"] = message
        if captions and not video:
            errors["captions"] = _(
                "Субтитры подключаются только к видеофайлу: у видео по ссылке "
                "их включают на видеохостинге."
            )
        elif captions and captions.file_extension.lower() != "vtt":
            errors["captions"] = _("Субтитры должны быть в формате WebVTT (файл .vtt).")
        return errors


# ---------------------------------------------------------------------------------------
# E-postcard
# ---------------------------------------------------------------------------------------


class PostcardValue(blocks.StructValue):
    @cached_property
    def download(self):
        """A large JPEG to save and print: originals may be huge or in formats browsers
        do not show (TIFF, HEIC)."""
        image = self.get("image")
        # Like the {% image %} tag: a file missing from storage must not break the page.
        return get_rendition_or_not_found(image, DOWNLOAD_SIZE) if image else None

    def share(self, request=None, page=None, block_id=None):
        """Links to share the card on VK, Telegram and Odnoklassniki, or ``None``.

        Plain links, no third-party scripts: the networks build the preview themselves.
        """
        if page is None or self.get("image") is None:
            return None
        get_url = getattr(page, "get_url", None)
        page_url = get_url(request) if get_url else getattr(page, "url", None)
        if not page_url:
            return None
        if request is not None:
            base = request.build_absolute_uri(page_url)
            image_url = request.build_absolute_uri(self.download.url)
        else:
            base = page.full_url
            if not base:
                return None
            image_url = urljoin(base, self.download.url)
        url = f"{base}#{block_id}" if block_id else base
        title = self.get("occasion") or getattr(page, "title", "")
        text = self.get("greeting") or title
        return {
            "url": url,
            "vk": "https://vk.com/share.php?"
            + urlencode({"url": url, "image": image_url, "title": title}),
            "telegram": "https://t.me/share/url?" + urlencode({"url": url, "text": text}),
            "ok": "https://connect.ok.ru/offer?"
            + urlencode({"url": url, "title": title, "imageUrl": image_url}),
        }


class PostcardBlock(LetopisStructBlock):
    """An e-postcard: the picture, its greeting, a full text version, download and share."""

    image = ImageChooserBlock(label=_("изображение открытки"))
    occasion = blocks.CharBlock(
        label=_("повод"),
        required=False,
        max_length=120,
        help_text=_("Например: «9 Мая», «День Победы», «День памяти и скорби»."),
    )
    greeting = blocks.TextBlock(
        label=_("поздравление"),
        required=False,
        max_length=600,
        help_text=_("Текст открытки; показывается под ней и в сообщении при отправке."),
    )
    text_equivalent = blocks.TextBlock(
        label=_("текстовая версия"),
        max_length=2000,
        help_text=_(
            "Весь текст на открытке и описание изображения: экранный диктор прочитает "
            "его незрячему посетителю вместо картинки."
        ),
    )

    required_messages = {
        "image": _("Выберите изображение открытки."),
        "text_equivalent": _(
            "Напишите текстовую версию открытки: её прочитают незрячие посетители "
            "вместо изображения."
        ),
    }

    class Meta:
        icon = "mail"
        label = _("Электронная открытка")
        template = BLOCK_TEMPLATES + "postcard.html"
        value_class = PostcardValue
        description = _(
            "Открытка, которую можно скачать и отправить друзьям во ВКонтакте, "
            "Telegram и Одноклассниках."
        )
        preview_value = {
            "image": None,
            "occasion": "9 Мая",
            "greeting": "С Днём Победы! Помним, гордимся, благодарим.",
            "text_equivalent": (
                "Открытка: красная гвоздика и георгиевская лента на фоне салюта над "
                "Кремлём. Надпись: «С Днём Победы! Помним, гордимся, благодарим»."
            ),
        }

    def get_preview_value(self):
        value = super().get_preview_value()
        value["image"] = next(iter(_preview_images(1)), None)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["share"] = value.share(
            request=context.get("request"), page=context.get("page"), block_id=context.get("id")
        )
        return context


# ---------------------------------------------------------------------------------------
# Quote, text, document, place
# ---------------------------------------------------------------------------------------


class QuoteBlock(LetopisStructBlock):
    """A quotation: a letter from the front, a veteran's memory, a line of verse."""

    text = blocks.TextBlock(label=_("цитата"), max_length=2000)
    author = blocks.CharBlock(label=_("автор"), required=False, max_length=200)
    source = blocks.CharBlock(
        label=_("источник"),
        required=False,
        max_length=300,
        help_text=_("Например: «Письмо с фронта, 1942 г.» или название книги."),
    )

    required_messages = {"text": _("Введите текст цитаты.")}

    class Meta:
        icon = "openquote"
        label = _("Цитата")
        template = BLOCK_TEMPLATES + "quote.html"
        description = _("Цитата с автором и источником.")
        preview_value = {
            "text": "Жди меня, и я вернусь. Только очень жди…",
            "author": "Константин Симонов",
            "source": "«Жди меня», 1941",
        }


class ProseBlock(blocks.RichTextBlock):
    """Rich text with headings, lists and links: no images, embeds or raw HTML."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", TEXT_FEATURES)
        super().__init__(**kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            if getattr(error, "code", None) == "required":
                raise ValidationError(_("Введите текст."), code="required") from None
            raise

    class Meta:
        icon = "pilcrow"
        label = _("Текст")
        template = BLOCK_TEMPLATES + "text.html"
        description = _("Текст с подзаголовками, списками и ссылками.")
        preview_value = (
            "<h2>Как собирали материалы</h2>"
            "<p>Библиотекари записали воспоминания <b>двенадцати</b> старожилов и "
            "переписали имена с обелиска.</p>"
        )


class DocumentValue(blocks.StructValue):
    @property
    def label(self):
        document = self.get("document")
        return self.get("title") or (document.title if document else "")

    @property
    def extension(self):
        document = self.get("document")
        return document.file_extension.upper() if document else ""

    @property
    def size(self):
        document = self.get("document")
        if document is None:
            return None
        try:
            return document.get_file_size()
        except OSError:  # the file is missing from storage: show the link without a size
            return None


class DocumentBlock(LetopisStructBlock):
    """A document to download, with its file type and size shown before the click."""

    document = DocumentChooserBlock(label=_("документ"))
    title = blocks.CharBlock(
        label=_("подпись"),
        required=False,
        max_length=255,
        help_text=_("Пусто — название документа."),
    )

    required_messages = {"document": _("Выберите документ.")}

    class Meta:
        icon = "doc-full"
        label = _("Документ")
        template = BLOCK_TEMPLATES + "document.html"
        value_class = DocumentValue
        description = _("Файл для скачивания: положение, список, презентация.")
        preview_value = {"document": None, "title": "Положение о сетевом проекте"}

    def get_preview_value(self):
        from wagtail.documents import get_document_model

        value = super().get_preview_value()
        value["document"] = _preview_assets(get_document_model()).first()
        return value


class PlaceValue(blocks.StructValue):
    def _coordinate(self, name):
        value = self.get(name)
        return None if value in (None, "") else float(value)

    @property
    def lat(self):
        """Dot-decimal for URLs and data attributes, whatever the page's locale."""
        value = self._coordinate("latitude")
        return "" if value is None else f"{value:.6f}"

    @property
    def lon(self):
        value = self._coordinate("longitude")
        return "" if value is None else f"{value:.6f}"

    @property
    def osm_url(self):
        if not self.lat or not self.lon:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.lat}&mlon={self.lon}"
            f"#map=15/{self.lat}/{self.lon}"
        )

    @property
    def coordinates_display(self):
        """«54,513845° с. ш., 36,261215° в. д.» — in the page's language."""
        latitude, longitude = self._coordinate("latitude"), self._coordinate("longitude")
        if latitude is None or longitude is None:
            return ""
        north = _("с. ш.") if latitude >= 0 else _("ю. ш.")
        east = _("в. д.") if longitude >= 0 else _("з. д.")
        comma = date_language() == "ru"

        def number(value):
            text = f"{abs(value):.6f}"
            return text.replace(".", ",") if comma else text

        return f"{number(latitude)}° {north}, {number(longitude)}° {east}"


class PlaceBlock(LetopisStructBlock):
    """A point on the map with its label: where a photo was taken or an event happened."""

    label = blocks.CharBlock(
        label=_("название места"),
        max_length=200,
        help_text=_("Например: «Братская могила у школы, с. Берёзовка»."),
    )
    latitude = blocks.FloatBlock(
        label=_("широта"), help_text=_("Градусы в десятичном виде (WGS84), например 52.967800")
    )
    longitude = blocks.FloatBlock(
        label=_("долгота"), help_text=_("Градусы в десятичном виде (WGS84), например 36.069400")
    )
    description = blocks.TextBlock(label=_("описание"), required=False, max_length=1000)

    required_messages = {
        "label": _("Подпишите место на карте."),
        "latitude": _("Укажите широту."),
        "longitude": _("Укажите долготу."),
    }

    class Meta:
        icon = "site"
        label = _("Место на карте")
        template = BLOCK_TEMPLATES + "place.html"
        value_class = PlaceValue
        description = _("Точка на карте с подписью и ссылкой на OpenStreetMap.")
        preview_value = {
            "label": "Обелиск воинам-землякам, с. Берёзовка",
            "latitude": 52.9678,
            "longitude": 36.0694,
            "description": "Установлен в 1967 году на средства колхоза.",
        }

    def value_errors(self, value):
        latitude, longitude = value.get("latitude"), value.get("longitude")
        if latitude is None and longitude is None:
            return {}  # drafts may leave both empty; required fields catch it on publish
        return validate_point(latitude, longitude)


# ---------------------------------------------------------------------------------------
# Streams
# ---------------------------------------------------------------------------------------


class ContributionStreamBlock(blocks.StreamBlock):
    """The body of a library's contribution."""

    chronicle = ChronicleBlock()
    gallery = GalleryBlock()
    book_trailer = BookTrailerBlock()
    postcard = PostcardBlock()
    quote = QuoteBlock()
    text = ProseBlock()
    document = DocumentBlock()
    place = PlaceBlock()


class ProjectStreamBlock(blocks.StreamBlock):
    """The body of a network project's page."""

    text = ProseBlock()
    quote = QuoteBlock()
    gallery = GalleryBlock()
    document = DocumentBlock()
    place = PlaceBlock()


# ---------------------------------------------------------------------------------------
# Reading bodies
# ---------------------------------------------------------------------------------------


def _children(stream_value):
    return list(stream_value or [])


def count_photos(stream_value):
    """Photographs in a body: gallery images and chronicle photos (not postcards or posters)."""
    total = 0
    for child in _children(stream_value):
        if child.block_type == "gallery":
            total += len(child.value.photos)
        elif child.block_type == "chronicle":
            total += sum(len(entry.photos) for entry in child.value.get("entries") or [])
    return total


def body_images(stream_value):
    """Every picture a body shows: gallery and chronicle photos, postcards, posters."""
    for child in _children(stream_value):
        value = child.value
        if child.block_type == "gallery":
            yield from (photo["image"] for photo in value.photos)
        elif child.block_type == "chronicle":
            for entry in value.get("entries") or []:
                yield from (photo["image"] for photo in entry.photos)
        elif child.block_type == "postcard":
            yield value.get("image")
        elif child.block_type == "book_trailer":
            yield value.get("poster")


def prefetch_body_renditions(stream_value, *specs):
    """The renditions of every picture of a body (and of ``specs``, e.g. the share card's)
    in one query, so a body of 10 or 500 photos costs the same (``home.images``)."""
    from home.images import prefetch_renditions

    prefetch_renditions(
        body_images(stream_value), PHOTO_PICTURE, PHOTO_LARGE, DOWNLOAD_SIZE, POSTER, *specs
    )


def first_image(stream_value):
    """The picture to share a page with: a postcard, else a gallery photo, else a chronicle
    photo (the first one a reader sees), else ``None``."""
    children = _children(stream_value)
    for child in children:
        if child.block_type == "postcard" and child.value.get("image") is not None:
            return child.value["image"]
    for child in children:
        if child.block_type == "gallery" and child.value.photos:
            return child.value.photos[0]["image"]
    for child in children:
        if child.block_type == "chronicle":
            for entry in child.value.sorted_entries:
                if entry.photos:
                    return entry.photos[0]["image"]
    return None
