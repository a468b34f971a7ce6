"""The default Wagtail Site follows BASE_URL in production (home/site_address.py)."""

from django.core.management import call_command

import pytest

from home.site_address import point_default_site_at_base_url, site_address

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://letopis.example.ru", ("letopis.example.ru", 443)),
        ("http://letopis.example.ru/", ("letopis.example.ru", 80)),
        ("https://letopis.example.ru:8443/", ("letopis.example.ru", 8443)),
    ],
)
def test_address_of_base_url(base_url, expected):
    assert site_address(base_url) == expected


@pytest.mark.parametrize("base_url", ["letopis.example.ru", "ftp://x.example", ""])
def test_a_base_url_that_is_no_address_is_refused(base_url):
    with pytest.raises(ValueError, match="BASE_URL"):
        site_address(base_url)


def test_migrate_points_the_default_site_at_base_url(site, settings, client):
    settings.SITE_FROM_BASE_URL = True
    settings.WAGTAILADMIN_BASE_URL = "https://letopis.example.ru"
    call_command("migrate", verbosity=0)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("letopis.example.ru", 443)
    assert site.root_url == "https://letopis.example.ru"
    settings.ALLOWED_HOSTS = ["letopis.example.ru", "testserver"]
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://letopis.example.ru/sitemap.xml" in robots


def test_without_the_setting_the_site_is_left_alone(site, settings):
    settings.SITE_FROM_BASE_URL = False
    settings.WAGTAILADMIN_BASE_URL = "https://letopis.example.ru"
    point_default_site_at_base_url(sender=None)
    site.refresh_from_db()
    assert site.hostname == "localhost"


def test_another_site_at_that_address_is_not_overwritten(site, settings, home_page):
    from wagtail.models import Site

    Site.objects.create(hostname="letopis.example.ru", port=443, root_page=home_page)
    settings.SITE_FROM_BASE_URL = True
    settings.WAGTAILADMIN_BASE_URL = "https://letopis.example.ru"
    point_default_site_at_base_url(sender=None, verbosity=0)
    site.refresh_from_db()
    assert site.hostname == "localhost"
