"""Criteria no Derbyshire version has yet, tried in a temporary copy through the real `ctkit validate`,
and `ctkit check` refusing criteria stricter than the Act."""
from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from site_serving import Hosts, axe_context, axe_violations, guard
from test_judge_cli import application, write
from conftest import without_locks

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _set_2_0(tmp_root: Path, old: str, new: str) -> None:
    """Change version 2.0's criteria in a copy without locks (a route 2.0 never had is not approved text)."""
    criteria = without_locks(tmp_root) / "guidance" / "criteria.yml"
    head, v2 = criteria.read_text(encoding="utf-8").split('"2.0":')
    assert old in v2
    criteria.write_text(head + '"2.0":' + v2.replace(old, new, 1), encoding="utf-8")


def _one_hate_report() -> dict:
    data = application(hate_incident=True)
    data["incidents"] = data["incidents"][:1]
    return data


def test_a_hate_route_in_criteria_yml_is_honoured(tmp_root, tmp_path, ctkit):
    without_locks(tmp_root)
    path = write(tmp_path, "hate.json", _one_hate_report())
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert (r["decision"], r["route"]) == ("threshold_not_met", None)      # Derbyshire 2.0 has no such route
    _set_2_0(tmp_root, "    timescales:", "    hate_route: {incidents: 1, months: 6}\n    timescales:")
    assert ctkit("check", "-q", root=tmp_root).returncode == 0
    [r] = json.loads(ctkit("validate", str(path), "--format", "json", root=tmp_root).stdout)
    assert (r["decision"], r["route"]) == ("threshold_met", "hate")
    assert any(c["id"] == "hate_route" and c["flagged"] for c in r["spoc_checks"])
    data = _one_hate_report()
    data["hate_incident"] = False
    [r] = json.loads(ctkit("validate", str(write(tmp_path, "plain.json", data)), "--format", "json",
                           root=tmp_root).stdout)
    assert (r["decision"], r["route"]) == ("threshold_not_met", None)


def test_a_hate_route_letter_says_the_route_that_was_met_not_a_count_short_of_the_threshold(tmp_root, tmp_path, ctkit):
    _set_2_0(tmp_root, "    timescales:", "    hate_route: {incidents: 1, months: 6}\n    timescales:")
    app, reg = write(tmp_path, "hate.json", _one_hate_report()), tmp_path / "erewash.csv"
    run = ctkit("case", "open", str(app), "--council", "erewash", "--register", str(reg), root=tmp_root)
    assert run.returncode == 0, run.stderr
    ref = run.stdout.strip()
    assert ctkit("case", "acknowledge", ref, "--register", str(reg), "--on", "2026-03-03", root=tmp_root).returncode == 0
    assert ctkit("case", "decide", ref, "--register", str(reg), "--on", "2026-03-05", "--met",
                 root=tmp_root).returncode == 0
    out = tmp_path / "met.pdf"
    run = ctkit("case", "letter", ref, "threshold_met", "--register", str(reg), "--application", str(app),
                "-o", str(out), root=tmp_root)
    assert run.returncode == 0, run.stderr
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "hate incident" in words and "1 qualifying complaint made in the 6 months" in words
    assert "are needed, so your application meets" not in words


def test_under_2_0s_occasions_rule_the_complaints_still_decide_and_the_spoc_is_told(tmp_path, ctkit):
    data = application()
    for incident in data["incidents"]:    # one incident, reported three times
        incident.update(occurred_on="2026-02-10", occurred_at="23:15", reported_on="2026-02-11")
    path = write(tmp_path, "app.json", data)
    [r] = json.loads(ctkit("validate", str(path), "--format", "json").stdout)
    assert (r["decision"], r["counts"], r["qualifying_complaints"], r["qualifying_incidents"]) == \
        ("threshold_met", "occasions", 3, 1)
    [check] = [c for c in r["spoc_checks"] if c["id"] == "counts_disagree"]
    assert check["flagged"] and "s.104(4)" in check["message"] and "requires" in check["message"]
    assert "counts separate occasions" in check["message"]     # says plainly where 2.0 differs from the Act


@pytest.mark.parametrize("old, new, words", [
    ("threshold: 3", "threshold: 4", "more qualifying complaints than the Act allows"),
    ("period_months: 6", "period_months: 5", "shorter than the Act's 6 months"),
])
def test_check_refuses_criteria_stricter_than_the_act_naming_the_line(tmp_root, ctkit, old, new, words):
    _set_2_0(tmp_root, old, new)
    text = (tmp_root / "guidance" / "criteria.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, 1) if new in row and n > text.index('  "2.0":'))
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    assert f"guidance/criteria.yml:{line}: " in run.stdout and words in run.stdout


def test_check_refuses_counting_occasions_in_a_draft_but_keeps_it_as_approved_2_0s_record(tmp_root, ctkit):
    assert ctkit("check", "-q", root=tmp_root).returncode == 0          # approved 2.0 says occasions: its record
    criteria = tmp_root / "guidance" / "criteria.yml"
    head, draft = criteria.read_text(encoding="utf-8").split('"2.1":')
    criteria.write_text(head + '"2.1":' + draft.replace("counts: complaints", "counts: occasions", 1), encoding="utf-8")
    text = criteria.read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, 1) if "counts: occasions" in row and n > text.index('  "2.1":'))
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    assert f"guidance/criteria.yml:{line}: " in run.stdout
    assert "counts: occasions is stricter than the Act" in run.stdout and "version 2.1 is a draft" in run.stdout


def _application_words(guidance) -> set[str]:
    """Every label, name, hint and error message of the application form, as written in its YAML."""
    form = guidance.forms["application"]
    words = set()
    for q in list(form.questions()) + [q for r in form.repeats() for q in r.questions]:
        words |= {t for t in (q.label, q.name, q.hint, q.error) if t and len(t) > 8}
    words |= {s.title for s in form.sections}
    return words


def test_no_label_or_required_rule_of_the_application_is_typed_in_the_code(guidance):
    """The judge reads labels and required rules from forms/application.yml through the form model."""
    words = _application_words(guidance)
    form = guidance.forms["application"]
    required_ids = {q.id for q in form.questions() if q.always_required}
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.strip() in words or any(w in node.value for w in words if len(w) > 20):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value[:50]!r}")
            if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and len(node.elts) >= 3:
                names = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                if len(names & required_ids) >= 3:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: a list of required answers")
    assert found == []


def test_a_changed_label_and_a_new_required_answer_reach_the_validator(tmp_root, tmp_path, ctkit):
    without_locks(tmp_root)
    form = tmp_root / "forms" / "application.yml"
    text = form.read_text(encoding="utf-8")
    assert "label: Witnesses\n" in text
    form.write_text(text.replace("label: Witnesses\n", "label: Who else saw it\n        required: true\n")
                    .replace('{id: postcode, type: postcode, label: "Your postcode"',
                             '{id: postcode, type: postcode, label: "Postcode of your home"'), encoding="utf-8")
    data = application()
    del data["applicant"]["postcode"]
    [r] = json.loads(ctkit("validate", str(write(tmp_path, "app.json", data)), "--format", "json",
                           root=tmp_root).stdout)
    fields = {e["field"]: e["blocks_decision"] for e in r["errors"]}
    assert fields == {"Who else saw it": False, "Postcode of your home": False}
    assert r["decision"] == "threshold_met"


def test_the_date_checker_asks_about_hate_and_follows_the_hate_route(tmp_root, tmp_path, ctkit, browser):
    """The checker passes the hate tick to the judge, as the validator does (one hate report: met)."""
    _set_2_0(tmp_root, "    timescales:", "    hate_route: {incidents: 1, months: 6}\n    timescales:")
    run = ctkit("build", "--council", "erewash", "--site-dir", str(tmp_path / "site"), root=tmp_root)
    assert run.returncode == 0, run.stderr[-2000:]
    hosts = Hosts()
    try:
        url = hosts.add("erewash", tmp_path / "site" / "erewash")
        context = axe_context(browser)
        page = context.new_page()
        outside = guard(page)
        page.goto(f"{url}/public/check-your-dates/")
        day = dt.date.today() - dt.timedelta(days=20)
        for which, when in (("occurred", day), ("reported", day + dt.timedelta(days=1))):
            for part, value in (("day", when.day), ("month", when.month), ("year", when.year)):
                page.fill(f"#ct-i1-{which}-{part}", str(value))
        page.fill("#ct-i1-to", "Derbyshire Constabulary")
        page.click("#ct-submit")
        assert "does not look met" in page.locator("#ct-result-title").inner_text()
        page.check("#ct-hate")
        page.click("#ct-submit")
        assert "looks met" in page.locator("#ct-result-title").inner_text()
        assert "hate incident" in page.locator("#ct-result").inner_text()
        assert axe_violations(page) == [] and outside == []
        context.close()
    finally:
        hosts.close()
