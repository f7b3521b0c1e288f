"""The live preview builds only what a save reaches, and what it serves is what a full build makes.

Each test runs the preview (generator/site/preview.py) in this process over a copy of the sources, saves
files as an editor would, and compares the served folder with a new preview's first build of the same
sources, file by file. Which files a save wrote again is read from their modification times.
"""
from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pypdf
import pytest

from generator.site.preview import Preview
from generator.site.preview_pdfs import BEING_DRAWN, LaterPdfs, stand_in_pdf

pytestmark = pytest.mark.slow   # each builds a council's site more than once

URL = "http://127.0.0.1:8000/"
PAGE = "guidance/public/support.md"


def _preview(root: Path, site: Path, cache: Path) -> Preview:
    pdfs = LaterPdfs(cache)
    preview = Preview(root, site, URL, council="erewash", pdfs=pdfs)
    pdfs.ready = preview.pdfs_drawn
    return preview


def _settled(preview: Preview) -> Preview:
    """Build, and again once the PDFs it waited for are drawn, as the running preview does by itself."""
    preview.update()
    while preview.pdfs.busy or preview.pdfs.waiting:
        drawing = preview.pdfs.drawing
        if drawing is not None:
            drawing.join(timeout=300)
        time.sleep(0.05)   # the thread that saw it end marks the PDFs drawn
        preview.update()
    return preview


def _served(root: Path, tmp_path: Path) -> tuple[Preview, Path, Path]:
    """A settled preview of `root`: the preview, the folder it serves, its cache folder."""
    cache, site = tmp_path / "cache", tmp_path / "served"
    return _settled(_preview(root, site, cache)), site, cache


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _times(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def _same_as_a_full_build(root: Path, served: Path, tmp_path: Path, cache: Path) -> None:
    fresh = tmp_path / f"fresh-{time.monotonic_ns()}"
    _settled(_preview(root, fresh, cache))
    mine, theirs = _files(served), _files(fresh)
    assert sorted(mine) == sorted(theirs)
    different = [name for name in mine if mine[name] != theirs[name] and not name.endswith("sitemap.xml.gz")]
    assert not different, different


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    # A new modification time even on a file system that keeps whole seconds only.
    stamp = time.time_ns() + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_a_saved_page_text_writes_that_page_and_the_search_index_only_and_matches_a_full_build(tmp_root, tmp_path):
    preview, site, cache = _served(tmp_root, tmp_path)
    before = _times(site)
    page = tmp_root / PAGE
    _save(page, page.read_text(encoding="utf-8") + "\n## A new heading\n\nWords an editor has just written.\n")
    preview.update()

    shown = (site / "public/support/index.html").read_text(encoding="utf-8")
    assert "Words an editor has just written." in shown and 'id="a-new-heading"' in shown
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "Words an editor has just written." in index and "public/support/#a-new-heading" in index
    written = sorted(name for name, stamp in _times(site).items() if before.get(name) != stamp)
    assert written == ["public/support/index.html", "search/search_index.json"]
    _same_as_a_full_build(tmp_root, site, tmp_path, cache)


def test_a_council_yaml_save_shows_at_once_and_its_forms_follow_with_the_new_number(tmp_root, tmp_path):
    preview, site, cache = _served(tmp_root, tmp_path)
    council = tmp_root / "guidance/councils/erewash.yml"
    text = council.read_text(encoding="utf-8")
    old_phone = re.search(r'(?m)^  phone: "([^"]*)"', text).group(1)
    _save(council, text.replace(f'phone: "{old_phone}"', 'phone: "0115 900 1357"', 1))

    preview.update()   # the pages at once; the forms, which print the SPOC's number, are drawn afterwards
    assert "0115 900 1357" in (site / "public/contacts/index.html").read_text(encoding="utf-8")
    assert preview.pdfs.busy or preview.pdfs.waiting
    stand_ins = [p for p in (site / "forms").glob("*.pdf") if p.read_bytes() == stand_in_pdf()]
    assert stand_ins, "the forms print the SPOC's number, so they are drawn again"

    _settled(preview)
    form = site / "forms" / stand_ins[0].name
    assert form.read_bytes() != stand_in_pdf()
    words = " ".join(page.extract_text() for page in pypdf.PdfReader(form).pages)
    assert "0115 900 1357" in words and old_phone not in words
    _same_as_a_full_build(tmp_root, site, tmp_path, cache)


def test_a_new_page_title_rebuilds_the_menu_of_every_page(tmp_root, tmp_path):
    preview, site, cache = _served(tmp_root, tmp_path)
    page = tmp_root / PAGE
    text = page.read_text(encoding="utf-8")
    title = re.search(r"(?m)^nav_title: (.*)$", text) or re.search(r"(?m)^title: (.*)$", text)
    _save(page, text.replace(title.group(0), title.group(0).split(":")[0] + ": Help and support nearby", 1))
    preview.update()
    assert "Help and support nearby" in (site / "index.html").read_text(encoding="utf-8")   # another page's menu
    _same_as_a_full_build(tmp_root, site, tmp_path, cache)


def test_a_page_that_breaks_shows_its_problem_at_once_and_the_fix_brings_the_site_back(tmp_root, tmp_path):
    preview, site, cache = _served(tmp_root, tmp_path)
    page = tmp_root / PAGE
    good = page.read_text(encoding="utf-8")
    _save(page, good + "\nA figure that does not exist: {{ council.no_such_thing.here }}\n")
    preview.update()
    shown = (site / "public/support/index.html").read_text(encoding="utf-8")
    assert "The preview cannot be built" in shown and f"{PAGE}:" in shown

    _save(page, good)
    preview.update()
    assert "The preview cannot be built" not in (site / "public/support/index.html").read_text(encoding="utf-8")
    _same_as_a_full_build(tmp_root, site, tmp_path, cache)


def test_the_stand_in_is_a_pdf_that_says_the_real_one_is_on_its_way():
    reader = pypdf.PdfReader(io.BytesIO(stand_in_pdf()))
    assert BEING_DRAWN in reader.pages[0].extract_text()
    assert reader.metadata.title == BEING_DRAWN


def test_a_drawing_that_fails_makes_the_preview_draw_at_once_so_the_error_is_seen(tmp_path):
    pdfs = LaterPdfs(tmp_path)
    arrived = []
    pdfs.ready = lambda: arrived.append(True)

    def broken() -> bytes:
        raise ValueError("a form that cannot be drawn")

    assert pdfs.bytes_for("pdf", "k" * 64, broken, ".pdf") == stand_in_pdf()
    assert pdfs.draw_waiting() == 1
    pdfs.drawing.join(timeout=60)
    deadline = time.monotonic() + 10
    while not arrived and time.monotonic() < deadline:
        time.sleep(0.05)
    assert arrived and pdfs.failed
    with pytest.raises(ValueError, match="cannot be drawn"):
        pdfs.bytes_for("pdf", "k" * 64, broken, ".pdf")
