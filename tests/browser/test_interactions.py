"""The site's interactive parts, driven in a real browser the way a visitor drives them,
mostly from the keyboard: the language switcher, the search box's suggestions, the gallery's
photo viewer and the memorial map's clusters and filters.

Every step waits for what the visitor would see (Playwright's ``expect`` and
``wait_for_function`` poll until it is there or the timeout passes); nothing is timed.
"""

import json
import re
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.checks import axe_violations, describe_violations

#: The most Tab presses a test spends looking for an element before it fails.
MAX_TABS = 250


# -- helpers --------------------------------------------------------------------------------


def visit(tab, path):
    response = tab.goto(path, wait_until="load")
    assert response.status == 200, f"{path}: HTTP {response.status}"


def path_of(url):
    """The path and query of a URL, percent-decoded: what ``demo_site.paths`` holds."""
    parts = urlsplit(url)
    return unquote(parts.path + (f"?{parts.query}" if parts.query else ""))


def is_focused(locator):
    return locator.evaluate("(el) => el === document.activeElement")


def focused_description(tab):
    return tab.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return "nothing";
            const text = (el.getAttribute("aria-label") || el.textContent || "").trim();
            return `<${el.localName}${el.id ? " id=" + el.id : ""}> ${text.slice(0, 60)}`;
        }"""
    )


def tab_to(tab, target, limit=MAX_TABS):
    """Press Tab until ``target`` has the focus, as a keyboard user reaches it; fail if it
    never does (it is not in the tab order, or something traps the focus before it)."""
    target.wait_for(state="attached")
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if is_focused(target):
            return
    pytest.fail(
        f"{limit} presses of Tab never reached {target}; focus ended on {focused_description(tab)}",
        pytrace=False,
    )


def press_and_wait_for_page(tab, key):
    """Press a key that follows a link or submits a form; return when the new page loaded."""
    with tab.expect_navigation(wait_until="load"):
        tab.keyboard.press(key)


# -- (a) the language switcher --------------------------------------------------------------


def switch_language(tab, code):
    """Reach the switcher's link to the language ``code`` with Tab and follow it with Enter."""
    link = tab.locator(f"nav.languages a[hreflang='{code}']")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("lang", code)
    tab_to(tab, link)
    press_and_wait_for_page(tab, "Enter")


def current_language(tab):
    return tab.locator("nav.languages [aria-current]")


@pytest.mark.parametrize("name", ["home", "project"])
def test_language_switcher_leads_to_the_translation_and_back(page, demo_site, name):
    russian = demo_site.paths[name, "ru"]
    english = demo_site.paths.get((name, "en"))
    assert english, f"the demo's {name} page has no English translation"
    visit(page, russian)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(current_language(page)).to_have_text("Русский")
    russian_heading = page.locator("h1").first.inner_text()

    switch_language(page, "en")
    assert path_of(page.url) == english
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(current_language(page)).to_have_text("English")
    expect(page.locator("nav.languages a[hreflang='en']")).to_have_count(0)

    switch_language(page, "ru")
    assert path_of(page.url) == russian
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1").first).to_have_text(russian_heading)


def test_language_switcher_on_an_untranslated_page_leads_to_the_other_home(page, demo_site):
    """``language_links``: a page with no live translation links to the other language's
    home page (and back from there to the Russian home, not to the page left behind)."""
    visit(page, demo_site.untranslated_library)

    switch_language(page, "en")
    assert path_of(page.url) == demo_site.paths["home", "en"]
    expect(page.locator("html")).to_have_attribute("lang", "en")

    switch_language(page, "ru")
    assert path_of(page.url) == demo_site.paths["home", "ru"]
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def test_language_switcher_on_search_keeps_the_query(page, demo_site):
    """A view that is not a page (search) switches to the same view and query in the other
    language."""
    visit(page, demo_site.paths["search", "ru"])
    query = page.locator("#page-search").input_value()
    assert query == "Козельск"

    switch_language(page, "en")
    assert path_of(page.url) == f"/en/search/?q={query}"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#page-search")).to_have_value(query)
    expect(page.locator("h1")).to_have_text("Search the archive")


# -- (b) the search box and its suggestions -------------------------------------------------


def suggestions_for(tab, prefix, form="#site-search"):
    """What the suggestion endpoint the search form names answers for ``prefix``."""
    endpoint = tab.locator(form).evaluate(
        "(input) => input.form.getAttribute('data-search-suggest')"
    )
    response = tab.request.get(f"{endpoint}?{urlencode({'q': prefix})}")
    assert response.ok, f"{endpoint}: HTTP {response.status}"
    return response.json()


def type_into_search(tab, text):
    """Reach the header's search box with Tab and type into it, key by key."""
    box = tab.locator("#site-search")
    tab_to(tab, box)
    tab.keyboard.type(text)
    return box


def expect_open_suggestions(tab, box, data):
    listbox = tab.locator("#site-search-suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-controls", "site-search-suggestions")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.locator("[role='option']")
    expect(options).to_have_count(len(data["results"]))
    for option, result in zip(options.all(), data["results"], strict=True):
        expect(option.locator(".search-suggest__title")).to_have_text(result["title"])
        expect(option).to_have_attribute("aria-selected", "false")
    # The live region says how many there are, in the server's words.
    expect(tab.locator("#site-search-status")).to_have_text(data["status"])
    return options


def expect_active_option(tab, box, options, index):
    """Option ``index`` is the active one (aria-activedescendant, aria-selected) while the
    focus stays in the box, as the combobox pattern has it."""
    active = options.nth(index)
    expect(box).to_have_attribute("aria-activedescendant", active.get_attribute("id"))
    expect(active).to_have_attribute("aria-selected", "true")
    expect(options.and_(tab.locator("[aria-selected='true']"))).to_have_count(1)
    assert is_focused(box), f"focus left the search box for {focused_description(tab)}"


def test_search_suggestions_pick_a_hero_with_the_arrow_keys(page, demo_site):
    hero = demo_site.paths["hero", "ru"]
    visit(page, hero)
    surname = page.locator("h1").first.inner_text().split()[0]
    prefix = surname[:5]
    data = suggestions_for(page, prefix)
    urls = [path_of(result["url"]) for result in data["results"]]
    assert hero in urls, f"the suggestions for {prefix!r} miss the hero {hero}: {urls}"
    wanted = urls.index(hero)

    visit(page, demo_site.paths["home", "ru"])
    box = type_into_search(page, prefix)
    options = expect_open_suggestions(page, box, data)
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))

    for index in range(wanted + 1):
        page.keyboard.press("ArrowDown")
        expect_active_option(page, box, options, index)
    press_and_wait_for_page(page, "Enter")
    assert path_of(page.url) == hero


def test_search_suggestions_close_with_escape_and_enter_submits_the_search(page, demo_site):
    prefix = "Козельск"
    visit(page, demo_site.paths["home", "ru"])
    data = suggestions_for(page, prefix)
    count = len(data["results"])
    assert count >= 2, f"too few suggestions for {prefix!r} to move between: {data}"

    box = type_into_search(page, prefix)
    listbox = page.locator("#site-search-suggestions")
    options = expect_open_suggestions(page, box, data)

    # Down and Up move through the options and wrap around at both ends.
    page.keyboard.press("ArrowDown")
    expect_active_option(page, box, options, 0)
    page.keyboard.press("ArrowDown")
    expect_active_option(page, box, options, 1)
    page.keyboard.press("ArrowUp")
    expect_active_option(page, box, options, 0)
    page.keyboard.press("ArrowUp")
    expect_active_option(page, box, options, count - 1)

    # Escape closes the list and keeps what was typed, and the focus, in the box.
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value(prefix)
    assert is_focused(box)

    # Down opens it again on the first option; Tab leaves the box and closes it.
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect_active_option(page, box, options, 0)
    page.keyboard.press("Tab")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert not is_focused(box)

    # Back in the box with no option chosen, Enter submits the search itself.
    page.keyboard.press("Shift+Tab")
    assert is_focused(box)
    expect(listbox).to_be_hidden()
    press_and_wait_for_page(page, "Enter")
    assert path_of(page.url) == f"/search/?q={prefix}"
    expect(page.locator("#page-search")).to_have_value(prefix)
    found = page.request.get(f"/search/?{urlencode({'q': prefix, 'format': 'json'})}").json()
    assert found["total"] > 0, found
    expect(page.locator(".search-results .search-result__title")).to_have_text(
        [hit["title"] for hit in found["results"]]
    )


def test_search_suggestion_opens_with_a_click(page, demo_site):
    prefix = "Козел"
    visit(page, demo_site.paths["home", "ru"])
    data = suggestions_for(page, prefix)
    box = type_into_search(page, prefix)
    options = expect_open_suggestions(page, box, data)
    with page.expect_navigation(wait_until="load"):
        options.last.click()
    assert path_of(page.url) == path_of(data["results"][-1]["url"])


# -- (c) the gallery's photo viewer ---------------------------------------------------------


def lightbox_state(tab):
    return tab.evaluate(
        """() => {
            const dialog = document.querySelector("dialog.lightbox");
            if (!dialog) return null;
            const image = dialog.querySelector(".lightbox__image");
            return {
                open: dialog.open,
                modal: dialog.matches(":modal"),
                focusInside: dialog.contains(document.activeElement),
                label: dialog.getAttribute("aria-label"),
                counter: dialog.querySelector(".lightbox__counter").textContent,
                src: image.src,
                alt: image.alt,
            };
        }"""
    )


def test_gallery_viewer_works_from_the_keyboard(page, demo_site):
    path = demo_site.paths["contribution-chronicle", "ru"]
    visit(page, path)
    gallery = page.locator("[data-gallery]").first
    thumbnails = gallery.locator("a[data-gallery-item]")
    total = thumbnails.count()
    assert total >= 3, f"{path}: a gallery of {total} photos is too small to move through"
    hrefs = [link.evaluate("(a) => a.href") for link in thumbnails.all()]
    alts = [link.locator("img").get_attribute("alt") for link in thumbnails.all()]
    dialog = page.locator("dialog.lightbox")

    def expect_photo(number):
        expect(dialog.locator(".lightbox__counter")).to_have_text(f"Фотография {number} из {total}")
        state = lightbox_state(page)
        assert state["src"] == hrefs[number - 1], state
        assert state["alt"] == alts[number - 1], state

    # Enter on the first thumbnail opens the viewer instead of following the link.
    first = thumbnails.nth(0)
    tab_to(page, first)
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    state = lightbox_state(page)
    assert state["open"] and state["modal"], state
    assert state["focusInside"], f"focus stayed outside the viewer: {focused_description(page)}"
    assert state["label"] == gallery.get_attribute("data-label-dialog")
    assert path_of(page.url) == path, "Enter followed the thumbnail's link"
    expect_photo(1)

    # The arrow keys, Home and End move between the gallery's photos (wrapping around).
    page.keyboard.press("ArrowRight")
    expect_photo(2)
    page.keyboard.press("End")
    expect_photo(total)
    page.keyboard.press("ArrowRight")
    expect_photo(1)
    page.keyboard.press("ArrowLeft")
    expect_photo(total)
    page.keyboard.press("Home")
    expect_photo(1)

    # Tab cycles through the viewer's buttons and never reaches the page behind it (the
    # native modal dialog lets the focus out to the browser's own controls, which leaves
    # no element of the page focused, and back in).
    names = set()
    for _ in range(8):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return "browser";
                return document.querySelector("dialog.lightbox").contains(el) ? "viewer" : "page";
            }"""
        )
        assert where != "page", (
            f"Tab reached the page behind the viewer: {focused_description(page)}"
        )
        if where == "viewer":
            names.add(page.evaluate("() => document.activeElement.getAttribute('aria-label')"))
    assert names == {
        gallery.get_attribute("data-label-close"),
        gallery.get_attribute("data-label-prev"),
        gallery.get_attribute("data-label-next"),
    }, names

    # The "next" button works from the keyboard too.
    dialog.locator(".lightbox__next").focus()
    page.keyboard.press("Enter")
    expect_photo(2)

    # The open viewer passes axe.
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, f"{path} (viewer open)")

    # Escape closes it and gives the focus back to the thumbnail that opened it.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert not lightbox_state(page)["open"]
    assert is_focused(first), f"focus went to {focused_description(page)}"

    # The next thumbnail opens the viewer on its own photo; the close button closes it.
    page.keyboard.press("Tab")
    second = thumbnails.nth(1)
    assert is_focused(second), f"Tab went to {focused_description(page)}"
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect_photo(2)
    assert page.evaluate("() => document.activeElement.classList.contains('lightbox__close')")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert is_focused(second), f"focus went to {focused_description(page)}"


# -- (d) the memorial map -------------------------------------------------------------------

# Every Leaflet map the page creates, kept in window.letopisTestMaps, so that the tests can
# read the zoom: installed before the page's scripts run, when Leaflet sets window.L.
CATCH_MAPS = """
(() => {
    let leaflet;
    window.letopisTestMaps = [];
    Object.defineProperty(window, "L", {
        configurable: true,
        get() { return leaflet; },
        set(value) {
            leaflet = value;
            if (value && value.Map && value.Map.addInitHook) {
                value.Map.addInitHook(function () { window.letopisTestMaps.push(this); });
            }
        },
    });
})();
"""

# The markers and clusters the map shows now, once no zoom or cluster animation is running.
SHOWN = """
() => {
    const element = document.querySelector("#memorial-map");
    const map = window.letopisTestMaps[0];
    if (!element || !map || element.querySelector(".leaflet-cluster-anim, .leaflet-zoom-anim")) {
        return null;
    }
    const view = element.getBoundingClientRect();
    const items = [];
    for (const icon of element.querySelectorAll(".leaflet-marker-pane .leaflet-marker-icon")) {
        if (getComputedStyle(icon).opacity === "0") return null;  // still fading in
        const box = icon.getBoundingClientRect();
        const cluster = icon.classList.contains("marker-cluster");
        items.push({
            cluster,
            // The count, without the group's hidden label («Памятников в этой группе:»).
            count: cluster ? Number(icon.textContent.replace(/[^0-9]/g, "")) : 1,
            name: cluster ? icon.textContent.trim() : "",
            title: cluster ? "" : icon.getAttribute("title"),
            focusable: icon.tabIndex === 0,
            inView: box.right > view.left && box.left < view.right &&
                box.bottom > view.top && box.top < view.bottom,
        });
    }
    return {zoom: map.getZoom(), items};
}
"""

# A JS function: the number of memorials the shown markers and clusters stand for.
SUM = "((shown) => shown.items.reduce((sum, item) => sum + item.count, 0))"


def open_map(tab, site):
    """Open the memorial map (its Leaflet map caught for the tests); return the map's data
    (``#memorial-map-data``: the GeoJSON's address, the kinds, the white spots…)."""
    tab.add_init_script(CATCH_MAPS)
    visit(tab, site.paths["memorial-map", "ru"])
    data = json.loads(tab.locator("#memorial-map-data").text_content())
    expect(tab.locator("#memorial-map")).to_be_visible()
    return data


def geojson_features(tab, data, **filters):
    """The memorials with a point in the GeoJSON the map loads, filtered by the server (so
    the map's own filtering is compared with an independent answer)."""
    url = data["geojson"]
    params = {key: value for key, value in filters.items() if value}
    if params:
        url += "&" + urlencode(params)
    response = tab.request.get(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    features = response.json()["features"]
    points = [f for f in features if f.get("geometry") and f["geometry"]["type"] == "Point"]
    return [f["properties"] for f in points]


def wait_for_markers(tab, condition="() => true"):
    """The markers and clusters shown once the map is still and ``condition(shown)`` (a JS
    function) holds."""
    handle = tab.wait_for_function(
        f"() => {{ const shown = ({SHOWN})(); return shown && ({condition})(shown) && shown; }}"
    )
    return handle.json_value()


def expect_map_count(tab, count):
    status = tab.locator("#memorial-map-status")
    if count:
        expect(status).to_have_text(f"На карте памятников: {count}")
    else:
        expect(status).to_have_text("Таких памятников на карте нет.")


def list_titles(tab):
    return tab.locator("#memorial-list .memorial-item__title").all_inner_texts()


def test_memorial_map_clusters_every_memorial_of_the_geojson(page, demo_site):
    data = open_map(page, demo_site)
    memorials = geojson_features(page, data)
    count = len(memorials)
    assert count >= 10, f"the demo's map has only {count} memorials"
    expect_map_count(page, count)

    shown = wait_for_markers(page, f"(shown) => shown.items.length && {SUM}(shown) === {count}")
    clusters = [item for item in shown["items"] if item["cluster"]]
    singles = [item for item in shown["items"] if not item["cluster"]]
    assert clusters, f"no cluster at the initial zoom {shown['zoom']}: {shown['items']}"
    assert all(item["count"] >= 2 for item in clusters), clusters
    # A screen reader says what a group is, not a bare number.
    assert all(item["name"] == f"Памятников в этой группе: {item['count']}" for item in clusters), (
        clusters
    )
    assert len(shown["items"]) < count, "nothing was grouped"
    assert all(item["inView"] for item in shown["items"]), "the region does not fit the map"
    assert {item["title"] for item in singles} <= {m["title"] for m in memorials}
    assert all(item["focusable"] for item in shown["items"]), "a marker the keyboard misses"

    # The white spots: one grey circle per district with no memorial described.
    expect(page.locator("#memorial-map .memorial-map__white-spot")).to_have_count(
        len(data["whiteSpots"])
    )

    # The list below is the map's text alternative: every memorial on the map is in it.
    expect(page.locator("#memorial-list [role='status']")).to_contain_text("Найдено памятников:")
    titles = list_titles(page)
    assert {m["title"] for m in memorials} <= set(titles)


def test_memorial_map_zooms_from_the_keyboard(page, demo_site):
    data = open_map(page, demo_site)
    count = len(geojson_features(page, data))
    start = wait_for_markers(page, f"(shown) => {SUM}(shown) === {count}")
    clusters_at_start = sorted(item["count"] for item in start["items"])

    # Past the skip link, the map itself takes the focus; "+" and "-" zoom it.
    tab_to(page, page.locator(".skip-map"))
    page.keyboard.press("Tab")
    assert is_focused(page.locator("#memorial-map")), focused_description(page)
    page.keyboard.press("+")
    zoomed = wait_for_markers(page, f"(shown) => shown.zoom === {start['zoom'] + 1}")
    assert zoomed["items"] != start["items"]
    page.keyboard.press("-")
    back = wait_for_markers(page, f"(shown) => shown.zoom === {start['zoom']}")
    assert sorted(item["count"] for item in back["items"]) == clusters_at_start

    # The zoom buttons are keyboard buttons too.
    zoom_in = page.locator("#memorial-map .leaflet-control-zoom-in")
    tab_to(page, zoom_in)
    page.keyboard.press("Enter")
    wait_for_markers(page, f"(shown) => shown.zoom === {start['zoom'] + 1}")


def test_memorial_map_cluster_opens_with_enter_and_splits(page, demo_site):
    data = open_map(page, demo_site)
    count = len(geojson_features(page, data))
    start = wait_for_markers(page, f"(shown) => {SUM}(shown) === {count}")
    largest = max(item["count"] for item in start["items"] if item["cluster"])

    cluster = page.locator(
        "#memorial-map .marker-cluster", has=page.get_by_text(str(largest), exact=True)
    ).first
    tab_to(page, cluster)
    page.keyboard.press("Enter")

    # The map zooms to the group's memorials: the group is split into smaller groups or
    # single markers (a group at a higher zoom is always part of one at a lower zoom, so
    # a group as large as the largest one would mean it was not split).
    split = wait_for_markers(page, f"(shown) => shown.zoom > {start['zoom']}")
    in_view = [item for item in split["items"] if item["inView"]]
    assert max(item["count"] for item in in_view) < largest, in_view
    assert sum(item["count"] for item in in_view) >= largest, in_view


def test_memorial_map_filters_narrow_the_markers_and_the_list(page, demo_site):
    data = open_map(page, demo_site)
    everything = geojson_features(page, data)
    wait_for_markers(page, f"(shown) => {SUM}(shown) === {len(everything)}")
    spots = page.locator("#memorial-map .memorial-map__white-spot")
    expect(spots).to_have_count(len(data["whiteSpots"]))

    # The district with the most memorials of more than one kind.
    districts = {m["district"] for m in everything}
    kinds_of = {d: {m["kind"] for m in everything if m["district"] == d} for d in districts}
    district = max(
        (d for d in districts if len(kinds_of[d]) > 1),
        key=lambda d: (sum(m["district"] == d for m in everything), d),
    )
    in_district = geojson_features(page, data, district=district)
    assert 1 < len(in_district) < len(everything)

    # The district filter narrows the map at once (the select does not reload the page).
    page.locator("#filter-district").focus()
    page.locator("#filter-district").select_option(district)
    expect_map_count(page, len(in_district))
    shown = wait_for_markers(page, f"(shown) => {SUM}(shown) === {len(in_district)}")
    assert all(item["inView"] for item in shown["items"]), "the map did not fit the district"
    singles = {item["title"] for item in shown["items"] if not item["cluster"]}
    assert singles <= {m["title"] for m in in_district}
    expect(spots).to_have_count(0)  # this district has memorials: no white spot in it

    # A kind of memorial found in that district narrows it further.
    kind = sorted(kinds_of[district])[0]
    both = geojson_features(page, data, district=district, kind=kind)
    assert 0 < len(both) < len(in_district)
    page.locator("#filter-kind").select_option(kind)
    expect_map_count(page, len(both))
    wait_for_markers(page, f"(shown) => {SUM}(shown) === {len(both)}")

    # A kind the district has none of empties the map and says so.
    absent = next(value for value in data["kinds"] if value not in kinds_of[district])
    page.locator("#filter-kind").select_option(absent)
    expect_map_count(page, 0)
    wait_for_markers(page, "(shown) => shown.items.length === 0")

    # A white-spot district alone shows its grey circle.
    assert data["whiteSpots"], "the demo leaves no district without a memorial"
    page.locator("#filter-kind").select_option("")
    page.locator("#filter-district").select_option(data["whiteSpots"][0]["name"])
    expect_map_count(page, 0)
    expect(spots).to_have_count(1)

    # The list follows when the form is sent (from the keyboard): it shows exactly the
    # memorials of the filter, and so does the map of the new page.
    page.locator("#filter-district").select_option(district)
    page.locator("#filter-kind").select_option(kind)
    tab_to(page, page.get_by_role("button", name="Показать"))
    press_and_wait_for_page(page, "Enter")
    sent = parse_qs(urlsplit(page.url).query)
    assert sent["district"] == [district] and sent["kind"] == [kind], page.url
    expect(page.locator("#filter-district")).to_have_value(district)
    expect(page.locator("#filter-kind")).to_have_value(kind)
    expect(page.locator("#memorial-list [role='status']")).to_have_text(
        f"Найдено памятников: {len(both)}"
    )
    assert sorted(list_titles(page)) == sorted(m["title"] for m in both)
    expect(page.locator("#memorial-list .memorial-list__district")).to_have_text([district])
    expect_map_count(page, len(both))
    wait_for_markers(page, f"(shown) => {SUM}(shown) === {len(both)}")


def test_memorial_list_is_reached_past_the_map_by_keyboard(page, demo_site):
    open_map(page, demo_site)
    skip = page.locator(".skip-map")
    tab_to(page, skip)
    expect(skip).to_be_visible()
    expect(skip).to_have_attribute("href", "#memorial-list")
    page.keyboard.press("Enter")
    expect(page.locator("#memorial-list")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#memorial-list .memorial-item__title").first).to_be_focused()
