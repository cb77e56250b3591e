"""Ready-made live sessions from the network-leadership material, in our own words.

Each has a stable key: other parts refer to it (the phase-4 evaluation reuses ``reflection``).
Choosing one on *Start a live session* adds its questions in the facilitator's language; they are
then the session's own, and the first one opens.
"""

from django.utils.translation import gettext_lazy as _

SESSION_TEMPLATES: dict[str, dict] = {
    "tuning_in": {
        "title": _("Check-in: tuning in"),
        "prompts": [
            {"kind": "wordcloud", "question": _("In a word or two: how do you arrive today?")},
            {"kind": "scale", "question": _("How much energy do you bring today?")},
        ],
    },
    "group_highlights": {
        "title": _("Small groups: highlights"),
        "prompts": [
            {"kind": "highlights", "question": _("What works well? Post a few highlights.")},
            {"kind": "highlights", "question": _("What needs improving? Post a few highlights.")},
        ],
    },
    "dream_network": {
        "title": _("Our dream network"),
        "prompts": [
            {"kind": "highlights", "question": _("Our dream network: what is it like?")},
            {"kind": "highlights", "question": _("The most important first steps?")},
        ],
    },
    "reflection": {
        "title": _("Reflection round"),
        "prompts": [
            {"kind": "scale", "question": _("How well did we reach what we set out to do?")},
            {"kind": "highlights", "question": _("What did we learn together?")},
            {"kind": "highlights", "question": _("What do we do differently from now on?")},
        ],
    },
}


def template_prompts(key: str) -> list[dict]:
    """The template's questions as ``live.prompt_add`` takes them, in the active language."""
    return [
        {"kind": prompt["kind"], "question": str(prompt["question"])}
        for prompt in SESSION_TEMPLATES[key]["prompts"]
    ]
