# One tie per pair, step 1 of 3: the origins table beside the old rows. The rows are merged by
# surveys.0004 (it alone knows which wave drew a survey row); networks.0004 then drops
# ``Tie.origin`` and makes the pair unique.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def _rating(name):
    return models.PositiveSmallIntegerField(
        blank=True,
        null=True,
        validators=[
            django.core.validators.MinValueValidator(1),
            django.core.validators.MaxValueValidator(4),
        ],
        verbose_name=name,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0002_pendingimport_maplayout'),
    ]

    operations = [
        migrations.CreateModel(
            name='TieOrigin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('entered', 'entered by hand'), ('imported', 'imported from a file'), ('survey', 'survey wave')], max_length=16, verbose_name='source')),
                ('strength', models.CharField(choices=[('weak', 'weak'), ('strong', 'strong')], max_length=8, verbose_name='strength')),
                ('knowing', _rating('knowing')),
                ('trust', _rating('trust')),
                ('commitment', _rating('commitment')),
                ('label', models.CharField(blank=True, max_length=200, verbose_name='label')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded')),
                ('current', models.BooleanField(default=True, verbose_name='current')),
                ('tie', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='origins', to='networks.tie', verbose_name='tie')),
            ],
            options={
                'verbose_name': 'tie source',
                'verbose_name_plural': 'tie sources',
                'ordering': ['tie', '-recorded_at', '-id'],
                'indexes': [models.Index(fields=['tie', 'kind'], name='networks_ti_tie_id_abd6a9_idx')],
                'constraints': [
                    models.UniqueConstraint(condition=models.Q(('kind__in', ['entered', 'imported'])), fields=('tie', 'kind'), name='tie_origin_one_entered_one_imported'),
                    models.CheckConstraint(condition=models.Q(('kind__in', ['entered', 'imported', 'survey'])), name='tie_origin_kind_valid'),
                    models.CheckConstraint(condition=models.Q(('strength__in', ['weak', 'strong'])), name='tie_origin_strength_valid'),
                    models.CheckConstraint(condition=models.Q(models.Q(('kind', 'survey'), _negated=True), models.Q(('commitment__isnull', True), ('knowing__isnull', True), ('trust__isnull', True)), _connector='OR'), name='tie_origin_survey_no_ratings'),
                    models.CheckConstraint(condition=models.Q(('knowing__isnull', True), models.Q(('knowing__gte', 1), ('knowing__lte', 4)), _connector='OR'), name='tie_origin_knowing_1_4'),
                    models.CheckConstraint(condition=models.Q(('trust__isnull', True), models.Q(('trust__gte', 1), ('trust__lte', 4)), _connector='OR'), name='tie_origin_trust_1_4'),
                    models.CheckConstraint(condition=models.Q(('commitment__isnull', True), models.Q(('commitment__gte', 1), ('commitment__lte', 4)), _connector='OR'), name='tie_origin_commitment_1_4'),
                ],
            },
        ),
        migrations.RemoveConstraint(
            model_name='tie',
            name='tie_unique_per_origin',
        ),
    ]
