"""Every public function has type hints (docs/architecture.md, rule 2), and mypy checks them in
`make test` (its settings in pyproject.toml).

A public function is a ``def`` whose name does not start with "_", at module level or in a
class, anywhere under ``src/suhde`` but the migrations. It is hinted when every parameter but
``self``/``cls`` and its return carry an annotation (``-> None`` included). ``UNHINTED`` is
what was left when this test was written, file by file: the numbers may only go down, and a
file not listed has none.
"""

import ast
import json
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"
UNHINTED = json.loads((Path(__file__).parent / "unhinted.json").read_text())


def _public_functions(tree: ast.Module):
    def walk(body, in_class=False):
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if not node.name.startswith("_"):
                    yield node, in_class
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                yield from walk(node.body, in_class=True)

    yield from walk(tree.body)


def _hinted(node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> bool:
    args = node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if in_class and params and params[0].arg in {"self", "cls"}:
        params = params[1:]
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    return node.returns is not None and all(p.annotation is not None for p in params)


def unhinted_counts(root: Path = SRC) -> dict[str, int]:
    counts = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        missing = [n for n, in_class in _public_functions(tree) if not _hinted(n, in_class)]
        if missing:
            counts[str(path.relative_to(root))] = len(missing)
    return counts


def test_public_functions_have_type_hints():
    counts = unhinted_counts()
    grown = {
        name: (count, UNHINTED.get(name, 0))
        for name, count in counts.items()
        if count > UNHINTED.get(name, 0)
    }
    assert grown == {}, "(found, allowed): add the hints"


def test_the_list_of_unhinted_only_shrinks():
    """A file whose hints are complete leaves the list, and a number goes down with the code."""
    counts = unhinted_counts()
    assert {name: counts.get(name, 0) for name in UNHINTED} == UNHINTED


def test_the_check_sees_a_missing_hint(tmp_path):
    (tmp_path / "module.py").write_text(
        "def typed(a: int, *, b: str = '') -> None: ...\n"
        "def untyped(a): ...\n"
        "def no_return(a: int): ...\n"
        "def _private(a): ...\n"
        "class Thing:\n"
        "    def method(self, a: int) -> int: ...\n"
        "    def loose(self, a): ...\n"
    )
    assert unhinted_counts(tmp_path) == {"module.py": 3}
