"""The house has floors: an app imports only from the floors below it (docs/architecture.md)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"
FLOOR = {
    "analysis": -1,
    "common": 0,
    "accounts": 1,
    "networks": 2,
    "coordination": 3,
    "surveys": 4,
    "charter": 4,
    "workshops": 5,
    "decisions": 6,
    "evaluation": 7,
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _upward_imports(src: Path = SRC):
    for app, floor in FLOOR.items():
        for path in (src / app).rglob("*.py") if (src / app).exists() else []:
            for module in _imports(path):
                parts = module.split(".")
                inside = parts[0] == "suhde" and len(parts) > 1 and parts[1] in FLOOR
                if inside and parts[1] != app and FLOOR[parts[1]] >= floor:
                    yield f"{path.relative_to(src)} imports {module}"


def test_no_import_runs_back_up():
    assert list(_upward_imports()) == []


def test_the_check_sees_a_wrong_import(tmp_path):
    fake = tmp_path / "suhde"
    (fake / "common").mkdir(parents=True)
    (fake / "common" / "bad.py").write_text("from suhde.networks.models import Network\n")
    (fake / "analysis").mkdir()
    (fake / "analysis" / "bad.py").write_text("import suhde.common.privacy\n")
    assert sorted(_upward_imports(fake)) == [
        "analysis/bad.py imports suhde.common.privacy",
        "common/bad.py imports suhde.networks.models",
    ]
