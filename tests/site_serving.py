"""Serving built council sites as a council's web host would, and checking them in Chromium.

Shared by the site tests (not a test module itself). A site is served at the path of its
`site.url`: at the root of its own address, or inside a folder such as /community-trigger/.
A missing page gets the site's own 404.html with status 404, as a host configured for the
site would answer, so the "page not found" page is tested where a resident meets it: at an
address that does not exist, any number of folders deep.
"""
from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import axe_playwright_python
from coloraide import Color

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SOURCE = (Path(os.path.dirname(axe_playwright_python.__file__)) / "axe.min.js").read_text(encoding="utf-8")
LOCAL = "http://127.0.0.1:"

#: The pages whose content comes from the council's own file: checked on every council's site.
#: Every other page is the same template with only the council's name changed, and its colours
#: are those of these pages (and checked for contrast by `ctkit check` besides).
PAGES_THAT_DIFFER = ("", "public/contacts/", "accessibility/", "no-such-page/or/folder/")


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    folder: Path
    mount: str

    def log_message(self, *args):  # noqa: D102 - keep the test output readable
        pass

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.mount):
            return str(self.folder / "\0outside")     # nothing there: a 404
        return str(self.folder / path[len(self.mount):])

    def list_directory(self, path):  # a folder without index.html is not a page
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        page = self.folder / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Hosts:
    """Sites served on 127.0.0.1, one server each; `url[name]` is the site's address without its final
    slash, so that a test writes f"{url}/public/contacts/" (and f"{url}/" for the home page)."""

    def __init__(self) -> None:
        self.servers: list[http.server.ThreadingHTTPServer] = []
        self.url: dict[str, str] = {}

    def add(self, name: str, folder: Path, mount: str = "/", port: int = 0) -> str:
        """Serve `folder` at `mount`, on `port` (a free one unless the site was built for a given address)."""
        handler = type("Handler", (_SiteHandler,), {"folder": Path(folder), "mount": mount})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.servers.append(server)
        self.url[name] = f"http://127.0.0.1:{server.server_address[1]}{mount.rstrip('/')}"
        return self.url[name]

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def mount_of(site_url: str) -> str:
    """The folder a site lives in on its host: '/' or '/community-trigger/'."""
    return urlsplit(site_url).path or "/"


def guard(page) -> list[str]:
    """Block and record every request to another host."""
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith((LOCAL, "data:", "blob:", "about:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()
    page.route("**/*", route)
    return outside


def axe_context(browser):
    """A browser context whose every page has axe-core loaded before the page's own scripts."""
    context = browser.new_context()
    context.add_init_script(AXE_SOURCE)
    return context


def axe_violations(page) -> list[tuple[str, list]]:
    """(rule, first targets) for each WCAG 2.2 A/AA rule axe-core finds broken on the loaded page."""
    found = page.evaluate("""options => axe.run(document, options).then(r =>
        r.violations.map(v => [v.id, v.nodes.slice(0, 3).map(n => n.target)]))""",
                          {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [tuple(v) for v in found]


#: The colour of an element's text and the colour really behind it: each ancestor's background
#: laid over the one below, up to the page, as the eye sees it (colours as CSS strings).
TEXT_AND_BACKGROUND_JS = """el => {
  const layers = [];
  for (let n = el; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor;
    if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') layers.push(bg);
  }
  layers.push('rgb(255, 255, 255)');
  return {color: getComputedStyle(el).color, layers: layers};
}"""


def seen_contrast(colour: str, layers: list[str]) -> float:
    """The contrast the eye sees: translucent text and backgrounds laid over what is behind them."""
    background = Color.layer(layers, space="srgb")
    text = Color.layer([colour, background], space="srgb")
    return text.contrast(background, method="wcag21")
