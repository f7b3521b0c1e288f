"""Fuzzing the validator's readers and rules: no input, however odd, gets a traceback.

Bounded and fast for CI (a few hundred examples each); the deeper runs used while
developing found the crashes kept below as regression cases.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.judge.answers import read_answers
from generator.judge.judgement import judge_submission
from generator.judge.reports import as_csv, as_json, as_text
from generator.judge.submissions import Submission, read_submission
from generator.judge.threshold import Entry, judge_incidents

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DECISIONS = {"threshold_met", "threshold_not_met", "incomplete", "unreadable"}

KEYS = ["form", "form_version", "received_on", "basis", "applicant", "person_affected", "consent_to_act",
        "vulnerabilities", "asb_types", "hate_incident", "incidents", "impact", "desired_outcome",
        "information_sharing_consent", "sharing_limits", "declaration", "occurred_on", "occurred_at", "reported_on",
        "reported_to", "description", "name", "signed_on", "case_ref"]
HOSTILE = ["\ud800", "\udfff", "\x1b[2J", "\x1b]0;title\x07", "=1+1", "<script>x</script>", "\u202e", "9" * 300,
           "9999-12-31", "0001-01-01"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(["2026-02-30", "2026-03-02", "31/02/2026", "21:30",
                                                           "victim", "on_behalf", "partner_agency", "25:99", ""]),
                    st.sampled_from(HOSTILE),
                    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
values = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                      st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5)
                                                                      | st.sampled_from(HOSTILE), kids, max_size=5)),
                      max_leaves=25)
applications = st.dictionaries(st.sampled_from(KEYS) | st.sampled_from(HOSTILE), values, max_size=14)


@FAST
@given(data=applications, received=st.one_of(st.none(), st.dates(dt.date(2010, 1, 1), dt.date(2035, 1, 1))))
def test_any_shape_of_data_is_judged_without_a_crash(guidance, root, data, received):
    sub = Submission(Path("fuzz.json"), "json", data=data)
    judgement = judge_submission(sub, guidance, "fuzz.json", received)
    result = judgement.as_json()
    assert result["decision"] in DECISIONS - {"unreadable"}
    for report in (as_json, as_text, as_csv):   # every report can always be printed, and echoes nothing hostile
        out = report([judgement])
        out.encode("utf-8")
        assert not any(h in out for h in HOSTILE if len(h) > 1 and not h[0].isdigit())
    counted = sum(i["qualifies"] for i in result["incidents"])
    assert counted == result["qualifying_complaints"] == sum(i["complaint"] for i in result["incidents"])
    assert result["qualifying_incidents"] <= result["qualifying_complaints"]
    if result["decision"] == "incomplete":
        assert any(e["blocks_decision"] for e in result["errors"])


@FAST
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".json", ".yaml", ".yml", ".pdf"]))
def test_any_bytes_are_read_or_refused_with_a_sentence(guidance, tmp_path, raw, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(raw)
    sub = read_submission(path, guidance)
    assert (sub.data is not None) != (sub.error is not None)
    if sub.error:
        assert sub.error.endswith(".") and "\n" not in sub.error


@FAST
@given(text=st.text(alphabet=st.sampled_from(list("{}[]:,-&*!'\" \n\tab01#|>")), max_size=200))
def test_yaml_like_text_is_read_or_refused_with_a_sentence(guidance, tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    sub = read_submission(path, guidance)
    assert (sub.data is not None) != (sub.error is not None)


days = st.dates(dt.date(2025, 6, 1), dt.date(2026, 4, 1))
entries = st.lists(st.tuples(st.one_of(st.none(), days), st.one_of(st.none(), days),
                             st.sampled_from([None, "09:00", "21:30"]), st.sampled_from(["", "Police", "Council"])),
                   max_size=8)


@settings(max_examples=300, deadline=None)
@given(rows=entries, received=days, seed=st.integers(0, 1000))
def test_the_count_does_not_depend_on_the_order_of_entries(guidance, rows, received, seed):
    criteria = guidance.criteria_for("2.0")
    given_order = [Entry(i, *row) for i, row in enumerate(rows)]
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    other_order = [Entry(i, *row) for i, row in enumerate(shuffled)]
    a = judge_incidents(given_order, received, criteria)
    b = judge_incidents(other_order, received, criteria)
    assert a.qualifying_incidents == b.qualifying_incidents
    assert a.incidents == b.incidents
    assert a.qualifying_complaints == b.qualifying_complaints
    assert a.qualifying_complaints == sum(e.qualifies for e in a.entries) <= len(rows)
    assert a.qualifying_incidents <= a.incidents <= len(rows)
    assert (a.threshold_met, a.route, a.incidents_if_untimed_apart) == \
        (b.threshold_met, b.route, b.incidents_if_untimed_apart)
    assert a.qualifying_incidents <= a.qualifying_complaints


@settings(max_examples=200, deadline=None)
@given(rows=entries, received=days, extra=st.tuples(days, days, st.sampled_from([None, "09:00"]),
                                                     st.sampled_from(["", "Police"])))
def test_another_report_never_lowers_the_count(guidance, rows, received, extra):
    criteria = guidance.criteria_for("2.0")
    before = judge_incidents([Entry(i, *r) for i, r in enumerate(rows)], received, criteria)
    after = judge_incidents([Entry(i, *r) for i, r in enumerate(rows + [extra])], received, criteria)
    assert after.qualifying_incidents >= before.qualifying_incidents
    assert after.qualifying_complaints >= before.qualifying_complaints


# Regression cases: inputs that crashed the validator while it was being written.
@pytest.mark.parametrize("data", [
    {"received_on": "2014-10-01", "incidents": []},            # before any version: the summary had no criteria
    {"incidents": [None, 3, "x"]},                             # incident rows that are not groups of answers
    {"applicant": ["a", "b"], "declaration": "yes"},           # groups given as lists and text
    {"incidents": [{"occurred_at": 1290, "occurred_on": "2026-01-01", "reported_on": "2026-01-02"}]},
])
def test_regression_inputs_are_judged(guidance, root, data):
    result = judge_submission(Submission(Path("r.json"), "json", data=data), guidance, "r.json", None)
    assert result.decision == "incomplete"
    assert read_answers(data, guidance.forms["application"], "r.json", str).problems


@pytest.fixture(scope="module")
def filled_pdf(guidance) -> bytes:
    from generator.render.fill import fill_form_pdf
    from test_judge_cli import application
    return fill_form_pdf(guidance.forms["application"], application(), guidance, None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 10**6), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6))
def test_a_damaged_filled_pdf_is_read_or_refused_with_a_sentence(guidance, tmp_path, filled_pdf, cut, flips):
    raw = bytearray(filled_pdf[: max(1, cut % (len(filled_pdf) + 1))])
    for at, byte in flips:
        raw[at % len(raw)] = byte
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(raw))
    sub = read_submission(path, guidance)
    assert (sub.data is not None) != (sub.error is not None)
    if sub.data is not None:
        result = judge_submission(sub, guidance, "damaged.pdf", None)
        assert result.decision in DECISIONS
