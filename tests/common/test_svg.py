"""Charts carry their looks as SVG attributes, which a strict CSP does not block."""

import io
import xml.etree.ElementTree as ET

import pytest
from matplotlib import rc_context
from matplotlib.figure import Figure

from suhde.common.svg import svg_without_styles


def _chart() -> bytes:
    figure = Figure(figsize=(4, 3))
    axes = figure.add_subplot()
    axes.bar([1, 2], [3, 4], hatch="//", edgecolor="white", label="bars")
    axes.plot([1, 2], [1, 2], marker="o", linestyle="--", label="line")
    axes.text(0.5, 0.5, "Tunteminen & <luottamus>", ha="center")
    axes.legend(frameon=False)
    out = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "test"}):
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def test_a_matplotlib_chart_keeps_every_look_as_an_attribute():
    before = _chart()
    after = svg_without_styles(before)
    assert b'style="' in before and b"<style" in before
    assert b'style="' not in after and b"<style" not in after
    root = ET.fromstring(after)  # noqa: S314 (our own output) still well-formed, no attribute twice
    assert root.get("stroke-linejoin") == "round"
    assert root.get("stroke-linecap") == "butt"
    fills = {element.get("fill") for element in root.iter() if element.get("fill")}
    assert "#1f77b4" in fills
    texts = [element for element in root.iter() if element.tag.endswith("text")]
    assert any(t.text == "Tunteminen & <luottamus>" and t.get("text-anchor") for t in texts)


def test_the_style_attribute_wins_over_an_attribute_of_the_same_name():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="red" style="fill: #0072B2"/></svg>'
    assert svg_without_styles(svg) == (
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#0072B2"/></svg>'
    )


def test_a_property_with_no_attribute_is_not_silently_dropped():
    with pytest.raises(ValueError, match="mix-blend-mode"):
        svg_without_styles(b'<svg><g style="mix-blend-mode: multiply"/></svg>')
