"""Folded copies of names for search and duplicate finding (common/folding.py)."""

from django.db import migrations, models

from suhde.common.folding import fold, organization_key

BATCH = 2000


def fill(apps, schema_editor):
    # Historical models have no custom save; fill the columns here, a batch at a time.
    for label, columns in (("Person", ("search",)), ("Organization", ("search", "key"))):
        model = apps.get_model("networks", label)
        rows = []
        for obj in model.objects.only("id", "name").iterator(chunk_size=BATCH):
            obj.search = fold(obj.name)[:200]
            if label == "Organization":
                obj.key = organization_key(obj.name)[:200]
            rows.append(obj)
            if len(rows) >= BATCH:
                model.objects.bulk_update(rows, columns)
                rows = []
        model.objects.bulk_update(rows, columns)


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0004_tie_one_per_pair"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="organization",
            name="search",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="person",
            name="search",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
