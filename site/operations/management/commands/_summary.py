"""Output shared by the backup and restore commands (a module with a leading underscore is
not a command)."""

from django.utils.translation import gettext as _


def megabytes(size):
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def rows_table(rows):
    """The number of rows per model, one line each (models without rows left out)."""
    lines = [_("Строк по моделям:")]
    width = max((len(label) for label in rows), default=0)
    for label, count in sorted(rows.items()):
        if count:
            lines.append(f"  {label:<{width}}  {count:>8}")
    return "\n".join(lines)
