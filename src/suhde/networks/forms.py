from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suhde.common.forms import StyledForm, form_add_errors, guided, picker  # noqa: F401  re-exported

from .models import (
    CUSTOM_FIELD_NAME_MAX,
    NAME_MAX,
    TEXT_MAX,
    FieldFor,
    FieldKind,
    Form,
    GoalKind,
    Level,
    Network,
    Organization,
    Person,
    Phase,
    Role,
    Scope,
    Sector,
    Strength,
)


class NetworkForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    slug = forms.CharField(
        label=_("Short name"),
        max_length=60,
        required=False,
        help_text=_(
            "Used in web addresses. Left empty, it is made from the name; "
            "ä, ö and å become a, o and a, spaces become hyphens."
        ),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why does this network exist?"),
    )
    form = guided(
        forms.ChoiceField(label=_("Form"), choices=Form.choices, initial=Form.JOINT),
        "network_forms",
    )
    levels = guided(
        forms.MultipleChoiceField(
            label=_("Levels of work"),
            choices=Level.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
        "levels",
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.EXTERNAL)
    goal_kinds = forms.MultipleChoiceField(
        label=_("Goals"),
        choices=GoalKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    parent = guided(
        forms.ModelChoiceField(
            label=_("Part of the network"),
            queryset=Network.objects.none(),
            required=False,
            help_text=_("Choose the core network if this is one of its theme networks."),
        ),
        "networks_of_networks",
    )

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents if parents is not None else Network.objects.none()


class PhaseForm(StyledForm):
    to_phase = guided(
        forms.TypedChoiceField(label=_("Move to phase"), choices=Phase.choices, coerce=int),
        "continuum",
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, and why move on now?"),
    )
    # Set by the page that shows what a round leaves behind (networks/continuum.py, ROUND_END).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class OrganizationForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent organization"), queryset=Organization.objects.none(), required=False
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=500, assume_scheme="https"
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["parent"].queryset = organizations


class CompetencesField(forms.CharField):
    """Competences are typed as a comma-separated list and stored as tags."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def clean(self, value: object) -> list[str]:
        """The text, checked as text (its length in characters), then split into tags."""
        text = super().clean(value)
        return [part.strip() for part in text.split(",") if part.strip()]


class PersonForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    organization = forms.ModelChoiceField(
        label=_("Home organization"), queryset=Organization.objects.none(), required=False
    )
    title = forms.CharField(
        label=pgettext_lazy("job title", "Title"), required=False, max_length=NAME_MAX
    )
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    human = forms.CharField(
        label=_("The human behind the title"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Background, interests, what others should know about working with them."),
    )
    competences = CompetencesField(
        label=_("Competences"),
        required=False,
        max_length=2000,
        help_text=_("Separate with commas."),
    )
    needs = forms.CharField(
        label=_("Needs and expectations"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
        picker(self.fields["organization"])


class OwnDetailsForm(PersonForm):
    """A person's own details. The home organization is the networks' business: a coordinator
    proposes it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organization"]


class MembershipForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    in_steering_group = forms.BooleanField(
        label=_("In the steering or coordinating group"), required=False
    )


class NewMemberForm(PersonForm, MembershipForm):
    pass


class TieForm(StyledForm):
    source = forms.ModelChoiceField(label=_("From"), queryset=Person.objects.none())
    target = forms.ModelChoiceField(label=_("To"), queryset=Person.objects.none())
    strength = forms.ChoiceField(
        label=_("Strength"),
        choices=Strength.choices,
        initial=Strength.WEAK,
        help_text=_("Weak: ad hoc contact when needed. Strong: agreed roles and regular work."),
    )
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        guided(self.fields["strength"], "weak_strong_ties")
        if people is not None:
            self.fields["source"].queryset = people
            self.fields["target"].queryset = people
        picker(self.fields["source"])
        picker(self.fields["target"])


class TieEditForm(StyledForm):
    """The coordinator's word on a tie that exists: it becomes the tie's entered source."""

    strength = forms.ChoiceField(
        label=_("Strength"),
        choices=Strength.choices,
        help_text=_("Weak: ad hoc contact when needed. Strong: agreed roles and regular work."),
    )
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class InvitationForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class AcceptInvitationForm(StyledForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, strip=False, max_length=128
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, strip=False, max_length=128
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        user_model = get_user_model()
        user_model.username_validator(username)
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken; choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ImportForm(StyledForm):
    people = forms.FileField(
        label=_("People file"),
        help_text=_("CSV (UTF-8 or Latin-1, comma or semicolon) or Excel .xlsx."),
    )
    ties = forms.FileField(
        label=_("Ties file"),
        required=False,
        help_text=_(
            "Optional. The same Excel workbook may hold both, on sheets “people” and “ties”."
        ),
    )


class CustomFieldForm(StyledForm):
    """A field of the network's own: its kind is chosen once (``kind`` is left out on edit)."""

    applies_to = forms.ChoiceField(label=_("For"), choices=FieldFor.choices)
    name = forms.CharField(label=_("Name"), max_length=CUSTOM_FIELD_NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=FieldKind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a choice field: one choice per line."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["applies_to"]
            del self.fields["kind"]

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class CustomValuesForm(StyledForm):
    """One input per field of the network's own; the values are checked by
    ``domain.custom_values_set``, whose errors come back at their field."""

    def __init__(self, *args, fields, values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_name = {}
        for custom in fields:
            key = f"field_{custom.pk}"
            self.by_name[custom.name] = key
            value = values.get(custom.name)
            if custom.kind == FieldKind.CHOICE:
                choices = [("", "–"), *((c, c) for c in custom.choices)]
                if value and value not in custom.choices:
                    choices.append((value, value))  # a choice removed stays until changed
                self.fields[key] = forms.ChoiceField(
                    label=custom.name, choices=choices, required=False, initial=value or ""
                )
            elif custom.kind == FieldKind.TAGS:
                self.fields[key] = forms.CharField(
                    label=custom.name,
                    required=False,
                    initial=", ".join(value or []),
                    help_text=_("Separate tags with commas."),
                )
            elif custom.kind == FieldKind.NUMBER:
                shown = "" if value is None else str(value).replace(".", ",")
                self.fields[key] = forms.CharField(
                    label=custom.name,
                    required=False,
                    initial=shown,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            else:
                self.fields[key] = forms.CharField(
                    label=custom.name,
                    required=False,
                    initial=value or "",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        for key, field_ in self.fields.items():  # as StyledForm does for declared fields
            css = "form-select" if isinstance(field_.widget, forms.Select) else "form-control"
            field_.widget.attrs.setdefault("class", css)
            field_.widget.attrs.setdefault("aria-describedby", f"id_{key}_help")

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(key, "") for name, key in self.by_name.items()}

    def add_domain_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(self.by_name.get(name), message)
