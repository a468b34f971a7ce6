"""Every public page type in a real browser, in the normal version and in the version for the
visually impaired: axe-core finds no WCAG 2.0/2.1 A or AA violation, nothing scrolls sideways
on a 320 px phone, and the keyboard reaches the content.

The version for the visually impaired is checked with its default settings for axe, and with
its hardest ones for reflow (the largest font and the widest spacing on a 320 px screen).

A page with a violation known today is marked ``xfail(strict=True)`` with the exact rules (or
overflowing elements) in ``KNOWN_AXE`` / ``KNOWN_OVERFLOW``: the suite stays green, a fix turns
the case into an unexpected pass (remove its entry), and a new or different violation fails.
"""

import hashlib

import pytest

from home.low_vision import COOKIE, LowVision
from tests.browser.checks import (
    AXE_DIR,
    AXE_JS,
    AXE_SHA256,
    AXE_VERSION,
    axe_violations,
    describe_violations,
    horizontal_overflow,
    overflowing_elements,
)
from tests.browser.demo_pages import CONTRIBUTION_KINDS

# Every public page type, each in Russian and in English (the demo translates one of each).
PAGE_TYPES = [
    "home",
    "project-index",
    "project",
    "contest",
    *(f"contribution-{kind}" for kind in CONTRIBUTION_KINDS),
    "library-index",
    "library",
    "memorial-map",
    "memorial",
    "hero-index",
    "hero",
    "search",
    "search-empty",
    "not-found",
]
CASES = [(name, language) for language in ("ru", "en") for name in PAGE_TYPES]
MODES = ["normal", "low-vision"]

# The version for the visually impaired as the browser tests set it (home/low_vision.py).
LOW_VISION_AXE = LowVision()
LOW_VISION_REFLOW = LowVision(size="3", spacing="3")

# (page, language, mode) → what fails there today: axe rule ids, overflowing elements, or
# "HTTP <status>" for a page that does not open. Empty: every page type passes every check in
# both versions. A known failure goes here with its exact findings while it is being fixed.
KNOWN_AXE = {}
KNOWN_OVERFLOW = {}


def _cases(known, what):
    params = []
    for mode in MODES:
        for name, language in CASES:
            marks = []
            if (name, language, mode) in known:
                reason = "; ".join(sorted(known[name, language, mode]))
                # raises=AssertionError: only the checked failure is expected, never an error.
                marks.append(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
            params.append(
                pytest.param(
                    name, language, mode, marks=marks, id=f"{what}-{mode}-{language}-{name}"
                )
            )
    return params


def low_vision(tab, site, settings):
    """Switch the tab's browser context to the version for the visually impaired."""
    tab.context.add_cookies([{"name": COOKIE, "value": settings.to_cookie(), "url": site.url}])


def visit(tab, site, name, language):
    """Open the page; return its path and None, or its path and "HTTP <status>" when it
    answers another status than expected (a problem the callers report like any other)."""
    path = site.paths.get((name, language))
    assert path, f"no {language} page {name!r} in the demo"
    response = tab.goto(path, wait_until="load")
    expected = 404 if name == "not-found" else 200
    if response.status != expected:
        return path, f"HTTP {response.status}"
    # Let scripts finish what they fetch (the map's GeoJSON) before measuring.
    tab.wait_for_load_state("networkidle")
    return path, None


def check_known(known, found, message):
    """Fail (not as an expected failure) when a known case no longer fails the same way."""
    if known is not None and found != known:
        pytest.fail(
            f"the known problems changed: expected {sorted(known)}, found {sorted(found)}\n"
            f"{message}\nUpdate KNOWN_AXE / KNOWN_OVERFLOW in {__name__}.",
            pytrace=False,
        )


@pytest.mark.parametrize(("name", "language", "mode"), _cases(KNOWN_AXE, "axe"))
def test_no_axe_violations(page, demo_site, name, language, mode):
    if mode == "low-vision":
        low_vision(page, demo_site, LOW_VISION_AXE)
    path, status = visit(page, demo_site, name, language)
    violations = [] if status else axe_violations(page)
    found = {status} if status else {v.id for v in violations}
    message = f"{path}: {status}" if status else describe_violations(violations, path)
    check_known(KNOWN_AXE.get((name, language, mode)), found, message)
    assert not found, message


@pytest.mark.parametrize(("name", "language", "mode"), _cases(KNOWN_OVERFLOW, "overflow"))
def test_no_horizontal_overflow_on_a_phone(phone, demo_site, name, language, mode):
    if mode == "low-vision":
        low_vision(phone, demo_site, LOW_VISION_REFLOW)
    path, status = visit(phone, demo_site, name, language)
    if status:
        found, message = {status}, f"{path}: {status}"
    elif horizontal_overflow(phone):
        sticking_out = overflowing_elements(phone)
        found = {element.rsplit(" (", 1)[0] for element in sticking_out}
        message = f"{path} scrolls sideways at 320 px; sticking out:\n  " + "\n  ".join(
            sticking_out
        )
    else:
        found, message = set(), ""
    check_known(KNOWN_OVERFLOW.get((name, language, mode)), found, message)
    assert not found, message


def _focus_ring(tab):
    """The focused element's outline or box-shadow, as the browser draws it."""
    return tab.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
                ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : "";
            const shadow = style.boxShadow !== "none" ? style.boxShadow : "";
            return {tag: el.localName, text: (el.textContent || "").trim().slice(0, 60),
                    href: el.getAttribute("href"), ring: outline || shadow};
        }"""
    )


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, demo_site):
    assert visit(page, demo_site, "home", "ru")[1] is None
    page.keyboard.press("Tab")
    focused = _focus_ring(page)
    assert focused["tag"] == "a" and focused["href"] == "#main", focused
    assert page.evaluate("() => document.activeElement.classList.contains('skip-link')")
    assert page.locator(".skip-link").is_visible()
    assert focused["ring"], f"the skip link shows no focus: {focused}"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement === document.querySelector('main#main')"), (
        "Enter on the skip link did not move focus to <main id=main>"
    )


def test_focus_is_visible_on_every_tab_stop_of_the_header(page, demo_site):
    assert visit(page, demo_site, "home", "ru")[1] is None
    header_stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        if not page.evaluate("() => !!document.activeElement.closest('header, .skip-link')"):
            break
        header_stops.append(_focus_ring(page))
    assert len(header_stops) > 1, "Tab never left the skip link"
    unseen = [stop for stop in header_stops if not stop["ring"]]
    assert not unseen, f"focus not visible on: {unseen}"


def test_axe_reports_what_it_finds(browser):
    """The helper is no silent no-op: a page with a nameless image and button fails."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_content('<html lang="en"><title>t</title><main><img src="x.png"><button></button>')
        assert {v.id for v in axe_violations(tab)} >= {"image-alt", "button-name"}
    finally:
        context.close()


def test_contributions_cover_every_block(demo_site):
    """The contribution pages tested above show, between them, every block type."""
    from projects.models import ContributionPage

    every = set(ContributionPage.body.field.stream_block.child_blocks)
    shown = set().union(*demo_site.contribution_blocks.values())
    assert shown == every, f"no tested contribution shows {sorted(every - shown)}"


def test_search_cases_find_what_they_claim(demo_site):
    """The "search" cases show results and the "search-empty" ones none."""
    from django.test import Client

    client = Client()
    for (name, language), path in demo_site.paths.items():
        if name.startswith("search") and (name, language) in CASES:
            total = client.get(f"{path}&format=json").json()["total"]
            assert (total > 0) == (name == "search"), f"{path}: {total} results"


def test_vendored_axe_is_the_recorded_release():
    assert hashlib.sha256(AXE_JS.read_bytes()).hexdigest() == AXE_SHA256
    assert AXE_JS.read_text(encoding="utf-8").startswith(f"/*! axe v{AXE_VERSION}")
    assert "Mozilla Public License" in (AXE_DIR / "LICENSE").read_text(encoding="utf-8")
    readme = (AXE_DIR / "README.md").read_text(encoding="utf-8")
    assert AXE_VERSION in readme and AXE_SHA256 in readme


@pytest.mark.parametrize("name", ["home", "project", "contribution-chronicle", "library-index"])
def test_pictures_lay_out_as_their_image_alone(page, demo_site, name):
    """A <picture>'s <source>s take no box (in a grid they would each take a cell and push
    the image to another row), and the browser picks the AVIF source."""
    path, status = visit(page, demo_site, name, "ru")
    assert status is None, f"{path}: {status}"
    found = page.evaluate(
        """() => {
            const sources = [...document.querySelectorAll("picture > source")];
            const images = [...document.querySelectorAll("picture > img")]
                .filter((img) => img.complete && img.currentSrc);
            return {
                boxed: sources.filter((s) => s.getClientRects().length > 0).length,
                sources: sources.length,
                formats: [...new Set(images.map((img) => img.currentSrc.split(".").pop()))],
            };
        }"""
    )
    assert found["sources"], f"{path} has no <picture>"
    assert found["boxed"] == 0, f"{path}: {found['boxed']} <source> elements take a box"
    assert found["formats"] in ([], ["avif"]), found
