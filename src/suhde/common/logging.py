"""Keep secret tokens out of every log line (promise 6)."""

import logging
import re

# Paths that carry a secret: invitation and other link tokens, and password reset links
# (/reset/<user id>/<token>/).
TOKEN_PATH = re.compile(r"(/(?:invite|t|s|survey|confirm|feed|ical)/)[A-Za-z0-9_\-]{8,}")
RESET_PATH = re.compile(r"(/reset/)[A-Za-z0-9_\-]+/[A-Za-z0-9_\-:]{8,}")
BEARER = re.compile(r"(Bearer\s+)\S+", re.IGNORECASE)


def redact(text: str) -> str:
    text = TOKEN_PATH.sub(r"\1[redacted]", text)
    text = RESET_PATH.sub(r"\1[redacted]", text)
    return BEARER.sub(r"\1[redacted]", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string still must not leak its arguments
            message = str(record.msg)
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
