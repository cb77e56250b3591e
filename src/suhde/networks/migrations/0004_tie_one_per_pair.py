# One tie per pair, step 3 of 3: the rows are merged (surveys.0004); the old ``origin`` column
# goes and the pair becomes unique.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0003_tieorigin'),
        ('surveys', '0004_ties_one_per_pair'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='tie',
            name='origin',
        ),
        migrations.AddConstraint(
            model_name='tie',
            constraint=models.UniqueConstraint(fields=('network', 'source', 'target'), name='tie_one_per_pair'),
        ),
    ]
