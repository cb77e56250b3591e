"""Rule 3: access is decided in ``networks/access.py`` alone.

What counts as an authorization rule, so that this test can find one elsewhere: code that
*decides* a refusal or compares roles, rather than asking the gate. In any module under
``src/suhde`` but ``networks/access.py``, none of these may appear:

- ``PermissionDenied(`` or the gate's own ``Refused(``: building a 403 is the gate's job; a view
  or a domain function asks ``access`` (``role_require``, ``own_record_check``, …), which raises;
- ``network_access_by_id(``: the id → network → gate lookup, which ``object_in_network`` (pages
  and API) and ``job_network`` (background jobs) do once for everyone;
- ``RANK[`` or ``MINIMUM_RANK``: comparing roles by their rank (``role_outranks``, ``role_allows``);
- ``in network_roles(`` (with or without ``access.``): deciding membership by hand
  (``network_visible``);
- ``def network_view``: the pages' gate decorator lives with the gate.

Asking the gate — ``role_allows(role, Need.MANAGE)`` to show a button, ``network_ids_where`` to
scope a list — is not a rule and is allowed. Catching ``PermissionDenied`` (the API's exception
handler) is not building one and is allowed too.
"""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"
GATE = SRC / "networks" / "access.py"
RULE = re.compile(
    r"(?<![\w.])PermissionDenied\("
    r"|(?<![\w])access\.PermissionDenied\("
    r"|(?<![\w])(?:access\.)?Refused\("
    r"|network_access_by_id\("
    r"|\bRANK\["
    r"|\bMINIMUM_RANK\b"
    r"|\bin\s+(?:access\.)?network_roles\("
    r"|\bdef\s+network_view\b"
)


def _rules_outside_the_gate(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == GATE or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if RULE.search(code):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_gate_holds_every_authorization_rule():
    assert _rules_outside_the_gate(SRC) == []


def test_gate_check_sees_a_rule_written_elsewhere(tmp_path):
    (tmp_path / "views.py").write_text(
        "def page(request, role):\n"
        "    if RANK[role] < 5:\n"
        "        raise PermissionDenied('role')\n"
        "    network, role = access.network_access_by_id(request.user, 1, Need.VIEW)\n"
        "    ok = network.pk in access.network_roles(request.user)\n"
        "    raise access.Refused('no')\n"
        "    raise JobRefused('fine: not the gate')\n"
        "    allowed = access.role_allows(role, Need.MANAGE)  # asking the gate: fine\n"
    )
    found = _rules_outside_the_gate(tmp_path)
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "5", "6"]
