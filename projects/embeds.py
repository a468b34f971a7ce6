"""Video links turned into players without asking the video hosts anything.

Wagtail's oEmbed finder fetches the host's oEmbed endpoint when a link is saved, and it
knows neither Rutube nor VK Video. The archive must not call outside at save or render time,
and every supported host's player address follows from the link itself, so it is built here
from the video id: no network, no database, the same answer every time.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

UNRECOGNISED_LINK = _("Ссылка не распознана: поддерживаются Rutube, VK Video и YouTube")

# Landscape players are 16:9; YouTube Shorts are vertical.
LANDSCAPE = (640, 360)
PORTRAIT = (360, 640)

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_PATH = re.compile(r"^/(shorts|embed|live|v)/([A-Za-z0-9_-]{11})/?$")
_YOUTUBE_TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")
_RUTUBE_PATH = re.compile(
    r"^/(?:video(?:/private)?|play/embed|shorts)/([0-9a-f]{32})/?$", re.IGNORECASE
)
_RUTUBE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_VK_VIDEO = re.compile(r"^(?:video|clip)(-?\d{1,20})_(\d{1,20})")
_VK_HASH = re.compile(r"^[0-9a-f]{1,64}$", re.IGNORECASE)
_DIGITS = re.compile(r"^-?\d{1,20}$")

_YOUTUBE_HOSTS = {"youtube.com", "youtube-nocookie.com"}
_RUTUBE_HOSTS = {"rutube.ru"}
_VK_HOSTS = {"vk.com", "vk.ru", "vkvideo.ru"}


@dataclass(frozen=True)
class VideoLink:
    """A recognised video link: which host, which video, and where its player lives."""

    provider: str  # "youtube", "rutube" or "vk"
    provider_name: str
    video_id: str
    embed_url: str
    watch_url: str
    vertical: bool = False

    @property
    def width(self):
        return (PORTRAIT if self.vertical else LANDSCAPE)[0]

    @property
    def height(self):
        return (PORTRAIT if self.vertical else LANDSCAPE)[1]


def _host(netloc):
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
    for prefix in ("www.", "m.", "music."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def _first(query, name):
    values = query.get(name)
    return values[0].strip() if values else ""


def _youtube_start(query):
    """Seconds from ``t=90``, ``t=1m30s`` or ``start=90``; 0 when absent or malformed."""
    raw = _first(query, "start") or _first(query, "t")
    match = _YOUTUBE_TIME.match(raw) if raw else None
    if not match:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _youtube(host, path, query):
    video_id, vertical = "", False
    if host == "youtu.be":
        video_id = path.strip("/")
    elif host in _YOUTUBE_HOSTS:
        if path.rstrip("/") == "/watch":
            video_id = _first(query, "v")
        elif match := _YOUTUBE_PATH.match(path):
            vertical = match[1] == "shorts"
            video_id = match[2]
    if not _YOUTUBE_ID.match(video_id):
        return None
    embed_url = f"https://www.youtube-nocookie.com/embed/{video_id}"
    watch_url = f"https://www.youtube.com/watch?v={video_id}"
    if start := _youtube_start(query):
        embed_url += f"?start={start}"
        watch_url += f"&t={start}s"
    return VideoLink("youtube", "YouTube", video_id, embed_url, watch_url, vertical)


def _rutube(host, path, query):
    if host not in _RUTUBE_HOSTS:
        return None
    match = _RUTUBE_PATH.match(path)
    if not match:
        return None
    video_id = match[1].lower()
    embed_url = f"https://rutube.ru/play/embed/{video_id}"
    watch_url = f"https://rutube.ru/video/{video_id}/"
    # A private video plays only with its access key; the player needs it too.
    key = _first(query, "p")
    if key and _RUTUBE_KEY.match(key):
        embed_url += "?" + urlencode({"p": key})
        watch_url = f"https://rutube.ru/video/private/{video_id}/?" + urlencode({"p": key})
    return VideoLink("rutube", "Rutube", video_id, embed_url, watch_url)


def _vk(host, path, query):
    if host not in _VK_HOSTS:
        return None
    owner = video = ""
    if path.rstrip("/") == "/video_ext.php":
        owner, video = _first(query, "oid"), _first(query, "id")
    elif match := _VK_VIDEO.match(path.lstrip("/")):
        owner, video = match[1], match[2]
    elif match := _VK_VIDEO.match(_first(query, "z")):
        # A video opened over a page or a playlist: vk.com/video?z=video-1_2%2Fpl_…
        owner, video = match[1], match[2]
    if not (_DIGITS.match(owner) and video.isdigit() and not video.startswith("-")):
        return None
    params = {"oid": owner, "id": video}
    # Some videos play embedded only with the hash the «Поделиться → Экспорт» dialog gives.
    video_hash = _first(query, "hash")
    if video_hash and _VK_HASH.match(video_hash):
        params["hash"] = video_hash
    embed_url = "https://vkvideo.ru/video_ext.php?" + urlencode(params)
    watch_url = f"https://vkvideo.ru/video{owner}_{video}"
    return VideoLink("vk", "VK Video", f"{owner}_{video}", embed_url, watch_url)


def parse_video_url(url):
    """The :class:`VideoLink` for a YouTube, Rutube or VK Video link, or ``None``."""
    if not url or not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    host = _host(parts.netloc)
    query = parse_qs(parts.query)
    for parser in (_youtube, _rutube, _vk):
        link = parser(host, parts.path, query)
        if link:
            return link
    return None


def iframe_html(link, title, width=None, height=None):
    """The player: lazy, full-screen capable, never autoplaying (no ``autoplay`` anywhere)."""
    return format_html(
        '<iframe src="{src}" title="{title}" width="{width}" height="{height}" loading="lazy"'
        ' allow="encrypted-media; fullscreen; picture-in-picture"'
        ' referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>',
        src=link.embed_url,
        title=title,
        width=width or link.width,
        height=height or link.height,
    )


def _fit(width, height, max_width, max_height):
    scale = 1.0
    if max_width:
        scale = min(scale, max_width / width)
    if max_height:
        scale = min(scale, max_height / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


class VideoHostFinder(EmbedFinder):
    """Wagtail embed finder for YouTube, Rutube and VK Video that makes no network call."""

    def __init__(self, **options):
        self.options = options

    def accept(self, url):
        return parse_video_url(url) is not None

    def find_embed(self, url, max_width=None, max_height=None):
        link = parse_video_url(url)
        if link is None:
            raise EmbedNotFoundException(str(UNRECOGNISED_LINK))
        width, height = _fit(link.width, link.height, max_width, max_height)
        # The host is never asked for the real title: the player is named after the host.
        title = gettext("Видео на %(provider)s") % {"provider": link.provider_name}
        return {
            "title": title,
            "author_name": "",
            "provider_name": link.provider_name,
            "type": "video",
            "thumbnail_url": "",
            "width": width,
            "height": height,
            "html": str(iframe_html(link, title, width, height)),
        }
