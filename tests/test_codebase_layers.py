"""The package's layers, as CONTRIBUTING.md names them: no module imports from a layer above its own.

Read from the source with `ast`, so the test sees every import the code really makes,
including any written inside a function (there are none: an import inside a function
would hide a circle, so it fails here too).
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

#: Lowest first. A module may import from its own layer or any layer below.
LAYERS = [
    ("errors", "dates", "text_safety", "html_policy", "logo_policy", "content_folder", "safe_output", "build_cache",
     "england_calendar", "lazy_modules"),
    ("loading",),
    ("model",),
    ("templating", "template_budget", "template_errors", "template_names"),
    ("checks",),
    ("project", "project_cache"),
    ("render", "judge", "monitoring", "releases"),
    ("site", "casework", "receiving"),
    ("commands",),
    ("cli", "mkdocs_plugin"),
]
LEVEL = {name: i for i, names in enumerate(LAYERS) for name in names}
#: Siblings in one layer that must not know about each other.
INDEPENDENT = {"render", "judge", "monitoring", "releases"}


def _part(module: Path) -> str:
    rel = module.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(top-level part of generator imported, line, inside a function?) for every import of the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(PACKAGE).parent.parts
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    nested = {id(inner) for f in functions for inner in ast.walk(f) if inner is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - (node.level - 1)]) if node.level > 1 else list(here)
                target = base + (node.module.split(".") if node.module else [])
                if not target:  # `from . import x` at the top of the package
                    target = [node.names[0].name]
            elif node.module and node.module.startswith("generator"):
                target = node.module.split(".")[1:]
            else:
                continue
            found.append((target[0] if target else "", node.lineno, id(node) in nested))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("generator."):
                    found.append((alias.name.split(".")[1], node.lineno, id(node) in nested))
        elif _lazy_import_of(node, "generator."):   # lazy("generator.x.y"): an import run on first use
            found.append((node.args[0].value.split(".")[1], node.lineno, id(node) in nested))
    return found


def _lazy_import_of(node: ast.AST, prefix: str) -> bool:
    """A call `lazy("prefix...")` (generator/lazy_modules.py), which imports that module when it is first used."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "lazy"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str) and node.args[0].value.startswith(prefix))


def test_every_module_belongs_to_a_named_layer():
    parts = {_part(p) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE}
    assert parts - set(LEVEL) == set(), "add the new part of generator/ to LAYERS and to CONTRIBUTING.md"


def test_no_module_imports_from_a_layer_above_its_own():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent == PACKAGE and path.name == "__init__.py":
            continue
        mine = _part(path)
        for target, line, _ in _imports(path):
            if target not in LEVEL or target == mine:
                continue
            if LEVEL[target] > LEVEL[mine] or (LEVEL[target] == LEVEL[mine] and {mine, target} <= INDEPENDENT):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports generator.{target}")
    assert wrong == []


def test_no_import_of_the_kit_is_hidden_inside_a_function():
    hidden = [f"{p.relative_to(PACKAGE.parent)}:{line}" for p in sorted(PACKAGE.rglob("*.py"))
              for _t, line, inside in _imports(p) if inside]
    assert hidden == []


def test_no_import_error_is_caught_to_hide_a_missing_part():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                if names & {"ImportError", "ModuleNotFoundError"}:
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert offenders == []


#: Import name -> the distribution declared in pyproject.toml that provides it.
DISTRIBUTIONS = {"yaml": "pyyaml", "dateutil": "python-dateutil", "ruamel": "ruamel.yaml", "markdown": "markdown",
                 "pymdownx": "pymdown-extensions", "markupsafe": "markupsafe", "jinja2": "jinja2",
                 "mkdocs": "mkdocs", "material": "mkdocs-material", "reportlab": "reportlab", "pypdf": "pypdf",
                 "holidays": "holidays", "jsonschema": "jsonschema", "cryptography": "cryptography",
                 "pytest": "pytest", "hypothesis": "hypothesis", "pymupdf": "pymupdf", "fitz": "pymupdf",
                 "playwright": "playwright", "axe_playwright_python": "axe-playwright-python",
                 "xdist": "pytest-xdist", "docx": "python-docx", "pikepdf": "pikepdf", "textstat": "textstat",
                 "filelock": "filelock", "fontTools": "fonttools", "pyflakes": "pyflakes",
                 "python_multipart": "python-multipart"}


def _third_party_imports(folder: Path) -> set[str]:
    import sys
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else \
                [node.args[0].value] if _lazy_import_of(node, "") else []
            found |= {n.split(".")[0] for n in names}
    local = {"generator", "conftest", "tests"} | {p.stem for p in (PACKAGE.parent / "tests").glob("*.py")} | \
        {p.stem for p in (PACKAGE.parent / "benchmarks").glob("*.py")}
    return {n for n in found if n not in sys.stdlib_module_names and n not in local and n != "__future__"}


def test_every_package_the_code_imports_is_declared_in_pyproject():
    import tomllib
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
                for d in project["dependencies"] + project["optional-dependencies"]["test"]}
    runtime = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for d in project["dependencies"]}
    code = _third_party_imports(PACKAGE)
    tests = _third_party_imports(PACKAGE.parent / "tests") | _third_party_imports(PACKAGE.parent / "benchmarks")
    assert {n for n in code if DISTRIBUTIONS.get(n, n) not in runtime} == set(), "declare these in dependencies"
    assert {n for n in tests if DISTRIBUTIONS.get(n, n) not in declared} == set(), "declare these for the tests"


def test_no_module_uses_a_name_it_never_defines_or_imports_one_it_never_uses():
    """pyflakes over the package, tests and benchmarks: an undefined name fails only when its line runs."""
    from pyflakes.api import checkPath
    from pyflakes.reporter import Reporter
    import io
    out = io.StringIO()
    for folder in ("generator", "tests", "benchmarks"):
        for path in sorted((PACKAGE.parent / folder).rglob("*.py")):
            checkPath(str(path), Reporter(out, out))
    assert out.getvalue() == ""


def test_every_section_of_architecture_md_the_code_cites_is_there():
    """The design travels with the kit: code cites ARCHITECTURE.md (never a file outside this repository),
    and each quoted section it names must still be in it."""
    import re
    architecture = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    wrong = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in (".py", ".js", ".j2", ".html", ".yml") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if "DESIGN.md" in text:
            wrong.append(f"{path.relative_to(PACKAGE.parent)} cites DESIGN.md, which is not shipped; cite ARCHITECTURE.md")
        for section in re.findall(r'ARCHITECTURE\.md,? "([^"]+)"', re.sub(r"\s*\n\s*(?:#:?|\*)?\s*", " ", text)):
            if section not in architecture:
                wrong.append(f'{path.relative_to(PACKAGE.parent)} cites ARCHITECTURE.md "{section}", which is not there')
    assert wrong == []
