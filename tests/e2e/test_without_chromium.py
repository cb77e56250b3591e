"""Browser tests skip without Chromium on a laptop, and fail without it in CI."""

from tests.e2e.conftest import without_chromium


def test_a_missing_chromium_fails_in_ci_and_skips_elsewhere():
    assert without_chromium({"CI": "true"}) == "fail"
    assert without_chromium({"CI": "1"}) == "fail"
    assert without_chromium({"CI": "TRUE"}) == "fail"
    assert without_chromium({}) == "skip"
    assert without_chromium({"CI": "false"}) == "skip"
    assert without_chromium({"CI": ""}) == "skip"
