# One tie per pair, step 2a: a wave is linked to the tie's survey origin, not to a tie row. The
# old link may go empty while surveys.0004 merges the rows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0003_tieorigin'),
        ('surveys', '0002_link_bound_to_address'),
    ]

    operations = [
        migrations.AlterField(
            model_name='wavetie',
            name='tie',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='wave_link', to='networks.tie'),
        ),
        migrations.AddField(
            model_name='wavetie',
            name='origin',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='wave_link', to='networks.tieorigin'),
        ),
    ]
