"""Modules loaded on first use, named at the top of the module that uses them.

A command starts by importing everything its modules import. A few libraries cost a large part of
a short command's start (the `holidays` calendars, `jsonschema`, `coloraide`, reportlab through the
letters) yet are needed only on some paths: a schema check on a cache miss, a colour check that only
`ctkit check` and builds run, a letter that `validate` writes only when asked. Those are declared
`name = lazy("package")` at the top, beside the other imports, and Python's own LazyLoader runs them
the first time an attribute is read, never if none is (issue 29: a light start).

The kit's own modules are named here only where the layers allow an ordinary import
(tests/test_codebase_layers.py reads `lazy("generator....")` as an import and holds it to the layers).
"""
from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy(name: str) -> ModuleType:
    """The module `name`, run on the first attribute read; the module itself if it is already imported."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)   # a missing part shows at once
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
