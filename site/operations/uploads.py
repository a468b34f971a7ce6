"""Image uploads: refused before they cost memory, with a message an editor understands.

Every admin path that takes an image — the image form, the chooser's upload tab, the multiple
upload — builds its form from ``WAGTAILIMAGES_IMAGE_FORM_BASE``, i.e. :class:`ImageForm`.

Wagtail checks an upload's size, its real format against its extension, and its pixel count,
but it measures the pixels by decoding the whole picture (Willow's Pillow plugin calls
``load()``): a "pixel bomb" — a few hundred kilobytes of PNG declaring 13,000 × 13,000
pixels — is decompressed into some 500 MB of memory before the limit refuses it (Pillow's
own guard only stops pictures over twice its 89-megapixel default), and a file whose header
is fine but whose data is cut short raises ``OSError``, a server error. :class:`ImageUploadField`
reads the width and height from the header first, so anything over
``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` is refused without being decoded, and turns any failure
to read a picture into a form error. Its messages are plain Russian (Wagtail's are partly
untranslated: "unknown number").

Documents are limited by size and an extension allow-list (``WAGTAILDOCS_*``), with Wagtail's
and Django's Russian messages; they are never decoded.
"""

import logging
import os
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from PIL import Image as PILImage

logger = logging.getLogger(__name__)


def image_error_messages(field):
    """The file field's messages, by Wagtail's error codes. Wagtail formats some with ``%``
    and a dict: the placeholders kept are the ones it passes, every other value is filled in
    now (a message without placeholders comes out of ``%`` unchanged)."""
    formats = ", ".join(sorted({ext.upper() for ext in field.allowed_image_extensions} - {"JPG"}))
    megapixels = round(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS / 1_000_000)
    return {
        # Not a picture: a text or HTML file, or a damaged picture, with a picture's name.
        "invalid_image": _(
            "Файл не удалось открыть как изображение: он повреждён или это не картинка. "
            "Загрузите изображение в формате %(formats)s."
        )
        % {"formats": formats},
        "invalid_image_extension": _(
            "Изображения такого типа не принимаются. Загрузите файл в формате %(formats)s."
        )
        % {"formats": formats},
        # Wagtail passes %(extension)s and %(image_format)s.
        "invalid_image_known_format": _(
            "Расширение файла «.%(extension)s» не соответствует его содержимому "
            "(на самом деле это %(image_format)s). Исправьте расширение или сохраните "
            "изображение в нужном формате."
        ),
        # Wagtail passes %(file_size)s and %(max_filesize)s.
        "file_too_large": _(
            "Файл слишком большой (%(file_size)s). Наибольший размер файла — %(max_filesize)s."
        ),
        "file_too_large_unknown_size": _(
            "Файл слишком большой. Наибольший размер файла — %(max_filesize)s."
        )
        % {"max_filesize": filesizeformat(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)},
        "file_too_many_pixels": _(
            "В изображении слишком много точек: можно не больше %(megapixels)s мегапикселей. "
            "Уменьшите его размеры в пикселях и загрузите снова."
        )
        % {"megapixels": megapixels},
    }


def declared_pixels(data):
    """Width × height as the file's header declares them, read without decoding the picture;
    None when Pillow does not recognise the file (Wagtail's checks then refuse it)."""
    if not hasattr(data, "seek"):
        return None
    data.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns above 89 megapixels and refuses above twice that: the size is
            # what is wanted here, either way.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(data) as image:  # reads the header only
                width, height = image.size
    except PILImage.DecompressionBombError:
        return float("inf")
    except Exception:  # not a picture Pillow knows: Wagtail's checks refuse it
        return None
    finally:
        data.seek(0)
    return width * height


class ImageUploadField(WagtailImageField):
    """Wagtail's image field, which checks the pixel count from the header before anything
    is decoded and never lets a broken picture become a server error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages.update(image_error_messages(self))

    def to_python(self, data):
        limit = self.max_image_pixels
        if data is not None and limit is not None:
            pixels = declared_pixels(data)
            if pixels is not None and pixels > limit:
                raise ValidationError(
                    self.error_messages["file_too_many_pixels"], code="file_too_many_pixels"
                )
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception:  # a picture that cannot be read is a bad upload
            logger.info("Image upload refused: it could not be decoded", exc_info=True)
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from None

    def check_image_file_format(self, f):
        # A format that is not allowed under an allowed extension (an HTML page or a TIFF
        # named .jpg) is refused as a type we do not take, not as a misnamed picture.
        extension = os.path.splitext(f.name)[1].lower()[1:]
        allowed = {"jpeg" if ext == "jpg" else ext for ext in self.allowed_image_extensions}
        if extension in self.allowed_image_extensions and f.image.format_name not in allowed:
            raise ValidationError(
                self.error_messages["invalid_image_extension"], code="invalid_image_extension"
            )
        super().check_image_file_format(f)


class ImageForm(BaseImageForm):
    """Wagtail's image form with :class:`ImageUploadField` for the file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField) and not isinstance(field, ImageUploadField):
            self.fields["file"] = ImageUploadField(
                label=field.label,
                required=field.required,
                widget=field.widget,
                initial=field.initial,
            )
