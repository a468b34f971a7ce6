"""Public images in templates — the rules are in ``home/images.py``.

``{% responsive_image image "fill-{480x320,960x640}" sizes="(min-width: 36em) 20rem, 100vw" %}``
renders a ``<picture>`` (AVIF, WebP, JPEG; lazy), or the alternative text when the visitor
switched images off. Options: ``alt`` ("" for a decorative image; by default the image's own
description or title), ``class`` and ``id`` for the ``<img>``, ``priority=True`` for the one
image at the top of the page. The first size listed is the ``<img>``'s ``src`` and gives its
width and height: list first the size the layout is drawn for.

``{% images_shown as show %}`` — False in the version for the visually impaired with images
off: for pictures the tag cannot draw (a video's poster).
"""

from django import template

from home import images

register = template.Library()


@register.simple_tag(takes_context=True)
def responsive_image(context, image, spec, **options):
    return images.render_picture(image, spec, request=context.get("request"), **options)


@register.simple_tag(takes_context=True)
def images_shown(context):
    return images.images_shown(context.get("request"))
