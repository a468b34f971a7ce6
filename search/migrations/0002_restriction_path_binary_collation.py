from django.db import migrations


def binary_collation(apps, schema_editor):
    # Private subtrees are excluded by a range on restriction_path (prefix ≤ path < prefix +
    # U+FFFF). Under a linguistic collation (ru_RU, en_US) that range is not a prefix test;
    # code-point order makes it one. SQLite's default (BINARY) already is code-point order.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE search_searchentry ALTER COLUMN restriction_path TYPE varchar(300) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(binary_collation, migrations.RunPython.noop)]
