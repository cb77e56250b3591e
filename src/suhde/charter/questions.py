"""The charter's fifteen questions, each with a short guidance of our own.

The questions come from the source material (docs/background.md, section 4).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    number: int
    text: Promise
    guidance: Promise
    guide: str = ""  # the guide's page on the concept the question asks about


QUESTIONS = (
    Question(
        1,
        _("How is the work coordinated and facilitated?"),
        _("Name who keeps the whole together and who prepares and hosts the encounters."),
    ),
    Question(
        2,
        _("How do we build knowing, trust and commitment?"),
        _("Think of ways to meet the human behind the title, to keep promises and to follow up."),
        guide="knowing_trust_commitment",
    ),
    Question(
        3,
        _("How and how often do we hold network meetings and other encounters?"),
        _("Say how often you meet, for how long, where or online, and who prepares the agenda."),
    ),
    Question(
        4,
        _(
            "What activities do we run: information sharing, discussions, forums, free or "
            "goal-oriented learning together, joint projects, something else?"
        ),
        _("List the activities you commit to now; others can be added later."),
        guide="learning_modes",
    ),
    Question(
        5,
        _("How do members communicate, hold dialogue and process information together?"),
        _("Which channels do you use for what, and how does information reach everyone?"),
    ),
    Question(
        6,
        _("How are decisions made in the network?"),
        _(
            "Say which matters are decided top-down, which together with facilitation and which "
            "each member decides on its own."
        ),
        guide="decision_modes",
    ),
    Question(
        7,
        _("How is the membership developed, and how are new actors brought in?"),
        _("Who may join, who invites them, and how is a newcomer welcomed?"),
    ),
    Question(
        8,
        _("What roles can actors take?"),
        _("For example coordination, facilitation and communication; the roles page lists them."),
    ),
    Question(
        9,
        _("What commitment is expected?"),
        _("Be concrete: time, presence at meetings, tasks between meetings."),
    ),
    Question(
        10,
        _("What resources are participants hoped to invest in the network work?"),
        _("Working time, premises, expertise, money, contacts."),
    ),
    Question(
        11,
        _("How do we include different target groups with different needs?"),
        _("Whose voice is missing now, and how do you reach them?"),
    ),
    Question(
        12,
        _(
            "How are the participants' home organizations and other stakeholders informed and "
            "involved?"
        ),
        _("Who reports back to whom, and how often?"),
    ),
    Question(
        13,
        _("How is the work funded and resourced?"),
        _("Name the sources of funding and who is responsible for them."),
    ),
    Question(
        14,
        _("How are the network's activities and results followed and evaluated together?"),
        _("Which goals and indicators do you follow, and when do you reflect on them together?"),
    ),
    Question(
        15,
        _("How is the work developed and renewed together?"),
        _("When and how do you come back to this charter and change it?"),
    ),
)
NUMBERS = tuple(question.number for question in QUESTIONS)
