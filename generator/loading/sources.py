"""Read YAML and Markdown safely, keeping the line each value came from.

This is the only place in the kit that parses YAML. It uses PyYAML's safe loader
(no Python tags, nothing executed), refuses anchors and aliases (so a "billion laughs"
file cannot blow up), refuses files over a size limit before reading them, and returns
mappings and lists that remember their line numbers so every later error can say
`file:line`.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

#: Largest source file we will read. Guidance files are a few kilobytes; anything
#: this big is a mistake (or an attack) and is refused before it is read.
MAX_SOURCE_BYTES = 1_000_000


class LineDict(dict):
    """A dict that remembers the line of each key (1-based) and its own start line."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that remembers the line of each item (1-based) and its own start line."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _Loader(yaml.composer.Composer, yaml.cyaml.CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """Safe loader that records lines and refuses aliases.

    libyaml (PyYAML's C parser, built into the PyYAML wheels) reads the text, about seven times faster than
    PyYAML's own scanner; nodes are composed here in Python, so that an alias is refused before it is
    followed, and resolved with the YAML 1.2 booleans below. What it builds is SafeLoader's: no tags run.
    """

    def __init__(self, stream):
        yaml.cyaml.CParser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None,
                "anchors and aliases (*name) are not allowed; write the value out in full",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice (first on line {result.key_lines[key]})",
                key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


# YAML 1.2 booleans: only true/false. Under YAML 1.1 `on:`, `yes` and `no` become
# booleans, which turns an approval's `on:` date key or a "no" answer into True/False.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not a real date (write dates as YYYY-MM-DD)", node.start_mark)


class _LenientDateLoader(_Loader):
    """For submitted data: an impossible date (2026-02-30) stays text, so the validator can name it."""


def _construct_timestamp_or_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


# Both loaders build line-aware mappings that refuse duplicate keys; PyYAML copies a
# class's constructors on its first add_constructor, so each class gets every one explicitly.
for _cls, _timestamp in ((_Loader, _construct_timestamp), (_LenientDateLoader, _construct_timestamp_or_text)):
    _cls.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


@dataclass
class Loaded:
    """The result of reading one file: data (or None) and any problems found."""

    path: str
    data: Any
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def _yaml_problem(path: str, exc: yaml.YAMLError, line_offset: int = 0, text: str = "") -> Problem:
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):
        return Problem(path, text[:exc.position].count("\n") + 1 + line_offset,
                       f"this line has a control character (U+{exc.character:04X}) that YAML does not allow; "
                       "delete it, or retype the line")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, yaml.constructor.ConstructorError) and "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip(" '").replace("tag:yaml.org,2002:", "!!")
        problem = (f"the tag '{tag}' is not allowed; source files hold plain text, "
                   "numbers, dates, lists and mappings only")
    elif "maximum nesting depth" in (problem or ""):   # libyaml's own limit, as RecursionError is ours
        return Problem(path, line, "the YAML is nested too deeply to read")
    elif isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError):
        found = _syntax_in_words(exc, text)
        if found is not None:
            where, problem = found
            return Problem(path, where.line + 1 + line_offset, problem)
        problem = f"this is not valid YAML ({problem}); check the indentation and any ':' or quotes on this line"
    return Problem(path, line, problem[0].lower() + problem[1:] if problem else "unreadable YAML")


def _char_at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    line = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    return line[mark.column] if 0 <= mark.column < len(line) else ""


def _quote_running_on(text: str, found: Any) -> Any:
    """Where a quoted value that runs over several lines, up to where the parser gave up, began: an unclosed
    quotation mark swallows the lines after it until the next one, and the parser only complains there."""
    if found is None:
        return None
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):   # the pure-Python scanner, only on this error
            if token.start_mark.line > found.line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.end_mark.line > token.start_mark.line:
                last = token
    except yaml.YAMLError:
        pass
    return last.start_mark if last is not None and last.end_mark.line >= found.line - 1 else None


def _syntax_in_words(exc: yaml.MarkedYAMLError, text: str) -> tuple[Any, str] | None:
    """(the mark where the mistake is, a sentence) for the mistakes editors make most.

    The YAML parser reports where it gave up, which is often the line after the mistake: a `{`
    left open on line 89 is noticed on line 90. Where the parser names what it was reading, the
    mistake is where that began."""
    context, problem = exc.context or "", exc.problem or ""
    start, found = exc.context_mark, exc.problem_mark
    runaway = _quote_running_on(text, found)
    if runaway is not None:
        return runaway, "the quotation mark that opens a value on this line is not closed on this line, so the value " \
                        "runs on to the next quotation mark in the file; close it, or take it out"
    if context.startswith("while parsing a flow mapping") and start is not None:
        return start, "the ‘{’ on this line is not closed with ‘}’ (or a ‘,’ is missing between two of its values)"
    if context.startswith("while parsing a flow sequence") and start is not None:
        return start, "the ‘[’ on this line is not closed with ‘]’ (or a ‘,’ is missing between two of its items)"
    if context.startswith("while scanning a quoted scalar") and start is not None:
        quote = "'" if _char_at(text, start) == "'" else '"'
        return start, f"the quotation mark ({quote}) that opens a value on this line is never closed"
    if context.startswith("while scanning a simple key") and start is not None:
        return start, "this line needs a ‘:’ after its name, as in ‘name: value’"
    if problem.startswith("mapping values are not allowed") and found is not None:
        return found, ("this line has a second ‘: ’ in it; put the value in double quotes if it holds a colon, "
                       'as in note: "Open: 9am to 5pm"')
    if problem.startswith("found character that cannot start any token") and found is not None:
        char = _char_at(text, found)
        if char == "\t":
            return found, "this line has a tab where YAML needs spaces; indent with spaces only"
        return found, f"a value cannot begin with ‘{char}’; put the value in double quotes"
    if problem.startswith(("did not find expected key", "expected <block end>")) and found is not None:
        return found, ("this line is not indented like the lines around it; line up its name with the names at "
                       "the same level, using spaces")
    return None


def parse_yaml(text: str, path: str, line_offset: int = 0, *, lenient_dates: bool = False) -> Loaded:
    """Parse YAML text safely. `line_offset` shifts lines (front matter inside Markdown);
    `lenient_dates` keeps an impossible date as text instead of refusing the file."""
    loader = _LenientDateLoader if lenient_dates else _Loader
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are SafeLoaders
    except yaml.YAMLError as exc:
        return Loaded(path, None, [_yaml_problem(path, exc, line_offset, text)])
    except RecursionError:
        return Loaded(path, None, [Problem(path, None, "the YAML is nested too deeply to read")])
    if line_offset:
        _shift_lines(data, line_offset)
    return Loaded(path, data, [])


def _shift_lines(node: Any, offset: int) -> None:
    if isinstance(node, LineDict):
        node.line += offset
        node.key_lines = {k: v + offset for k, v in node.key_lines.items()}
        for value in node.values():
            _shift_lines(value, offset)
    elif isinstance(node, LineList):
        node.line += offset
        node.item_lines = [v + offset for v in node.item_lines]
        for value in node:
            _shift_lines(value, offset)


def read_text(path: Path, shown: str, max_bytes: int = MAX_SOURCE_BYTES,
              what: str = "source files") -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file with a size limit checked before reading."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(shown, None, f"cannot be read ({exc.strerror or exc})")]
    if size > max_bytes:
        return None, [Problem(shown, None,
                              f"the file is {size / 1_000_000:.1f} MB; {what} must be under "
                              f"{max_bytes / 1_000_000:.0f} MB, so it was not read")]
    if size == 0:
        return None, [Problem(shown, None, "the file is empty")]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, None, f"cannot be read ({exc.strerror or exc})")]
    return decode_text(raw, shown)


def decode_text(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """Bytes already read (and size-checked) as UTF-8 text; not text, or only spaces, is a problem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, "this line is not UTF-8 text (is it another kind of file "
                                           "with the wrong name?); save the file as UTF-8")]
    if not text.strip():
        return None, [Problem(shown, None, "the file is empty")]
    return text, []


def load_yaml(path: Path, shown: str | None = None, max_bytes: int = MAX_SOURCE_BYTES) -> Loaded:
    """Read and parse one YAML file; an empty or oversized file is a problem, not an exception."""
    shown = shown or path.as_posix()
    text, problems = read_text(path, shown, max_bytes)
    if text is None:
        return Loaded(shown, None, problems)
    loaded = parse_yaml(text, shown)
    if loaded.ok and loaded.data is None:
        loaded.problems.append(Problem(shown, None, "the file holds no data (only comments?)"))
    return loaded


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a value")


class DuplicateKey(ValueError):
    """A JSON object names the same key twice; which answer was meant cannot be known."""

    def __init__(self, key: str):
        super().__init__("a key appears twice")
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def load_data(path: Path, shown: str | None = None, max_bytes: int = MAX_SOURCE_BYTES,
              what: str = "data files") -> Loaded:
    """Read submitted data, JSON or YAML by the file's suffix, as safely as a source.

    For data people send in (applications, pre-fill data): an impossible date stays text
    so the validator can name it, and JSON's NaN/Infinity are refused.
    """
    shown = shown or path.as_posix()
    text, problems = read_text(path, shown, max_bytes, what)
    if text is None:
        return Loaded(shown, None, problems)
    if path.suffix.lower() != ".json":
        return parse_yaml(text, shown, lenient_dates=True)
    return parse_json(text, shown)


def parse_json(text: str, shown: str) -> Loaded:
    """Submitted JSON: NaN/Infinity, a key given twice and nesting past Python's limit are each a problem."""
    try:
        return Loaded(shown, json.loads(text, parse_constant=_no_constants, object_pairs_hook=_refuse_duplicates), [])
    except RecursionError:
        return Loaded(shown, None, [Problem(shown, None, "the data is nested too deeply to read")])
    except DuplicateKey:
        return Loaded(shown, None, [Problem(shown, None, "an answer is given twice under the same name, "
                                                          "so which one was meant cannot be known")])
    except ValueError as exc:
        return Loaded(shown, None, [Problem(shown, getattr(exc, "lineno", None), "this is not valid JSON")])


@dataclass
class MarkdownSource:
    """A Markdown page: its front matter (LineDict), body text, and the line the body starts on."""

    path: str
    meta: LineDict
    body: str
    body_line: int


def load_markdown(path: Path, shown: str | None = None) -> tuple[MarkdownSource | None, list[Problem]]:
    """Split a Markdown file into YAML front matter and body; front matter lines stay true to the file."""
    shown = shown or path.as_posix()
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    return parse_markdown(text, shown)


def parse_markdown(text: str, shown: str) -> tuple[MarkdownSource | None, list[Problem]]:
    """Markdown text as front matter (read by the one YAML loader) and body, with the body's first line."""
    meta: Any = LineDict()
    meta.line, meta.key_lines = 1, {}
    body, body_line = text, 1
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                loaded = parse_yaml("".join(lines[1:i]), shown, line_offset=1)
                if not loaded.ok:
                    return None, loaded.problems
                if loaded.data is not None:
                    meta = loaded.data
                body, body_line = "".join(lines[i + 1:]), i + 2
                break
        else:
            return None, [Problem(shown, 1, "the front matter starting with '---' is never closed by another '---'")]
    if not isinstance(meta, LineDict):
        return None, [Problem(shown, 2, "the front matter must be a set of 'key: value' lines")]
    return MarkdownSource(shown, meta, body, body_line), []


def line_at(data: Any, path: list | tuple) -> int | None:
    """The line of the deepest node along `path` (keys and indexes) that exists."""
    node, line = data, getattr(data, "line", None)
    for part in path:
        if isinstance(node, LineDict) and part in node:
            line = node.line_of(part)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.line_of(part)
            node = node[part]
        else:
            break
    return line


def to_plain(data: Any) -> Any:
    """Strip line tracking and turn dates into ISO strings, for JSON Schema and JSON output."""
    if isinstance(data, dict):
        return {k: to_plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [to_plain(v) for v in data]
    if isinstance(data, (_dt.date, _dt.datetime)):
        return data.isoformat()
    return data
