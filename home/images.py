"""Responsive pictures: the one set of rules for every public image (issue #7).

Templates render images with ``{% responsive_image %}`` (``home/templatetags/responsive_images.py``)
and nothing else, so these rules live here only:

- each size in AVIF, WebP and JPEG: a ``<picture>`` whose ``<source>``s offer AVIF, then WebP,
  and whose ``<img>`` falls back to JPEG, every one with a ``srcset`` of all the sizes;
- only renditions, from fixed filter specs written in templates: the original file (often a
  20 MB scan) is never sent;
- the ``<img>`` carries the width and height of the first size listed (its ``src``), so the
  browser reserves the box before the file arrives and nothing shifts;
- pictures load lazily and decode off the main thread, except the one at the top of the page
  (``priority=True``): it is the Largest Contentful Paint, so it loads eagerly with
  ``fetchpriority="high"``;
- in the version for the visually impaired with images off (``home/low_vision.py``) a picture
  is its alternative text, and a decorative picture is nothing.

All the sizes and formats of one image are looked up in one query (or one cache read) and the
missing ones are generated together (Wagtail's ``Image.get_renditions``). Listings that show
many images prefetch them with :func:`renditions_prefetch` and the same spec as the template,
pages whose StreamFields show many with :func:`prefetch_renditions`: a prefetch that misses a
spec makes Wagtail regenerate that rendition on every request.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.html import format_html

from wagtail.images import get_image_model
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

#: Formats in the order browsers should prefer them; the last one is the ``<img>`` fallback.
FORMATS = ("avif", "webp", "jpeg")


def picture_filter_specs(spec):
    """Every rendition filter spec of a picture: each size of ``spec`` in each format.

    >>> picture_filter_specs("fill-{480x320,960x640}")[:3]
    ['fill-480x320|format-avif', 'fill-480x320|format-webp', 'fill-480x320|format-jpeg']
    """
    if "format-" in spec:
        raise ValueError(f"{spec!r}: the formats of a responsive image are fixed (FORMATS)")
    return [f"{size}|format-{fmt}" for size in Filter.expand_spec(spec) for fmt in FORMATS]


def renditions_prefetch(lookup, *specs):
    """A ``Prefetch`` of the renditions that pictures of ``specs`` (and plain filter specs)
    use, for ``lookup`` (e.g. ``"cover_image__renditions"``) on a listing's queryset."""
    filter_specs = []
    for spec in specs:
        filter_specs += picture_filter_specs(spec) if "{" in spec else [spec]
    Rendition = get_image_model().get_rendition_model()
    return Prefetch(lookup, queryset=Rendition.objects.filter(filter_spec__in=filter_specs))


def prefetch_renditions(images, *specs):
    """Load the renditions of ``specs`` of many images in one query, onto these very
    instances: the pictures of a StreamField, which no queryset lists.

    Like :func:`renditions_prefetch`, it must name every spec the templates make of these
    images, or Wagtail makes the missing one again on each request."""
    images = [image for image in images if image is not None]
    if images:
        prefetch_related_objects(images, renditions_prefetch("renditions", *specs))


def images_shown(request):
    """False when the visitor switched images off in the version for the visually impaired.

    ``request.low_vision`` is None in the normal version (and absent on requests that did not
    go through the middleware)."""
    low_vision = getattr(request, "low_vision", None)
    return low_vision is None or bool(low_vision.images)


def alt_text(image, alt=None):
    """The alternative text: ``alt`` when given ("" marks a decorative image), else what
    Wagtail would use (an ``ImageBlock``'s contextual text, or the image's description or
    title)."""
    if alt is not None:
        return str(alt)
    if getattr(image, "decorative", False):
        return ""
    return getattr(image, "contextual_alt_text", None) or image.default_alt_text


def render_picture(image, spec, *, request=None, sizes=None, alt=None, priority=False, **attrs):
    """The HTML of a responsive picture (see the module's docstring); "" without an image."""
    if not image:
        return ""
    alt = alt_text(image, alt)
    if not images_shown(request):
        return format_html('<span class="image-alt">{}</span>', alt) if alt else ""

    specs = picture_filter_specs(spec)
    renditions = get_renditions_or_not_found(image, specs)
    img_attrs = {"alt": alt, "sizes": sizes if len(specs) > len(FORMATS) else None}
    if priority:
        img_attrs.update(loading="eager", fetchpriority="high")
    else:
        img_attrs.update(loading="lazy", decoding="async")
    img_attrs.update((name, value) for name, value in attrs.items() if value not in (None, ""))
    return Picture(renditions, img_attrs).__html__()
