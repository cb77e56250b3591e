# One tie per pair, step 2b (data): the rows of one ordered pair in one network become one tie.
#
# Each old row becomes an origin of the kept row: a hand-entered (or imported: the old data does
# not tell them apart) row an "entered" origin, a survey row a "survey" origin of the wave that
# drew it. The hand-entered row is kept when there is one, so its id (in links and exports)
# survives. The tie's strength is then the most recent origin's, its ratings the most recent
# origin's that has them. A survey-only tie loses its date: survey ties carry the wave, not a
# date. Lives in ``surveys`` because only this floor knows which wave drew a row.

from itertools import groupby

from django.db import migrations

BATCH = 5000
COLUMNS = (
    "id", "network_id", "source_id", "target_id", "origin", "strength", "knowing", "trust",
    "commitment", "since", "created_at",
)


def _current(origins):
    """As ``networks.domain.tie_current_values``: the latest origin's strength, the latest rated
    origin's ratings. An origin here is (kind, strength, knowing, trust, commitment, at)."""
    ordered = sorted(origins, key=lambda o: (o[5], o[0] != "survey"), reverse=True)
    rated = [o for o in ordered if o[2:5] != (None, None, None)]
    return ordered[0][1], (rated[0][2:5] if rated else (None, None, None))


def _many(connection, sql: str, rows: list) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _sql(connection, apps):
    """The three statements, built from the historical models' own table and column names."""
    q = connection.ops.quote_name

    def table(label):
        return q(apps.get_model(*label.split("."))._meta.db_table)

    def col(label, name):
        return q(apps.get_model(*label.split("."))._meta.get_field(name).column)

    origin, tie, link = "networks.TieOrigin", "networks.Tie", "surveys.WaveTie"
    columns = ["tie", "kind", "strength", "knowing", "trust", "commitment", "label",
               "recorded_at", "current"]
    insert = (
        f"INSERT INTO {table(origin)} ({', '.join(col(origin, c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    update = (
        f"UPDATE {table(tie)} SET "
        + ", ".join(f"{col(tie, c)} = %s" for c in ("strength", "knowing", "trust", "commitment",
                                                   "since"))
        + f" WHERE {col(tie, 'id')} = %s"
    )
    # A pair had at most one survey row (the old constraint), so the kept tie has at most one
    # survey origin: the wave's link moves to it.
    relink = (
        f"UPDATE {table(link)} SET {col(link, 'origin')} = %s WHERE {col(link, 'id')} = %s"
    )
    find = (
        f"SELECT {col(origin, 'tie')}, {col(origin, 'id')} FROM {table(origin)} "
        f"WHERE {col(origin, 'kind')} = 'survey'"
    )
    return insert, update, relink, find


def merge(apps, schema_editor):
    connection = schema_editor.connection
    adapt = connection.ops.adapt_datetimefield_value
    Tie = apps.get_model("networks", "Tie")
    WaveTie = apps.get_model("surveys", "WaveTie")
    waves = {
        tie_id: (link_id, title, closed_at or closes_at)
        for link_id, tie_id, title, closed_at, closes_at in WaveTie.objects.filter(
            tie__isnull=False
        ).values_list("id", "tie_id", "wave__title", "wave__closed_at", "wave__closes_at")
    }
    # Plain tuples, read before anything is written: no cursor stays open on the table that is
    # being changed (SQLite gives no isolation between queries of one connection).
    rows = list(Tie.objects.order_by("network_id", "source_id", "target_id", "id").values_list(
        *COLUMNS
    ))
    origins, kept, gone, links = [], [], [], {}
    for _pair, group in groupby(rows, key=lambda row: row[1:4]):
        group = list(group)
        keep = next((row for row in group if row[4] != "survey"), group[0])
        mine = []
        for pk, _n, _s, _t, kind, strength, knowing, trust, commitment, _since, made in group:
            if kind == "survey":
                link, label, at = waves.get(pk, (None, "", made))
                mine.append(("survey", strength, None, None, None, at, label[:200]))
                if link is not None:
                    links[keep[0]] = link
            elif not any(o[0] == "entered" for o in mine):  # one manual row per pair
                mine.append(("entered", strength, knowing, trust, commitment, made, ""))
        origins += [(keep[0], o[0], *o[1:5], o[6], adapt(o[5]), True) for o in mine]
        gone += [row[0] for row in group if row[0] != keep[0]]
        strength, ratings = _current(mine)
        since = None if keep[4] == "survey" else keep[9]
        if (strength, *ratings, since) != keep[5:10]:
            kept.append((strength, *ratings, since, keep[0]))
    insert, update, relink, find = _sql(connection, apps)
    _many(connection, insert, origins)
    _many(connection, update, kept)
    with connection.cursor() as cursor:
        cursor.execute(find)
        found = dict(cursor.fetchall())
    _many(connection, relink, [(found[tie_id], link) for tie_id, link in links.items()])
    WaveTie.objects.update(tie=None)  # the old link goes in surveys.0005
    WaveTie.objects.filter(origin__isnull=True).delete()
    for start in range(0, len(gone), BATCH):
        Tie.objects.filter(pk__in=gone[start : start + BATCH]).delete()


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
