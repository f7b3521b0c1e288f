"""`ctkit serve [--council ID] [--drafts]`: a live preview of any council's site while editing.

The preview (generator/site/preview.py) keeps the loaded sources and the last build between saves and builds
again only what a save reaches: the text of a page, that page and the search index; anything else, the
site from the sources as they now are, with its PDFs drawn after the pages. It serves from a temporary
folder through MkDocs' live-reload server, which reloads the browser after each build, so a preview never
touches site/. While a source is broken the browser shows each problem as `path:line:` instead of the
site; the next save that fixes it brings the site back.
"""
from __future__ import annotations

import argparse
import errno
import logging
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.livereload import LiveReloadServer, _serve_url

from ..build_cache import active
from ..errors import Stop
from ..project import SourceMemo, load_project
from ..site.build import mkdocs_settings
from ..site.preview import KIT_FOLDERS, SOURCE_FILES, SOURCE_FOLDERS, Preview
from ..site.preview_pdfs import LaterPdfs

#: How often the preview looks for saved files (MkDocs' own default, half a second, would be most of the wait), and
#: how long it waits for a save to be over (an editor writes a file in milliseconds; MkDocs waits 0.1 s).
POLL_SECONDS = 0.05
SETTLE_SECONDS = 0.05


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
    memo = SourceMemo()   # the preview's first build reads nothing again
    project = load_project(root, memo=memo)
    if args.council and project.guidance is not None:
        project.guidance.council(args.council)   # an unknown id is a usage error, said here at once
    _show_mkdocs_progress()
    work = Path(tempfile.mkdtemp(prefix="ctkit-preview-"))   # the site served, and PDFs drawn under --no-cache
    try:
        _serve(root, work, args, memo)
    except (Abort, ConfigurationError) as exc:
        raise Stop(f"the preview could not start: {exc}") from None
    except OSError as exc:
        raise Stop(f"the preview stopped: {os_error_in_words(exc, args.dev_addr)}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _serve(root: Path, work: Path, args: argparse.Namespace, memo: SourceMemo) -> None:
    host, _, port = args.dev_addr.rpartition(":")
    if not port.isdigit():
        raise Stop.usage(f"--dev-addr {args.dev_addr} is not HOST:PORT, e.g. 127.0.0.1:8000.")
    settings = load_config(**mkdocs_settings(root))
    mount_path = urlsplit(settings.site_url or "/").path
    site_dir = work / "site"
    # With --no-cache the preview still keeps the PDFs it draws, for this session only: nothing of the user's
    # cache is read, and nothing is left behind.
    pdfs = LaterPdfs(active().folder or work / "pdfs")
    preview = Preview(root, site_dir, _serve_url(host, int(port), mount_path), council=args.council,
                      drafts=args.drafts, pdfs=pdfs, memo=memo)
    server = LiveReloadServer(builder=preview.update, host=host, port=int(port), root=str(site_dir),
                              mount_path=mount_path, polling_interval=POLL_SECONDS)
    server.error_handler = lambda code: _error_page(site_dir, code)
    server.build_delay = SETTLE_SECONDS
    pdfs.ready = lambda: (preview.pdfs_drawn(), _build_soon(server))
    preview.update()
    for folder in (*(root / name for name in SOURCE_FOLDERS), *KIT_FOLDERS):
        if folder.is_dir():
            server.watch(str(folder))
    for name in SOURCE_FILES:
        if (root / name).is_file():
            server.watch(str(root / name))
    for extra in settings.watch:   # mkdocs.yml's own `watch:` list
        server.watch(extra)
    try:
        server.serve()
    except KeyboardInterrupt:
        logging.getLogger("mkdocs").info("Shutting down...")
    finally:
        server.shutdown()


def _build_soon(server: LiveReloadServer) -> None:
    """Ask the server to build again, as a saved file does (MkDocs offers no public call for it)."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def _error_page(site_dir: Path, code: int) -> bytes | None:
    """The site's own 404 page for a missing address, as MkDocs' preview serves it."""
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


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
