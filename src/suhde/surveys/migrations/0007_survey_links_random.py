"""Survey links become stored random tokens, like every other link (common/tokens.py).

Until now a survey link was an HMAC of SECRET_KEY, the wave, the invitation and its generation,
and the invitation stored the SHA-256 of that token. Every link already mailed is kept working
by copying that stored digest into a SurveyLink row: the old token hashes to it whatever the
key is later, so neither this migration nor any later request needs the old key. New mailings
get random tokens; rotating SECRET_KEY from here on breaks no survey link.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def links_keep(apps, schema_editor):
    SurveyInvitation = apps.get_model("surveys", "SurveyInvitation")
    SurveyLink = apps.get_model("surveys", "SurveyLink")
    rows = SurveyInvitation.objects.exclude(token_digest=None).values_list("pk", "token_digest")
    SurveyLink.objects.bulk_create(
        (SurveyLink(invitation_id=pk, token_digest=digest) for pk, digest in rows.iterator()),
        batch_size=1000,
    )


def links_back(apps, schema_editor):
    """Each invitation takes the digest of its oldest link back (the one its first mail
    carried); an invitation without a link gets a digest nobody holds."""
    import secrets

    SurveyInvitation = apps.get_model("surveys", "SurveyInvitation")
    SurveyLink = apps.get_model("surveys", "SurveyLink")
    first: dict[int, str] = {}
    for pk, digest in SurveyLink.objects.order_by("-created_at", "-pk").values_list(
        "invitation_id", "token_digest"
    ):
        first[pk] = digest
    for invitation in SurveyInvitation.objects.all():
        invitation.token_digest = first.get(invitation.pk) or secrets.token_hex(32)
        invitation.save(update_fields=["token_digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0006_refigure_closed_waves"),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_digest", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "invitation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="surveys.surveyinvitation",
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="surveyinvitation",
            name="token_digest",
            field=models.CharField(max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(links_keep, links_back),
        migrations.RemoveField(model_name="surveyinvitation", name="token_digest"),
    ]
