import json
import logging
import os
import subprocess
import sys

from django.urls import reverse

from suhde.common.logging import JsonFormatter, RedactTokensFilter, redact
from suhde.common.mail import outbox_task


def test_redact_removes_link_tokens_and_bearer_values():
    token = "Zq3_abcdefghijklmnopqrstuvwxyz0123456789ABCDE"
    text = f"Not Found: /invite/{token}/ and Authorization: Bearer suhde_{token}"
    cleaned = redact(text)
    assert token not in cleaned
    assert "/invite/[redacted]/" in cleaned


def _token_routes(resolver=None, prefix=""):
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _token_routes(entry, namespace)
        elif isinstance(entry, URLPattern) and "<str:token>" in str(entry.pattern):
            yield prefix + entry.name, entry.pattern.converters


def test_redact_covers_every_page_that_takes_a_token():
    """Every URL with a token in its path, found in the URL configuration: a new kind of link
    that the log filter does not know fails here."""
    from django.urls import reverse

    token = "Zq3_abcdefghijklmnopqrstuvwxyz0123456789ABCDE"
    paths = [
        reverse(name, kwargs={key: token if key == "token" else 1 for key in converters})
        for name, converters in _token_routes()
    ]
    assert len(paths) >= 10
    assert [path for path in paths if token in redact(f"GET {path} 404")] == []


def test_redact_covers_password_reset_links():
    cleaned = redact("GET /reset/MQ/set-password-token-abcdef123/ 200")
    assert "set-password-token" not in cleaned


def test_filter_rewrites_formatted_arguments():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/invite/" + "a" * 43 + "/",),
        None,
    )
    RedactTokensFilter().filter(record)
    assert "a" * 43 not in record.getMessage()


# --- structured lines ------------------------------------------------------------------------


def _lines(caplog, logger: str) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_one_json_line_per_request_with_its_id_user_status_and_time(client, world, caplog):
    caplog.set_level(logging.INFO, logger="suhde.request")
    client.force_login(world.coordinator)
    response = client.get(reverse("networks:members", args=["core"]), {"q": "Aino Secret"})
    (line,) = _lines(caplog, "suhde.request")
    assert set(line) == {
        "time", "level", "logger", "message", "request_id", "method", "path", "status",
        "duration_ms", "user_id",
    }  # fmt: skip
    assert (line["method"], line["path"], line["status"]) == ("GET", "/n/core/members/", 200)
    assert line["user_id"] == world.coordinator.pk
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
    assert isinstance(line["duration_ms"], int)
    assert "Aino" not in json.dumps(line)  # no query string: a search may be a name


def test_request_lines_keep_a_proxys_id_but_not_a_strange_one(client, db, caplog):
    caplog.set_level(logging.INFO, logger="suhde.request")
    client.get("/healthz", headers={"X-Request-ID": "proxy-123"})
    client.get("/healthz", headers={"X-Request-ID": "x\nforged line"})
    first, second = _lines(caplog, "suhde.request")
    assert first["request_id"] == "proxy-123"
    assert "forged" not in second["request_id"] and len(second["request_id"]) == 32


def test_request_lines_carry_no_token_password_or_name(client, world, caplog):
    caplog.set_level(logging.INFO)
    token = "Zq3_abcdefghijklmnopqrstuvwxyz0123456789ABCDE"
    client.get(f"/invite/{token}/")
    client.post(reverse("login"), {"username": "coord", "password": "hunter2-secret"})
    client.get("/api/v1/networks", headers={"Authorization": f"Bearer suhde_{token}"})
    text = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert token not in text
    assert "hunter2" not in text and '"coord"' not in text
    paths = [line["path"] for line in _lines(caplog, "suhde.request")]
    assert paths == ["/invite/[redacted]/", "/login/", "/api/v1/networks"]


def test_an_anonymous_request_has_no_user_id(client, db, caplog):
    caplog.set_level(logging.INFO, logger="suhde.request")
    client.get("/healthz")
    (line,) = _lines(caplog, "suhde.request")
    assert "user_id" not in line and line["status"] == 200


def test_one_line_per_background_task(db, caplog):
    caplog.set_level(logging.INFO, logger="suhde.tasks")
    outbox_task.enqueue()
    (line,) = _lines(caplog, "suhde.tasks")
    assert line["task"] == "suhde.common.mail.outbox_task"
    assert line["state"] == "successful" and isinstance(line["duration_ms"], int)


def test_the_log_level_is_checked():
    env = {**os.environ, "SUHDE_LOG_LEVEL": "LOUD"}
    result = subprocess.run(
        [sys.executable, "-c", "import suhde.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "SUHDE_LOG_LEVEL must be" in result.stderr


def test_formatter_drops_fields_outside_the_list_and_redacts_inside_it():
    record = logging.LogRecord("suhde.x", logging.INFO, __file__, 1, "hello %s", ("a",), None)
    record.email, record.path = "aino@example.org", "/t/" + "b" * 40 + "/"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello a"
    assert "email" not in line and line["path"] == "/t/[redacted]/"
