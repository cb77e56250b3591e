from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms import BaseFormSet, BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suhde.common.forms import LocalDecimalField, StyledForm, picker
from suhde.common.numbers import has_percent
from suhde.networks.models import NAME_MAX, TEXT_MAX, GoalKind

from .domain import INDICATORS_MAX
from .models import ANSWER_MAX, Indicator, Progress, RoleKind
from .questions import QUESTIONS, Question


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CharterForm(StyledForm):
    """One section per question; ``based_on`` is the version the editor started from."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            field = forms.CharField(
                label=question.text,
                help_text=question.guidance,
                required=False,
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            field.widget.attrs.update(
                {"class": "form-control", "aria-describedby": f"id_answer_{question.number}_help"}
            )
            self.fields[f"answer_{question.number}"] = field

    def answers(self) -> dict[str, str]:
        return {str(q.number): self.cleaned_data.get(f"answer_{q.number}", "") for q in QUESTIONS}

    def sections(self) -> list[tuple[Question, BoundField]]:
        return [(question, self[f"answer_{question.number}"]) for question in QUESTIONS]


class AgreeForm(StyledForm):
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DateInput, initial=timezone.localdate)
    agreed_in = forms.CharField(
        label=_("Approved in"),
        max_length=NAME_MAX,
        help_text=_(
            "The meeting or decision that approved this version, e.g. “Network meeting 12 March”."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].widget.attrs["max"] = timezone.localdate().isoformat()


def _text(label, rows=2):
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class GoalForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of goal"), choices=GoalKind.choices)
    title = forms.CharField(label=_("Goal"), max_length=NAME_MAX)
    description = _text(_("Description"), 3)
    why = _text(_("Why?"))
    who = _text(_("Who?"))
    how = _text(_("How?"))
    what = _text(_("What?"))
    resources = _text(_("With what resources?"))
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + [(p.pk, p.name) for p in members]
        picker(self.fields["owner"])


class IndicatorForm(StyledForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Indicator"), required=False, max_length=NAME_MAX)
    baseline = LocalDecimalField(
        label=_("Baseline"), required=False, max_digits=14, decimal_places=2
    )
    target = LocalDecimalField(label=_("Target"), required=False, max_digits=14, decimal_places=2)
    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=40,
        help_text=_("For example “%” or “young people”. A value typed with “%” sets it to “%”."),
    )
    how_measured = forms.CharField(label=_("How measured"), required=False, max_length=TEXT_MAX)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        rest = [data.get(k) for k in ("baseline", "target", "unit", "how_measured")]
        if not data.get("name") and any(value not in (None, "") for value in rest):
            self.add_error("name", _("Give the indicator a name before its target or baseline."))
        percent = [name for name in ("baseline", "target") if has_percent(self._raw(name))]
        if percent and not data.get("unit"):
            data["unit"] = "%"
        elif percent and data.get("unit") != "%":
            for name in percent:
                self.add_error(name, _percent_error(data["unit"]))
        return data

    def _raw(self, name):
        return self.data.get(self.add_prefix(name)) if self.is_bound else None


def _percent_error(unit: str) -> str:
    return _(
        "This indicator is counted in “%(unit)s”, not in per cent: leave out the “%%” or "
        "change the unit."
    ) % {"unit": unit}


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, extra=2, can_delete=True, max_num=INDICATORS_MAX, validate_max=True
)


def indicator_rows(formset: BaseFormSet[IndicatorForm]) -> list[dict[str, object]]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


class ProgressForm(StyledForm):
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    recorded_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    value = LocalDecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=NAME_MAX)

    def __init__(self, *args: Any, indicators: Sequence[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {i.pk: i for i in indicators}
        field = self.fields["indicator"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(i.pk, i.name) for i in indicators]
        self.fields["recorded_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def indicator_of(self, data: dict[str, Any]) -> Indicator | None:
        key = data.get("indicator")
        return self.indicators.get(key) if isinstance(key, int) else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        indicator = self.indicator_of(data)
        typed = self.data.get(self.add_prefix("value")) if self.is_bound else None
        if indicator is not None and has_percent(typed) and indicator.unit != "%":
            if indicator.unit:
                self.add_error("value", _percent_error(indicator.unit))
            else:
                self.add_error(
                    "value",
                    _("This indicator has no unit: leave out the “%” or make its unit “%”."),
                )
        return data


class ProgressCorrectForm(ProgressForm):
    """The same fields for one recorded update; the indicator stays what it was."""

    def __init__(self, *args: Any, progress: Progress, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"recorded_on": progress.recorded_on, "value": progress.value, "note": progress.note},
        )
        super().__init__(*args, indicators=[progress.indicator], **kwargs)
        del self.fields["indicator"]
        self.progress = progress

    def indicator_of(self, data: dict[str, Any]) -> Indicator | None:
        return self.progress.indicator


class RoleForm(StyledForm):
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=NAME_MAX,
        help_text=_(
            "Needed for another role; optional for the three roles of strong partnerships."
        ),
    )
    description = _text(_("What the role does"), 3)
    holders = forms.TypedMultipleChoiceField(
        label=_("Held by"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Coordination, facilitation and communication are also held by the members with "
            "that role in the network."
        ),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holders"].choices = [(p.pk, p.name) for p in members]
        picker(self.fields["holders"])
