"""Load a project once: read every source, check it against its schema, build the model, cross-check.

`load_project(root)` is the one entry point used by the commands, the MkDocs plugin and the
tests, so sources are read and checked once per run. Everything below this module (loading,
model, checks) is told nothing about commands; everything above it receives the `Guidance`.
"""
from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .checks import findings_by_check, page_text_checks
from .content_folder import PROJECT_FILE
from .errors import Problem, Stop, display_path
from .loading.old_releases import upgrade_release
from .loading.schemas import schema_problems, unverified_warnings
from .loading.sources import load_markdown, load_yaml, read_text
from .model import (LOCKS_FOLDER, Guidance, Lock, Page, build_colours, build_council, build_criteria, build_form,
                    build_partnership, build_version, name_approving_councils, parse_lock, version_key)

#: Every kind of YAML source, where it lives and the schema it must meet.
SINGLE_FILES = {
    "project": (PROJECT_FILE, "ctkit.schema.json"),
    "law": ("guidance/law-2026.yml", "law-2026.schema.json"),
    "versions": ("guidance/versions.yml", "versions.schema.json"),
    "criteria": ("guidance/criteria.yml", "criteria.schema.json"),
    "organisations": ("guidance/organisations.yml", "organisations.schema.json"),
    "monitoring": ("guidance/monitoring.yml", "monitoring.schema.json"),
    "wording": ("guidance/wording.yml", "wording.schema.json"),
    "letters": ("guidance/letters.yml", "letters.schema.json"),
    "site": ("guidance/site.yml", "site.schema.json"),
}
COUNCILS_GLOB = "guidance/councils/*.yml"
FORMS_GLOB = "forms/*.yml"
PAGES_GLOB = "guidance/**/*.md"
LOCKS_GLOB = f"{LOCKS_FOLDER}/*.lock"


@dataclass
class Project:
    """The loaded sources: every problem found, the files read, and the typed model when it could be built."""

    root: Path
    files: list[str] = field(default_factory=list)              # every source read, as shown to editors
    problems: list[Problem] = field(default_factory=list)
    unconfirmed: list[Problem] = field(default_factory=list)   # every value marked `verified: false`
    guidance: Guidance | None = None
    checked: dict[str, list[Problem]] = field(default_factory=dict)   # what each check found (checks.findings_by_check)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def require(self) -> Guidance:
        """The model, or Stop carrying every located error."""
        if self.errors or self.guidance is None:
            raise Stop(self.errors or [Problem(str(self.root), None, "the sources could not be loaded")])
        return self.guidance


def _as_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _normalise_dates(data: Any) -> Any:
    """Dates quoted as "2020-09-24" in YAML become dates, as unquoted ones already are."""
    if isinstance(data, dict):
        for key in list(data):
            if key in ("date", "on", "effective_from") and isinstance(data[key], str):
                data[key] = _as_date(data[key])
            else:
                _normalise_dates(data[key])
    elif isinstance(data, list):
        for item in data:
            _normalise_dates(item)
    return data


def _load_checked(project: Project, path: Path, schema: str, memo: SourceMemo | None = None) -> tuple[str, Any]:
    """(shown path, data) of one YAML source; data is None when it does not load or meet its schema."""
    shown = display_path(path, project.root)
    project.files.append(shown)
    problems, unconfirmed, data = _remembered(memo, path, schema, lambda: _read_checked(project.root, path, shown,
                                                                                         schema))
    project.problems += problems
    project.unconfirmed += unconfirmed
    return shown, data


def _read_checked(root: Path, path: Path, shown: str, schema: str) -> tuple[list[Problem], list[Problem], Any]:
    """One YAML source read and checked against its schema: (problems, unconfirmed values, data or None)."""
    loaded = load_yaml(path, shown)
    if not loaded.ok:
        return loaded.problems, [], None
    problems = schema_problems(root, loaded.data, schema, shown)
    unconfirmed = unverified_warnings(loaded.data, shown)
    return loaded.problems + problems + unconfirmed, unconfirmed, None if problems else _normalise_dates(loaded.data)


class SourceMemo:
    """Each source's reading kept by its bytes, for a process that loads the same project again after every
    save (`ctkit serve`): only the files that changed are parsed and schema-checked again. A reading is handed
    out as a copy, since building the model may change what it is given."""

    def __init__(self) -> None:
        self._readings: dict[tuple[str, str], tuple[bytes, Any]] = {}

    def reading(self, path: Path, kind: str, read: Callable[[], Any]) -> Any:
        try:
            data = path.read_bytes()
        except OSError:
            return read()   # says why it cannot be read
        known = self._readings.get((str(path), kind))
        if known is None or known[0] != data:
            known = self._readings[(str(path), kind)] = (data, read())
        return copy.deepcopy(known[1])


def _remembered(memo: SourceMemo | None, path: Path, kind: str, read: Callable[[], Any]) -> Any:
    return read() if memo is None else memo.reading(path, kind, read)


def _load_pages(project: Project, memo: SourceMemo | None = None) -> list[Page]:
    pages = []
    root = project.root
    for path in sorted(root.glob(PAGES_GLOB)):
        shown = display_path(path, root)
        project.files.append(shown)
        problems, page = _remembered(memo, path, "page", lambda: _read_page(root, path, shown))
        project.problems += problems
        if page is not None:
            pages.append(page)
    return pages


def _read_page(root: Path, path: Path, shown: str) -> tuple[list[Problem], Page | None]:
    """One Markdown page read and its front matter checked: (problems, the page or None)."""
    source, problems = load_markdown(path, shown)
    if source is None:
        return problems, None
    meta_problems = schema_problems(root, source.meta, "page.schema.json", shown)
    if meta_problems:
        return problems + meta_problems, None
    rel = path.relative_to(root / "guidance").as_posix()
    return problems, Page(shown, rel, source.meta, source.body, source.body_line)


def _load_locks(project: Project) -> dict[str, Lock]:
    """Each approved version's lock (model/approved.py), by version number (the file's name)."""
    locks = {}
    for path in sorted(project.root.glob(LOCKS_GLOB)):
        shown = display_path(path, project.root)
        project.files.append(shown)
        text, problems = read_text(path, shown)
        reading = parse_lock(text, shown, path.stem) if text is not None else None
        project.problems += problems + (reading.problems if reading else [])
        if reading is not None and reading.lock is not None:
            locks[path.stem] = reading.lock
    return locks


def load_project(root: Path | str, *, with_checks: bool = True, missing_ok: bool = False,
                 memo: SourceMemo | None = None) -> Project:
    """Read, schema-check and cross-check every source under `root`; build the model if they load.

    `memo`: readings kept from an earlier load of the same folder, so that unchanged files are not read again.

    `missing_ok`: a source file that does not exist is read as empty instead of being an error. For
    `ctkit diff`, which reads releases made before a kind of source (later law, letters) existed."""
    root = Path(root).resolve()
    project = Project(root=root)
    data: dict[str, tuple[str, Any]] = {}
    for kind, (rel, schema) in SINGLE_FILES.items():
        path = root / rel
        if not path.exists():
            if missing_ok:
                data[kind] = (rel, {})
                continue
            project.problems.append(Problem(rel, None, _missing(kind, root)))
            continue
        data[kind] = _load_checked(project, path, schema, memo)
    councils = [_load_checked(project, path, "council.schema.json", memo)
                for path in sorted(root.glob(COUNCILS_GLOB))]
    if missing_ok and not data["project"][1] and all(d is not None for _, d in councils):
        upgrade_release(data, councils)   # a release made before ctkit.yml existed (ctkit diff)
    forms = {path.stem: _load_checked(project, path, "form.schema.json", memo)
             for path in sorted(root.glob(FORMS_GLOB))}
    pages = _load_pages(project, memo)

    loaded_all = len(data) == len(SINGLE_FILES) and all(d is not None for _, d in data.values())
    locks = _load_locks(project)   # a lock that cannot be read is an error, but the model is still built
    if any(p.is_error and not p.path.startswith(LOCKS_FOLDER + "/") for p in project.problems) or not loaded_all:
        return project
    project.guidance = _build_model(root, data, councils, forms, pages)
    project.guidance.locks = locks
    if with_checks:
        project.checked = findings_by_check(project.guidance)
        project.problems += [p for found in project.checked.values() for p in found]  # the model stays for tools
    return project


def with_new_page_text(project: Project, paths: list[Path], memo: SourceMemo) -> Project | None:
    """`project` after saves that changed only the text of some of its pages (`paths`), each read again and the
    checks that read pages run again; None when the saves did more than that (a page with new front matter, or
    one that no longer reads), which needs a whole load."""
    g = project.guidance
    if g is None or project.errors or not project.checked:
        return None
    pages = {page.path: i for i, page in enumerate(g.pages)}
    new_pages = list(g.pages)
    for path in paths:
        shown = display_path(path, project.root)
        problems, page = memo.reading(path, "page", lambda: _read_page(project.root, path, shown))
        if problems or page is None or shown not in pages or page.meta != g.pages[pages[shown]].meta:
            return None
        new_pages[pages[shown]] = page
    guidance = replace(g, pages=new_pages)   # everything else is shared: it has not changed
    checked = page_text_checks(guidance, project.checked, {display_path(p, project.root) for p in paths})
    before = {id(p) for found in project.checked.values() for p in found}
    loading = [p for p in project.problems if id(p) not in before]
    return Project(project.root, list(project.files), loading + [p for found in checked.values() for p in found],
                   list(project.unconfirmed), guidance, checked)


def _missing(kind: str, root: Path) -> str:
    if kind == "project":
        return (f"{display_path(root)} holds no {PROJECT_FILE}, so it is not a partnership's content folder: run ctkit "
                "inside one (or in a folder within it), name one with --project DIR, or start one with "
                "'ctkit init DIR --partnership NAME --area AREA'")
    return f"this file is missing; the kit needs it for the {kind}"


def _build_model(root: Path, data: dict, councils: list, forms: dict, pages: list[Page]) -> Guidance:
    partnership = build_partnership(data["project"][1], data["project"][0])
    council_models = {Path(shown).stem: build_council(d, shown, partnership) for shown, d in councils}
    organisations = data["organisations"][1]
    organisations["partnership"] = data["project"][1]["partnership"]   # org.partnership: described once, in ctkit.yml
    versions_shown, versions = data["versions"]
    criteria_shown, criteria = data["criteria"]
    return Guidance(
        root=root,
        partnership=partnership,
        versions=sorted((name_approving_councils(build_version(v, versions_shown), council_models)
                         for v in versions["versions"]), key=lambda v: version_key(v.version)),
        criteria={number: build_criteria(number, c, criteria_shown) for number, c in criteria["versions"].items()},
        councils=council_models,
        organisations=organisations,
        monitoring=data["monitoring"][1],
        wording=data["wording"][1],
        law=data["law"][1],
        letters=data["letters"][1],
        pages=pages,
        forms={form_id: build_form(form_id, d, shown) for form_id, (shown, d) in forms.items()},
        site=data["site"][1],
        default_colours=(build_colours(data["site"][1]["colours"], data["site"][0])
                         if data["site"][1] else None),   # releases before site.yml (ctkit diff)
    )
