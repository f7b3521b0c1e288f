"""The live preview of one council's site (`ctkit serve`): after each save, only what the save reaches is built.

Kept between saves: every source's reading (project.SourceMemo: only the files that changed are read and
checked again), the theme's compiled templates (site.build), the last build's MkDocs state (its files,
navigation, theme and search index), and the PDFs (preview_pdfs: drawn after the pages, not before).

- A save that changes only the text of guidance pages (the same pages, each with the same front matter)
  builds those pages and the search index again: a fraction of a second. If a PDF reads one of them (the
  practitioner guidance, a page's printout), the PDF is drawn afterwards and the site then built again.
- Any other change (a council's or form's YAML, front matter, a page added or removed, mkdocs.yml, the kit's
  theme) builds the whole site again from the model loaded again, the PDFs coming from the build cache or
  drawn afterwards.
- Broken sources build the page of problems (site/broken.py) at once; the save that fixes them brings the
  site back.

The result of each save is the site a full build of the same sources would make (tests/test_preview.py
compares them file by file).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page, build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import InclusionLevel

from ..content_folder import PROJECT_FILE
from ..errors import display_path
from ..project import Project, SourceMemo, load_project, with_new_page_text
from ..templating import file_env
from .build import forget_theme_envs, mkdocs_settings, reuse_theme_env
from .preview_pdfs import LaterPdfs, stand_in_pdf

log = logging.getLogger("mkdocs.plugins.ctkit")

KIT_SITE = Path(__file__).resolve().parent
#: Where the sources of a content folder are, and the kit's own page templates and theme.
SOURCE_FOLDERS = ("guidance", "forms", "schemas")
SOURCE_FILES = (PROJECT_FILE, "mkdocs.yml")
KIT_FOLDERS = (KIT_SITE / "pages", KIT_SITE / "theme")


class _PreviewPlugin(BasePlugin):
    """The preview's own part in each build: it keeps what building one page again needs (the files, navigation
    and theme), and each page's HTML by its Markdown and its search entries by its HTML, so that a page a save did
    not change is not converted or indexed again (a council's YAML changes a few pages' words, not all)."""

    def __init__(self, before: _PreviewPlugin | None) -> None:
        super().__init__()
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        self.converted: dict[tuple, tuple] = {}
        self.indexed: dict[tuple, list[dict]] = {}
        self.before = before or self
        self._files_key: tuple = ()

    def on_pre_build(self, config):
        search = _search(config)
        if search is not None:   # its index is new for each build (on_config)
            index = search.search_index
            add = index.add_entry_from_context
            index.add_entry_from_context = lambda page: self._index(index.entries, add, page)

    def on_nav(self, nav, config, files):
        self.files, self.nav = files, nav
        self._files_key = tuple((f.src_uri, f.url) for f in files)   # where links lead
        return nav

    def on_env(self, env, config, files):
        self.env = env
        return env

    @event_priority(-100)   # after every other plugin has changed the Markdown
    def on_page_markdown(self, markdown, page, config, files):
        convert = page.render
        page.render = lambda config, files: self._render(page, convert, config, files)   # this build's page only
        return markdown

    def _index(self, entries: list[dict], add: Any, page: Any) -> None:
        key = (page.url, page.title, page.markdown, page.content, repr(sorted(page.meta.items())))
        known = self.before.indexed.get(key)
        if known is None:
            count = len(entries)
            add(page)
            known = [dict(entry) for entry in entries[count:]]
        else:
            entries += [dict(entry) for entry in known]
        self.indexed[key] = known

    def _render(self, page: Any, convert: Any, config: Any, files: Any) -> None:
        key = (page.file.src_uri, page.markdown, self._files_key)
        known = self.before.converted.get(key)
        if known is None:
            convert(config, files)
            links = {f.src_uri: anchors for f, anchors in (page.links_to_anchors or {}).items()}
            known = (page.content, page.toc, page._title_from_render, page.present_anchor_ids, links)
        self.converted[key] = known
        page.content, page.toc, page._title_from_render, page.present_anchor_ids, links = known
        page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}


@dataclass
class _Built:
    """The last full build: its MkDocs settings and plugins, and the project it was made from."""

    config: Any
    own: _PreviewPlugin
    project: Project

    @property
    def ctkit(self) -> Any:
        return self.config.plugins["ctkit"]

    @property
    def ok(self) -> bool:
        return not self.project.errors and not self.ctkit.broken and self.ctkit.site is not None


class Preview:
    """One council's site in `site_dir`, built again by `update()` after every save."""

    def __init__(self, root: Path, site_dir: Path, serve_url: str, *, council: str | None = None,
                 drafts: bool = False, pdfs: LaterPdfs, memo: SourceMemo | None = None) -> None:
        self.root, self.site_dir, self.serve_url = root, site_dir, serve_url
        self.council, self.drafts, self.pdfs = council, drafts, pdfs
        self.memo = memo or SourceMemo()   # the caller's, when it has read the sources already
        self.built: _Built | None = None
        self.stamps: dict[Path, tuple[int, int]] = {}
        self.pdfs_arrived = False   # set when drawing ends: the next update builds the whole site with them

    def pdfs_drawn(self) -> None:
        """The PDFs the last builds waited for are in the cache: the next update builds the whole site with them."""
        self.pdfs_arrived = True

    # -- what changed ----------------------------------------------------------
    def _sources(self) -> dict[Path, tuple[int, int]]:
        """Every source file and kit template, with its modification time and size."""
        paths = [*(p for folder in SOURCE_FOLDERS for p in (self.root / folder).rglob("*")),
                 *(self.root / name for name in SOURCE_FILES),
                 *(p for folder in KIT_FOLDERS for p in folder.rglob("*"))]
        stamps = {}
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            if path.is_file():
                stamps[path] = (info.st_mtime_ns, info.st_size)
        return stamps

    def _changed(self, now: dict[Path, tuple[int, int]]) -> set[Path]:
        return {p for p in now.keys() | self.stamps.keys() if now.get(p) != self.stamps.get(p)}

    # -- building ----------------------------------------------------------------
    def update(self) -> None:
        """Build what the saves since the last build reach (the whole site the first time)."""
        log.info("Building documentation...")
        began = time.perf_counter()
        self.pdfs.new_build()
        now = self._sources()
        changed, self.stamps = self._changed(now), now
        if any(KIT_SITE in p.parents for p in changed):   # the kit's own templates: compile them again
            forget_theme_envs()
            file_env.cache_clear()
        if self._page_text_only(changed) and self._build_pages(changed):
            log.info("ctkit: %s built again in %.2f s", ", ".join(sorted(display_path(p, self.root) for p in changed)),
                     time.perf_counter() - began)
        else:
            self.pdfs_arrived = False
            self.pdfs.new_build()
            self._build_all(load_project(self.root, memo=self.memo))
            log.info("ctkit: the site was built in %.2f s", time.perf_counter() - began)
        started = self.pdfs.draw_waiting()
        if started:
            log.info("ctkit: drawing %d PDF%s; the preview reloads when %s ready", started, "s" * (started > 1),
                     "they are" if started > 1 else "it is")

    def _page_text_only(self, changed: set[Path]) -> bool:
        """Whether the saves may have changed only the text of guidance pages (with_new_page_text decides)."""
        guidance = self.root / "guidance"
        return (self.built is not None and self.built.ok and not self.pdfs_arrived and bool(changed)
                and all(p.suffix == ".md" and guidance in p.parents for p in changed))

    def _build_all(self, project: Project) -> None:
        # `watch:` is the server's business (commands/serve.py), read once when it starts.
        config = load_config(**mkdocs_settings(self.root), site_dir=str(self.site_dir), watch=[])
        config.site_url = self.serve_url
        config.plugins.on_startup(command="serve", dirty=False)
        own = _PreviewPlugin(self.built.own if self.built else None)   # what the last build converted and indexed
        config.plugins["ctkit-preview"] = own
        config.plugins["ctkit"].preload(None if project.errors else project.guidance, problems=project.errors,
                                        council=self.council or "", drafts=self.drafts, cache=self.pdfs)
        reuse_theme_env(config)
        self.built = None   # until this build has finished: a failed one leaves nothing to build single pages into
        build(config, serve_url=self.serve_url)
        own.before = own   # what this build converted and indexed is what the next one may reuse; older work goes
        self.built = _Built(config, own, project)

    def _build_pages(self, changed: set[Path]) -> bool:
        """Build the changed pages again in the last build's site, and the search index; False when the saves
        need more (new front matter, a problem, a template that fails for this council, a PDF from them that the
        cache holds already)."""
        built = self.built
        project = with_new_page_text(built.project, sorted(changed), self.memo)
        if project is None or project.errors:
            return False
        site = built.ctkit.site
        by_path = {page.path: i for i, page in enumerate(site.guidance.pages)}
        pages = [page for page in project.guidance.pages if page.path in by_path
                 and page.body != site.guidance.pages[by_path[page.path]].body]
        for page in pages:
            site.guidance.pages[by_path[page.path]] = page
            if site.render_page(page):
                return False
        before = {d.path: d.data for d in site.downloads}
        if any(before.get(d.path) not in (d.data, None) and d.data != stand_in_pdf() for d in site.pdf_downloads()):
            return False   # a PDF these pages make is in the cache already: the whole site shows it now
        config, files = built.config, built.own.files
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        search = _search(config)
        for page in pages:
            file = files.get_file_from_path(page.rel)
            position = _drop_entries(search.search_index.entries, file.page.url) if search else None
            _populate_page(file.page, config, files)
            _build_page(file.page, config, doc_files, built.own.nav, built.own.env,
                        excluded=file.inclusion.is_excluded())
            if search and position is not None:
                _move_new_entries(search.search_index.entries, position, file.page.url)
        if search:
            search.on_post_build(config=config)
        built.project = project
        return True


def _search(config: Any) -> Any:
    """The theme's search plugin, when it is on (its index is what a page's entries go into)."""
    search = config.plugins.get("material/search")
    return search if search is not None and search.config.enabled else None


def _belongs(location: str, url: str) -> bool:
    """Whether a search entry at `location` is the page at `url` or one of its sections."""
    return location == url or location.startswith(url + "#")


def _drop_entries(entries: list[dict], url: str) -> int | None:
    """Take the page's entries out of the search index; where they were (None: it had none)."""
    where = next((i for i, e in enumerate(entries) if _belongs(e["location"], url)), None)
    entries[:] = [e for e in entries if not _belongs(e["location"], url)]
    return where


def _move_new_entries(entries: list[dict], position: int, url: str) -> None:
    """Put the page's new entries (MkDocs' search adds them at the end) where its old ones were, as a full
    build orders them."""
    new = [e for e in entries if _belongs(e["location"], url)]
    entries[:] = [e for e in entries if not _belongs(e["location"], url)]
    entries[position:position] = new

