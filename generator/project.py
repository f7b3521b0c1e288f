"""Load the whole project once: read every source, check it against its schema, build the model.

`load_project(root)` is the one entry point used by the CLI, the MkDocs plugin, the PDF
renderer and the validator, so sources are read and checked once per run.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, SourceError, display_path
from .model import Guidance, Page, build_council, build_criteria, build_version, version_key
from .schema_check import schema_problems, unverified_warnings
from .sources import LineDict, load_markdown, load_yaml

ROOT = Path(__file__).resolve().parent.parent

#: Every kind of YAML source, where it lives and the schema it must meet.
SINGLE_FILES = {
    "versions": ("guidance/versions.yml", "versions.schema.json"),
    "criteria": ("guidance/criteria.yml", "criteria.schema.json"),
    "organisations": ("guidance/organisations.yml", "organisations.schema.json"),
    "monitoring": ("guidance/monitoring.yml", "monitoring.schema.json"),
}
COUNCILS_GLOB = "guidance/councils/*.yml"
FORMS_GLOB = "forms/*.yml"
PAGES_GLOB = "guidance/**/*.md"


@dataclass
class Project:
    """The loaded sources: raw data (with lines) for checks, the typed model when clean."""

    root: Path
    raw: dict[str, Any] = field(default_factory=dict)           # shown path -> LineDict
    pages: list[Page] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    guidance: Guidance | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def require(self) -> Guidance:
        """The model, or a SourceError carrying every located error."""
        if self.errors or self.guidance is None:
            raise SourceError(self.errors or [Problem(str(self.root), None, "the sources could not be loaded")])
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


def _load_checked(project: Project, path: Path, schema: str) -> Any:
    shown = display_path(path, project.root)
    loaded = load_yaml(path, shown)
    project.problems += loaded.problems
    if not loaded.ok:
        return None
    problems = schema_problems(loaded.data, schema, shown)
    project.problems += problems
    project.problems += unverified_warnings(loaded.data, shown)
    project.raw[shown] = loaded.data
    return None if problems else _normalise_dates(loaded.data)


def load_project(root: Path | str = ROOT, *, with_checks: bool = True) -> Project:
    """Read, schema-check and cross-check every source under `root`; build the model if clean."""
    root = Path(root)
    project = Project(root=root)
    data: dict[str, Any] = {}
    for kind, (rel, schema) in SINGLE_FILES.items():
        path = root / rel
        if not path.exists():
            project.problems.append(Problem(rel, None, f"this file is missing; the kit needs it for the {kind}"))
            continue
        data[kind] = _load_checked(project, path, schema)

    councils: dict[str, Any] = {}
    for path in sorted(root.glob(COUNCILS_GLOB)):
        loaded = _load_checked(project, path, "council.schema.json")
        if loaded is not None:
            councils[path.stem] = loaded

    forms_raw: dict[str, Any] = {}
    for path in sorted(root.glob(FORMS_GLOB)):
        loaded = _load_checked(project, path, "form.schema.json") if (root / "schemas" / "form.schema.json").exists() \
            else None
        if loaded is not None:
            forms_raw[path.stem] = loaded

    for path in sorted(root.glob(PAGES_GLOB)):
        shown = display_path(path, root)
        source, problems = load_markdown(path, shown)
        project.problems += problems
        if source is None:
            continue
        meta_problems = schema_problems(source.meta, "page.schema.json", shown)
        project.problems += meta_problems
        if not meta_problems:
            rel = path.relative_to(root / "guidance").as_posix()
            project.pages.append(Page(shown, rel, dict(source.meta), source.body, source.body_line))
            project.raw[shown] = source.meta

    if any(p.is_error for p in project.problems) or any(v is None for v in data.values()) or len(data) < len(SINGLE_FILES):
        return project

    project.guidance = _build_model(data, councils, forms_raw, project)
    if with_checks:
        from .checks import cross_check  # late import: checks needs the model
        project.problems += cross_check(project)  # the model stays for tools that can use it; require() refuses it
    return project


def _build_model(data: dict, councils: dict, forms_raw: dict, project: Project) -> Guidance:
    council_models = {cid: build_council(c) for cid, c in councils.items()}
    versions = sorted((_name_councils(build_version(v), council_models) for v in data["versions"]["versions"]),
                      key=lambda v: version_key(v.version))
    criteria = {number: build_criteria(number, c) for number, c in data["criteria"]["versions"].items()}
    forms: dict[str, Any] = {}
    if forms_raw:
        from .forms.model import build_form  # the forms package owns the form model
        for form_id, raw in forms_raw.items():
            forms[form_id] = build_form(form_id, raw)
    return Guidance(
        versions=versions,
        criteria=criteria,
        councils=council_models,
        organisations=data["organisations"],
        monitoring=data["monitoring"],
        pages=project.pages,
        forms=forms,
    )


def _name_councils(version, councils: dict) -> Any:
    """An approval by a council shows the council's name from its own file (one source)."""
    from dataclasses import replace
    approvals = tuple(replace(a, body=councils[a.council].name) if a.council in councils else a
                      for a in version.approvals)
    return replace(version, approvals=approvals)


def raw_line(project: Project, shown: str, *path: Any) -> int | None:
    """Line of a value in a loaded source, for cross-reference errors."""
    from .sources import line_at
    data = project.raw.get(shown)
    return line_at(data, list(path)) if isinstance(data, LineDict) else None
