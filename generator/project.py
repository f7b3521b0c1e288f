"""Load a project once: read every source, check it against its schema, build the model, cross-check.

`load_project(root)` is the one entry point used by the commands, the MkDocs plugin and the
tests, so sources are read and checked once per run. Everything below this module (loading,
model, checks) is told nothing about commands; everything above it receives the `Guidance`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import cross_check
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


def _load_checked(project: Project, path: Path, schema: str) -> tuple[str, Any]:
    """(shown path, data) of one YAML source; data is None when it does not load or meet its schema."""
    shown = display_path(path, project.root)
    project.files.append(shown)
    loaded = load_yaml(path, shown)
    project.problems += loaded.problems
    if not loaded.ok:
        return shown, None
    problems = schema_problems(project.root, loaded.data, schema, shown)
    project.problems += problems
    unconfirmed = unverified_warnings(loaded.data, shown)
    project.problems += unconfirmed
    project.unconfirmed += unconfirmed
    return shown, None if problems else _normalise_dates(loaded.data)


def _load_pages(project: Project) -> list[Page]:
    pages = []
    root = project.root
    for path in sorted(root.glob(PAGES_GLOB)):
        shown = display_path(path, root)
        project.files.append(shown)
        source, problems = load_markdown(path, shown)
        project.problems += problems
        if source is None:
            continue
        meta_problems = schema_problems(root, source.meta, "page.schema.json", shown)
        project.problems += meta_problems
        if not meta_problems:
            rel = path.relative_to(root / "guidance").as_posix()
            pages.append(Page(shown, rel, source.meta, source.body, source.body_line))
    return pages


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


def load_project(root: Path | str, *, with_checks: bool = True, missing_ok: bool = False) -> Project:
    """Read, schema-check and cross-check every source under `root`; build the model if they load.

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
        data[kind] = _load_checked(project, path, schema)
    councils = [_load_checked(project, path, "council.schema.json") for path in sorted(root.glob(COUNCILS_GLOB))]
    if missing_ok and not data["project"][1] and all(d is not None for _, d in councils):
        upgrade_release(data, councils)   # a release made before ctkit.yml existed (ctkit diff)
    forms = {path.stem: _load_checked(project, path, "form.schema.json") for path in sorted(root.glob(FORMS_GLOB))}
    pages = _load_pages(project)

    loaded_all = len(data) == len(SINGLE_FILES) and all(d is not None for _, d in data.values())
    locks = _load_locks(project)   # a lock that cannot be read is an error, but the model is still built
    if any(p.is_error and not p.path.startswith(LOCKS_FOLDER + "/") for p in project.problems) or not loaded_all:
        return project
    project.guidance = _build_model(root, data, councils, forms, pages)
    project.guidance.locks = locks
    if with_checks:
        project.problems += cross_check(project.guidance)  # the model stays for tools that can use it
    return project


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
