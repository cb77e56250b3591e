"""Polls from before named and anonymous polls existed become anonymous, without loss.

Their voters were told that only the distribution is shown and a name only with a formal
disagreement they chose to sign; an anonymous poll keeps exactly that promise. Each ballot
becomes a voter-list entry (who, and by which channel) and a secret ballot (what, with a copy of
the name where the voter signed), joined by nothing but the keyed hash that lets the voter change
it (docs/privacy.md). Voter entries are written in the order of the people's ids, not the order
of the ballots, so that not even their ids follow the order in which people voted.
"""

import hashlib
import hmac
import uuid

from django.conf import settings
from django.db import migrations


def _key(poll_id: int, person_id: int) -> str:
    # The same key as suhde.decisions.models.ballot_key; written out so the migration stays fixed.
    secret = hashlib.sha256(("suhde-poll-ballot:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(secret, f"{poll_id}:{person_id}".encode(), hashlib.sha256).hexdigest()


def forwards(apps, schema_editor):
    Poll = apps.get_model("decisions", "Poll")
    Ballot = apps.get_model("decisions", "Ballot")
    Voter = apps.get_model("decisions", "Voter")
    SecretBallot = apps.get_model("decisions", "SecretBallot")
    for poll in Poll.objects.all():
        ballots = list(Ballot.objects.filter(poll=poll).select_related("person"))
        poll.anonymous = True
        poll.results = "closed"
        poll.save(update_fields=["anonymous", "results"])
        secret = [
            SecretBallot(
                id=uuid.uuid4(),
                poll=poll,
                key=_key(poll.pk, b.person_id),
                point=b.point,
                signed=b.person.name if b.named and b.point in (6, 7) else "",
                reason=b.reason,
            )
            for b in ballots
        ]
        secret.sort(key=lambda s: s.id.hex)
        SecretBallot.objects.bulk_create(secret)
        Voter.objects.bulk_create(
            Voter(poll=poll, person_id=b.person_id, channel=b.channel)
            for b in sorted(ballots, key=lambda b: b.person_id)
        )
        Ballot.objects.filter(poll=poll).delete()


def backwards(apps, schema_editor):
    Poll = apps.get_model("decisions", "Poll")
    Ballot = apps.get_model("decisions", "Ballot")
    Voter = apps.get_model("decisions", "Voter")
    SecretBallot = apps.get_model("decisions", "SecretBallot")
    for poll in Poll.objects.filter(anonymous=True):
        secret = {s.key: s for s in SecretBallot.objects.filter(poll=poll)}
        for voter in Voter.objects.filter(poll=poll):
            found = secret.get(_key(poll.pk, voter.person_id))
            if found is None or found.point is None or not 1 <= found.point <= 8:
                continue
            Ballot.objects.create(
                poll=poll,
                person_id=voter.person_id,
                point=found.point,
                named=bool(found.signed),
                reason=found.reason,
                channel=voter.channel,
            )
        Voter.objects.filter(poll=poll).delete()
        SecretBallot.objects.filter(poll=poll).delete()


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_polls_kinds_anonymous_comments")]

    operations = [migrations.RunPython(forwards, backwards)]
