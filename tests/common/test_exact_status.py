"""Rule 6: a test names the one status code the code gives, never a choice of two."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
EITHER = re.compile(
    r"status_code\)?\s+(?:not\s+)?in\s+[(\[{]"  # in (400, 422)
    r"|status_code\s*[<>]=?"  # status_code < 500
    r"|[<>]=?\s*\S*status_code"  # 400 <= status_code
)


def either_codes(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if EITHER.search(line)]


def test_no_test_accepts_either_of_two_status_codes():
    found = [
        f"{path.relative_to(TESTS)}: {line}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "test_exact_status.py"
        for line in either_codes(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_sees_a_choice():
    assert either_codes(
        "assert r.status_code in (400, 422)\n"
        "assert 400 <= response.status_code < 500\n"
        "assert r.status_code == 400\n"
        "assert page.status_code not in {500}\n"
    ) == [
        "assert r.status_code in (400, 422)",
        "assert 400 <= response.status_code < 500",
        "assert page.status_code not in {500}",
    ]
