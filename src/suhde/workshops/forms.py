from django import forms
from django.utils.translation import gettext_lazy as _

from suhde.common.forms import StyledForm, guided, picker
from suhde.networks.models import NAME_MAX, TEXT_MAX

from .models import (
    OPTION_MAX,
    OPTIONS_MAX,
    PARTICIPANT_NAME_MAX,
    POST_MAX,
    QUESTION_MAX,
    DecisionMode,
    LearningMode,
    PromptKind,
)
from .session_templates import SESSION_TEMPLATES


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    minutes = forms.IntegerField(
        label=_("Time reserved (minutes)"),
        min_value=5,
        max_value=24 * 60,
        initial=120,
        help_text=_("The agenda is compared with this: enough but not too much time."),
    )
    place = forms.CharField(label=_("Place"), max_length=NAME_MAX, required=False)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=TEXT_MAX, required=False, widget=forms.Textarea({"rows": 3})
    )
    event = forms.TypedChoiceField(
        label=_("Event on the annual clock"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Leave empty and the meeting is put on the annual clock by itself."),
    )

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("standalone meeting")), *events]


class NotesForm(StyledForm):
    notes = forms.CharField(
        label=_("Notes"), max_length=50_000, required=False, widget=forms.Textarea({"rows": 8})
    )


class BlockForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600)
    method = forms.ChoiceField(label=_("Method"), required=False)
    learning_mode = forms.ChoiceField(
        label=_("Learning mode"),
        required=False,
        choices=[("", "—"), *LearningMode.choices],
        help_text=_(
            "Teaching: knowledge passes from the teacher. Facilitation: created together, "
            "guided. Hosting: created together, self-directed."
        ),
    )
    decision_mode = forms.ChoiceField(
        label=_("Decision mode"),
        required=False,
        choices=[("", _("no decision expected")), *DecisionMode.choices],
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=TEXT_MAX, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods
        guided(self.fields["learning_mode"], "learning_modes")
        guided(self.fields["decision_mode"], "decision_modes")


class MethodForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )
    learning_mode = forms.ChoiceField(
        label=_("Learning mode"), required=False, choices=[("", "—"), *LearningMode.choices]
    )
    minutes = forms.IntegerField(
        label=_("Typical duration (minutes)"), min_value=1, max_value=600, initial=30
    )


class AttendeesForm(StyledForm):
    attendees = forms.TypedMultipleChoiceField(
        label=_("Attendees"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = people
        picker(self.fields["attendees"])


class SessionForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=NAME_MAX)
    meeting = forms.TypedChoiceField(
        label=_("Meeting"), required=False, coerce=int, empty_value=None
    )

    template = forms.ChoiceField(
        label=_("Start from a template"),
        required=False,
        help_text=_("Its questions are added to the session; the first one opens at once."),
    )

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", _("no meeting")), *meetings]
        self.fields["template"].choices = [
            ("", _("no template: I add the questions")),
            *((key, t["title"]) for key, t in SESSION_TEMPLATES.items()),
        ]


class PromptForm(StyledForm):
    kind = forms.ChoiceField(label=_("Type"), choices=PromptKind.choices)
    question = forms.CharField(label=_("Question"), max_length=QUESTION_MAX)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=OPTIONS_MAX * (OPTION_MAX + 2),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("For multiple choice, ranking and dot voting: one option a line."),
    )
    scale_max = forms.IntegerField(
        label=_("Points on the scale"), min_value=2, max_value=10, initial=5
    )
    dots = forms.IntegerField(label=_("Dots per participant"), min_value=1, max_value=10, initial=3)
    approval = forms.BooleanField(
        label=_("Approve posts before they are shown"),
        required=False,
        help_text=_(
            "Highlights, word clouds and Q&A: posts wait in your queue until you approve them."
        ),
    )
    open = forms.BooleanField(label=_("Open it now"), required=False, initial=True)


class PromptEditForm(StyledForm):
    """Reword a question, its options and settings; the type stays."""

    question = forms.CharField(label=_("Question"), max_length=QUESTION_MAX)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=OPTIONS_MAX * (OPTION_MAX + 2),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("For multiple choice, ranking and dot voting: one option a line."),
    )
    scale_max = forms.IntegerField(label=_("Points on the scale"), min_value=2, max_value=10)
    dots = forms.IntegerField(label=_("Dots per participant"), min_value=1, max_value=10)
    approval = forms.BooleanField(label=_("Approve posts before they are shown"), required=False)

    def __init__(self, *args, prompt, **kwargs):
        initial = {
            "question": prompt.question,
            "options": "\n".join(prompt.options),
            "scale_max": prompt.scale_max,
            "dots": prompt.dots,
            "approval": prompt.approval,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if not prompt.options:
            del self.fields["options"]
        if prompt.kind != PromptKind.SCALE:
            del self.fields["scale_max"]
        if prompt.kind != PromptKind.DOTS:
            del self.fields["dots"]
        if not prompt.is_text:
            del self.fields["approval"]


class CodeForm(StyledForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "off"}),
    )


class JoinForm(StyledForm):
    name = forms.CharField(
        label=_("Your name (optional)"), max_length=PARTICIPANT_NAME_MAX, required=False
    )
    organization = forms.CharField(
        label=_("Your organization (optional)"), max_length=PARTICIPANT_NAME_MAX, required=False
    )


class PostForm(StyledForm):
    text = forms.CharField(
        label=_("Your answer"), max_length=POST_MAX, widget=forms.Textarea({"rows": 3})
    )
    key = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
