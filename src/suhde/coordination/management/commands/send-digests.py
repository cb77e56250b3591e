"""`suhde send-digests`, the name in the docs, is the same command as `send_digests`."""

from .send_digests import Command  # noqa: F401
