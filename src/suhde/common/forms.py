from django import forms


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
