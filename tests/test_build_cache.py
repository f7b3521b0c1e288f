"""The build cache as a user meets it: a PDF is drawn once and then reused while nothing that makes it
changed, a change redraws exactly what it touches, the cache lives in the user's cache folder (or
--cache-dir), --no-cache neither reads nor writes it, and `ctkit clean` deletes it."""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

import generator
from conftest import run_ctkit, without_locks
from generator.build_cache import BuildCache, canonical, default_cache_dir, fingerprint_of
from generator.project import load_project
from generator.project_cache import cached_project
from generator.render.form_pdf import render_form_pdf
from generator.template_names import names_used
from generator.render.pdf_cache import form_pdf, guidance_pdf


def _pdfs_in(cache: Path) -> list[Path]:
    return sorted((cache / "pdf").rglob("*.pdf")) if (cache / "pdf").is_dir() else []


def _tree(folder: Path) -> dict[str, str]:
    """Every file under `folder`, by its path there, with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _set_phone(root: Path, council: str, phone: str) -> None:
    path = root / "guidance" / "councils" / f"{council}.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^  phone: "[^"]*"', f'  phone: "{phone}"', text, count=1), encoding="utf-8")


def test_a_form_pdf_from_the_cache_is_the_same_bytes_as_one_drawn_fresh(guidance, tmp_path):
    cache = BuildCache.at(tmp_path / "cache")
    council, version = guidance.councils["erewash"], guidance.current()
    form = guidance.forms["application"]
    first = form_pdf(cache, form, guidance, council, version)
    again = form_pdf(cache, form, guidance, council, version)
    assert (cache.made, cache.reused) == (1, 1)
    assert again == first == render_form_pdf(form, guidance, council, version=version)
    assert len(_pdfs_in(tmp_path / "cache")) == 1


def test_a_changed_council_phone_redraws_that_councils_form_and_no_other_councils(tmp_root, tmp_path):
    root = without_locks(tmp_root)
    before = load_project(root).require()
    cache = BuildCache.at(tmp_path / "cache")
    form = before.forms["application"]
    for cid in ("erewash", "bolsover"):
        form_pdf(cache, form, before, before.councils[cid], before.current())
    assert cache.made == 2

    _set_phone(root, "erewash", "0115 000 1234")
    after = load_project(root).require()
    assert after.councils["erewash"].spoc.phone == "0115 000 1234"
    counted = BuildCache(cache.folder)
    new_erewash = form_pdf(counted, after.forms["application"], after, after.councils["erewash"], after.current())
    form_pdf(counted, after.forms["application"], after, after.councils["bolsover"], after.current())
    assert (counted.made, counted.reused) == (1, 1)
    assert "0115 000 1234" in _text_of(new_erewash)


def test_a_changed_council_retention_period_redraws_only_the_forms_whose_words_name_the_council(tmp_root, tmp_path):
    """A form's key holds what its drawing reads: the council's name and SPOC (the footer) and the values its
    words name. How long the council keeps case files is in none of the forms that never name the council."""
    root = without_locks(tmp_root)
    cache = BuildCache.at(tmp_path / "cache")
    before = load_project(root).require()
    for form in before.forms.values():
        form_pdf(cache, form, before, before.councils["erewash"], before.current())
    path = root / "guidance" / "councils" / "erewash.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("retention: {years: 6,", "retention: {years: 7,", 1),
                    encoding="utf-8")
    after = load_project(root).require()
    assert after.councils["erewash"] != before.councils["erewash"]
    naming = {fid for fid, form in after.forms.items() if "council" in names_used(canonical(form))}
    assert naming and naming != set(after.forms)
    for fid, form in after.forms.items():
        counted = BuildCache(cache.folder)
        pdf = form_pdf(counted, form, after, after.councils["erewash"], after.current())
        assert (counted.made, counted.reused) == ((1, 0) if fid in naming else (0, 1)), fid
        assert pdf == render_form_pdf(form, after, after.councils["erewash"], version=after.current()), fid

def test_a_changed_page_of_the_practitioner_guidance_redraws_the_guidance_pdf(tmp_root, tmp_path):
    root = without_locks(tmp_root)
    cache = BuildCache.at(tmp_path / "cache")
    first = load_project(root).require()
    guidance_pdf(cache, first, first.councils["erewash"], first.current())
    page = sorted((root / "guidance" / "practitioner").rglob("*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by the test.\n", encoding="utf-8")
    second = load_project(root).require()
    counted = BuildCache(cache.folder)
    guidance_pdf(counted, second, second.councils["erewash"], second.current())
    assert counted.made == 1


def test_a_changed_partnership_area_in_ctkit_yml_reaches_the_cached_project_and_redraws_the_pdfs(tmp_root, tmp_path):
    """ctkit.yml is a source like guidance/: the area names the guidance on every form and on the guidance PDF."""
    root = without_locks(tmp_root)
    cache = BuildCache.at(tmp_path / "cache")
    first = cached_project(root, cache).require()
    form_pdf(cache, first.forms["application"], first, first.councils["erewash"], first.current())
    guidance_pdf(cache, first, first.councils["erewash"], first.current())
    settings = root / "ctkit.yml"
    settings.write_text(re.sub(r"(?m)^  area: \S+", "  area: Northshire", settings.read_text(encoding="utf-8"), count=1),
                        encoding="utf-8")
    second = cached_project(root, BuildCache(cache.folder)).require()
    assert second.partnership.area == "Northshire"
    counted = BuildCache(cache.folder)
    form = form_pdf(counted, second.forms["application"], second, second.councils["erewash"], second.current())
    guidance_pdf(counted, second, second.councils["erewash"], second.current())
    assert (counted.made, counted.reused) == (2, 0)
    assert "Northshire" in _text_of(form)


def _text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_cache_is_in_xdg_cache_home_else_in_the_home_folders_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "ctkit"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "ctkit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "ctkit"


def test_clean_deletes_the_sites_and_the_cache_and_leaves_the_sources(tmp_root, tmp_path):
    cache = tmp_path / "cache"
    BuildCache.at(cache).put("pdf", "ab" * 32, b"%PDF-1.7 test", ".pdf")
    (cache / "notes-of-the-user.txt").parent.mkdir(parents=True, exist_ok=True)
    (cache / "notes-of-the-user.txt").write_text("not the kit's")
    (tmp_root / "site" / "erewash").mkdir(parents=True)
    (tmp_root / "site" / "erewash" / "index.html").write_text("<p>built</p>")
    sources = _tree(tmp_root / "guidance")

    result = run_ctkit("--cache-dir", str(cache), "clean", root=tmp_root)
    assert result.returncode == 0, result.stderr
    assert "site/" in result.stdout and str(cache) in result.stdout
    assert not (tmp_root / "site").exists() and not (cache / "pdf").exists()
    assert (cache / "notes-of-the-user.txt").read_text() == "not the kit's"   # only what the kit wrote
    assert _tree(tmp_root / "guidance") == sources

    again = run_ctkit("clean", "--cache-dir", str(cache), root=tmp_root)
    assert again.returncode == 0 and again.stdout.startswith("Nothing to delete")


@pytest.mark.slow
def test_a_rebuild_with_nothing_changed_draws_no_pdf_and_writes_the_same_bytes(tmp_path):
    cache = tmp_path / "cache"
    fresh = run_ctkit("build", "--council", "erewash", "--cache-dir", str(cache), "--no-cache",
                      "--site-dir", str(tmp_path / "fresh"))
    assert fresh.returncode == 0, fresh.stderr[-3000:]
    assert "the build cache is off" in fresh.stdout and not cache.exists()

    cold = run_ctkit("build", "--council", "erewash", "--cache-dir", str(cache), "--site-dir", str(tmp_path / "cold"))
    assert cold.returncode == 0, cold.stderr[-3000:]
    drawn = int(re.search(r"PDFs: (\d+) drawn, 0 from the build cache", cold.stdout).group(1))
    assert drawn > 0 and len(_pdfs_in(cache)) == drawn

    warm = run_ctkit("build", "--council", "erewash", "--cache-dir", str(cache), "--site-dir", str(tmp_path / "warm"))
    assert warm.returncode == 0, warm.stderr[-3000:]
    assert f"PDFs: 0 drawn, {drawn} from the build cache" in warm.stdout

    fresh_tree, warm_tree = _tree(tmp_path / "fresh"), _tree(tmp_path / "warm")
    assert any(name.endswith(".pdf") for name in warm_tree)
    assert warm_tree == fresh_tree == _tree(tmp_path / "cold")


def _drawn(stdout: str) -> str:
    return re.search(r"PDFs: .*", stdout).group(0)


def test_ctkit_pdf_a_second_time_draws_nothing_and_writes_the_same_bytes(tmp_path):
    cache = tmp_path / "cache"
    outputs = [tmp_path / f"application-{n}.pdf" for n in range(3)]
    runs = [run_ctkit("pdf", "application", "--council", "erewash", "-o", str(out), *options)
            for out, options in zip(outputs, (["--cache-dir", str(cache)], ["--cache-dir", str(cache)], ["--no-cache"]))]
    assert [r.returncode for r in runs] == [0, 0, 0], runs[0].stderr
    assert _drawn(runs[0].stdout) == f"PDFs: 1 drawn, 0 from the build cache ({cache.resolve()})."
    assert _drawn(runs[1].stdout) == f"PDFs: 0 drawn, 1 from the build cache ({cache.resolve()})."
    assert _drawn(runs[2].stdout) == "PDFs: 1 drawn (the build cache is off: --no-cache)."
    assert outputs[0].read_bytes() == outputs[1].read_bytes() == outputs[2].read_bytes()
    assert len(_pdfs_in(cache)) == 1


def test_ctkit_diff_as_pdf_a_second_time_draws_nothing_and_writes_the_same_bytes(tmp_path):
    cache = tmp_path / "cache"
    first, second = tmp_path / "changes.pdf", tmp_path / "again.pdf"
    runs = [run_ctkit("diff", ".", ".", "-o", str(out), "--cache-dir", str(cache)) for out in (first, second)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert _drawn(runs[0].stdout) == f"PDFs: 1 drawn, 0 from the build cache ({cache.resolve()})."
    assert _drawn(runs[1].stdout) == f"PDFs: 0 drawn, 1 from the build cache ({cache.resolve()})."
    assert first.read_bytes() == second.read_bytes() and first.read_bytes().startswith(b"%PDF-")


def test_editing_a_kit_file_changes_the_key_and_a_file_written_again_unchanged_does_not(tmp_path):
    kit = tmp_path / "kit"
    shutil.copytree(Path(generator.__file__).parent, kit, ignore=shutil.ignore_patterns("__pycache__"))
    cache = BuildCache.at(tmp_path / "cache")
    first = fingerprint_of(kit, cache)
    assert fingerprint_of(kit, cache) == first

    template = kit / "site" / "pages" / "forms.md.j2"
    text = template.read_bytes()
    template.write_bytes(text)   # written again, the same bytes (as a fresh checkout does): the same key
    assert fingerprint_of(kit, cache) == first

    before = template.stat()
    template.write_bytes(text.replace(b"a", b"b", 1))   # one letter, the same size, the time set back
    os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
    edited = fingerprint_of(kit, cache)
    assert edited != first
    assert fingerprint_of(kit, BuildCache(None)) == edited   # what hashing every file from scratch gives
