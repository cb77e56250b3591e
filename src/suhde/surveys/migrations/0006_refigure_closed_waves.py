"""Closed waves stored before the privacy auditor get their figures computed again.

Until this runs their figures are shown as suppressed (``common.privacy.figures_public``), never
as they were stored. The work is the current code's (``suhde survey_refigure``); if a later
schema no longer fits it here, the migration says so and the command does it after migrating.
"""

import sys

from django.db import DatabaseError, migrations, transaction

AUDIT_VERSION = 2


def refigure(apps, schema_editor):
    wave_model = apps.get_model("surveys", "Wave")
    outdated = [
        wave.pk
        for wave in wave_model.objects.filter(status="closed").only("snapshot")
        if wave.snapshot and (wave.snapshot.get("figures") or {}).get("audit") != AUDIT_VERSION
    ]
    if not outdated:
        return
    from suhde.surveys.closing import waves_refigure

    try:
        with transaction.atomic():
            waves_refigure()
    except DatabaseError:
        sys.stderr.write(
            "Closed survey waves keep no figures until `suhde survey_refigure` is run.\n"
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_wavetie_origin_required")]

    operations = [migrations.RunPython(refigure, migrations.RunPython.noop)]
