"""Build the demo library network (idempotent, deterministic)."""

from django.core.management.base import BaseCommand

from home.demo import load_demo


class Command(BaseCommand):
    help = (
        "Создаёт демонстрационную сеть библиотек: главную страницу, библиотеки, проекты, "
        "материалы, памятники и героев. Повторный запуск ничего не дублирует и не меняет "
        "уже существующие страницы."
    )

    def handle(self, *args, **options):
        self.stdout.write("Демонстрационная сеть:")
        builder = load_demo(stdout=self.stdout, style=self.style)
        self.stdout.write(
            self.style.SUCCESS(f"Готово: создано {builder.created}, уже было {builder.kept}.")
        )
