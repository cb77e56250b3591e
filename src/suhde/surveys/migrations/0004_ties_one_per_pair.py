# One tie per pair, step 2b (data): the rows of one ordered pair in one network become one tie.
#
# Each old row becomes an origin of the kept row: a hand-entered (or imported: the old data does
# not tell them apart) row an "entered" origin, a survey row a "survey" origin of the wave that
# drew it. The hand-entered row is kept when there is one, so its id (in links and exports)
# survives. The tie's strength is then the most recent origin's, its ratings the most recent
# origin's that has them. A survey-only tie loses its date: survey ties carry the wave, not a
# date. Lives in ``surveys`` because only this floor knows which wave drew a row.

from collections import defaultdict

from django.db import migrations

BATCH = 2000


def _current(origins):
    """As ``networks.domain.tie_current_values``: the latest origin's strength, the latest rated
    origin's ratings."""
    ordered = sorted(origins, key=lambda o: (o.recorded_at, o.kind != "survey"), reverse=True)
    rated = [o for o in ordered if (o.knowing, o.trust, o.commitment) != (None, None, None)]
    ratings = (rated[0].knowing, rated[0].trust, rated[0].commitment) if rated else (None,) * 3
    return ordered[0].strength, ratings


def merge(apps, schema_editor):
    Tie = apps.get_model("networks", "Tie")
    TieOrigin = apps.get_model("networks", "TieOrigin")
    WaveTie = apps.get_model("surveys", "WaveTie")
    waves = {
        link.tie_id: (link.pk, link.wave.title, link.wave.closed_at or link.wave.closes_at)
        for link in WaveTie.objects.select_related("wave").filter(tie__isnull=False)
    }
    groups = defaultdict(list)
    for tie in Tie.objects.order_by("id").iterator(chunk_size=BATCH):
        groups[(tie.network_id, tie.source_id, tie.target_id)].append(tie)
    origins, links, kept, gone = [], [], [], []
    for rows in groups.values():
        keep = next((row for row in rows if row.origin != "survey"), rows[0])
        mine = []
        for row in rows:
            if row.origin == "survey":
                link, label, at = waves.get(row.pk, (None, "", row.created_at))
                origin = TieOrigin(
                    tie_id=keep.pk, kind="survey", strength=row.strength, label=label[:200],
                    recorded_at=at,
                )
                if link is not None:
                    links.append((link, origin))
            else:
                origin = TieOrigin(
                    tie_id=keep.pk, kind="entered", strength=row.strength, knowing=row.knowing,
                    trust=row.trust, commitment=row.commitment, recorded_at=row.created_at,
                )
            mine.append(origin)
            if row.pk != keep.pk:
                gone.append(row.pk)
        entered = [o for o in mine if o.kind == "entered"]
        for extra in entered[1:]:  # the old constraint allowed one manual row per pair
            mine.remove(extra)
        origins.extend(mine)
        keep.strength, (keep.knowing, keep.trust, keep.commitment) = _current(mine)
        if keep.origin == "survey":
            keep.since = None
        kept.append(keep)
    TieOrigin.objects.bulk_create(origins, batch_size=BATCH)
    WaveTie.objects.filter(pk__in=[link for link, _ in links]).update(tie=None)
    rows = [WaveTie(pk=link, origin_id=origin.pk) for link, origin in links]
    WaveTie.objects.bulk_update(rows, ["origin"], batch_size=BATCH)
    WaveTie.objects.filter(origin__isnull=True).delete()
    for start in range(0, len(gone), BATCH):
        Tie.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    Tie.objects.bulk_update(
        kept, ["strength", "knowing", "trust", "commitment", "since"], batch_size=BATCH
    )


def split(apps, schema_editor):
    """Back to one row per origin kind: each survey origin that is current becomes its own row."""
    Tie = apps.get_model("networks", "Tie")
    TieOrigin = apps.get_model("networks", "TieOrigin")
    WaveTie = apps.get_model("surveys", "WaveTie")
    for origin in TieOrigin.objects.filter(kind="survey", current=True).select_related("tie"):
        tie = origin.tie
        if tie.origins.exclude(kind="survey").exists():
            row = Tie.objects.create(
                network_id=tie.network_id, source_id=tie.source_id, target_id=tie.target_id,
                origin="survey", strength=origin.strength,
            )
        else:
            row = tie
            Tie.objects.filter(pk=tie.pk).update(origin="survey", strength=origin.strength)
        WaveTie.objects.filter(origin=origin).update(tie=row)
    WaveTie.objects.update(origin=None)
    TieOrigin.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('networks', '0003_tieorigin'),
        ('surveys', '0003_wavetie_origin'),
    ]

    operations = [
        migrations.RunPython(merge, split),
    ]
