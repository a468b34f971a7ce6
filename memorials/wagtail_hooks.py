"""Admin integration: a warning for a memorial placed outside the region.

A point outside the region's bounding box is not refused (a partner library may describe
a memorial across the border) but is usually swapped latitude and longitude or a typo:
the editor is told after saving, and the map picker says it while the point is set.
"""

from django.contrib import messages
from django.utils.translation import gettext as _

from wagtail import hooks

from network.regions import REGION_NAME

from .models import MemorialPage


def warn_outside_region(request, page):
    page = getattr(page, "specific", page)
    if isinstance(page, MemorialPage) and page.outside_region:
        messages.warning(
            request,
            _(
                "Памятник «%(title)s» отмечен за пределами области (%(region)s): "
                "проверьте, не перепутаны ли широта и долгота."
            )
            % {"title": page.title, "region": REGION_NAME},
        )


hooks.register("after_create_page", warn_outside_region)
hooks.register("after_edit_page", warn_outside_region)
