"""StreamField blocks of projects and contributions (placeholder: being written)."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class ContributionStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])
    gallery = blocks.ListBlock(ImageBlock())


class ProjectStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])


def count_photos(stream_value):
    return 0


def first_image(stream_value):
    return None
