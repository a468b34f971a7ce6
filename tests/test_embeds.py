"""Video links become players without a single call to the video hosts."""

import socket
import urllib.request

from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedNotFoundException, EmbedUnsupportedProviderException
from wagtail.embeds.finders import get_finders
from wagtail.embeds.models import Embed

import pytest

from projects.embeds import VideoHostFinder, parse_video_url

RUTUBE_ID = "c6cc4d620b1d4338901770a44b3e82f4"

ACCEPTED = [
    # YouTube
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtu.be/dQw4w9WgXcQ",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtu.be/dQw4w9WgXcQ?t=90",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90",
    ),
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90",
    ),
    (
        "https://www.youtube.com/shorts/aBcDeF_-123",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/aBcDeF_-123",
    ),
    (
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "http://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "YouTube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    # Rutube
    (
        f"https://rutube.ru/video/{RUTUBE_ID}/",
        "Rutube",
        f"https://rutube.ru/play/embed/{RUTUBE_ID}",
    ),
    (
        f"https://rutube.ru/video/{RUTUBE_ID.upper()}",
        "Rutube",
        f"https://rutube.ru/play/embed/{RUTUBE_ID}",
    ),
    (
        f"https://rutube.ru/play/embed/{RUTUBE_ID}",
        "Rutube",
        f"https://rutube.ru/play/embed/{RUTUBE_ID}",
    ),
    (
        f"https://rutube.ru/video/private/{RUTUBE_ID}/?p=AbC-12_x",
        "Rutube",
        f"https://rutube.ru/play/embed/{RUTUBE_ID}?p=AbC-12_x",
    ),
    # VK Video
    (
        "https://vk.com/video-22822305_456241864",
        "VK Video",
        "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864",
    ),
    (
        "https://vkvideo.ru/video-22822305_456241864",
        "VK Video",
        "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864",
    ),
    (
        "https://vk.com/video12345_67890",
        "VK Video",
        "https://vkvideo.ru/video_ext.php?oid=12345&id=67890",
    ),
    (
        "https://m.vk.com/video-1_2",
        "VK Video",
        "https://vkvideo.ru/video_ext.php?oid=-1&id=2",
    ),
    (
        "https://vk.com/video_ext.php?oid=-22822305&id=456241864&hash=e037414127166efe",
        "VK Video",
        "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864&hash=e037414127166efe",
    ),
    (
        "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864",
        "VK Video",
        "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864",
    ),
    (
        "https://vk.com/video?z=video-22822305_456241864%2Fpl_cat_trends",
        "VK Video",
        "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864",
    ),
]

REJECTED = [
    "",
    None,
    "dQw4w9WgXcQ",
    "youtube.com/watch?v=dQw4w9WgXcQ",  # no scheme
    "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
    "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
    "https://vimeo.com/76979871",
    "https://www.youtube.com/watch?v=short",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
    "https://www.youtube.com/watch",
    "https://www.youtube.com/channel/UC38IQsAvIsxxjztdMZQtwHA",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
    "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://rutube.ru/video/12345/",
    "https://rutube.ru/channel/23456789/",
    f"https://rutube.ru.evil.example/video/{RUTUBE_ID}/",
    "https://vk.com/id1",
    "https://vk.com/videos-22822305",
    "https://vk.com/video_ext.php?oid=-1",
    "https://vk.com/video_ext.php?oid=abc&id=2",
    "https://ok.ru/video/123456789",
    "https://dzen.ru/video/watch/6512f3",
]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach the network fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse()

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.mark.parametrize(("url", "provider", "embed_url"), ACCEPTED)
def test_finder_recognises_supported_links(no_network, url, provider, embed_url):
    finder = VideoHostFinder()
    assert finder.accept(url)
    link = parse_video_url(url)
    assert link.provider_name == provider
    assert link.embed_url == embed_url
    embed = finder.find_embed(url)
    assert f'src="{embed_url.replace("&", "&amp;")}"' in embed["html"]
    assert embed["provider_name"] == provider


@pytest.mark.parametrize("url", REJECTED)
def test_finder_refuses_other_links(no_network, url):
    assert not VideoHostFinder().accept(url)
    assert parse_video_url(url) is None


def test_unknown_link_raises_embed_not_found(no_network):
    with pytest.raises(EmbedNotFoundException):
        VideoHostFinder().find_embed("https://vimeo.com/76979871")


def test_embed_dict_has_every_field_and_a_quiet_player(no_network):
    embed = VideoHostFinder().find_embed(f"https://rutube.ru/video/{RUTUBE_ID}/")
    assert set(embed) == {
        "title",
        "author_name",
        "provider_name",
        "type",
        "thumbnail_url",
        "width",
        "height",
        "html",
    }
    assert embed["type"] == "video"
    assert embed["title"] == "Видео на Rutube"
    assert embed["thumbnail_url"] == ""
    assert (embed["width"], embed["height"]) == (640, 360)
    html = embed["html"]
    assert html.startswith("<iframe ") and html.endswith("</iframe>")
    assert 'title="Видео на Rutube"' in html
    assert 'loading="lazy"' in html
    assert "allowfullscreen" in html
    assert 'width="640" height="360"' in html
    assert "autoplay" not in html


def test_youtube_shorts_are_vertical():
    embed = VideoHostFinder().find_embed("https://www.youtube.com/shorts/aBcDeF_-123")
    assert (embed["width"], embed["height"]) == (360, 640)


def test_embed_respects_maximum_size():
    embed = VideoHostFinder().find_embed("https://youtu.be/dQw4w9WgXcQ", max_width=320)
    assert (embed["width"], embed["height"]) == (320, 180)
    assert 'width="320" height="180"' in embed["html"]


def test_settings_use_only_this_finder():
    finders = get_finders()
    assert [type(finder) for finder in finders] == [VideoHostFinder]


@pytest.mark.django_db
def test_wagtail_embeds_work_offline_through_the_settings(no_network):
    """``get_embed`` (what EmbedBlock and the {% embed %} tag use) stores the player."""
    embed = embeds.get_embed("https://vkvideo.ru/video-22822305_456241864")
    assert isinstance(embed, Embed)
    assert embed.provider_name == "VK Video"
    assert "https://vkvideo.ru/video_ext.php?oid=-22822305&amp;id=456241864" in embed.html
    with pytest.raises(EmbedUnsupportedProviderException):
        embeds.get_embed("https://vimeo.com/76979871")
