"""The access matrix's vocabulary, and the rules every app contributes.

Each app with routes has ``tests/<app>/access_rules.py`` defining any of ``PAGES``, ``PUBLIC``,
``OBJECT_ROUTES`` and ``API`` (see ``tests/networks/access_rules.py``). ``rules()`` merges them
for ``tests/test_access_matrix.py``, which fails on any route that no rule covers.
"""

import importlib
from pathlib import Path

# What each kind of route answers to each role.
VIEW = {"anonymous": "login", "outsider": 404, "member": 200, "coordinator": 200}
MANAGE = {"anonymous": "login", "outsider": 404, "member": 403, "coordinator": 200}
MANAGE_POST = {"anonymous": "login", "outsider": 404, "member": 403, "coordinator": 302}
SIGNED_IN = {"anonymous": "login", "outsider": 200, "member": 200, "coordinator": 200}
SIGNED_IN_POST = {"anonymous": "login", "outsider": 302, "member": 302, "coordinator": 302}
OPEN = {"anonymous": 200, "outsider": 200, "member": 200, "coordinator": 200}


API_VIEW = {"anonymous": 401, "outsider": 404, "member": 200, "coordinator": 200}
API_MANAGE = {"anonymous": 401, "outsider": 404, "member": 403, "coordinator": 200}
API_CREATE = {"anonymous": 401, "outsider": 404, "member": 403, "coordinator": 201}
API_ANY = {"anonymous": 401, "outsider": 200, "member": 200, "coordinator": 200}


def rules() -> dict[str, dict]:
    merged = {"PAGES": {}, "PUBLIC": {}, "OBJECT_ROUTES": {}, "API": {}}
    for path in sorted(Path(__file__).parent.glob("*/access_rules.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.access_rules")
        for key, values in merged.items():
            overlap = set(values) & set(getattr(module, key, {}))
            assert not overlap, f"{path}: {key} repeats {sorted(overlap)}"
            values.update(getattr(module, key, {}))
    return merged
