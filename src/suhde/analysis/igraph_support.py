"""igraph as the analysis uses it: imported without its plotting, seeded under one lock.

Every module of the project imports igraph from here (``from suhde.analysis.igraph_support
import ig``), never directly, for two reasons:

- python-igraph imports matplotlib *and pyplot* at import time when matplotlib is installed
  (it is: the charts use it). That cost about a third of a second at every ``suhde analyze``
  start, and pyplot has no business in a web worker. igraph's plotting is never used here, so
  its lookups of the plotting libraries are answered "not installed" while igraph loads; a later
  ``import matplotlib`` by the charts works as usual.
- igraph's randomised algorithms (Leiden, force-directed layouts) draw from one process-wide
  generator and take no generator argument. :func:`seeded` is the only place that swaps it:
  under a lock, so two threads cannot interleave their seeds, and always restored.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_PLOTTING = ("matplotlib", "cairo", "cairocffi", "plotly")
_blocked = [name for name in _PLOTTING if name not in sys.modules]
for _name in _blocked:
    sys.modules[_name] = None  # type: ignore[assignment]  # `import` then raises ImportError
try:
    import igraph as ig
finally:
    for _name in _blocked:
        if sys.modules.get(_name, 0) is None:
            del sys.modules[_name]

_RNG_LOCK = threading.Lock()

__all__ = ["ig", "seeded"]


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's randomised algorithms inside with a private generator seeded by ``seed``.

    Examples
    --------
    >>> g = ig.Graph.Ring(6)
    >>> with seeded(1):
    ...     a = g.community_leiden(objective_function="modularity").membership
    >>> with seeded(1):
    ...     b = g.community_leiden(objective_function="modularity").membership
    >>> a == b
    True
    """
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)
