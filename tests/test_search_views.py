"""The public search: the page, its JSON, the suggestions of the search box, promotions."""

import html as html_lib
import re
from urllib.parse import urlencode

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

import pytest

from search import engine, views
from tests.fixtures.memorials.helpers import *  # noqa: F403

pytestmark = pytest.mark.django_db

SEARCH = "/search/"
SUGGEST = "/search/suggest/"
KOZELSKY = "Козельский район"


@pytest.fixture
def archive(make_library, make_memorial, make_hero, make_project, make_contribution, project_index):
    """A small archive around Kozelsk, with the Book of Memory, the map and the projects."""
    kozelsk = make_library(
        title="Козельская районная библиотека", district=KOZELSKY, settlement="г. Козельск"
    )
    lyudinovo = make_library(
        title="Людиновская библиотека", district="Людиновский район", settlement="г. Людиново"
    )
    obelisk = make_memorial(
        title="Обелиск в Козельске",
        settlement="г. Козельск",
        district=KOZELSKY,
        library=kozelsk,
        year_unveiled=1967,
    )
    stela = make_memorial(
        title="Стела павшим землякам",
        settlement="г. Людиново",
        district="Людиновский район",
        library=lyudinovo,
        year_unveiled=1975,
    )
    hero = make_hero(memorials=[obelisk], last_name="Соколов", first_name="Пётр")
    regiment = make_project(title="Бессмертный полк", start_year=2021)
    chronicle = make_contribution(kozelsk, regiment, title="Летопись Козельска")
    return {
        "kozelsk": kozelsk,
        "lyudinovo": lyudinovo,
        "obelisk": obelisk,
        "stela": stela,
        "hero": hero,
        "regiment": regiment,
        "chronicle": chronicle,
    }


def page_html(client, params=None, path=SEARCH):
    response = client.get(path, params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def result_titles(html):
    return [
        html_lib.unescape(title)
        for title in re.findall(r'class="search-result__title"><a href="[^"]*">([^<]+)</a>', html)
    ]


def href(**params):
    """A link of the search page as the template writes it (``&`` escaped)."""
    return html_lib.escape("?" + urlencode(params))


def title_of(html):
    return html_lib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


# -- the page ------------------------------------------------------------------------------


def test_empty_page_gives_a_hint_with_examples(client, home_page):
    html = page_html(client)
    assert title_of(html).startswith("Поиск по архиву — ")
    assert "Ищите по всему архиву" in html
    assert f'href="{href(q="Соколов")}"' in html
    assert f'href="{href(q="Бессмертный полк")}"' in html
    assert "search-results" not in html and "Найден" not in html


@pytest.mark.parametrize("query", ["   ", "!!! ???", "«»"])
def test_a_query_without_words_is_like_an_empty_one(client, home_page, query):
    html = page_html(client, {"q": query})
    assert "Ищите по всему архиву" in html


def test_results_with_count_kind_and_highlighted_snippet(client, archive):
    html = page_html(client, {"q": "Козельск"})
    assert title_of(html).startswith("Поиск: Козельск — ")
    assert set(result_titles(html)) == {
        "Обелиск в Козельске",
        "Летопись Козельска",
        "Козельская районная библиотека",
    }
    assert "Найдено 3 результата" in html
    assert 'class="search-result__kind">Памятник<' in html
    assert "<mark>Козельск</mark>" in html
    assert f'href="{archive["obelisk"].url}"' in html
    assert 'role="status"' in html


def test_type_tabs_count_each_kind_and_filter_by_it(client, archive):
    html = page_html(client, {"q": "Козельск"})
    tabs = re.search(r'<nav class="search-types".*?</nav>', html, re.S).group(0)
    assert f'href="{href(q="Козельск")}" aria-current="true">Все' in tabs
    assert f'href="{href(q="Козельск", type="memorial")}">Памятники' in tabs
    assert "Герои" not in tabs  # no hero matches: no empty tab

    html = page_html(client, {"q": "Козельск", "type": "memorial"})
    assert result_titles(html) == ["Обелиск в Козельске"]
    tabs = re.search(r'<nav class="search-types".*?</nav>', html, re.S).group(0)
    assert f'href="{href(q="Козельск", type="memorial")}" aria-current="true">Памятники' in tabs
    # «Все» counts every kind, whatever tab is open.
    assert re.search(r'>Все <span class="search-count-badge">3</span>', tabs)
    assert "Найден 1 результат" in html


def test_facet_links_add_and_remove_filters_keeping_the_query(client, archive):
    library = archive["kozelsk"]
    html = page_html(client, {"q": "Козельск"})
    assert f'href="{href(q="Козельск", district=KOZELSKY)}"' in html
    assert f'href="{href(q="Козельск", library=library.pk)}"' in html
    assert f'href="{href(q="Козельск", year=1967)}"' in html
    assert f'href="{href(q="Козельск", project=archive["regiment"].pk)}"' in html

    html = page_html(client, {"q": "Козельск", "year": 1967, "type": "memorial"})
    assert result_titles(html) == ["Обелиск в Козельске"]
    # The selected value is marked and its link removes it (the type stays).
    selected = re.search(r'<a class="search-facet__link" href="([^"]*)" aria-current="true">', html)
    assert selected.group(1) == href(q="Козельск", type="memorial")
    # Other values of the selected facet remain links that switch to them.
    assert f'href="{href(q="Козельск", type="memorial", district=KOZELSKY, year=1967)}"' in html
    # The chip of the selected filter and «reset all» (which keeps the query).
    assert re.search(r'class="search-chip" href="[^"]*">\s*Год: 1967', html)
    assert f'href="{href(q="Козельск")}">Сбросить все фильтры<' in html


def test_pagination_keeps_the_query_and_the_filters(client, archive, make_memorial, monkeypatch):
    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 2)
    for n in range(4):
        make_memorial(title=f"Обелиск у дороги {n}", district=KOZELSKY)
    make_memorial(title="Обелиск в другом районе", district="Людиновский район")
    params = {"q": "обелиск", "district": KOZELSKY}

    html = page_html(client, params)
    assert "Найдено 5 результатов" in html
    assert len(result_titles(html)) == 2
    assert f'href="{href(**params, page=2)}" rel="next"' in html
    assert f'href="{href(**params, page=3)}" aria-label="Страница 3"' in html
    assert '<span aria-current="page">1</span>' in html
    assert 'rel="prev"' not in html

    html = page_html(client, {**params, "page": 2})
    assert f'href="{href(**params)}" rel="prev"' in html  # page 1 needs no page number
    assert f'href="{href(**params, page=3)}" rel="next"' in html
    assert title_of(html).startswith("Поиск: обелиск — страница 2 — ")
    assert '<ol class="search-results" start="3">' in html

    html = page_html(client, {**params, "page": 999})  # beyond the last: the last
    assert '<span aria-current="page">3</span>' in html
    assert len(result_titles(html)) == 1
    for bad in ("abc", "-2", "0", "1.5", "9" * 40):
        html = page_html(client, {**params, "page": bad})
        assert len(result_titles(html)) in (1, 2)


def test_nothing_found_suggests_what_to_try(client, archive, hero_index, memorial_index):
    html = page_html(client, {"q": "Абырвалг"})
    assert "По запросу «Абырвалг» ничего не найдено." in html
    assert "проверьте написание" in html
    assert "уберите фильтры" not in html
    assert f'href="{hero_index.url}">Книга памяти<' in html
    assert f'href="{memorial_index.url}">Памятники<' in html
    assert 'href="/proekty/">Проекты<' in html


def test_nothing_found_with_filters_offers_to_remove_them(client, archive):
    html = page_html(client, {"q": "Соколов", "district": "Людиновский район"})
    assert "По запросу «Соколов» с выбранными фильтрами ничего не найдено." in html
    assert f'<a href="{href(q="Соколов")}">уберите фильтры</a>' in html


def test_a_misspelt_query_shows_the_corrected_results(client, archive):
    data = client.get(SEARCH, {"q": "Саколов", "format": "json"}).json()
    assert data["corrected"] is True
    html = page_html(client, {"q": "Саколов"})
    assert (
        f"По запросу «Саколов» ничего не найдено. Показаны результаты по запросу "
        f"«{data['suggestion']}»." in html
    )
    assert result_titles(html) == ["Соколов Пётр Иванович"]


def test_did_you_mean_links_to_the_suggestion_keeping_filters(client, home_page, monkeypatch):
    def fake_run_search(query, **kwargs):
        return engine.SearchOutcome(
            query="Саколов",
            facets={name: [] for name in views.FILTER_NAMES},
            suggestion="Соколов",
            corrected=False,
        )

    monkeypatch.setattr(engine, "run_search", fake_run_search)
    html = page_html(client, {"q": "Саколов", "year": 1942})
    link = href(q="Соколов", year=1942)
    assert f'Возможно, вы искали «<a href="{link}">Соколов</a>»?' in html
    assert "Показаны результаты" not in html


def test_a_long_query_is_cut_with_a_note(client, archive):
    html = page_html(client, {"q": "Козельск " + "очень " * 60})
    assert "Запрос сокращён до 200 символов" in html
    assert "Запрос сокращён" not in page_html(client, {"q": "Козельск"})


def test_invalid_filters_are_reported_and_ignored(client, archive):
    html = page_html(client, {"q": "Козельск", "type": "<b>spam</b>", "year": "тысяча"})
    assert "Неизвестный тип материалов: «&lt;b&gt;spam&lt;/b&gt;»." in html
    assert "Год должен быть числом." in html
    assert 'role="alert"' in html
    assert len(result_titles(html)) == 3
    assert "spam" not in re.search(r'<nav class="search-types".*?</nav>', html, re.S).group(0)


def test_the_query_is_escaped_everywhere(client, archive):
    html = page_html(client, {"q": '<script>alert("Козельск")</script>'})
    assert "<script>alert" not in html
    assert "Козельск" in title_of(html)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Козельск\x00"},
        {"q": '"Козельск'},
        {"q": "Козельск" * 500},
        {"q": "Козельск", "page": "10" * 50},
        {"q": "Козельск", "library": "-1", "project": "1e9", "year": "99999999999999"},
        {"q": "*:()^~ OR AND NOT"},
        {"q": "Козельск", "district": "\x00" * 5},
    ],
)
def test_no_input_makes_a_server_error(client, archive, params):
    assert client.get(SEARCH, params).status_code == 200
    assert client.get(SEARCH, {**params, "format": "json"}).status_code == 200


def test_english_search_lives_under_its_prefix(client, archive):
    html = page_html(client, {"q": "Kozelsk"}, path="/en/search/")
    assert 'action="/en/search/"' in html
    assert 'data-search-suggest="/en/search/suggest/"' in html
    assert client.get("/en/search/suggest/", {"q": "Ko"}).status_code == 200


# -- search promotions ---------------------------------------------------------------------


@pytest.fixture
def promoted(archive, make_project, project_index):
    regiment = archive["regiment"]
    draft = make_project(title="Черновик проекта", live=False)
    private = make_project(title="Закрытый проект")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    query = Query.get("Бессмертный полк")
    for order, page in enumerate([regiment, draft, private]):
        SearchPromotion.objects.create(
            query=query, page=page, sort_order=order, description=f"Выбор редакции {order}"
        )
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://example.org/polk",
        external_link_text="Полк на сайте партнёров",
        sort_order=9,
    )
    return regiment


def picks_of(html):
    found = re.search(r'<section class="search-picks".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_promotions_show_live_public_pages_above_the_results(client, promoted):
    html = page_html(client, {"q": "бессмертный   Полк"})
    picks = picks_of(html)
    assert f'href="{promoted.url}">Бессмертный полк</a>' in picks
    assert "Выбор редакции 0" in picks
    assert 'href="https://example.org/polk">Полк на сайте партнёров</a>' in picks
    assert "Черновик проекта" not in picks and "Закрытый проект" not in picks
    assert html.index("search-picks") < html.index("search-results")
    assert promoted.url in picks_of(page_html(client, {"q": "«Бессмертный полк!»"}))
    assert not picks_of(page_html(client, {"q": "Бессмертный"}))


def test_promotions_belong_to_their_language(client, promoted):
    html = page_html(client, {"q": "Бессмертный полк"}, path="/en/search/")
    assert promoted.url not in picks_of(html)


def test_promotions_and_hits_on_the_first_page_only(
    client, promoted, make_contribution, monkeypatch
):
    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 1)
    make_contribution(promoted.get_parent(), promoted, title="Бессмертный полк в школе")
    html = page_html(client, {"q": "Бессмертный полк"})
    assert picks_of(html)
    assert Query.get("бессмертный полк").hits == 1
    html = page_html(client, {"q": "Бессмертный полк", "page": 2})
    assert not picks_of(html)
    assert Query.get("бессмертный полк").hits == 1
    client.get(SEARCH, {"q": "Бессмертный полк", "format": "json"})
    assert Query.get("бессмертный полк").hits == 1  # the JSON is not a visitor's search


# -- JSON ----------------------------------------------------------------------------------


def test_json_with_format_parameter(client, archive):
    response = client.get(SEARCH, {"q": "Козельск", "type": "memorial"}, HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("text/html")
    response = client.get(SEARCH, {"q": "Козельск", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    data = response.json()
    assert set(data) >= {
        "query", "total", "page", "num_pages", "results", "facets", "suggestion", "corrected",
    }  # fmt: skip
    assert data["query"] == "Козельск"
    assert data["total"] == 3 and data["page"] == 1 and data["num_pages"] == 1
    assert data["suggestion"] is None and data["corrected"] is False
    assert data["errors"] == []
    first = data["results"][0]
    assert set(first) == {"title", "url", "type", "snippet"}
    assert first["url"].startswith("http://testserver/")
    assert all("<mark>" not in r["snippet"] for r in data["results"])
    assert {r["type"] for r in data["results"]} == {"memorial", "material", "library"}
    assert set(data["facets"]) == {"type", "district", "library", "project", "year"}
    memorial = next(v for v in data["facets"]["type"] if v["value"] == "memorial")
    assert memorial == {"value": "memorial", "label": "Памятники", "count": 1, "selected": False}


def test_json_results_are_in_rank_order(client, archive):
    data = client.get(SEARCH, {"q": "Козельск", "format": "json"}).json()
    html = page_html(client, {"q": "Козельск"})
    assert [r["title"] for r in data["results"]] == result_titles(html)


def test_json_when_the_accept_header_prefers_it(client, archive):
    response = client.get(SEARCH, {"q": "Козельск"}, HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["total"] == 3
    assert "Accept" in response["Vary"]
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(SEARCH, {"q": "Козельск"}, HTTP_ACCEPT=browser)
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    prefers = "text/html;q=0.5, application/json"
    response = client.get(SEARCH, {"q": "Козельск"}, HTTP_ACCEPT=prefers)
    assert response["Content-Type"] == "application/json"


def test_json_reports_invalid_filters_and_bad_pages(client, archive):
    response = client.get(
        SEARCH, {"q": "Козельск", "type": "spam", "page": "abc"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["errors"] == ["Неизвестный тип материалов: «spam»."]
    assert data["page"] == 1 and data["total"] == 3


def test_json_of_an_empty_query(client, home_page):
    data = client.get(SEARCH, {"format": "json"}).json()
    assert data["query"] == "" and data["total"] == 0 and data["results"] == []


# -- suggestions ---------------------------------------------------------------------------


def test_suggestions_for_a_prefix(client, archive):
    response = client.get(SUGGEST, {"q": "Сок"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"max-age=60", "public"} <= cache_control
    data = response.json()
    assert data["query"] == "Сок"
    assert data["results"] == [
        {
            "title": "Соколов Пётр Иванович",
            "url": "http://testserver" + archive["hero"].url,
            "type": "hero",
            "type_label": "Герой",
        }
    ]
    assert data["status"] == "1 подсказка"


def test_at_most_ten_suggestions(client, archive, make_hero):
    for n in range(12):
        make_hero(last_name=f"Соколовский{n}")
    data = client.get(SUGGEST, {"q": "Соколов"}).json()
    assert len(data["results"]) == 10


@pytest.mark.parametrize("query", ["", "  ", "С", "\x00", "!"])
def test_no_suggestions_for_too_short_a_prefix(client, archive, query):
    response = client.get(SUGGEST, {"q": query})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_suggestions_never_fail(client, archive):
    for query in ("Сок\x00ол", '"(*', "я" * 5000, "Козельск район обелиск"):
        assert client.get(SUGGEST, {"q": query}).status_code == 200


def test_search_boxes_are_ready_for_the_suggestions(client, archive):
    html = page_html(client, {"q": "Козельск"})
    assert html.count('data-search-suggest="/search/suggest/"') == 2  # header and page
    assert 'id="site-search-suggestions" role="listbox"' in html
    assert 'id="page-search-status" role="status"' in html
    assert html.count("js/search-suggest.js") == 1
    assert html.count("css/search.css") == 1
    # The page of another kind has the header's box too.
    other = client.get(archive["obelisk"].url).content.decode()
    assert 'data-search-suggest="/search/suggest/"' in other
    assert "js/search-suggest.js" in other
