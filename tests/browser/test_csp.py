"""The Content-Security-Policy holds in a real browser (operations/security.py).

Every public page type of the demo, in Russian and English and in both versions, and the
parts of the Wagtail admin an editor uses most (dashboard, a material's editor with its
preview, the image chooser), open with the policy enforced and without a single violation:
the browser reports each blocked thing as a ``securitypolicyviolation`` event (collected by
an init script in every frame before any page script runs) and a console error.

The browser contexts here are the ordinary ones: nothing bypasses the policy.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _context
from tests.browser.test_pages_a11y import CASES, LOW_VISION_AXE, MODES, low_vision
from tests.test_hardening import directives

# Collects the violations of the document it runs in (each frame has its own).
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
        disposition: event.disposition,
    });
}, true);
"""

VIDEO_HOSTS = re.compile(r"^https://(www\.youtube-nocookie\.com|rutube\.ru|vkvideo\.ru)/")


class Tab:
    """A browser tab that records CSP violations and console errors about the policy."""

    def __init__(self, browser, site):
        self.context = _context(browser, site, viewport={"width": 1280, "height": 900})
        self.context.add_init_script(COLLECT_VIOLATIONS)
        self.page = self.context.new_page()
        self.console = []
        self.page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self):
        found = []
        for frame in self.page.frames:
            try:
                found += frame.evaluate("() => window.__cspViolations || []")
            except Exception:  # a cross-origin player frame cannot be read
                continue
        return found

    def assert_clean(self, where):
        violations, console = self.violations(), list(self.console)
        assert not violations and not console, (
            f"{where}: Content-Security-Policy violations\n"
            + "\n".join(map(str, violations))
            + "\n"
            + "\n".join(console)
        )

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser, demo_site):
    tab = Tab(browser, demo_site)
    yield tab
    tab.close()


def load_lazy_frames(page):
    """Scroll every iframe into view, so the lazy video players navigate (the policy's
    frame-src is checked at that moment) before the violations are read."""
    for frame in page.locator("iframe").all():
        frame.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")


# Every page type in both languages; the version for the visually impaired (its own panel
# and stylesheet, pictures replaced by text) on the pages with a map, a player and pictures.
LOW_VISION_PAGES = {"home", "contribution-book_trailer", "memorial-map", "memorial"}
CSP_CASES = [
    pytest.param(name, language, mode, id=f"{mode}-{language}-{name}")
    for mode in MODES
    for name, language in CASES
    if mode == "normal" or (name in LOW_VISION_PAGES and language == "ru")
]


@pytest.mark.parametrize(("name", "language", "mode"), CSP_CASES)
def test_public_pages_keep_the_policy(tab, demo_site, name, language, mode):
    if mode == "low-vision":
        low_vision(tab.page, demo_site, LOW_VISION_AXE)
    path = demo_site.paths[name, language]
    response = tab.page.goto(path, wait_until="load")
    assert response.status == (404 if name == "not-found" else 200), path

    policy = directives(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"], policy
    assert policy["style-src"] == ["'self'"], policy
    assert policy["object-src"] == ["'none'"], policy
    tab.page.wait_for_load_state("networkidle")
    load_lazy_frames(tab.page)
    tab.assert_clean(path)


def test_the_checked_pages_use_what_the_policy_allows(tab, demo_site):
    """The video page really embeds a player from an allowed host and the map page really
    draws its map (scripts ran, tiles were asked for): the clean runs above prove something."""
    tab.page.goto(demo_site.paths["contribution-book_trailer", "ru"], wait_until="load")
    players = tab.page.locator(".book-trailer iframe")
    expect(players.first).to_be_attached()
    for src in [players.nth(i).get_attribute("src") for i in range(players.count())]:
        assert VIDEO_HOSTS.match(src), src
    load_lazy_frames(tab.page)

    tab.page.goto(demo_site.paths["memorial-map", "ru"], wait_until="load")
    expect(tab.page.locator(".leaflet-marker-icon, .marker-cluster").first).to_be_visible()
    tiles = tab.page.locator("img.leaflet-tile")
    expect(tiles.first).to_be_attached()
    tab.assert_clean("video and map pages")


def test_what_the_policy_forbids_is_blocked_and_reported(tab, demo_site):
    """The collector is no silent no-op: an inline script, an inline style, a picture and a
    frame from elsewhere are blocked on a public page, and each is reported."""
    tab.page.goto(demo_site.paths["home", "ru"], wait_until="load")
    executed = tab.page.evaluate(
        """() => {
            window.__ran = false;
            const script = document.createElement("script");
            script.textContent = "window.__ran = true;";
            document.body.append(script);
            const box = document.createElement("div");
            box.innerHTML = '<p style="color: red">x</p><img src="https://example.org/x.png">'
                + '<iframe src="https://example.org/"></iframe>';
            document.body.append(box);
            return window.__ran;
        }"""
    )
    assert executed is False
    tab.page.wait_for_function("() => window.__cspViolations.length >= 4")
    blocked = {violation["directive"] for violation in tab.violations()}
    assert blocked == {"script-src-elem", "style-src-attr", "img-src", "frame-src"}, blocked


# -- the admin ------------------------------------------------------------------------------


@pytest.fixture
def editor_tab(tab, demo_site, django_user_model):
    """The tab logged in to the admin as a superuser, through the login form.

    The editor's editing-session pings (and its release beacon when the page is left) are
    not loaded: the live server shares the test's database connection, and a request still
    running when the next test starts would write on it mid-setup."""
    tab.page.route("**/admin/editing-sessions/**", lambda route: route.abort())
    django_user_model.objects.create_superuser(
        username="csp-admin", email="csp@example.org", password="csp-admin-password"
    )
    response = tab.page.goto("/admin/login/", wait_until="load")
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]
    tab.page.fill("#id_username", "csp-admin")
    tab.page.fill("#id_password", "csp-admin-password")
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator("form button[type=submit], form input[type=submit]").first.click()
    assert tab.page.url.rstrip("/").endswith("/admin"), tab.page.url
    yield tab
    # Leave the admin before the next test: nothing of this page may still be loading.
    tab.page.goto("about:blank")
    tab.page.wait_for_load_state("load")


def test_admin_dashboard_keeps_the_admin_policy(editor_tab):
    page = editor_tab.page
    response = page.goto("/admin/", wait_until="load")
    policy = directives(response.headers["content-security-policy"])
    assert "'unsafe-eval'" not in policy["script-src"], policy
    page.wait_for_load_state("networkidle")
    editor_tab.assert_clean("/admin/")


def test_admin_page_editor_preview_and_image_chooser_keep_the_admin_policy(editor_tab, demo_site):
    from projects.models import ContributionPage

    page = editor_tab.page
    path = demo_site.paths["contribution-book_trailer", "ru"]
    contribution = next(p for p in ContributionPage.objects.live() if p.url == path)
    response = page.goto(f"/admin/pages/{contribution.pk}/edit/", wait_until="load")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    editor_tab.assert_clean("the page editor")

    # The live preview in the side panel: the public page inside the admin.
    page.locator("[data-side-panel-toggle='preview']").first.click()
    preview = page.frame_locator("iframe#w-preview-iframe, .preview-panel iframe").first
    expect(preview.locator("main#main")).to_be_attached()
    page.wait_for_load_state("networkidle")
    editor_tab.assert_clean("the page editor's preview")

    # The image chooser of the cover image, in its modal, with the upload form.
    page.evaluate(
        """() => document.querySelector(
            "[data-chooser-url*='/images/chooser/'] [data-chooser-action-choose]").click()"""
    )
    modal = page.locator(".modal-content")
    expect(modal.locator(".listing, [data-chooser-results], table").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    editor_tab.assert_clean("the image chooser")


@pytest.mark.parametrize("kind", ["memorial", "hero"])
def test_admin_editors_with_a_map_or_inline_panels_keep_the_admin_policy(
    editor_tab, demo_site, kind
):
    """The memorial's coordinates widget draws a map (tiles, Leaflet); the hero's editor has
    an inline list of memorials (InlinePanel and its inline scripts)."""
    from memorials.models import HeroPage, MemorialPage

    model = {"memorial": MemorialPage, "hero": HeroPage}[kind]
    page_id = next(p.pk for p in model.objects.live() if p.url == demo_site.paths[kind, "ru"])
    response = editor_tab.page.goto(f"/admin/pages/{page_id}/edit/", wait_until="load")
    assert response.status == 200
    editor_tab.page.wait_for_load_state("networkidle")
    if kind == "memorial":
        expect(editor_tab.page.locator(".leaflet-container").first).to_be_visible()
    editor_tab.assert_clean(f"the {kind} editor")
