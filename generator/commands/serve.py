"""`ctkit serve [--council ID] [--drafts]`: a live preview of any council's site while editing.

It is `mkdocs serve` with the council and the draft switch handed to the ctkit plugin (through
CTKIT_COUNCIL and CTKIT_DRAFTS, which mkdocs.yml reads, so a plain `mkdocs serve` accepts them
too). MkDocs builds into a temporary folder and rebuilds on every save, so a preview never
touches site/. While a source is broken the browser shows each problem as `path:line:`
instead of the site; the next save that fixes it brings the site back.
"""
from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys
from pathlib import Path

from mkdocs.commands.serve import serve
from mkdocs.exceptions import Abort, ConfigurationError

from ..errors import Stop
from ..project import load_project
from ..site.build import mkdocs_settings

SITE_SOURCES = Path(__file__).resolve().parent.parent / "site"


def _show_mkdocs_progress() -> None:
    """MkDocs' own lines ("Serving on ...", "Building documentation...") on the terminal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
    mk = logging.getLogger("mkdocs")
    mk.addHandler(handler)
    mk.setLevel(logging.INFO)
    mk.propagate = False


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    project = load_project(root)
    if args.council:
        if project.guidance is not None:
            project.guidance.council(args.council)   # an unknown id is a usage error, said here at once
        os.environ["CTKIT_COUNCIL"] = args.council
    os.environ["CTKIT_DRAFTS"] = "true" if args.drafts else "false"
    _show_mkdocs_progress()
    try:
        serve(**mkdocs_settings(root), dev_addr=args.dev_addr, livereload=True,
              watch=[str(SITE_SOURCES / "pages"), str(SITE_SOURCES / "theme")])
    except (Abort, ConfigurationError) as exc:
        raise Stop(f"the preview could not start: {exc}") from None
    except OSError as exc:
        raise Stop(f"the preview stopped: {os_error_in_words(exc, args.dev_addr)}") from None
    return 0


def os_error_in_words(exc: OSError, address: str) -> str:
    """What went wrong, said for what it is: a port in use is not a folder that has gone."""
    host, _, port = address.rpartition(":")
    where = f" ({exc.filename})" if exc.filename else ""
    if isinstance(exc, socket.gaierror):
        return f"'{host}' in --dev-addr {address} is not a name or address this computer knows; use 127.0.0.1."
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (is another preview running?); choose another port "
                f"with --dev-addr, e.g. --dev-addr {host}:8001.")
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this computer, so the preview cannot be served there; use 127.0.0.1."
    if exc.errno == errno.EACCES and port.isdigit() and int(port) < 1024:
        return f"port {port} needs administrator rights; choose a port from 1024 up with --dev-addr."
    if exc.errno == errno.ENOENT:
        return f"a folder the preview watches for changes does not exist{where}; it may have been moved or " \
               "deleted while the preview started. Put it back, or start the preview again."
    if exc.errno in (errno.ENOSPC, errno.EMFILE):
        return ("this computer's limit on files watched for changes is reached, so the preview cannot follow "
                "your edits; close other previews or editors that watch files, or raise the limit "
                "(fs.inotify.max_user_watches).")
    return f"{exc.strerror or exc}{where}."
