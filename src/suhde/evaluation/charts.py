"""Charts of the dashboard, drawn by matplotlib on the server as SVG or PNG.

Each chart draws only what the page's table beside it shows: the suppressed public figures. A
hidden cell is drawn as an empty, hatched square, never with its value. Matplotlib's object API
(``Figure``) is used, not pyplot, so drawing is safe in a threaded server.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from suhde.common.numbers import format_decimal
from suhde.common.svg import svg_without_styles
from suhde.networks.models import Sector
from suhde.surveys.snapshot import snapshot_closed

from .queries import DIMENSIONS, Comparison, Dashboard

# Okabe–Ito, as everywhere in Suhde; one hatch per dimension so colour is not the only cue.
COLOURS = {"knowing": "#0072B2", "trust": "#E69F00", "commitment": "#009E73"}
HATCHES = {"knowing": "", "trust": "//", "commitment": ".."}
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
CHARTS = ("indices", "heatmap", "strength", "map")
COMPARE_CHARTS = ("indices", "ties")


def _dimension_label(dim: str) -> str:
    return {"knowing": _("Knowing"), "trust": _("Trust"), "commitment": _("Keeps promises")}[dim]


def _sector_label(key: str) -> str:
    return str(Sector(key).label).capitalize() if key in Sector.values else key


# Axis numbers as the reader writes them: "1 200" and "2,5" in Finnish, not "1200" and "2.5".
LOCALE_TICKS = FuncFormatter(lambda value, _position: format_decimal(round(value, 2)))


def _render(fig: Figure, fmt: str) -> bytes:
    """SVG keeps its text as text (small, searchable, quick for the PDF) and is reproducible."""
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "suhde"}):
        fig.savefig(buffer, format=fmt, bbox_inches="tight", metadata=metadata, dpi=150)
    return svg_without_styles(buffer.getvalue()) if fmt == "svg" else buffer.getvalue()


def _height(value) -> float:
    return float("nan") if value is None else value


def _bars(ax, groups: list[tuple[str, dict]], series=DIMENSIONS, label=_dimension_label):
    width = 0.8 / len(series)
    for i, name in enumerate(series):
        xs = [g + i * width for g in range(len(groups))]
        # A family too few answered is no bar at all, never a bar at 0 (the lowest answer).
        values = [_height(values.get(name)) for _label, values in groups]
        ax.bar(
            xs,
            values,
            width,
            label=label(name),
            color=COLOURS.get(name, "#666666"),
            hatch=HATCHES.get(name, ""),
            edgecolor="white",
        )
    ax.set_xticks([g + width * (len(series) - 1) / 2 for g in range(len(groups))])
    ax.set_xticklabels([label for label, _v in groups], rotation=15, ha="right")
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(LOCALE_TICKS)
    ax.set_ylabel(_("Index 0–100"))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def indices_chart(board: Dashboard, fmt: str) -> bytes:
    cells = [(_("Whole network"), board.figures["network"])]
    cells += [
        (_sector_label(c["key"]), c)
        for c in board.figures["sectors"]
        if c.get("direction") == "received"
    ]
    shown = [(label, c) for label, c in cells if not c.get("suppressed", True)]
    fig = Figure(figsize=(7, 3.4))
    ax = fig.add_subplot()
    if shown:
        _bars(ax, shown)
    else:
        ax.text(0.5, 0.5, _("too few answers to show"), ha="center", va="center")
        ax.set_axis_off()
    ax.set_title(_("Knowing, trust and commitment"))
    return _render(fig, fmt)


def heatmap_chart(board: Dashboard, fmt: str) -> bytes:
    sectors = board.heatmap["sectors"]
    fig = Figure(figsize=(5.5, 4.2))
    ax = fig.add_subplot()
    for r, row in enumerate(board.heatmap["rows"]):
        for c, cell in enumerate(row["cells"]):
            figure = cell["figure"]
            value = figure.get("trust") if figure and "trust" in figure.get("counts", {}) else None
            if value is None:
                ax.add_patch(_square(c, r, "#ffffff", "xx"))
                text = _("too few") if figure else "–"
            else:
                ax.add_patch(_square(c, r, _blue(value), ""))
                text = f"{value:.0f}"
            ties = ngettext("%(count)d tie", "%(count)d ties", cell["ties"]) % {
                "count": cell["ties"]
            }
            dark = value is not None and value >= 60
            ax.text(
                c + 0.5,
                r + 0.42,
                text,
                ha="center",
                va="center",
                fontsize=12,
                color="white" if dark else "black",
            )
            ax.text(
                c + 0.5,
                r + 0.7,
                ties,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
            )
    labels = [_sector_label(s) for s in sectors]
    ax.set_xlim(0, len(sectors))
    ax.set_ylim(len(sectors), 0)
    ax.set_xticks([i + 0.5 for i in range(len(sectors))], labels)
    ax.set_yticks([i + 0.5 for i in range(len(sectors))], labels)
    ax.set_xlabel(_("Rated people's sector"))
    ax.set_ylabel(_("Raters' sector"))
    ax.set_title(_("Trust between sectors (index 0–100)"))
    ax.tick_params(length=0)
    return _render(fig, fmt)


def _square(x, y, colour, hatch):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="#888888", hatch=hatch)


BLUE_FROM, BLUE_TO = 30, 90  # most indices fall here; a fixed range keeps waves comparable


def _blue(value: float) -> str:
    """From pale to dark blue as the index grows from 30 to 90 (the same in every wave)."""
    t = max(0.0, min(1.0, (value - BLUE_FROM) / (BLUE_TO - BLUE_FROM)))
    start, end = (230, 241, 248), (0, 84, 140)
    rgb = [round(a + (b - a) * t) for a, b in zip(start, end, strict=True)]
    return "#" + "".join(f"{v:02x}" for v in rgb)


def strength_chart(board: Dashboard, fmt: str) -> bytes:
    net = board.network
    strong = round((net.get("strong_tie_share") or 0) * net["ties"])
    weak = net["ties"] - strong
    fig = Figure(figsize=(6, 1.8))
    ax = fig.add_subplot()
    ax.barh([0], [strong], color="#0072B2", label=_("Strong ties"))
    ax.barh([0], [weak], left=[strong], color="#E69F00", hatch="//", label=_("Weak ties"))
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(LOCALE_TICKS)
    ax.set_xlabel(_("Ties"))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.set_title(_("Strong and weak ties"))
    return _render(fig, fmt)


def dashboard_chart(board: Dashboard, name: str, fmt: str, by: str = "sector") -> bytes:
    if name == "map":
        return map_chart(board, by if by in MAP_BY else "sector", fmt)
    draw = {"indices": indices_chart, "heatmap": heatmap_chart, "strength": strength_chart}
    return draw[name](board, fmt)


def compare_indices_chart(comparison: Comparison, fmt: str) -> bytes:
    fig = Figure(figsize=(7, 3.4))
    ax = fig.add_subplot()
    network = comparison.indices["network"][0]
    if network["suppressed"]:
        ax.text(0.5, 0.5, _("too few answers to show"), ha="center", va="center")
        ax.set_axis_off()
    else:
        groups = [
            (comparison.before.title, {d: (network[d] or {}).get("before") for d in DIMENSIONS}),
            (comparison.after.title, {d: (network[d] or {}).get("after") for d in DIMENSIONS}),
        ]
        _bars(ax, groups)
    ax.set_title(_("The whole network, wave by wave"))
    return _render(fig, fmt)


def compare_ties_chart(comparison: Comparison, fmt: str) -> bytes:
    fig = Figure(figsize=(6, 2.8))
    ax = fig.add_subplot()
    if comparison.ties is None:
        ax.text(0.5, 0.5, _("not available for these waves"), ha="center", va="center")
        ax.set_axis_off()
    else:
        names = ("gained", "lost", "strengthened", "weakened")
        labels = [_("Gained"), _("Lost"), _("Strengthened"), _("Weakened")]
        counts = [comparison.ties[n]["count"] for n in names]
        colours = ["#009E73", "#D55E00", "#0072B2", "#E69F00"]
        hatches = ["", "//", "..", "xx"]
        bars = ax.barh(labels, counts, color=colours, edgecolor="white")
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(LOCALE_TICKS)
        ax.set_xlabel(_("Ties"))
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_("Ties between the waves"))
    return _render(fig, fmt)


def comparison_chart(comparison: Comparison, name: str, fmt: str) -> bytes:
    draw = {"indices": compare_indices_chart, "ties": compare_ties_chart}
    return draw[name](comparison, fmt)


# --- the map, coloured by a dimension or a metric ---------------------------------------------

MAP_CATEGORIES = ("sector", "organization", "community")
MAP_METRICS = ("betweenness", "in_degree", "out_degree", "coreness", "harmonic")
MAP_BY = MAP_CATEGORIES + MAP_METRICS
SECTOR_COLOURS = {"public": "#0072B2", "private": "#E69F00", "third": "#009E73"}
SECTOR_MARKERS = {"public": "o", "private": "s", "third": "^"}
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def map_label(by: str) -> str:
    labels = {
        "sector": _("Sector"),
        "organization": _("Organization"),
        "community": _("Community"),
        "betweenness": _("Betweenness"),
        "in_degree": _("Named by others"),
        "out_degree": _("Named others"),
        "coreness": _("Coreness"),
        "harmonic": _("Closeness (harmonic)"),
    }
    return labels[by]


def map_values(board: Dashboard, by: str) -> list:
    """Each person's value of ``by``, in the snapshot's vertex order (structure only)."""
    nodes = snapshot_closed(board.wave).structure["nodes"]
    if by == "sector":
        return [board.people.get(str(n["id"]), {}).get("sector") or "-" for n in nodes]
    if by == "organization":
        return [board.people.get(str(n["id"]), {}).get("organization") or "-" for n in nodes]
    return [n.get(by) for n in nodes]


def map_table(board: Dashboard, by: str) -> list[dict]:
    """The data beside the map: people per category, or the ten highest values of a metric."""
    values = map_values(board, by)
    if by in MAP_CATEGORIES:
        counts: dict = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        rows = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
        return [{"label": _category_label(by, key), "value": count} for key, count in rows]
    nodes = snapshot_closed(board.wave).structure["nodes"]
    ranked = sorted(
        ((v, n["id"]) for v, n in zip(values, nodes, strict=True) if v is not None),
        key=lambda item: (-item[0], item[1]),
    )[:10]
    return [
        {"label": board.people.get(str(pid), {}).get("name", "–"), "value": value}
        for value, pid in ranked
    ]


def _category_label(by: str, key) -> str:
    if by == "sector":
        return _sector_label(key) if key != "-" else _("No sector")
    if by == "community":
        return _("Community %(number)s") % {"number": key}
    return str(key)


def _positions(board: Dashboard) -> tuple[list, list, list]:
    from suhde.analysis.layout import force_layout

    nodes = snapshot_closed(board.wave).structure["nodes"]
    index = {n["id"]: i for i, n in enumerate(nodes)}
    ties = [
        (index[s], index[t], strong)
        for s, t, strong in snapshot_closed(board.wave).ties or []
        if s in index and t in index
    ]
    orgs = map_values(board, "organization")
    codes = {org: i for i, org in enumerate(sorted(set(orgs)))}
    positions = force_layout(
        len(nodes),
        [(s, t) for s, t, _strong in ties],
        [2.0 if strong else 1.0 for _s, _t, strong in ties],
        [codes[org] if org != "-" else -1 for org in orgs],
    )
    return positions, ties, nodes


def map_chart(board: Dashboard, by: str, fmt: str) -> bytes:
    from matplotlib.collections import LineCollection

    positions, ties, _nodes = _positions(board)
    fig = Figure(figsize=(7, 6))
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(_("The network coloured by: %(by)s") % {"by": map_label(by)})
    if not positions:
        return _render(fig, fmt)
    for strong, style, width in ((False, (0, (4, 3)), 0.4), (True, "solid", 0.7)):
        segments = [[positions[s], positions[t]] for s, t, st in ties if bool(st) == strong]
        if segments:
            ax.add_collection(
                LineCollection(segments, colors="#999999", linewidths=width, linestyles=style)
            )
    xs, ys = [p[0] for p in positions], [p[1] for p in positions]
    values = map_values(board, by)
    if by == "sector":
        for sector, colour in (*SECTOR_COLOURS.items(), ("-", "#777777")):
            chosen = [i for i, v in enumerate(values) if v == sector]
            if chosen:
                ax.scatter(
                    [xs[i] for i in chosen],
                    [ys[i] for i in chosen],
                    s=28,
                    c=colour,
                    marker=SECTOR_MARKERS.get(sector, "D"),
                    edgecolors="white",
                    linewidths=0.5,
                    label=_category_label("sector", sector),
                    zorder=3,
                )
        ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    elif by in MAP_CATEGORIES:
        order = [row for row, _c in sorted({v: 0 for v in values}.items(), key=lambda i: str(i[0]))]
        colours = [PALETTE[order.index(v) % len(PALETTE)] for v in values]
        ax.scatter(xs, ys, s=28, c=colours, edgecolors="white", linewidths=0.5, zorder=3)
    else:
        numbers = [v if v is not None else 0 for v in values]
        points = ax.scatter(
            xs, ys, s=28, c=numbers, cmap="viridis", edgecolors="white", linewidths=0.5, zorder=3
        )
        fig.colorbar(points, ax=ax, shrink=0.6, label=map_label(by))
    ax.autoscale()
    ax.set_aspect("equal")
    return _render(fig, fmt)
