import logging

from suhde.common.logging import RedactTokensFilter, redact


def test_redact_removes_link_tokens_and_bearer_values():
    token = "Zq3_abcdefghijklmnopqrstuvwxyz0123456789ABCDE"
    text = f"Not Found: /invite/{token}/ and Authorization: Bearer suhde_{token}"
    cleaned = redact(text)
    assert token not in cleaned
    assert "/invite/[redacted]/" in cleaned


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
