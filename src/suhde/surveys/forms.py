from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suhde.common.forms import StyledForm, picker
from suhde.common.privacy import K_DEFAULT, K_MINIMUM

from . import instrument
from .models import OPEN_MAX


class WaveForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave as it is to open now."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    recall_months = forms.IntegerField(
        label=_("Recall period in months"),
        min_value=1,
        max_value=60,
        initial=12,
        help_text=_("Respondents think of their dealings in this network during this time."),
    )
    k = forms.IntegerField(
        label=_("Anonymity threshold"),
        min_value=K_MINIMUM,
        max_value=50,
        initial=K_DEFAULT,
        help_text=_(
            "A group figure is shown only when at least this many people answered. "
            "It cannot be lowered after the first answer."
        ),
    )
    invitees = forms.MultipleChoiceField(
        label=_("Who is invited"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to invite every member."),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].choices = [(str(p.pk), p.name) for p in members]
        picker(self.fields["invitees"])
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", now.strftime("%Y-%m-%dT%H:%M"))
            self.initial.setdefault(
                "closes_at", (now + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M")
            )


# "Can't say" has a value of its own: an item nobody touched shows no choice at all, instead of
# "can't say" pre-selected, and either way the answer is stored as no value.
CANT_SAY = "cant_say"


class RatingField(forms.ChoiceField):
    def clean(self, value: object) -> object:
        value = super().clean(value)
        return "" if value == CANT_SAY else value


def _radio(label, choices, *, cant_say=True):
    options = [(str(value), text) for value, text in choices]
    if cant_say:
        options.append((CANT_SAY, instrument.CANT_SAY))
    return RatingField(label=label, choices=options, required=False, widget=forms.RadioSelect)


class PartnerForm(forms.Form):
    """The way of working and the dyadic items about one partner."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"] = _radio(
            _("How do you work together?"), instrument.LEVELS, cant_say=False
        )
        for item in instrument.DYADIC:
            self.fields[item.id] = _radio(item.text, instrument.EXTENT)

    def answers(self) -> dict:
        return {item.id: self.cleaned_data.get(item.id) or None for item in instrument.DYADIC}


class SelfForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in instrument.SELF:
            self.fields[item.id] = _radio(item.text, instrument.AGREEMENT)
        self.fields["barriers"] = forms.CharField(
            label=instrument.BARRIERS_QUESTION,
            required=False,
            max_length=OPEN_MAX,
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        )


class OpenForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, question in instrument.OPEN_QUESTIONS:
            self.fields[kind] = forms.CharField(
                label=question,
                required=False,
                max_length=OPEN_MAX,
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            )
