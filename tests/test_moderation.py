"""Moderation of partner libraries' materials, end to end through the real admin.

A library editor sets a password from the invitation, logs in through the login form,
uploads photographs into the library's collection, submits a material; a moderator sees it
in the queue, approves or rejects it; the dashboard panels, the e-mails, the audit log and
scheduled publishing follow.
"""

import datetime
import io
from unittest import mock

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from projects.stats import stats_for_project
from tests.fixtures.libraries.helpers import *  # noqa: F403 (the fixtures)
from tests.fixtures.libraries.helpers import (
    admin_add_page,
    browser_for,
    contribution_form,
    editor,
    gallery,
    hero_form,
    log_in,
    set_password_by_invitation,
)

pytestmark = pytest.mark.django_db

QUEUE = "Очередь модерации по библиотекам"
MATERIALS = "Материалы моей библиотеки"


def png(name="photo.png", size=(800, 600), color=(120, 90, 60)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def upload_image(client, title):
    """Upload through the admin's "add an image" form; return the response and the image."""
    response = client.post(
        reverse("wagtailimages:add"), {"title": title, "file": png(), "tags": ""}
    )
    return response, get_image_model().objects.filter(title=title).first()


def workflow_action(client, page, action, **data):
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, data)


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def panel(soup, panel_id):
    """The dashboard panel ``{% panel id=panel_id %}`` renders (or None)."""
    return soup.find(id=f"{panel_id}-section")


def queue_groups(soup):
    """{library heading: [material titles]} of the moderators' queue panel."""
    queue = panel(soup, "moderation-queue")
    assert queue is not None, "no moderation queue on the dashboard"
    groups = {}
    for section in queue.find_all("section"):
        heading = section.find("h3")
        label = heading.contents[0].strip()
        groups[label] = [a.get_text(strip=True) for a in section.select("tbody td a")]
    return groups


def material_sections(soup):
    """{section heading: (count, [titles], text)} of the library editor's panel."""
    materials = panel(soup, "library-materials")
    assert materials is not None, "no library materials panel on the dashboard"
    sections = {}
    for section in materials.find_all("section"):
        heading = section.find("h3")
        title = heading.contents[0].strip()
        count = int(heading.find(class_="w-status").get_text(strip=True))
        titles = [a.get_text(strip=True) for a in section.select("li > a")]
        sections[title] = (count, titles, section.get_text(" ", strip=True))
    return sections


# -- the whole way, from the invitation to the project page --------------------------------


def test_material_goes_from_invitation_through_moderation_to_the_project_page(
    onboard, open_project, moderator
):
    library = onboard(
        "kozelskaya-crb",
        name="Козельская центральная районная библиотека",
        short_name="Козельская ЦРБ",
        type="central",
        editors=["editor@kozelsk.example"],
        invite=True,
    )
    before = stats_for_project(open_project)

    # The editor sets a password from the invitation and logs in through the login form.
    browser = Client()
    response = set_password_by_invitation(browser, "editor@kozelsk.example")
    assert response.status_code == 302, response.content.decode()[:3000]
    browser = Client()
    response = log_in(browser, "editor@kozelsk.example")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert browser.get(reverse("wagtailadmin_home")).status_code == 200
    author = editor("editor@kozelsk.example")

    # A photograph goes into the library's own collection.
    response, image = upload_image(browser, "Митинг у обелиска, 1975")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert image.collection == library.access.collection
    assert image.uploaded_by_user == author

    # The material is submitted for moderation.
    mail.outbox.clear()
    data = contribution_form(
        open_project,
        "Козельск в годы войны",
        "kozelsk-v-gody-vojny",
        body=[gallery(image)],
    )
    response, page = admin_add_page(browser, library, data, action="submit")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert page is not None and not page.live
    assert page.owner == author
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == author
    assert page.get_latest_revision().as_object().photo_count == 1

    # The moderators hear about it.
    to_moderator = [m for m in mail.outbox if moderator.email in m.to]
    assert len(to_moderator) == 1
    assert page.title in to_moderator[0].body + to_moderator[0].subject
    assert not [m for m in mail.outbox if author.email in m.to]

    # The moderator sees it in the queue under the library's name and approves it.
    moderator_browser = Client()
    assert log_in(moderator_browser, moderator.username).status_code == 302
    groups = queue_groups(dashboard(moderator_browser))
    assert groups == {"Козельская ЦРБ": ["Козельск в годы войны"]}
    response = workflow_action(moderator_browser, page, "approve", comment="")
    assert response.status_code == 302

    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert queue_groups(dashboard(moderator_browser)) == {}

    # Published: on the project page and in its statistics.
    html = Client().get(open_project.url).content.decode()
    assert "Козельск в годы войны" in html
    after = stats_for_project(open_project)
    assert after.materials == before.materials + 1
    assert after.photos == before.photos + 1
    assert after.libraries == before.libraries + 1
    assert after.sentence() in html

    # The audit log tells who did what.
    entries = {
        action: list(
            PageLogEntry.objects.filter(page=page, action=action).values_list("user", flat=True)
        )
        for action in [
            "wagtail.create",
            "wagtail.workflow.start",
            "wagtail.workflow.approve",
            "wagtail.publish",
        ]
    }
    assert entries == {
        "wagtail.create": [author.pk],
        "wagtail.workflow.start": [author.pk],
        "wagtail.workflow.approve": [moderator.pk],
        "wagtail.publish": [moderator.pk],
    }


# -- helpers for the states a material can be in --------------------------------------------


@pytest.fixture
def make_material(open_project):
    """``make_material(library, author, state="draft", **fields)``: a contribution owned by
    ``author`` in one of the states the dashboard tells apart."""
    from tests.factories import ContributionPageFactory

    def make(library, author, state="draft", moderator=None, comment="", **fields):
        live = state in ("published", "changed")
        page = ContributionPageFactory(
            parent=library, project=open_project, live=live, owner=author, **fields
        )
        if live:
            page.save_revision(user=author).publish(user=moderator or author)
        if state == "changed":  # published, with a newer draft
            page.intro = "Новая редакция"
            page.save_revision(user=author)
        if state in ("in_moderation", "rejected"):
            submit(page, author)
        if state == "rejected":
            decide(page, moderator, "reject", comment=comment)
        return page

    return make


def submit(page, user):
    page.save_revision(user=user)
    page.get_workflow().start(page, user)


def decide(page, user, action, **data):
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    task_state.task.specific.on_action(task_state, user, action, **data)


# -- rejection --------------------------------------------------------------------------------


def test_rejection_reaches_the_submitter_and_the_librarys_other_editors(
    onboard, open_project, moderator
):
    library = onboard(
        "kozelskaya-crb", editors=["author@kozelsk.example", "colleague@kozelsk.example"]
    )
    onboard("borovskaya-crb", editors=["stranger@borovsk.example"], district="Боровский район")
    author = editor("author@kozelsk.example")
    browser = browser_for(author)
    response, page = admin_add_page(
        browser,
        library,
        contribution_form(open_project, "Письма с фронта", "pisma-s-fronta"),
        action="submit",
    )
    assert response.status_code == 302 and not page.live

    mail.outbox.clear()
    comment = "Добавьте подписи к фотографиям и источник писем."
    response = workflow_action(browser_for(moderator), page, "reject", comment=comment)
    assert response.status_code == 302

    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    page.refresh_from_db()
    assert not page.live
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["author@kozelsk.example", "colleague@kozelsk.example"]
    for message in mail.outbox:
        assert comment in message.body
        assert "Письма с фронта" in message.body
    assert PageLogEntry.objects.get(page=page, action="wagtail.workflow.reject").user == moderator

    # The author's dashboard returns it for rework, with the comment.
    sections = material_sections(dashboard(browser))
    count, titles, text = sections["Возвращены на доработку"]
    assert (count, titles) == (1, ["Письма с фронта"])
    assert comment in text
    assert sections["На модерации"][0] == 0
    # The colleague sees the same: it is the library's material.
    assert material_sections(dashboard(browser_for(editor("colleague@kozelsk.example"))))[
        "Возвращены на доработку"
    ][1] == ["Письма с фронта"]


def test_rejection_without_comment_says_so(onboard, make_material, moderator):
    library = onboard("kozelskaya-crb", editors=["author@kozelsk.example"])
    author = editor("author@kozelsk.example")
    make_material(library, author, "rejected", moderator=moderator, title="Без подписи")
    count, titles, text = material_sections(dashboard(browser_for(author)))[
        "Возвращены на доработку"
    ]
    assert (count, titles) == (1, ["Без подписи"])
    assert "Модератор вернул материал без комментария." in text


def test_resubmitted_material_is_back_in_moderation(onboard, make_material, moderator):
    library = onboard("kozelskaya-crb", editors=["author@kozelsk.example"])
    author = editor("author@kozelsk.example")
    page = make_material(library, author, "rejected", moderator=moderator, comment="Исправьте")
    # Wagtail's "resubmit" after rejection restarts the task on the same workflow state.
    page.save_revision(user=author)
    page.current_workflow_state.resume(author)
    sections = material_sections(dashboard(browser_for(author)))
    assert sections["Возвращены на доработку"][0] == 0
    assert sections["На модерации"][:2] == (1, [page.title])


# -- dashboard panels --------------------------------------------------------------------------


def test_library_panel_counts_materials_by_state(onboard, make_material, moderator):
    library = onboard(
        "kozelskaya-crb", editors=["author@kozelsk.example", "colleague@kozelsk.example"]
    )
    other = onboard(
        "borovskaya-crb", editors=["stranger@borovsk.example"], district="Боровский район"
    )
    author, colleague = editor("author@kozelsk.example"), editor("colleague@kozelsk.example")
    for n in range(3):
        make_material(library, author, "draft", title=f"Черновик {n}")
    make_material(library, colleague, "in_moderation", title="На проверке 1")
    make_material(library, author, "in_moderation", title="На проверке 2")
    make_material(library, author, "rejected", moderator=moderator, title="Возвращён")
    make_material(library, author, "published", moderator=moderator, title="Опубликован 1")
    make_material(library, colleague, "published", moderator=moderator, title="Опубликован 2")
    make_material(library, author, "changed", moderator=moderator, title="Правится")
    # Another library's materials are not ours.
    make_material(other, editor("stranger@borovsk.example"), "draft", title="Чужой черновик")
    make_material(other, editor("stranger@borovsk.example"), "in_moderation", title="Чужой")

    sections = material_sections(dashboard(browser_for(author)))
    counts = {title: section[0] for title, section in sections.items()}
    assert counts == {
        "Возвращены на доработку": 1,
        "Черновики": 4,  # three drafts and a published page with a newer draft
        "На модерации": 2,
        "Опубликованы": 2,
    }
    assert sorted(sections["На модерации"][1]) == ["На проверке 1", "На проверке 2"]
    assert sorted(sections["Опубликованы"][1]) == ["Опубликован 1", "Опубликован 2"]
    assert "Правится" in sections["Черновики"][1]
    assert not any("Чужой" in section[2] for section in sections.values())
    # The library page itself is not a material.
    assert library.title not in " ".join(section[2] for section in sections.values())


def test_library_panel_lists_a_few_and_tells_the_total(onboard, make_material):
    from network.moderation import PANEL_ITEMS

    library = onboard("kozelskaya-crb", editors=["author@kozelsk.example"])
    author = editor("author@kozelsk.example")
    for n in range(PANEL_ITEMS + 2):
        make_material(library, author, "draft", title=f"Черновик {n}")
    count, titles, text = material_sections(dashboard(browser_for(author)))["Черновики"]
    assert count == PANEL_ITEMS + 2 and len(titles) == PANEL_ITEMS
    assert f"Всего {PANEL_ITEMS + 2} материалов." in text


def test_moderation_queue_groups_submissions_by_library(onboard, make_material, moderator, book):
    from memorials.models import HeroPage

    kozelsk = onboard("kozelskaya-crb", short_name="Козельская ЦРБ", editors=["a@kozelsk.example"])
    borovsk = onboard(
        "borovskaya-crb",
        short_name="Боровская ЦРБ",
        district="Боровский район",
        editors=["b@borovsk.example"],
    )
    a, b = editor("a@kozelsk.example"), editor("b@borovsk.example")
    make_material(kozelsk, a, "in_moderation", title="Козельск 1")
    make_material(kozelsk, a, "in_moderation", title="Козельск 2")
    make_material(borovsk, b, "in_moderation", title="Боровск 1")
    make_material(borovsk, b, "draft", title="Боровск, черновик")
    make_material(kozelsk, a, "rejected", moderator=moderator, title="Козельск, возвращён")
    # A hero story: under the Book of Memory, submitted by the Borovsk editor.
    response, hero = admin_add_page(
        browser_for(b), book, hero_form("Сидоров"), action="submit", model=HeroPage
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert hero.owner == b and not hero.live

    groups = queue_groups(dashboard(browser_for(moderator)))
    assert groups == {
        "Козельская ЦРБ": ["Козельск 1", "Козельск 2"],
        "Боровская ЦРБ": ["Боровск 1", "Сидоров Иван Иванович"],
    }


def test_each_role_sees_its_own_panel(onboard, make_material, moderator, superuser):
    library = onboard("kozelskaya-crb", editors=["author@kozelsk.example"])
    author = editor("author@kozelsk.example")
    make_material(library, author, "in_moderation")

    as_editor = dashboard(browser_for(author))
    assert panel(as_editor, "library-materials") is not None
    assert panel(as_editor, "moderation-queue") is None
    assert QUEUE not in str(as_editor)

    for user in (moderator, superuser):
        soup = dashboard(browser_for(user))
        assert panel(soup, "moderation-queue") is not None
        assert panel(soup, "library-materials") is None
        assert MATERIALS not in str(soup)


def test_library_dashboard_queries_do_not_grow_with_materials(onboard, make_material, moderator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user):
        client = browser_for(user)
        dashboard(client)  # warm caches (content types, site, settings)
        with CaptureQueriesContext(connection) as context:
            dashboard(client)
        return len(context)

    states = ["draft", "in_moderation", "rejected", "published", "changed"]
    few_library = onboard("few", editors=["few@example.org"])
    many_library = onboard("many", editors=["many@example.org"], district="Боровский район")
    few, many = editor("few@example.org"), editor("many@example.org")
    for n in range(3):
        make_material(few_library, few, states[n % len(states)], moderator=moderator)
    for n in range(15):
        make_material(many_library, many, states[n % len(states)], moderator=moderator)
    assert queries(many) == queries(few)


def test_moderation_queue_queries_do_not_grow_with_submissions(onboard, make_material, moderator):
    """Our panel only: Wagtail's own «awaiting your review» panel costs queries per item."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from network.moderation import ModerationQueuePanel

    def queries():
        request = RequestFactory().get("/admin/")
        request.user = moderator
        with CaptureQueriesContext(connection) as context:
            html = ModerationQueuePanel().render_html({"request": request})
        return len(context), html

    kozelsk = onboard("kozelskaya-crb", editors=["a@kozelsk.example"])
    borovsk = onboard("borovskaya-crb", editors=["b@borovsk.example"], district="Боровский район")
    a, b = editor("a@kozelsk.example"), editor("b@borovsk.example")
    make_material(kozelsk, a, "in_moderation")
    make_material(borovsk, b, "in_moderation")
    few, _html = queries()
    for _ in range(6):
        make_material(kozelsk, a, "in_moderation")
        make_material(borovsk, b, "in_moderation")
    many, html = queries()
    assert many == few
    assert "Ждут решения 14 материалов." in html


# -- scheduled publishing -------------------------------------------------------------------------


def edit_form(page, project, **extra):
    data = contribution_form(project, page.title, page.slug)
    data.update({"go_live_at": "", "expire_at": "", **extra})
    return data


def admin_edit_page(client, page, data, action):
    from wagtail.test.utils.form_data import nested_form_data

    form = nested_form_data(data)
    form[f"action-{action}"] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)


def test_moderator_schedules_publication(onboard, make_material, open_project, moderator):
    library = onboard("kozelskaya-crb", editors=["author@kozelsk.example"])
    page = make_material(library, editor("author@kozelsk.example"), "draft", title="К 9 Мая")
    go_live_at = timezone.localtime() + datetime.timedelta(days=3)
    data = edit_form(page, open_project, go_live_at=go_live_at.strftime("%Y-%m-%d %H:%M"))
    response = admin_edit_page(browser_for(moderator), page, data, "publish")
    assert response.status_code == 302, response.content.decode()[:3000]

    page.refresh_from_db()
    assert not page.live
    scheduled = Revision.page_revisions.filter(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    ).get()
    assert abs(scheduled.approved_go_live_at - go_live_at) < datetime.timedelta(minutes=1)
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.publish.schedule", user=moderator
    ).exists()

    call_command("publish_scheduled", stdout=io.StringIO())
    page.refresh_from_db()
    assert not page.live  # not yet

    # The day comes: the revision's own go_live_at must be past too, so time moves on.
    later = timezone.now() + datetime.timedelta(days=3, minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", stdout=io.StringIO())
    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == scheduled.pk
    assert page.title in Client().get(open_project.url).content.decode()


def test_library_editor_cannot_publish(onboard, make_material, open_project):
    library = onboard("kozelskaya-crb", editors=["author@kozelsk.example"])
    author = editor("author@kozelsk.example")
    page = make_material(library, author, "draft", title="Попытка опубликовать")
    browser = browser_for(author)

    response = admin_edit_page(browser, page, edit_form(page, open_project), "publish")
    # Saved as a draft: Wagtail ignores "publish" from someone without the permission.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    page.refresh_from_db()
    assert not page.live
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()

    # Nor through "add page" with publish.
    response, created = admin_add_page(
        browser,
        library,
        contribution_form(open_project, "Сразу в печать", "srazu-v-pechat"),
        action="publish",
    )
    assert response.status_code == 302
    assert created is not None and not created.live

    # Nor by approving their own submission.
    submit(page, author)
    response = workflow_action(browser, page, "approve", comment="")
    # Refused: back to the dashboard with Wagtail's "permission denied" message.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    page.refresh_from_db()
    assert not page.live
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == (
        WorkflowState.STATUS_IN_PROGRESS
    )
