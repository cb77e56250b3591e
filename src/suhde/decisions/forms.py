from django import forms
from django.utils.translation import gettext_lazy as _

from suhde.common.forms import StyledForm, guided
from suhde.networks.models import NAME_MAX, TEXT_MAX
from suhde.workshops.models import DecisionMode

from . import kinds
from .models import COMMENT_MAX, DOTS_MAX, REASON_MAX, PollKind, Results, Status


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DecisionForm(StyledForm):
    title = forms.CharField(label=_("Decision"), max_length=NAME_MAX)
    proposal = forms.CharField(
        label=_("Proposal"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    mode = guided(
        forms.ChoiceField(
            label=_("Way of deciding"),
            choices=DecisionMode.choices,
            initial=DecisionMode.FACILITATED,
            help_text=_(
                "Top-down: someone decides on behalf of the network. Facilitated: the network "
                "decides together. Self-directed: each member decides on its own."
            ),
        ),
        "decision_modes",
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    decided_by = forms.CharField(
        label=_("Who decided"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("A person, the steering group, the network meeting …"),
    )
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput)
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    meeting = forms.TypedChoiceField(
        label=_("Meeting"), required=False, coerce=int, empty_value=None
    )
    review_on = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=DateInput,
        help_text=_("The coordinators' weekly digest reminds of it two weeks ahead."),
    )

    charter_version = forms.TypedChoiceField(
        label=_("Approves the charter version"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The charter then shows this decision as the one that agreed on it."),
    )

    def __init__(self, *args, meetings=(), versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charter_version"].choices = [("", "—")] + [
            (v.number, f"{v.number} · {v.created_at:%Y-%m-%d}") for v in versions
        ]
        self.fields["meeting"].choices = [("", "—")] + [
            (m.pk, f"{m.title} ({m.starts_at:%Y-%m-%d})") for m in meetings
        ]


class PollForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Kind of poll"),
        required=False,
        choices=PollKind.choices,
        initial=PollKind.GRADIENTS,
        help_text=_(
            "Gradients of agreement for deciding together; consent asks for objections; a "
            "score or dots help to choose; a sense-check asks how the group feels."
        ),
    )
    options = forms.CharField(
        label=_("Options for dot voting, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dots = forms.IntegerField(
        label=_("Dots for each voter"), required=False, min_value=1, max_value=DOTS_MAX, initial=3
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous poll"),
        required=False,
        help_text=_(
            "Nobody sees who answered what, and the answers are shown only after closing, from "
            "three answers up. Otherwise names are shown with the answers."
        ),
    )
    results = forms.ChoiceField(
        label=_("Results are shown"),
        required=False,
        choices=Results.choices,
        initial=Results.VOTED,
    )
    deadline = forms.DateTimeField(
        label=_("Answers by"),
        widget=DateTimeInput,
        help_text=_("Members who were not in the meeting answer by a personal link until then."),
    )
    session = forms.TypedChoiceField(
        label=_("Ask it live too, in the session"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The gradients question is added to the live session; open it there."),
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", "—")] + [(s.pk, s.title) for s in sessions]

    def poll_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["session_id"] = data.pop("session")
        data["options"] = (data.get("options") or "").splitlines()
        data["kind"] = data.get("kind") or PollKind.GRADIENTS
        data["results"] = data.get("results") or Results.VOTED
        return data


class CloseForm(StyledForm):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was decided, in a sentence or two. It goes into the log."),
    )
    status = forms.ChoiceField(
        label=_("The decision is now"),
        choices=[
            (s.value, s.label) for s in (Status.DECIDED, Status.NOT_DECIDED, Status.MORE_WORK)
        ],
        initial=Status.DECIDED,
    )
    review_on = forms.DateField(
        label=_("Review the decision on"),
        required=False,
        widget=DateInput,
        help_text=_("Put on the annual clock, in the steering group's ring. Leave empty for none."),
    )


class VoteForm(StyledForm):
    point = forms.TypedChoiceField(
        label=_("Where do you stand?"), coerce=int, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    named = forms.BooleanField(label=_("Record my name with a formal disagreement"), required=False)

    def __init__(self, *args, poll=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        kind = poll.kind if poll is not None else PollKind.GRADIENTS
        if kind == PollKind.DOTS:
            del self.fields["point"]
            for index, option in enumerate(poll.options):
                self.fields[f"dot_{index}"] = forms.IntegerField(
                    label=option, min_value=0, max_value=poll.dots, initial=0, required=False
                )
        else:
            self.fields["point"].choices = kinds.choices(kind)
        if poll is None or not poll.anonymous or kind not in (PollKind.GRADIENTS, PollKind.CONSENT):
            del self.fields["named"]

    @property
    def dot_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("dot_")]

    def vote_fields(self) -> dict:
        data = {
            "reason": self.cleaned_data.get("reason", ""),
            "named": self.cleaned_data.get("named", False),
        }
        if "point" in self.fields:
            data["point"] = self.cleaned_data["point"]
        else:
            data["dots"] = [
                self.cleaned_data.get(f"dot_{i}") or 0 for i in range(len(self.poll.options))
            ]
        return data


class CommentForm(StyledForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Plain text; web addresses become links. Write @ and a member's name to let them know."
        ),
    )
