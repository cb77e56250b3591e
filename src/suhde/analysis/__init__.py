"""Network analysis for Suhde: pure Python over igraph and numpy, never Django.

Build a :class:`~suhde.analysis.graph.Graph` from plain arrays with
:func:`~suhde.analysis.graph.build_graph` (or from CSV files with
:func:`~suhde.analysis.io.load_graph`) and compute the report with
:func:`~suhde.analysis.report.network_report`. Definitions of every figure are
in ``docs/analysis.md``.
"""
