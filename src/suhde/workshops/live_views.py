"""Live-session pages: the facilitator's control room, the presenter screen, and /j/<code>.

The participant's pages need no account: a cookie scoped to /j/<code> holds the participant's
token. The presenter screen and the participant page poll small partials; every answer comes
from the database, so several app processes serve one session.
"""

import secrets

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from suhde.common.audit import audit_record
from suhde.common.confirm import confirm_render
from suhde.common.forms import form_add_errors
from suhde.common.jobs import job_start
from suhde.common.net import client_ip
from suhde.networks.access import Need, network_view, token_holder_required
from suhde.networks.models import Network

from . import exports, live, push, queries
from .forms import CodeForm, JoinForm, PostForm, PromptEditForm, PromptForm, SessionForm
from .jobs import SESSION_PDF
from .methods import GRADIENTS
from .models import PromptKind
from .session_templates import template_prompts

COOKIE = "suhde_live"
COOKIE_AGE = 7 * 24 * 3600


def _join_url(request, session) -> str:
    return request.build_absolute_uri(reverse("live_join", args=[session.code]))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- the facilitator's side ------------------------------------------------------------------


@network_view(Need.FACILITATE)
def session_list(request, network, role):
    context = {"network": network, "sessions": queries.sessions_of(network)}
    return render(request, "workshops/session_list.html", context)


@network_view(Need.FACILITATE)
def session_create(request, network, role):
    meetings = [(m.pk, m.title) for m in queries.meetings_of(network)[:200]]
    initial = {"meeting": request.GET.get("meeting")}
    form = SessionForm(request.POST or None, initial=initial, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        meeting_id = form.cleaned_data["meeting"]
        meeting = queries.meeting_in(network, meeting_id) if meeting_id else None
        try:
            template = form.cleaned_data["template"]
            session = live.session_create(
                network=network,
                user=request.user,
                title=form.cleaned_data["title"],
                meeting=meeting,
                prompts=template_prompts(template) if template else None,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("workshops:session", slug=network.slug, session_id=session.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"network": network, "form": form}
    return render(request, "workshops/session_form.html", context, status=status)


def _control_context(request, network, session, form=None):
    return {
        "network": network,
        "session": session,
        "join_url": _join_url(request, session),
        "results": queries.session_results(session, moderator=True),
        "counts": queries.session_counts(session),
        "form": form or PromptForm(),
        "version": queries.board_version(session.pk),
    }


@never_cache
@network_view(Need.FACILITATE)
def session_detail(request, network, role, session_id):
    session = queries.session_in(network, session_id)
    template = "workshops/session_detail.html"
    if request.htmx:  # the push stream said something changed: only the questions again
        template += "#control"
    return render(request, template, _control_context(request, network, session))


@require_POST
@network_view(Need.FACILITATE)
def prompt_add(request, network, role, session_id):
    session = queries.session_in(network, session_id)
    form = PromptForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["options"] = data["options"].splitlines()
        try:
            live.prompt_add(session=session, **data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect("workshops:session", slug=network.slug, session_id=session.pk)
    context = _control_context(request, network, session, form)
    return render(request, "workshops/session_detail.html", context, status=400)


@network_view(Need.FACILITATE)
def prompt_edit(
    request: HttpRequest, network: Network, role: str, session_id: int, prompt_id: int
) -> HttpResponse:
    """Reword a question; an open one that people have answered asks first (answers stay)."""
    session = queries.session_in(network, session_id)
    prompt = queries.prompt_in(session, prompt_id)
    back = reverse("workshops:session", args=[network.slug, session.pk]) + f"#prompt-{prompt.pk}"
    form = PromptEditForm(request.POST or None, prompt=prompt)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if "options" in data:
            data["options"] = data["options"].splitlines()
        answers = queries.prompt_answer_count(prompt)
        if answers and session.open_prompt_id == prompt.pk and request.POST.get("confirmed") != "1":
            return confirm_render(
                request,
                title=_("Change the open question %(question)s?") % {"question": prompt.question},
                lines=[
                    ngettext(
                        "%(count)d answer has come in. It is kept as it is.",
                        "%(count)d answers have come in. They are kept as they are.",
                        answers,
                    )
                    % {"count": answers},
                    _("The participants' phones show the new wording at once."),
                ],
                action=request.path,
                button=_("Save the changes"),
                cancel=back,
                fields={**request.POST.dict(), "confirmed": "1"},
                danger=False,
            )
        try:
            live.prompt_update(prompt=prompt, **data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(back)
    status = 400 if form.is_bound and form.errors else 200
    context = {"network": network, "session": session, "prompt": prompt, "form": form, "back": back}
    return render(request, "workshops/prompt_form.html", context, status=status)


@require_POST
@network_view(Need.FACILITATE)
def prompt_move(
    request: HttpRequest, network: Network, role: str, session_id: int, prompt_id: int
) -> HttpResponse:
    session = queries.session_in(network, session_id)
    prompt = queries.prompt_in(session, prompt_id)
    live.prompt_move(prompt=prompt, up=request.POST.get("direction") == "up")
    target = reverse("workshops:session", args=[network.slug, session.pk])
    return redirect(f"{target}#prompt-{prompt.pk}")


@require_POST
@network_view(Need.FACILITATE)
def prompt_open(request, network, role, session_id, prompt_id):
    session = queries.session_in(network, session_id)
    prompt = None if prompt_id == 0 else queries.prompt_in(session, prompt_id)
    try:
        live.prompt_open(prompt=prompt, session=session)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    if request.POST.get("from") == "present":  # the presenter's own buttons: stay on the screen
        return redirect("workshops:presenter", slug=network.slug, session_id=session.pk)
    return redirect("workshops:session", slug=network.slug, session_id=session.pk)


@require_POST
@network_view(Need.FACILITATE)
def prompt_reveal(request, network, role, session_id, prompt_id):
    session = queries.session_in(network, session_id)
    prompt = queries.prompt_in(session, prompt_id)
    live.prompt_reveal(prompt=prompt, revealed=request.POST.get("revealed") == "1")
    return redirect("workshops:session", slug=network.slug, session_id=session.pk)


@network_view(Need.FACILITATE)
def session_end(request, network, role, session_id):
    session = queries.session_in(network, session_id)
    if request.method != "POST":
        return confirm_render(
            request,
            title=_("End the session %(title)s?") % {"title": session.title},
            lines=[
                _("Participants can no longer post or vote."),
                _("Everything posted so far stays in the record."),
            ],
            action=request.path,
            button=_("End the session"),
            cancel=reverse("workshops:session", args=[network.slug, session.pk]),
            final=True,
        )
    live.session_end(session=session)
    messages.success(request, _("The session has ended. Its results are kept in the record."))
    return redirect("workshops:session", slug=network.slug, session_id=session.pk)


@require_POST
@network_view(Need.FACILITATE)
def post_moderate(request, network, role, session_id, post_id):
    session = queries.session_in(network, session_id)
    post = queries.post_in(session, post_id)
    action = request.POST.get("action", "")
    try:
        if action in {"hide", "show"}:
            live.post_moderate(post=post, hidden=action == "hide")
        elif action in {"pin", "unpin"}:
            live.post_moderate(post=post, pinned=action == "pin")
        elif action in {"answered", "unanswered"}:
            live.post_moderate(post=post, answered=action == "answered")
        elif action == "unmerge":
            live.post_unmerge(post=post)
        elif action == "merge":
            into_id = request.POST.get("into", "")
            try:
                into = queries.post_in(session, int(into_id))
            except (ValueError, Http404):
                raise ValidationError(_("Choose the post to merge into.")) from None
            live.post_merge(post=post, into=into)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    target = reverse("workshops:session", args=[network.slug, session.pk])
    return redirect(f"{target}#prompt-{post.prompt_id}")


@network_view(Need.FACILITATE)
def presenter(request, network, role, session_id):
    session = queries.session_in(network, session_id)
    return render(request, "workshops/presenter.html", _board_context(request, network, session))


def _board_context(request, network, session):
    join_base = request.build_absolute_uri("/j/")
    return push.board_context(session, _join_url(request, session), join_base)


@never_cache
@network_view(Need.FACILITATE)
def presenter_board(request, network, role, session_id):
    """The presenter's live part: 204 when nothing changed since the version the page has."""
    if request.GET.get("v") and request.GET["v"] == queries.board_version(session_id):
        return HttpResponse(status=204)
    session = queries.session_in(network, session_id)
    return render(
        request, "workshops/presenter.html#board", _board_context(request, network, session)
    )


@network_view(Need.FACILITATE)
def session_qr(request, network, role, session_id):
    session = queries.session_in(network, session_id)
    svg = exports.join_qr_svg(_join_url(request, session))
    return HttpResponse(svg, content_type="image/svg+xml")


@network_view(Need.FACILITATE)
def session_export(request, network, role, session_id, fmt):
    session = queries.session_in(network, session_id)
    if fmt == "pdf":
        return _session_pdf(request, network, session)
    if fmt not in ("csv", "xlsx"):
        raise Http404("format")
    audit_record(request=request, action=f"live_export_{fmt}", obj=session)
    results = queries.session_results(session, moderator=True)
    if fmt == "csv":
        return exports.csv_response(session, results)
    return exports.xlsx_response(session, results)


def _session_pdf(request, network, session):
    """The PDF is made by the worker: a POST starts it, a GET shows the button that does."""
    if request.method == "POST":
        job = job_start(
            kind=SESSION_PDF,
            network_id=network.pk,
            user=request.user,
            arguments={"session": session.pk},
        )
        return redirect("networks:job", network.slug, job.pk)
    return confirm_render(
        request,
        title=_("Download PDF"),
        action=request.path,
        button=_("Make the PDF"),
        cancel=reverse("workshops:session", args=[network.slug, session.pk]),
        lines=[
            _(
                "The PDF is laid out in the background, which takes a while for a session with "
                "many posts; its page offers the file when it is ready."
            )
        ],
        danger=False,
    )


# --- the participant's side: /j/<code>, no account -------------------------------------------


def _limited(request, retry_after: int):
    response = render(request, "workshops/join/limited.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _participant(request, session):
    participant = live.participant_for_token(token=request.COOKIES.get(COOKIE, ""))
    if participant is None or participant.session_id != session.pk:
        return None
    participant.session = session
    return participant


def _resolve(request, code):
    try:
        return live.session_for_code(code=code, address=client_ip(request))
    except ValidationError:
        return None


def join_start(request):
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("live_join", code=live.code_normal(form.cleaned_data["code"]) or "0")
    return render(request, "workshops/join/start.html", {"form": form})


@never_cache
def join(request, code):
    try:
        live.join_allowed(address=client_ip(request))
    except live.RateLimited as limited:
        return _limited(request, limited.retry_after)
    session = _resolve(request, code)
    if session is None:
        context = {"form": CodeForm(initial={"code": code}), "unknown": True}
        return render(request, "workshops/join/start.html", context, status=404)
    participant = _participant(request, session)
    if participant is None:
        return _join_form(request, session)
    return render(
        request, "workshops/join/participant.html", _participant_context(session, participant)
    )


def _join_form(request, session):
    form = JoinForm(request.POST if request.method == "POST" else None)
    if not session.is_open:
        return render(request, "workshops/join/ended.html", {"session": session})
    if request.method == "POST" and form.is_valid():
        try:
            _participant_obj, raw = live.participant_join(
                code=session.code, address=client_ip(request), **form.cleaned_data
            )
        except live.RateLimited as limited:
            return _limited(request, limited.retry_after)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            response = redirect("live_join", code=session.code)
            response.set_cookie(
                COOKIE,
                raw,
                max_age=COOKIE_AGE,
                path=f"/j/{session.code}",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "workshops/join/join.html", {"session": session, "form": form}, status=status
    )


def _participant_context(session, participant, form=None):
    prompt = session.open_prompt
    revealed = prompt is not None and prompt.shown_to_participants
    context = {
        "session": session,
        "participant": participant,
        "prompt": prompt,
        "stage": session.stage,
        # What the push stream compares with (push.part_key): with results shown it sends them
        # once on connecting, since the version they were rendered at is not known here.
        "stage_key": "" if revealed else str(session.stage),
        "form": form or PostForm(initial={"key": secrets.token_hex(16)}),
        "gradients": list(enumerate(GRADIENTS, start=1)),
    }
    if prompt is not None:
        if prompt.is_text:
            context["mine"] = queries.participant_posts(participant, prompt)
            context["marks"] = queries.qa_marks(participant, prompt)
        else:
            vote = queries.participant_vote(participant, prompt)
            context["voted"] = vote is not None
            context["my_vote"] = vote.value if vote is not None else None
            context["scale"] = range(1, prompt.scale_max + 1)
            context["places"] = range(1, len(prompt.options) + 1)
        if prompt.shown_to_participants:
            context["result"] = queries.prompt_results(prompt)
    return context


def _participant_or_join(request, code):
    session = _resolve(request, code)
    if session is None:
        raise Http404("session")
    return session, _participant(request, session)


@require_POST
def join_post(request, code):
    session, participant = _participant_or_join(request, code)
    if participant is None:
        return redirect("live_join", code=session.code)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            live.post_create(
                participant=participant,
                text=form.cleaned_data["text"],
                key=form.cleaned_data["key"],
                address=client_ip(request),
            )
        except live.RateLimited as limited:
            return _limited(request, limited.retry_after)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Sent. You can send another one."))
            return redirect("live_join", code=session.code)
    context = _participant_context(session, participant, form)
    return render(request, "workshops/join/participant.html", context, status=400)


@require_POST
def join_upvote(request: HttpRequest, code: str) -> HttpResponse:
    """Upvote someone else's question in the open Q&A, or take the upvote back."""
    session, participant = _participant_or_join(request, code)
    if participant is None:
        return redirect("live_join", code=session.code)
    target = reverse("live_join", args=[session.code])
    try:
        post_id = int(request.POST.get("post", ""))
    except ValueError:
        messages.error(request, _("Choose a question to upvote."))
        return redirect(target)
    try:
        post, _changed = live.upvote_set(
            participant=participant,
            post_id=post_id,
            up=request.POST.get("up") != "0",
            address=client_ip(request),
        )
    except live.RateLimited as limited:
        return _limited(request, limited.retry_after)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(target)
    return redirect(f"{target}#q-{post.pk}")


def _vote_value(prompt, data):
    """The form's fields as the value ``live.vote_create`` checks; None when unreadable."""
    try:
        if prompt.kind in {PromptKind.CHOICE, PromptKind.SCALE, PromptKind.GRADIENTS}:
            return int(data.get("value", ""))
        n = len(prompt.options)
        if prompt.kind == PromptKind.RANKING:
            places = [int(data.get(f"place{i}", "")) for i in range(n)]
            return (
                [option for _place, option in sorted(zip(places, range(n), strict=True))]
                if (sorted(places) == list(range(1, n + 1)))
                else None
            )
        if prompt.kind == PromptKind.DOTS:
            return [int(data.get(f"dots{i}") or 0) for i in range(n)]
    except (TypeError, ValueError):
        return None
    return None


@require_POST
def join_vote(request, code):
    session, participant = _participant_or_join(request, code)
    if participant is None:
        return redirect("live_join", code=session.code)
    prompt = session.open_prompt
    try:
        if prompt is None:
            live.vote_create(participant=participant, value=None)
        value = _vote_value(prompt, request.POST)
        if value is None:
            raise ValidationError(_("Choose a valid answer."))
        live.vote_create(participant=participant, value=value, address=client_ip(request))
    except live.RateLimited as limited:
        return _limited(request, limited.retry_after)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your answer is in. Thank you!"))
    return redirect("live_join", code=session.code)


@never_cache
def join_watch(request, code):
    """Participants' pages ask every few seconds whether the facilitator moved on."""
    session = _resolve(request, code)
    if session is None:
        raise Http404("session")
    if request.GET.get("stage") == str(session.stage):
        return HttpResponse(status=204)
    response = HttpResponse(status=200)
    response["HX-Refresh"] = "true"
    return response


@never_cache
def join_results(request, code):
    session = _resolve(request, code)
    prompt = session.open_prompt if session is not None else None
    if prompt is None or not prompt.shown_to_participants:
        raise Http404("results")
    participant = _participant(request, session) if prompt.is_qa else None  # to mark its own
    context = {
        "session": session,
        "result": queries.prompt_results(prompt),
        "marks": queries.qa_marks(participant, prompt),
    }
    return render(request, "workshops/join/_results.html", context)


# --- push: Server-Sent Events (async views; `suhde serve` runs them under uvicorn) -------------


def _stream_response(request, **kwargs) -> HttpResponse:
    # Under a WSGI server a stream would hold a whole worker for as long as the page is open.
    if "wsgi.version" in request.META or not push.stream_allowed(kwargs["owner"]):
        # Too many streams here, or this client holds enough already: its page polls instead.
        response = HttpResponse(
            _("Too many live connections: this page checks for changes every few seconds."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "30"
        return response
    have = request.GET.get("v") or request.headers.get("Last-Event-ID", "")
    stream = push.events(language=translation.get_language(), have=have[:200], **kwargs)
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx would otherwise hold the events back
    return response


@network_view(Need.FACILITATE)
def _facilitator_stream(request, network, role, session_id):
    return queries.session_in(network, session_id)


async def session_events(request, slug, session_id):
    """The presenter's board (``?a=board``) or the facilitator's signal (``?a=control``)."""
    audience = request.GET.get("a", "board")
    if audience not in ("board", "control"):
        return HttpResponse(
            _("The address asks for an unknown stream: use a=board or a=control."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    found = await sync_to_async(_facilitator_stream)(request, slug, session_id)
    if isinstance(found, HttpResponse):  # not signed in: the sign-in page
        return found
    join = (_join_url(request, found), request.build_absolute_uri("/j/"))
    owner = f"user:{await sync_to_async(lambda: request.user.pk)()}"
    return _stream_response(request, session_id=found.pk, audience=audience, owner=owner, join=join)


def _stream_participant(request, code):
    session, participant = _participant_or_join(request, code)
    token_holder_required(participant, "join first")
    return session, participant


async def join_events(request, code):
    """A participant's phone: the question, its form and revealed results, as they change."""
    session, participant = await sync_to_async(_stream_participant)(request, code)
    return _stream_response(
        request, session_id=session.pk, audience="phone", owner=f"participant:{participant.pk}"
    )
