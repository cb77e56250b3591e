"""The migrations describe the models: a model change without its migration fails here."""

import sys

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_are_in_sync(capsys):
    # --check exits with status 1 when a migration would be written; --dry-run writes nothing.
    call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    assert capsys.readouterr().out == "No changes detected\n"


@pytest.mark.django_db
def test_the_check_sees_a_missing_migration(settings, tmp_path):
    """Pointing one app at an empty migrations package makes its models look new. The app is on
    the top floor, so no other app's migrations depend on it."""
    package = tmp_path / "empty_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    settings.MIGRATION_MODULES = {"evaluation": "empty_migrations"}
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(SystemExit) as exit_:
            call_command("makemigrations", "evaluation", "--check", "--dry-run", verbosity=0)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("empty_migrations", None)
    assert exit_.value.code == 1
