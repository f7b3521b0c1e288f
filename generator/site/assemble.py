"""What one council's site holds: templated pages, generated pages, PDFs, theme settings.

`SiteContent` works on the loaded model and knows nothing of MkDocs events; the plugin
(generator/mkdocs_plugin.py) calls it. Everything a reader sees comes from the model.
"""
from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from ..build_cache import NO_CACHE, BuildCache
from ..dates import longdate
from ..errors import Problem, Stop
from ..html_policy import ContentAttributes, clean
from ..loading.sources import MarkdownSource, parse_markdown
from ..model import Council, Guidance, Page
from ..monitoring.publish import monitoring_page
from ..render.form_page import form_page_path, render_form_page
from ..render.pdf_cache import report_pdf
from ..templating import compiled, context_for, file_env, render_text
from . import apply_page, browser_libraries
from .checker_data import checker_words, criteria_export, team_name
from .downloads import FOLDER, Download, audience_of, render_downloads
from .identity import STYLESHEET, identity_of
from .links import known_numbers, link_phone_numbers
from .nav import SEARCH_BOOST, SECTIONS, build_nav

log = logging.getLogger("mkdocs.plugins.ctkit")

PAGES_DIR = Path(__file__).resolve().parent / "pages"
ASSETS = "assets/ctkit"

#: Generated pages: site path -> (template, the page it follows in the navigation; None: at the end).
GENERATED = {
    "public/check-your-dates.md": ("check-your-dates.md.j2", "public/can-i-use-it.md"),
    "public/forms.md": ("forms.md.j2", "public/how-to-apply.md"),
    "public/contacts.md": ("contacts.md.j2", "public/support.md"),
    "practitioner/monitoring.md": ("monitoring.md.j2", "practitioner/annual-publication.md"),
    "accessibility.md": ("accessibility.md.j2", None),
    "cookies.md": ("cookies.md.j2", None),
}
#: Pages every site has that are reached from the footer of every page, not from the menu.
FOOTER_PAGES = {"accessibility.md": "Accessibility statement", "cookies.md": "Cookies",
                "public/contacts.md": "Contact us"}
NOT_IN_MENU = {"accessibility.md", "cookies.md"}
#: A pointer to the checker, added at the end of the hand-written eligibility page.
CHECKER_POINTER = ("\n\n!!! tip \"Check your own dates\"\n    Enter the dates of your incidents in the "
                   "[date checker](check-your-dates.md) to see, incident by incident, whether they count.\n")


HANDOUT_POINTER = ("\n\n!!! note \"To print or send\"\n    This page is also a [one-page notice to print or send (PDF, "
                   "{size})]({href}).\n")


def handout_path(rel: str) -> str:
    """Where a page's printout goes: forms/<the page's file name>.pdf."""
    return f"{FOLDER}/{Path(rel).stem}.pdf"


@dataclass(frozen=True)
class Generated:
    path: str
    content: str | bytes


class SiteContent:
    def __init__(self, guidance: Guidance, council: Council, *, drafts: bool = False,
                 registers: Path | None = None, pdfs: bool = True, cache: BuildCache = NO_CACHE):
        self.guidance, self.council = guidance, council
        self.cache = cache   # every PDF comes through it (render/pdf_cache.py)
        self.version = guidance.current(include_drafts=drafts)
        self.criteria = guidance.criteria_for(self.version)
        self.context = context_for(guidance, council, self.version)
        self.context["team"] = team_name(self.context)   # the team the kit's own pages send residents to
        self.registers = registers
        self.pdfs = pdfs
        self.identity = identity_of(guidance, council)
        self.rendered: dict[str, str] = {}
        self.meta: dict[str, dict] = {}
        self.extra_files: dict[str, bytes] = {}
        self.form_pages: dict[str, str] = {}   # generated form page -> the page it follows
        self.kit_pages: set[str] = set()       # pages the kit wrote from its own templates

    # -- settings --------------------------------------------------------------
    def configure(self, config: Any, theme_dir: Path, *, site_url: str | None = None) -> None:
        """Council name, address and look; the theme overrides; the facts the footer shows.

        `site_url` replaces the council's own address for a preview (`ctkit serve`)."""
        # The theme prints site_name unescaped in places (title, header) and escaped in others (`| e`):
        # escaped once here and marked as such, so both print the council's name as text.
        config.site_name = Markup("{}: {}").format(self.council.name, self.context["called"]["title"])
        config.site_url = printable_url(site_url or self.council.site_url)
        if not config.site_description:   # the kit's own mkdocs.yml sets none: the partnership's area says it
            config.site_description = Markup("How to ask for a review of persistent anti-social behaviour in {}, "
                                             "and how agencies handle it.").format(self.guidance.partnership.area)
        if str(theme_dir) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(theme_dir))
        if not any(isinstance(e, ContentAttributes) for e in config.markdown_extensions):
            config.markdown_extensions.append(ContentAttributes())
        for css in (f"{ASSETS}/ctkit.css", STYLESHEET, f"{ASSETS}/apply.css"):
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in (f"{ASSETS}/judge.js", f"{ASSETS}/checker.js", *apply_page.SCRIPTS):
            if js not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(js)
        v = self.version
        # A draft nobody has approved yet (a new partnership's 1.0) gives no approval date.
        approved = max((a.on for a in v.approvals if a.on), default=v.date if v.is_approved else None)
        config.extra["ctkit"] = {
            "council": self.council.name,
            "area": self.guidance.partnership.area,
            "team": self.context["team"],
            "called": self.context["called"]["title"],
            "version": v.version,
            "approved_on": longdate(approved) if approved else None,
            "in_force_since": longdate(v.effective_from) if v.effective_from else None,
            "draft": not v.is_approved,
            "logo": ({"src": self.identity.logo_path, "alt": self.identity.logo_alt}
                     if self.identity.logo_path else None),
            "footer_links": [{"title": title, "url": _page_url(path)} for path, title in FOOTER_PAGES.items()],
        }

    # -- pages -----------------------------------------------------------------
    def render_pages(self) -> list[Problem]:
        """Render every guidance page with this council's figures; every error with its line."""
        problems: list[Problem] = []
        for page in self.guidance.pages:
            problems += self.render_page(page)
        return problems

    def render_page(self, page: Page) -> list[Problem]:
        """Render one guidance page with this council's figures (again, when the preview has a new text of it)."""
        text = _render_cached(page.body, self.context)
        problems: list[Problem] = []
        if text is None:   # render again the careful way, to name every error with its line
            text, problems = render_text(page.body, self.context, page.path, page.body_line)
        if text is not None:
            self.rendered[page.rel] = text
            self.meta[page.rel] = page.meta
        return problems

    def generated_files(self) -> list[Generated]:
        downloads = self.pdf_downloads()
        if not self.pdfs:
            log.info("ctkit: PDFs are switched off for this build")
        extra = {
            "public_downloads": [d for d in downloads if d.audience == "public"],
            "practitioner_downloads": [d for d in downloads if d.audience == "practitioner"],
            "page_paths": {page.rel for page in self.guidance.pages},   # a link to a content page only if it exists
            "criteria_export": criteria_export(self.criteria),
            "checker_words": checker_words(self.guidance, self.context),
            "monitoring_markdown": Markup(self._monitoring()),  # our own Markdown, not user input
            "accessibility": self.guidance.site["accessibility"],
            "problem_contact": self.council.accessibility_contact or self.council.spoc,
            "colours": self.guidance.colours_of(self.council),
        }
        env = file_env(PAGES_DIR)
        out: list[Generated] = []
        for path, (template, _after) in GENERATED.items():
            if path in self.rendered:
                continue  # written by hand: the hand-written page wins
            text = env.get_template(template).render({**self.context, **extra})
            self.rendered[path] = text
            self.meta[path] = _front_matter(text)
            self.kit_pages.add(path)
            out.append(Generated(path, text))
        out += self._form_pages(env, downloads)
        out += self._apply_online(downloads)
        out += [Generated(d.path, d.data) for d in downloads]
        out += [Generated(path, data) for path, data in self.extra_files.items()]
        out.append(Generated(STYLESHEET, self.identity.stylesheet))
        if self.identity.logo_path:
            out.append(Generated(self.identity.logo_path, self.identity.logo_data))
        self.downloads: list[Download] = downloads
        return out

    def pdf_downloads(self) -> list[Download]:
        """Every PDF of the site (the forms, the practitioner guidance, the pages' printouts), through the cache;
        none when PDFs are switched off."""
        if not self.pdfs:
            return []
        return render_downloads(self.guidance, self.council, self.version, self.cache, self.context) + self._handouts()

    def _handouts(self) -> list[Download]:
        """Pages marked `handout: true` as one-page PDFs from the same words (forms/<page>.pdf), for
        officers to print or send: the notice that a second report in six months can lead to a review."""
        out = []
        for rel, meta in self.meta.items():
            if not meta.get("handout") or rel not in self.rendered:
                continue
            title = str(meta["title"])
            markdown = f"# {_heading_text(title)}\n\n{self.rendered[rel]}"
            pdf = report_pdf(self.cache, markdown, f"{self.council.name} · {self.council.site_url}", self.council.name)
            out.append(Download(handout_path(rel), title, str(meta.get("description", "")), pdf, "public"))
        return out

    def _form_pages(self, env: jinja2.Environment, downloads: list[Download]) -> list[Generated]:
        """A page of questions for each residents' form, listed after the forms page."""
        pdfs = {d.path: d for d in downloads}
        out = []
        for form_id, form in self.guidance.forms.items():
            path = form_page_path(form_id)
            if audience_of(form) != "public" or path in self.rendered:
                continue
            text = render_form_page(env, form, self.context, pdfs.get(f"{FOLDER}/{form_id}.pdf"))
            self.rendered[path] = text
            self.meta[path] = _front_matter(text)
            self.form_pages[path] = "public/forms.md"
            self.kit_pages.add(path)
            out.append(Generated(path, text))
        return out

    def _apply_online(self, downloads: list[Download]) -> list[Generated]:
        """Apply online (generator/site/apply_page.py): the page after "How to apply", and what it loads."""
        form = self.guidance.forms.get(apply_page.FORM_ID)
        path = apply_page.APPLY_PAGE
        if form is None or path in self.rendered:
            return []
        pdf = next((d for d in downloads if d.path == f"{FOLDER}/{form.id}.pdf"), None)
        text = apply_page.render_apply_page(form, self.context, pdf)
        self.rendered[path] = text
        self.meta[path] = _front_matter(text)
        self.form_pages[path] = apply_page.FOLLOWS
        self.kit_pages.add(path)
        return [Generated(path, text)] + [Generated(p, data) for p, data in browser_libraries.vendor_files().items()]

    def _monitoring(self) -> str:
        """The monitoring page's figures from the council's register (every register for the lead's site)."""
        registers: list[Path] = []
        if self.registers is not None:
            # Every register, also for one council's page: it shows only that council's cases, but hides
            # the same cells as the whole area's figures (monitoring.disclosure), so together they reveal nothing.
            registers = sorted(self.registers.glob("*.csv"))
        markdown, files = monitoring_page(self.guidance, self.council, registers)
        for name, data in files.items():
            self.extra_files[f"practitioner/{name}"] = data
        return _strip_front_matter_and_title(markdown)

    def set_nav(self, config: Any, files: Any) -> None:
        pages = {f.src_uri: printable_meta(self.meta.get(f.src_uri, {"title": f.src_uri}))
                 for f in files.documentation_pages() if f.src_uri not in NOT_IN_MENU}
        after = {path: anchor for path, (_t, anchor) in GENERATED.items() if path in pages}
        after.update({path: anchor for path, anchor in self.form_pages.items() if path in pages})
        config.nav = build_nav(pages, after)

    def markdown_for(self, src_uri: str, markdown: str) -> str:
        text = self.rendered.get(src_uri, markdown)
        if src_uri in GENERATED or src_uri in self.form_pages:
            text = _generated(text).body   # MkDocs has read the front matter already
        if src_uri == "public/can-i-use-it.md" and "check-your-dates.md" not in text:
            text += CHECKER_POINTER
        handout = next((d for d in getattr(self, "downloads", []) if d.path == handout_path(src_uri)), None)
        if handout is not None:   # the page's own printout, linked from its end
            text += HANDOUT_POINTER.format(href="../" * src_uri.count("/") + handout.path, size=handout.size)
        if src_uri in self.form_pages:   # the form's own wording, written for paper
            text = link_phone_numbers(text, known_numbers(self.guidance))
        title = self.meta.get(src_uri, {}).get("title")
        if title and not re.search(r"^# ", text, re.M):
            # The page's full title as its heading: the menu shows the short `nav_title`, and
            # MkDocs would otherwise give the heading that short title too.
            text = f"# {_heading_text(str(title))}\n\n{text.lstrip()}"
        return text

    def page_html(self, src_uri: str, html: str) -> str:
        """A page's content as published: what an editor wrote passes the allow-list (html_policy);
        the pages the kit writes from its own templates (forms, the checker) are the kit's own HTML."""
        return html if src_uri in self.kit_pages else clean(html)

    def page_facts(self, src_uri: str) -> dict[str, Any]:
        return {"public": src_uri == "index.md" or src_uri.startswith("public/")}

    @staticmethod
    def search_tags(src_uri: str) -> list[str]:
        """The part of the site a page belongs to ("For residents"), shown beside it in search results."""
        return [label for prefix, label in SECTIONS if src_uri.startswith(prefix)]

    @staticmethod
    def search_boost(src_uri: str) -> float | None:
        """The search boost a page of its part of the site gets when its front matter gives none."""
        return next((boost for prefix, boost in SEARCH_BOOST.items() if src_uri.startswith(prefix)), None)

    def write_extras(self, site_dir: Path) -> None:
        """Machine-readable criteria beside the checker, for anyone who wants to reuse them."""
        target = site_dir / ASSETS / "criteria.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(criteria_export(self.criteria), indent=2) + "\n", encoding="utf-8")


def printable_meta(meta: dict) -> dict:
    """Front matter as the theme prints it, which is without escaping: each text HTML-escaped once
    (a generated page's front matter comes escaped already, a hand-written one does not)."""
    return {key: escape(html.unescape(value)) if isinstance(value, str) else value for key, value in meta.items()}


def printable_url(url: str) -> str:
    """An address the theme may print inside any attribute: quotes, angle brackets, spaces and the
    like percent-encoded (the schema refuses them in `site.url`; a preview's address is MkDocs' own)."""
    return quote(url, safe=":/?#[]@!$&()*+,;=%-._~")


def _render_cached(body: str, context: dict[str, Any]) -> str | None:
    """A page rendered for one council from its once-compiled template; None on any error."""
    try:
        return compiled(body).render(context)
    except Exception:  # noqa: BLE001 - render_text explains it, with file and line
        return None


def _generated(text: str) -> MarkdownSource:
    """A page the kit wrote from its own template, read as any page is (loading.sources)."""
    page, problems = parse_markdown(text, "a page generated by the kit")
    if page is None:
        raise Stop(problems)
    return page


def _front_matter(text: str) -> dict:
    """The title and menu title of a generated page."""
    meta = _generated(text).meta
    return {key: str(meta[key]) for key in ("title", "nav_title") if key in meta}


def _heading_text(title: str) -> str:
    """A title as Markdown heading text: HTML escaped, and what Markdown reads as formatting escaped."""
    return re.sub(r"([\\`*_\[\]#])", r"\\\1", html.escape(html.unescape(title), quote=False))


def _page_url(src: str) -> str:
    """A page's address relative to the site root, as MkDocs writes it (directory URLs)."""
    if src == "index.md":
        return ""
    return src.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"


def _strip_front_matter_and_title(markdown: str) -> str:
    lines = _generated(markdown).body.lstrip("\n").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip() + "\n"
