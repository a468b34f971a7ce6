"""No input breaks the search (issue #5): property-based tests with hypothesis.

Whatever a visitor or an editor types — quotes, brackets, full-text operators, LIKE
wildcards, NUL and other control characters, emoji, look-alike letters, 10,000 characters,
SQL — every way into the index answers without a server error: the engine
(``run_search``, ``suggest``), Wagtail's ``.search()`` and ``.autocomplete()``, the public
page, its JSON and its suggestions, API v2's ``?search=`` and the admin's searches. And a
real word still finds its page when hostile characters surround it.
"""

import json
import os
import tempfile
import unicodedata
from pathlib import Path

from wagtail.models import Locale, Page

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from wagtail_factories import DocumentFactory, ImageFactory

from search import engine
from search.analysis import MAX_QUERY_LENGTH, clean_query
from tests.fixtures.memorials.helpers import *  # noqa: F403

# Hypothesis caches a Unicode table and the constants of the code under test (and, unless
# disabled, keeps an example database) under .hypothesis/ in the working directory: keep
# them out of the repository.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "letopis-hypothesis")

pytestmark = pytest.mark.django_db


# -- hostile input ------------------------------------------------------------------------

DANGEROUS_PIECES = [
    # quotes
    "'",
    '"',
    "«",
    "»",
    "„",
    "“",
    "”",
    "‘",
    "’",
    "`",
    # unbalanced brackets
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    # full-text operators
    " AND ",
    " OR ",
    " NOT ",
    " NEAR ",
    " NEAR/3 ",
    "*",
    "-",
    "+",
    ":",
    "^",
    "~",
    "|",
    "&",
    "!",
    "@@",
    "<->",
    "title:",
    "live:true",
    # escapes and LIKE wildcards
    "\\",
    "\\\\",
    "%",
    "_",
    "%%",
    "\\%",
    # control and invisible characters
    "\x00",
    "\x01",
    "\x08",
    "\t",
    "\n",
    "\r",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u00ad",
    "\u200b",
    "\u200d",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ufffd",
    "\uffff",
    # emoji: plain, ZWJ sequences, skin tones, flags
    "😀",
    "👨‍👩‍👧‍👦",
    "👍🏽",
    "🏳️‍🌈",
    "🇷🇺",
    # look-alikes, combining accents, normalisation
    "Kузнецов",
    "Ивaнoв",
    "Ива́нов",
    "и\u0306",
    "ﬁ",
    "ＫＵＺ",
    "Ⅻ",
    "½",
    "⑴",
    "İ",
    "ß",
    # letters Python's unicodedata has no name for (Tangut ideographs, U+17000…)
    "\U00017000",
    "\U00018d00",
    # SQL fragments and placeholders
    "'; DROP TABLE search_posting; --",
    "' OR '1'='1",
    "%s",
    "%(x)s",
    "?",
    "$1",
    ";",
    "--",
    "/*",
    "*/",
    # numbers
    "0",
    "1942",
    "-1",
    "1e309",
    "９",
    "٣",
    "99999999999999999999",
]

# Real words of the archive, so that hostile pieces also surround words that match.
WORDS = ["Кузнецов", "Иван", "Петрович", "Козельск", "обелиск", "полк", "Иванов", "по", "и"]

chunks = st.one_of(
    st.sampled_from(DANGEROUS_PIECES),
    st.sampled_from(WORDS),
    st.text(max_size=12),
)
hostile_queries = st.one_of(
    st.text(max_size=250),
    st.lists(chunks, max_size=16).map("".join),
    st.lists(chunks, max_size=16).map(" ".join),
)

LONG_QUERIES = [
    "Кузнецов " * 1250,  # 10,000 characters of real words
    "ф" * 10_000,  # one 10,000-letter "word"
    " ".join(["аб", "Иван", "x1", "полк", "по"] * 1000),  # 5,000 short words
    "(" * 10_000,
    "\x00" * 10_000,
]
NAMED_QUERIES = [
    "",
    " ",
    " \t\n\r\u00a0\u2003\u3000 ",
    '"Кузнецов',
    "'Кузнецов",
    "«Кузнецов»",
    "„Кузнецов“",
    "(Кузнецов",
    "Кузнецов)",
    "[{(",
    "Кузнецов AND NOT Иван OR",
    'NEAR(Кузнецов Иван, 3) "Иван Петрович"',
    "Кузнецов* -Иван +Петрович title:Кузнецов ^2 ~1 | & !",
    "\\",
    "Кузнецов\\",
    "100%",
    "%_%",
    "Куз%нецов",
    "Куз_нецов",
    "\x00",
    "Кузнецов\x00",
    "\x00Кузнецов\x00Иван",
    "".join(map(chr, range(32))) + "\x7f",
    "Кузнецов\u200bИван",
    "Кузнецов\u2028Иван",
    "\u202eвонецзуК",
    "😀 Кузнецов 👨‍👩‍👧‍👦 👍🏽",
    "Kузнецов",
    "Ивaнoв",
    "Ива́нов",
    "Ива\u0301нов Ива\u0300нов",
    "'; DROP TABLE search_posting; --",
    "Кузнецов' OR '1'='1",
    "%s",
    "%(x)s",
    "?",
    "ﬁlm ﬂag",
    "Ｋｏｚｅｌｓｋ ＫＵＺ",
    "İİİİ",
    "\U00017000Ж",  # an unnamed letter inside a Cyrillic word
    "Кузнецов\U00018d08",
    "1942",
    "1942-1945",
    "99999999999999999999999999999999",
    *LONG_QUERIES,
]
# A handful for the slow admin pages.
ADMIN_QUERIES = [
    '"Кузнецов',
    "Кузнецов\x00",
    "'; DROP TABLE search_posting; --",
    "%_\\",
    "Ивaнoв Ива́нов 😀",
    "\U00017000Ж",
    "\u202e\u200b\u2028",
    "ф" * 10_000,
]


def with_examples(queries, **arguments):
    """Run a ``@given(query=…)`` test on each named query as well."""

    def decorate(test):
        for query in reversed(queries):
            test = example(query=query, **arguments)(test)
        return test

    return decorate


def fuzz(max_examples):
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# -- the archive ----------------------------------------------------------------------------


@pytest.fixture
def archive(make_library, make_memorial, make_hero, make_project, make_contribution):
    library = make_library(
        title="Козельская районная библиотека",
        district="Козельский район",
        settlement="г. Козельск",
    )
    obelisk = make_memorial(
        title="Обелиск в Козельске", settlement="г. Козельск", library=library, year_unveiled=1967
    )
    hero = make_hero(
        memorials=[obelisk], last_name="Кузнецов", first_name="Иван", patronymic="Петрович"
    )
    ivanov = make_hero(last_name="Иванов", first_name="Пётр", patronymic="Сергеевич")
    regiment = make_project(title="Бессмертный полк", start_year=2021)
    make_contribution(library, regiment, title="Летопись Козельска 1942 года")
    DocumentFactory(title="Список героев Козельска")
    ImageFactory(title="Обелиск в Козельске, 1967")
    return {"hero": hero, "ivanov": ivanov}


@pytest.fixture
def russian(db):
    return Locale.objects.get(language_code="ru")


def assert_clean(text):
    """What the search echoes back: cut, single-spaced, without control or separator
    characters (NUL, bidi controls, zero-width spaces, line separators)."""
    assert len(text) <= MAX_QUERY_LENGTH
    assert text == " ".join(text.split()), repr(text)
    assert all(char == " " or unicodedata.category(char)[0] not in "CZ" for char in text), repr(
        text
    )


# -- the engine and Wagtail's search backend ---------------------------------------------------


@fuzz(60)
@given(query=hostile_queries)
@with_examples(NAMED_QUERIES)
def test_the_engine_takes_any_query(archive, russian, english, query):
    for locale in (russian, english):
        outcome = engine.run_search(query, locale=locale, filters=engine.Filters(), page=1)
        assert isinstance(outcome.total, int) and outcome.total >= 0
        assert len(outcome.hits) <= outcome.total
        assert_clean(outcome.query)
        assert isinstance(engine.suggest(query, locale=locale), list)
    filters, _errors = engine.Filters.from_data({"q": query, "type": query, "district": query})
    engine.run_search(query, locale=russian, filters=filters, page=query)


@fuzz(60)
@given(query=hostile_queries)
@with_examples(NAMED_QUERIES)
def test_wagtail_search_and_autocomplete_take_any_query(archive, query):
    for results in (
        Page.objects.live().search(query),
        Page.objects.live().autocomplete(query),
        Page.objects.live().search(query, operator="or"),
        Page.objects.live().search(query, fields=["title"], order_by_relevance=False),
    ):
        found = list(results[:10])
        assert results.count() >= len(found)


# -- the public search --------------------------------------------------------------------


@fuzz(25)
@given(query=hostile_queries, prefix=st.sampled_from(["", "/en"]))
@with_examples(NAMED_QUERIES, prefix="")
def test_the_search_page_takes_any_query(client, archive, query, prefix):
    response = client.get(f"{prefix}/search/", {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@fuzz(25)
@given(
    query=hostile_queries,
    kind=st.one_of(st.sampled_from(["hero", "memorial", "document"]), hostile_queries),
    district=hostile_queries,
    number=st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), hostile_queries),
    page=st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), hostile_queries),
)
@example(
    query="Кузнецов",
    kind="\x00",
    district="\x00%_'\"",
    number="１２",
    page="9" * 5000,
)
@example(query="Кузнецов", kind="hero", district="Козельский район", number="٣", page="-1")
@example(query="Кузнецов", kind="hero", district="", number="999999999", page="1e9")
def test_the_search_page_takes_any_filters(client, archive, query, kind, district, number, page):
    params = {
        "q": query,
        "type": kind,
        "district": district,
        "library": number,
        "project": number,
        "year": number,
        "page": page,
    }
    response = client.get("/search/", params)
    assert response.status_code == 200
    response = client.get("/search/", {**params, "format": "json"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert isinstance(data["total"], int) and isinstance(data["errors"], list)


@fuzz(25)
@given(query=hostile_queries)
@with_examples(NAMED_QUERIES)
def test_the_search_json_takes_any_query(client, archive, query):
    for response in (
        client.get("/search/", {"q": query, "format": "json"}),
        client.get("/en/search/", {"q": query}, headers={"accept": "application/json"}),
    ):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(response.content)
        assert isinstance(data["total"], int) and not isinstance(data["total"], bool)
        assert isinstance(data["results"], list)
        assert_clean(data["query"])


@fuzz(25)
@given(query=hostile_queries)
@with_examples(NAMED_QUERIES)
def test_the_suggestions_take_any_query(client, archive, query):
    for path in ("/search/suggest/", "/en/search/suggest/"):
        response = client.get(path, {"q": query})
        assert response.status_code == 200
        data = json.loads(response.content)
        assert isinstance(data["results"], list)
        assert_clean(data["query"])


@pytest.mark.parametrize("query", LONG_QUERIES[:3])
def test_an_overlong_query_is_cut_and_the_page_says_so(client, archive, query):
    html = client.get("/search/", {"q": query}).content.decode()
    assert "Запрос сокращён до 200 символов" in html
    data = json.loads(client.get("/search/", {"q": query, "format": "json"}).content)
    assert 0 < len(data["query"]) <= MAX_QUERY_LENGTH
    assert data["query"] == clean_query(query)[0]


# -- API v2 -------------------------------------------------------------------------------


def assert_api_answers(response):
    """200 with a listing, or 400 with a message: never a server error."""
    assert response.status_code in (200, 400), response.status_code
    data = json.loads(response.content)
    if response.status_code == 400:
        assert isinstance(data["message"], str) and data["message"]
    else:
        assert isinstance(data["meta"]["total_count"], int)
        assert len(data["items"]) <= data["meta"]["total_count"]


@fuzz(25)
@given(
    query=hostile_queries,
    operator=st.sampled_from([None, "and", "or"]),
    order=st.sampled_from([None, "title", "-id"]),
)
@with_examples(NAMED_QUERIES, operator=None, order=None)
def test_api_search_takes_any_query(client, admin_client, archive, query, operator, order):
    params = {"search": query}
    if operator:
        params["search_operator"] = operator
    if order:
        params["order"] = order
    for endpoint in ("pages", "documents", "images"):
        assert_api_answers(client.get(f"/api/v2/{endpoint}/", params))
    # The admin's API (the explorer's) adds its own filters to the pages.
    assert_api_answers(admin_client.get("/admin/api/main/pages/", params))


@pytest.mark.parametrize("operator", ["", "xyz", "AND", "\x00", "or'; --"])
def test_api_search_rejects_an_unknown_operator(admin_client, archive, operator):
    """``?search_operator=`` reaches the search backend: anything but and/or is a 400 or is
    ignored, on the public API and on the admin's (the explorer's)."""
    params = {"search": "Кузнецов", "search_operator": operator}
    for prefix in ("/api/v2", "/admin/api/main"):
        for endpoint in ("pages", "documents", "images"):
            assert_api_answers(admin_client.get(f"{prefix}/{endpoint}/", params))


# -- the admin ------------------------------------------------------------------------------

ADMIN_SEARCHES = [
    "/admin/pages/search/",
    "/admin/pages/search/results/",
    "/admin/choose-page/search/",
    "/admin/images/",
    "/admin/images/chooser/results/",
    "/admin/documents/",
    "/admin/documents/chooser/results/",
    "/admin/users/",
]


@fuzz(8)
@given(query=hostile_queries)
@with_examples(ADMIN_QUERIES)
def test_admin_searches_take_any_query(admin_client, archive, home_page, query):
    for path in [*ADMIN_SEARCHES, f"/admin/pages/{home_page.pk}/"]:
        response = admin_client.get(path, {"q": query})
        assert response.status_code == 200, (path, response.status_code)


# -- hostile text in the archive itself ------------------------------------------------------


def test_a_page_with_hostile_text_is_indexed_and_found(make_library, russian):
    """What an editor pastes goes through the same analysis: it must index, not fail."""
    title = (
        "Уникальная библиотека «„\"'([{ AND NOT * - + : ^ ~ | & ! \\ % _ \x1f \u200b \u202e"
        " 😀 👨‍👩‍👧‍👦 Kузнецов Ива́нов ﬁ ＫＵＺ \U00017000Ж '; DROP TABLE search_posting; --"
        " %s %(x)s ? 1942"
    )
    library = make_library(title=title)
    library.save_revision().publish()
    outcome = engine.run_search("уникальная библиотека", locale=russian)
    assert library.url in [hit.url for hit in outcome.hits]
    assert library.pk in [page.pk for page in Page.objects.live().search("Уникальная")]


# -- hostile pieces around a real word ---------------------------------------------------------

SURROUNDED = [
    ("Кузнецов", "hero"),
    ('"Кузнецов"', "hero"),
    ("Кузнецов*", "hero"),
    ("(Кузнецов", "hero"),
    ("Кузнецов\x00", "hero"),
    ("«Кузнецов»", "hero"),
    ("Kузнецов", "hero"),  # Latin K
    ("Кузнецова", "hero"),
    ("КУЗНЕЦОВ!", "hero"),
    ("Ку́знецов", "hero"),
    ("'; Кузнецов --", "hero"),
    ("%Кузнецов%", "hero"),
    ("\u200bКузнецов\u202e", "hero"),
    ("👍🏽Кузнецов", "hero"),
    ("Ивaнoв", "ivanov"),  # Latin a and o
    ("Ива́нов", "ivanov"),  # combining acute accent
    ("Иванов\\", "ivanov"),
]


def test_a_real_word_is_found_whatever_surrounds_it(client, admin_client, archive, russian):
    failures = []

    def check(query, where, found):
        if not found:
            failures.append((query, where))

    for query, key in SURROUNDED:
        hero = archive[key]
        outcome = engine.run_search(query, locale=russian)
        check(query, "run_search", hero.url in [hit.url for hit in outcome.hits])
        check(
            query,
            "suggest",
            hero.url in [item["url"] for item in engine.suggest(query, locale=russian)],
        )
        check(query, ".search()", hero.pk in [p.pk for p in Page.objects.live().search(query)])
        check(
            query,
            ".autocomplete()",
            hero.pk in [p.pk for p in Page.objects.live().autocomplete(query)],
        )
        html = client.get("/search/", {"q": query}).content.decode()
        check(query, "/search/", f'href="{hero.url}"' in html)
        data = json.loads(client.get("/search/", {"q": query, "format": "json"}).content)
        check(query, "/search/?format=json", hero.title in [r["title"] for r in data["results"]])
        data = json.loads(client.get("/search/suggest/", {"q": query}).content)
        check(query, "/search/suggest/", hero.title in [r["title"] for r in data["results"]])
        data = json.loads(client.get("/api/v2/pages/", {"search": query}).content)
        check(query, "/api/v2/pages/", hero.pk in [item["id"] for item in data.get("items", [])])
        html = admin_client.get("/admin/pages/search/", {"q": query}).content.decode()
        check(query, "/admin/pages/search/", f"/admin/pages/{hero.pk}/edit/" in html)
    assert not failures, "\n".join(f"{query!r} not found by {where}" for query, where in failures)
