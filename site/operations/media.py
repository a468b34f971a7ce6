"""The media files a development server may hand out itself (``DEBUG``).

In production the front web server serves ``MEDIA_URL`` from ``MEDIA_ROOT`` (or the object
storage does) and must refuse the same folders as here: original images and documents are
never public files. Pages show renditions only (``home/images.py``), and documents go through
Wagtail's view, which checks collection privacy and sends safe headers.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

#: Folders of MEDIA_ROOT that are never served as files: Wagtail's originals and documents.
PRIVATE_MEDIA_FOLDERS = ("original_images/", "documents/")


def is_private_media(path):
    """Whether a path under MEDIA_URL points into a private folder, however it is spelled
    (``./``, ``..``, doubled slashes, backslashes, another letter case)."""
    normal = posixpath.normpath("/" + path.replace("\\", "/")).lstrip("/").lower() + "/"
    return normal.startswith(PRIVATE_MEDIA_FOLDERS)


def serve_public_media(request, path):
    """Django's development file view for MEDIA_ROOT, with the private folders answering 404."""
    if is_private_media(path):
        raise Http404("Not a public file")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
