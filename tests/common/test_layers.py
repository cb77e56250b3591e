"""The house has floors: an app uses only the floors below it (docs/architecture.md).

Both Python imports and the URL names templates link to are checked: a template that names a
higher app's URL is an arrow up the floors as much as an import is.
"""

import ast
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"
TOP = 99
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
    "paths": 7,
    "evaluation": 8,
    "publish": 9,
    # The top floor: every page, the API, and the commands that see the whole site.
    "urls": TOP,
    "api": TOP,
    "project": TOP,
}
URL_TAG = re.compile(r"""\{%\s*url\s+['"]([\w:-]+)['"]""")
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")
# Static files sit under a folder named after their app; the shared look ("suhde/") and the npm
# packages ("vendor/", copied by make install) belong to the bottom floor.
STATIC_OWNER = {"suhde": "common", "vendor": "common"}


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
                if not inside or parts[1] == app:
                    continue
                # The top floor's parts (urls, api, commands) may use each other; nothing else may.
                if FLOOR[parts[1]] >= floor and floor != TOP:
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


def _url_names(patterns, namespaces=()):
    """Every URL name with the module of its view."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name)), pattern.callback.__module__


def url_owners() -> dict[str, str | None]:
    """URL name → the app whose view answers it (None for Django's own, such as the admin)."""
    owners = {}
    for name, module in _url_names(get_resolver().url_patterns):
        parts = module.split(".")
        owners[name] = parts[1] if parts[0] == "suhde" and parts[1] in FLOOR else None
    return owners


def _upward_links(owners: dict[str, str | None], src: Path = SRC):
    for app, floor in FLOOR.items():
        for path in (src / app).rglob("*.html") if (src / app).is_dir() else []:
            for name in URL_TAG.findall(path.read_text(encoding="utf-8")):
                if name not in owners:
                    yield f"{path.relative_to(src)} names an unknown URL {name}"
                elif owners[name] not in (None, app) and FLOOR[owners[name]] >= floor:
                    yield f"{path.relative_to(src)} links up to {name}"


def _static_files(src: Path = SRC) -> set[str]:
    return {
        str(path.relative_to(static))
        for static in src.glob("*/static")
        for path in static.rglob("*")
        if path.is_file()
    }


def _wrong_static(src: Path = SRC):
    """Static files named up the floors, or named but not there (vendor/ comes from npm)."""
    present = _static_files(src)
    for app, floor in FLOOR.items():
        for path in (src / app).rglob("*.html") if (src / app).is_dir() else []:
            for name in STATIC_TAG.findall(path.read_text(encoding="utf-8")):
                folder = name.split("/")[0]
                owner = STATIC_OWNER.get(folder, folder)
                if owner not in FLOOR or (owner != app and FLOOR[owner] >= floor):
                    yield f"{path.relative_to(src)} uses {name} of another floor"
                elif folder != "vendor" and name not in present:
                    yield f"{path.relative_to(src)} uses {name}, which is not there"


def test_each_app_uses_its_own_static_files_or_the_bottom_floors():
    assert list(_wrong_static()) == []


def test_the_static_check_sees_a_wrong_file(tmp_path):
    fake = tmp_path / "suhde"
    (fake / "networks" / "static" / "networks").mkdir(parents=True)
    (fake / "networks" / "static" / "networks" / "map.js").write_text("")
    (fake / "charter" / "templates").mkdir(parents=True)
    (fake / "charter" / "templates" / "x.html").write_text(
        "{% static 'networks/map.js' %}{% static 'charter/gone.css' %}"
        "{% static 'evaluation/chart.js' %}{% static 'vendor/htmx/htmx.min.js' %}"
    )
    (fake / "common" / "templates").mkdir(parents=True)
    (fake / "common" / "templates" / "base.html").write_text("{% static 'networks/map.js' %}")
    assert sorted(_wrong_static(fake)) == [
        "charter/templates/x.html uses charter/gone.css, which is not there",
        "charter/templates/x.html uses evaluation/chart.js of another floor",
        "common/templates/base.html uses networks/map.js of another floor",
    ]


def test_the_top_floor_is_checked_too():
    """suhde.api, suhde.urls and project-wide commands are above every app."""
    assert {FLOOR["api"], FLOOR["urls"], FLOOR["project"]} == {TOP}
    assert (SRC / "project" / "management" / "commands" / "export_openapi.py").exists()
    assert not (SRC / "common" / "management" / "commands" / "export_openapi.py").exists()


def test_no_template_links_up_the_floors():
    owners = url_owners()
    assert owners["networks:home"] == "networks"
    assert owners["evaluation:dashboard"] == "evaluation"
    assert list(_upward_links(owners)) == []


def test_the_check_sees_a_wrong_link(tmp_path):
    fake = tmp_path / "suhde"
    (fake / "surveys" / "templates").mkdir(parents=True)
    (fake / "surveys" / "templates" / "bad.html").write_text(
        "<a href=\"{% url 'evaluation:dashboard' network.slug wave.pk %}\">"
        "<a href=\"{% url 'networks:home' network.slug %}\">{% url 'admin:index' %}"
        "{% url 'charter:goals' network.slug %}{% url 'nowhere' %}"
    )
    (fake / "common").mkdir()
    (fake / "common" / "bad.py").write_text("from suhde.api import api\n")
    owners = {
        "evaluation:dashboard": "evaluation",
        "networks:home": "networks",
        "admin:index": None,
        "charter:goals": "charter",
    }
    assert sorted(_upward_links(owners, fake)) == [
        "surveys/templates/bad.html links up to charter:goals",
        "surveys/templates/bad.html links up to evaluation:dashboard",
        "surveys/templates/bad.html names an unknown URL nowhere",
    ]
    assert list(_upward_imports(fake)) == ["common/bad.py imports suhde.api"]
