"""Onboarding partner libraries: ``manage.py import_libraries`` and the admin's
«Библиотеки-участники» — pages, groups, permissions, collections, workflow, accounts and
invitations, idempotent on a second run."""

import io
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from django.urls import reverse

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    PageLogEntry,
    WorkflowPage,
)

import pytest

from network.models import LibraryAccess, LibraryPage
from network.roles import (
    LIBRARY_COLLECTION_PERMISSIONS,
    SHARED_COLLECTION,
    SHARED_COLLECTION_PERMISSIONS,
    WORKFLOW,
)
from tests.fixtures.libraries.helpers import *  # noqa: F403 (the fixtures)
from tests.fixtures.libraries.helpers import (
    FIXTURES,
    PASSWORD,
    browser_for,
    editor,
    invitation_link,
    log_in,
    set_password_by_invitation,
)

pytestmark = pytest.mark.django_db

GOOD = FIXTURES / "libraries-utf8.csv"
CP1251 = FIXTURES / "libraries-cp1251.csv"
BAD = FIXTURES / "libraries-bad-rows.csv"
GOOD_EDITORS = [
    "director@kozelsk.example",
    "metodist@kozelsk.example",
    "dyatkovo@bryansk.example",
]


def import_libraries(path, *args):
    """Run the command; return (stdout, stderr). Raises CommandError as the command does."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_libraries", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    """What onboarding creates, counted."""
    return {
        "libraries": LibraryPage.objects.count(),
        "accesses": LibraryAccess.objects.count(),
        "groups": Group.objects.count(),
        "collections": Collection.objects.count(),
        "users": get_user_model().objects.count(),
        "page permissions": GroupPagePermission.objects.count(),
        "collection permissions": GroupCollectionPermission.objects.count(),
        "workflow pages": WorkflowPage.objects.count(),
        "revisions": LibraryPage.objects.filter(latest_revision__isnull=False).count(),
    }


def invitations(to=None):
    messages = [m for m in mail.outbox if "приглашение" in m.subject]
    if to is not None:
        messages = [m for m in messages if to in m.to]
    return messages


def perms(queryset, target):
    return {
        (getattr(row, target).pk, row.permission.content_type.app_label, row.permission.codename)
        for row in queryset.select_related("permission__content_type", target)
    }


# -- the command: files as people make them ------------------------------------------------


def test_import_creates_libraries_with_everything_their_editors_need(library_index, book):
    out, err = import_libraries(GOOD)
    assert "Библиотеки: создано 3, обновлено 0, без изменений 0, с ошибками 0." in out
    assert "Редакторы: добавлено в группы 4, отправлено приглашений 3." in out
    assert "Ошибка" not in err

    kozelsk = LibraryPage.objects.get(slug="kozelskaya-crb")
    assert kozelsk.get_parent().pk == library_index.pk and kozelsk.live
    assert kozelsk.title == "Козельская центральная районная библиотека"
    assert kozelsk.address == "г. Козельск, ул. Большая Советская, 18"
    assert kozelsk.website == "https://kozelsk-library.example"
    assert str(kozelsk.latitude) == "54.032640"
    village = LibraryPage.objects.get(slug="nizhneprysskaya")
    assert village.library_type == "rural" and village.region == "Калужская область"
    bryansk = LibraryPage.objects.get(slug="dyatkovskaya")
    assert (bryansk.library_type, bryansk.region) == ("partner", "Брянская область")
    # Logged once (Page.save logs the creation; onboarding must not log it again).
    assert PageLogEntry.objects.filter(page=kozelsk, action="wagtail.create").count() == 1

    access = kozelsk.access
    group = access.group
    # Page permissions: add and change on the library, add on the Book of Memory; nothing else.
    assert perms(GroupPagePermission.objects.filter(group=group), "page") == {
        (kozelsk.pk, "wagtailcore", "add_page"),
        (kozelsk.pk, "wagtailcore", "change_page"),
        (book.pk, "wagtailcore", "add_page"),
    }
    assert set(group.permissions.values_list("codename", flat=True)) == {"access_admin"}
    # Collection permissions: its own collection, and choosing from the shared one.
    assert access.collection.name == "Козельская ЦРБ"
    own = GroupCollectionPermission.objects.filter(group=group, collection=access.collection)
    assert {f"{app}.{codename}" for _pk, app, codename in perms(own, "collection")} == set(
        LIBRARY_COLLECTION_PERMISSIONS
    )
    shared = GroupCollectionPermission.objects.filter(group=group).exclude(
        collection=access.collection
    )
    assert {row.collection.name for row in shared} == {SHARED_COLLECTION}
    assert {f"{app}.{codename}" for _pk, app, codename in perms(shared, "collection")} == set(
        SHARED_COLLECTION_PERMISSIONS
    )
    # Every library has its own group and collection.
    assert len({a.group_id for a in LibraryAccess.objects.all()}) == 3
    assert len({a.collection_id for a in LibraryAccess.objects.all()}) == 3

    # Moderation applies to the library's subtree (and to the Book of Memory).
    assert WorkflowPage.objects.get(page=kozelsk).workflow.name == WORKFLOW
    assert WorkflowPage.objects.get(page=book).workflow.name == WORKFLOW
    assert kozelsk.get_workflow().name == WORKFLOW

    # Accounts: username = e-mail, no usable password; one editor in two libraries.
    director = editor("director@kozelsk.example")
    assert director.email == "director@kozelsk.example"
    assert not director.has_usable_password() and director.is_active
    assert not director.is_superuser and not director.is_staff
    metodist = editor("metodist@kozelsk.example")
    assert set(metodist.groups.all()) == {kozelsk.access.group, village.access.group}
    assert list(editor("dyatkovo@bryansk.example").groups.all()) == [bryansk.access.group]


def test_windows_1251_semicolon_file(library_index, book):
    out, _err = import_libraries(CP1251)
    assert "создано 2, обновлено 0, без изменений 0, с ошибками 0" in out
    tarusa = LibraryPage.objects.get(slug="tarusskaya-crb")
    assert tarusa.title == "Тарусская центральная районная библиотека"
    assert tarusa.library_type == "central"
    assert tarusa.address == "г. Таруса, ул. Ленина, 17"
    assert (str(tarusa.latitude), str(tarusa.longitude)) == ("54.723145", "37.181956")
    barytino = LibraryPage.objects.get(slug="baryatinskaya")
    assert barytino.library_type == "rural" and barytino.latitude is None
    assert barytino.access.group.user_set.count() == 0
    assert [m.to for m in invitations()] == [["tarusa@biblioteki.example"]]


def test_bad_rows_are_reported_by_line_and_good_rows_kept(library_index, book):
    with pytest.raises(CommandError) as caught:
        import_libraries(BAD)
    assert caught.value.returncode == 1
    assert "Строк с ошибками: 7" in str(caught.value)

    # Run again to read what it wrote (call_command's streams are lost with the exception).
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_libraries", str(BAD), stdout=out, stderr=err)
    errors = [line for line in err.getvalue().splitlines() if line.startswith("Ошибка: ")]
    expected = {
        3: "Тип библиотеки «передвижная» не известен",
        4: "Района «Тридевятый район» нет в справочнике районов (Калужская область).",
        5: "«не-почта» — не адрес электронной почты (editors).",
        6: "Широта «пятьдесят четыре» — не число.",
        7: "slug «good-one» уже был в строке 2.",
        8: "Не указано название библиотеки (name).",
        9: "slug «Козельская ЦРБ»: только латинские буквы, цифры и дефисы",
    }
    assert len(errors) == len(expected), errors
    for line, reason in expected.items():
        [found] = [e for e in errors if f"строка {line} " in e or f"строка {line}:" in e]
        assert reason in found, found
        assert str(BAD) in found
    # Good rows (before and after the bad ones, after a blank line) were kept; on the second
    # run they are unchanged.
    assert set(LibraryPage.objects.values_list("slug", flat=True)) == {"good-one", "good-two"}
    assert "создано 0, обновлено 0, без изменений 2, с ошибками 7" in out.getvalue()
    assert {m.to[0] for m in invitations()} == {"one@good.example", "two@good.example"}
    # Nothing of the bad rows was created: no account from the row with a bad address.
    assert not get_user_model().objects.filter(username="ok@good.example").exists()


def test_second_run_changes_nothing(library_index, book):
    import_libraries(GOOD)
    import_libraries(CP1251)
    before = snapshot()
    sent = len(mail.outbox)
    log_entries = PageLogEntry.objects.count()

    out, err = import_libraries(GOOD)
    assert "Ошибка" not in err
    assert "Библиотеки: создано 0, обновлено 0, без изменений 3, с ошибками 0." in out
    assert "Редакторы: добавлено в группы 0, отправлено приглашений 0." in out
    out, _err = import_libraries(CP1251)
    assert "создано 0, обновлено 0, без изменений 2, с ошибками 0" in out
    assert snapshot() == before
    assert len(mail.outbox) == sent
    assert PageLogEntry.objects.count() == log_entries


def test_a_changed_row_updates_the_library_and_keeps_its_group(library_index, book, tmp_path):
    import_libraries(GOOD)
    group = LibraryPage.objects.get(slug="kozelskaya-crb").access.group
    changed = tmp_path / "changed.csv"
    changed.write_text(
        GOOD.read_text(encoding="utf-8").replace(
            "Козельская ЦРБ,central", "Козельская библиотека,central"
        ),
        encoding="utf-8",
    )
    before = snapshot()
    out, _err = import_libraries(changed)
    assert "создано 0, обновлено 1, без изменений 2" in out
    kozelsk = LibraryPage.objects.get(slug="kozelskaya-crb")
    assert kozelsk.short_name == "Козельская библиотека" and not kozelsk.has_unpublished_changes
    assert kozelsk.access.group == group
    group.refresh_from_db()
    assert group.name == "Редакторы: Козельская библиотека"
    after = snapshot()
    assert after == before


# -- invitations --------------------------------------------------------------------------------


def test_one_invitation_per_new_editor_with_a_working_link_and_no_password(library_index, book):
    import_libraries(GOOD)
    assert sorted(m.to[0] for m in invitations()) == sorted(GOOD_EDITORS)
    for email in GOOD_EDITORS:
        [message] = invitations(email)
        user = editor(email)
        assert not user.has_usable_password()
        assert "Ваш логин — адрес этой почты: " + email in message.body
        assert "/admin/login/" in message.body
        assert not re.search(r"парол\w*\s*:", message.body, re.IGNORECASE)
        assert user.password not in message.body

    # The link sets a password, once; the editor logs in with it.
    browser = Client()
    response = set_password_by_invitation(browser, "director@kozelsk.example")
    assert response.status_code == 302
    assert editor("director@kozelsk.example").check_password(PASSWORD)
    assert log_in(Client(), "director@kozelsk.example").status_code == 302
    [message] = invitations("director@kozelsk.example")
    used = Client().get(invitation_link(message))
    assert used.status_code == 200 and "new_password1" not in used.content.decode()


def test_no_invite_sends_nothing(library_index, book):
    out, _err = import_libraries(GOOD, "--no-invite")
    assert "отправлено приглашений 0" in out
    assert mail.outbox == []
    assert get_user_model().objects.filter(username__in=GOOD_EDITORS).count() == 3


def test_resend_invites_only_to_those_without_a_password(library_index, book):
    import_libraries(GOOD, "--no-invite")
    director = editor("director@kozelsk.example")
    director.set_password(PASSWORD)
    director.save()

    out, _err = import_libraries(GOOD, "--resend-invites")
    assert "отправлено приглашений 2" in out
    assert sorted(m.to[0] for m in invitations()) == [
        "dyatkovo@bryansk.example",
        "metodist@kozelsk.example",  # once, though in two libraries' rows
    ]

    # Without the flag a second run sends nothing again.
    mail.outbox.clear()
    import_libraries(GOOD)
    assert mail.outbox == []


def test_demo_libraries_table_matches_the_demo():
    from home.demo import load_demo
    from network.demo import DEMO_CSV

    with TestCase.captureOnCommitCallbacks(execute=True):
        load_demo()
    onboarded = LibraryAccess.objects.count()
    rows = len(DEMO_CSV.read_text(encoding="utf-8").strip().splitlines()) - 1
    assert onboarded == rows
    assert mail.outbox == []  # the demo invites nobody

    before = snapshot()
    out, err = import_libraries(DEMO_CSV)  # exits normally: no CommandError
    assert f"создано 0, обновлено 0, без изменений {rows}, с ошибками 0" in out
    assert "Ошибка" not in err
    assert "Внимание" not in out
    assert snapshot() == before
    # No invitations for accounts made by the demo… unless asked to resend.
    assert mail.outbox == []


# -- the admin's «Библиотеки-участники» ------------------------------------------------------


ONBOARD_FORM = {
    "name": "Ворсинская сельская библиотека",
    "short_name": "Ворсинская библиотека",
    "slug": "vorsinskaya",
    "type": "rural",
    "region": "Калужская область",
    "district": "Боровский район",
    "settlement": "с. Ворсино",
    "address": "с. Ворсино, ул. Молодёжная, 3",
    "latitude": "55,182105",
    "longitude": "36.372741",
    "website": "",
    "editors": "vorsino@biblioteki.example\nhelper@biblioteki.example",
}


def test_moderator_onboards_a_library_in_the_admin(library_index, book, moderator):
    import_libraries(GOOD, "--no-invite")
    browser = browser_for(moderator)

    response = browser.get(reverse("network_libraries"))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ["Козельская центральная районная библиотека", "Дятьковская центральная"]:
        assert title in html
    assert reverse("network_onboard") in html
    # The menu item (the sidebar is JSON: its label is escaped, its URL is not).
    menu_item = f'"url": "{reverse("network_libraries")}"'
    assert menu_item in browser.get(reverse("wagtailadmin_home")).content.decode()

    assert browser.get(reverse("network_onboard")).status_code == 200
    response = browser.post(reverse("network_onboard"), ONBOARD_FORM)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("network_libraries")
    library = LibraryPage.objects.get(slug="vorsinskaya")
    assert library.live and library.get_parent().pk == library_index.pk
    assert str(library.latitude) == "55.182105"
    access = library.access
    assert access.group.name == "Редакторы: Ворсинская библиотека"
    assert set(access.group.user_set.values_list("username", flat=True)) == {
        "vorsino@biblioteki.example",
        "helper@biblioteki.example",
    }
    assert sorted(m.to[0] for m in invitations()) == [
        "helper@biblioteki.example",
        "vorsino@biblioteki.example",
    ]
    assert PageLogEntry.objects.get(page=library, action="wagtail.create").user == moderator
    assert WorkflowPage.objects.get(page=library).workflow.name == WORKFLOW
    followed = browser.get(reverse("network_libraries")).content.decode()
    assert "Библиотека «Ворсинская сельская библиотека» подключена." in followed


def test_onboarding_form_error_in_russian_keeps_the_data(library_index, book, moderator):
    browser = browser_for(moderator)
    before = snapshot()
    response = browser.post(
        reverse("network_onboard"), {**ONBOARD_FORM, "district": "Тридевятый район"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Района «Тридевятый район» нет в справочнике районов (Калужская область)." in html
    for value in ["Ворсинская сельская библиотека", "vorsinskaya", "Тридевятый район"]:
        assert f'value="{value}"' in html
    assert "vorsino@biblioteki.example" in html
    assert snapshot() == before
    assert mail.outbox == []

    response = browser.post(reverse("network_onboard"), {**ONBOARD_FORM, "slug": ""})
    assert response.status_code == 200
    assert "Требуется заполнить это поле." in response.content.decode()
    assert snapshot() == before


def test_moderator_invites_an_editor(library_index, book, moderator):
    import_libraries(GOOD, "--no-invite")
    access = LibraryPage.objects.get(slug="kozelskaya-crb").access
    browser = browser_for(moderator)
    url = reverse("network_invite", args=[access.pk])
    assert browser.get(url).status_code == 200

    response = browser.post(url, {"email": "New.Editor@Kozelsk.example"})
    assert response.status_code == 302
    user = editor("new.editor@kozelsk.example")
    assert list(user.groups.all()) == [access.group]
    assert [m.to for m in invitations()] == [["new.editor@kozelsk.example"]]

    # An editor who already set a password is added, without an invitation.
    mail.outbox.clear()
    director = editor("director@kozelsk.example")
    director.set_password(PASSWORD)
    director.save()
    other = LibraryPage.objects.get(slug="dyatkovskaya").access
    response = browser.post(
        reverse("network_invite", args=[other.pk]), {"email": "director@kozelsk.example"}
    )
    assert response.status_code == 302
    assert other.group in director.groups.all()
    assert mail.outbox == []

    response = browser.post(url, {"email": "не почта"})
    assert response.status_code == 200
    assert "Введите правильный адрес электронной почты." in response.content.decode()


def test_library_editors_cannot_onboard_or_invite(library_index, book):
    import_libraries(GOOD, "--no-invite")
    director = editor("director@kozelsk.example")
    access = LibraryPage.objects.get(slug="kozelskaya-crb").access
    browser = browser_for(director)
    before = snapshot()

    urls = [
        reverse("network_libraries"),
        reverse("network_onboard"),
        reverse("network_invite", args=[access.pk]),
    ]
    home = reverse("wagtailadmin_home")
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    for url in urls:
        response = browser.get(url)
        assert (response.status_code, response["Location"]) == (302, home), url
    for url, data in [(urls[1], ONBOARD_FORM), (urls[2], {"email": "friend@kozelsk.example"})]:
        response = browser.post(url, data)
        assert (response.status_code, response["Location"]) == (302, home), url
    assert snapshot() == before
    assert mail.outbox == []
    assert not LibraryPage.objects.filter(slug="vorsinskaya").exists()
    assert not get_user_model().objects.filter(username="friend@kozelsk.example").exists()
    dashboard = browser.get(home).content.decode()
    assert "У вас нет прав" in dashboard or "нет доступа" in dashboard.lower()
    assert f'"url": "{reverse("network_libraries")}"' not in dashboard

    # Anonymous visitors are sent to the login form.
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
