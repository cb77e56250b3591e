"""Ask before acting, and offer undo after: the two halves of every destructive action.

A destructive route answers GET with a confirmation page that says what will happen (and, for
mail, to how many people) and POST with the action itself, so it works without JavaScript. With
JavaScript the same page's ``confirm-body`` partial opens in a modal ``<dialog>`` (app.js).
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

UNDO_TAG = "undo:"


def confirm_render(
    request: HttpRequest,
    *,
    title: str,
    action: str,
    button: str,
    cancel: str,
    lines: Iterable[str] = (),
    fields: Mapping[str, object] | None = None,
    danger: bool = True,
    final: bool = False,
    undoable: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The confirmation page (or, for htmx, its body for the dialog).

    ``lines`` say what will happen; ``fields`` are hidden inputs the action needs; ``final`` says
    that it cannot be undone, ``undoable`` for how long it can.
    """
    context = {
        "title": title,
        "action": action,
        "button": button,
        "cancel": cancel,
        "lines": list(lines),
        "fields": fields or {},
        "danger": danger,
        "final": final,
        "undo_days": settings.SUHDE_UNDO_DAYS if undoable else None,
    }
    template = "common/confirm.html"
    if HtmxDetails(request):  # request.htmx, which Django's HttpRequest type does not know
        template += "#confirm-body"
    return render(request, template, context, status=status)


def undo_message(request: HttpRequest, text: str, undo_url: str) -> None:
    """A success message with an "Undo" button that posts to ``undo_url`` (see base.html)."""
    messages.success(request, text, extra_tags=UNDO_TAG + undo_url)
