"""``manage.py import_libraries LIBRARIES.csv``: onboard partner libraries from a table."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from memorials.exchange import TableError, read_table
from memorials.importer import Problem, RowError, Tally
from network.onboarding import LIBRARY_COLUMNS, REQUIRED_COLUMNS, onboard_library, parse_library


def _validation_message(exc):
    if hasattr(exc, "message_dict"):
        return " ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Подключает библиотеки-участники из CSV (UTF-8 или Windows-1251, разделитель — запятая "
        "или точка с запятой). Столбцы: "
        + ",".join(LIBRARY_COLUMNS)
        + ". Для каждой библиотеки: страница, группа редакторов с правами на её раздел, "
        "коллекция изображений и документов, модерация, учётные записи редакторов "
        "(editors — адреса через «;») с письмом-приглашением задать пароль. "
        "Повторный запуск ничего не задваивает."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", help="CSV с библиотеками")
        parser.add_argument(
            "--no-invite",
            action="store_true",
            help="создать учётные записи, но не отправлять приглашения",
        )
        parser.add_argument(
            "--resend-invites",
            action="store_true",
            help="повторить приглашение редакторам, которые ещё не задали пароль",
        )
        parser.add_argument("--user", help="от чьего имени записывать изменения (логин)")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(*args, **options)

    def _handle(self, *args, **options):
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Пользователь «{options['user']}» не найден.")
        try:
            table = read_table(options["csv"], REQUIRED_COLUMNS)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"Файл не найден: {exc.filename}") from exc

        started = time.monotonic()
        tally = Tally()
        errors, warnings = [], []
        invited = joined = 0
        seen = {}
        # One invitation per editor per run, however many libraries' rows name them.
        already_invited = set()
        total = len(table.rows)
        for number, (line, row) in enumerate(table.rows, start=1):
            slug = (row.get("slug") or "").strip().lower()
            try:
                if slug and slug in seen:
                    raise RowError(f"slug «{slug}» уже был в строке {seen[slug]}.")
                data = parse_library(row)
                seen[data.slug] = line
                outcome = onboard_library(
                    data,
                    actor=actor,
                    invite=not options["no_invite"],
                    resend=options["resend_invites"],
                    already_invited=already_invited,
                )
            except RowError as exc:
                tally.failed += 1
                errors.append(Problem(table.name, line, slug, str(exc)))
            except ValidationError as exc:
                tally.failed += 1
                errors.append(Problem(table.name, line, slug, _validation_message(exc)))
            else:
                setattr(tally, outcome.status, getattr(tally, outcome.status) + 1)
                invited += len(outcome.invited)
                joined += len(outcome.joined)
                for warning in data.warnings:
                    warnings.append(Problem(table.name, line, slug, warning))
            if number % 10 == 0 or number == total:
                self.stderr.write(f"Библиотеки: {number} из {total}")

        for problem in errors:
            self.stderr.write(f"Ошибка: {problem}")
        for problem in warnings:
            self.stdout.write(f"Внимание: {problem}")
        self.stdout.write(f"Библиотеки: {tally.summary()}.")
        self.stdout.write(
            f"Редакторы: добавлено в группы {joined}, отправлено приглашений {invited}."
        )
        self.stdout.write(f"Готово за {time.monotonic() - started:.1f} с.")
        if tally.failed:
            raise CommandError(
                f"Строк с ошибками: {tally.failed}. Исправьте их и загрузите файл снова: "
                "уже подключённые библиотеки не задвоятся.",
                returncode=1,
            )
