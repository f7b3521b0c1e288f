"""Apply online, without a browser: the page follows the form model, and its scripts fill the real PDF.

The page is rendered in-process from the real sources (and from a copy with a question
reworded). The browser's own scripts (apply-data.js, apply-pdf.js) run in Node with the pinned
pdf-lib and fontkit, fill the council's application PDF exactly as the page does, and
`ctkit validate` judges that PDF and the saved answers file alike. The browser tests
(test_site_apply_browser.py) drive the same page in Chromium.
"""
from __future__ import annotations

import io
import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest

from conftest import drawn_form, need_tool, run_ctkit, without_locks
from pdf_reading import missing_words, page_count, tagging_problems, text_of, visible_sizes
from generator.errors import Stop
from generator.project import load_project
from generator.site import apply_page, browser_libraries
from generator.templating import context_for

ROOT = Path(__file__).resolve().parent.parent
#: The browser libraries as npm installs them (pinned in package.json; the kit ships the same files in
#: generator/site/vendor/, tests/test_kit_package.py): the online form's scripts run on them under Node here.
NODE_MODULES = ROOT / "node_modules"
ASSETS = ROOT / "generator" / "site" / "theme" / "assets" / "ctkit"
NAME = "Zoë Łukasik – O’Brien Şahin"


class _Inputs(HTMLParser):
    """Every form control's name and type, and each template's HTML kept apart."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[tuple[str, str]] = []
        self.ids: list[str] = []
        self.in_template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if "id" in a:
            self.ids.append(a["id"])
        if tag in ("input", "textarea") and a.get("name"):
            self.names.append((a["name"], a.get("type", tag)))

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1


def page_for(guidance, council_id: str = "erewash") -> str:
    council = guidance.council(council_id)
    return apply_page.render_apply_page(guidance.forms["application"], context_for(guidance, council), None)


def model_of(page: str) -> dict:
    start = page.index('<script type="application/json" id="ct-apply-model">') + len(
        '<script type="application/json" id="ct-apply-model">')
    return json.loads(page[start:page.index("</script>", start)])


def expected_names(form) -> set[str]:
    """The PDF's field names, as the page must name its inputs (dates as three boxes, rows as __N__)."""
    out = set()
    for f in form.fields():
        name = f.name
        if f.repeat is not None:
            if f.row != 0:
                continue
            name = name.replace(f"{f.repeat.key}:1:", f"{f.repeat.key}:__N__:", 1)
        if f.question.type == "date":
            out |= {f"{name}-day", f"{name}-month", f"{name}-year"}
        else:
            out.add(name)
    return out


def office_names(form) -> set[str]:
    office = [s for s in form.sections if s.office_use]
    return {"_".join(q.path) for s in office for q in s.questions if q.is_field}


def test_every_answer_on_the_page_is_named_as_its_pdf_field_and_the_office_section_is_left_out(guidance):
    form = guidance.forms["application"]
    parsed = _Inputs()
    parsed.feed(page_for(guidance))
    names = {n for n, _t in parsed.names} - {""}
    office = {f"{n}{part}" for n in office_names(form) for part in ("", "-day", "-month", "-year")}
    assert office and not names & office, "the office-use section must not be on the page"
    assert names == expected_names(form) - office
    assert ("basis", "radio") in parsed.names and ("asb_types:noise", "checkbox") in parsed.names
    assert ("incidents:__N__:reported_to", "text") in parsed.names
    assert ("incidents:__N__:occurred_on-day", "text") in parsed.names
    assert len(parsed.ids) == len(set(parsed.ids)), "ids on the page must be unique"
    radios = {v for n, v in _radio_values(page_for(guidance)) if n == "basis"}
    assert radios == {"victim", "on_behalf", "partner_agency"}


def _radio_values(page: str) -> list[tuple[str, str]]:
    found = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("type") == "radio":
                found.append((a["name"], a["value"]))
    P().feed(page)
    return found


def test_each_step_is_a_section_of_the_form_and_asks_its_conditional_questions_only_when_they_apply(guidance):
    form = guidance.forms["application"]
    model = model_of(page_for(guidance))
    assert [s["id"] for s in model["steps"]] == [s.id for s in form.sections if not s.office_use]
    fields = {f["name"]: f for s in model["steps"] for f in s["fields"]}
    assert fields["applicant:organisation"]["shown_when"] == {"question": ["basis"], "in": ["partner_agency"]}
    assert fields["consent_to_act"]["shown_when"]["in"] == ["on_behalf", "partner_agency"]
    assert fields["applicant:name"]["shown_when"] is None and fields["applicant:name"]["required"]
    affected = next(s for s in model["steps"] if s["id"] == "person_affected")
    assert affected["when"] == {"question": ["basis"], "in": ["on_behalf", "partner_agency"]}
    repeat = next(s["repeat"] for s in model["steps"] if s["repeat"])
    assert repeat["max"] == next(form.repeats()).capacity and repeat["min"] >= 1
    assert model["rules"][0]["one_of"] == ["applicant:phone", "applicant:email"]


def test_error_messages_say_how_to_fix_the_answer_in_the_forms_own_words(guidance):
    model = model_of(page_for(guidance))
    fields = {f["name"]: f for s in model["steps"] for f in s["fields"]}
    fields.update({f["name"]: f for s in model["steps"] if s["repeat"] for f in s["repeat"]["fields"]})
    assert fields["applicant:name"]["messages"]["missing"] == "Enter your full name"
    assert fields["incidents:{n}:occurred_on"]["messages"]["missing"] == "Enter the date incident {n} happened"
    assert "must be a real date, for example" in fields["incidents:{n}:reported_on"]["messages"]["real"]
    assert fields["applicant:postcode"]["messages"]["format"].endswith(guidance.council("erewash").spoc.postcode)
    assert fields["basis"]["messages"]["missing"].startswith("Select an answer to “Who")
    for f in fields.values():
        assert all(m and not m.startswith("Enter  ") for m in f["messages"].values())


def test_a_question_reworded_in_forms_yml_is_reworded_on_the_page(tmp_root):
    without_locks(tmp_root)
    path = tmp_root / "forms" / "application.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('label: "Your full name"', 'label: "Your name in full"', 1), encoding="utf-8")
    guidance = load_project(tmp_root).require()
    page = page_for(guidance)
    assert "Your name in full" in page and "Your full name" not in page
    assert "Enter your name in full" in page


def test_the_lead_councils_site_lists_every_councils_team_to_send_the_form_to(guidance):
    page = page_for(guidance, guidance.lead.id)
    for council in guidance.spoc_councils:
        assert f"<summary>{council.name}</summary>" in page.replace("&#39;", "'")
        assert council.spoc.postcode in page


def test_where_to_send_it_shows_the_spocs_address_and_says_when_it_is_not_confirmed(guidance):
    council = guidance.council("erewash")
    page = page_for(guidance)
    send = page[page.index('id="ct-apply-send"'):]
    assert council.spoc.postcode in send and council.spoc.phone in send
    assert all(line in send for line in council.spoc.address)
    assert ("Not confirmed yet" in send) == (not council.spoc.verified)


def test_the_site_carries_the_pinned_pdf_libraries_and_the_font_with_their_licences():
    files = browser_libraries.vendor_files()
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    readme = files[f"{browser_libraries.VENDOR}/README.txt"].decode()
    for package, version in pinned.items():
        assert f"{package} {version}" in readme
    names = {Path(p).name for p in files}
    assert {"pdf-lib.min.js", "fontkit.umd.min.js", "DejaVuSans.ttf", "LICENSE-DejaVu.txt",
            "pdf-lib-LICENSE.txt", "fontkit-LICENSE.txt"} <= names
    assert files[f"{browser_libraries.VENDOR}/DejaVuSans.ttf"] == (ROOT / "generator/render/fonts/DejaVuSans.ttf").read_bytes()
    assert b"MIT" in files[f"{browser_libraries.VENDOR}/fontkit-LICENSE.txt"]
    assert not any(p.endswith(".md") for p in files), "a .md file would become a page of the site"


# -- the browser's scripts in Node ----------------------------------------------------------------

NODE_DRIVER = r"""
const fs = require("fs"), path = require("path");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
globalThis.PDFLib = require(path.join(job.modules, "pdf-lib"));
const fontkit = require(path.join(job.modules, "@pdf-lib/fontkit"));
require(job.assets + "/apply-data.js");
require(job.assets + "/apply-pdf.js");
const D = globalThis.ctApplyData, pdf = fs.readFileSync(job.pdf), font = fs.readFileSync(job.font);
(async () => {
  const done = {};
  for (const [key, data] of Object.entries(job.cases)) {
    const filled = await globalThis.ctApplyPdf.fill(PDFLib, fontkit, pdf, font, D.pdfValues(job.model, data),
      { layout: job.model.pdf, labels: D.pdfLabels(job.model, data) });
    fs.writeFileSync(path.join(job.out, key + ".pdf"), filled.bytes);
    done[key] = { problems: D.allProblems(job.model, data, job.today), canonical: D.canonical(job.model, data),
                  missing: filled.missing };
  }
  process.stdout.write(JSON.stringify(done));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
"""
BASES = ("victim", "on_behalf", "partner_agency")


def answers(basis: str, name: str = "Alex Example") -> dict:
    """What a resident types, as the page stores it (the canonical shape), for one basis."""
    data = {"basis": basis,
            "applicant": {"name": name, "address": "1 High Street\nIlkeston", "postcode": "DE7 5RP",
                          "phone": "0115 907 2244", "preferred_contact": "phone"},
            "vulnerabilities": "", "asb_types": ["noise", "harassment"], "hate_incident": False,
            "incidents": [
                {"occurred_on": "2026-01-10", "occurred_at": "21:30", "reported_on": "2026-01-11",
                 "reported_to": "Derbyshire Constabulary", "reference": "DC-1234", "description": "Loud music until 3am"},
                {"occurred_on": "2026-01-20", "reported_on": "2026-02-05", "reported_to": "The council",
                 "description": "Shouting in the street"},
                {"occurred_on": "2026-02-01", "occurred_at": "23:00", "reported_on": "2026-02-02",
                 "reported_to": "Landlord", "description": "Door kicked"}],
            "impact": "I cannot sleep.", "desired_outcome": "For it to stop.",
            "sharing_limits": "Please do not contact my neighbour at number 3.",
            "declaration": {"signed_name": name, "signed_on": "2026-02-20"}}
    if basis != "victim":
        data["person_affected"] = {"name": "Sam Example", "address": "2 High Street", "postcode": "DE7 5RP"}
        data["consent_to_act"] = True
    if basis == "partner_agency":
        data["applicant"].update(organisation="Ilkeston Housing", role="Tenancy officer")
    return data


#: What happened, in 2,000 characters of different words; a four-line address; a 40-character name.
LONG_STORY = " ".join(f"word{i}" for i in range(400))[:2000].rsplit(" ", 1)[0]
FOUR_LINES = "Flat 3, Rose Court\n12 Bath Street\nCotmanhay\nIlkeston"
NAME_40 = "Zoë Łukasik-Ó’Briain Şahin-Müller Đorđević"


def long_answers() -> dict:
    data = answers("victim", NAME_40)
    data["applicant"]["address"] = FOUR_LINES
    data["incidents"] = [dict(data["incidents"][i % 3]) for i in range(6)]
    data["incidents"][0]["description"] = LONG_STORY
    return data


@pytest.fixture(scope="module")
def filled(guidance, tmp_path_factory) -> tuple[Path, dict]:
    """Each basis's answers, and the non-Latin name's, filled into the council's PDF by the page's own scripts."""
    node = need_tool("node", "the online form's scripts")
    if not (NODE_MODULES / "pdf-lib").is_dir():
        pytest.fail("node_modules/ is missing: run 'make node_modules/.installed-stamp' (npm ci)")
    folder = tmp_path_factory.mktemp("apply-node")
    blank = folder / "blank.pdf"
    blank.write_bytes(drawn_form(guidance, "application", guidance.council("erewash")))
    cases = {basis: answers(basis) for basis in BASES} | {"any_alphabet": answers("victim", NAME), "long": long_answers()}
    job = {"modules": str(NODE_MODULES), "assets": str(ASSETS), "model": model_of(page_for(guidance)),
           "cases": cases, "today": "2026-03-02", "pdf": str(blank), "out": str(folder),
           "font": str(ROOT / "generator/render/fonts/DejaVuSans.ttf")}
    run = subprocess.run([node, "-e", NODE_DRIVER], input=json.dumps(job), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return folder, json.loads(run.stdout)


def summary(report: dict) -> dict:
    """What the SPOC's decision rests on, without the file's name."""
    return {k: report.get(k) for k in ("decision", "qualifying_incidents", "qualifying_complaints", "route",
                                       "guidance_version")} | {
        "incidents": [(i["qualifies"], i["reasons"]) for i in report["incidents"]],
        "errors": sorted((e["field"], e["blocks_decision"]) for e in report["errors"])}


@pytest.fixture(scope="module")
def verdicts(filled) -> dict[str, dict]:
    """`ctkit validate` on every filled PDF and every saved answers file, in one run."""
    folder, done = filled
    for key, case in done.items():
        (folder / f"{key}.json").write_text(json.dumps(case["canonical"]), encoding="utf-8")
    files = [folder / f"{key}.{kind}" for key in done for kind in ("pdf", "json")]
    result = run_ctkit("validate", *map(str, files), "--received", "2026-03-02", "--format", "json")
    assert result.returncode == 0, result.stderr
    return {Path(r["file"]).name: summary(r) for r in json.loads(result.stdout)}


@pytest.mark.parametrize("basis", BASES)
def test_the_pdf_filled_by_the_pages_script_is_judged_as_the_saved_answers_are(basis, filled, verdicts):
    _folder, done = filled
    assert done[basis]["problems"] == [] and done[basis]["missing"] == []
    assert verdicts[f"{basis}.pdf"] == verdicts[f"{basis}.json"]
    assert verdicts[f"{basis}.json"]["decision"] == "threshold_met"
    assert verdicts[f"{basis}.json"]["qualifying_incidents"] == 3
    if basis == "victim":
        assert "person_affected" not in done[basis]["canonical"] and "consent_to_act" not in done[basis]["canonical"]
    else:
        assert done[basis]["canonical"]["consent_to_act"] is True


def test_a_name_in_any_alphabet_goes_into_the_pdf_whole_and_reads_back(filled, verdicts):
    folder, _done = filled
    reader = pypdf.PdfReader(str(folder / "any_alphabet.pdf"))
    fields = reader.get_fields()
    assert fields["applicant:name"]["/V"] == NAME
    assert fields["incidents:1:occurred_on"]["/V"] == "10/01/2026"   # day/month/year, as on paper
    assert "ctkit-form:application" in reader.metadata["/Keywords"]
    assert any("DejaVuSans" in font for font in _appearance_fonts(reader)), "the name is drawn in DejaVu Sans"
    assert verdicts["any_alphabet.pdf"] == verdicts["any_alphabet.json"]


def test_the_online_pdf_leaves_out_the_pages_of_incident_rows_nobody_answered(filled, guidance, tmp_path):
    folder, _done = filled
    blank = folder / "blank.pdf"
    fields = pypdf.PdfReader(str(folder / "victim.pdf")).get_fields()
    assert "incidents:3:description" in fields and "incidents:5:description" not in fields   # three answered
    assert page_count(folder / "victim.pdf") < page_count(blank)
    text = text_of(need_tool("pdftotext", "reading a PDF"), folder / "victim.pdf")
    assert "Continuation sheet" not in text and "Incident 10" not in text
    total = page_count(folder / "victim.pdf")
    assert f"Page {total} of {total}" in text and f"of {page_count(blank)}" not in text
    assert tagging_problems(folder / "victim.pdf") == []


def test_the_online_pdf_shows_every_answer_whole_at_9_pt_or_more_continuing_on_a_page_it_adds(filled):
    folder, done = filled
    assert done["long"]["problems"] == []
    pdf = folder / "long.pdf"
    text = text_of(need_tool("pdftotext", "reading a PDF"), pdf)
    assert min(visible_sizes(pdf)) >= 9
    for answer in (LONG_STORY, FOUR_LINES, NAME_40):
        assert missing_words(answer, text) == []
    words = " ".join(text.split())
    assert "Answers continued" in words and "Continued from “What happened in incident 1” on page" in words
    assert "Incident 6" in words and "Incident 7" not in words
    assert tagging_problems(pdf) == []
    assert pypdf.PdfReader(str(pdf)).get_fields()["incidents:1:description"]["/V"] == LONG_STORY


WIDTH_COUNTER = r"""
const fs = require("fs"), path = require("path");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const lib = require(path.join(job.modules, "pdf-lib")), fontkit = require(path.join(job.modules, "@pdf-lib/fontkit"));
globalThis.PDFLib = lib;
require(job.assets + "/apply-pdf.js");
let calls = 0;
const measure = lib.PDFFont.prototype.widthOfTextAtSize;
lib.PDFFont.prototype.widthOfTextAtSize = function () { calls += 1; return measure.apply(this, arguments); };
const pdf = fs.readFileSync(job.pdf), font = fs.readFileSync(job.font);
(async () => {
  const out = {};
  for (const n of job.lengths) {
    const story = Array.from({ length: n }, (_, i) => "w" + i).join(" ");
    calls = 0;
    await globalThis.ctApplyPdf.fill(lib, fontkit, pdf, font, { "incidents:1:description": story },
      { layout: job.layout, labels: {} });
    out[n] = calls;
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
"""


def test_the_online_filler_measures_each_word_once_so_a_long_answer_is_not_a_freeze(filled, guidance):
    """pdf-lib's own multi-line layout measures the text again and again (a 500-word answer took 32 s);
    the kit's filler measures each word once per size, so the work grows with the answer, no faster.
    The time itself is measured in benchmarks/bench_apply_fill.py."""
    folder, _done = filled
    job = {"modules": str(NODE_MODULES), "assets": str(ASSETS), "pdf": str(folder / "blank.pdf"),
           "font": str(ROOT / "generator/render/fonts/DejaVuSans.ttf"), "layout": model_of(page_for(guidance))["pdf"],
           "lengths": [100, 400]}
    run = subprocess.run([need_tool("node", "the online form's scripts"), "-e", WIDTH_COUNTER], input=json.dumps(job),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    calls = {int(k): v for k, v in json.loads(run.stdout).items()}
    assert calls[400] <= 4.5 * calls[100], calls   # four times the words: about four times the measuring


def _appearance_fonts(reader: pypdf.PdfReader) -> list[str]:
    """The fonts the filled name field's drawn appearance uses."""
    for annot in (a.get_object() for p in reader.pages for a in p.get("/Annots", []) or []):
        if annot.get("/T") == "applicant:name":
            resources = annot["/AP"]["/N"].get_object()["/Resources"]
            return [str(f.get_object()["/BaseFont"]) for f in resources["/Font"].values()]
    return []


def test_the_page_follows_the_form_when_a_question_is_replaced_or_made_required(tmp_root):
    """The application form changes (a free-text question becomes a tick box that must be ticked; an
    optional answer becomes required): the page asks what the form asks, with no change to its code."""
    without_locks(tmp_root)
    path = tmp_root / "forms" / "application.yml"
    text = path.read_text(encoding="utf-8")
    question = text[text.index("      - id: sharing_limits"):text.index("      - id: signed_name")]
    text = text.replace(question, "      - id: agreed_to_share\n        type: checkbox\n"
                                  "        label: I agree that the agencies may share what they know\n"
                                  "        must_be_true: true\n")
    text = text.replace("          name: Reference number for incident {n}\n",
                        "          name: Reference number for incident {n}\n          required: true\n", 1)
    path.write_text(text, encoding="utf-8")
    project = load_project(tmp_root)
    assert not project.errors, project.errors
    page = page_for(project.require())
    parsed = _Inputs()
    parsed.feed(page)
    names = {n for n, _t in parsed.names}
    assert "agreed_to_share" in names and "sharing_limits" not in names
    model = model_of(page)
    fields = {f["name"]: f for s in model["steps"] for f in s["fields"]}
    assert fields["agreed_to_share"]["required"] is True
    rows = next(s["repeat"] for s in model["steps"] if s["repeat"])["fields"]
    assert next(f for f in rows if f["name"] == "incidents:{n}:reference")["required"] is True
    assert "Reference number</label>" in page     # no "(optional)" beside it any more


def test_a_questions_own_error_words_are_used_and_say_which_incident(guidance):
    model = model_of(page_for(guidance))
    rows = {f["name"]: f for s in model["steps"] if s["repeat"] for f in s["repeat"]["fields"]}
    question = next(q for q in next(guidance.forms["application"].repeats()).questions if q.id == "reported_to")
    if not question.error:
        pytest.skip("SKIPPED LOUDLY: the form gives 'reported_to' no error words of its own any more")
    message = rows["incidents:{n}:reported_to"]["messages"]["missing"]
    assert message.startswith("Incident {n}: ")
    assert " ".join(question.error.split())[1:] in message


def test_a_build_without_the_pdf_libraries_says_in_one_sentence_how_to_get_them(tmp_path):
    with pytest.raises(Stop) as stopped:
        browser_libraries.vendor_files(tmp_path / "vendor")
    sentences = [str(p) for p in stopped.value.problems]
    assert len(sentences) == len(browser_libraries.LIBRARIES)
    assert all("install the kit again" in s and "is missing from the kit's files" in s for s in sentences), sentences


def test_words_written_for_paper_stay_on_paper(guidance):
    """`{% if not online %}` in a form's text: the PDF keeps its continuation sheet and section numbers,
    the online form (which adds rows itself and has steps, not sections) does not mention them."""
    page = page_for(guidance)
    assert "continuation sheet" not in page and "section 3" not in page
    assert "theirs in the next step" in " ".join(page.split())
    pdf = pypdf.PdfReader(io.BytesIO(drawn_form(guidance, "application", guidance.councils["erewash"])))
    words = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "continuation sheet" in words and "theirs in section 3" in words
