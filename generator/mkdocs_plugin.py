"""The MkDocs plugin `ctkit`: a thin adapter between MkDocs events and generator/.

All the work (loading, checking, templating, generated pages, PDFs) lives in generator/
and generator/site/; this module only hands MkDocs what they produce. `ctkit build`
preloads the project once and reuses it for every council (`preload`), so a ten-site
build reads and checks the sources once.

A build refuses broken sources. A preview (`mkdocs serve`, `ctkit serve`) instead shows a
page listing every problem as `path:line: sentence`, and the site again once they are fixed.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .build_cache import BuildCache, active
from .errors import Problem, Stop
from .model import Guidance
from .project import load_project
from .site.assemble import GENERATED, NOT_IN_MENU, SiteContent, printable_meta
from .site.broken import PATH as BROKEN_PAGE, TITLE as BROKEN_TITLE, broken_page

log = logging.getLogger("mkdocs.plugins.ctkit")

THEME_DIR = Path(__file__).resolve().parent / "site" / "theme"


class CommunityTriggerConfig(Config):
    council = opt.Type(str, default="")      # empty: the lead's site, for the whole area (ctkit.yml)
    registers = opt.Type(str, default="")
    drafts = opt.Type(bool, default=False)
    pdfs = opt.Type(bool, default=True)


def project_root(config) -> Path:
    """The content folder: the one that holds the pages (docs_dir, its guidance/ folder), whichever mkdocs.yml
    the build uses (the content's own, or the kit's, generator/site/mkdocs.yml)."""
    return Path(config.docs_dir).resolve().parent


def _fail(problems: list[Problem], what: str) -> PluginError:
    lines = "\n".join(str(p) for p in problems)
    return PluginError(f"{lines}\nThe site was not built: {what}.")


class CommunityTriggerPlugin(BasePlugin[CommunityTriggerConfig]):
    """Build one council's site from the checked sources."""

    def __init__(self) -> None:
        super().__init__()
        self._preloaded: Guidance | None = None
        self._preloaded_problems: list[Problem] = []
        self._override: dict[str, Any] = {}
        self.cache: BuildCache | None = None
        self.site: SiteContent | None = None
        self.serving = False
        self.broken: list[Problem] = []

    # -- used by `ctkit build` -------------------------------------------------
    def preload(self, guidance: Guidance | None, *, council: str | None = None, drafts: bool | None = None,
                registers: Path | None = None, pdfs: bool | None = None, cache: BuildCache | None = None,
                problems: list[Problem] | None = None) -> None:
        """Reuse an already loaded and checked model instead of reading the sources again, and the build cache the
        command chose (else the user's own, as a plain `mkdocs build` uses). `problems`: the errors loading
        found instead of a model (the preview, which shows them)."""
        self._preloaded = guidance
        self._preloaded_problems = list(problems or [])
        self.cache = cache
        self._override = {k: v for k, v in dict(council=council, drafts=drafts, pdfs=pdfs,
                                                  registers=str(registers) if registers else None).items()
                          if v is not None}

    # -- MkDocs events ---------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Kept across a preview's rebuilds (MkDocs keeps a plugin that has this event)."""
        self.serving = command == "serve"

    def _stop(self, problems: list[Problem], what: str) -> None:
        """A build stops; a preview carries on, to show the problems in the browser."""
        if not self.serving:
            raise _fail(problems, what)
        self.broken = list(problems)
        for problem in problems:   # at info level: a warning would make a strict preview abort
            log.info("ctkit: %s", problem)

    def on_config(self, config):
        self.site, self.broken = None, []
        options = {**dict(self.config), **self._override}
        root = project_root(config)
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME_DIR))
        guidance = self._preloaded
        if guidance is None:
            project = None if self._preloaded_problems else load_project(root)
            errors = self._preloaded_problems or project.errors
            if errors:
                self._stop(errors, "fix the sources listed above (run 'ctkit check')")
                return config
            guidance = project.require()
        try:
            council = guidance.council(options["council"]) if options["council"] else guidance.lead
        except Stop as stop:
            self._stop(stop.problems, "the council named in mkdocs.yml does not exist")
            return config
        registers = Path(options["registers"]) if options["registers"] else None
        if registers is not None and not registers.is_absolute():
            registers = root / registers
        version = guidance.current(include_drafts=options["drafts"])
        if version.version not in guidance.criteria:
            self._stop([Problem("guidance/criteria.yml", None,
                                f"version {version.version} has no threshold or timescales yet; "
                                "add them before previewing that version")], "the version has no criteria")
            return config
        self.site = SiteContent(guidance, council, drafts=options["drafts"],
                                registers=registers, pdfs=options["pdfs"], cache=self.cache or active())
        # A preview is served from its own address (MkDocs sets it); a build uses the council's.
        self.site.configure(config, THEME_DIR, site_url=config.site_url if self.serving else None)
        return config

    def on_files(self, files: Files, config) -> Files:
        if self.site is not None:
            problems = self.site.render_pages()
            if problems:
                self._stop(problems, "a page's template has errors")
        if self.site is not None and not self.broken:
            try:
                generated_files = self.site.generated_files()
            except Stop as stop:
                self._stop(stop.problems, "a source of a generated page has errors")
        if self.broken:
            return self._broken_files(files, config)
        for generated in generated_files:
            if files.get_file_from_path(generated.path) is not None and generated.path.endswith(".md"):
                log.info("ctkit: guidance/%s is written by hand, so the generated page is not added", generated.path)
                continue
            file = File.generated(config, generated.path, content=generated.content)
            if generated.path in NOT_IN_MENU:   # reached from every page's footer instead
                file.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(file)
        self.site.set_nav(config, files)
        return files

    def _broken_files(self, files: Files, config) -> Files:
        """Every page (the hand-written ones and those the kit generates) shows the problems instead,
        so the page the editor has open reloads into the list of what to fix."""
        for path in (BROKEN_PAGE, *GENERATED):
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=broken_page(self.broken)))
        for file in files.documentation_pages():   # only the problems are in the menu; MkDocs need not list the rest
            if file.src_uri != BROKEN_PAGE:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        config.nav = [{BROKEN_TITLE: BROKEN_PAGE}]
        config.site_name = "Preview: problems to fix"
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if self.broken:
            return broken_page(self.broken)
        page.meta.update(printable_meta(page.meta))
        # Read by the search plugin, which runs after this event: results say whom a page is for, and
        # the residents' pages come above the practitioners' on the same subject.
        tags, boost = self.site.search_tags(page.file.src_uri), self.site.search_boost(page.file.src_uri)
        if tags:
            page.meta["tags"] = tags
        if boost is not None and "boost" not in (page.meta.get("search") or {}):
            page.meta["search"] = {**(page.meta.get("search") or {}), "boost": boost}
        return self.site.markdown_for(page.file.src_uri, markdown)

    @event_priority(100)   # before search indexes the page: what it indexes is what is published
    def on_page_content(self, html: str, page, config, files) -> str:
        if self.broken or self.site is None:
            return html
        return self.site.page_html(page.file.src_uri, html)

    def on_page_context(self, context, page, config, nav):
        context["ctkit_page"] = self.site.page_facts(page.file.src_uri) if self.site and not self.broken else {}
        return context

    def on_post_build(self, config) -> None:
        if self.site is not None and not self.broken:
            self.site.write_extras(Path(config.site_dir))

    def on_serve(self, server, config, builder):
        root = project_root(config)
        for folder in ("guidance", "forms", "schemas"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server
