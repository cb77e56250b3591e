from datetime import datetime, timedelta

from django.utils import timezone

from suhde.decisions import domain
from suhde.workshops import domain as workshops_domain


def decision(network, title="Decision", mode="facilitated", **fields):
    return domain.decision_create(
        network=network, title=title, proposal="We do it.", mode=mode, **fields
    )


def poll(network, **fields):
    return domain.poll_open(
        decision=decision(network, **fields), deadline=timezone.now() + timedelta(days=3)
    )


def meeting(network, title="Network meeting"):
    return workshops_domain.meeting_create(
        network=network,
        user=None,
        title=title,
        starts_at=timezone.make_aware(datetime(2026, 3, 10, 14)),
    )
