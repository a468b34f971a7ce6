"""Network projects and contests: pages, filters, statistics, CSV, the admin report."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import PageViewRestriction

import pytest

from projects.models import ContributionPage, ProjectStatus
from projects.stats import ParticipationStats, stats_for_project
from tests.factories import NominationFactory

pytestmark = pytest.mark.django_db


# -- the statistics sentence -------------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        (
            {"libraries": 1, "rural": 1, "districts": 1, "regions": 1, "materials": 1, "photos": 1},
            "1 библиотека из 1 муниципального района и 1 региона, из них сельских — 1, "
            "предоставила 1 материал и 1 фотографию.",
        ),
        (
            {
                "libraries": 117,
                "rural": 87,
                "districts": 24,
                "regions": 2,
                "materials": 122,
                "photos": 502,
            },
            "117 библиотек из 24 муниципальных районов и 2 регионов, из них сельских — 87, "
            "предоставили 122 материала и 502 фотографии.",
        ),
        (
            {
                "libraries": 21,
                "rural": 11,
                "districts": 21,
                "regions": 3,
                "materials": 11,
                "photos": 15,
            },
            "21 библиотека из 21 муниципального района и 3 регионов, из них сельских — 11, "
            "предоставила 11 материалов и 15 фотографий.",
        ),
        (
            {
                "libraries": 3,
                "rural": 2,
                "districts": 2,
                "regions": 1,
                "materials": 24,
                "photos": 112,
            },
            "3 библиотеки из 2 муниципальных районов и 1 региона, из них сельских — 2, "
            "предоставили 24 материала и 112 фотографий.",
        ),
    ],
)
def test_statistics_sentence_has_correct_russian_plurals(figures, expected):
    with translation.override("ru"):
        assert ParticipationStats(**figures).sentence() == expected


def test_statistics_sentence_in_english():
    stats = ParticipationStats(libraries=1, rural=0, districts=2, regions=1, materials=5, photos=1)
    with translation.override("en"):
        assert stats.sentence() == (
            "1 library from 2 municipal districts and 1 region, 0 of them rural, "
            "contributed 5 materials and 1 photograph."
        )


@pytest.fixture
def network(make_library, make_project, make_contribution):
    """Three libraries (two rural, one partner from another region), one project."""
    project = make_project(title="Листая «Летопись…» войны", start_year=2020, end_year=2020)
    izn = make_library(title="Износковская сельская", is_rural=True, district="Износковский")
    kozelsk = make_library(
        title="Козельская центральная", library_type="central", district="Козельский"
    )
    bryansk = make_library(
        title="Брянская партнёрская",
        library_type="partner",
        region="Брянская область",
        district="Жуковский",
    )
    for library, count in ((izn, 2), (kozelsk, 1), (bryansk, 1)):
        for _ in range(count):
            make_contribution(library, project)
    return {"project": project, "izn": izn, "kozelsk": kozelsk, "bryansk": bryansk}


def test_statistics_count_libraries_rural_districts_regions(network):
    stats = stats_for_project(network["project"])
    assert stats.libraries == 3
    assert stats.rural == 1
    # «Жуковский» exists in both regions' lists: districts are told apart by region.
    assert stats.districts == 3
    assert stats.regions == 2
    assert stats.materials == 4


def test_statistics_ignore_drafts_private_pages_and_other_projects(
    network, make_contribution, make_project
):
    project = network["project"]
    make_contribution(network["izn"], project, live=False)
    private = make_contribution(network["kozelsk"], project)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_contribution(network["izn"], make_project())
    assert stats_for_project(project).materials == 4


def test_rural_flag_follows_library_type(make_library):
    library = make_library(library_type="rural", is_rural=False)
    assert library.is_rural is True


# -- pages ---------------------------------------------------------------------------------


def test_project_page_shows_statistics_and_materials(client, network):
    project = network["project"]
    response = client.get(project.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 библиотеки из 3 муниципальных районов и 2 регионов" in html
    for page in ContributionPage.objects.filter(project=project):
        assert page.title in html


def test_project_page_queries_do_not_grow_with_materials(
    client, make_library, make_project, make_contribution
):
    def count_queries(project):
        client.get(project.url)  # warm caches (site root, locales)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(project.url).status_code == 200
        return len(ctx)

    small, large = make_project(), make_project()
    libraries = [make_library() for _ in range(3)]
    for i in range(3):
        make_contribution(libraries[i % 3], small)
    for i in range(24):
        make_contribution(libraries[i % 3], large)
    assert count_queries(small) == count_queries(large)


def test_project_index_queries_do_not_grow_with_projects(client, project_index, make_project):
    for _ in range(2):
        make_project()
    client.get(project_index.url)
    with CaptureQueriesContext(connection) as few:
        client.get(project_index.url)
    for _ in range(10):
        make_project()
    with CaptureQueriesContext(connection) as many:
        client.get(project_index.url)
    assert len(few) == len(many)


def test_project_index_filters(client, project_index, make_project):
    make_project(title="Наши памятники", start_year=2015, theme_of_year="")
    make_project(title="Летопись войны", start_year=2020, end_year=2020, status="closed",
                 theme_of_year="Год памяти и славы")  # fmt: skip
    make_project(title="Книжный трейлер", start_year=2024, end_year=2024, status="results")

    def titles(query):
        response = client.get(project_index.url + query)
        assert response.status_code == 200
        html = response.content.decode()
        return {t for t in ("Наши памятники", "Летопись войны", "Книжный трейлер") if t in html}

    assert titles("") == {"Наши памятники", "Летопись войны", "Книжный трейлер"}
    assert titles("?year=2020") == {"Наши памятники", "Летопись войны"}  # 2015– is ongoing
    assert titles("?year=2016") == {"Наши памятники"}
    assert titles("?theme=Год+памяти+и+славы") == {"Летопись войны"}
    assert titles("?status=results") == {"Книжный трейлер"}
    # Nonsense filters are ignored, never an error.
    assert titles("?year=abc&status=%00%27&page=999") == {
        "Наши памятники",
        "Летопись войны",
        "Книжный трейлер",
    }


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_project_statistics_csv(client, network):
    response = client.get(network["project"].url + "statistika/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][0] == "библиотека"
    by_library = {row[0]: row for row in rows[1:-1]}
    assert by_library["Износковская сельская"][2] == "да"
    assert by_library["Износковская сельская"][5] == "2"
    assert by_library["Брянская партнёрская"][4] == "Брянская область"
    assert rows[-1][5] == "4"


def test_project_index_statistics_csv(client, project_index, network):
    rows = read_csv(client.get(project_index.url + "statistika/csv/"))
    assert rows[0][:3] == ["проект", "годы", "статус"]
    assert rows[1][0] == "Листая «Летопись…» войны"
    assert rows[1][3:9] == ["3", "1", "3", "2", "4", "0"]


# -- contests ------------------------------------------------------------------------------


@pytest.fixture
def contest(make_project, make_library, make_contribution):
    project = make_project(title="Конкурс буктрейлеров", is_contest=True, status="closed")
    video = NominationFactory(page=project, title="Лучший буктрейлер")
    poster = NominationFactory(page=project, title="Лучшая открытка")
    library = make_library(title="Сухиничская районная")
    first = make_contribution(
        library, project, title="Трейлер о войне", nomination=video, award="1"
    )
    make_contribution(library, project, title="Открытка к 9 Мая", nomination=poster, award="2")
    make_contribution(library, project, title="Без места", nomination=poster)
    return {"project": project, "video": video, "first": first}


def test_contest_results_appear_only_with_results_status(client, contest):
    project = contest["project"]
    html = client.get(project.url).content.decode()
    assert "Лучший буктрейлер" in html  # nominations are listed
    assert "Итоги конкурса" not in html
    project.status = ProjectStatus.RESULTS
    project.save_revision().publish()
    html = client.get(project.url).content.decode()
    results = html.split("Итоги конкурса")[1].split("</section>")[0]
    assert "1 место" in results and "Трейлер о войне" in results
    assert "2 место" in results and "Открытка к 9 Мая" in results
    assert "Без места" not in results


def test_nomination_of_another_project_is_refused(contest, make_project):
    from django.core.exceptions import ValidationError

    other = make_project()
    page = contest["first"]
    page.project = other
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "другому проекту" in str(error.value)


def test_award_needs_a_nomination(contest):
    from django.core.exceptions import ValidationError

    page = contest["first"]
    page.nomination = None
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "вместе с номинацией" in str(error.value)


def test_end_year_before_start_year_is_refused(make_project):
    from django.core.exceptions import ValidationError

    project = make_project()
    project.start_year, project.end_year = 2021, 2019
    with pytest.raises(ValidationError):
        project.full_clean()


# -- contributions -------------------------------------------------------------------------


def test_contribution_belongs_to_the_library_of_its_part_of_the_tree(network):
    page = ContributionPage.objects.filter(library=network["bryansk"]).get()
    page.move(network["izn"], pos="last-child")
    page.refresh_from_db()
    assert page.library_id == network["izn"].pk


def test_contribution_page_links_library_and_project(client, network):
    page = ContributionPage.objects.filter(library=network["izn"]).first()
    html = client.get(page.url).content.decode()
    assert network["izn"].url in html and network["project"].url in html


def test_contribution_form_offers_only_open_projects(admin_browser, network, make_project):
    closed = make_project(title="Завершённый проект", status="closed")
    open_project = make_project(title="Открытый проект", status="open")
    response = admin_browser.get(f"/admin/pages/add/projects/contributionpage/{network['izn'].pk}/")
    html = response.content.decode()
    assert open_project.title in html
    assert closed.title not in html


def test_admin_statistics_report_and_export(admin_browser, network):
    response = admin_browser.get("/admin/reports/projects/")
    assert response.status_code == 200
    assert "Листая «Летопись…» войны" in response.content.decode()
    response = admin_browser.get("/admin/reports/projects/?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Листая «Летопись…» войны" in content


def test_statistics_report_is_refused_to_anonymous(client):
    response = client.get("/admin/reports/projects/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_api_lists_project_and_contribution_fields(client, network):
    response = client.get(
        "/api/v2/pages/?type=projects.ContributionPage&fields=project,library,settlement,date,photo_count"
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 4
    assert {"project", "library", "settlement", "date", "photo_count"} <= set(items[0])
    response = client.get(
        "/api/v2/pages/?type=projects.ProjectPage&fields=status,start_year,end_year,theme_of_year"
    )
    assert response.json()["items"][0]["status"] == "open"


def test_home_page_shows_current_projects_and_latest_materials(client, network, make_project):
    make_project(title="Закрытый проект", status="closed")
    html = client.get("/").content.decode()
    current = html.split("Идут сейчас")[1].split("Новые материалы библиотек")[0]
    assert "Листая «Летопись…» войны" in current  # open: accepting materials
    assert "Закрытый проект" not in current
    latest = html.split("Новые материалы библиотек")[1]
    assert ContributionPage.objects.filter(project=network["project"]).first().title in latest


def test_home_page_hides_empty_sections(client, home_page):
    html = client.get("/").content.decode()
    assert "Идут сейчас" not in html and "Новые материалы библиотек" not in html


def test_shared_material_shows_its_postcard(client, network):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    card = Image.objects.create(title="Открытка", file=get_test_image_file())
    page = ContributionPage.objects.filter(library=network["izn"]).first()
    page.body = [
        {
            "type": "postcard",
            "value": {
                "image": card.pk,
                "greeting": "С Днём Победы!",
                "occasion": "9 Мая",
                "text_equivalent": "Открытка с обелиском и надписью «С Днём Победы!».",
            },
        }
    ]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    og = html.split('property="og:image" content="')[1].split('"')[0]
    assert og.startswith("http://testserver/media/images/") and "fill-1200x630" in og
    assert card.file.name.split("/")[-1].split(".")[0][:10] in og
