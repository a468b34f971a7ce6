"""``manage.py restore ARCHIVE``: an archive of ``backup`` back into an empty installation
(see ``operations.backup``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from operations.backup import BackupError, restore_backup
from operations.management.commands._summary import megabytes, rows_table


class Command(BaseCommand):
    help = gettext_lazy(
        "Восстанавливает базу данных и медиафайлы из архива команды backup в пустую установку "
        "(новая база после migrate). Сначала проверяет архив целиком; базу загружает одной "
        "транзакцией; затем перестраивает поисковый индекс."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE", help=gettext_lazy("файл архива .tar"))
        parser.add_argument(
            "--check",
            action="store_true",
            help=gettext_lazy(
                "только проверить архив (опись, контрольные суммы, версию схемы), ничего не меняя"
            ),
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help=gettext_lazy("в какую базу восстановить (по умолчанию default)"),
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(**options)

    def _handle(self, archive, check, database, verbosity, **options):
        def report(message):
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            result = restore_backup(archive, using=database, check_only=check, report=report)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if check:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Архив цел и подходит к этой версии сайта: проверено файлов — %(files)s.")
                    % {"files": result.checked}
                )
            )
            return
        if verbosity >= 1:
            self.stdout.write(rows_table(result.rows))
        if result.missing:
            self.stderr.write(
                self.style.WARNING(
                    _("При создании архива не были найдены файлы (их нет и теперь): %(names)s")
                    % {"names": ", ".join(result.missing)}
                )
            )
        if verbosity < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Восстановлено: строк базы — %(rows)s, медиафайлов — %(files)s "
                    "(%(media)s МБ) за %(seconds).1f с."
                )
                % {
                    "rows": sum(result.rows.values()),
                    "files": result.files,
                    "media": megabytes(result.bytes),
                    "seconds": result.seconds,
                }
            )
        )
