"""``locale`` and ``was_live`` were copies of what the page (its locale) and the record
(``published_ids``) already say."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("trash", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="trashedpage", name="locale"),
        migrations.RemoveField(model_name="trashedpage", name="was_live"),
    ]
