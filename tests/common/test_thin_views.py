"""Rules 1 and 2: views and API functions parse, call and render; the database is domain.py's
(writes) and queries.py's (reads).

Read with ``ast`` from every page and API module (``views.py``, ``views/*.py``,
``live_views.py``, ``api.py``): database work there is an attribute ``.objects`` (a model's
manager) or a call of a queryset's or a model's method that reads or writes — ``filter``,
``exclude``, ``save``, ``delete``, ``create``, ``bulk_create``, ``bulk_update``,
``select_for_update``, ``values_list``, ``annotate``, ``aggregate``, ``get_or_create``,
``update_or_create``. (``get``, ``count`` and ``update`` are left out: dictionaries and the
request have them too.) An API module imports neither a page module nor another API module:
what two of them share lives in ``schemas.py``, ``downloads.py`` or the domain.

``DEBTS`` lists what was there when this test was written, file by file; the number may only go
down (and the entry go when it reaches 0). Anything new fails.
"""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"
QUERY_METHODS = {
    "filter",
    "exclude",
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "select_for_update",
    "values_list",
    "annotate",
    "aggregate",
    "get_or_create",
    "update_or_create",
}
# Database work still in pages, to be moved to domain.py and queries.py (docs/architecture.md).
DEBTS: dict[str, int] = {}


def _page_modules() -> list[Path]:
    found = [*SRC.glob("*/views.py"), *SRC.glob("*/views/*.py"), *SRC.glob("*/live_views.py")]
    return sorted([*found, *SRC.glob("*/api.py"), SRC / "api.py"])


def _database_work(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        manager = isinstance(node, ast.Attribute) and node.attr == "objects"
        call = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
            and not _is_router(node.func.value)  # @router.delete(...) declares a route
        )
        if manager or call:
            lines.append(node.lineno)
    return sorted(set(lines))


def _is_router(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in {"router", "api"}


def _views_imported(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            parts = module.split(".")
            if {"views", "live_views", "api"} & set(parts):
                names.append(module)
            names += [a.name for a in node.names if a.name in {"views", "live_views", "api"}]
    return names


def test_pages_and_api_leave_the_database_to_domain_and_queries():
    over = {}
    for path in _page_modules():
        name = str(path.relative_to(SRC))
        lines = _database_work(ast.parse(path.read_text()))
        if len(lines) > DEBTS.get(name, 0):
            over[name] = lines
    assert over == {}


def test_debts_only_shrink():
    """An entry that is paid off goes, so that the list says what is left."""
    counts = {
        str(path.relative_to(SRC)): len(_database_work(ast.parse(path.read_text())))
        for path in _page_modules()
    }
    assert {name: counts.get(name, 0) for name in DEBTS} == DEBTS


def test_api_modules_import_no_page_module():
    found = {
        str(path.relative_to(SRC)): _views_imported(ast.parse(path.read_text()))
        for path in _page_modules()
        if path.name == "api.py" and path.parent != SRC
    }
    assert {name: names for name, names in found.items() if names} == {}


def test_the_check_sees_database_work_in_a_view():
    tree = ast.parse(
        "def page(request, network):\n"
        "    rows = Event.objects.all()\n"
        "    wave = network.waves.filter(pk=1).first()\n"
        "    context = {}\n"
        "    context.update(rows=rows)\n"
        "    wave.save()\n"
        "    return render(request, 'x.html', context)\n"
        "@router.delete('/x')\n"
        "def gone(request):\n"
        "    return domain.thing_delete(thing=1)\n"
    )
    assert _database_work(tree) == [2, 3, 6]
