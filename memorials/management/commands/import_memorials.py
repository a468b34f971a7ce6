"""``manage.py import_memorials MEMORIALS.csv [--heroes HEROES.csv] [--library SLUG] [--draft]``."""

import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from memorials.exchange import HERO_COLUMNS, MEMORIAL_COLUMNS, TableError
from memorials.importer import Importer

#: How many errors are printed in full; the rest are counted (all are in --errors FILE).
PRINTED_ERRORS = 200


class Progress:
    """A progress line on stderr at most every 5 % (or on every call to a non-terminal
    stream, which gets one line per step): long imports show life without flooding logs."""

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.last = {}
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, label, done, total):
        percent = 100 * done // max(total, 1)
        step = percent // 5
        if self.last.get(label) == step and done < total:
            return
        self.last[label] = step
        elapsed = time.monotonic() - self.started
        line = f"{label}: {done} из {total} ({percent} %), {elapsed:.0f} с"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done >= total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Загружает памятники (и героев) из CSV. Столбцы памятников: "
        + ",".join(MEMORIAL_COLUMNS)
        + "; героев: "
        + ",".join(HERO_COLUMNS)
        + ". Повторная загрузка обновляет записи по ref, не создавая дублей."
    )

    def add_arguments(self, parser):
        parser.add_argument("memorials", nargs="?", help="CSV с памятниками")
        parser.add_argument("--heroes", help="CSV с героями Книги памяти")
        parser.add_argument(
            "--library",
            help="slug библиотеки для строк без столбца library (иначе — областная библиотека)",
        )
        parser.add_argument(
            "--draft", action="store_true", help="сохранить черновиками, не публикуя"
        )
        parser.add_argument("--user", help="от чьего имени записывать изменения (логин)")
        parser.add_argument("--errors", help="записать все ошибки в этот файл")

    def handle(self, *args, **options):
        # Messages (and exported labels) in the site's language, whatever the caller's.
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(*args, **options)

    def _handle(self, *args, **options):
        if not options["memorials"] and not options["heroes"]:
            raise CommandError("Укажите файл с памятниками и/или --heroes ФАЙЛ.")
        user = None
        if options["user"]:
            User = get_user_model()
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Пользователь «{options['user']}» не найден.")
        progress = Progress(self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr)
        importer = Importer(
            library=options["library"], draft=options["draft"], user=user, progress=progress
        )
        started = time.monotonic()
        try:
            report = importer.run(options["memorials"], options["heroes"])
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"Файл не найден: {exc.filename}") from exc
        elapsed = time.monotonic() - started

        for problem in report.errors[:PRINTED_ERRORS]:
            self.stderr.write(f"Ошибка: {problem}")
        if len(report.errors) > PRINTED_ERRORS:
            self.stderr.write(f"…и ещё ошибок: {len(report.errors) - PRINTED_ERRORS}")
        for problem in report.warnings[:PRINTED_ERRORS]:
            self.stdout.write(f"Внимание: {problem}")
        if options["errors"]:
            with open(options["errors"], "w", encoding="utf-8") as f:
                for problem in report.errors:
                    f.write(f"{problem}\n")
        if options["memorials"]:
            self.stdout.write(f"Памятники: {report.memorials.summary()}.")
        if options["heroes"]:
            self.stdout.write(f"Герои: {report.heroes.summary()}.")
        mode = " (черновиками)" if options["draft"] else ""
        self.stdout.write(f"Готово за {elapsed:.1f} с{mode}.")
        if report.failed:
            raise CommandError(
                f"Строк с ошибками: {report.failed}. Исправьте их и загрузите файл снова: "
                "уже загруженные строки не задвоятся.",
                returncode=1,
            )
