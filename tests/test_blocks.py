"""The blocks of contributions and projects: what editors may enter, what readers see."""

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest
from wagtailmedia.models import Media

from projects.blocks import (
    ContributionStreamBlock,
    ProjectStreamBlock,
    count_photos,
    first_image,
    format_partial_date,
)

pytestmark = pytest.mark.django_db

RUTUBE_ID = "c6cc4d620b1d4338901770a44b3e82f4"
TEMPLATES = Path(settings.BASE_DIR) / "templates"

STREAM = ContributionStreamBlock()
CHRONICLE = STREAM.child_blocks["chronicle"]
GALLERY = STREAM.child_blocks["gallery"]
TRAILER = STREAM.child_blocks["book_trailer"]
POSTCARD = STREAM.child_blocks["postcard"]
QUOTE = STREAM.child_blocks["quote"]
TEXT = STREAM.child_blocks["text"]
DOCUMENT = STREAM.child_blocks["document"]
PLACE = STREAM.child_blocks["place"]
ENTRY = CHRONICLE.child_blocks["entries"].child_block


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


@pytest.fixture
def make_image(db):
    def make(title="Фото", description="", size=(1600, 1000)):
        return Image.objects.create(
            title=title,
            description=description,
            file=get_test_image_file(filename="photo.png", size=size),
        )

    return make


@pytest.fixture
def image(make_image):
    return make_image()


@pytest.fixture
def make_document(db):
    def make(name="polozhenie.pdf", content=b"%PDF-1.4 " + b"x" * 2039, title="Положение"):
        return Document.objects.create(title=title, file=ContentFile(content, name=name))

    return make


@pytest.fixture
def video(db):
    return Media.objects.create(
        title="Буктрейлер «Горячий снег»",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="trailer.mp4"),
        type="video",
        duration=60,
    )


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def items(*values):
    """ListBlock raw data in Wagtail's current format, with item ids."""
    return [{"type": "item", "value": value, "id": f"item-{i}"} for i, value in enumerate(values)]


def photo(
    image, alt="Ветераны у обелиска", caption="Митинг 9 мая 1975 года", credit="Фото: А. Петров"
):
    return {
        "image": image.pk if image else None,
        "caption": caption,
        "credit": credit,
        "alt_text": alt,
    }


def entry(year, month="", day=None, heading="Событие", text="<p>Текст.</p>", photos=()):
    return {
        "year": year,
        "month": str(month) if month else "",
        "day": day,
        "heading": heading,
        "text": text,
        "photos": items(*photos),
    }


NESTED_ERRORS = (
    blocks.StructBlockValidationError,
    ListBlockValidationError,
    StreamBlockValidationError,
)


def flatten(error, path=""):
    """Every message of a (nested) block validation error, keyed by a dotted path."""
    found = {}
    if not isinstance(error, NESTED_ERRORS):
        return {path: error.messages}
    for name, child in error.block_errors.items():
        found.update(flatten(child, f"{path}.{name}" if path else str(name)))
    if getattr(error, "non_block_errors", None):
        found[path or "__all__"] = [e.message for e in error.non_block_errors.as_data()]
    return found


def errors(block, raw):
    with pytest.raises(ValidationError) as info:
        block.clean(block.to_python(raw))
    return flatten(info.value)


def clean(block, raw):
    return block.clean(block.to_python(raw))


def render(block, raw, context=None):
    return block.render(block.to_python(raw), context or {})


def hrefs(markup, css_class):
    found = re.findall(rf'class="[^"]*{css_class}[^"]*" href="([^"]+)"', markup)
    return [html.unescape(href) for href in found]


# ---------------------------------------------------------------------------------------
# The streams
# ---------------------------------------------------------------------------------------


def test_contribution_stream_has_exactly_the_agreed_blocks():
    assert list(STREAM.child_blocks) == [
        "chronicle",
        "gallery",
        "book_trailer",
        "postcard",
        "quote",
        "text",
        "document",
        "place",
    ]


def test_project_stream_has_exactly_the_agreed_blocks():
    assert list(ProjectStreamBlock().child_blocks) == [
        "text",
        "quote",
        "gallery",
        "document",
        "place",
    ]


def walk(block):
    yield block
    for child in getattr(block, "child_blocks", {}).values():
        yield from walk(child)
    if isinstance(block, blocks.ListBlock):
        yield from walk(block.child_block)


@pytest.mark.parametrize("stream", [ContributionStreamBlock(), ProjectStreamBlock()])
def test_no_raw_html_and_no_unrestricted_rich_text(stream):
    for block in walk(stream):
        assert not isinstance(block, blocks.RawHTMLBlock), block.name
        if isinstance(block, blocks.RichTextBlock):
            assert block.features, block.name
            assert not {"image", "embed", "code", "blockquote"} & set(block.features)


@pytest.mark.parametrize("name", list(STREAM.child_blocks))
def test_every_block_is_described_for_editors(name):
    block = STREAM.child_blocks[name]
    meta = block.meta
    assert meta.icon and meta.icon != "placeholder"
    assert meta.template.startswith("components/streamfield/blocks/")
    assert (TEMPLATES / meta.template).is_file()
    assert re.search("[а-яё]", str(meta.label), re.IGNORECASE)
    assert re.search("[а-яё]", str(meta.description), re.IGNORECASE)
    assert hasattr(meta, "preview_value")


@pytest.mark.parametrize("name", list(STREAM.child_blocks))
def test_every_block_preview_renders_with_an_empty_library(name):
    block = STREAM.child_blocks[name]
    value = block.get_preview_value()
    block.render(value, block.get_preview_context(value))


PREVIEW_TEXT = {
    "chronicle": "12 марта 1943 г.",
    "book_trailer": "Горячий снег",
    "quote": "Константин Симонов",
    "text": "Как собирали материалы",
    "place": "Обелиск воинам-землякам",
    # Pictures and documents come from the library, empty here: the preview is blank.
    "gallery": "",
    "postcard": "",
    "document": "",
}


@pytest.mark.parametrize(("name", "text"), PREVIEW_TEXT.items())
def test_every_block_previews_in_the_admin(admin_browser, name, text):
    block = STREAM.child_blocks[name]
    response = admin_browser.get("/admin/block-preview/", {"id": block.definition_prefix})
    assert response.status_code == 200
    assert text in response.content.decode()


@pytest.mark.parametrize("name", ["gallery", "postcard", "document"])
def test_previews_show_pictures_and_documents_from_the_library(name, image, make_document):
    make_document()
    block = STREAM.child_blocks[name]
    value = block.get_preview_value()
    markup = block.render(value, block.get_preview_context(value))
    assert "<img" in markup or "document-link" in markup


def test_templates_have_no_inline_scripts_or_handlers():
    for template in (TEMPLATES / "components/streamfield/blocks").glob("*.html"):
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), template.name
        assert not re.search(r"\son[a-z]+=", source), template.name
        assert "style=" not in source, template.name
        assert "autoplay" not in source, template.name


# ---------------------------------------------------------------------------------------
# Chronicle
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "day", "russian", "english"),
    [
        (1943, None, None, "1943 г.", "1943"),
        (1943, 3, None, "март 1943 г.", "March 1943"),
        (1943, 3, 12, "12 марта 1943 г.", "12 March 1943"),
        (1945, 5, 9, "9 мая 1945 г.", "9 May 1945"),
        (1941, 6, 22, "22 июня 1941 г.", "22 June 1941"),
        (1942, 8, None, "август 1942 г.", "August 1942"),
    ],
)
def test_partial_dates_in_words(year, month, day, russian, english):
    assert format_partial_date(year, month, day) == russian
    with translation.override("en"):
        assert format_partial_date(year, month, day) == english


def test_chronicle_entries_validate():
    assert clean(ENTRY, entry(1943, 3, 12))["day"] == 12
    assert clean(ENTRY, entry(1943, 3))["month"] == "3"
    assert clean(ENTRY, entry(1943))["year"] == 1943
    assert clean(ENTRY, entry(1944, 2, 29))  # a leap year


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (entry(1943, day=12), {"day": ["Чтобы указать день, выберите и месяц."]}),
        (
            entry(1943, 2, 30),
            {"day": ["Даты 30 февраля 1943 г. не существует: проверьте день и месяц."]},
        ),
        (
            entry(1943, 2, 29),
            {"day": ["Даты 29 февраля 1943 г. не существует: проверьте день и месяц."]},
        ),
        (
            entry(1942, 4, 31),
            {"day": ["Даты 31 апреля 1942 г. не существует: проверьте день и месяц."]},
        ),
        (entry(None), {"year": ["Укажите год."]}),
        (entry(999), {"year": ["Убедитесь, что это значение больше либо равно 1000."]}),
        (entry(2101), {"year": ["Убедитесь, что это значение меньше либо равно 2100."]}),
        (entry(1943, 3, 32), {"day": ["Убедитесь, что это значение меньше либо равно 31."]}),
        (
            entry(1943, heading="", text=""),
            {"heading": ["Запись пуста: добавьте заголовок, текст или фотографию."]},
        ),
    ],
)
def test_chronicle_entry_errors(raw, expected):
    assert errors(ENTRY, raw) == expected


def test_chronicle_needs_an_entry_and_reports_errors_per_entry():
    assert errors(CHRONICLE, {"title": "Летопись", "entries": []}) == {
        "entries": ["Добавьте в летопись хотя бы одну запись."]
    }
    found = errors(CHRONICLE, {"title": "", "entries": items(entry(1943), entry(1943, 2, 30))})
    assert found == {
        "entries.1.day": ["Даты 30 февраля 1943 г. не существует: проверьте день и месяц."]
    }


def test_drafts_may_leave_a_chronicle_unfinished_but_not_wrong():
    stream = ContributionStreamBlock()
    empty = stream.to_python(
        [{"type": "chronicle", "value": {"title": "", "entries": []}, "id": "a"}]
    )
    stream.clean_deferred(empty)  # an empty chronicle is a draft in progress
    wrong = stream.to_python(
        [
            {
                "type": "chronicle",
                "value": {"title": "", "entries": items(entry(1943, 2, 30))},
                "id": "a",
            }
        ]
    )
    with pytest.raises(ValidationError):
        stream.clean_deferred(wrong)


def test_chronicle_renders_entries_by_date_whatever_the_editor_order(image):
    markup = render(
        CHRONICLE,
        {
            "title": "Летопись села Берёзовка",
            "entries": items(
                entry(1943, 3, 12, heading="Освобождение"),
                entry(1941, heading="Проводы на фронт"),
                entry(1943, 3, heading="Весна"),
                entry(1943, heading="Год перелома"),
                entry(1942, 11, 19, heading="Контрнаступление", photos=[photo(image)]),
            ),
        },
    )
    dates = re.findall(
        r'<time class="chronicle-entry__date" datetime="([^"]+)">([^<]+)</time>', markup
    )
    assert dates == [
        ("1941", "1941 г."),
        ("1942-11-19", "19 ноября 1942 г."),
        ("1943", "1943 г."),
        ("1943-03", "март 1943 г."),
        ("1943-03-12", "12 марта 1943 г."),
    ]
    assert '<h2 class="chronicle__title">Летопись села Берёзовка</h2>' in markup
    assert markup.count('<h3 class="chronicle-entry__heading">') == 5
    assert "Контрнаступление" in markup
    assert "<p>Текст.</p>" in markup
    # Entry photos: a figure with caption and alt text, opening in the viewer.
    assert "<figcaption" in markup and "Митинг 9 мая 1975 года" in markup
    assert 'alt="Ветераны у обелиска"' in markup
    assert "data-gallery" in markup and "js/gallery.js" in markup


def test_chronicle_without_title_keeps_the_heading_outline():
    markup = render(CHRONICLE, {"title": "", "entries": items(entry(1943))})
    assert '<h2 class="visually-hidden">Летопись</h2>' in markup
    assert "js/gallery.js" not in markup  # no photos, no viewer


def test_chronicle_in_english():
    with translation.override("en"):
        markup = render(
            CHRONICLE, {"title": "", "entries": items(entry(1943, 3, 12), entry(1943, 3))}
        )
    assert ">March 1943</time>" in markup
    assert ">12 March 1943</time>" in markup
    assert markup.index("March 1943<") < markup.index("12 March 1943")


# ---------------------------------------------------------------------------------------
# Photos and galleries
# ---------------------------------------------------------------------------------------


def test_gallery_validates(image, make_image):
    described = make_image(description="Обелиск в селе Берёзовка")
    value = clean(GALLERY, {"title": "", "images": items(photo(image), photo(described, alt=""))})
    assert [p.alt for p in value.photos] == ["Ветераны у обелиска", "Обелиск в селе Берёзовка"]


def test_gallery_errors(image):
    assert errors(GALLERY, {"title": "Встреча", "images": []}) == {
        "images": ["Добавьте в галерею хотя бы одну фотографию."]
    }
    assert errors(GALLERY, {"title": "", "images": items(photo(image), photo(image, alt=" "))}) == {
        "images.1.alt_text": [
            "Добавьте альтернативный текст: опишите, что на фотографии, для незрячих посетителей."
        ]
    }
    assert errors(GALLERY, {"title": "", "images": items(photo(None))}) == {
        "images.0.image": ["Выберите фотографию."]
    }


def test_gallery_renders_responsive_captioned_photos(image, make_image):
    described = make_image(description="Обелиск в селе Берёзовка")
    markup = render(
        GALLERY,
        {
            "title": "Встреча с ветеранами",
            "images": items(photo(image), photo(described, alt="", caption="", credit="")),
        },
    )
    assert '<h2 class="gallery__title">Встреча с ветеранами</h2>' in markup
    assert markup.count("<figure") == 2
    assert markup.count("<figcaption") == 1  # no empty caption for the second photo
    assert "Митинг 9 мая 1975 года" in markup and "Фото: А. Петров" in markup
    assert 'alt="Ветераны у обелиска"' in markup
    assert 'alt="Обелиск в селе Берёзовка"' in markup
    srcset = re.search(r'srcset="([^"]+)"', markup)[1]
    assert re.findall(r" (\d+)w", srcset) == ["480", "800", "1200"]
    assert 'sizes="(min-width: 60em) 22rem, (min-width: 36em) 45vw, 100vw"' in markup
    first = re.search(r"<img [^>]+>", markup)[0]
    assert 'width="480"' in first and 'height="300"' in first
    assert 'loading="lazy"' in markup
    # Thumbnails link to the large image, so they open without JavaScript too.
    links = re.findall(r'<a class="photo__link" href="([^"]+)" data-gallery-item>', markup)
    assert len(links) == 2 and all("max-1600x1600" in link for link in links)
    # The viewer's labels come from the template, in the page's language.
    assert 'data-label-close="Закрыть"' in markup
    assert 'data-label-next="Следующая фотография"' in markup
    assert 'data-label-counter="Фотография {current} из {total}"' in markup
    assert '<script src="/static/js/gallery.js" defer></script>' in markup


def test_gallery_skips_images_deleted_from_the_library(image):
    raw = {"title": "", "images": items(photo(image), photo(image))}
    raw["images"][1]["value"]["image"] = image.pk + 1000  # an id no longer in the library
    value = GALLERY.to_python(raw)
    assert len(value.photos) == 1
    assert render(GALLERY, raw).count("<figure") == 1


# ---------------------------------------------------------------------------------------
# Book trailer
# ---------------------------------------------------------------------------------------


def trailer(**fields):
    value = {
        "video": None,
        "link": "",
        "poster": None,
        "book_author": "Юрий Бондарев",
        "book_title": "Горячий снег",
        "book_year": 1970,
        "annotation": "Роман о Сталинградской битве.",
        "captions": None,
    }
    value.update(fields)
    return value


@pytest.mark.parametrize(
    ("link", "src"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (f"https://rutube.ru/video/{RUTUBE_ID}/", f"https://rutube.ru/play/embed/{RUTUBE_ID}"),
        (
            "https://vkvideo.ru/video-22822305_456241864",
            "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864",
        ),
        (
            "https://vk.com/video_ext.php?oid=-22822305&id=456241864&hash=e0374141",
            "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864&hash=e0374141",
        ),
    ],
)
def test_trailer_link_becomes_a_quiet_player(link, src):
    value = clean(TRAILER, trailer(link=link))
    markup = TRAILER.render(value, {})
    iframe = re.search(r"<iframe [^>]+></iframe>", markup)[0]
    assert html.unescape(re.search(r'src="([^"]+)"', iframe)[1]) == src
    assert 'title="Буктрейлер: «Горячий снег»"' in iframe
    assert 'loading="lazy"' in iframe and "allowfullscreen" in iframe
    assert "autoplay" not in markup
    assert "<video" not in markup
    # A plain link to the video stays next to the player.
    assert re.search(r'<a href="https://[^"]+">Смотреть на (YouTube|Rutube|VK Video)</a>', markup)
    assert "<cite" in markup and "Горячий снег" in markup and "Юрий Бондарев" in markup


def test_trailer_self_hosted_video_with_poster_and_captions(video, image, make_document):
    captions = make_document(
        name="subtitry.vtt", content="WEBVTT\n\n00:00.000 --> 00:02.000\nТекст\n".encode()
    )
    value = clean(TRAILER, trailer(video=video.pk, poster=image.pk, captions=captions.pk))
    markup = TRAILER.render(value, {})
    tag = re.search(r"<video [^>]+>", markup)[0]
    assert "controls" in tag and 'preload="none"' in tag
    assert re.search(r'poster="/media/images/[^"]+width-1200[^"]*"', tag)
    assert "autoplay" not in markup
    assert f'<source src="{video.url}" type="video/mp4">' in markup
    assert re.search(
        rf'<track kind="captions" src="{re.escape(captions.url)}" srclang="ru" label="Субтитры" default>',
        markup,
    )
    assert "<iframe" not in markup


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {},
            {
                "video": ["Добавьте видеофайл или ссылку на видео."],
                "link": ["Добавьте видеофайл или ссылку на видео."],
            },
        ),
        (
            {"link": "https://vimeo.com/76979871"},
            {"link": ["Ссылка не распознана: поддерживаются Rutube, VK Video и YouTube"]},
        ),
        ({"link": "не ссылка"}, {"link": ["Введите правильный URL."]}),
        (
            {"link": "https://youtu.be/dQw4w9WgXcQ", "book_title": ""},
            {"book_title": ["Укажите название книги."]},
        ),
        (
            {"link": "https://youtu.be/dQw4w9WgXcQ", "book_year": 1400},
            {"book_year": ["Убедитесь, что это значение больше либо равно 1500."]},
        ),
    ],
)
def test_trailer_errors(fields, expected):
    assert errors(TRAILER, trailer(**fields)) == expected


def test_trailer_refuses_both_a_file_and_a_link(video):
    message = ["Укажите что-то одно: видеофайл или ссылку на видео."]
    assert errors(TRAILER, trailer(video=video.pk, link="https://youtu.be/dQw4w9WgXcQ")) == {
        "video": message,
        "link": message,
    }


def test_trailer_captions_must_be_webvtt_for_a_video_file(video, make_document):
    srt = make_document(name="subtitry.srt", content=b"1\n00:00:00,000 --> 00:00:02,000\n")
    vtt = make_document(name="subtitry.vtt", content=b"WEBVTT\n")
    assert errors(TRAILER, trailer(video=video.pk, captions=srt.pk)) == {
        "captions": ["Субтитры должны быть в формате WebVTT (файл .vtt)."]
    }
    assert errors(TRAILER, trailer(link="https://youtu.be/dQw4w9WgXcQ", captions=vtt.pk)) == {
        "captions": [
            "Субтитры подключаются только к видеофайлу: у видео по ссылке их включают "
            "на видеохостинге."
        ]
    }


# ---------------------------------------------------------------------------------------
# E-postcard
# ---------------------------------------------------------------------------------------


def postcard(image, **fields):
    value = {
        "image": image.pk if image else None,
        "occasion": "9 Мая",
        "greeting": "С Днём Победы!\nПомним, гордимся.",
        "text_equivalent": "Открытка: красная гвоздика и георгиевская лента. Надпись: «С Днём Победы!»",
    }
    value.update(fields)
    return value


def test_postcard_errors(image):
    assert errors(POSTCARD, postcard(image, text_equivalent="")) == {
        "text_equivalent": [
            "Напишите текстовую версию открытки: её прочитают незрячие посетители вместо "
            "изображения."
        ]
    }
    assert errors(POSTCARD, postcard(None)) == {"image": ["Выберите изображение открытки."]}
    assert clean(POSTCARD, postcard(image, occasion="", greeting=""))["image"] == image


def test_postcard_renders_with_download_and_share_links(image, home_page, rf):
    stream = ContributionStreamBlock().to_python(
        [{"type": "postcard", "value": postcard(image), "id": "card-9-maya"}]
    )
    request = rf.get("/")
    # Rendered as a page template does: {% for block in page.body %}{% include_block block %}
    markup = stream[0].render(context={"request": request, "page": home_page})

    assert '<figure class="postcard" id="card-9-maya">' in markup
    assert (
        'alt="Открытка: красная гвоздика и георгиевская лента. Надпись: «С Днём Победы!»"' in markup
    )
    assert "srcset=" in markup
    assert '<p class="postcard__occasion">9 Мая</p>' in markup
    assert "С Днём Победы!<br>Помним, гордимся." in markup
    download = re.search(r'<a class="button" href="([^"]+)" download>Скачать открытку</a>', markup)
    assert download and "max-2400x2400" in download[1] and download[1].endswith(".jpg")
    assert "JPEG, 1600 × 1000" in markup

    page_url = "http://testserver/#card-9-maya"
    (vk,) = hrefs(markup, "postcard__network--vk")
    (telegram,) = hrefs(markup, "postcard__network--telegram")
    (ok,) = hrefs(markup, "postcard__network--ok")
    vk_parts, telegram_parts, ok_parts = urlsplit(vk), urlsplit(telegram), urlsplit(ok)
    assert (vk_parts.netloc, vk_parts.path) == ("vk.com", "/share.php")
    assert parse_qs(vk_parts.query)["url"] == [page_url]
    assert parse_qs(vk_parts.query)["title"] == ["9 Мая"]
    image_url = parse_qs(vk_parts.query)["image"][0]
    assert image_url.startswith("http://testserver/media/") and "max-2400x2400" in image_url
    assert (telegram_parts.netloc, telegram_parts.path) == ("t.me", "/share/url")
    assert parse_qs(telegram_parts.query) == {
        "url": [page_url],
        "text": ["С Днём Победы!\nПомним, гордимся."],
    }
    assert (ok_parts.netloc, ok_parts.path) == ("connect.ok.ru", "/offer")
    assert parse_qs(ok_parts.query) == {
        "url": [page_url],
        "title": ["9 Мая"],
        "imageUrl": [image_url],
    }
    assert "<script" not in markup


def test_postcard_without_a_page_has_no_share_links(image):
    markup = render(POSTCARD, postcard(image))
    assert "Скачать открытку" in markup
    assert "vk.com" not in markup and "postcard__share" not in markup


# ---------------------------------------------------------------------------------------
# Quote, text, document, place
# ---------------------------------------------------------------------------------------


def test_quote():
    raw = {
        "text": "Жди меня, и я вернусь.\n\nТолько очень жди.",
        "author": "К. Симонов",
        "source": "«Жди меня», 1941",
    }
    markup = QUOTE.render(clean(QUOTE, raw))
    assert "<blockquote" in markup and "<p>Жди меня, и я вернусь.</p>" in markup
    assert (
        '<span class="quote__author">К. Симонов</span>, <cite class="quote__source">«Жди меня», 1941</cite>'
        in markup
    )
    assert errors(QUOTE, {"text": " ", "author": "", "source": ""}) == {
        "text": ["Введите текст цитаты."]
    }
    only_text = render(QUOTE, {"text": "Никто не забыт.", "author": "", "source": ""})
    assert "<figcaption" not in only_text


def test_text_block_keeps_to_its_features():
    assert set(TEXT.features) == {"h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"}
    markup = TEXT.render(clean(TEXT, "<h2>О проекте</h2><p>Собрано <b>40</b> материалов.</p>"))
    assert "<h2>О проекте</h2>" in markup and "<b>40</b>" in markup
    with pytest.raises(ValidationError) as info:
        TEXT.clean(TEXT.to_python(""))
    assert info.value.messages == ["Введите текст."]


def test_document_shows_type_and_size(make_document):
    document = make_document()
    markup = DOCUMENT.render(clean(DOCUMENT, {"document": document.pk, "title": ""}))
    assert f'href="{document.url}"' in markup
    assert '<span class="document-link__title">Положение</span>' in markup
    assert '<span class="document-link__type">PDF</span>' in markup
    assert f'<span class="document-link__size">{filesizeformat(2048)}</span>' in markup
    assert filesizeformat(2048) == "2,0\xa0КБ"
    titled = render(DOCUMENT, {"document": document.pk, "title": "Положение о проекте 2025 года"})
    assert "Положение о проекте 2025 года" in titled
    assert errors(DOCUMENT, {"document": None, "title": "Положение"}) == {
        "document": ["Выберите документ."]
    }


def place(**fields):
    value = {
        "label": "Обелиск воинам-землякам",
        "latitude": 54.513845,
        "longitude": 36.261215,
        "description": "Установлен в 1967 году.",
    }
    value.update(fields)
    return value


def test_place_renders_coordinates_osm_link_and_map_hook():
    markup = PLACE.render(clean(PLACE, place()))
    assert (
        '<div class="map place__map" data-lat="54.513845" data-lon="36.261215" '
        'data-label="Обелиск воинам-землякам"></div>'
    ) in markup
    assert "54,513845° с. ш., 36,261215° в. д." in markup
    assert (
        'href="https://www.openstreetmap.org/?mlat=54.513845&amp;mlon=36.261215'
        '#map=15/54.513845/36.261215"'
    ) in markup
    assert "<figure" in markup and "<figcaption" in markup
    assert "leaflet" not in markup.lower() and "<script" not in markup
    south_west = render(PLACE, place(latitude=-33.5, longitude=-70.25))
    assert "33,500000° ю. ш., 70,250000° з. д." in south_west


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"latitude": 91}, {"latitude": ["Широта должна быть от −90 до 90 градусов."]}),
        ({"longitude": -180.5}, {"longitude": ["Долгота должна быть от −180 до 180 градусов."]}),
        (
            {"latitude": 0, "longitude": 0},
            {
                "latitude": [
                    "Точка 0, 0 находится в Гвинейском заливе: похоже, координаты не заполнены."
                ]
            },
        ),
        ({"label": ""}, {"label": ["Подпишите место на карте."]}),
        ({"latitude": None}, {"latitude": ["Укажите широту."]}),
    ],
)
def test_place_errors(fields, expected):
    assert errors(PLACE, place(**fields)) == expected


# ---------------------------------------------------------------------------------------
# Photos in a body, the picture to share
# ---------------------------------------------------------------------------------------


def body(*children):
    return ContributionStreamBlock().to_python(
        [
            {"type": kind, "value": value, "id": f"block-{i}"}
            for i, (kind, value) in enumerate(children)
        ]
    )


def test_count_photos_counts_gallery_and_chronicle_photos_only(make_image, video):
    a, b, c, d, e, card, poster = (make_image() for _ in range(7))
    value = body(
        ("postcard", postcard(card)),
        ("gallery", {"title": "", "images": items(photo(a), photo(b))}),
        ("book_trailer", trailer(video=video.pk, poster=poster.pk)),
        (
            "chronicle",
            {
                "title": "",
                "entries": items(
                    entry(1943, photos=[photo(c)]), entry(1944, photos=[photo(d), photo(e)])
                ),
            },
        ),
        ("quote", {"text": "Помним.", "author": "", "source": ""}),
    )
    assert count_photos(value) == 5


def test_count_photos_and_first_image_of_empty_bodies():
    assert count_photos(None) == 0
    assert count_photos(body()) == 0
    assert count_photos([]) == 0
    assert first_image(None) is None
    assert first_image(body(("quote", {"text": "Помним.", "author": "", "source": ""}))) is None


def test_first_image_prefers_postcard_then_gallery_then_chronicle(make_image):
    gallery_image, card, early, late = (make_image() for _ in range(4))
    chronicle = (
        "chronicle",
        {
            "title": "",
            "entries": items(entry(1944, photos=[photo(late)]), entry(1941, photos=[photo(early)])),
        },
    )
    gallery = ("gallery", {"title": "", "images": items(photo(gallery_image))})
    assert first_image(body(chronicle, gallery, ("postcard", postcard(card)))) == card
    assert first_image(body(chronicle, gallery)) == gallery_image
    # The first photo a reader sees: chronicle entries are shown by date.
    assert first_image(body(chronicle)) == early


# ---------------------------------------------------------------------------------------
# A whole contribution, built from raw StreamField JSON as scripts build it
# ---------------------------------------------------------------------------------------


def raw_body(image, card, poster, document):
    return [
        {
            "type": "chronicle",
            "id": "b1",
            "value": {
                "title": "Летопись села",
                "entries": items(
                    entry(1943, 3, 12, heading="Освобождение", photos=[photo(image)]),
                    entry(1941, heading="Проводы на фронт"),
                ),
            },
        },
        {
            "type": "gallery",
            "id": "b2",
            "value": {"title": "Встреча с ветеранами", "images": items(photo(image), photo(image))},
        },
        {
            "type": "book_trailer",
            "id": "b3",
            "value": trailer(link=f"https://rutube.ru/video/{RUTUBE_ID}/", poster=poster.pk),
        },
        {"type": "postcard", "id": "b4", "value": postcard(card)},
        {
            "type": "quote",
            "id": "b5",
            "value": {"text": "Жди меня.", "author": "К. Симонов", "source": "1941"},
        },
        {"type": "text", "id": "b6", "value": "<h2>О материале</h2><p>Собран летом.</p>"},
        {"type": "document", "id": "b7", "value": {"document": document.pk, "title": ""}},
        {"type": "place", "id": "b8", "value": place()},
    ]


def test_contribution_body_from_raw_json_validates_saves_and_renders(
    client, make_library, make_project, make_contribution, make_image, make_document
):
    image, card, poster = make_image(), make_image(), make_image()
    document = make_document()
    page = make_contribution(
        make_library(), make_project(), body=raw_body(image, card, poster, document)
    )
    page.refresh_from_db()
    ContributionStreamBlock().clean(page.body)
    assert page.photo_count == 3
    assert first_image(page.body) == card
    assert [child.id for child in page.body] == [f"b{i}" for i in range(1, 9)]

    response = client.get(page.url)
    assert response.status_code == 200
    markup = response.content.decode()
    for marker in (
        'class="chronicle"',
        "12 марта 1943 г.",
        'class="gallery"',
        f"https://rutube.ru/play/embed/{RUTUBE_ID}",
        '<figure class="postcard" id="b4">',
        "https://vk.com/share.php?url=http%3A%2F%2Ftestserver%2F",
        "<blockquote",
        "<h2>О материале</h2>",
        '<span class="document-link__type">PDF</span>',
        'data-lat="54.513845"',
    ):
        assert marker in markup, marker
    assert "autoplay" not in markup


def test_saving_a_contribution_gives_list_items_ids(
    make_library, make_project, make_contribution, image
):
    """Scripts may write list items without ids (wagtail-localize needs them): saving fills
    them in, so translations keep track of every photo."""
    raw_gallery = {"title": "", "images": [photo(image), photo(image)]}  # no "type"/"id"
    page = make_contribution(
        make_library(), make_project(), body=[{"type": "gallery", "value": raw_gallery}]
    )
    page.refresh_from_db()
    (saved,) = page.body.raw_data
    assert saved["id"]
    assert all(item["type"] == "item" and item["id"] for item in saved["value"]["images"])
    assert page.photo_count == 2
