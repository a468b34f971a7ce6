"""The project's foundation: settings, commands, slugs, plural forms, the API."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

import pytest

from home.text import plural_ru, slugify_ru, transliterate

ROOT = Path(__file__).resolve().parent.parent


def run_python(code, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "settings.production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "letopis.example.org",
    "BASE_URL": "https://letopis.example.org",
    "DATABASE_URL": "postgres://letopis@127.0.0.1:5432/letopis",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PYTHONPATH": str(ROOT / "site"),
}
LOAD_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_production_settings_refuse_to_start_without_a_secret(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_python(LOAD_SETTINGS, env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_settings_start_with_every_variable_set():
    result = run_python(LOAD_SETTINGS, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_wsgi_application_loads_with_production_settings():
    result = run_python("import wsgi; print(type(wsgi.application).__name__)", PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "WSGIHandler"


def test_languages_and_time_zone():
    assert settings.LANGUAGE_CODE == "ru"
    assert settings.TIME_ZONE == "Europe/Moscow"
    assert [code for code, _ in settings.LANGUAGES] == ["ru", "en"]
    assert settings.WAGTAIL_I18N_ENABLED
    assert "wagtail_localize" in settings.INSTALLED_APPS


def test_admin_makes_no_calls_outside():
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


@pytest.mark.django_db
def test_admin_dashboard_loads_nothing_from_outside(admin_browser):
    response = admin_browser.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html
    assert "releases.wagtail" not in html


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Наши памятники – наши герои", "nashi-pamyatniki-nashi-geroi"),
        ("Листая «Летопись…» войны", "listaya-letopis-vojny"),
        ("Щёкино: хроника", "shhyokino-xronika"),
        ("Year 2020", "year-2020"),
        ("«»", ""),
    ],
)
def test_cyrillic_titles_get_transliterated_slugs(title, slug):
    assert slugify_ru(title) == slug


def test_transliteration_keeps_capitals():
    assert transliterate("Жуковка") == "Zhukovka"


@pytest.mark.django_db
def test_pages_created_by_code_get_ascii_slugs(root_page):
    from home.models import HomePage

    page = HomePage(title="Сельская библиотека")
    root_page.add_child(instance=page)
    assert page.slug == "selskaya-biblioteka"
    twin = HomePage(title="Сельская библиотека")
    root_page.add_child(instance=twin)
    assert twin.slug == "selskaya-biblioteka-2"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "библиотека"), (2, "библиотеки"), (4, "библиотеки"), (5, "библиотек"),
        (11, "библиотек"), (12, "библиотек"), (14, "библиотек"), (21, "библиотека"),
        (22, "библиотеки"), (87, "библиотек"), (101, "библиотека"), (111, "библиотек"),
        (117, "библиотек"), (122, "библиотеки"), (0, "библиотек"),
    ],
)  # fmt: skip
def test_russian_plural_forms(number, expected):
    assert plural_ru(number, "библиотека", "библиотеки", "библиотек") == expected


@pytest.mark.django_db
def test_ensure_admin_prints_login_and_keeps_the_account(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("ADMIN_USERNAME", "editor-in-chief")
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    printed = out.getvalue()
    password = printed.split("пароль:")[1].split()[0]
    user = get_user_model().objects.get(username="editor-in-chief")
    assert user.is_superuser and user.check_password(password)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "уже есть" in out.getvalue()
    user.refresh_from_db()
    assert user.check_password(password)


@pytest.mark.django_db
def test_ensure_admin_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_USERNAME", "admin")
    monkeypatch.setenv("ADMIN_PASSWORD", "s3cret-pass-phrase")
    call_command("ensure_admin", stdout=StringIO())
    assert get_user_model().objects.get(username="admin").check_password("s3cret-pass-phrase")


@pytest.mark.django_db
def test_api_lists_pages(client, home_page):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert home_page.title in titles


def test_message_catalogues_compile(tmp_path, settings):
    import shutil

    for code in ("ru", "en"):
        target = tmp_path / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(ROOT / "locale" / code / "LC_MESSAGES" / "django.po", target / "django.po")
    settings.LOCALE_PATHS = [tmp_path]
    out = StringIO()
    call_command("compile_catalogues", stdout=out)
    assert (tmp_path / "en" / "LC_MESSAGES" / "django.mo").stat().st_size > 0
    assert "Скомпилировано каталогов: 2" in out.getvalue()


def test_readme_documents_every_environment_variable():
    """Every variable the settings read is in the README's table (keep the README true)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pattern = re.compile(
        r"""(?:environ\.get|required|env_bool|env_count|env_list)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    )
    names = {
        name
        for path in (ROOT / "site" / "settings").glob("*.py")
        for name in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert len(names) > 20
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []
