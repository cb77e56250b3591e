# One tie per pair, step 2c: the link to the old tie row goes; every link names an origin.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0004_tie_one_per_pair'),
        ('surveys', '0004_ties_one_per_pair'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='wavetie',
            name='tie',
        ),
        migrations.AlterField(
            model_name='wavetie',
            name='origin',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='wave_link', to='networks.tieorigin'),
        ),
    ]
