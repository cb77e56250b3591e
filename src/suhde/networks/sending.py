"""Sending mail to many from a page: ask first, saying to how many, then send; past
``SUHDE_MAIL_INLINE_LIMIT`` mails the worker sends them (queueing thousands of rendered mails
takes longer than a request should). The survey's invitations, the contact list's "confirm your
details" and a poll's personal links all go this way."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import ngettext

from suhde.common.confirm import confirm_render
from suhde.common.jobs import job_start

from .models import Network


def sending_confirm(
    request: HttpRequest,
    *,
    title: str,
    count: int,
    lines: list[str],
    cancel: str,
    fields: dict[str, str] | None = None,
) -> HttpResponseBase:
    """The question before a sending, with the count on its button."""
    return confirm_render(
        request,
        title=title,
        fields=fields or {},
        action=request.path,
        button=ngettext("Send %(count)d email", "Send %(count)d emails", count) % {"count": count},
        cancel=cancel,
        lines=lines,
        danger=False,
    )


def sending_in_background(
    request: HttpRequest, network: Network, *, count: int, kind: str, arguments: dict[str, Any]
) -> HttpResponseBase | None:
    """The job's page when the worker sends them; None when the request may send them itself."""
    if count <= settings.SUHDE_MAIL_INLINE_LIMIT:
        return None
    job = job_start(kind=kind, network_id=network.pk, user=request.user, arguments=arguments)
    return redirect("networks:job", network.slug, job.pk)
