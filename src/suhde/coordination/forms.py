from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from django import forms
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suhde.common.forms import StyledForm, picker
from suhde.networks.models import NAME_MAX, TEXT_MAX, Network, Person

from .models import PALETTE, Category, Event
from .recurrence import RULE_MAX

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
COLOURS = [
    _("blue"),
    _("orange"),
    _("green"),
    _("pink"),
    _("vermilion"),
    _("sky blue"),
    _("yellow"),
    _("black"),
]
REPEATS = [
    ("", _("does not repeat")),
    ("weekly", _("every week on the same weekday")),
    ("monthly_nth", _("every month on the same weekday (for example the second Tuesday)")),
    ("monthly_day", _("every month on the same date")),
    ("yearly", _("every year on the same date")),
    ("custom", _("by the rule below")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if hasattr(value, "isoformat") else value


class TimeInput(forms.TimeInput):
    input_type = "time"

    def format_value(self, value: Any) -> str | None:
        return value.strftime("%H:%M") if hasattr(value, "strftime") else value


def preset_rule(preset: str, start: datetime) -> str:
    """The RRULE for a choice of the form, read from the start date."""
    day = DAYS[start.weekday()]
    nth = (start.day - 1) // 7 + 1
    return {
        "weekly": "FREQ=WEEKLY",
        "monthly_nth": f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{day}",
        "monthly_day": f"FREQ=MONTHLY;BYMONTHDAY={start.day}",
        "yearly": "FREQ=YEARLY",
    }.get(preset, "")


def _preset_of(rule: str, start: datetime) -> str:
    """The form's choice that writes this rule, so editing shows words, not the rule."""
    if not rule:
        return ""
    for preset, _label in REPEATS[1:-1]:
        if preset_rule(preset, start) == rule:
            return preset
    return "custom"


class EventForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("event", "Title"), max_length=NAME_MAX)
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"), queryset=None, empty_label=None
    )
    all_day = forms.BooleanField(label=_("All day"), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput)
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the same day."),
    )
    end_time = forms.TimeField(label=_("End time"), required=False, widget=TimeInput)
    timezone = forms.CharField(
        label=_("Time zone"), max_length=64, initial=settings.TIME_ZONE, required=False
    )
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEATS, required=False)
    rrule = forms.CharField(
        label=_("Repeat rule (RFC 5545 RRULE)"),
        required=False,
        max_length=RULE_MAX,
        help_text=_(
            "For example FREQ=MONTHLY;BYDAY=2TU is the second Tuesday of every month; "
            "add ;UNTIL=20271231 to end it."
        ),
    )
    exdates = forms.CharField(
        label=_("Exceptions: dates when it does not happen"),
        required=False,
        max_length=11_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One date per line, as YYYY-MM-DD."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=NAME_MAX)
    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=500, assume_scheme="https"
    )
    responsible: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=None, required=False
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared_with: forms.ModelMultipleChoiceField[Network] = forms.ModelMultipleChoiceField(
        label=_("Also on the clocks of"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, categories, people, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda category: category.label
        self.fields["responsible"].queryset = people
        picker(self.fields["responsible"])
        if networks.exists():
            self.fields["shared_with"].queryset = networks
        else:
            del self.fields["shared_with"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start_date = data.get("start_date")
        if start_date is None:
            return data
        end_date = data.get("end_date") or start_date
        if data.get("all_day"):
            data["start"] = datetime.combine(start_date, time(0))
            data["end"] = datetime.combine(end_date + timedelta(days=1), time(0))
        else:
            if data.get("start_time") is None:
                self.add_error("start_time", _("Give a start time, or mark the event all day."))
                return data
            start = datetime.combine(start_date, data["start_time"])
            end_time = data.get("end_time") or (start + timedelta(hours=1)).time()
            data["start"], data["end"] = start, datetime.combine(end_date, end_time)
        preset = data.get("repeat") or ""
        if preset and preset != "custom":
            data["rrule"] = preset_rule(preset, data["start"])
        elif not preset:
            data["rrule"] = ""
        return data

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            key: data[key]
            for key in (
                "title",
                "category",
                "all_day",
                "start",
                "end",
                "rrule",
                "exdates",
                "place",
                "online_url",
                "responsible",
                "description",
            )
        }
        fields["timezone"] = data.get("timezone") or settings.TIME_ZONE
        if "shared_with" in self.fields:
            fields["shared_with"] = data["shared_with"]
        return fields


def event_initial(event: Event, tz: tzinfo) -> dict[str, object]:
    start, end = event.start.astimezone(tz), event.end.astimezone(tz)
    if event.all_day:
        end = end - timedelta(days=1)
    return {
        "title": event.title,
        "category": event.category_id,
        "all_day": event.all_day,
        "start_date": start.date(),
        "start_time": None if event.all_day else start.time(),
        "end_date": end.date(),
        "end_time": None if event.all_day else end.time(),
        "timezone": event.time_zone,
        "repeat": _preset_of(event.rrule, start),
        "rrule": event.rrule,
        "exdates": "\n".join(event.exdates or []),
        "place": event.place,
        "online_url": event.online_url,
        "responsible": event.responsible_id,
        "description": event.description,
        "shared_with": [network.pk for network in event.shared_with.all()],
    }


def _month_choices():
    return [(i, formats.date_format(datetime(2026, i, 1), "F").capitalize()) for i in range(1, 13)]


class ClockSettingsForm(StyledForm):
    start_month = forms.TypedChoiceField(label=_("The year starts in"), coerce=int, choices=())
    stale_months = forms.IntegerField(
        label=_("Contact details are stale after (months)"), min_value=1, max_value=60
    )
    reminder_days = forms.IntegerField(
        label=_("Remind the responsible person (days before)"), min_value=0, max_value=60
    )
    show_theme_networks = forms.BooleanField(
        label=_("Show the theme networks' events as extra rings"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_month"].choices = _month_choices()


class CategoryForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    colour = forms.TypedChoiceField(
        label=_("Colour"), coerce=int, choices=list(enumerate(COLOURS))[: len(PALETTE)]
    )
    order = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=100, required=False, help_text=_("Empty: last.")
    )


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("iCalendar file (.ics)"), help_text=_("At most 1 MB and 500 events.")
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"), queryset=None, empty_label=None
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda category: category.label


class ConfirmForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    title = forms.CharField(
        label=pgettext_lazy("job title", "Title"), required=False, max_length=NAME_MAX
    )
