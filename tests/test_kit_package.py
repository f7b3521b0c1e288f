"""The kit installs as a package that a partnership's content folder can use without this checkout.

What a content folder needs from the kit ships inside `generator/`: the browser libraries (vendored at the
versions package.json pins, byte for byte what npm installs), the schemas (from schemas/, their one source),
the starter of `ctkit init`, and the MkDocs settings (generator/site/mkdocs.yml, the same as this
repository's own mkdocs.yml but for where plain `mkdocs build` writes).
"""
from __future__ import annotations

import json
import tomllib

import pytest
import yaml

from conftest import ROOT
from generator.site import browser_libraries

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_folder_of_the_package_with_python_modules_is_installed():
    folders = {p.parent for p in (ROOT / "generator").rglob("*.py") if "__pycache__" not in p.parts}
    wanted = {".".join(f.relative_to(ROOT).parts) for f in folders}
    assert wanted - set(PYPROJECT["tool"]["setuptools"]["packages"]) == set()


def test_the_package_ships_the_schemas_from_their_one_source():
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["generator.schemas"] == "schemas"
    assert (ROOT / "schemas" / "ctkit.schema.json").is_file()


def test_the_vendored_browser_libraries_are_the_ones_package_json_pins():
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for package, version, script, licences in browser_libraries.LIBRARIES:
        assert pinned[package] == version, f"package.json pins {package} {pinned[package]}, the kit ships {version}"
        installed = ROOT / "node_modules" / package
        if not installed.is_dir():
            pytest.skip("SKIPPED LOUDLY: node_modules/ is not installed (make node_modules/.installed-stamp)")
        assert json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] == version
        vendored = browser_libraries.VENDORED
        assert (vendored / script.rsplit("/", 1)[-1]).read_bytes() == (installed / script).read_bytes()
        for name, source in licences.items():
            assert (vendored / name).is_file(), name
            if source is not None:
                assert (vendored / name).read_bytes() == (ROOT / "node_modules" / source).read_bytes(), name


def test_this_repositorys_mkdocs_yml_is_the_kits_own_but_for_its_site_dir():
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda node_loader, node: None)   # the plugin's settings come from the environment
    loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda *_: None)
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    kits = yaml.load((ROOT / "generator" / "site" / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    assert ours.pop("site_dir") == "site/derbyshire"
    assert ours == kits
