"""What content may put in a page: one allow-list, applied to every page an editor writes.

Pages are Markdown with some HTML, rendered through templates, and published on a council's own
site, where a script would run with the site's origin (it could read a resident's saved answers).
So the HTML a page produces, after templating and Markdown, goes through the allow-list below:
`clean` (nh3, the Python binding of the Rust sanitiser ammonia, which parses as a browser does)
drops whatever it does not name, and `findings` names each such thing in words, so that `ctkit
check` turns it into an error at its line (`located_findings`) instead of text lost in silence.

Allowed: the elements in `TAGS`; `id` and `class` on any of them; the attributes in `ATTRIBUTES`;
links and images only to relative addresses or `URL_SCHEMES`; `style` only for a table column's
`text-align`. Everything else goes: `<script>`, `<style>`, `<iframe>`, `<object>`, `<base>`,
`<meta>`, forms, SVG and MathML (with their content), event attributes (`on...`), and links to
`javascript:`, `data:`, `vbscript:` or any other scheme, however they are written or encoded.

Markdown attribute lists (`{: #id .class }`) may set `id` and `class` only (`ContentAttributes`).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
#: On every allowed element.
GLOBAL_ATTRIBUTES = frozenset({"id", "class"})
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
    "details": {"open"},
    "abbr": {"title"},
}
URL_ATTRIBUTES = frozenset({"href", "src"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES = frozenset({"text-align"})
#: Removed with everything inside them, not only their tags.
DROPPED_WHOLE = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math",
                           "textarea", "select", "title", "xmp", "noembed", "noframes"})
#: What Markdown attribute lists may set.
ATTRIBUTE_LIST_KEYS = frozenset({"id", "class"})

_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WHOLE),
    attributes={"*": set(GLOBAL_ATTRIBUTES), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    strip_comments=True,
    link_rel=None,
)

_WHY = {
    "script": "which would run a script",
    "style": "which would restyle the whole site",
    "iframe": "which would show another website inside the page",
    "object": "which would run a plug-in",
    "embed": "which would run a plug-in",
    "base": "which would send every link elsewhere",
    "meta": "which would change how the browser treats the page",
    "link": "which would load something from elsewhere",
    "svg": "a drawing, which can carry script and animated links",
    "math": "formulae, which can carry links",
    "form": "which would send what a resident types elsewhere",
}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_NOISE = re.compile(r"[\t\n\r]")


def clean(html: str) -> str:
    """The page's HTML with everything outside the allow-list taken out."""
    return _CLEANER.clean(html)


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read in a link (`&#106;avascript:` is already decoded here): leading
    spaces and controls and every tab or line break inside are ignored, as browsers ignore them."""
    text = _URL_NOISE.sub("", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
                                           "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f \x7f"))
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else None


def _style_ok(value: str) -> bool:
    declarations = [d.strip() for d in value.split(";") if d.strip()]
    return all(d.split(":", 1)[0].strip().lower() in STYLE_PROPERTIES and
               re.fullmatch(r"[a-z\-]+\s*:\s*(left|right|center|justify)\s*", d, re.I) for d in declarations)


class _Inspector(HTMLParser):
    """Walks the HTML as the browser would build it and names each thing the allow-list leaves out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.inside_dropped = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside_dropped:
            if tag in DROPPED_WHOLE and tag not in ("script", "style"):
                self.inside_dropped += 1
            return
        if tag not in TAGS:
            self.found.append(f"a <{tag}> element, {_WHY.get(tag, 'which pages may not carry')}")
            if tag in DROPPED_WHOLE and tag not in ("script", "style"):   # the parser reads those two as text
                self.inside_dropped = 1
            return
        allowed = GLOBAL_ATTRIBUTES | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"an event attribute ({name}=) that would run a script")
            elif name not in allowed:
                self.found.append(f"the attribute '{name}' on <{tag}>, which pages may not set")
            elif name in URL_ATTRIBUTES and (scheme := url_scheme(value)) and scheme not in URL_SCHEMES:
                self.found.append(f"a link to a '{scheme}:' address, which pages may not carry (a link starts with "
                                  "https:, mailto: or tel:, or names a page of the site)")
            elif name == "style" and not _style_ok(value):
                self.found.append(f"a style on <{tag}> other than a column's text-align")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in DROPPED_WHOLE and self.inside_dropped == 1 and tag not in ("script", "style"):
            self.inside_dropped = 0

    def handle_endtag(self, tag: str) -> None:
        if self.inside_dropped and tag in DROPPED_WHOLE:
            self.inside_dropped -= 1

    def handle_comment(self, data: str) -> None:
        if re.search(r"\[if|<\s*!?\w", data, re.I):   # conditional comments, markup hidden in a comment
            self.found.append("markup inside an HTML comment")


def findings(html: str) -> list[str]:
    """Each thing in `html` that `clean` takes out, in words, in the order they come."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    found = inspector.found
    if not found and _text_and_tags(clean(html)) != _text_and_tags(html):
        found = ["HTML that browsers read differently from how it looks; write the page in Markdown"]
    return found


class _Shape(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        if tag not in ("tbody", "thead", "tr", "colgroup"):   # what the browser adds to tables by itself
            self.items[(tag, tuple(sorted((k, v or "") for k, v in attrs)))] += 1

    def handle_data(self, data):
        for word in data.split():
            self.items[word] += 1


def _text_and_tags(html: str) -> Counter:
    """The start tags with their attributes and the words of `html`, in no order (a safety net for
    HTML the inspector and the sanitiser would parse differently)."""
    shape = _Shape()
    shape.feed(html)
    shape.close()
    return shape.items


# -- Markdown attribute lists -------------------------------------------------------------------------------

class _Before(Treeprocessor):
    """Notes the attributes Markdown itself gave each element, before attribute lists are read."""

    def run(self, root):
        self.md.ctkit_attributes = {id(el): set(el.attrib) for el in root.iter()}


class _After(Treeprocessor):
    """Takes back what an attribute list set other than id and class, and notes it."""

    def run(self, root):
        before = getattr(self.md, "ctkit_attributes", {})
        for el in root.iter():
            for name in sorted(set(el.attrib) - before.get(id(el), set()) - ATTRIBUTE_LIST_KEYS):
                del el.attrib[name]
                self.md.ctkit_refused.append(f"an attribute list setting '{name}' (attribute lists may set only "
                                             "an id and classes: {: #id .class })")


class ContentAttributes(Extension):
    """Markdown attribute lists limited to `id` and `class` (before the table of contents reads them)."""

    def extendMarkdown(self, md):
        md.ctkit_refused = []
        md.registerExtension(self)
        md.treeprocessors.register(_Before(md), "ctkit_before_attr_list", 9)   # attr_list runs at 8, toc at 5
        md.treeprocessors.register(_After(md), "ctkit_after_attr_list", 7)

    def reset(self):
        pass


#: The site's Markdown extensions (mkdocs.yml `markdown_extensions`; a test keeps the two the same).
SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "def_list", "tables", "toc", "pymdownx.details",
                   "pymdownx.superfences"]


def page_findings(markdown_text: str) -> list[str]:
    """What the allow-list would take out of a page written as `markdown_text`, as the site renders it."""
    return list(_page_findings(markdown_text))


@lru_cache(maxsize=2048)
def _page_findings(markdown_text: str) -> tuple[str, ...]:
    """page_findings, kept by the text: `ctkit check` renders every page, and a serve session, a build of ten
    councils or a copy of the project meets the same text again."""
    md = markdown.Markdown(extensions=[*SITE_EXTENSIONS, ContentAttributes()])
    html = md.convert(markdown_text)
    return tuple(md.ctkit_refused + findings(html))


@dataclass(frozen=True)
class Located:
    line: int        # 1-based, in the text given
    what: str


def located_findings(text: str, find: Callable[[str], list[str]] = page_findings, limit: int = 20) -> list[Located]:
    """Each finding of `find(text)` with the first line at which it appears: the shortest beginning of
    the text that already has it (a reference link counts from its definition). Only pages with a
    finding pay for this, a few renderings each."""
    found = find(text)
    if not found:
        return []
    lines = text.splitlines(keepends=True)
    cache: dict[int, Counter] = {}

    def count_upto(k: int) -> Counter:
        if k not in cache:
            cache[k] = Counter(find("".join(lines[:k])))
        return cache[k]

    out: list[Located] = []
    seen: Counter = Counter()
    for what in found[:limit]:
        seen[what] += 1
        low, high = 1, len(lines)
        while low < high:
            mid = (low + high) // 2
            if count_upto(mid)[what] >= seen[what]:
                high = mid
            else:
                low = mid + 1
        out.append(Located(low, what))
    return out


def describe(what: str) -> str:
    """The sentence `ctkit check` gives for one finding."""
    return (f"this line has {what}; the site leaves it out. Write the page in Markdown, and ask a developer "
            "for anything interactive")

