"""Read a filled PDF form back into canonical data, or say in one sentence why it cannot be.

Used by the validator. Never raises for a bad file: a printed-and-scanned PDF (no
fields), an encrypted one, a truncated download or a non-PDF named .pdf each give
`ReadResult.error`, a sentence with no personal data in it.
"""
from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdf

from ..model import Form, Question, field_name, parse_field_name
from ..model.values import is_ticked, read_date, read_time
from ..text_safety import shown

MAX_PDF_BYTES = 20_000_000
_KEYWORDS = re.compile(r"ctkit-form:([a-z0-9_]{1,40})(?:;\s*ctkit-version:([0-9]{1,3}\.[0-9]{1,3}))?")


@dataclass
class ReadResult:
    data: dict | None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    made_for: str = ""            # the council the form was made for, as its metadata names it (/Author)


@dataclass
class _Opened:
    fields: dict[str, Any]        # field name -> the field dictionary that is read for it
    form_id: str | None
    version: str | None
    warnings: list[str] = field(default_factory=list)
    author: str = ""


#: A form of this kit has a few hundred fields; a field tree far bigger than this is not a form.
MAX_FIELD_NODES = 20_000
MAX_FIELD_DEPTH = 16
TAIL_BYTES = 1_000_000


def _has_widget(node: Any) -> bool:
    """Whether a field is drawn on a page (it, or a kid without a name, is a widget with a rectangle)."""
    if node.get("/Subtype") == "/Widget" and node.get("/Rect") is not None:
        return True
    for kid in node.get("/Kids") or ():
        kid = kid.get_object()
        if "/T" not in kid and kid.get("/Subtype") == "/Widget" and kid.get("/Rect") is not None:
            return True
    return False


def _field_tree(reader: pypdf.PdfReader) -> dict[str, list[Any]]:
    """Every terminal field by its full name, in the order the form lists them; bounded and loop-safe."""
    acro = reader.trailer["/Root"].get("/AcroForm")
    acro = acro.get_object() if acro is not None else None
    found: dict[str, list[Any]] = {}
    if acro is None:
        return found
    stack = [(ref, "", 0) for ref in reversed(list(acro.get("/Fields") or ()))]
    seen: set[int] = set()
    while stack and len(seen) < MAX_FIELD_NODES:
        ref, prefix, depth = stack.pop()
        node = ref.get_object()
        key = id(node) if not hasattr(ref, "idnum") else ref.idnum
        if key in seen or depth > MAX_FIELD_DEPTH or not hasattr(node, "get"):
            continue
        seen.add(key)
        own = node.get("/T")
        name = f"{prefix}.{own}" if prefix and own is not None else (str(own) if own is not None else prefix)
        named_kids = [k for k in node.get("/Kids") or () if "/T" in k.get_object()]
        if named_kids:
            stack += [(k, name, depth + 1) for k in reversed(named_kids)]
        elif name:
            found.setdefault(name, []).append(node)
    return found


def _pick(name: str, nodes: list[Any], warnings: list[str]) -> Any:
    """The field read for a name given more than once: the one drawn on a page, never a hidden copy."""
    if len(nodes) == 1:
        return nodes[0]
    shown_on_page = [n for n in nodes if _has_widget(n)]
    warnings.append(f"the PDF has {len(nodes)} fields named “{shown(name, 60)}”; the one shown on the page was "
                    "read, and the others were ignored.")
    return (shown_on_page or nodes)[0]


def _damaged_or_incomplete(source: Path | bytes, size: int) -> str:
    try:
        if isinstance(source, bytes):
            tail = source[-TAIL_BYTES:]
        else:
            with source.open("rb") as handle:
                handle.seek(max(0, size - TAIL_BYTES))
                tail = handle.read()
    except OSError:
        tail = b""
    if b"%%EOF" not in tail:
        return "the PDF is incomplete (it may not have finished downloading or saving), so it cannot be read."
    return "the PDF is damaged, so it cannot be read; ask for the form to be sent again."


def _open(source: Path | bytes) -> tuple[_Opened | None, str | None]:
    """The PDF's fields and metadata (from a file, or bytes sent online), or a sentence saying why it cannot be
    read."""
    if isinstance(source, bytes):
        size, head = len(source), source[:1024]
    else:
        try:
            size = source.stat().st_size
            with source.open("rb") as handle:
                head = handle.read(1024)
        except OSError as exc:
            return None, f"the file cannot be opened ({exc.strerror or 'unknown reason'})."
    if size > MAX_PDF_BYTES:
        return None, (f"the file is {size / 1_000_000:.1f} MB, more than the {MAX_PDF_BYTES // 1_000_000} MB "
                      "a returned form can be, so it was not read.")
    if b"%PDF-" not in head:
        return None, "this file is not a PDF, although its name says it is; it may be another kind of document renamed."
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    warnings: list[str] = []
    try:
        reader = pypdf.PdfReader(io.BytesIO(source) if isinstance(source, bytes) else str(source), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            # An empty user password opens many "protected" PDFs; only a real password stops us.
            return None, ("the PDF is password-protected (encrypted), so its answers cannot be read; "
                          "ask for a copy saved without a password.")
        tree = _field_tree(reader)
        fields = {name: _pick(name, nodes, warnings) for name, nodes in tree.items()}
        acro = reader.trailer["/Root"].get("/AcroForm")
        if acro is not None and "/XFA" in acro.get_object():
            warnings.append("the PDF also holds XFA form data, which the kit does not read; the answers were read "
                            "from its ordinary form fields. If they look empty or different from what the person "
                            "says they wrote, ask them to save the form again from another PDF reader.")
        carried = _javascript(reader, tree)
        if carried:
            warnings.append(f"the PDF carries JavaScript ({'; '.join(carried)}), which the kit does not run: the "
                            "answers were judged as they are stored in its fields. A PDF reader that runs "
                            "JavaScript (Adobe Acrobat, for one) may show other values than the ones judged, so "
                            "check the answers in this report, not on the screen.")
        info = reader.metadata or {}
        keywords = str(info.get("/Keywords") or "")[:1000]
        author = str(info.get("/Author") or "")[:200]
    except Exception:  # noqa: BLE001 - any parser failure means the same thing to the SPOC
        return None, _damaged_or_incomplete(source, size)
    if not fields:
        return None, ("the PDF has no form fields, so there are no answers to read; it may have been printed and "
                      "scanned, or 'printed to PDF', which removes them. Ask for the filled-in form file itself.")
    m = _KEYWORDS.search(keywords)
    return _Opened(fields, m[1] if m else None, m[2] if m and m[2] else None, warnings, author), None


#: Field actions: keystroke, format, validate, calculate; and what a widget does when used.
_FIELD_ACTIONS = {"/K": "keystroke", "/F": "format", "/V": "validate", "/C": "calculate"}
MAX_ACTION_CHAIN = 32
MAX_SCRIPTED_PAGES = 50


def _is_script(action: Any) -> bool:
    """An action, or any in its /Next chain (bounded), that runs JavaScript."""
    stack, seen = [action], 0
    while stack and seen < MAX_ACTION_CHAIN:
        item = stack.pop()
        seen += 1
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, list):
            stack += list(item)
        elif hasattr(item, "get"):
            if item.get("/S") == "/JavaScript" or "/JS" in item:
                return True
            if item.get("/Next") is not None:
                stack.append(item["/Next"])
    return False


def _javascript(reader: pypdf.PdfReader, tree: dict[str, list[Any]]) -> list[str]:
    """What JavaScript the PDF carries, in words: the SPOC is told, as with XFA, since a reader that
    runs it may show other values than the fields hold."""
    root = reader.trailer["/Root"]
    found = []
    if _is_script(root.get("/OpenAction")):
        found.append("a script that runs when it is opened (/OpenAction)")
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        found.append("document-level scripts (/Names /JavaScript)")
    document_actions = root.get("/AA")
    if document_actions is not None and any(_is_script(a) for a in document_actions.get_object().values()):
        found.append("scripts that run when it is saved, printed or closed (/AA)")
    pages = reader.pages[:MAX_SCRIPTED_PAGES]
    if any(_is_script(a) for page in pages for a in (page.get("/AA") or {}).values()):
        found.append("scripts that run when a page is shown (page /AA)")
    kinds: dict[str, list[str]] = {}
    for name, nodes in tree.items():
        for node in nodes:
            parts = [node] + [k.get_object() for k in node.get("/Kids") or () if "/T" not in k.get_object()]
            for part in parts:
                actions = part.get("/AA")
                actions = actions.get_object() if actions is not None else {}
                for key, words in (*_FIELD_ACTIONS.items(), ("/A", "click")):
                    action = part.get("/A") if key == "/A" else actions.get(key)
                    if action is not None and _is_script(action):
                        kinds.setdefault(words, []).append(shown(name, 60))
    for words, fields in kinds.items():
        listed = ", ".join(f"“{f}”" for f in list(dict.fromkeys(fields))[:3])
        more = f" and {len(set(fields)) - 3} more" if len(set(fields)) > 3 else ""
        found.append(f"{words} actions on the field{'s' if len(set(fields)) > 1 else ''} {listed}{more}")
    return found


def identify_form(source: Path | bytes, forms: Mapping[str, Form]) -> str | None:
    """Which form a PDF (a file, or bytes sent online) is: the id stored in its metadata, else the form whose
    field names it has most of."""
    opened, error = _open(source if isinstance(source, bytes) else Path(source))
    if opened is None:
        return None
    return _which(opened, forms)


def _which(opened: _Opened, forms: Mapping[str, Form]) -> str | None:
    if opened.form_id in forms:
        return opened.form_id
    names = set(opened.fields)
    best, best_share = None, 0.0
    for form_id, form in forms.items():
        own = {f.name for f in form.fields()}
        share = len(names & own) / max(len(names), 1)
        if share > best_share:
            best, best_share = form_id, share
    return best if best_share >= 0.5 else None


def read_pdf(path: Path, form: Form | Mapping[str, Form]) -> ReadResult:
    """Canonical data from a filled PDF of `form` (or of whichever of several forms it is)."""
    try:
        opened, error = _open(Path(path))
        if opened is None:
            return ReadResult(None, error)
        if isinstance(form, Mapping):
            form_id = _which(opened, form)
            if form_id is None:
                return ReadResult(None, "the PDF's form fields are not those of any form in this kit; "
                                        "it may be a different organisation's form.")
            form = form[form_id]
        own = {f.name for f in form.fields()}
        radio_names = {f.name for f in form.fields() if f.question.type == "radio"}
        matched = own & set(opened.fields) | {n for n in radio_names if n in opened.fields}
        foreign = set(opened.fields) - own
        if opened.form_id and opened.form_id != form.id:
            return ReadResult(None, f"the PDF's form fields are not those of the {form.title}: "
                                    f"it is the kit's '{opened.form_id}' form.")
        if len(matched) <= len(foreign):
            return ReadResult(None, f"the PDF's form fields are not those of the {form.title}; "
                                    "it may be a different form.")
        warnings: list[str] = list(opened.warnings)
        missing = len(own - set(opened.fields))
        if missing:
            warnings.append(f"{missing} of the form's fields are missing from the PDF; those answers are taken as blank.")
            unknown = sorted(n for n in foreign if _has_value(opened.fields[n]))
            if unknown:
                listed = ", ".join(f"“{shown(n, 40)}”" for n in unknown[:10])
                more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
                warnings.append(f"the PDF has answers in {len(unknown)} field{'s' if len(unknown) != 1 else ''} "
                                f"whose names are not on this form ({listed}{more}); they were not read. The "
                                "form may have been changed or renamed by the program that filled it: check "
                                "those answers by eye.")
        data = canonical_data(form, {n: opened.fields[n] for n in own if n in opened.fields},
                              opened.version, warnings)
        return ReadResult(data, None, warnings, opened.author)
    except Exception:  # noqa: BLE001 - a reader never raises; the SPOC gets a sentence
        return ReadResult(None, "the PDF could not be read as a form; it may be damaged.")


# -- values -------------------------------------------------------------------------

def _has_value(field_dict: Any) -> bool:
    value = field_dict.get("/V")
    return value is not None and str(value).strip() not in ("", "/Off", "Off")


def _text(field_dict: Any) -> str:
    value = field_dict.get("/V")
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value)
    if text.startswith("/"):  # a name where text was expected
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _widgets(field_dict: Any) -> list:
    kids = field_dict.get("/Kids")
    try:
        return [k.get_object() for k in kids] if kids else [field_dict]
    except Exception:  # noqa: BLE001
        return [field_dict]


def _on_states(widget: Any) -> set[str]:
    try:
        return {str(k).lstrip("/") for k in widget["/AP"]["/N"].keys()} - {"Off"}
    except Exception:  # noqa: BLE001
        return set()


def _ticked(field_dict: Any) -> bool:
    value = field_dict.get("/V")
    widgets = _widgets(field_dict)
    states = set().union(*(_on_states(w) for w in widgets))
    if value is not None:
        return is_ticked(value, states)
    return any(is_ticked(w.get("/AS"), _on_states(w)) for w in widgets)


def _radio(field_dict: Any, q: Question) -> str | None:
    values = [o.value for o in q.options]
    raw = field_dict.get("/V")
    chosen = str(raw).lstrip("/") if raw is not None else ""
    if not chosen or chosen == "Off":
        chosen = next((str(w.get("/AS")).lstrip("/") for w in _widgets(field_dict)
                       if w.get("/AS") is not None and str(w.get("/AS")).lstrip("/") != "Off"), "")
    if not chosen or chosen == "Off":
        return None
    if chosen not in values and chosen.isdigit() and int(chosen) < len(values):
        chosen = values[int(chosen)]  # some tools store the option's position
    return chosen


def convert(q: Question, field_dict: Any) -> Any:
    """The canonical value of one field; None when it was left blank."""
    if q.type == "checkbox":
        return _ticked(field_dict)
    if q.type == "radio":
        return _radio(field_dict, q)
    text = _text(field_dict)
    if not text:
        return None
    if q.type == "date":         # the one reading of dates (model.values); a date it cannot read is kept as
        day = read_date(text).day   # typed, for the judge to say what is wrong with it
        return day.isoformat() if day else text.strip()
    if q.type == "time":
        return read_time(text)[0] or text.strip()
    if q.type not in ("textarea",):
        text = " ".join(text.split())
    return text


def _put(data: dict, path: tuple, value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def canonical_data(form: Form, fields: dict[str, Any], version: str | None, warnings: list[str]) -> dict:
    """The submitted-data shape from field values: blanks left out, ticks as booleans, rows with answers kept."""
    data: dict[str, Any] = {"form": form.id}
    if version:
        data["form_version"] = version
    else:
        warnings.append("the PDF does not say which guidance version it was made for.")
    for q in form.questions():
        if q.type == "checkboxes":
            chosen = [o.value for o in q.options
                      if field_name(q.path + (o.value,)) in fields and _ticked(fields[field_name(q.path + (o.value,))])]
            _put(data, q.path, chosen)
            continue
        name = field_name(q.path)
        if name not in fields:
            if q.type == "checkbox":
                _put(data, q.path, False)
            continue
        value = convert(q, fields[name])
        if value is not None:
            _put(data, q.path, value)
    for repeat in form.repeats():
        rows = []
        for row in range(repeat.capacity):
            item: dict[str, Any] = {}
            for q in repeat.questions:
                name = field_name((repeat.key, row) + q.path)
                if name in fields:
                    value = convert(q, fields[name])
                    if value not in (None, False):
                        _put(item, q.path, value)
            if item:
                rows.append(item)
        data[repeat.key] = rows
    return data


__all__ = ["ReadResult", "read_pdf", "identify_form", "canonical_data", "parse_field_name", "MAX_PDF_BYTES"]
