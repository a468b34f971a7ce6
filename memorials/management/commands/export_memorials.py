"""``manage.py export_memorials --format csv|geojson [--output FILE] [--heroes FILE]``."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from memorials.exchange import (
    absolute_base_url,
    write_geojson,
    write_heroes_csv,
    write_memorials_csv,
)


class Command(BaseCommand):
    help = (
        "Выгружает опубликованные памятники в CSV (те же столбцы, что при загрузке) или "
        "GeoJSON; --heroes ФАЙЛ — ещё и героев Книги памяти в CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "geojson"], default="csv")
        parser.add_argument("--output", "-o", help="файл (по умолчанию — стандартный вывод)")
        parser.add_argument("--heroes", help="записать героев в этот CSV-файл")

    def handle(self, *args, **options):
        # Messages (and exported labels) in the site's language, whatever the caller's.
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(*args, **options)

    def _handle(self, *args, **options):
        output = options["output"]
        write = self._write_geojson if options["format"] == "geojson" else write_memorials_csv
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="") as stream:
                    write(stream)
            except OSError as exc:
                raise CommandError(f"Не удалось записать {output}: {exc}") from exc
        else:
            write(self._stdout())
        if options["heroes"]:
            try:
                with open(options["heroes"], "w", encoding="utf-8", newline="") as f:
                    write_heroes_csv(f)
            except OSError as exc:
                raise CommandError(f"Не удалось записать {options['heroes']}: {exc}") from exc

    @staticmethod
    def _write_geojson(stream):
        write_geojson(stream, base_url=absolute_base_url())

    def _stdout(self):
        # The raw stream, not the command's wrapper: it adds an ending after every write.
        return getattr(self.stdout, "_out", sys.stdout)
