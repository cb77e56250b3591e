from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from suhde.common.forms import StyledForm
from suhde.networks.models import NAME_MAX, TEXT_MAX
from suhde.workshops.methods import GRADIENTS
from suhde.workshops.models import DecisionMode

from .models import REASON_MAX, Status


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
    mode = forms.ChoiceField(
        label=_("Way of deciding"),
        choices=DecisionMode.choices,
        initial=DecisionMode.FACILITATED,
        help_text=_(
            "Top-down: someone decides on behalf of the network. Facilitated: the network "
            "decides together. Self-directed: each member decides on its own."
        ),
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


class VoteForm(StyledForm):
    point = forms.TypedChoiceField(
        label=_("Where do you stand?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (n, format_lazy("{}. {}", n, label)) for n, label in enumerate(GRADIENTS, start=1)
        ],
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    named = forms.BooleanField(
        label=_("Record my name with a formal disagreement (points 6 and 7)"), required=False
    )
