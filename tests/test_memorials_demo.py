"""The demo's memorials and Book of Memory: enough of both, white spots, idempotent."""

from collections import Counter
from importlib import import_module

from wagtail.models import Locale

import pytest

from home.demo import DemoBuilder
from memorials.models import HeroIndexPage, HeroPage, MemorialIndexPage, MemorialPage
from network.regions import DISTRICTS

pytestmark = pytest.mark.django_db

STEPS = ["home", "network", "memorials"]  # projects are not needed here


def build():
    builder = DemoBuilder()
    for app in STEPS:
        import_module(f"{app}.demo").build_demo(builder)
    return builder


def test_demo_memorials_and_heroes(site, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # translations publish on commit
        build()
    memorials = list(MemorialPage.objects.live().select_related("library"))
    heroes = list(HeroPage.objects.live())
    assert len(memorials) >= 40 and len(heroes) >= 150

    described = {m.district for m in memorials}
    empty = [d.name for d in DISTRICTS if d.name not in described]
    assert len(described) >= 15 and len(empty) >= 3  # white spots on the map
    assert all(
        m.library is not None and m.url_path.startswith(m.library.url_path) for m in memorials
    )
    assert all(m.ref and m.has_point and not m.outside_region for m in memorials)
    assert all(block.id for m in memorials for block in m.sources)  # wagtail-localize needs ids

    links = Counter(
        HeroPage.objects.filter(memorial_links__isnull=False).values_list("pk", flat=True)
    )
    assert sum(1 for count in links.values() if count > 1) >= 10  # heroes on two memorials
    assert all(h.last_name and h.title == h.full_name for h in heroes)

    english = Locale.objects.get(language_code="en")
    for model, slug in ((MemorialIndexPage, "pamyatniki"), (HeroIndexPage, "kniga-pamyati")):
        page = model.objects.get(slug=slug, locale__language_code="ru")
        assert page.show_in_menus and page.get_translation(english).live
    map_page = MemorialIndexPage.objects.get(slug="pamyatniki", locale__language_code="ru")
    html = client.get(map_page.url).content.decode()
    assert "Белые пятна" in html and empty[0] in html

    counts = (MemorialPage.objects.count(), HeroPage.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        builder = build()
    assert (MemorialPage.objects.count(), HeroPage.objects.count()) == counts
    assert builder.created == 0
