"""``manage.py backup DIR``: the database and the media in ``DIR/letopis-YYYYmmdd-HHMMSS.tar``
(see ``operations.backup`` for what is in it and why)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from operations.backup import BackupError, create_backup
from operations.management.commands._summary import megabytes, rows_table


class Command(BaseCommand):
    help = gettext_lazy(
        "Сохраняет базу данных и медиафайлы в один архив letopis-ГГГГММДД-ЧЧММСС.tar в папке "
        "DIR (согласованный снимок базы; восстанавливается командой restore в SQLite или "
        "PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help=gettext_lazy("папка для архива"))
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help=gettext_lazy("какую базу сохранить (по умолчанию default)"),
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(**options)

    def _handle(self, directory, database, verbosity, **options):
        def report(message):
            if verbosity >= 1:
                self.stdout.write(message)

        def warn(message):
            self.stderr.write(self.style.WARNING(message))

        try:
            result = create_backup(directory, using=database, report=report, warn=warn)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 2:
            self.stdout.write(rows_table(result.rows))
        if verbosity >= 1:
            self.stdout.write(
                _(
                    "Строк базы: %(rows)s (моделей: %(models)s), медиафайлов: %(files)s "
                    "(%(media)s МБ)."
                )
                % {
                    "rows": sum(result.rows.values()),
                    "models": sum(1 for count in result.rows.values() if count),
                    "files": result.files,
                    "media": megabytes(result.bytes),
                }
            )
        if result.missing:
            warn(
                _("Не найдено файлов, на которые ссылается база: %(count)s (перечислены выше).")
                % {"count": len(result.missing)}
            )
        if verbosity < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Архив: %(path)s (%(size)s МБ, %(seconds).1f с).")
                % {"path": result.path, "size": megabytes(result.size), "seconds": result.seconds}
            )
        )
