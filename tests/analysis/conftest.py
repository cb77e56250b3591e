"""Fixtures for the analysis tests; they never touch the database."""

from __future__ import annotations

import pytest

from tests.analysis.analysis_helpers import dataset_params, directed_versions, to_graph


@pytest.fixture(params=dataset_params())
def dataset(request):
    """Each NetworkX data set in each directed version: (NetworkX DiGraph, our Graph)."""
    name, version = request.param
    d = directed_versions(name)[version]
    return d, to_graph(d)
