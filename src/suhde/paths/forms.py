from django import forms
from django.utils.translation import gettext_lazy as _

from suhde.common.forms import StyledForm, picker
from suhde.networks.models import NAME_MAX, TEXT_MAX

from .models import KEY_MAX, HandoffStatus, HandoffWay


class PathForm(StyledForm):
    name = forms.CharField(label=_("Name of the path"), max_length=NAME_MAX)
    client_group = forms.CharField(
        label=_("Client group"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Describe the group in words, for example “young people leaving aftercare, "
            "18–25”. Never write a client's name or other personal data here."
        ),
    )
    goal = forms.CharField(
        label=_("Goal"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: one door, nobody is bounced between services."),
    )


class StageForm(StyledForm):
    key = forms.CharField(required=False, max_length=KEY_MAX, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Stage"), required=False, max_length=NAME_MAX)
    needs = forms.CharField(
        label=_("What the client needs here"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    organizations = forms.TypedMultipleChoiceField(
        label=_("Organizations responsible"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.TypedMultipleChoiceField(
        label=_("People responsible (optional)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    after = forms.CharField(
        label=_("Comes after stages"),
        required=False,
        max_length=200,
        help_text=_(
            "Numbers of the stages it follows, separated by commas (“2, 3” where two "
            "branches rejoin). Empty: the stage above. “0”: a start of the path."
        ),
    )

    def __init__(self, *args, organizations=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].choices = organizations
        self.fields["people"].choices = people
        picker(self.fields["organizations"])
        picker(self.fields["people"])


class TransitionForm(StyledForm):
    status = forms.ChoiceField(label=_("Status of the handoff"), choices=HandoffStatus.choices)
    handed_by = forms.TypedChoiceField(
        label=_("Who hands over"), required=False, coerce=int, empty_value=None
    )
    received_by = forms.TypedChoiceField(
        label=_("Who receives"), required=False, coerce=int, empty_value=None
    )
    information = forms.CharField(
        label=_("What information passes"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.CharField(
        label=_("With what consent"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: the young person's written consent, asked at the planning meeting."
        ),
    )
    timing = forms.CharField(label=_("When"), required=False, max_length=NAME_MAX)
    way = forms.ChoiceField(label=_("Agreed way"), required=False, choices=HandoffWay.choices)
    problems = forms.CharField(
        label=_("Known problems"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In words, without any client's name or details."),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("handed_by", "received_by"):
            self.fields[name].choices = [("", "—"), *people]


class MeetingPlanForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX)
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=NAME_MAX)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class AnnexForm(StyledForm):
    text = forms.CharField(
        label=_("The agreed handoff"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
