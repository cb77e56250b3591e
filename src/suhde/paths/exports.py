"""A service path for print, PDF and JSON, and the texts a transition's actions start from."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from suhde.common.pdf import pdf_fetcher

from . import queries
from .diagram import diagram_layout
from .models import ServicePath, Transition


def print_context(path: ServicePath) -> dict:
    stages = queries.stages_of(path)
    figures = queries.path_figures(path)
    return {
        "network": path.network,
        "path": path,
        "stages": stages,
        "figures": figures,
        "weakest": queries.weakest(figures),
        "diagram": diagram_layout(path, stages, figures),
        "wave": figures[0].wave if figures else queries.latest_wave(path.network),
    }


def path_pdf(path: ServicePath) -> tuple[bytes, str]:
    """The path as a PDF (made by the worker, like the other PDFs) and its file name."""
    from weasyprint import CSS, HTML

    html = render_to_string("paths/path_print.html", {**print_context(path), "pdf": True})
    stylesheet = CSS(filename=finders.find("paths/print.css"))
    pdf = HTML(string=html, url_fetcher=pdf_fetcher()).write_pdf(stylesheets=[stylesheet])
    return pdf, f"service-path-{path.pk}.pdf"


def _pair_out(pair: queries.PairFigures) -> dict:
    # A suppressed pair carries no number, only nulls: the same shape as the API's schema.
    return {
        "source": pair.source,
        "target": pair.target,
        "suppressed": pair.suppressed,
        **{
            family: None if pair.suppressed else getattr(pair, family)
            for family in queries.FAMILIES
        },
    }


def transition_out(figures: queries.TransitionFigures) -> dict:
    t = figures.transition
    return {
        "id": t.pk,
        "source": t.source.key,
        "target": t.target.key,
        "status": t.status,
        "handed_by_id": t.handed_by_id,
        "received_by_id": t.received_by_id,
        "information": t.information,
        "consent": t.consent,
        "timing": t.timing,
        "way": t.way,
        "problems": t.problems,
        "meeting_id": t.meeting_id,
        "decision_id": t.decision_id,
        "ties": {
            "count": figures.ties,
            "strong_share": figures.strong_share,
            "reciprocated_share": figures.reciprocated_share,
        },
        "pairs": [_pair_out(pair) for pair in figures.pairs],
        "wave_id": figures.wave.pk if figures.wave else None,
        "rating": figures.rating,
        "reasons": [{"code": r.code, "text": r.text} for r in figures.reasons],
    }


def path_data(path: ServicePath) -> dict:
    """The path as the API's ``path_get`` and the JSON export give it."""
    stages = queries.stages_of(path)
    return {
        "id": path.pk,
        "name": path.name,
        "client_group": path.client_group,
        "goal": path.goal,
        "stages": [
            {
                "key": stage.key,
                "name": stage.name,
                "needs": stage.needs,
                "organization_ids": [o.pk for o in stage.organizations.all()],
                "person_ids": [p.pk for p in stage.people.all()],
                "after": [s.key for s in stage.after.all()],
            }
            for stage in stages
        ],
        "transitions": [transition_out(f) for f in queries.path_figures(path)],
    }


def meeting_purpose(figures: queries.TransitionFigures, sides: queries.Sides) -> str:
    """The development meeting's purpose: the handoff, why it needs work, and who should come."""
    t = figures.transition
    lines = [
        _(
            "Together we develop the handoff from “%(source)s” to “%(target)s” on the service "
            "path “%(path)s”."
        )
        % {"source": t.source.name, "target": t.target.name, "path": t.path.name},
    ]
    if figures.reasons:
        lines.append(_("Why it needs work:"))
        lines += [f"- {reason.text}" for reason in figures.reasons]
    for side in (sides.source, sides.target):
        names = ", ".join(person.name for person in side.people[:12])
        if names:
            lines.append(
                _("From “%(stage)s”: %(names)s") % {"stage": side.stage.name, "names": names}
            )
    return "\n".join(lines)


def handoff_text(transition: Transition) -> str:
    """The agreed handoff in words, from what the transition records (no client data)."""
    t = transition
    parts = [
        (_("Who hands over"), t.handed_by.name if t.handed_by else ""),
        (_("Who receives"), t.received_by.name if t.received_by else ""),
        (_("What information passes"), t.information),
        (_("With what consent"), t.consent),
        (_("When"), t.timing),
        (_("Agreed way"), t.get_way_display() if t.way else ""),
    ]
    return "\n".join(f"{label}: {value}" for label, value in parts if value)
