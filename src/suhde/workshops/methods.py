"""The built-in method library, described in our own words.

Each method has a stable ``key`` (stored on agenda blocks), a typical duration and the learning
mode it usually serves (teaching, facilitation, hosting: docs/background.md, section 4). Texts
are translatable strings; the Finnish and Swedish versions live in the locale files.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class BuiltinMethod:
    key: str
    name: Promise
    description: Promise
    minutes: int
    learning_mode: str
    prompt_kind: str = ""  # the live prompt that suits the method, if any


METHODS = [
    BuiltinMethod(
        "expert_talk",
        _("Expert talk with discussion"),
        _(
            "Someone who knows the subject speaks briefly; the rest of the time goes to "
            "questions and conversation. Agree beforehand how long the talk may take and keep "
            "at least half of the block for the discussion."
        ),
        45,
        "teaching",
    ),
    BuiltinMethod(
        "learning_cafe",
        _("Learning café"),
        _(
            "Small tables, each with its own question and a table host who stays. The others "
            "move to another table every 15–20 minutes, and the host sums up what the previous "
            "group said before the new one continues. At the end the hosts tell everyone what "
            "grew at their table."
        ),
        60,
        "facilitation",
        "highlights",
    ),
    BuiltinMethod(
        "open_space",
        _("Open space"),
        _(
            "Participants set the agenda themselves: whoever cares about a topic writes it on "
            "the wall, picks a time and a place, and hosts the conversation. People go where "
            "they can learn or contribute most, and move on when they no longer can. Each "
            "conversation leaves a short written note."
        ),
        90,
        "hosting",
    ),
    BuiltinMethod(
        "small_group_highlights",
        _("Small-group discussion with highlights"),
        _(
            "Groups of three to five discuss a question, then post the few points they most "
            "want the others to hear to the live session, one point at a time. The facilitator "
            "shows the highlights on the screen and picks up themes for the whole room."
        ),
        30,
        "facilitation",
        "highlights",
    ),
    BuiltinMethod(
        "pair_then_group",
        _("Pair, then group"),
        _(
            "Everyone first thinks alone for a minute, then talks it through with one other "
            "person, then two pairs compare notes, and finally the groups share with the whole "
            "room. Quiet voices get heard and ideas are tested before they are shared."
        ),
        25,
        "facilitation",
        "highlights",
    ),
    BuiltinMethod(
        "dialogue_round",
        _("Dialogue round"),
        _(
            "Everyone speaks in turn, without being interrupted or commented on, about the same "
            "question. The aim is to listen and understand, not to decide or convince. The "
            "facilitator keeps the time and the turn order."
        ),
        30,
        "facilitation",
    ),
    BuiltinMethod(
        "dot_voting",
        _("Dot voting"),
        _(
            "Each participant gets a few dots to spread over the options as they like, all on "
            "one or one on each. The dots show where the energy of the group is; they do not "
            "replace a decision."
        ),
        10,
        "facilitation",
        "dots",
    ),
    BuiltinMethod(
        "gradients_of_agreement",
        _("Gradients of agreement"),
        _(
            "Before a decision, everyone shows how strongly they support a proposal on an "
            "eight-point scale from full support to a block. The group looks at the whole "
            "distribution, not an average, to see whether support is enthusiastic, lukewarm "
            "or blocked, and talks about the reservations before deciding."
        ),
        15,
        "facilitation",
        "gradients",
    ),
    BuiltinMethod(
        "check_in",
        _("Check-in round"),
        _(
            "At the start, each person says in a sentence or two who they are, where they come "
            "from and what they bring to the meeting today. It helps people to get to know one "
            "another, which is where trust begins."
        ),
        15,
        "hosting",
        "wordcloud",
    ),
    BuiltinMethod(
        "reflection",
        _("Joint reflection"),
        _(
            "At the end, look back together: what went well, what did we learn, and what will "
            "we do differently next time. A scale question about the meeting's usefulness "
            "gives a quick picture; the open answers give the reasons."
        ),
        20,
        "facilitation",
        "scale",
    ),
]

BY_KEY = {method.key: method for method in METHODS}


def method_builtin(key: str) -> BuiltinMethod | None:
    return BY_KEY.get(key)


# Kaner's gradients of agreement (docs/instrument.md): the poll shows the distribution over these
# eight points, never an average.
GRADIENTS = [
    _("Endorsement — “I like it.”"),
    _("Endorsement with a minor point of contention — “Basically I like it.”"),
    _("Agreement with reservations — “I can live with it.”"),
    _("Abstain — “I have no opinion.”"),
    _("Stand aside — “I don't like this, but I won't hold up the group.”"),
    _("Formal disagreement, but willing to go with the majority"),
    _("Formal disagreement, asking not to take part in carrying it out"),
    _("Block — “I veto this proposal.”"),
]
