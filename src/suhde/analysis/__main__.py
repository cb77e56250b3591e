"""``python -m suhde.analysis PEOPLE.csv TIES.csv``: same as ``suhde analyze``."""

import sys

from suhde.analysis.cli import main

sys.exit(main())
