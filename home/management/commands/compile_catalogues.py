"""Compile the project's gettext catalogues with polib, so no GNU gettext is needed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import polib


class Command(BaseCommand):
    help = "Компилирует каталоги переводов locale/*/LC_MESSAGES/*.po в .mo (без GNU gettext)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{po_path}: не удалось прочитать каталог: {exc}") from exc
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
                self.stdout.write(f"{po_path} → {mo_path.name}")
        self.stdout.write(self.style.SUCCESS(f"Скомпилировано каталогов: {compiled}"))
