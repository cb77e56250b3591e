from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext_lazy as _

from .numbers import format_decimal, parse_decimal


class StyledForm(forms.Form):
    """Gives every widget its Bootstrap class and points it at its help and error text."""

    CLASSES = {
        forms.CheckboxInput: "form-check-input",
        forms.CheckboxSelectMultiple: "form-check-input",
        forms.Select: "form-select",
        forms.SelectMultiple: "form-select",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = next(
                (c for w, c in self.CLASSES.items() if isinstance(field.widget, w)), "form-control"
            )
            field.widget.attrs.setdefault("class", css)
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_help")


def picker(field: forms.Field) -> forms.Field:
    """Make a choice of people or organizations searchable: app.js puts a search box before it
    that narrows the choices as one types, case and diacritics folded ("makela" finds Mäkelä).
    Without JavaScript it stays the plain list."""
    field.picker = True
    if not isinstance(field.widget, forms.CheckboxSelectMultiple):
        field.widget.attrs["data-picker"] = ""
    return field


def form_add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a domain error on its field, or on the form when the field is not on it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_status(*forms_: BaseForm | BaseFormSet[Any] | None) -> int:
    """400 when a submitted form has errors, so a bad form never looks like a success."""
    return (
        400 if any(form is not None and form.is_bound and form.errors for form in forms_) else 200
    )


class DecimalInput(forms.TextInput):
    """A text field for a number: the browser's number field misreads a decimal comma."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, (Decimal, int, float)):
            return format_decimal(value)
        return super().format_value(value)


class LocalDecimalField(forms.DecimalField):
    """A decimal typed as the reader's language writes it: "4,5", "1 200", "12,5 %"."""

    widget = DecimalInput
    default_error_messages = {
        "invalid": _("Write a number, for example 4.5 or 1,200."),
    }

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # as the stubs' DecimalField (they derive it from IntegerField)
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # DecimalField would add step/min/max for a number input; this is a text field.
        return forms.Field.widget_attrs(self, widget)


def guided(field: forms.Field, key: str) -> forms.Field:
    """Put a "?" beside the field's label that opens the guide's page ``key`` (common/guide.py);
    a key the guide lacks fails when the form's module is imported."""
    from .guide import guide_keys

    if key not in guide_keys():
        raise ValueError(f"The guide has no page {key!r}.")
    field.guide = key
    return field
