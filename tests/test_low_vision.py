"""The version for the visually impaired: the cookie, the switch view and what pages render.

What it looks like and that it passes axe-core and 320 px reflow in every scheme is proven in
the browser (tests/browser/test_low_vision_browser.py); here: the server side.
"""

import re

import pytest

from home.low_vision import COOKIE, LowVision, panel

pytestmark = pytest.mark.django_db


def _switch(client, **params):
    return client.get("/low-vision/", params)


def _cookie(response):
    morsel = response.cookies.get(COOKIE)
    assert morsel is not None, "no cookie set"
    return morsel


def test_cookie_round_trip_and_defaults():
    assert LowVision.from_cookie("") == LowVision()
    settings = LowVision(size="3", scheme="brown", images=False, spacing="2")
    assert LowVision.from_cookie(settings.to_cookie()) == settings
    assert settings.css_classes == "lv lv-size-3 lv-scheme-brown lv-spacing-2 lv-images-off"


@pytest.mark.parametrize(
    "value",
    ["garbage", "size-9.scheme-pink", "size-3.size-x", "<script>", "scheme-blue" * 500],
)
def test_a_cookie_not_understood_keeps_the_defaults_of_what_is_not(value):
    settings = LowVision.from_cookie(value)
    assert settings.size in {"1", "2", "3"}
    assert settings.scheme in {"black-on-white", "white-on-black", "blue", "brown"}
    if value == "size-3.size-x":
        assert settings.size == "3"


def test_switching_on_sets_a_cookie_and_returns_to_the_page(client, home_page):
    response = _switch(client, on="1", next="/proekty/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/proekty/?page=2"
    morsel = _cookie(response)
    assert morsel.value == LowVision().to_cookie()
    assert morsel["httponly"] and morsel["samesite"] == "Lax"
    assert int(morsel["max-age"]) >= 30 * 24 * 3600
    # Never cached, never indexed.
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_each_setting_changes_only_itself(client, home_page):
    _switch(client, on="1", next="/")
    _switch(client, scheme="white-on-black", next="/")
    _switch(client, size="3", next="/")
    _switch(client, images="off", next="/")
    response = _switch(client, spacing="3", next="/")
    assert LowVision.from_cookie(_cookie(response).value) == LowVision(
        size="3", scheme="white-on-black", images=False, spacing="3"
    )


def test_an_unknown_setting_value_changes_nothing(client, home_page):
    _switch(client, on="1", next="/")
    response = _switch(client, scheme="pink", size="99", next="/")
    assert LowVision.from_cookie(_cookie(response).value) == LowVision()


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "", "\\\\evil.example"],
)
def test_next_never_leaves_the_site(client, home_page, next_url):
    response = _switch(client, on="1", next=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switching_off_deletes_the_cookie(client, home_page):
    _switch(client, on="1", next="/")
    response = _switch(client, off="1", next="/")
    assert response.status_code == 302
    assert _cookie(response).value == ""
    assert client.get("/").content.decode().count("lv-panel") == 0


def test_normal_version_links_to_the_switch_from_every_page(client, home_page):
    html = client.get("/").content.decode()
    assert '<html lang="ru">' in html  # no classes: the normal version
    assert "low-vision.css" not in html
    link = re.search(r'<a class="low-vision-link" href="([^"]+)"', html)
    assert link, "no «Версия для слабовидящих» link"
    assert link.group(1) == "/low-vision/?on=1&amp;next=%2F"
    assert "Версия для слабовидящих" in html
    response = client.get("/net-takoj-stranicy/")
    assert response.status_code == 404
    assert "low-vision-link" in response.content.decode()


def test_the_version_is_rendered_on_the_server(client, home_page):
    client.cookies[COOKIE] = LowVision(scheme="blue", size="3").to_cookie()
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="ru" class="lv lv-size-3 lv-scheme-blue lv-spacing-1">' in html
    assert "css/low-vision.css" in html
    assert 'class="lv-panel"' in html
    assert "low-vision-link" not in html  # the panel replaces the switch
    # The panel marks the current choices and links every other one.
    assert re.search(r'lv-choice--size-3" href="[^"]+" rel="nofollow" aria-current="true"', html)
    assert re.search(
        r'lv-choice--scheme-blue" href="[^"]+" rel="nofollow" aria-current="true"', html
    )
    assert 'href="/low-vision/?off=1&amp;next=%2F"' in html
    assert "Обычная версия сайта" in html
    assert "Cookie" in response["Vary"]


def test_panel_offers_every_choice(rf):
    request = rf.get("/proekty/")
    request.low_vision = LowVision()
    groups = {group["name"]: group for group in panel(request)["groups"]}
    assert [c["value"] for c in groups["size"]["choices"]] == ["1", "2", "3"]
    assert [c["value"] for c in groups["scheme"]["choices"]] == [
        "black-on-white",
        "white-on-black",
        "blue",
        "brown",
    ]
    assert [c["value"] for c in groups["images"]["choices"]] == ["on", "off"]
    assert [c["value"] for c in groups["spacing"]["choices"]] == ["1", "2", "3"]
    current = [c["value"] for group in groups.values() for c in group["choices"] if c["current"]]
    assert current == ["2", "black-on-white", "1", "on"]
    assert groups["scheme"]["choices"][1]["url"] == (
        "/low-vision/?scheme=white-on-black&next=%2Fproekty%2F"
    )


def test_the_cookie_is_secure_when_sessions_are(client, home_page, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = _switch(client, on="1", next="/")
    assert _cookie(response)["secure"]


def test_english_pages_have_the_switch_in_english(client, home_page, english):
    from home.demo import DemoBuilder

    home_page.save_revision().publish()
    DemoBuilder().translate(home_page, {})
    html = client.get("/en/").content.decode()
    assert "Version for the visually impaired" in html
    client.cookies[COOKIE] = LowVision().to_cookie()
    html = client.get("/en/").content.decode()
    assert "Normal version" in html
    assert "Font size" in html and "White on black" in html
