"""Hostile content and hostile files (issue 14): each reproduction kept as a regression test.

An attacker may write a guidance page or a form hint (a contributor's change), send an
application file, or name a file. Whatever they send: templates cannot run code, work stays
linear and output bounded, nothing they wrote is echoed beyond the answers the SPOC asked to
see, control characters are shown escaped, no output overwrites an input or a source, and one
bad file never stops the batch.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from generator.render.fill import fill_form_pdf
from generator.text_safety import csv_text, shown, spreadsheet_cell
from test_judge_cli import application, write

ROOT = Path(__file__).resolve().parent.parent
MARKER = "ctkit-hostile-ran"
PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}"


# -- 1. templates cannot run commands -------------------------------------------------------

@pytest.mark.parametrize("where", ["page", "form hint"])
def test_a_template_that_reaches_into_python_neither_runs_nor_passes_check(tmp_root, tmp_path, ctkit, where):
    marker = tmp_path / MARKER
    payload = PAYLOAD % marker
    if where == "page":
        page = tmp_root / "guidance" / "public" / "support.md"
        page.write_text(page.read_text(encoding="utf-8") + f"\n\n{payload}\n", encoding="utf-8")
        shown_at = "guidance/public/support.md:"
    else:
        form = tmp_root / "forms" / "application.yml"
        text = form.read_text(encoding="utf-8")
        assert "hint: If you were given one." in text
        form.write_text(text.replace("hint: If you were given one.", f'hint: "{payload}"'), encoding="utf-8")
        shown_at = "forms/application.yml:"
    for args in (("check",), ("pdf", "application", "-o", str(tmp_path / "a.pdf")),
                 ("validate", str(write(tmp_path, "app.json", application())))):
        run = ctkit(*args, root=tmp_root)
        assert run.returncode == 1, (args, run.stdout, run.stderr)
        assert shown_at in run.stdout + run.stderr and "reach inside Python" in run.stdout + run.stderr
    assert not marker.exists(), "the template ran a command"


# -- 3. linear work and bounded output ---------------------------------------------------------

def test_ten_thousand_unknown_keys_give_one_sentence_not_ten_thousand(tmp_path, ctkit):
    data = application()
    data.update({f"zz_{i:05d}\u202e": "x" for i in range(10_000)})
    [r] = json.loads(ctkit("validate", str(write(tmp_path, "keys.json", data)), "--format", "json").stdout)
    unknown = [e for e in r["errors"] if "not on this form" in e["message"]]
    assert len(unknown) == 1 and "10000 answers" in unknown[0]["message"]
    assert "zz_" not in json.dumps(r)
    assert r["decision"] == "threshold_met"


# -- 4 and 5. one bad file never kills the batch; nothing echoed ------------------------------

def test_lone_surrogates_and_a_file_name_that_is_not_utf8_are_judged_in_the_batch(tmp_path, ctkit):
    folder = tmp_path / "post"
    folder.mkdir()
    write(folder, "surrogate-key.json", json.dumps(application()).replace('"impact"', '"\\ud800", "impact"', 1)
          .replace('"\\ud800", "impact"', '"\\ud800": 1, "impact"'))
    write(folder, "surrogate-version.json", json.dumps(application(form_version="\ud800")))
    odd = os.fsdecode(b"bad-\xff\xfe-name.json")
    write(folder, odd, json.dumps(application()))
    write(folder, "\x1b]0;owned\x07title.json", json.dumps(application()))
    for fmt in ("json", "text", "csv"):
        run = ctkit("validate", str(folder), "--format", fmt)
        assert run.returncode == 0, run.stderr
        assert "something went wrong" not in run.stderr
        assert "\x1b" not in run.stdout + run.stderr and "\x07" not in run.stdout
    results = json.loads(ctkit("validate", str(folder), "--format", "json").stdout)
    assert len(results) == 4 and all(r["decision"] == "threshold_met" for r in results)
    assert any("\\x1b" in r["file"] for r in results)


def test_strings_from_the_file_are_not_echoed_beyond_the_answers_asked_for(tmp_path, ctkit):
    data = application(form_version="9" * 1_900_000, case_ref="<script>alert(1)</script>" + "A" * 500,
                       asb_types=["noise", "\x1b[31mevil"])
    data["applicant"]["nickname\x1b[2J"] = "x"
    run = ctkit("validate", str(write(tmp_path, "echo.json", data)), "--format", "json")
    out = run.stdout + run.stderr
    assert "9" * 100 not in out and "<script>" not in out and "evil" not in out and "nickname" not in out
    assert len(out) < 30_000
    [r] = json.loads(run.stdout)
    assert r["case_ref"] is None and r["asb_types"] == []
    fields = {e["field"] for e in r["errors"]}
    assert "Case reference" in fields


# -- 7. no output over an input or a source ---------------------------------------------------

def test_letters_never_overwrite_an_input_and_two_stems_write_two_letters(tmp_path, ctkit):
    folder = tmp_path / "post"
    folder.mkdir()
    def person(n: int, ref: str) -> dict:   # three different people, so three applications (not one sent thrice)
        data = application(case_ref=ref)
        data["applicant"] = {**data["applicant"], "name": f"Applicant {n}"}
        return data

    write(folder, "dup.json", person(1, "EREW-2026-901"))
    write(folder, "dup.yaml", json.dumps(person(2, "EREW-2026-902")))   # JSON is valid YAML
    victim = write(folder, "app-acknowledgement.pdf", "%PDF-1.4 not really")
    write(folder, "app.json", person(3, "EREW-2026-903"))
    before = victim.read_bytes()
    register = tmp_path / "erewash.csv"
    run = ctkit("validate", str(folder), "--letter", "acknowledgement", "--letters-dir", str(folder),
                "--council", "erewash", "--record", str(register))
    assert run.returncode == 2 and "also an input" in run.stderr
    assert victim.read_bytes() == before
    victim.unlink()
    letters = tmp_path / "letters"
    run = ctkit("validate", str(folder), "--letter", "acknowledgement", "--letters-dir", str(letters),
                "--council", "erewash", "--record", str(register))
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in letters.iterdir() if p.suffix == ".pdf") == [
        "app-acknowledgement.pdf", "dup-acknowledgement.pdf", "dup-yaml-acknowledgement.pdf"]


def test_fill_and_diff_refuse_to_write_over_their_input_or_a_source(tmp_path, ctkit):
    data = write(tmp_path, "data.json", application())
    before = data.read_bytes()
    run = ctkit("fill", "application", "--data", str(data), "-o", str(data))
    assert run.returncode == 2 and "also an input" in run.stderr and data.read_bytes() == before
    versions = ROOT / "guidance" / "versions.yml"
    digest = hashlib.sha256(versions.read_bytes()).hexdigest()
    run = ctkit("diff", ".", ".", "-o", str(versions))
    assert run.returncode == 2 and "inside the project's sources" in run.stderr
    assert hashlib.sha256(versions.read_bytes()).hexdigest() == digest


# -- 9. a hidden field never decides ---------------------------------------------------------

@pytest.fixture(scope="module")
def filled(guidance) -> bytes:
    return fill_form_pdf(guidance.forms["application"], application(), guidance, None)


def _with(filled: bytes, change) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(filled)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_widgetless_duplicate_field_does_not_override_the_visible_answer(filled, tmp_path, ctkit):
    def hide(writer):
        hidden = DictionaryObject({NameObject("/FT"): NameObject("/Btn"), NameObject("/T"): TextStringObject("basis"),
                                   NameObject("/V"): NameObject("/partner_agency")})
        fields = writer._root_object["/AcroForm"]["/Fields"]
        fields.append(writer._add_object(hidden))
    path = tmp_path / "hidden.pdf"
    path.write_bytes(_with(filled, hide))
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert r["basis"] == "victim"
    assert any("fields named “basis”" in w for w in r["warnings"])


def test_xfa_data_beside_the_fields_gets_a_warning(filled, tmp_path, ctkit):
    def add_xfa(writer):
        writer._root_object["/AcroForm"][NameObject("/XFA")] = ArrayObject([TextStringObject("datasets")])
    path = tmp_path / "xfa.pdf"
    path.write_bytes(_with(filled, add_xfa))
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert r["decision"] == "threshold_met" and any("XFA" in w for w in r["warnings"])


# -- 10. the smaller ones ---------------------------------------------------------------------

@pytest.mark.parametrize("name, text", [
    ("twice.json", '{"form": "application", "basis": "victim", "basis": "partner_agency"}'),
    ("twice.yaml", "form: application\nbasis: victim\nbasis: partner_agency\n"),
])
def test_an_answer_given_twice_is_refused_not_silently_chosen(tmp_path, ctkit, name, text):
    [r] = json.loads(ctkit("validate", str(write(tmp_path, name, text)), "--format", "json").stdout)
    assert r["decision"] == "unreadable" and "given twice" in r["errors"][0]["message"]
    assert "partner_agency" not in json.dumps(r)


def test_a_date_in_the_year_9999_is_a_wrong_date_not_a_damaged_form(tmp_path, ctkit):
    data = application()
    data["incidents"][0]["occurred_on"] = "9999-12-31"
    [r] = json.loads(ctkit("validate", str(write(tmp_path, "far.json", data)), "--format", "json").stdout)
    assert r["decision"] != "unreadable"
    assert r["incidents"][0]["reasons"] == ["date_missing"]


def test_stats_year_9999_is_a_usage_error(ctkit):
    run = ctkit("stats", str(ROOT / "tests" / "data" / "registers" / "erewash.csv"), "--year", "9999-00")
    assert run.returncode == 2 and "reporting year" in run.stderr


@pytest.mark.parametrize("algorithm, password, readable", [
    ("AES-256", "", True), ("AES-128", "", True), ("RC4-128", "", True), ("AES-256", "secret", False)])
def test_encrypted_pdfs_open_when_no_password_is_needed(filled, tmp_path, ctkit, algorithm, password, readable):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_with(filled, lambda w: w.encrypt(user_password=password, owner_password="owner",
                                                       algorithm=algorithm)))
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    if readable:
        assert r["decision"] == "threshold_met", r["errors"]
    else:
        assert r["decision"] == "unreadable" and "password-protected" in r["errors"][0]["message"]


def test_a_pdf_with_bytes_appended_is_still_read(filled, tmp_path, ctkit):
    path = tmp_path / "appended.pdf"
    path.write_bytes(filled + b"\n" + os.urandom(4096))
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert r["decision"] == "threshold_met"


def test_a_file_that_cannot_be_read_says_so(tmp_path):
    """Permission bits do not stop root, so the command runs as an ordinary user when the tests run as root."""
    folder = Path("/tmp") / f"ctkit-unreadable-{os.getpid()}"   # reachable by an ordinary user
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o755)
    path = write(folder, "secret.json", application())
    os.chmod(path, 0)
    command = [sys.executable, "-m", "generator.cli", "validate", str(path), "--format", "json"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "util-linux's setpriv runs the command as an ordinary user"
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         timeout=60)
    shutil.rmtree(folder, ignore_errors=True)
    [r] = json.loads(run.stdout or "[{}]")
    assert r.get("decision") == "unreadable", run.stderr
    assert "cannot be" in r["errors"][0]["message"] and "JSON" not in r["errors"][0]["message"]


def test_pipes_and_link_loops_in_a_folder_each_get_a_sentence(tmp_path, ctkit):
    folder = tmp_path / "post"
    folder.mkdir()
    write(folder, "good.json", application())
    os.mkfifo(folder / "pipe.json")
    (folder / "loop.json").symlink_to(folder / "loop.json")
    (folder / "back").symlink_to(folder)                  # a folder link back to itself
    results = json.loads(ctkit("validate", str(folder), "--format", "json").stdout)
    by_name = {Path(r["file"]).name: r for r in results}
    assert by_name["good.json"]["decision"] == "threshold_met"
    assert "not a regular file" in by_name["pipe.json"]["errors"][0]["message"]
    assert "leads nowhere" in by_name["loop.json"]["errors"][0]["message"]


def test_spreadsheet_cells_never_start_a_formula():
    assert [spreadsheet_cell(v) for v in ("=1+1", "+A1", "-2", "@SUM", "plain", 3)] == \
        ["'=1+1", "'+A1", "'-2", "'@SUM", "plain", 3]
    assert csv_text(["a"], [["=HYPERLINK(\"x\")"]]).splitlines()[1].startswith("\"'=")
    assert shown("a\x1bb\ud800" + "x" * 100, 10) == "a\\x1bb\ufffdxxx…"


def test_the_published_figures_escape_a_council_name_that_looks_like_a_formula(tmp_root, ctkit):
    council = tmp_root / "guidance" / "councils" / "erewash.yml"
    council.write_text(council.read_text(encoding="utf-8").replace("name: Erewash Borough Council",
                                                                   'name: "=cmd|\' /C calc\'!A0"'), encoding="utf-8")
    run = ctkit("stats", str(ROOT / "tests" / "data" / "registers" / "erewash.csv"), "--year", "2025-26",
                "--format", "csv", root=tmp_root)
    assert run.returncode == 0, run.stderr
    assert "'=cmd" in run.stdout and ",=cmd" not in run.stdout


def test_a_page_carrying_script_is_refused_with_its_line(tmp_root, ctkit):
    page = tmp_root / "guidance" / "public" / "support.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines += ["", "<script>alert(1)</script>", "[Click](javascript:alert(1))", '<img src="x" onerror="alert(1)">']
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    for n, words in ((len(lines) - 2, "<script>"), (len(lines) - 1, "'javascript:'"), (len(lines), "event attribute")):
        assert f"guidance/public/support.md:{n}: this line has" in run.stdout and words in run.stdout


# -- done when: every hostile file in one folder, with one valid application --------------------

def test_a_folder_of_every_hostile_file_still_judges_the_valid_one(tmp_path, ctkit, filled):
    from test_judge_cli import _bad_files
    folder = tmp_path / "post"
    folder.mkdir()
    made = _bad_files(folder)
    data = application()
    data.update({f"k{i}": 1 for i in range(10_000)})
    write(folder, "keys.json", data)
    write(folder, "twice.json", '{"form": "application", "basis": "victim", "basis": "on_behalf"}')
    write(folder, "surrogate.json", json.dumps(application(form_version="\ud800")))
    write(folder, os.fsdecode(b"\xff\xfe.json"), json.dumps(application()))
    (folder / "appended.pdf").write_bytes(filled + os.urandom(3000))
    os.mkfifo(folder / "pipe.json")
    write(folder, "valid.json", application())
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
              if p.is_file() and not p.name.startswith(("huge", "pipe"))}
    began = time.monotonic()
    run = ctkit("validate", str(folder), "--format", "json")
    seconds = time.monotonic() - began
    results = {Path(r["file"]).name: r for r in json.loads(run.stdout)}
    assert results["valid.json"]["decision"] == "threshold_met"
    for name in list(made) + ["twice.json", "pipe.json"]:
        [error] = results[name]["errors"]
        assert results[name]["decision"] == "unreadable" and error["message"].endswith(".") and "\n" not in \
            error["message"], name
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
             if p.is_file() and not p.name.startswith(("huge", "pipe"))}
    assert after == before
    assert seconds < 60, f"the hostile folder took {seconds:.0f} s"


# -- the site prints names from the councils' files as text ------------------------------------

class _Elements(HTMLParser):
    """Every element the browser would build, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.slow
def test_a_council_name_carrying_html_is_shown_as_text_on_every_page(tmp_root, ctkit, tmp_path):
    council = tmp_root / "guidance" / "councils" / "erewash.yml"
    council.write_text(council.read_text(encoding="utf-8").replace(
        "name: Erewash Borough Council", 'name: "Erewash <img src=x onerror=alert(1)> & Co"'), encoding="utf-8")
    run = ctkit("build", "--council", "erewash", "--site-dir", str(tmp_path / "site"), root=tmp_root)
    assert run.returncode == 0, run.stderr
    pages = sorted((tmp_path / "site" / "erewash").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = _Elements()
        parser.feed(text)
        assert [a for _tag, a in parser.found if any(k.startswith("on") for k in a)] == [], page
        assert "&amp;lt;" not in text and "&amp;amp;" not in text, page   # escaped once, never twice
    home = (tmp_path / "site" / "erewash" / "index.html").read_text(encoding="utf-8")
    assert "Published by Erewash &lt;img src=x onerror=alert(1)&gt; &amp; Co." in home


def test_a_page_title_carrying_html_is_refused_with_its_line(tmp_root, ctkit):
    page = tmp_root / "guidance" / "public" / "support.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("title: Help and support", 'title: "Help <img src=y onerror=alert(3)>"', 1),
                    encoding="utf-8")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    assert "guidance/public/support.md:2: the page's title has '<' or '>'" in run.stdout
