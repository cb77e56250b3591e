"""Small builders for the charter's tests."""

from datetime import date

from suhde.charter import domain


def charter_with(network, *answer_sets, user=None):
    """Save each dict of answers as the next version; return the last version."""
    version = None
    for number, answers in enumerate(answer_sets):
        version, _ = domain.charter_update(
            network=network, user=user, answers=answers, based_on=number
        )
    return version


def goal_with(network, title="Goal", indicators=1, points=0):
    goal = domain.goal_create(
        network=network,
        kind="customer",
        title=title,
        indicators=[
            {"name": f"Indicator {i}", "baseline": 1, "target": 10, "unit": "pcs"}
            for i in range(indicators)
        ],
    )
    for indicator in goal.indicators.all():
        for day in range(points):
            domain.goal_progress_create(
                indicator=indicator, recorded_on=date(2026, 1, 1 + day), value=day + 2
            )
    return goal
