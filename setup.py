"""Only the C kernel of the path searches; everything else is in pyproject.toml.

``optional=True``: where no C compiler is at hand the install still succeeds, and the analysis
uses igraph's searches instead (the same figures, more slowly; docs/analysis.md, "How the
searches run").
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "suhde.analysis._sweep",
            sources=["src/suhde/analysis/_sweep.c"],
            extra_compile_args=["-O2"],
            optional=True,
        )
    ]
)
