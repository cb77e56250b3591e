"""Structured log lines, with secret tokens kept out of every one of them (promise 6)."""

import json
import logging
import re

from django_tasks.base import TaskResult

# Paths that carry a secret: invitation and other link tokens, and password reset links
# (/reset/<user id>/<token>/).
TOKEN_PATH = re.compile(
    r"(/(?:invite|change|t|s|survey|confirm|feed|ical|vote)/)[A-Za-z0-9_\-]{8,}"
)
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


# --- structured lines ------------------------------------------------------------------------

# The only extra fields a line may carry: ids, states and timings, never names, addresses,
# subjects, query strings or tokens.
FIELDS = (
    "request_id", "method", "path", "status", "duration_ms", "user_id",
    "job", "task", "kind", "state", "mail", "attempt", "error",
)  # fmt: skip


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the allowed fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None and value != "":
                line[name] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


task_log = logging.getLogger("suhde.tasks")


def task_logged(sender: object, task_result: TaskResult[object], **kwargs: object) -> None:
    """One line per background task as it ends (django-tasks' ``task_finished`` signal)."""
    started, finished = task_result.started_at, task_result.finished_at
    duration = round((finished - started).total_seconds() * 1000) if started and finished else None
    failed = str(task_result.status) == "FAILED"
    task_log.log(
        logging.WARNING if failed else logging.INFO,
        "task finished",
        extra={
            "task": task_result.task.module_path,
            "state": str(task_result.status).lower(),
            "duration_ms": duration,
            "error": task_result.errors[-1].exception_class_path if failed and task_result.errors
            else None,
        },
    )  # fmt: skip
