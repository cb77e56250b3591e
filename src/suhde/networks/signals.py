from django.dispatch import Signal

# Sent by `suhde demo` with ``network`` (the demo's core network) after the registry's demo is
# in place, every run. Apps above networks connect idempotent receivers that add their part of
# the demo (survey waves, the annual clock), so networks never imports them.
demo_loaded = Signal()
