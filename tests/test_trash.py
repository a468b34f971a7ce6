"""Deleting a page is recoverable: it goes to «Корзина», comes back as a draft, and only
administrators delete for good (``trash``).

- **Every way of deleting** in the admin — the delete view, the explorer's bulk action, the
  admin API — moves the page (with its subtree and its translations) to the trash with its
  revisions; it leaves the public site, the search, the sitemap.
- **Restore** puts it back under its parent, where it was, as a draft — or, when the parent
  is gone, where a moderator chooses; slugs that meet in the trash or on the way back are
  told apart.
- **Who**: moderators and administrators see and restore; only administrators delete for
  good or empty the trash (403 for the others); a library editor sees nothing of the trash
  — neither another library's pages nor their own — and reaches no trashed page by URL.
- **Read-only**: a page in the trash cannot be saved, published, moved or copied.
- The listing costs the same number of queries for 3 or 20 pages.
"""

import json
import re
from urllib.parse import urlencode

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Page, PageLogEntry, Revision
from wagtail_localize.operations import TranslationCreator

import pytest

from network import roles
from projects.models import ContributionPage
from search.models import SearchEntry
from tests.factories import ContributionPageFactory
from tests.partners import build_world
from trash.models import TrashCan, TrashedPage, trash_can
from trash.operations import move_to_trash, restore

pytestmark = pytest.mark.django_db


# -- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        username="moderator@example.org", email="moderator@example.org", password="x"
    )
    user.groups.add(Group.objects.get(name=roles.MODERATORS))
    return user


@pytest.fixture
def moderator_browser(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def library(make_library):
    return make_library(title="Козельская библиотека", slug="kozelsk")


@pytest.fixture
def project(make_project):
    return make_project(title="Бессмертный полк", slug="polk")


def material(parent, project, title, slug, user=None, live=True, revisions=2):
    """A contribution with ``revisions`` revisions, the last one published if ``live``."""
    page = ContributionPageFactory(
        parent=parent, project=project, title=title, slug=slug, live=False
    )
    for number in range(revisions):
        page.intro = f"{title}: версия {number + 1}"
        revision = page.save_revision(user=user)
    if live:
        revision.publish(user=user)
    return ContributionPage.objects.get(pk=page.pk)


def reload(page):
    return Page.objects.get(pk=page.pk)


def revision_ids(page):
    return set(Revision.objects.filter(object_id=str(page.pk)).values_list("pk", flat=True))


def in_trash(page):
    return reload(page).get_parent().specific_class is TrashCan


def delete_url(page):
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def bulk_url(action, *pages):
    """The explorer's bulk ``action`` on ``pages``."""
    query = urlencode([("id", page.pk) for page in pages] + [("next", "/admin/")])
    return reverse("wagtail_bulk_action", args=["wagtailcore", "page", action]) + "?" + query


def publish_in_english(page, english, moderator):
    """``page`` translated (its ancestors too) and the translation published; returns it."""
    creator = TranslationCreator(moderator, [english])
    for each in Page.objects.ancestor_of(page).filter(depth__gt=2):
        creator.create_translations(each)
    creator.create_translations(page)
    translated = page.get_translation(english)
    translated.save_revision(user=moderator).publish(user=moderator)
    return translated


def search_titles(client, query):
    response = client.get("/search/", {"q": query, "format": "json"})
    assert response.status_code == 200
    return [result["title"] for result in json.loads(response.content)["results"]]


def sitemap(client):
    return client.get("/sitemap-materials.xml").content.decode()


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def text_of(response):
    """The response as text; JSON decoded, so \\u escapes of Cyrillic cannot hide it."""
    body = response.content.decode()
    if "json" in response.get("Content-Type", ""):
        body = json.dumps(json.loads(body), ensure_ascii=False)
    return body


def shows_title(response, title):
    """``title`` as a whole title (not the start of a longer one) in the response."""
    return re.search(re.escape(title) + r'\s*(<|")', text_of(response)) is not None


# -- deleting moves to the trash -----------------------------------------------------------


def test_the_delete_view_moves_a_page_to_the_trash_with_its_revisions(
    client, moderator_browser, moderator, library, project
):
    page = material(library, project, "Летопись Козельска", "letopis", moderator)
    revisions = revision_ids(page)
    public_url = page.url
    assert client.get(public_url).status_code == 200
    assert "Летопись Козельска" in search_titles(client, "Козельска")
    assert public_url in sitemap(client)

    confirmation = moderator_browser.get(delete_url(page))
    assert confirmation.status_code == 200
    text = confirmation.content.decode()
    assert "перемещена в корзину" in text and "восстановится черновиком" in text

    response = moderator_browser.post(delete_url(page))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[library.pk])
    assert in_trash(page)
    after = reload(page)
    assert not after.live and after.live_revision_id is None
    assert revision_ids(page) == revisions
    record = TrashedPage.objects.get(page=page)
    assert record.original_parent_id == library.pk and record.deleted_by == moderator
    assert record.was_live and record.published_ids == [page.pk]
    assert record.original_slug == "letopis" and record.original_url_path == page.url_path
    assert PageLogEntry.objects.filter(page=page, action="letopis.trash").exists()

    # Gone from the public site, the search and the sitemap.
    assert client.get(public_url).status_code == 404
    assert "Летопись Козельска" not in search_titles(client, "Козельска")
    assert public_url not in sitemap(client)
    assert reload(page).url is None
    # The index follows the move below the container's view restriction.
    entry = SearchEntry.objects.get(object_id=page.pk)
    assert entry.restriction_path == "p" + reload(page).path
    assert not SearchEntry.objects.filter(object_id=trash_can().pk).exists()


def test_a_parent_goes_to_the_trash_with_its_children(
    client, admin_browser, library, project, superuser
):
    live = material(library, project, "Опубликованный материал", "live", superuser)
    draft = material(library, project, "Черновик", "draft", superuser, live=False)
    revisions = {page.pk: revision_ids(page) for page in (live, draft)}
    live_url = live.url
    assert client.get(live_url).status_code == 200

    response = admin_browser.post(delete_url(library))
    assert response.status_code == 302
    assert in_trash(library)
    for page in (live, draft):
        after = reload(page)
        assert after.get_parent().pk == library.pk
        assert not after.live
        assert revision_ids(page) == revisions[page.pk]
        assert PageLogEntry.objects.filter(page=page, action="letopis.trash").exists()
    record = TrashedPage.objects.get(page=library)
    assert record.descendant_count == 2
    assert set(record.published_ids) == {library.pk, live.pk}
    assert TrashedPage.objects.count() == 1
    assert client.get(live_url).status_code == 404
    assert search_titles(client, "Опубликованный материал") == []


def test_bulk_delete_moves_the_selected_pages_to_the_trash(
    moderator_browser, moderator, library, project
):
    first = material(library, project, "Первый", "first", moderator)
    second = material(library, project, "Второй", "second", moderator, live=False)
    url = bulk_url("delete", first, second)
    confirmation = moderator_browser.get(url)
    assert confirmation.status_code == 200
    assert "будут перемещены в корзину" in confirmation.content.decode()

    response = moderator_browser.post(url)
    assert response.status_code == 302
    assert in_trash(first) and in_trash(second)
    assert TrashedPage.objects.count() == 2
    assert any("перемещены в корзину" in message for message in messages_of(response))
    assert revision_ids(first) and revision_ids(second)


def test_bulk_delete_of_a_parent_and_its_child_trashes_the_subtree_once(
    moderator_browser, moderator, library, project
):
    child = material(library, project, "Материал", "child", moderator)
    url = bulk_url("delete", library, child)
    assert moderator_browser.post(url).status_code == 302
    assert list(TrashedPage.objects.values_list("page_id", flat=True)) == [library.pk]
    assert reload(child).get_parent().pk == library.pk


def test_the_admin_api_delete_action_moves_to_the_trash(
    moderator_browser, moderator, library, project
):
    page = material(library, project, "Через API", "api", moderator)
    response = moderator_browser.post(
        reverse("wagtailadmin_api:pages:action", args=[page.pk, "delete"]),
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 204
    assert in_trash(page) and revision_ids(page)


def test_a_translation_in_the_same_place_goes_along_and_comes_back(
    client, moderator_browser, moderator, library, project, english
):
    page = material(library, project, "Летопись", "letopis", moderator)
    translated = publish_in_english(page, english, moderator)
    english_url = reload(translated).url
    assert client.get(english_url).status_code == 200

    moderator_browser.post(delete_url(page))
    assert in_trash(page) and in_trash(translated)
    records = TrashedPage.objects.order_by("pk")
    assert [record.page_id for record in records] == [page.pk, translated.pk]
    assert len({record.batch for record in records}) == 1
    assert client.get(english_url).status_code == 404

    record = TrashedPage.objects.get(page=page)
    response = moderator_browser.post(
        reverse("trash:restore", args=[record.pk]), {"with_batch": "on"}
    )
    assert response.status_code == 302
    assert reload(page).get_parent().pk == library.pk
    assert reload(translated).get_parent().pk == library.get_translation(english).pk
    assert not reload(translated).live
    assert TrashedPage.objects.count() == 0


def test_an_editor_never_takes_a_published_translation_along(world_free_editor):
    page, translated, editor = world_free_editor
    records = move_to_trash(page, editor)
    assert [record.page_id for record in records] == [page.pk]
    assert reload(translated).live and not in_trash(translated)


@pytest.fixture
def world_free_editor(moderator, library, project, english, django_user_model):
    """A library editor (change, no publish) and a draft of theirs with a published English
    translation made by a moderator."""
    group = Group.objects.create(name="Редакторы: Козельская библиотека")
    roles.set_page_permissions(group, library, roles.LIBRARY_PAGE_PERMISSIONS)
    group.permissions.add(*roles.permissions(roles.LIBRARY_PERMISSIONS))
    editor = django_user_model.objects.create_user(username="editor@example.org", password="x")
    editor.groups.add(group)
    page = material(library, project, "Черновик редактора", "draft", editor, live=False)
    translated = publish_in_english(page, english, moderator)
    assert page.permissions_for_user(editor).can_delete()
    return page, translated, editor


# -- restoring -----------------------------------------------------------------------------


def test_restore_brings_the_page_back_where_it_was_as_a_draft(
    client, moderator_browser, moderator, library, project
):
    before = material(library, project, "Перед", "before", moderator)
    page = material(library, project, "Летопись", "letopis", moderator)
    after = material(library, project, "После", "after", moderator)
    revisions = revision_ids(page)
    move_to_trash(page, moderator)
    record = TrashedPage.objects.get(page=page)

    confirmation = moderator_browser.get(reverse("trash:restore", args=[record.pk]))
    assert confirmation.status_code == 200
    assert "вернётся на прежнее место" in confirmation.content.decode()

    response = moderator_browser.post(reverse("trash:restore", args=[record.pk]))
    assert response.status_code == 302
    restored = reload(page)
    assert restored.get_parent().pk == library.pk
    assert [p.pk for p in library.get_children()] == [before.pk, page.pk, after.pk]
    assert restored.slug == "letopis" and not restored.live
    assert revisions <= revision_ids(page)
    assert restored.specific.library_id == library.pk
    assert not TrashedPage.objects.filter(page=page).exists()
    assert PageLogEntry.objects.filter(page=page, action="letopis.restore").exists()
    history = moderator_browser.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert f"Восстановлена из корзины в «{library.title}» (черновиком)" in history.content.decode()
    assert any("как черновик" in message for message in messages_of(response))
    # A draft until somebody publishes it.
    assert client.get(library.url + "letopis/").status_code == 404
    restored.specific.get_latest_revision().publish(user=moderator)
    assert client.get(library.url + "letopis/").status_code == 200


def test_restore_when_the_parent_is_gone_asks_for_a_new_place(
    moderator_browser, moderator, superuser, make_library, project
):
    old_library = make_library(title="Закрытая библиотека", slug="old")
    new_library = make_library(title="Новая библиотека", slug="new")
    page = material(old_library, project, "Сирота", "orphan", moderator)
    move_to_trash(page, moderator)
    move_to_trash(old_library, superuser)
    record = TrashedPage.objects.get(page=page)
    url = reverse("trash:restore", args=[record.pk])

    # The parent is in the trash itself: a new place is needed.
    response = moderator_browser.get(url)
    assert "Прежнего места этой страницы" in response.content.decode()
    response = moderator_browser.post(url, {})
    assert response.status_code == 200 and in_trash(page)

    # … and once it is deleted for good, too.
    old_record = TrashedPage.objects.get(page=old_library)
    old_record.page.specific.delete()
    record.refresh_from_db()
    assert record.original_parent is None
    response = moderator_browser.post(url, {"parent": str(new_library.pk)})
    assert response.status_code == 302
    assert reload(page).get_parent().pk == new_library.pk
    assert reload(page).specific.library_id == new_library.pk


def test_restore_refuses_a_place_the_page_type_cannot_live_in(
    moderator_browser, moderator, library, project, home_page
):
    page = material(library, project, "Материал", "material", moderator)
    move_to_trash(page, moderator)
    library.specific.delete()
    record = TrashedPage.objects.get(page=page)
    response = moderator_browser.post(
        reverse("trash:restore", args=[record.pk]), {"parent": str(home_page.pk)}
    )
    assert response.status_code == 200
    assert "не может находиться" in response.content.decode()
    assert in_trash(page)


def test_slugs_that_meet_in_the_trash_are_told_apart_and_restored(moderator, make_library, project):
    a = make_library(title="Библиотека А", slug="a")
    b = make_library(title="Библиотека Б", slug="b")
    first = material(a, project, "Черновик А", "draft", moderator, live=False)
    second = material(b, project, "Черновик Б", "draft", moderator, live=False)
    move_to_trash(first, moderator)
    move_to_trash(second, moderator)
    assert reload(first).slug == "draft" and reload(second).slug == "draft-2"
    for page in (first, second):
        outcome = restore(TrashedPage.objects.get(page=page), moderator)
        assert not outcome.slug_changed
        assert reload(page).slug == "draft"


def test_a_taken_slug_is_suffixed_on_restore_with_a_message(
    moderator_browser, moderator, library, project
):
    page = material(library, project, "Летопись", "letopis", moderator)
    move_to_trash(page, moderator)
    newcomer = material(library, project, "Новая летопись", "letopis", moderator)
    record = TrashedPage.objects.get(page=page)
    response = moderator_browser.post(reverse("trash:restore", args=[record.pk]))
    assert response.status_code == 302
    restored = reload(page)
    assert restored.slug == "letopis-2" and reload(newcomer).slug == "letopis"
    assert any("получила адрес «letopis-2»" in message for message in messages_of(response))
    # The draft the editor opens carries the new address, so it saves.
    assert restored.specific.get_latest_revision_as_object().slug == "letopis-2"
    edit = moderator_browser.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert 'value="letopis-2"' in edit.content.decode()


# -- who may see, restore and delete for good ------------------------------------------------


def test_the_listing_shows_who_when_and_where_from(moderator_browser, moderator, library, project):
    page = material(library, project, "Летопись", "letopis", moderator)
    moderator.first_name, moderator.last_name = "Анна", "Модератова"
    moderator.save()
    move_to_trash(page, moderator)
    response = moderator_browser.get(reverse("trash:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Летопись" in html and "Анна Модератова" in html and library.title in html
    assert reverse("trash:restore", args=[TrashedPage.objects.get().pk]) in html
    # Deleting for good is not offered to a moderator.
    assert "Удалить навсегда" not in html and reverse("trash:empty") not in html


def test_a_moderator_can_neither_purge_nor_empty(moderator_browser, moderator, library, project):
    page = material(library, project, "Летопись", "letopis", moderator)
    move_to_trash(page, moderator)
    record = TrashedPage.objects.get()
    for url in (reverse("trash:purge", args=[record.pk]), reverse("trash:empty")):
        assert moderator_browser.get(url).status_code == 403
        assert moderator_browser.post(url).status_code == 403
    # Nor through Wagtail's own delete view or bulk action.
    response = moderator_browser.post(delete_url(page))
    assert response.status_code == 302 and in_trash(page)
    moderator_browser.post(bulk_url("delete", page))
    assert in_trash(page) and TrashedPage.objects.filter(pk=record.pk).exists()
    assert revision_ids(page)


def test_an_administrator_purges_one_page_for_good(admin_browser, superuser, library, project):
    page = material(library, project, "Летопись", "letopis", superuser)
    kept = material(library, project, "Другая", "other", superuser)
    move_to_trash(page, superuser)
    move_to_trash(kept, superuser)
    record = TrashedPage.objects.get(page=page)
    assert admin_browser.get(reverse("trash:purge", args=[record.pk])).status_code == 200
    response = admin_browser.post(reverse("trash:purge", args=[record.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert not revision_ids(page)
    assert in_trash(kept)
    assert PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.delete").exists()


def test_an_administrator_empties_the_trash(admin_browser, superuser, library, project):
    child = material(library, project, "Материал", "child", superuser)
    other = material(library, project, "Другой", "other", superuser)
    move_to_trash(other, superuser)
    move_to_trash(library, superuser)
    gone = [library.pk, child.pk, other.pk]
    index = admin_browser.get(reverse("trash:index")).content.decode()
    assert reverse("trash:empty") in index and "Удалить навсегда" in index
    assert admin_browser.get(reverse("trash:empty")).status_code == 200

    response = admin_browser.post(reverse("trash:empty"))
    assert response.status_code == 302
    assert not Page.objects.filter(pk__in=gone).exists()
    assert not Revision.objects.filter(object_id__in=[str(pk) for pk in gone]).exists()
    assert TrashedPage.objects.count() == 0
    assert trash_can().get_children_count() == 0
    assert "Корзина пуста" in admin_browser.get(reverse("trash:index")).content.decode()


def test_the_listing_costs_the_same_queries_for_3_or_20_pages(
    moderator_browser, moderator, library, project
):
    pages = [
        ContributionPageFactory(parent=library, project=project, slug=f"m-{n}", live=False)
        for n in range(20)
    ]
    for page in pages[:3]:
        move_to_trash(page, moderator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = moderator_browser.get(reverse("trash:index"))
        assert response.status_code == 200
        return len(queries), len(re.findall(r"trash/\d+/restore/", response.content.decode()))

    few, shown = count()
    assert shown == 3
    for page in pages[3:]:
        move_to_trash(page, moderator)
    many, shown = count()
    assert shown == 20
    assert many == few


# -- out of sight and read-only ------------------------------------------------------------


def test_the_trash_is_not_in_the_explorer_nor_the_chooser(
    admin_browser, superuser, library, project
):
    page = material(library, project, "Летопись в корзине", "letopis", superuser)
    move_to_trash(page, superuser)
    can = trash_can()
    explorer = admin_browser.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert f"/admin/pages/{can.pk}/" not in explorer
    chooser = admin_browser.get(reverse("wagtailadmin_choose_page_search"), {"q": "Летопись"})
    assert "Летопись в корзине" not in chooser.content.decode()
    assert not can.live and can.view_restrictions.exists()
    assert admin_browser.get("/korzina/").status_code == 404


def test_a_page_in_the_trash_is_read_only(moderator_browser, moderator, library, project):
    page = material(library, project, "Летопись", "letopis", moderator)
    move_to_trash(page, moderator)
    record = TrashedPage.objects.get()
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    # Viewable: the form (with a warning and a way back), the preview, the history.
    response = moderator_browser.get(edit_url)
    assert response.status_code == 200
    assert reverse("trash:restore", args=[record.pk]) in response.content.decode()
    for name in ("wagtailadmin_pages:view_draft", "wagtailadmin_pages:history"):
        assert moderator_browser.get(reverse(name, args=[page.pk])).status_code == 200

    revisions = revision_ids(page)
    response = moderator_browser.post(
        edit_url,
        {
            "title": "Опубликовано из корзины",
            "slug": "letopis",
            "project": str(project.pk),
            "date": "2020-05-09",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302
    assert not reload(page).live and revision_ids(page) == revisions

    move = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, library.pk])
    moderator_browser.post(move)
    assert in_trash(page)
    moderator_browser.post(bulk_url("publish", page), {"include_descendants": ""})
    assert not reload(page).live
    api = moderator_browser.post(
        reverse("wagtailadmin_api:pages:action", args=[page.pk, "publish"]),
        "{}",
        content_type="application/json",
    )
    assert api.status_code == 400 and not reload(page).live
    move_to_trash(library, moderator)
    add = reverse("wagtailadmin_pages:add", args=["projects", "contributionpage", library.pk])
    assert moderator_browser.get(add).status_code == 302
    assert library.get_children().count() == 0


def test_moderation_of_a_trashed_page_is_cancelled(moderator, library, project, django_user_model):
    page = material(library, project, "На модерации", "in-moderation", moderator, live=False)
    state = page.get_workflow().start(page, moderator)
    move_to_trash(page, moderator)
    state.refresh_from_db()
    assert state.status == state.STATUS_CANCELLED


# -- partner libraries: nothing of the trash -------------------------------------------------


@pytest.fixture(scope="class")
def trashed_world(django_db_setup, django_db_blocker):
    """Built once for the class below (a class keeps its tests together whatever the
    order), rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        for letter in ("A", "B"):
            move_to_trash(world[letter].draft, world.moderator)
            move_to_trash(world[letter].hero, world.moderator)
        yield world
        transaction.set_rollback(True)


class TestPartnerIsolation:
    """Three onboarded libraries (tests/partners.py); a moderator has trashed A's and B's
    drafts and hero stories. Editor A sees none of it and reaches none of it."""

    @pytest.fixture
    def world(self, trashed_world, db):
        return trashed_world

    @pytest.fixture
    def editor_a(self, world, client):
        client.force_login(world["A"].editor)
        return client

    def trashed(self, world, letter, kind="draft"):
        page = getattr(world[letter], kind)
        return page, TrashedPage.objects.get(page=page)

    @pytest.mark.parametrize("letter", ["A", "B"])
    @pytest.mark.parametrize("kind", ["draft", "hero"])
    def test_no_admin_url_reaches_a_trashed_page(self, world, editor_a, letter, kind):
        page, _record = self.trashed(world, letter, kind)
        for name in (
            "wagtailadmin_pages:edit",
            "wagtailadmin_pages:view_draft",
            "wagtailadmin_pages:history",
            "wagtailadmin_pages:revisions_index",
            "wagtailadmin_pages:delete",
            "wagtailadmin_pages:usage",
            "wagtailadmin_explore",
        ):
            response = editor_a.get(reverse(name, args=[page.pk]))
            assert response.status_code == 404, name
        preview = editor_a.post(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]))
        assert preview.status_code == 404

    @pytest.mark.parametrize("letter", ["A", "B"])
    def test_no_trash_url_answers_an_editor(self, world, editor_a, letter):
        _page, record = self.trashed(world, letter)
        before = TrashedPage.objects.count(), Page.objects.count()
        for url in (
            reverse("trash:index"),
            reverse("trash:restore", args=[record.pk]),
            reverse("trash:purge", args=[record.pk]),
            reverse("trash:empty"),
        ):
            for method in ("get", "post"):
                response = getattr(editor_a, method)(url)
                assert response.status_code == 403, (url, method)
                assert "СЕКРЕТ" not in response.content.decode()
        assert (TrashedPage.objects.count(), Page.objects.count()) == before
        assert in_trash(record.page)

    def test_the_editor_has_no_trash_in_the_menu_nor_trashed_pages_anywhere(self, world, editor_a):
        home = editor_a.get(reverse("wagtailadmin_home"))
        assert reverse("trash:index") not in text_of(home)
        # The dashboard's «Материалы моей библиотеки» and the explorer forget them.
        assert not shows_title(home, world["A"].draft.title)
        explorer = editor_a.get(reverse("wagtailadmin_explore", args=[world["A"].library.pk]))
        assert explorer.status_code == 200
        assert shows_title(explorer, world["A"].live.title)
        assert not shows_title(explorer, world["A"].draft.title)
        # Searches by the titles' words (the query itself is echoed on the page): the
        # editor's own material shows, the trashed pages do not.
        control = editor_a.get(reverse("wagtailadmin_pages:search"), {"q": "открыто материал"})
        assert re.search(r"ОТКРЫТО-A-материал\s*<", text_of(control))
        for letter in ("A", "B"):
            for kind, words in (("draft", "секрет новый"), ("hero", "секрет герой")):
                page = getattr(world[letter], kind)
                for name in ("wagtailadmin_pages:search", "wagtailadmin_choose_page_search"):
                    response = editor_a.get(reverse(name), {"q": words})
                    assert response.status_code == 200
                    html = text_of(response)
                    assert re.search(re.escape(page.title) + r"\s*<", html) is None, name
                    assert f"/{page.pk}/" not in html, name
                response = editor_a.get(
                    reverse("wagtailadmin_api:pages:listing"), {"search": words}
                )
                items = json.loads(response.content)["items"]
                assert page.pk not in [item["id"] for item in items]

    def test_the_editor_trashes_an_own_draft_and_is_told_who_restores_it(self, world, editor_a):
        page = world["A"].changed  # published: not theirs to delete
        assert editor_a.post(delete_url(page)).status_code in (302, 403)
        assert not in_trash(page)
        draft = ContributionPageFactory(
            parent=world["A"].library,
            project=world.project,
            title="Черновик A для корзины",
            slug="draft-for-trash",
            live=False,
            owner=world["A"].editor,
        )
        confirmation = editor_a.get(delete_url(draft))
        assert "Вернуть её может модератор сети" in confirmation.content.decode()
        response = editor_a.post(delete_url(draft))
        assert response.status_code == 302
        assert in_trash(draft)
        assert any("модератор" in message for message in messages_of(response))
        assert editor_a.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).status_code == 404

    def test_a_moderator_sees_and_opens_every_library_in_the_trash(self, world, client):
        client.force_login(world.moderator)
        listing = client.get(reverse("trash:index")).content.decode()
        for letter in ("A", "B"):
            assert world[letter].draft.title in listing
            page = world[letter].draft
            for name in (
                "wagtailadmin_pages:edit",
                "wagtailadmin_pages:view_draft",
                "wagtailadmin_pages:history",
            ):
                assert client.get(reverse(name, args=[page.pk])).status_code == 200, name

    def test_a_moderator_restores_another_librarys_draft(self, world, client):
        client.force_login(world.moderator)
        page, record = self.trashed(world, "B")
        response = client.post(reverse("trash:restore", args=[record.pk]))
        assert response.status_code == 302
        assert reload(page).get_parent().pk == world["B"].library.pk
