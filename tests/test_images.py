"""Images fast on a phone (issue #7): every public picture is a ``<picture>`` of renditions —
AVIF, WebP and a JPEG fallback in several widths — with its box reserved (width and height),
loaded lazily except the cover at the top of the page, and text when images are switched off
in the version for the visually impaired."""

import re
from types import SimpleNamespace

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest
from wagtailmedia.models import Media

from home.images import picture_filter_specs
from home.low_vision import COOKIE, LowVision
from projects.blocks import ContributionStreamBlock
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

GALLERY_ALT = "Ветераны у обелиска в селе Берёзовка"
POSTCARD_ALT = "Открытка: обелиск и надпись «С Днём Победы!»"
ENTRY_ALT = "Проводы на фронт у здания сельсовета"
COVER_ALT = "Обложка: книга памяти района"


@pytest.fixture
def make_image():
    def make(title="Фото", description="", size=(1600, 1000)):
        return Image.objects.create(
            title=title,
            description=description,
            file=get_test_image_file(filename="photo.png", size=size),
        )

    return make


def items(*values):
    return [{"type": "item", "value": value, "id": f"item-{i}"} for i, value in enumerate(values)]


def photo(image, alt):
    return {"image": image.pk, "caption": "", "credit": "", "alt_text": alt}


def gallery(*photos):
    return {"type": "gallery", "value": {"title": "Встреча", "images": items(*photos)}}


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def main_of(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def pictures(html):
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def img_of(picture):
    return re.search(r"<img [^>]+>", picture)[0]


def attr(tag, name):
    found = re.search(rf' {name}="([^"]*)"', tag)
    return found[1] if found else None


def widths(srcset):
    return [int(w) for w in re.findall(r" (\d+)w", srcset)]


def assert_responsive(picture, expected_widths):
    """AVIF, then WebP, then the JPEG <img>, each with every width; the <img> carries the
    size of its src (the first width) so the browser reserves the box."""
    sources = re.findall(r"<source [^>]+>", picture)
    assert [attr(s, "type") for s in sources] == ["image/avif", "image/webp"]
    for source, ext in zip(sources, ("avif", "webp"), strict=True):
        srcset = attr(source, "srcset")
        assert widths(srcset) == expected_widths
        assert all(url.endswith(f".{ext}") for url in re.findall(r"(\S+) \d+w", srcset))
        assert attr(source, "sizes")
    img = img_of(picture)
    assert widths(attr(img, "srcset")) == expected_widths
    assert attr(img, "src").endswith(".jpg")
    assert int(attr(img, "width")) == expected_widths[0]
    assert int(attr(img, "height")) > 0
    return img


def assert_lazy(img):
    assert attr(img, "loading") == "lazy" and attr(img, "decoding") == "async"
    assert "fetchpriority" not in img


def assert_priority(img):
    assert attr(img, "loading") == "eager" and attr(img, "fetchpriority") == "high"


@pytest.fixture
def material(make_library, make_project, make_contribution, make_image):
    """A material with a cover and every block that shows pictures."""
    library, project = make_library(), make_project()
    page = make_contribution(library, project, title="Летопись села Берёзовка")
    body = [
        gallery(photo(make_image(), GALLERY_ALT), photo(make_image(), "Митинг 9 мая")),
        {
            "type": "postcard",
            "value": {
                "image": make_image().pk,
                "occasion": "9 Мая",
                "greeting": "С Днём Победы!",
                "text_equivalent": POSTCARD_ALT,
            },
        },
        {
            "type": "chronicle",
            "value": {
                "title": "",
                "entries": items(
                    {
                        "year": 1941,
                        "month": "",
                        "day": None,
                        "heading": "Проводы",
                        "text": "<p>Текст.</p>",
                        "photos": items(photo(make_image(), ENTRY_ALT)),
                    }
                ),
            },
        },
    ]
    return publish(page, cover_image=make_image(title=COVER_ALT), body=body)


# -- what a page sends -----------------------------------------------------------------------


def test_material_page_pictures(client, material):
    html = html_of(client.get(material.url))
    found = pictures(html)
    assert len(found) == 5  # the cover, two gallery photos, the postcard, the entry's photo
    assert html.count("<img") == len(found)  # every image is a responsive picture

    cover, *below = found
    img = assert_responsive(cover, [1200, 640])
    assert_priority(img)
    assert attr(img, "class") == "page-cover"
    assert attr(img, "alt") == COVER_ALT
    assert (attr(img, "width"), attr(img, "height")) == ("1200", "560")
    assert attr(img, "sizes") == "(min-width: 75em) 72rem, 100vw"

    for picture in below:
        assert_lazy(assert_responsive(picture, [480, 800, 1200]))
    alts = [attr(img_of(p), "alt") for p in below]
    assert alts == [GALLERY_ALT, "Митинг 9 мая", POSTCARD_ALT, ENTRY_ALT]
    gallery_img = img_of(below[0])
    assert (attr(gallery_img, "width"), attr(gallery_img, "height")) == ("480", "300")
    assert attr(gallery_img, "class") == "photo__image"

    # The viewer's contract: a link to the large image around each thumbnail.
    links = re.findall(
        r'<a class="photo__link" href="([^"]+)" data-gallery-item>\s*<picture>', html
    )
    assert len(links) == 3 and all("max-1600x1600" in link for link in links)


def test_no_page_sends_an_original_image(client, material, home_page, make_image, make_memorial):
    publish(home_page, hero_image=make_image(title="Обелиск"))
    memorial = make_memorial(photo=make_image())
    for url in (material.url, material.get_parent().url, material.project.url, "/", memorial.url):
        html = html_of(client.get(url))
        assert "<picture>" in html, url
        assert "original_images" not in html, url


def test_home_page_hero_is_the_priority_and_cards_are_lazy(client, home_page, material, make_image):
    publish(home_page, hero_image=make_image(title="Вечный огонь", size=(1500, 1000)))
    html = html_of(client.get("/"))
    hero, *cards = pictures(html)
    img = assert_responsive(hero, [960, 480])
    assert_priority(img)
    assert attr(img, "class") == "intro__image" and attr(img, "alt") == "Вечный огонь"
    assert html.count('fetchpriority="high"') == 1
    assert cards, "the latest materials show their covers"
    for card in cards:
        assert_lazy(assert_responsive(card, [480, 960]))


def test_library_page_photo_and_directory_cards(client, make_library, library_index, make_image):
    library = make_library(photo=make_image(title="Здание библиотеки", size=(1800, 1200)))
    html = html_of(client.get(library.url))
    (picture,) = pictures(html)
    img = assert_responsive(picture, [480, 960, 1440])
    assert_priority(img)
    assert attr(img, "alt") == "Здание библиотеки" and attr(img, "class") == "library__photo"

    html = html_of(client.get(library_index.url))
    (card,) = pictures(html)
    img = assert_responsive(card, [480, 960])
    assert_lazy(img)
    assert attr(img, "alt") == ""  # decorative: the card's title names the library


def test_memorial_and_hero_pages(client, make_memorial, make_hero, make_image):
    memorial = make_memorial(
        photo=make_image(title="Обелиск в Козельске"),
        photos=[
            {
                "type": "photo",
                "value": {
                    "image": make_image().pk,
                    "caption": "Вид с юга",
                    "author": "",
                    "year": None,
                },
            }
        ],
    )
    html = html_of(client.get(memorial.url))
    cover, block = pictures(html)
    assert_priority(assert_responsive(cover, [1200, 640]))
    img = assert_responsive(block, [800, 480])
    assert_lazy(img)
    assert attr(img, "alt") == "Вид с юга"

    hero = make_hero(photo=make_image(title="Портрет", size=(900, 1200)))
    html = html_of(client.get(hero.url))
    (portrait,) = pictures(html)
    img = assert_responsive(portrait, [360, 720])
    assert_priority(img)
    assert (attr(img, "width"), attr(img, "height")) == ("360", "480")
    assert attr(img, "class") == "hero__photo"


# -- images off (the version for the visually impaired) ------------------------------------------


def render_tag(source, request, **context):
    template = Template("{% load responsive_images %}" + source)
    return template.render(Context({"request": request, **context})).strip()


@pytest.mark.parametrize(
    "request_",
    [
        SimpleNamespace(),  # before the middleware ran
        SimpleNamespace(low_vision=None),  # the normal version
        SimpleNamespace(low_vision=LowVision(images=True)),
        None,  # no request in the context (a block rendered on its own)
    ],
)
def test_pictures_are_shown_unless_images_are_off(request_, make_image):
    markup = render_tag(
        '{% responsive_image image "width-{480,800}" sizes="100vw" alt="Обелиск" %}',
        request_,
        image=make_image(),
    )
    assert markup.startswith("<picture>") and 'alt="Обелиск"' in markup


def test_images_off_renders_the_alt_text_escaped(make_image):
    request = SimpleNamespace(low_vision=SimpleNamespace(images=False))
    image = make_image()
    source = '{% responsive_image image "width-{480,800}" sizes="100vw" alt=alt %}'
    markup = render_tag(source, request, image=image, alt="Дом <b>купца</b> & сад")
    assert markup == '<span class="image-alt">Дом &lt;b&gt;купца&lt;/b&gt; &amp; сад</span>'
    # A decorative image is nothing at all.
    assert render_tag(source, request, image=image, alt="") == ""
    # Without an alt: the image's own description.
    described = make_image(description="Вечный огонь")
    markup = render_tag('{% responsive_image image "width-480" %}', request, image=described)
    assert markup == '<span class="image-alt">Вечный огонь</span>'


def test_images_off_makes_no_rendition(make_image, django_assert_num_queries):
    request = SimpleNamespace(low_vision=LowVision(images=False))
    image = make_image()
    with django_assert_num_queries(0):
        render_tag(
            '{% responsive_image image "width-{480,800}" alt="Обелиск" %}', request, image=image
        )
    assert not image.renditions.exists()


def test_images_off_page_has_text_instead_of_pictures(client, material, make_project, make_image):
    client.cookies[COOKIE] = LowVision(images=False).to_cookie()
    html = html_of(client.get(material.url))
    assert "<picture" not in html and "<img" not in html
    for alt in (COVER_ALT, GALLERY_ALT, POSTCARD_ALT, ENTRY_ALT):
        assert f'<span class="image-alt">{alt}</span>' in html, alt
    # The photos still open large from their link.
    assert re.search(
        r'<a class="photo__link" href="[^"]+max-1600x1600[^"]*" data-gallery-item>', html
    )

    # A project's cover is decorative (alt=""): nothing takes its place.
    project = publish(make_project(), cover_image=make_image(title="Обложка проекта"))
    main = main_of(html_of(client.get(project.url)))
    assert "<img" not in main
    assert "Обложка проекта" not in main
    assert 'class="image-alt"' not in main


def test_images_off_drops_the_video_poster(make_image):
    video = Media.objects.create(
        title="Буктрейлер",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="trailer.mp4"),
        type="video",
        duration=60,
    )
    block = ContributionStreamBlock().child_blocks["book_trailer"]
    value = block.to_python(
        {
            "video": video.pk,
            "link": "",
            "poster": make_image().pk,
            "book_author": "Юрий Бондарев",
            "book_title": "Горячий снег",
            "book_year": 1970,
            "annotation": "",
            "captions": None,
        }
    )
    shown = block.render(value, {"request": SimpleNamespace(low_vision=None)})
    assert re.search(r'poster="/media/images/[^"]+width-1200\.format-jpeg\.jpg"', shown)
    off = block.render(value, {"request": SimpleNamespace(low_vision=LowVision(images=False))})
    assert "<video" in off and "poster=" not in off


# -- what it costs --------------------------------------------------------------------------------


def count_queries(client, url):
    """Queries of a page whose renditions exist but are not in the cache (a restarted cache,
    another worker's renditions): the cost the page pays per image."""
    html_of(client.get(url))  # renditions made
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        html = html_of(client.get(url))
    return len(ctx), html


def test_gallery_costs_one_lookup_for_all_its_photos(
    client, make_library, make_project, make_contribution, make_image
):
    library, project = make_library(), make_project()

    def material(count):
        page = make_contribution(library, project)
        photos = [photo(make_image(size=(300, 200)), f"Фото {n}") for n in range(count)]
        return publish(page, body=[gallery(*photos)])

    few, many = material(3), material(10)
    few_queries, few_html = count_queries(client, few.url)
    many_queries, many_html = count_queries(client, many.url)
    assert len(pictures(few_html)) == 3 and len(pictures(many_html)) == 10
    # Every photo's renditions (three widths × three formats, and the large image the viewer
    # opens) are looked up together for the whole body: never one query per photo.
    assert many_queries == few_queries
    # With the renditions cached, the number of photos costs nothing.
    html_of(client.get(few.url))
    with CaptureQueriesContext(connection) as cached_few:
        html_of(client.get(few.url))
    with CaptureQueriesContext(connection) as cached_many:
        html_of(client.get(many.url))
    assert len(cached_few) == len(cached_many)


def test_card_listings_prefetch_every_rendition_they_show(
    client, make_library, make_project, make_contribution, library_index, make_image
):
    """The listings prefetch the cards' renditions in one query: were a spec missing from the
    prefetch, Wagtail would look it up (or remake it) card by card."""
    project_few, project_many = make_project(), make_project()
    library = make_library(photo=make_image(size=(300, 200)))
    for project, count in ((project_few, 3), (project_many, 10)):
        for _ in range(count):
            make_contribution(library, project, cover_image=make_image(size=(300, 200)))
    few, _ = count_queries(client, project_few.url)
    many, many_html = count_queries(client, project_many.url)
    assert len(pictures(many_html)) == 10
    assert few == many

    for n in range(9):
        make_library(title=f"Библиотека {n}", photo=make_image(size=(300, 200)))
    many_libraries, html = count_queries(client, library_index.url)
    assert len(pictures(html)) == 10
    make_library(title="Ещё одна", photo=make_image(size=(300, 200)))
    assert count_queries(client, library_index.url)[0] == many_libraries


def test_picture_specs_are_fixed_by_the_template():
    assert picture_filter_specs("fill-{480x320,960x640}-c100") == [
        "fill-480x320-c100|format-avif",
        "fill-480x320-c100|format-webp",
        "fill-480x320-c100|format-jpeg",
        "fill-960x640-c100|format-avif",
        "fill-960x640-c100|format-webp",
        "fill-960x640-c100|format-jpeg",
    ]
    with pytest.raises(ValueError, match="formats"):
        picture_filter_specs("width-480|format-png")
