"""What the organization-pair figures of service paths cost when a wave closes (`make bench`).

The pairs (issue 21) are audited in a second pass after every other figure of the wave. This
times ``surveys.scores.wave_figures`` — all of a wave's group figures and their audit — on the
answers of ``bench/surveys.py``'s wave (500 members in 25 organizations, 30 partners each), with
and without the pair figures, and counts how many pairs were published. No database is involved.
Results replace the "## Service paths" section of docs/benchmarks.md.
"""

import os
import platform
import random
import sys
import time
from datetime import UTC, datetime

from benchkit import cpu_model, section_write
from suhde.surveys import scores

SECTION = "## Service paths"
MEMBERS, PARTNERS, ORGANIZATIONS, K = 500, 30, 25, 5
SECTORS = ("public", "private", "third")


def _answers(seed: int = 500) -> tuple[list, list]:
    rng = random.Random(seed)
    org = {pid: pid % ORGANIZATIONS for pid in range(MEMBERS)}

    def score():
        values = [rng.choice([1, 2, 3, 4, None]) for _ in range(4)]
        return scores.tie_score(values)

    dyads, selves = [], []
    for rater in range(MEMBERS):
        for partner in rng.sample([p for p in range(MEMBERS) if p != rater], PARTNERS):
            dyads.append(
                scores.DyadRow(
                    rater=rater,
                    rater_org=f"Org {org[rater]}",
                    rater_sector=SECTORS[org[rater] % 3],
                    partner=partner,
                    partner_org=f"Org {org[partner]}",
                    partner_sector=SECTORS[org[partner] % 3],
                    level=rng.randint(1, 5),
                    knowing=score(),
                    trust=score(),
                    commitment=score(),
                )
            )
        selves.append(
            scores.SelfRow(rater, f"Org {org[rater]}", SECTORS[org[rater] % 3], rng.randint(1, 5))
        )
    return dyads, selves


def _timed(dyads, selves, *, pairs: bool) -> tuple[float, dict]:
    original = scores.dyad_cells
    if not pairs:
        scores.dyad_cells = lambda row: (c for c in original(row) if c[0] != "organization_pairs")
    try:
        start = time.perf_counter()
        figures, _audited = scores.wave_figures(dyads, selves, K)
        return time.perf_counter() - start, figures
    finally:
        scores.dyad_cells = original


def main() -> int:
    before = os.getloadavg()[0]
    dyads, selves = _answers()
    without, _ = _timed(dyads, selves, pairs=False)
    with_pairs, figures = _timed(dyads, selves, pairs=True)
    after = os.getloadavg()[0]
    cells = figures.get("organization_pairs") or []
    shown = sum(1 for cell in cells if not cell.get("suppressed"))
    section = "\n".join(
        [
            SECTION,
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d} with `python bench/paths.py` (`make bench`) "
            f"on {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}; "
            f"1-minute load {before:.1f} before, {after:.1f} after. All group figures of a wave "
            f"and their audit (`surveys.scores.wave_figures`, k = {K}) for {MEMBERS} members in "
            f"{ORGANIZATIONS} organizations rating {PARTNERS} partners each "
            f"({MEMBERS * PARTNERS:,} answers), without and with the organization pairs that "
            "service paths read (audited in a second pass).",
            "",
            "| figures | time | pairs with answers | pairs published |",
            "|---|---:|---:|---:|",
            f"| without organization pairs | {without:.1f} s | | |",
            f"| with organization pairs | {with_pairs:.1f} s | {len(cells)} | {shown} |",
            "",
        ]
    )
    print(section)
    if "--no-write" not in sys.argv:
        section_write(SECTION, section + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
