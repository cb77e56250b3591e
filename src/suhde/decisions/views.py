"""Decision log pages, the facilitator's poll controls and the voter's personal link."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.forms import form_add_errors
from suhde.common.http import AuthedRequest
from suhde.networks import access
from suhde.networks.access import Need, network_view
from suhde.networks.models import Network, Person
from suhde.networks.sending import sending_confirm, sending_in_background
from suhde.workshops.models import DecisionMode

from . import domain, queries
from .forms import CloseForm, CommentForm, DecisionForm, PollForm, VoteForm
from .jobs import POLL_LINKS
from .models import Decision, Poll, Status
from .queries import PollResult


@network_view()
def decision_list(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    # Filters come from allowlists; anything else is ignored (promise 18).
    status = request.GET.get("status", "")
    mode = request.GET.get("mode", "")
    decisions = queries.decisions_filtered(network, status=status, mode=mode)
    context = {
        "network": network,
        "decisions": decisions,
        "status": status,
        "mode": mode,
        "statuses": Status.choices,
        "modes": DecisionMode.choices,
        "review_by": timezone.localdate() + timedelta(days=queries.REVIEW_DAYS_AHEAD),
        "can_manage": access.role_allows(role, Need.MANAGE),
    }
    return render(request, "decisions/decision_list.html", context)


def _fields(form: DecisionForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["meeting_id"] = data.pop("meeting")
    return data


def _decision_form(
    request: AuthedRequest, network: Network, decision: Decision | None = None
) -> HttpResponseBase:
    initial = None
    if decision is not None:
        initial = {
            name: getattr(decision, name)
            for name in (
                "title",
                "proposal",
                "mode",
                "status",
                "decided_by",
                "decided_on",
                "rationale",
                "review_on",
            )
        }
        initial["meeting"] = decision.meeting_id
    form = DecisionForm(
        request.POST or None,
        initial=initial,
        meetings=queries.meetings_for_choice(network),
        versions=queries.charter_versions_for_choice(network),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if decision is None:
                decision = domain.decision_create(
                    network=network, user=request.user, **_fields(form)
                )
            else:
                decision = domain.decision_update(decision=decision, **_fields(form))
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="decision_save", obj=decision)
            messages.success(request, _("The decision was saved in the log."))
            return redirect("decisions:decision", slug=network.slug, decision_id=decision.pk)
    context = {"network": network, "form": form, "decision": decision}
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/decision_form.html", context, status=status)


@network_view(Need.MANAGE)
def decision_create(request: AuthedRequest, network: Network, role: str) -> HttpResponseBase:
    return _decision_form(request, network)


@network_view(Need.MANAGE)
def decision_edit(
    request: AuthedRequest, network: Network, role: str, decision_id: int
) -> HttpResponseBase:
    return _decision_form(request, network, queries.decision_in(network, decision_id))


def _vote_form(poll: Poll, result: PollResult, data: QueryDict | None = None) -> VoteForm:
    initial = None
    if result.mine is not None:
        mine = result.mine
        initial = {"point": mine.point, "reason": mine.reason, "named": mine.named}
        initial.update({f"dot_{i}": n for i, n in enumerate(mine.dots)})
    return VoteForm(data, poll=poll, initial=initial)


def _detail(
    request: AuthedRequest,
    network: Network,
    role: str,
    decision: Decision,
    vote_form: VoteForm | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponseBase:
    poll = queries.poll_of(decision)
    person = queries.person_of(request.user)
    result = queries.poll_result(poll, person) if poll else None
    can_facilitate = access.role_allows(role, Need.FACILITATE)
    can_vote = bool(poll and poll.is_open and queries.may_vote(network, person))
    if vote_form is None and can_vote and poll is not None and result is not None:
        vote_form = _vote_form(poll, result)
    context = {
        "network": network,
        "decision": decision,
        "poll": poll,
        "result": result,
        "vote_form": vote_form if can_vote else None,
        "vote_errors": vote_form.errors if vote_form is not None and vote_form.is_bound else None,
        "can_manage": access.role_allows(role, Need.MANAGE),
        "can_facilitate": can_facilitate,
        "can_poll": can_facilitate and poll is None,
        "approved": queries.charter_versions_approved(decision),
        "comments": queries.comments_of(
            decision, show_hidden=access.role_allows(role, Need.MANAGE)
        ),
        "comment_form": comment_form or CommentForm(),
        "person": person,
        "edit_until": timezone.now() - timedelta(minutes=domain.EDIT_MINUTES),
    }
    return render(request, "decisions/decision_detail.html", context, status=status)


@network_view()
def decision_detail(
    request: AuthedRequest, network: Network, role: str, decision_id: int
) -> HttpResponseBase:
    return _detail(request, network, role, queries.decision_in(network, decision_id))


@network_view(Need.FACILITATE)
def poll_open(
    request: AuthedRequest, network: Network, role: str, decision_id: int
) -> HttpResponseBase:
    decision = queries.decision_in(network, decision_id)
    form = PollForm(request.POST or None, sessions=queries.sessions_for_choice(network))
    if request.method == "POST" and form.is_valid():
        try:
            poll = domain.poll_open(decision=decision, user=request.user, **form.poll_fields())
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="poll_open", obj=poll)
            messages.success(request, _("The poll is open."))
            return redirect("decisions:decision", slug=network.slug, decision_id=decision.pk)
    context = {"network": network, "decision": decision, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/poll_form.html", context, status=status)


def _poll_or_404(decision: Decision) -> Poll:
    poll = queries.poll_of(decision)
    if poll is None:
        raise Http404("poll")
    return poll


@network_view(Need.FACILITATE)
def poll_links(
    request: AuthedRequest, network: Network, role: str, decision_id: int
) -> HttpResponseBase:
    """GET asks first, saying how many will be mailed; POST mails them, through the worker when
    they are more than a request should queue (``SUHDE_MAIL_INLINE_LIMIT``)."""
    decision = queries.decision_in(network, decision_id)
    poll = _poll_or_404(decision)
    back = reverse("decisions:decision", args=[network.slug, decision.pk])
    if not poll.is_open:
        messages.error(request, _("The poll has closed."))
        return redirect(back)
    count = domain.poll_link_recipients(poll).count()
    if request.method != "POST":
        if not count:
            messages.info(request, _("Every member with an email address has already answered."))
            return redirect(back)
        return sending_confirm(
            request,
            title=_("Email personal links"),
            count=count,
            cancel=back,
            lines=[
                ngettext(
                    "%(count)d member who has not answered yet gets an email with a personal "
                    "link to the poll.",
                    "%(count)d members who have not answered yet get an email with a personal "
                    "link to the poll.",
                    count,
                )
                % {"count": count},
                _("A link sent to them earlier stops working."),
            ],
        )
    arguments = {"poll": poll.pk}
    job = sending_in_background(request, network, count=count, kind=POLL_LINKS, arguments=arguments)
    if job is not None:
        return job
    try:
        count = domain.poll_links_send(poll=poll, language=get_language())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        audit_record(request=request, action="poll_links_send", obj=poll)
        messages.success(
            request,
            ngettext(
                "A personal link was emailed to %(count)d member.",
                "Personal links were emailed to %(count)d members.",
                count,
            )
            % {"count": count},
        )
    return redirect(back)


@network_view(Need.FACILITATE)
def poll_close(
    request: AuthedRequest, network: Network, role: str, decision_id: int
) -> HttpResponseBase:
    """Closing asks for the outcome and what it means for the decision; the review date it
    offers goes on the annual clock."""
    decision = queries.decision_in(network, decision_id)
    poll = _poll_or_404(decision)
    back = reverse("decisions:decision", args=[network.slug, decision.pk])
    if poll.closed_at is not None:
        messages.info(request, _("The poll has already been closed."))
        return redirect(back)
    initial = {"review_on": timezone.localdate() + timedelta(days=365)}
    form = CloseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.poll_close(poll=poll, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            audit_record(request=request, action="poll_close", obj=poll)
            messages.success(request, _("The poll was closed and the outcome recorded."))
            return redirect(back)
    context = {
        "network": network,
        "decision": decision,
        "form": form,
        "result": queries.poll_result(poll, queries.person_of(request.user)),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/poll_close.html", context, status=status)


@require_POST
@network_view()
def poll_vote(
    request: AuthedRequest, network: Network, role: str, decision_id: int
) -> HttpResponseBase:
    """A member answers the poll signed in, for example on a phone in the meeting, and may
    change the answer until the poll closes."""
    decision = queries.decision_in(network, decision_id)
    poll = _poll_or_404(decision)
    form = VoteForm(request.POST, poll=poll)
    if form.is_valid():
        try:
            created = domain.poll_vote(
                poll=poll, person=queries.person_of(request.user), **form.vote_fields()
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            if created:
                messages.success(request, _("Thank you. Your answer was recorded."))
            else:
                messages.success(request, _("Your answer was changed."))
            return redirect("decisions:decision", slug=network.slug, decision_id=decision.pk)
    return _detail(request, network, role, decision, vote_form=form, status=400)


@require_POST
@network_view()
def comment_create(
    request: AuthedRequest, network: Network, role: str, decision_id: int
) -> HttpResponseBase:
    decision = queries.decision_in(network, decision_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            domain.comment_create(
                decision=decision,
                person=queries.person_of(request.user),
                body=form.cleaned_data["body"],
                language=get_language(),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(
                reverse("decisions:decision", args=[network.slug, decision.pk]) + "#discussion"
            )
    return _detail(request, network, role, decision, comment_form=form, status=400)


@network_view()
def comment_edit(
    request: AuthedRequest, network: Network, role: str, decision_id: int, comment_id: int
) -> HttpResponseBase:
    decision = queries.decision_in(network, decision_id)
    comment = queries.comment_in(decision, comment_id)
    # A comment whose author has gone has nobody left to edit it.
    access.own_record_check(
        request.user, comment.author or Person(), _("Only the author can edit a comment.")
    )
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            domain.comment_edit(
                comment=comment,
                person=queries.person_of(request.user),
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Your comment was changed."))
            return redirect(
                reverse("decisions:decision", args=[network.slug, decision.pk]) + "#discussion"
            )
    context = {"network": network, "decision": decision, "form": form, "comment": comment}
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/comment_form.html", context, status=status)


@require_POST
@network_view(Need.MANAGE)
def comment_hide(
    request: AuthedRequest, network: Network, role: str, decision_id: int, comment_id: int
) -> HttpResponseBase:
    """A coordinator hides a post, or shows it again: the undo is the same button turned."""
    decision = queries.decision_in(network, decision_id)
    comment = queries.comment_in(decision, comment_id)
    hidden = request.POST.get("hidden") != "0"
    domain.comment_hide(comment=comment, user=request.user, hidden=hidden)
    audit_record(request=request, action="comment_hide" if hidden else "comment_show", obj=comment)
    if hidden:
        messages.success(request, _("The comment was hidden. You can show it again below."))
    else:
        messages.success(request, _("The comment is shown again."))
    return redirect(
        reverse("decisions:decision", args=[network.slug, decision.pk]) + f"#comment-{comment.pk}"
    )


def ballot(request: HttpRequest, token: str) -> HttpResponseBase:
    """The personal link of a member who was not in the meeting: the token is the key, and it
    changes the answer as often as the member likes until the poll closes."""
    link = domain.poll_link_for_token(token)
    if link is None:
        return render(request, "decisions/ballot_invalid.html", status=404)
    poll, done = link.poll, False
    result = queries.poll_result(poll, link.person)
    form = _vote_form(poll, result, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.poll_vote_by_token(raw=token, **form.vote_fields())
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            done = True
            result = queries.poll_result(poll, link.person)
    context = {
        "poll": poll,
        "decision": poll.decision,
        "person": link.person,
        "form": form,
        "done": done,
        "result": result,
    }
    status = 400 if request.method == "POST" and not done else 200
    response = render(request, "decisions/ballot.html", context, status=status)
    response["Referrer-Policy"] = "same-origin"
    return response
