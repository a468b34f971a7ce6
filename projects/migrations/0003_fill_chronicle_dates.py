"""Fill ``ChronicleDate`` for the materials published before it existed."""

from django.db import migrations


def fill(apps, schema_editor):
    from projects.chronicle import sync_chronicle_dates

    ContributionPage = apps.get_model("projects", "ContributionPage")
    ChronicleDate = apps.get_model("projects", "ChronicleDate")
    for page in ContributionPage.objects.filter(live=True).only("locale", "live", "body"):
        sync_chronicle_dates(page, model=ChronicleDate)


def empty(apps, schema_editor):
    apps.get_model("projects", "ChronicleDate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_chronicledate")]

    operations = [migrations.RunPython(fill, empty)]
