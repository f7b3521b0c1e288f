"""Hostile input, round three (issue 26): no script from any content, no stop on a pasted character.

Each payload the issue lists is kept here as a regression test: script through a page, through a
council's file, the site's address, a form label, a version summary and a logo; control characters
pasted into an application; a returned PDF that carries JavaScript; a key written twice.
The whole site, built with every payload at once and opened in Chromium, is in
test_site_hostile_content.py.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import markdown
import pypdf
import pytest

from conftest import without_locks
import yaml
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from casework_helpers import application as case_application, opened
from generator.html_policy import SITE_EXTENSIONS, clean, findings, page_findings
from generator.logo_policy import clean_logo
from generator.project import load_project
from generator.render.fill import fill_form_pdf
from generator.site.assemble import SiteContent, printable_url
from generator.text_safety import typed_text
from test_judge_cli import application, write

ROOT = Path(__file__).resolve().parent.parent

#: Each payload a page may carry, as the issue found them published (the line each is written on is checked).
PAGE_PAYLOADS = {
    "safe filter": '{{ ("<scr" ~ "ipt>alert(1)</scr" ~ "ipt>")|safe }}',
    "autoescape switched off": '{% autoescape false %}{{ "<scr" ~ "ipt>alert(1)</scr" ~ "ipt>" }}{% endautoescape %}',
    "attribute list with onclick": '[link](contacts.md){: onclick="alert(2)" }',
    "attribute list with a toc label": '## Heading {: data-toc-label="<img src=x onerror=alert(2)>" }',
    "reference link": "[click][js]\n\n[js]: javascript:alert(3)",
    "angle link": "<javascript:alert(4)>",
    "entity-encoded scheme": '<a href="&#106;avascript:alert(5)">click</a>',
    "scheme split by a tab": '<a href="java&#x09;script:alert(5)">click</a>',
    "svg animation of a link": '<svg><a><set attributeName="href" to="javascript:alert(6)"/><text y="20">x</text></a></svg>',
    "style block": "<style>body { display: none }</style>",
    "data address": "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)",
    "iframe": '<iframe src="https://example.org/"></iframe>',
    "base": '<base href="https://example.org/">',
    "heading with an image handler": "## Help <img src=x onerror=alert(8)>",
}


def _append(page: Path, text: str) -> int:
    """Append `text` after a blank line; the number of its last line."""
    lines = page.read_text(encoding="utf-8").rstrip("\n").splitlines() + [""] + text.splitlines()
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


@pytest.mark.parametrize("payload", PAGE_PAYLOADS.values(), ids=PAGE_PAYLOADS.keys())
def test_a_page_payload_is_refused_by_check_at_its_line(tmp_root, ctkit, payload):
    page = tmp_root / "guidance" / "public" / "support.md"
    last = _append(page, payload)
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1, run.stdout
    at = {int(n) for n in re.findall(r"guidance/public/support\.md:(\d+): ", run.stdout)}
    assert at and at <= set(range(last - payload.count("\n"), last + 1)), run.stdout


def test_what_the_allow_list_keeps_is_the_whole_of_every_real_page(project, guidance):
    """Every real page passes as it is: the allow-list takes nothing an editor wrote on purpose."""
    from generator.templating import context_for, render_text
    context = context_for(guidance)
    for page in guidance.pages:
        text, problems = render_text(page.body, context, page.path, page.body_line)
        assert problems == [] and page_findings(text) == [], page.path


def test_the_sanitiser_takes_out_every_payload_as_the_site_renders_it():
    for name, payload in PAGE_PAYLOADS.items():
        if "{" in payload and "%" in payload or "|safe" in payload:
            continue   # template payloads: refused before Markdown
        md = markdown.Markdown(extensions=SITE_EXTENSIONS)
        html = clean(md.convert(payload))
        assert not re.search(r"<script|<style|<svg|<iframe|<base|\son\w+=|javascript:|data:", html, re.I), name


def test_findings_name_each_kind_in_words():
    found = findings('<p onclick="x"><a href="vbscript:x">a</a><object></object><meta http-equiv="refresh"></p>')
    assert found == ["an event attribute (onclick=) that would run a script",
                     "a link to a 'vbscript:' address, which pages may not carry (a link starts with https:, mailto: "
                     "or tel:, or names a page of the site)",
                     "a <object> element, which would run a plug-in",
                     "a <meta> element, which would change how the browser treats the page"]


def test_the_check_renders_pages_with_the_sites_own_markdown_extensions():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = config.split("markdown_extensions:", 1)[1]
    names = [m.group(1) for m in re.finditer(r"^  - ([\w.]+)", block, re.M)]
    assert names == SITE_EXTENSIONS


# -- YAML values are text ------------------------------------------------------------------------

def _council(tmp_root: Path, old: str, new: str) -> None:
    path = tmp_root / "guidance" / "councils" / "erewash.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _site_markdown(root: Path, council: str = "erewash") -> dict[str, str]:
    """Every page of the council's site as the Markdown MkDocs is given (no PDFs, no MkDocs build)."""
    guidance = load_project(root).require()
    site = SiteContent(guidance, guidance.council(council), pdfs=False)
    site.render_pages()
    site.generated_files()
    return {path: site.markdown_for(path, text) for path, text in site.rendered.items()}


def test_a_council_name_that_looks_like_a_markdown_link_stays_text_on_every_page(tmp_root):
    _council(tmp_root, "name: Erewash Borough Council", 'name: "Erewash [Borough](javascript:alert(1)) Council"')
    for path, text in _site_markdown(tmp_root).items():
        html = markdown.markdown(text, extensions=SITE_EXTENSIONS)
        assert not re.search(r"<a [^>]*href=\"javascript", html), path
    contacts = markdown.markdown(_site_markdown(tmp_root)["public/contacts.md"], extensions=SITE_EXTENSIONS)
    assert "Erewash &#91;Borough&#93;&#40;javascript:alert&#40;1&#41;&#41; Council" in contacts


@pytest.mark.parametrize("key, old, new", [
    ("web", "web: https://www.erewash.gov.uk\n", 'web: "https://www.erewash.gov.uk/){:onclick=alert(1)}"\n'),
    ("email", "email: null", 'email: "a@b.uk){:onclick=alert(1)}"'),
    ("url", "url: https://www.erewash.gov.uk/community-trigger/",
     'url: "https://www.erewash.gov.uk/ct\\"><svg/onload=alert(1)>/"'),
])
def test_an_address_in_a_council_file_carrying_markup_is_refused_with_its_line(tmp_root, ctkit, key, old, new):
    _council(tmp_root, old, new)
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    assert re.search(rf"guidance/councils/erewash\.yml:\d+: .*{key}.* which is not in the expected form", run.stdout), \
        run.stdout


def test_the_sites_address_is_printed_with_quotes_and_brackets_encoded():
    assert printable_url('https://x.gov.uk/ct"><svg/onload=alert(1)>/') == \
        "https://x.gov.uk/ct%22%3E%3Csvg/onload=alert(1)%3E/"
    assert printable_url("https://x.gov.uk/community-trigger/") == "https://x.gov.uk/community-trigger/"


def test_a_form_label_that_looks_like_a_markdown_link_stays_text(tmp_root):
    form = without_locks(tmp_root) / "forms" / "application.yml"
    text = form.read_text(encoding="utf-8")
    assert "hint: If you were given one." in text
    form.write_text(text.replace("hint: If you were given one.", 'hint: "See [here](javascript:alert(1))"'),
                    encoding="utf-8")
    pages = _site_markdown(tmp_root)
    page = markdown.markdown(pages["public/form-application.md"], extensions=SITE_EXTENSIONS)
    assert "See &#91;here&#93;" in page and 'href="javascript' not in page


def test_a_version_summary_that_looks_like_a_markdown_link_stays_text(tmp_root, ctkit):
    run = ctkit("version", "new", "2.2", "--summary", "Fixes [typo](javascript:alert(1)) and *more*", root=tmp_root)
    assert run.returncode == 0, run.stderr
    guidance = load_project(tmp_root).require()
    site = SiteContent(guidance, guidance.council("erewash"), drafts=True, pdfs=False)
    assert site.render_pages() == []
    html = markdown.markdown(site.rendered["practitioner/change-history.md"], extensions=SITE_EXTENSIONS)
    assert "Fixes &#91;typo&#93;" in html and 'href="javascript' not in html and "<em>more" not in html


def test_a_page_title_and_description_are_printed_escaped_by_the_theme():
    from generator.site.assemble import printable_meta
    meta = printable_meta({"title": "Fish & chips", "description": 'He said "x" onmouseover=alert(1)',
                           "nav_order": 3, "generated": "Contact your council&#39;s team"})
    assert meta == {"title": "Fish &amp; chips", "description": "He said &#34;x&#34; onmouseover=alert(1)",
                    "nav_order": 3, "generated": "Contact your council&#39;s team"}


# -- logos -----------------------------------------------------------------------------------------

HOSTILE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               b'viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>'
               b'<rect width="10" height="10" fill="#005a5b" onclick="alert(3)"/>'
               b'<a href="javascript:alert(4)"><text y="8">E</text></a>'
               b'<image href="https://example.org/track.png"/><use xlink:href="https://example.org/x.svg#a"/>'
               b'<set attributeName="href" to="javascript:alert(5)"/>'
               b'<rect style="fill: url(https://example.org/)" width="1" height="1"/></svg>')


def test_an_svg_logo_is_served_as_shapes_and_text_only():
    logo = clean_logo("logo.svg", HOSTILE_SVG)
    assert logo.refused is None and logo.data is not None
    served = logo.data.decode("utf-8")
    assert not re.search(r"script|onload|onclick|javascript|example\.org|<image|<set|<a\b", served), served
    assert '<rect width="10" height="10" fill="#005a5b"' in served
    assert "a <script> element" in logo.left_out and "an event attribute (onload=)" in logo.left_out


@pytest.mark.parametrize("name, data, why", [
    ("logo.png", b"GIF89a....", "is not a PNG image"),
    ("logo.gif", b"GIF89a....", "neither PNG nor SVG"),
    ("logo.svg", b"<svg", "not a well-formed SVG"),
    ("logo.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "entities"),
    ("logo.svg", b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', "not an SVG"),
])
def test_a_logo_that_is_neither_png_nor_svg_is_refused_with_the_reason(name, data, why):
    logo = clean_logo(name, data)
    assert logo.data is None and why in logo.refused


def test_check_says_what_the_site_leaves_out_of_a_logo(tmp_root, ctkit):
    (tmp_root / "guidance" / "councils" / "logos" / "erewash.svg").write_bytes(HOSTILE_SVG)
    run = ctkit("check", root=tmp_root)
    line = re.search(r"guidance/councils/erewash\.yml:\d+: warning: the logo file guidance/councils/logos/erewash\.svg "
                     r"carries (.*)", run.stdout)
    assert line and "a <script> element" in line.group(1) and "an event attribute (onload=)" in line.group(1)
    guidance = load_project(tmp_root).require()
    site = SiteContent(guidance, guidance.council("erewash"), pdfs=False)
    served = site.identity.logo_data.decode("utf-8")
    assert "script" not in served and "onload" not in served


def test_a_png_logo_that_is_not_a_png_is_refused_by_check(tmp_root, ctkit):
    (tmp_root / "guidance" / "councils" / "logos" / "erewash.png").write_bytes(b"<svg onload=alert(1)>")
    _council(tmp_root, "file: logos/erewash.svg", "file: logos/erewash.png")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    assert re.search(r"guidance/councils/erewash\.yml:\d+: the logo file guidance/councils/logos/erewash\.png is "
                     r"named \.png but is not a PNG image", run.stdout), run.stdout


# -- control characters --------------------------------------------------------------------------

PASTED = "Pat\u000bExample\u0000\u0007 Sm\u0065\u0301th\ufffe\u0085x\u001b[31m"


def test_typed_text_is_normalised_once_at_reading():
    assert typed_text(PASTED) == "Pat\nExample Sm\u00e9th\nx[31m"
    assert typed_text("tab\tand\r\nbreaks") == "tab\tand\r\nbreaks"
    assert typed_text("\ud800x\U0001fffe\ufdd0") == "\ufffdx"


@pytest.mark.parametrize("kind", ["acknowledgement", "threshold_met"])
def test_a_pasted_control_character_in_a_name_does_not_stop_the_letter(tmp_path, ctkit, kind):
    data = case_application(applicant={**case_application()["applicant"], "name": "Pat\u000bEx\u0000am\u0007ple\ufffe"})
    ref, app, register = opened(ctkit, tmp_path, data)
    if kind == "threshold_met":   # acknowledged first: the step order is enforced (issue 23)
        assert ctkit("case", "acknowledge", ref, "--register", str(register), "--on", "2026-11-03").returncode == 0
        assert ctkit("case", "decide", ref, "--register", str(register), "--on", "2026-11-03", "--met").returncode == 0
    out = tmp_path / f"{kind}.pdf"
    run = ctkit("case", "letter", ref, kind, "--register", str(register), "--application", str(app),
                "--signed-by", "Sam Officer, Officer", "--on", "2026-11-04", "-o", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    assert out.exists() and out.with_suffix(".docx").exists()
    words = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(out).pages).split())
    assert "Pat Example" in words


def test_a_batch_with_pasted_control_characters_records_every_case_with_its_letter(tmp_path, ctkit):
    folder = tmp_path / "post"
    folder.mkdir()
    for i, name in enumerate(["Pat\u000bOne", "Pat\u0000Two", "Pat Three"]):
        data = case_application(applicant={**case_application()["applicant"], "name": name},
                                received_on=f"2026-11-0{i + 2}")
        (folder / f"{i}.json").write_text(json.dumps(data), encoding="utf-8")
    register = tmp_path / "erewash.csv"
    run = ctkit("validate", str(folder), "--council", "erewash", "--record", str(register), "--letter",
                "acknowledgement", "--letters-dir", str(tmp_path / "letters"), "--signed-by", "Sam Officer, Officer")
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(register.read_text(encoding="utf-8").splitlines()) == 4
    assert len(list((tmp_path / "letters").rglob("*.docx"))) == 3


# -- returned PDFs with script -------------------------------------------------------------------

@pytest.fixture(scope="module")
def filled(guidance) -> bytes:
    return fill_form_pdf(guidance.forms["application"], application(), guidance, None)


def _js(code: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)})


def _open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_js("app.alert(1)"))


def _document_script(writer):
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"),
                                                                 writer._add_object(_js("app.alert(2)"))])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(names)})


def _format_action(writer):
    for ref in writer._root_object["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/T") == "declaration:signed_on":
            field[NameObject("/AA")] = DictionaryObject({NameObject("/F"): _js('event.value = "01/01/2020";')})
            return
    raise AssertionError("no field declaration:signed_on")


@pytest.mark.parametrize("change, words", [
    (_open_action, "a script that runs when it is opened (/OpenAction)"),
    (_document_script, "document-level scripts (/Names /JavaScript)"),
    (_format_action, "format actions on the field “declaration:signed_on”"),
])
def test_a_returned_pdf_carrying_javascript_gets_a_warning_naming_it(filled, tmp_path, ctkit, change, words):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(filled)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "scripted.pdf"
    path.write_bytes(out.getvalue())
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert r["decision"] == "threshold_met"
    [warning] = [w for w in r["warnings"] if "JavaScript" in w]
    assert words in warning and "may show other values than the ones judged" in warning


def test_a_pdf_without_script_gets_no_javascript_warning(filled, tmp_path, ctkit):
    path = tmp_path / "plain.pdf"
    path.write_bytes(filled)
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert not any("JavaScript" in w for w in r["warnings"])


# -- a key written twice ---------------------------------------------------------------------------

def test_a_key_written_twice_in_a_yaml_application_is_named_with_its_lines(tmp_path, ctkit):
    text = yaml.safe_dump(application(), sort_keys=False)
    text = text.replace("basis: victim\n", "basis: victim\nhate_incident: false\nbasis: partner_agency\n", 1)
    text = text.replace("hate_incident: false\n", "", 1) if text.count("hate_incident: false") > 1 else text
    path = write(tmp_path, "twice.yaml", text)
    lines = text.splitlines()
    first = lines.index("basis: victim") + 1
    second = lines.index("basis: partner_agency") + 1
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert r["decision"] == "unreadable"
    assert f"the answer 'basis' is given twice (on lines {first} and {second})" in r["errors"][0]["message"]
    assert "partner_agency" not in json.dumps(r)


def test_a_key_from_the_file_that_is_not_a_form_name_is_not_repeated_back(tmp_path, ctkit):
    path = write(tmp_path, "twice.yaml", "form: application\nPat Example: 1\nPat Example: 2\n")
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert "Pat" not in json.dumps(r) and "given twice (on line 3)" in r["errors"][0]["message"]
