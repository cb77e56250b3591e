"""The ``suhde`` command: Django's command line with Suhde's settings.

``suhde analyze`` is answered before Django starts: the analysis needs no settings, database or
secret key, and booting Django would cost more than the analysis of a 10,000-person network.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["analyze"]:
        from suhde.analysis.cli import main as analyze

        sys.exit(analyze(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suhde.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
