"""Reads for meetings, the method library, participation and live-session results."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suhde.coordination.models import Event
from suhde.networks.models import Network, Person, Sector

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from .methods import GRADIENTS, METHODS, method_builtin
from .models import (
    AgendaBlock,
    Attendee,
    LiveSession,
    Meeting,
    Method,
    Participant,
    Post,
    Prompt,
    PromptKind,
    Upvote,
    Vote,
)

# "Enough but not too much time": an agenda that leaves more than this share of the reserved
# time unplanned is probably missing something, or the meeting is booked too long.
SLACK_SHARE = 0.2


class MeetingCounts(TypedDict):
    """What ``meetings_of`` counts for each meeting."""

    block_count: int
    attendee_count: int
    planned: int  # minutes of the agenda's blocks


def meetings_of(network: Network) -> QuerySet[WithAnnotations[Meeting, MeetingCounts]]:
    return Meeting.objects.filter(network=network).annotate(
        block_count=Count("blocks", distinct=True),
        attendee_count=Count("attendees", distinct=True),
        planned=Coalesce(
            Subquery(
                AgendaBlock.objects.filter(meeting=OuterRef("pk"))
                .values("meeting")
                .annotate(total=Sum("minutes"))
                .values("total")[:1]
            ),
            0,
        ),
    )


def meetings_in(network: Network) -> QuerySet[Meeting]:
    """The network's meetings as one is opened (``meetings_of`` is the list's order)."""
    return Meeting.objects.select_related("event", "network").filter(network=network)


def meeting_in(network: Network, meeting_id: int) -> Meeting:
    return get_object_or_404(meetings_in(network), pk=meeting_id)


@dataclass
class AgendaRow:
    block: AgendaBlock
    start: datetime
    end: datetime
    method_name: str
    method_description: str


@dataclass
class Agenda:
    rows: list[AgendaRow]
    planned: int
    reserved: int
    warning: str = ""
    level: str = ""  # "over" or "under" when there is a warning


def agenda(meeting: Meeting) -> Agenda:
    """The blocks with their computed start times, and a warning when the time does not fit."""
    rows, start = [], meeting.starts_at
    for block in meeting.blocks.select_related("method").order_by("order", "pk"):
        end = start + timedelta(minutes=block.minutes)
        builtin = method_builtin(block.method_key) if block.method_key else None
        if builtin is not None:
            name, description = str(builtin.name), str(builtin.description)
        elif block.method is not None:
            name, description = block.method.name, block.method.description
        else:
            name, description = "", ""
        rows.append(AgendaRow(block, start, end, name, description))
        start = end
    planned = sum(row.block.minutes for row in rows)
    result = Agenda(rows, planned, meeting.minutes)
    if planned > meeting.minutes:
        result.level = "over"
        result.warning = ngettext(
            "The agenda takes %(over)d minute more than the %(reserved)d minutes reserved. "
            "Shorten a block or reserve more time: rushing spoils the encounter.",
            "The agenda takes %(over)d minutes more than the %(reserved)d minutes reserved. "
            "Shorten a block or reserve more time: rushing spoils the encounter.",
            planned - meeting.minutes,
        ) % {"over": planned - meeting.minutes, "reserved": meeting.minutes}
    elif rows and meeting.minutes - planned > meeting.minutes * SLACK_SHARE:
        result.level = "under"
        result.warning = ngettext(
            "The agenda leaves %(free)d of the %(reserved)d minutes reserved unplanned. "
            "Reserve enough but not too much time: plan the rest or shorten the meeting.",
            "The agenda leaves %(free)d of the %(reserved)d minutes reserved unplanned. "
            "Reserve enough but not too much time: plan the rest or shorten the meeting.",
            meeting.minutes - planned,
        ) % {"free": meeting.minutes - planned, "reserved": meeting.minutes}
    return result


def method_choices(network: Network) -> list[tuple[str, str]]:
    builtin = [(m.key, str(m.name)) for m in METHODS]
    own = [(f"custom:{m.pk}", m.name) for m in Method.objects.filter(network=network)]
    return [("", _("no particular method")), *builtin, *own]


def methods_of(network: Network) -> QuerySet[Method]:
    return Method.objects.filter(network=network)


def meeting_decisions(meeting: Meeting) -> list:
    """The decisions recorded in this meeting.

    Extension point for the decisions app: a ``Decision`` with
    ``meeting = ForeignKey("workshops.Meeting", related_name="decisions")`` appears here without
    this app importing it (imports go one way: decisions → workshops).
    """
    related = getattr(meeting, "decisions", None)
    return list(related.all()) if related is not None else []


# --- participation by organization and sector over time --------------------------------------


@dataclass
class Participation:
    periods: list[str]
    by_sector: list[tuple[str, list[int]]]
    by_organization: list[tuple[str, str, int, int]]  # name, sector label, meetings, attendances
    meetings: int


def participation(network: Network) -> Participation:
    """Attendances per sector per quarter, and per organization, over the network's meetings."""
    rows = (
        Attendee.objects.filter(meeting__network=network)
        .values("meeting_id", "meeting__starts_at", "organization__name", "organization__sector")
        .order_by("meeting__starts_at", "pk")
    )
    sector_period: dict[str, Counter] = defaultdict(Counter)
    organizations: dict[str, dict] = {}
    periods: list[str] = []
    meetings: set[int] = set()
    for row in rows:
        start = timezone.localtime(row["meeting__starts_at"])
        period = f"{start:%Y} Q{(start.month - 1) // 3 + 1}"
        if period not in periods:
            periods.append(period)
        sector = row["organization__sector"] or ""
        sector_period[sector][period] += 1
        meetings.add(row["meeting_id"])
        name = row["organization__name"] or _("no organization")
        entry = organizations.setdefault(name, {"sector": sector, "meetings": set(), "n": 0})
        entry["meetings"].add(row["meeting_id"])
        entry["n"] += 1
    labels = dict(Sector.choices)
    by_sector = [
        (str(labels.get(key, _("no organization"))), [sector_period[key][p] for p in periods])
        for key in [*Sector.values, ""]
        if key in sector_period
    ]
    by_organization = sorted(
        (
            (name, str(labels.get(e["sector"], "")), len(e["meetings"]), e["n"])
            for name, e in organizations.items()
        ),
        key=lambda r: (-r[2], r[0]),
    )
    return Participation(periods, by_sector, by_organization, len(meetings))


# --- live sessions ---------------------------------------------------------------------------


def sessions_of(network: Network) -> QuerySet[LiveSession]:
    return (
        LiveSession.objects.filter(network=network)
        .select_related("meeting")
        .annotate(participant_count=Count("participants", distinct=True))
    )


def sessions_in(network: Network) -> QuerySet[LiveSession]:
    """The network's live sessions as one is opened, with what its page shows first."""
    return LiveSession.objects.select_related("meeting", "open_prompt", "network").filter(
        network=network
    )


def session_in(network: Network, session_id: int) -> LiveSession:
    return get_object_or_404(sessions_in(network), pk=session_id)


def live_session(session_id: int) -> LiveSession | None:
    """A session with what its screens show, for the push feed (which has no network in hand:
    the caller passed the access gate when it opened the stream)."""
    return (
        LiveSession.objects.select_related("open_prompt", "network").filter(pk=session_id).first()
    )


@dataclass
class Neighbours:
    previous: int | None  # the prompt to open on "previous"; 0 closes the first one
    next: int | None


def prompt_neighbours(session: LiveSession) -> Neighbours:
    """Which questions the presenter's "previous" and "next" open (one query)."""
    ids = list(session.prompts.order_by("order", "pk").values_list("pk", flat=True))
    if session.open_prompt_id not in ids:
        return Neighbours(None, ids[0] if ids else None)
    at = ids.index(session.open_prompt_id)
    return Neighbours(ids[at - 1] if at else 0, ids[at + 1] if at + 1 < len(ids) else None)


def prompt_in(session: LiveSession, prompt_id: int) -> Prompt:
    prompts = Prompt.objects.select_related("session").filter(session=session)
    return get_object_or_404(prompts, pk=prompt_id)


def post_in(session: LiveSession, post_id: int) -> Post:
    posts = Post.objects.select_related("prompt__session").filter(prompt__session=session)
    return get_object_or_404(posts, pk=post_id)


def _latest(model, field: str):
    return Subquery(
        model.objects.filter(prompt_id=OuterRef("open_prompt_id")).order_by("-pk").values(field)[:1]
    )


def _count(model):
    return Subquery(
        model.objects.filter(prompt_id=OuterRef("open_prompt_id"))
        .order_by()
        .values("prompt_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def board_version(session_id: int) -> str:
    """What the presenter screen shows has changed exactly when this string has (one query).

    The counts are there as well as the newest ids because on PostgreSQL a post with a smaller id
    can commit after one with a larger id.
    """
    row = (
        LiveSession.objects.filter(pk=session_id)
        .annotate(
            last_post=_latest(Post, "pk"),
            posts=_count(Post),
            last_vote=_latest(Vote, "pk"),
            votes=_count(Vote),
            last_upvote=_latest(Upvote, "pk"),
            upvotes=_count(Upvote),
        )
        .values_list(
            "revision", "last_post", "posts", "last_vote", "votes", "last_upvote", "upvotes"
        )
        .first()
    )
    if row is None:
        return ""
    return "-".join(str(part or 0) for part in row)


@dataclass
class Item:
    post: Post
    count: int = 1
    merged: list[Post] = field(default_factory=list)
    upvotes: int = 0  # a Q&A question's, its merged duplicates' included


@dataclass
class Bar:
    label: str
    value: int
    share: int  # percent of the largest bar, for the bar's length


@dataclass
class Results:
    prompt: Prompt
    answers: int  # posts or voters
    items: list[Item] = field(default_factory=list)  # highlights
    words: list[tuple[str, int, int]] = field(default_factory=list)  # word, count, size 1–6
    bars: list[Bar] = field(default_factory=list)  # polls
    unit: str = ""
    more: int = 0  # items left out of a shortened list


def _bars(labels: list[str], values: list[int]) -> list[Bar]:
    top = max(values, default=0) or 1
    return [Bar(label, v, round(100 * v / top)) for label, v in zip(labels, values, strict=True)]


def _text_results(prompt: Prompt, posts: list[Post], moderator: bool) -> Results:
    by_id = {p.pk: p for p in posts}
    items: dict[int, Item] = {}
    for post in posts:
        root = post.merged_into_id is None or post.merged_into_id not in by_id
        if root and (moderator or not post.hidden):
            items[post.pk] = Item(post)
    for post in posts:
        if post.pk in items:
            items[post.pk].upvotes += getattr(post, "upvote_count", 0)
        elif post.merged_into_id in items and (moderator or not post.hidden):
            items[post.merged_into_id].count += 1
            items[post.merged_into_id].merged.append(post)
            items[post.merged_into_id].upvotes += getattr(post, "upvote_count", 0)
    if prompt.is_qa:  # the most wanted open questions first, the answered ones below them
        ordered = sorted(
            items.values(),
            key=lambda i: (not i.post.pinned, i.post.answered, -i.upvotes, -i.post.pk),
        )
    else:
        ordered = sorted(items.values(), key=lambda i: (not i.post.pinned, -i.post.pk))
    visible = [p for p in posts if not p.hidden]
    result = Results(prompt, len(visible), items=ordered)
    if prompt.kind == PromptKind.WORDCLOUD:
        counts: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for item in items.values():
            if item.post.hidden:
                continue
            key = word_fold(item.post.text)
            if not key:
                continue
            shown.setdefault(key, key)
            counts[key] += item.count
        top = max(counts.values(), default=1)
        result.words = [
            (shown[key], n, 1 + round(5 * math.log(n) / math.log(top)) if top > 1 else 3)
            for key, n in counts.most_common(80)
        ]
    return result


_NOT_WORD = re.compile(r"[^\w\s-]+")


def word_fold(text: str) -> str:
    """A word cloud's word: "Innostunut!", "innostunut" and "INNOSTUNUT." count as one.

    Lower-case (casefold), punctuation stripped, spaces collapsed; a hyphen inside a word stays
    ("yhteis-työ" is not "yhteistyö"). Finnish and Swedish inflection beyond that is left alone:
    a stemmer guessing wrong would merge words the room meant apart.
    """
    folded = _NOT_WORD.sub(" ", text.casefold())
    return " ".join(part.strip("-_") for part in folded.split() if part.strip("-_"))


def _poll_results(prompt: Prompt, values: list) -> Results:
    result = Results(prompt, len(values))
    if prompt.kind == PromptKind.GRADIENTS:
        counts = Counter(values)
        labels = [f"{i}. {label}" for i, label in enumerate(GRADIENTS, start=1)]
        result.bars = _bars(labels, [counts[i] for i in range(1, len(GRADIENTS) + 1)])
    elif prompt.kind == PromptKind.SCALE:
        counts = Counter(values)
        labels = [str(i) for i in range(1, prompt.scale_max + 1)]
        result.bars = _bars(labels, [counts[i] for i in range(1, prompt.scale_max + 1)])
    elif prompt.kind == PromptKind.CHOICE:
        counts = Counter(values)
        result.bars = _bars(prompt.options, [counts[i] for i in range(len(prompt.options))])
    elif prompt.kind == PromptKind.RANKING:
        # Borda points: first place gets n-1 points, the last none.
        n = len(prompt.options)
        points = [0] * n
        for ranking in values:
            for place, option in enumerate(ranking):
                points[option] += n - 1 - place
        result.bars = _bars(prompt.options, points)
        result.unit = _("points")
    elif prompt.kind == PromptKind.DOTS:
        dots = [sum(v[i] for v in values) for i in range(len(prompt.options))]
        result.bars = _bars(prompt.options, dots)
        result.unit = _("dots")
    return result


def _with_upvotes(posts: QuerySet[Post]) -> QuerySet[Post]:
    """Each post with its number of upvotes, in the same query (a subquery, not a join)."""
    count = (
        Upvote.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return posts.annotate(upvote_count=Coalesce(Subquery(count), 0))


def prompt_results(prompt: Prompt, *, moderator: bool = False) -> Results:
    """One prompt's results: two queries at most, whatever the number of answers."""
    if prompt.is_text:
        posts = list(_with_upvotes(prompt.posts.select_related("participant")).order_by("pk"))
        return _text_results(prompt, posts, moderator)
    return _poll_results(prompt, list(prompt.votes.values_list("value", flat=True)))


def board_results(prompt: Prompt, *, limit: int) -> Results:
    """What the projector shows: for highlights only the pinned and newest ``limit`` posts.

    Three queries whatever the number of posts, so the presenter's poll stays cheap when a
    room of 1,000 has posted 5,000 highlights.
    """
    if prompt.kind != PromptKind.HIGHLIGHTS:
        result = prompt_results(prompt)
        if len(result.items) > limit:
            result.more, result.items = len(result.items) - limit, result.items[:limit]
        return result
    visible = Post.objects.filter(prompt=prompt, hidden=False)
    counts = visible.aggregate(
        answers=Count("pk"), roots=Count("pk", filter=Q(merged_into__isnull=True))
    )
    roots = list(visible.filter(merged_into__isnull=True).order_by("-pinned", "-pk")[:limit])
    merged = dict(
        visible.filter(merged_into__in=roots)
        .values_list("merged_into")
        .annotate(n=Count("pk"))
        .order_by()
    )
    items = [Item(post, 1 + merged.get(post.pk, 0)) for post in roots]
    return Results(prompt, counts["answers"], items=items, more=counts["roots"] - len(items))


def sessions_results(
    sessions: Iterable[LiveSession], *, moderator: bool = False
) -> dict[int, list[Results]]:
    """Every prompt's results of several sessions, in three queries whatever their number."""
    ids = [s.pk for s in sessions]
    prompts = list(Prompt.objects.filter(session_id__in=ids).order_by("order", "pk"))
    posts: dict[int, list[Post]] = defaultdict(list)
    for post in _with_upvotes(
        Post.objects.filter(prompt__session_id__in=ids).select_related("participant")
    ).order_by("pk"):
        posts[post.prompt_id].append(post)
    votes: dict[int, list] = defaultdict(list)
    for prompt_id, value in Vote.objects.filter(prompt__session_id__in=ids).values_list(
        "prompt_id", "value"
    ):
        votes[prompt_id].append(value)
    results: dict[int, list[Results]] = {pk: [] for pk in ids}
    for p in prompts:
        results[p.session_id].append(
            _text_results(p, posts[p.pk], moderator) if p.is_text else _poll_results(p, votes[p.pk])
        )
    return results


def prompt_answer_count(prompt: Prompt) -> int:
    """How many posts or votes a question has had (one query)."""
    return (prompt.posts if prompt.is_text else prompt.votes).count()


def upvote_count(post: Post) -> int:
    """A Q&A question's upvotes, its merged duplicates' included."""
    return Upvote.objects.filter(Q(post=post) | Q(post__merged_into=post)).count()


def qa_marks(participant: Participant | None, prompt: Prompt | None) -> dict[str, set[int]]:
    """What a participant's page marks in a Q&A: their own questions (not theirs to upvote) and
    the ones they upvoted (one query; none outside a Q&A)."""
    marks: dict[str, set[int]] = {"own": set(), "upvoted": set()}
    if participant is None or prompt is None or not prompt.is_qa:
        return marks
    rows = Post.objects.filter(prompt=prompt).filter(
        Q(participant=participant) | Q(upvotes__participant=participant)
    )
    for pk, owner in rows.values_list("pk", "participant_id").distinct():
        marks["own" if owner == participant.pk else "upvoted"].add(pk)
    return marks


def session_results(session: LiveSession, *, moderator: bool = False) -> list[Results]:
    return sessions_results([session], moderator=moderator)[session.pk]


def session_counts(session: LiveSession) -> dict:
    counts = Post.objects.filter(prompt__session=session).aggregate(
        posts=Count("pk"),
        flagged=Count("pk", filter=Q(flagged=True, hidden=True)),
        held=Count("pk", filter=Q(held=True)),
    )
    return {"participants": session.participants.count(), **counts}


def sessions_of_meeting(meeting: Meeting) -> QuerySet[LiveSession]:
    return meeting.live_sessions.annotate(participant_count=Count("participants")).order_by("pk")


def participants_named(person: Person, network_ids: list[int] | None) -> QuerySet[Participant]:
    """Live-session participants who gave this person's name, in sessions of the networks the
    person is in: a participant gives a name, not an account, so the name is the only link."""
    networks = person.memberships.values("network_id")
    found = Participant.objects.filter(
        session__network__in=networks, name__iexact=person.name.strip()
    )
    if network_ids is not None:
        found = found.filter(session__network__in=network_ids)
    return found


def person_posts(
    person: Person, *, network_ids: list[int] | None, own: bool
) -> dict[str, list[dict[str, object]]]:
    """Posts written in live sessions under the person's name (promise 24)."""
    posts = (
        Post.objects.filter(participant__in=participants_named(person, network_ids))
        .select_related("prompt__session", "participant")
        .order_by("created_at", "pk")
    )
    return {
        "live_session_posts": [
            {
                "session": post.prompt.session.title,
                "question": post.prompt.question,
                "name_given": post.participant.name,
                "text": post.text,
                "at": post.created_at,
            }
            for post in posts
        ]
    }


def session_ids_of_meeting(meeting: Meeting) -> list[int]:
    return list(meeting.live_sessions.values_list("pk", flat=True))


def block_in(meeting: Meeting, block_id: int) -> AgendaBlock:
    return get_object_or_404(meeting.blocks.all(), pk=block_id)


def method_in(network: Network, method_id: int) -> Method:
    """A method of the network's own library (a built-in one has no id)."""
    return get_object_or_404(methods_of(network), pk=method_id)


def attendee_ids(meeting: Meeting) -> list[int]:
    return list(meeting.attendees.values_list("person_id", flat=True))


def events_to_link(network: Network) -> list[Event]:
    """The network's latest events on the clock, for a meeting to be linked to (200 at most)."""
    return list(Event.objects.filter(network=network).order_by("-start")[:200])


def participant_posts(participant: Participant, prompt: Prompt) -> list[Post]:
    """What a participant wrote to this question, in order: shown back only on their phone."""
    return list(participant.posts.filter(prompt=prompt).order_by("pk"))


def participant_vote(participant: Participant, prompt: Prompt) -> Vote | None:
    return participant.votes.filter(prompt=prompt).first()
