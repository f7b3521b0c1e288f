"""The MkDocs plugin `ctkit`: a thin adapter between MkDocs events and generator/.

All the work (loading, checking, templating, generated pages, PDFs) lives in generator/
and generator/site/; this module only hands MkDocs what they produce. `ctkit build`
preloads the project once and reuses it for every council (`preload`), so a ten-site
build reads and checks the sources once.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .errors import Problem, Stop
from .model import Guidance
from .project import load_project
from .site.assemble import SiteContent

log = logging.getLogger("mkdocs.plugins.ctkit")

THEME_DIR = Path(__file__).resolve().parent / "site" / "theme"


class CommunityTriggerConfig(Config):
    council = opt.Type(str, default="derbyshire")
    registers = opt.Type(str, default="")
    drafts = opt.Type(bool, default=False)
    pdfs = opt.Type(bool, default=True)


def _fail(problems: list[Problem], what: str) -> PluginError:
    lines = "\n".join(str(p) for p in problems)
    return PluginError(f"{lines}\nThe site was not built: {what}.")


class CommunityTriggerPlugin(BasePlugin[CommunityTriggerConfig]):
    """Build one council's site from the checked sources."""

    def __init__(self) -> None:
        super().__init__()
        self._preloaded: Guidance | None = None
        self._override: dict[str, Any] = {}
        self.site: SiteContent | None = None

    # -- used by `ctkit build` -------------------------------------------------
    def preload(self, guidance: Guidance, *, council: str | None = None, drafts: bool | None = None,
                registers: Path | None = None, pdfs: bool | None = None) -> None:
        """Reuse an already loaded and checked model instead of reading the sources again."""
        self._preloaded = guidance
        self._override = {k: v for k, v in dict(council=council, drafts=drafts, pdfs=pdfs,
                                                  registers=str(registers) if registers else None).items()
                          if v is not None}

    # -- MkDocs events ---------------------------------------------------------
    def on_config(self, config):
        options = {**dict(self.config), **self._override}
        root = Path(config.config_file_path).resolve().parent
        guidance = self._preloaded
        if guidance is None:
            project = load_project(root)
            if project.errors:
                raise _fail(project.errors, "fix the sources listed above (run 'ctkit check')")
            guidance = project.require()
        try:
            council = guidance.council(options["council"])
        except Stop as stop:
            raise _fail(stop.problems, "the council named in mkdocs.yml does not exist") from None
        registers = Path(options["registers"]) if options["registers"] else None
        if registers is not None and not registers.is_absolute():
            registers = root / registers
        version = guidance.current(include_drafts=options["drafts"])
        if version.version not in guidance.criteria:
            raise PluginError(f"guidance/criteria.yml: version {version.version} has no threshold or timescales yet; "
                              "add them before previewing that version.")
        self.site = SiteContent(guidance, council, drafts=options["drafts"],
                                registers=registers, pdfs=options["pdfs"])
        self.site.configure(config, THEME_DIR)
        return config

    def on_files(self, files: Files, config) -> Files:
        problems = self.site.render_pages()
        if problems:
            raise _fail(problems, "a page's template has errors")
        try:
            generated_files = self.site.generated_files()
        except Stop as stop:
            raise _fail(stop.problems, "a source of a generated page has errors")
        for generated in generated_files:
            if files.get_file_from_path(generated.path) is not None and generated.path.endswith(".md"):
                log.info("ctkit: guidance/%s is written by hand, so the generated page is not added", generated.path)
                continue
            files.append(File.generated(config, generated.path, content=generated.content))
        self.site.set_nav(config, files)
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        return self.site.markdown_for(page.file.src_uri, markdown)

    def on_page_context(self, context, page, config, nav):
        context["ctkit_page"] = self.site.page_facts(page.file.src_uri)
        return context

    def on_post_build(self, config) -> None:
        self.site.write_extras(Path(config.site_dir))

    def on_serve(self, server, config, builder):
        root = Path(config.config_file_path).resolve().parent
        for folder in ("guidance", "forms", "schemas"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server
