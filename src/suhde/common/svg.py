"""SVG that a strict Content-Security-Policy shows as drawn.

Matplotlib writes its colours, lines and fonts as ``style="…"`` attributes and one ``<style>``
element; ``style-src 'self' 'nonce-…'`` blocks both, so a served chart lost its colours and the
console filled with violations (issue 14). The same properties written as SVG presentation
attributes (``fill="#0072B2"``) are not CSS and draw the same.
"""

from __future__ import annotations

import re

START_TAG = re.compile(rb"<([A-Za-z][\w:.-]*)(\s[^<>]*?)?(/?)>")
STYLE_ATTR = re.compile(rb'\sstyle="([^"]*)"')
STYLE_ELEMENT = re.compile(rb"<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>\s*", re.S)
# The properties matplotlib and segno write, all of them SVG presentation attributes.
PRESENTATION = {
    b"clip-path", b"fill", b"fill-opacity", b"fill-rule", b"font-family", b"font-size",
    b"font-stretch", b"font-style", b"font-variant", b"font-weight", b"opacity", b"stroke",
    b"stroke-dasharray", b"stroke-dashoffset", b"stroke-linecap", b"stroke-linejoin",
    b"stroke-miterlimit", b"stroke-opacity", b"stroke-width", b"text-anchor",
}  # fmt: skip


def _declarations(text: bytes) -> list[tuple[bytes, bytes]]:
    pairs = []
    for declaration in text.split(b";"):
        name, sep, value = declaration.partition(b":")
        name, value = name.strip(), value.strip()
        if sep and name in PRESENTATION:
            pairs.append((name, value))
        elif declaration.strip():
            raise ValueError(f"no presentation attribute for {declaration.strip()!r}")
    return pairs


def _attributes(pairs: list[tuple[bytes, bytes]]) -> bytes:
    return b"".join(b" " + name + b'="' + value + b'"' for name, value in pairs)


def _tag(match: re.Match, root_extra: list[bytes]) -> bytes:
    name, attributes, closing = match.group(1), match.group(2) or b"", match.group(3)
    style = STYLE_ATTR.search(attributes)
    pairs = _declarations(style.group(1)) if style else []
    if style:
        attributes = attributes[: style.start()] + attributes[style.end() :]
        for prop, _value in pairs:  # the style attribute won over an attribute of the same name
            attributes = re.sub(rb"\s" + re.escape(prop) + rb'="[^"]*"', b"", attributes)
    if name == b"svg" and root_extra:
        pairs = [*pairs, *[(n, v) for n, v in _declarations(root_extra.pop()) if n not in
                           {p for p, _v in pairs}]]  # fmt: skip
    return b"<" + name + attributes.rstrip() + _attributes(pairs) + closing + b">"


def svg_without_styles(data: bytes) -> bytes:
    """``data`` with every ``style`` attribute and the ``* {…}`` style element as attributes.

    The element's rule for every element becomes attributes of the root, which its children
    inherit unless they set their own, as the rule's lower priority had them do.
    """
    root_extra = [match.group(1) for match in STYLE_ELEMENT.finditer(data)][:1]
    data = STYLE_ELEMENT.sub(b"", data)
    return START_TAG.sub(lambda match: _tag(match, root_extra), data)
