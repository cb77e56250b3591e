"""Writes for live sessions: start, prompts, joining without an account, posts, votes, moderation.

Everything a session shows lives in the database, so any number of app processes serve it
(promise 29); the shared cache only counts attempts for the rate limits. The caller's address is
used for counting and then forgotten: it is never stored (promise 13).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from suhde.common.ratelimit import rate_hit
from suhde.common.tokens import token_find, token_new
from suhde.networks.models import Network

from .appends import post_append, vote_append
from .models import (
    OPTION_MAX,
    OPTIONS_MAX,
    PARTICIPANT_NAME_MAX,
    POST_MAX,
    QUESTION_MAX,
    TEXT_KINDS,
    WORD_MAX,
    LiveSession,
    Meeting,
    Participant,
    Post,
    Prompt,
    PromptKind,
    SessionState,
    Upvote,
    Vote,
)
from .profanity import is_profane
from .push import changed

CODE_DIGITS = 8
PROMPTS_MAX = 50
# A whole room may sit behind one address (a municipality's NAT): the per-address limits are
# far above what 1,000 people do in a minute, and the per-participant limits do the real work.
JOIN_PER_ADDRESS = (5_000, 60)
POST_PER_ADDRESS = (20_000, 60)
# Guessing codes: only failed joins count, so a room that types the right code is never slowed.
FAILED_JOIN_PER_ADDRESS = (30, 300)
POSTS_PER_PARTICIPANT = (10, 60)  # posts within so many seconds
POSTS_PER_PROMPT: dict[str, int] = {
    PromptKind.HIGHLIGHTS: 20,
    PromptKind.WORDCLOUD: 5,
    PromptKind.QA: 10,
}
GRADIENT_POINTS = 8


class RateLimited(Exception):
    """Too many attempts; ``retry_after`` seconds is when to try again."""

    def __init__(self, retry_after: int):
        super().__init__("rate limited")
        self.retry_after = retry_after


def _limit(scope: str, subject: str, limit_window: tuple[int, int]) -> None:
    limit, window = limit_window
    if subject and not rate_hit(scope=scope, subject=subject, limit=limit, window=window):
        raise RateLimited(window)


def code_normal(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")[:20]


def _code_new() -> str:
    for _attempt in range(20):
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if code[0] != "0" and not LiveSession.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free join code")  # 20 collisions in 90 million codes: not plausible


def _clean_line(text: str, limit: int, field: str) -> str:
    """One line of user text: whitespace collapsed, control characters (NUL too) dropped."""
    text = " ".join((text or "").split())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    if len(text) > limit:
        raise ValidationError(
            {field: _("Keep it to %(limit)d characters at most.") % {"limit": limit}}
        )
    return text


def _options(kind: str, options: list[str] | None) -> list[str]:
    if kind not in {PromptKind.CHOICE, PromptKind.RANKING, PromptKind.DOTS}:
        return []
    cleaned = [_clean_line(o, OPTION_MAX, "options") for o in options or []]
    cleaned = [o for o in cleaned if o]
    if not 2 <= len(cleaned) <= OPTIONS_MAX:
        raise ValidationError(
            {"options": _("Give between 2 and %(n)d options, one a line.") % {"n": OPTIONS_MAX}}
        )
    return cleaned


def _bump(session: LiveSession, *, stage: bool) -> None:
    fields = {"revision": F("revision") + 1}
    if stage:
        fields["stage"] = F("stage") + 1
    LiveSession.objects.filter(pk=session.pk).update(**fields)
    session.refresh_from_db(fields=["revision", "stage", "open_prompt", "state", "ended_at"])
    changed(session.pk)


# --- the facilitator's side -------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    network: Network,
    user: User | None,
    title: str,
    meeting: Meeting | None = None,
    prompts: list[dict] | None = None,
) -> LiveSession:
    if meeting is not None and meeting.network_id != network.pk:
        raise ValidationError({"meeting": _("Choose a meeting of this network.")})
    title = _clean_line(title, 200, "title")
    if not title:
        raise ValidationError({"title": _("Give the session a title.")})
    session = LiveSession.objects.create(
        network=network,
        meeting=meeting,
        title=title,
        code=_code_new(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    for number, prompt in enumerate(prompts or []):
        prompt_add(session=session, open=number == 0, **prompt)
    return session


@transaction.atomic
def prompt_add(
    *,
    session: LiveSession,
    kind: str,
    question: str,
    options: list[str] | None = None,
    scale_max: int = 5,
    dots: int = 3,
    open: bool = False,
    approval: bool = False,
) -> Prompt:
    if not session.is_open:
        raise ValidationError(_("This session has ended."))
    if kind not in PromptKind.values:
        raise ValidationError({"kind": _("Choose a question type.")})
    question = _clean_line(question, QUESTION_MAX, "question")
    if not question:
        raise ValidationError({"question": _("Write the question.")})
    if not 2 <= scale_max <= 10:
        raise ValidationError({"scale_max": _("A scale has 2 to 10 points.")})
    if not 1 <= dots <= 10:
        raise ValidationError({"dots": _("Give each participant 1 to 10 dots.")})
    count = session.prompts.count()
    if count >= PROMPTS_MAX:
        raise ValidationError(_("A session can have at most %(n)d questions.") % {"n": PROMPTS_MAX})
    prompt = Prompt.objects.create(
        session=session,
        order=count,
        kind=kind,
        question=question,
        options=_options(kind, options),
        scale_max=scale_max,
        dots=dots,
        approval=bool(approval) and kind in TEXT_KINDS,
    )
    if open:
        prompt_open(prompt=prompt)
    else:
        _bump(session, stage=False)
    return prompt


@transaction.atomic
def prompt_update(
    *,
    prompt: Prompt,
    question: str,
    options: list[str] | None = None,
    scale_max: int | None = None,
    dots: int | None = None,
    approval: bool | None = None,
) -> Prompt:
    """Reword a question (and its options) or change its settings; its answers stay.

    The type stays (add a new question for another type). Once people have answered a poll, its
    options may be reworded but not added or removed, and its scale and dots stay, since the
    answers point to them by number."""
    session = prompt.session
    if not session.is_open:
        raise ValidationError(_("This session has ended."))
    question = _clean_line(question, QUESTION_MAX, "question")
    if not question:
        raise ValidationError({"question": _("Write the question.")})
    answered = prompt.votes.exists()
    cleaned = prompt.options if options is None else _options(prompt.kind, options)
    if answered and len(cleaned) != len(prompt.options):
        message = _("People have answered already: reword the options, but keep their number.")
        raise ValidationError({"options": message})
    scale_max = prompt.scale_max if scale_max is None else scale_max
    dots = prompt.dots if dots is None else dots
    if answered and (scale_max, dots) != (prompt.scale_max, prompt.dots):
        message = _("People have answered already: the scale and the dots stay as they are.")
        raise ValidationError({"scale_max": message})
    if not 2 <= scale_max <= 10:
        raise ValidationError({"scale_max": _("A scale has 2 to 10 points.")})
    if not 1 <= dots <= 10:
        raise ValidationError({"dots": _("Give each participant 1 to 10 dots.")})
    prompt.question, prompt.options = question, cleaned
    prompt.scale_max, prompt.dots = scale_max, dots
    if approval is not None:
        prompt.approval = bool(approval) and prompt.is_text
    prompt.save(update_fields=["question", "options", "scale_max", "dots", "approval"])
    # An open question's new wording must reach the phones: that is a new stage for them.
    _bump(session, stage=session.open_prompt_id == prompt.pk)
    return prompt


@transaction.atomic
def prompt_move(*, prompt: Prompt, up: bool) -> None:
    """Swap the question with its neighbour in the session's order (the presenter's too)."""
    prompts = list(prompt.session.prompts.order_by("order", "pk"))
    index = next(i for i, p in enumerate(prompts) if p.pk == prompt.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(prompts):
        prompts[index], prompts[other] = prompts[other], prompts[index]
    for order, item in enumerate(prompts):
        item.order = order
    Prompt.objects.bulk_update(prompts, ["order"])
    _bump(prompt.session, stage=False)


@transaction.atomic
def prompt_open(*, prompt: Prompt | None, session: LiveSession | None = None) -> None:
    """Make ``prompt`` the one participants answer now (None: nothing is open)."""
    if session is None:
        if prompt is None:
            raise TypeError("prompt_open needs the prompt or, to close every one, the session")
        session = prompt.session
    if not session.is_open:
        raise ValidationError(_("This session has ended."))
    LiveSession.objects.filter(pk=session.pk).update(open_prompt=prompt)
    _bump(session, stage=True)


@transaction.atomic
def prompt_reveal(*, prompt: Prompt, revealed: bool) -> None:
    Prompt.objects.filter(pk=prompt.pk).update(revealed=revealed)
    prompt.revealed = revealed
    _bump(prompt.session, stage=True)


@transaction.atomic
def session_end(*, session: LiveSession) -> None:
    """End the session: nothing more can be posted; everything stays in the record."""
    if not session.is_open:
        return
    LiveSession.objects.filter(pk=session.pk).update(
        state=SessionState.ENDED, ended_at=timezone.now(), open_prompt=None
    )
    _bump(session, stage=True)


@transaction.atomic
def post_moderate(
    *,
    post: Post,
    hidden: bool | None = None,
    pinned: bool | None = None,
    answered: bool | None = None,
) -> Post:
    """Show, hide, pin or unpin a post, or mark a Q&A question answered. Showing or hiding a held
    post decides the queue for it: shown is approved, hidden is rejected (it stays in the record,
    marked hidden)."""
    if hidden is not None:
        post.hidden = hidden
        post.held = False
    if pinned is not None:
        post.pinned = pinned
    if answered is not None:
        if not post.prompt.is_qa:
            raise ValidationError(_("Only a question of a Q&A can be marked answered."))
        post.answered = answered
    post.save(update_fields=["hidden", "pinned", "held", "answered"])
    _bump(post.prompt.session, stage=False)
    return post


@transaction.atomic
def posts_approve(*, prompt: Prompt) -> int:
    """Approve every post waiting in the prompt's queue at once; returns how many."""
    count = Post.objects.filter(prompt=prompt, held=True, flagged=False).update(
        held=False, hidden=False
    )
    if count:
        _bump(prompt.session, stage=False)
    return count


@transaction.atomic
def post_merge(*, post: Post, into: Post) -> Post:
    """Merge a duplicate into another post of the same question; its count moves along."""
    if into.prompt_id != post.prompt_id or into.pk == post.pk:
        raise ValidationError(_("Merge a post only into another post of the same question."))
    root = into
    while root.merged_into is not None:
        root = root.merged_into
    if root.pk == post.pk:
        raise ValidationError(_("Merge a post only into another post of the same question."))
    Post.objects.filter(merged_into=post).update(merged_into=root)
    post.merged_into = root
    post.save(update_fields=["merged_into"])
    _bump(post.prompt.session, stage=False)
    return post


@transaction.atomic
def post_unmerge(*, post: Post) -> Post:
    post.merged_into = None
    post.save(update_fields=["merged_into"])
    _bump(post.prompt.session, stage=False)
    return post


# --- the participant's side: no account, a token of their own ----------------------------------


def session_for_code(*, code: str, address: str = "") -> LiveSession:
    """The session a join code opens; unknown codes count towards the guessing limit."""
    code = code_normal(code)
    session = (
        LiveSession.objects.filter(code=code).select_related("network").first()
        if code.isdigit()
        else None
    )
    if session is None:
        _limit("live-guess", address, FAILED_JOIN_PER_ADDRESS)
        message = _("No session has this code. Check the code and try again.")
        raise ValidationError({"code": message})
    return session


def join_allowed(*, address: str) -> None:
    """Refuse an address that has failed too many codes lately, before it tries another."""
    from suhde.common.ratelimit import rate_exceeded

    limit, window = FAILED_JOIN_PER_ADDRESS
    if address and rate_exceeded(scope="live-guess", subject=address, limit=limit, window=window):
        raise RateLimited(window)


def _insert(obj) -> None:
    """Save one new row. A single INSERT is atomic by itself: outside a caller's transaction no
    BEGIN is issued, so SQLite's one writer is held for one statement only (under a room's load
    this doubled the posts per second). Inside a transaction a savepoint keeps it usable after a
    refused duplicate."""
    if connection.in_atomic_block:
        with transaction.atomic():
            obj.save(force_insert=True)
    else:
        obj.save(force_insert=True)


def participant_join(
    *, code: str, name: str = "", organization: str = "", address: str = ""
) -> tuple[Participant, str]:
    """Join a session by its code; returns the participant and its raw token (shown only once)."""
    join_allowed(address=address)
    _limit("live-join", address, JOIN_PER_ADDRESS)
    session = session_for_code(code=code, address=address)
    if not session.is_open:
        raise ValidationError({"code": _("This session has ended.")})
    raw, digest = token_new()
    participant = Participant(
        session=session,
        token_digest=digest,
        name=_clean_line(name, PARTICIPANT_NAME_MAX, "name"),
        organization=_clean_line(organization, PARTICIPANT_NAME_MAX, "organization"),
    )
    _insert(participant)
    return participant, raw


def participant_for_token(*, token: str) -> Participant | None:
    return token_find(Participant.objects.select_related("session__open_prompt"), token)


def _open_prompt(participant: Participant) -> Prompt:
    session = participant.session
    if not session.is_open:
        raise ValidationError(_("This session has ended. Thank you for taking part!"))
    if session.open_prompt is None:
        raise ValidationError(_("No question is open right now. Wait for the facilitator."))
    return session.open_prompt


def _post_counts(participant: Participant, prompt: Prompt) -> tuple[int, int]:
    """How many posts the participant sent lately, and to this prompt (one query)."""
    since = timezone.now() - timedelta(seconds=POSTS_PER_PARTICIPANT[1])
    counts = participant.posts.aggregate(
        recent=Count("pk", filter=Q(created_at__gte=since)),
        here=Count("pk", filter=Q(prompt=prompt)),
    )
    return counts["recent"], counts["here"]


def post_create(
    *, participant: Participant, text: str, key: str = "", address: str = ""
) -> tuple[Post, bool]:
    """Post a highlight or a word to the open question. Returns ``(post, created)``.

    Sending the same ``key`` again returns the first post, so a repeated form or a client's
    retry never doubles a post.
    """
    prompt = _open_prompt(participant)
    if not prompt.is_text:
        raise ValidationError(_("The open question is a poll: choose an answer instead."))
    limit = WORD_MAX if prompt.kind == PromptKind.WORDCLOUD else POST_MAX
    text = _clean_line(text, limit, "text")
    if not text:
        raise ValidationError({"text": _("Write something first.")})
    key = (key or "")[:40]
    _limit("live-post", address, POST_PER_ADDRESS)
    recent, here = _post_counts(participant, prompt)
    if recent >= POSTS_PER_PARTICIPANT[0] or here >= POSTS_PER_PROMPT[prompt.kind]:
        # A repeated key is the same post sent again: answer with it, whatever the limits.
        earlier = Post.objects.filter(participant=participant, key=key).first() if key else None
        if earlier is not None:
            return earlier, False
        if recent >= POSTS_PER_PARTICIPANT[0]:
            raise RateLimited(POSTS_PER_PARTICIPANT[1])
        raise ValidationError(_("You have sent as many answers to this question as it takes."))
    flagged = is_profane(text)
    held = flagged or prompt.approval
    post = Post(
        prompt=prompt,
        participant=participant,
        text=text,
        key=key,
        flagged=flagged,
        hidden=held,
        held=held,
    )
    # Written together with the posts arriving at the same moment; returns once committed, so
    # the row is durable before the caller acknowledges it (appends.py).
    return post_append(post)


def upvote_set(
    *, participant: Participant, post_id: int, up: bool, address: str = ""
) -> tuple[Post, bool]:
    """Back someone else's question in the open Q&A (``up``), or take the upvote back.

    Once per participant and question (a database constraint); asking twice changes nothing.
    Returns the question (a merged duplicate's upvote goes to the one it was merged into) and
    whether anything changed."""
    prompt = _open_prompt(participant)
    if not prompt.is_qa:
        raise ValidationError(_("The open question is not a Q&A: there is nothing to upvote."))
    if not 0 < post_id < 2**31:
        raise ValidationError({"post": _("This question is not on the list (any more).")})
    post = (
        Post.objects.filter(prompt=prompt, pk=post_id, hidden=False)
        .select_related("merged_into")
        .first()
    )
    if post is None:
        raise ValidationError({"post": _("This question is not on the list (any more).")})
    post = post.merged_into or post
    if post.hidden:
        raise ValidationError({"post": _("This question is not on the list (any more).")})
    if post.participant_id == participant.pk:
        raise ValidationError({"post": _("You cannot upvote your own question.")})
    _limit("live-post", address, POST_PER_ADDRESS)
    if up:
        try:
            _insert(Upvote(prompt=prompt, post=post, participant=participant))
        except IntegrityError:  # upvoted already: once is enough
            return post, False
        done = True
    else:
        done = Upvote.objects.filter(post=post, participant=participant).delete()[0] > 0
    if done:
        changed(participant.session_id)
    return post, done


def _vote_value(prompt: Prompt, value: object) -> int | list[int]:
    n = len(prompt.options)
    kind = prompt.kind
    top: dict[str, int] = {PromptKind.CHOICE: n - 1, PromptKind.SCALE: prompt.scale_max}
    if isinstance(value, int):
        if kind in top and (0 if kind == PromptKind.CHOICE else 1) <= value <= top[kind]:
            return value
        if kind == PromptKind.GRADIENTS and 1 <= value <= GRADIENT_POINTS:
            return value
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        numbers = [int(v) for v in value]
        if kind == PromptKind.RANKING and sorted(numbers) == list(range(n)):
            return numbers
        spread = len(numbers) == n and min(numbers, default=0) >= 0
        if spread and kind == PromptKind.DOTS and 1 <= sum(numbers) <= prompt.dots:
            return numbers
    raise ValidationError({"value": _("Choose a valid answer.")})


def vote_create(*, participant: Participant, value: object, address: str = "") -> tuple[Vote, bool]:
    """One vote per participant per poll; voting again changes it while the poll is open.

    Returns ``(vote, created)``: False when an earlier answer was changed."""
    prompt = _open_prompt(participant)
    if prompt.is_text:
        raise ValidationError(_("The open question asks for text: write an answer instead."))
    if isinstance(value, bool):
        raise ValidationError({"value": _("Choose a valid answer.")})
    value = _vote_value(prompt, value)
    _limit("live-post", address, POST_PER_ADDRESS)
    # One row per participant and poll (a database constraint): a second answer changes it.
    return vote_append(Vote(prompt=prompt, participant=participant, value=value))
