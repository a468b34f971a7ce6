"""Login throttling (django-axes) on the Wagtail admin login, and deactivated accounts losing
their sessions."""

from datetime import timedelta

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from axes.models import AccessAttempt

PASSWORD = "correct horse battery"
IP_1 = "203.0.113.1"
IP_2 = "203.0.113.2"
PROXY = "10.0.0.1"
LOCKED = "Слишком много неудачных попыток входа"


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    """The configured limit of five failures; a fixed cool-off and no proxies, whatever the
    environment says."""
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.TRUSTED_PROXY_COUNT = 0


@pytest.fixture
def make_user(django_user_model):
    def make(username, **fields):
        return django_user_model.objects.create_superuser(
            username=username, email=f"{username}@example.org", password=PASSWORD, **fields
        )

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


def log_in(username, password=PASSWORD, ip=IP_1, client=None, **headers):
    """POST the Wagtail admin login form from ``ip`` with a fresh browser (or ``client``)."""
    client = client or Client()
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **headers,
    )


def fail(username, times, ip=IP_1, **headers):
    return [log_in(username, "wrong", ip, **headers).status_code for _ in range(times)]


def user_sessions(user):
    return [
        s.session_key
        for s in Session.objects.all()
        if s.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]


# Throttling


def test_five_failures_lock_the_username_for_that_address(alice):
    # Wrong passwords show the form again, the fifth one locks.
    assert fail("alice", 5) == [200, 200, 200, 200, 429]

    response = log_in("alice")  # the right password does not help now
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content
    assert "15 минут" in content
    assert '<html lang="ru">' in content
    assert reverse("wagtailadmin_password_reset") in content
    assert SESSION_KEY not in Client().session  # nobody got logged in


def test_the_same_username_from_another_address_logs_in(alice):
    fail("alice", 5, ip=IP_1)

    assert log_in("alice", ip=IP_2).status_code == 302


def test_another_username_from_the_locked_address_logs_in(alice, bob):
    fail("alice", 5, ip=IP_1)

    assert log_in("bob", ip=IP_1).status_code == 302
    assert log_in("alice", ip=IP_1).status_code == 429


def test_unknown_usernames_are_locked_too(db):
    """The lockout does not depend on the account existing, so it reveals nothing."""
    assert fail("nobody", 6) == [200, 200, 200, 200, 429, 429]


def test_a_successful_login_before_the_limit_resets_the_count(alice):
    assert fail("alice", 4) == [200] * 4
    assert log_in("alice").status_code == 302

    assert fail("alice", 4) == [200] * 4
    assert log_in("alice").status_code == 302


def test_login_works_again_after_the_cool_off(alice):
    fail("alice", 5)
    assert log_in("alice").status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert log_in("alice").status_code == 302


def test_attempts_during_the_lockout_do_not_extend_it(alice):
    fail("alice", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert log_in("alice", "wrong").status_code == 429  # refused, not counted

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in("alice").status_code == 302


def test_forwarded_for_is_ignored_without_trusted_proxies(alice):
    fail("alice", 5, ip=IP_1)

    # A client cannot pretend to be somewhere else by sending the header itself.
    assert log_in("alice", ip=IP_1, HTTP_X_FORWARDED_FOR=IP_2).status_code == 429


def test_forwarded_for_names_the_client_behind_one_trusted_proxy(settings, alice):
    settings.TRUSTED_PROXY_COUNT = 1
    # Every request arrives from the proxy; the proxy appends the client's address.
    assert fail("alice", 5, ip=PROXY, HTTP_X_FORWARDED_FOR=IP_1)[-1] == 429

    # Another visitor behind the same proxy is not locked out...
    assert log_in("alice", ip=PROXY, HTTP_X_FORWARDED_FOR=IP_2).status_code == 302
    # ...and the locked one cannot escape by prepending an address of its own.
    forged = f"{IP_2}, {IP_1}"
    assert log_in("alice", ip=PROXY, HTTP_X_FORWARDED_FOR=forged).status_code == 429
    assert AccessAttempt.objects.get().ip_address == IP_1


@pytest.mark.parametrize("header", ["", "not-an-address", "203.0.113.999"])
def test_a_missing_or_broken_forwarded_for_falls_back_to_the_connection(settings, alice, header):
    settings.TRUSTED_PROXY_COUNT = 1

    assert log_in("alice", "wrong", ip=PROXY, HTTP_X_FORWARDED_FOR=header).status_code == 200
    assert AccessAttempt.objects.get().ip_address == PROXY


def test_an_inactive_account_fails_like_a_wrong_password(make_user):
    make_user("retired", is_active=False)
    make_user("current")

    inactive = log_in("retired")  # the right password
    wrong = log_in("current", "wrong")

    assert inactive.status_code == wrong.status_code == 200
    assert inactive.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert inactive.context["form"].non_field_errors()


# Deactivation ends sessions


@pytest.fixture
def alice_browser(alice):
    """A browser logged in to the admin as alice through the login form."""
    browser = Client()
    assert log_in("alice", client=browser).status_code == 302
    assert browser.get(reverse("wagtailadmin_home")).status_code == 200
    assert user_sessions(alice)
    return browser


def assert_logged_out(browser):
    response = browser.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_deactivating_in_the_admin_ends_the_sessions(admin_browser, alice, alice_browser):
    response = admin_browser.post(
        reverse("wagtailusers_users:edit", args=[alice.pk]),
        {
            "username": "alice",
            "email": "alice@example.org",
            "first_name": "Алиса",
            "last_name": "Иванова",
            "is_superuser": "on",
            # is_active unticked
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active

    assert user_sessions(alice) == []
    assert_logged_out(alice_browser)

    # Re-activating the account does not bring the old session back.
    alice.is_active = True
    alice.save()
    assert_logged_out(alice_browser)


def test_deactivating_in_code_ends_the_sessions_of_that_user_only(alice, alice_browser, bob):
    bob_browser = Client()
    log_in("bob", client=bob_browser)

    alice.is_active = False
    alice.save()

    assert user_sessions(alice) == []
    assert_logged_out(alice_browser)
    assert bob_browser.get(reverse("wagtailadmin_home")).status_code == 200


def test_bulk_deactivation_in_the_admin_ends_the_sessions(admin_browser, alice, alice_browser):
    """Wagtail's bulk action updates users without saving them one by one."""
    url = reverse("wagtail_bulk_action", args=["auth", "user", "set_active_state"])
    response = admin_browser.post(f"{url}?id={alice.pk}", {"mark_as_active": False})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active

    assert user_sessions(alice) == []
    alice.is_active = True
    alice.save()
    assert_logged_out(alice_browser)


def test_deleting_an_account_ends_its_sessions(alice, alice_browser):
    pk = alice.pk
    alice.delete()

    assert not [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(pk)]
    assert_logged_out(alice_browser)


def test_saving_an_active_account_keeps_its_sessions(alice, alice_browser):
    alice.first_name = "Алиса"
    alice.save()

    assert user_sessions(alice)
    assert alice_browser.get(reverse("wagtailadmin_home")).status_code == 200
