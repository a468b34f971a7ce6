"""Create the first administrator account for a development or demo installation."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Создаёт учётную запись администратора (ADMIN_USERNAME, по умолчанию admin) и печатает "
        "логин и пароль. Пароль берётся из ADMIN_PASSWORD или создаётся случайный. "
        "Существующая учётная запись не меняется, если ADMIN_PASSWORD не задан."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("ADMIN_USERNAME") or "admin"
        password = os.environ.get("ADMIN_PASSWORD") or ""
        user = User.objects.filter(username=username).first()
        if user is not None and not password:
            self.stdout.write(
                f"Администратор «{username}» уже есть; пароль не изменён "
                "(задайте ADMIN_PASSWORD, чтобы сменить его)."
            )
            return
        password = password or secrets.token_urlsafe(12)
        if user is None:
            user = User(username=username, email=f"{username}@localhost")
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Вход в редакторскую: http://127.0.0.1:{os.environ.get('PORT') or 8000}/admin/"
            )
        )
        self.stdout.write(f"  логин:  {username}\n  пароль: {password}")
