"""Django's own messages that its Finnish or Swedish catalogue leaves untranslated.

They are named here so that ``makemessages`` copies them into our catalogues, where they are
translated; our catalogues (``LOCALE_PATHS``) are read before Django's. Nothing calls this
module. ``tests/common/test_i18n.py`` fails when Django adds such a message, so the list stays
complete as Django is upgraded.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # MinimumLengthValidator, shown when a password is set or changed.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    # A form field choosing a row that no longer exists.
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
]
