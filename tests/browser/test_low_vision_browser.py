"""The version for the visually impaired in a real browser: switched on and off from the keyboard,
remembered across pages, rendered by the server (it works with JavaScript off), each colour
scheme free of axe-core violations, pictures replaced by their text.

Every page type in this version (axe, 320 px reflow) is covered by test_pages_a11y.py.
"""

import pytest

from home.low_vision import COOKIE, SCHEMES, LowVision
from tests.browser.checks import axe_violations, describe_violations, horizontal_overflow
from tests.browser.test_pages_a11y import low_vision, visit

# Each scheme's text and background as the browser computes them.
SCHEME_COLOURS = {
    "black-on-white": ("rgb(0, 0, 0)", "rgb(255, 255, 255)"),
    "white-on-black": ("rgb(255, 255, 255)", "rgb(0, 0, 0)"),
    "blue": ("rgb(6, 52, 98)", "rgb(157, 209, 255)"),
    "brown": ("rgb(77, 75, 67)", "rgb(247, 243, 214)"),
}


def _colours(tab):
    return tab.evaluate(
        """() => {
            const style = getComputedStyle(document.body);
            return [style.color, style.backgroundColor];
        }"""
    )


def _root_font_size(tab):
    return tab.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")


def _activate(tab, locator):
    """Follow a link from the keyboard: focus it, press Enter, wait for the new page."""
    locator.focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def test_switched_on_from_the_keyboard_remembered_and_switched_back(page, demo_site):
    assert visit(page, demo_site, "home", "ru")[1] is None
    normal_size = _root_font_size(page)
    switch = page.get_by_role("link", name="Версия для слабовидящих")
    assert switch.is_visible()
    _activate(page, switch)

    panel = page.get_by_role("region", name="Версия для слабовидящих")
    assert panel.is_visible()
    assert "lv" in page.evaluate("() => document.documentElement.className.split(' ')")
    assert page.url.rstrip("/") == demo_site.url  # back on the same page
    assert _root_font_size(page) == normal_size * 1.5  # the default: the middle step

    _activate(page, panel.get_by_role("link", name="Белым по чёрному"))
    assert _colours(page) == list(SCHEME_COLOURS["white-on-black"])
    _activate(page, panel.get_by_role("link", name="Самый крупный шрифт"))
    assert _root_font_size(page) == normal_size * 2
    current = panel.locator("[aria-current=true]").all_inner_texts()
    assert any("Белым по чёрному" in text for text in current), current

    # Remembered on another page, and in the other language.
    _activate(page, page.locator(".main-nav a").first)
    assert _colours(page) == list(SCHEME_COLOURS["white-on-black"])
    assert _root_font_size(page) == normal_size * 2
    page.goto(demo_site.paths["home", "en"])
    assert page.get_by_role("region", name="Version for the visually impaired").is_visible()

    _activate(page, page.get_by_role("link", name="Normal version"))
    assert page.evaluate("() => document.documentElement.className") == ""
    assert page.get_by_role("link", name="Version for the visually impaired").is_visible()
    assert _root_font_size(page) == normal_size
    assert not [c for c in page.context.cookies() if c["name"] == COOKIE and c["value"]]


def test_rendered_by_the_server_without_javascript(browser, demo_site):
    """Nothing flashes: the first HTML already carries the version, no script applies it."""
    context = browser.new_context(base_url=demo_site.url, java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(demo_site.paths["project", "ru"])
        tab.get_by_role("link", name="Версия для слабовидящих").click()
        assert tab.get_by_role("region", name="Версия для слабовидящих").is_visible()
        tab.get_by_role("link", name="Коричневым по бежевому").click()
        assert _colours(tab) == list(SCHEME_COLOURS["brown"])
        assert tab.url.endswith(demo_site.paths["project", "ru"])
    finally:
        context.close()


PAGES_PER_SCHEME = ["home", "contribution-postcard", "memorial", "search"]


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("name", PAGES_PER_SCHEME)
def test_every_colour_scheme_passes_axe(page, demo_site, scheme, name):
    low_vision(page, demo_site, LowVision(scheme=scheme))
    path, status = visit(page, demo_site, name, "ru")
    assert status is None, f"{path}: {status}"
    assert _colours(page) == list(SCHEME_COLOURS[scheme])
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, f"{path} ({scheme})")


@pytest.mark.parametrize("name", ["contribution-chronicle", "memorial", "home"])
def test_images_off_shows_their_text_instead(page, demo_site, name):
    path, status = visit(page, demo_site, name, "ru")
    assert status is None, f"{path}: {status}"
    alts = page.evaluate(
        """() => [...document.querySelectorAll("main img")]
            .filter((img) => !img.closest(".leaflet-container"))
            .map((img) => img.getAttribute("alt")).filter((alt) => alt)"""
    )
    assert alts, f"{path} shows no picture with a text: nothing to check"

    low_vision(page, demo_site, LowVision(images=False))
    visit(page, demo_site, name, "ru")
    shown = page.evaluate(
        """() => [...document.querySelectorAll("main img, main picture")]
            .filter((el) => !el.closest(".leaflet-container"))  // the map is a control
            .filter((el) => el.getClientRects().length > 0).length"""
    )
    assert shown == 0, f"{path}: {shown} pictures still shown with images off"
    texts = page.locator("main .image-alt").all_inner_texts()
    for alt in alts:
        assert any(alt.strip() in text for text in texts), f"{path}: «{alt}» not shown as text"
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, f"{path} (images off)")


def test_the_panel_reflows_at_the_largest_size_on_a_phone(phone, demo_site):
    low_vision(phone, demo_site, LowVision(size="3", spacing="3", scheme="blue"))
    path, status = visit(phone, demo_site, "contribution-postcard", "ru")
    assert status is None, f"{path}: {status}"
    assert not horizontal_overflow(phone)
    # Every choice of the panel is reachable and at least 44 CSS px tall (WCAG 2.5.5's size).
    heights = phone.locator(".lv-choice").evaluate_all(
        "(links) => links.map((link) => link.getBoundingClientRect().height)"
    )
    assert len(heights) == 3 + 4 + 3 + 2 + 1
    assert min(heights) >= 44, heights
