"""The data folder, the SQLite database and the mail are private to the account Suhde runs as."""

import os
import stat
import subprocess
import sys


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_fresh_install_creates_its_folders_0700_and_its_files_0600(tmp_path):
    data = tmp_path / "var"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "EMAIL_URL")},
        "SUHDE_DATA_DIR": str(data),
        "REDIS_URL": "",
    }
    env.pop("SUHDE_SECRET_KEY", None)
    old = os.umask(0o022)  # the usual umask, under which Python and SQLite make 0644 files
    try:
        result = subprocess.run(
            [sys.executable, "-m", "suhde", "sendtestemail", "aino@example.org"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    mails = list((data / "mail").iterdir())
    assert len(mails) == 1
    assert {
        "data folder": _mode(data),
        "secret key": _mode(data / "secret_key"),
        "database": _mode(data / "suhde.sqlite3"),
        "mail folder": _mode(data / "mail"),
        "mail": _mode(mails[0]),
    } == {
        "data folder": 0o700,
        "secret key": 0o600,
        "database": 0o600,
        "mail folder": 0o700,
        "mail": 0o600,
    }
