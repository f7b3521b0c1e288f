"""A council's logo as the site may serve it: a PNG, or an SVG reduced to shapes and text.

The logo is served from the site's own address, so an SVG that carries a script (or an event
attribute, or a link) would run with the site's origin, where a resident's saved answers live.
`clean_logo` therefore keeps only the drawing: the SVG elements and attributes below, links only
to the drawing's own parts (`#id`), no `style` that fetches anything. It says what it left out, so
`ctkit check` can tell the editor, and it refuses with a reason what is neither PNG nor SVG, an SVG
that does not parse, or one that declares entities.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "symbol", "use",
})
ATTRIBUTES = frozenset({
    "id", "class", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "fx", "fy", "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "clip-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "letter-spacing", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "spreadMethod", "clipPathUnits", "maskUnits", "maskContentUnits", "clip-path", "mask",
    "preserveAspectRatio", "version", "role", "aria-label", "aria-hidden", "focusable", "style", "visibility",
    "display", "dx", "dy", "href",
})
#: `url(...)` and `href` may point only inside the drawing.
_OUTSIDE_REFERENCE = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|\\", re.I)


@dataclass
class Logo:
    data: bytes | None                  # what the site serves; None when refused
    refused: str | None = None          # why, in words
    left_out: list[str] = field(default_factory=list)


def clean_logo(name: str, data: bytes) -> Logo:
    """The logo file as the site may serve it, or the reason it cannot be served."""
    suffix = name.rsplit(".", 1)[-1].lower()
    if suffix == "png":
        if not data.startswith(PNG_SIGNATURE):
            return Logo(None, "is named .png but is not a PNG image; save it again as PNG, or as SVG")
        return Logo(data)
    if suffix != "svg":
        return Logo(None, "is neither PNG nor SVG; save it as PNG or SVG")
    return _clean_svg(data)


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _clean_svg(data: bytes) -> Logo:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return Logo(None, "declares a DOCTYPE or entities, which a logo does not need; save it as plain SVG")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return Logo(None, f"is not a well-formed SVG file ({exc}); save it again from a drawing program")
    if _local(root.tag) != (SVG_NS, "svg"):
        return Logo(None, "is not an SVG drawing (its first element is not <svg> in the SVG namespace)")
    left_out: list[str] = []
    _clean_element(root, left_out)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return Logo(ET.tostring(root, encoding="utf-8", xml_declaration=True), None, left_out)


def _clean_element(element: ET.Element, left_out: list[str]) -> None:
    for child in list(element):
        if not isinstance(child.tag, str):   # comments, processing instructions
            element.remove(child)
            continue
        ns, local = _local(child.tag)
        if ns != SVG_NS or local not in ELEMENTS:
            left_out.append(f"a <{local}> element")
            element.remove(child)
            continue
        _clean_element(child, left_out)
    for name in list(element.attrib):
        ns, local = _local(name)
        value = element.attrib[name]
        if ns not in ("", XLINK_NS) or local not in ATTRIBUTES or (ns == XLINK_NS and local != "href"):
            left_out.append(f"an event attribute ({local}=)" if local.lower().startswith("on") else
                            f"the attribute '{local}'")
        elif local == "href" and not value.strip().startswith("#"):
            left_out.append(f"a link to '{value[:60]}'")
        elif _OUTSIDE_REFERENCE.search(value):
            left_out.append(f"a reference to something outside the drawing in '{local}'")
        else:
            continue
        del element.attrib[name]
