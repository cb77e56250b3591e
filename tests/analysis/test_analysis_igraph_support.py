"""igraph is imported in one place: without its plotting, with one seeded generator."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from suhde.analysis.igraph_support import ig, seeded

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"


def test_analysis_import_loads_no_plotting_library_and_matplotlib_still_imports_after():
    script = (
        "import sys\n"
        "import suhde.analysis.report\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('matplotlib', 'cairo', 'plotly')))\n"
        "import matplotlib\n"
        "print(matplotlib.__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.splitlines() == ["[]", "matplotlib"], result.stderr


def test_only_the_support_module_touches_igraphs_random_generator_or_imports_igraph():
    touching, importing = [], []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(SRC))
        if "set_random_number_generator" in text:
            touching.append(name)
        if "import igraph" in text:
            importing.append(name)
    assert touching == ["analysis/igraph_support.py"]
    assert importing == ["analysis/igraph_support.py"]


def test_seeded_runs_give_the_same_communities_across_threads():
    graph = ig.Graph.Famous("Zachary")

    def run() -> list[int]:
        with seeded(7):
            return graph.community_leiden(objective_function="modularity").membership

    expected = run()
    results: list[list[int]] = []
    threads = [threading.Thread(target=lambda: results.append(run())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8
