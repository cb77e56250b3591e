from django import forms
from django.utils.translation import gettext_lazy as _

from suhde.common.forms import StyledForm

from .models import CONTACT_MAX


class PublishForm(StyledForm):
    contact = forms.CharField(
        label=_("Contact"),
        max_length=CONTACT_MAX,
        error_messages={"required": _("Give a contact: an email address or a web address.")},
        help_text=_(
            "A shared address that anyone may write to, such as the network's email address or "
            "web page; it is shown on the public page."
        ),
    )
