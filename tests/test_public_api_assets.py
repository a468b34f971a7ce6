"""The public API lists a library's images and documents only once a live page uses them."""

import json

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

from network.onboarding import onboard_library, parse_library
from network.roles import shared_collection

pytestmark = pytest.mark.django_db


def gallery(image):
    return json.dumps(
        [
            {
                "type": "gallery",
                "id": "gallery-1",
                "value": {
                    "title": "Фотографии",
                    "images": [
                        {
                            "type": "item",
                            "id": "photo-1",
                            "value": {
                                "image": image.pk,
                                "caption": "Митинг у сельсовета",
                                "credit": "",
                                "alt_text": "Люди у здания",
                            },
                        }
                    ],
                },
            }
        ]
    )


@pytest.fixture
def library(library_index):
    row = {"slug": "kozelskaya-crb", "name": "Козельская ЦРБ", "type": "central"}
    row["district"] = "Козельский район"
    return onboard_library(parse_library(row), invite=False).library


def make_image(collection, title):
    return get_image_model().objects.create(
        title=title, collection=collection, file=get_test_image_file(filename="p.png")
    )


def titles(client, endpoint):
    response = client.get(f"/api/v2/{endpoint}/")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_library_image_is_listed_once_a_live_page_shows_it(
    client, library, make_project, make_contribution
):
    collection = library.access.collection
    used = make_image(collection, "Фото из черновика")
    make_image(collection, "Фото не в деле")
    shared = make_image(shared_collection(), "Общее фото")
    project = make_project(title="Наши памятники")

    draft = make_contribution(library, project, live=False, body=gallery(used))
    assert titles(client, "images") == {"Общее фото"}
    assert client.get(f"/api/v2/images/{used.pk}/").status_code == 404
    assert client.get(f"/api/v2/images/{shared.pk}/").status_code == 200

    draft.save_revision().publish()
    assert titles(client, "images") == {"Общее фото", "Фото из черновика"}
    assert client.get(f"/api/v2/images/{used.pk}/").status_code == 200


def test_library_document_is_hidden_until_linked_from_a_live_page(client, library):
    Document = get_document_model()
    Document.objects.create(
        title="Положение о конкурсе (черновик)",
        collection=library.access.collection,
        file=ContentFile(b"draft", name="draft.txt"),
    )
    Document.objects.create(
        title="Общее положение",
        collection=shared_collection(),
        file=ContentFile(b"shared", name="shared.txt"),
    )
    assert titles(client, "documents") == {"Общее положение"}
