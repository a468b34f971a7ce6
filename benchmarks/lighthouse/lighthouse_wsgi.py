"""The WSGI application the Lighthouse run serves with gunicorn (benchmarks/lighthouse/run.py).

It is the production application (``site/wsgi.py``: production settings, static files from
whitenoise with hashed names) plus what the web server in front of it serves in a real
deployment, so the audited pages load completely without touching the internet:

- ``/media/`` — uploaded images and their renditions, as nginx would serve them (with a
  30-day ``Cache-Control``); Django itself serves media only with ``DEBUG`` on;
- ``/__tiles/{z}/{x}/{y}.png`` — a plain placeholder map tile, when ``LIGHTHOUSE_TILES`` is
  set: the real tile server is another host, which the audited browser may not reach.

Never used outside this benchmark.
"""

import io
import os
import re

from django.conf import settings

from whitenoise import WhiteNoise

from wsgi import application as django_application

MEDIA_MAX_AGE = 30 * 24 * 3600
TILE_PATH = re.compile(r"^/__tiles/\d+/\d+/\d+\.png$")


def placeholder_tile():
    """A 256×256 PNG in the light grey of an empty map (about 100 bytes)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 230, 226)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def with_tiles(app):
    tile = placeholder_tile()
    headers = [
        ("Content-Type", "image/png"),
        ("Content-Length", str(len(tile))),
        ("Cache-Control", "public, max-age=86400"),
        ("Access-Control-Allow-Origin", "*"),
    ]

    def tiles(environ, start_response):
        if TILE_PATH.match(environ.get("PATH_INFO", "")):
            start_response("200 OK", headers)
            return [tile]
        return app(environ, start_response)

    return tiles


# autorefresh: renditions are made on the first request for a page, after the server started.
application = WhiteNoise(django_application, max_age=MEDIA_MAX_AGE, autorefresh=True)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
if os.environ.get("LIGHTHOUSE_TILES"):
    application = with_tiles(application)
