"""The build cache: what the kit made once (a PDF, a checked project), kept under a key of all that made it.

Drawing PDFs is most of a build, and reading and checking the sources is most of a short command's
start, yet between two runs little changes. Each result is stored in the user's cache folder
(`$XDG_CACHE_HOME/ctkit`, else `~/.cache/ctkit`; `--cache-dir` chooses another) under the SHA-256
of everything that makes it: the inputs the caller names (the model's parts, the rendered words),
and the kit itself (`kit_fingerprint`: the package's code, templates and fonts, the Python that
runs it, and the installed libraries). A changed input is a new key, so nothing stale is ever
served; a rebuild with nothing changed draws nothing and writes the same bytes. `--no-cache` runs
without it, and `ctkit clean` deletes it.

Entries are written whole or not at all (a temporary file, then a rename), so builds running at
once, in forked workers or in two terminals, never read half an entry. A cache that cannot be
read or written (a full disk, a read-only home) is the same as no cache: slower, never wrong.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import stat
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
#: Each kind of entry in its own folder: clean and size reports by kind.
KINDS = ("pdf", "project", "calendar", "kit")


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/ctkit, else ~/.cache/ctkit (the XDG rule: a relative $XDG_CACHE_HOME is ignored)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "ctkit"


@lru_cache(maxsize=1)
def kit_fingerprint() -> str:
    """What the kit draws with: every file of the package (code, templates, fonts), the Python version, and
    the installed libraries (their folder changes whenever one is added, removed or upgraded)."""
    return fingerprint_of(PACKAGE, active())


def fingerprint_of(package: Path, cache: BuildCache) -> str:
    """The SHA-256 of every file's path and content in `package` (with the Python and the libraries), read
    from `cache` while no file's size, times or inode changed since it was worked out.

    Hashing all 200 files' bytes took 0.07-0.17 s of every command's start; listing their sizes and times
    takes a few milliseconds. The times decide only whether to hash again, never the key itself: a file
    written anew with the same bytes (a fresh checkout) keeps every PDF's key, and any write changes the
    file's ctime, which no tool can set back, so a changed file is always hashed again."""
    files = _files_of(package)
    libraries = Path(sysconfig.get_path("purelib"))
    try:
        installed = str(libraries.stat().st_mtime_ns)
    except OSError:
        installed = ""
    look = hashlib.sha256(f"{sys.version}\0{package}\0{installed}".encode())
    for rel, st in files:
        look.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0".encode())
    known = cache.get("kit", look.hexdigest())
    if known is not None and len(known) == 64 and all(c in b"0123456789abcdef" for c in known):
        return known.decode("ascii")
    content = hashlib.sha256(sys.version.encode())
    for rel, _ in files:
        content.update(rel.encode() + b"\0")
        content.update(hashlib.sha256((package / rel).read_bytes()).digest())
    content.update(installed.encode())
    fingerprint = content.hexdigest()
    cache.put("kit", look.hexdigest(), fingerprint.encode("ascii"))
    return fingerprint


def _files_of(package: Path) -> list[tuple[str, os.stat_result]]:
    """Each file under `package` but compiled bytecode, by its path there (in `/` form, sorted), with its stat."""
    out = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        inside = os.path.relpath(folder, package).replace(os.sep, "/")
        for name in names:
            st = os.stat(os.path.join(folder, name))
            if stat.S_ISREG(st.st_mode):
                out.append((name if inside == "." else f"{inside}/{name}", st))
    return sorted(out, key=lambda item: item[0])


def _plain(value: Any) -> Any:
    """A value as JSON can write it, the same in every process: dataclasses by their fields (without where
    each was written, which changes no output), mappings with their keys in order, sets sorted."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not type(value).__dataclass_params__.frozen:
            return _plain_fields(value)
        known = _FROZEN.get(id(value))
        if known is None or known[0] is not value:
            if len(_FROZEN) > 20_000:
                _FROZEN.clear()
            known = _FROZEN[id(value)] = (value, _plain_fields(value))
        return known[1]
    if isinstance(value, dict):
        return {"__map": sorted(([_plain(k), _plain(v)] for k, v in value.items()), key=repr)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, str):
        return str(value)   # Markup too: its text is what it shows
    if value is None or isinstance(value, (bool, int, float)):
        return value
    raise TypeError(f"the build cache cannot key a {type(value).__name__}; add it to build_cache._plain")


def _plain_fields(value: Any) -> dict:
    return {"__": type(value).__name__,
            **{f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "where"}}


#: Frozen model objects' plain values, by identity (the object is kept, so its id is not reused): ten councils'
#: sites key their PDFs on the same forms and versions, worked out once.
_FROZEN: dict[int, tuple[Any, dict]] = {}


def canonical(*parts: Any) -> str:
    """`parts` (model objects, mappings, text, bytes) as one JSON text, the same for the same values in any run."""
    return json.dumps([_plain(p) for p in parts], ensure_ascii=False, separators=(",", ":"))


def digest(*parts: Any) -> str:
    """The SHA-256 of `canonical(*parts)`."""
    return hashlib.sha256(canonical(*parts).encode("utf-8")).hexdigest()


@dataclasses.dataclass
class BuildCache:
    """One run's use of the cache folder; `folder` None is no cache at all (`--no-cache`)."""

    folder: Path | None
    made: int = 0       # entries this run had to make (PDFs drawn)
    reused: int = 0     # entries it found

    @classmethod
    def at(cls, folder: Path | None, *, enabled: bool = True) -> BuildCache:
        """The cache in `folder` (default: the user's cache folder), or none when not `enabled`."""
        return cls((folder or default_cache_dir()).expanduser().resolve() if enabled else None)

    def path(self, kind: str, key: str, suffix: str = "") -> Path | None:
        if self.folder is None:
            return None
        return self.folder / kind / key[:2] / f"{key}{suffix}"

    def get(self, kind: str, key: str, suffix: str = "") -> bytes | None:
        path = self.path(kind, key, suffix)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes, suffix: str = "") -> None:
        """Store `data` whole (write, then rename), or not at all if the folder cannot take it."""
        path = self.path(kind, key, suffix)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass

    def bytes_for(self, kind: str, key: str, make: Callable[[], bytes], suffix: str = "") -> bytes:
        """The entry under `key`, made (and stored) only when the cache does not hold it."""
        found = self.get(kind, key, suffix)
        if found is not None:
            self.reused += 1
            return found
        data = make()
        self.made += 1
        self.put(kind, key, data, suffix)
        return data


NO_CACHE = BuildCache(None)
_ACTIVE: list[BuildCache] = []


def activate(cache: BuildCache) -> None:
    """The cache this run uses wherever one is not handed down (the calendar, the loaded project); set by the
    command line from --cache-dir and --no-cache."""
    _ACTIVE[:] = [cache]


def active() -> BuildCache:
    """The cache this run uses: as the command line set it, else the user's cache folder."""
    if not _ACTIVE:
        _ACTIVE.append(BuildCache.at(None))
    return _ACTIVE[0]
