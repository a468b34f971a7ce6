"""StreamField blocks of memorials and heroes: photographs and sources.

Photographs and sources are lists an editor reorders and a translator captions, so they are
StreamFields (wagtail-localize translates captions and notes segment by segment) rather
than inline models. Their templates live beside the memorial page templates
(``components/memorial_*_block.html``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

#: The picture of a photo (components/memorial_photo_block.html, which names it literally:
#: keep them the same); a page loads them for all its photos at once (``prefetch_photos``).
PHOTO_PICTURE = "width-{800,480}"


def prefetch_photos(stream_value):
    """The renditions of every photo of a ``PhotosBlock`` stream in one query, so a page
    of 10 or 500 photos costs the same (``home.images``)."""
    from home.images import prefetch_renditions

    prefetch_renditions((child.value.get("image") for child in stream_value), PHOTO_PICTURE)


class PhotoValue(blocks.StructValue):
    @property
    def alt(self):
        """Alt text: the caption, else the image's own alt text or title."""
        image = self.get("image")
        return (
            self.get("caption")
            or getattr(image, "default_alt_text", "")
            or getattr(image, "title", "")
        )

    @property
    def credit(self):
        parts = [self.get("author") or "", str(self.get("year") or "")]
        return ", ".join(p for p in parts if p)


class PhotoBlock(blocks.StructBlock):
    """One photograph of a memorial or a hero, with its caption and credit."""

    image = ImageChooserBlock(label=_("фотография"))
    caption = blocks.CharBlock(
        label=_("подпись"),
        required=False,
        max_length=255,
        help_text=_("Что на снимке: «Обелиск после реставрации, вид с юга»."),
    )
    author = blocks.CharBlock(label=_("автор снимка"), required=False, max_length=120)
    year = blocks.IntegerBlock(label=_("год съёмки"), required=False, min_value=1850)

    class Meta:
        icon = "image"
        label = _("фотография")
        template = "components/memorial_photo_block.html"
        value_class = PhotoValue
        description = _("Фотография с подписью, автором и годом съёмки.")

    def clean(self, value):
        value = super().clean(value)
        year = value.get("year")
        if year and year > datetime.date.today().year:
            raise blocks.StructBlockValidationError(
                block_errors={"year": ValidationError(_("Год съёмки ещё не наступил."))}
            )
        return value


class SourceBlock(blocks.StructBlock):
    """Where a fact comes from: a book, an archive file, a database record, a website."""

    title = blocks.CharBlock(
        label=_("источник"),
        max_length=500,
        help_text=_(
            "Книга, архивный документ или база данных: «ЦАМО, ф. 58, оп. 18001, д. 982», "
            "«Книга памяти Калужской области, т. 3»."
        ),
    )
    url = blocks.URLBlock(label=_("ссылка"), required=False)
    note = blocks.CharBlock(label=_("примечание"), required=False, max_length=255)

    class Meta:
        icon = "link"
        label = _("источник")
        template = "components/memorial_source_block.html"
        description = _("Источник сведений: название и, если есть, ссылка.")
        preview_value = {
            "title": "Книга памяти Калужской области, т. 3",
            "url": "",
            "note": "",
        }


class PhotosBlock(blocks.StreamBlock):
    photo = PhotoBlock()


class SourcesBlock(blocks.StreamBlock):
    source = SourceBlock()
