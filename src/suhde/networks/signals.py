from django.dispatch import Signal

# Sent by `suhde demo` with ``network`` (the demo's core network) after the registry's demo is
# in place, every run. Apps above networks connect idempotent receivers that add their part of
# the demo (survey waves, the annual clock), so networks never imports them.
demo_loaded = Signal()

# Sent once the transaction that changed a person's email address has committed, with
# ``person``, ``old_email`` and ``new_email``. Surveys revoke the person's open personal links
# with it, so a link never follows an address that someone else may have typed in.
person_email_changed = Signal()
