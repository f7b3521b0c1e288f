"""guidance/letters.yml: every sentence of a letter comes from there, and `ctkit check` holds it to the names that exist."""
from __future__ import annotations

import datetime as dt

from casework_helpers import application, not_met, write
from generator.casework.letter_names import names_for
from generator.casework.letters import build_letter
from generator.checks.letters import SAMPLE_ITEMS, SAMPLE_NAMES, check_letters
from generator.judge.files import judge_file
from generator.model import Signatory
from generator.monitoring.register import Case
from generator.project import load_project
from conftest import without_locks

D = dt.date


def case(**changes) -> Case:
    fields = dict(path="erewash.csv", line=2, case_ref="EREWASH-20261102-1", council="erewash",
                  received_on=D(2026, 11, 2), basis="victim", decision="threshold_not_met",
                  asb_types=("noise", "harassment"), hate_incident=False, decision_on=D(2026, 11, 16),
                  decision_letter_on=D(2026, 11, 16))
    fields.update(changes)
    return Case(**fields)


def test_a_misspelt_name_in_a_letter_is_a_located_error(tmp_root):
    path = tmp_root / "guidance" / "letters.yml"
    text = path.read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "We received it on" in l)
    path.write_text(text.replace("We received it on {{ case.received_on", "We received it on {{ case.recieved_on"),
                    encoding="utf-8")
    problems = [str(p) for p in load_project(tmp_root).errors]
    # located at the paragraph it is in (`- paragraph:`, two lines above the misspelt name)
    assert problems == [f"guidance/letters.yml:{line - 2}: the template variable 'case.recieved_on' does not exist; "
                        "see CONTRIBUTING.md for the names you can use"]


def test_a_group_that_does_not_exist_is_a_located_error(tmp_root):
    path = tmp_root / "guidance" / "letters.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("- use: other_formats", "- use: other_format", 1),
                    encoding="utf-8")
    messages = [p.message for p in load_project(tmp_root).errors]
    assert any("the group 'other_format' is not under 'shared:'" in m for m in messages)


def test_a_real_case_gives_a_letter_the_names_the_check_uses(tmp_path, guidance):
    _data, j = judge_file(write(tmp_path, "a.json", not_met()), guidance, D(2026, 11, 2))
    names = names_for(guidance, case(), "threshold_not_met", D(2026, 11, 16), j, not_met(),
                      Signatory("Sam Officer", "SPOC"))
    lists = names.pop("_lists")
    assert set(names) == set(SAMPLE_NAMES) and set(lists) == set(SAMPLE_ITEMS)
    for key, value in names.items():
        if isinstance(value, dict) and key != "due":
            assert set(value) == set(SAMPLE_NAMES[key]), key
    assert set(names["due"]) <= set(SAMPLE_NAMES["due"])
    assert set(lists["not_counted"][0]) == set(SAMPLE_ITEMS["not_counted"])
    assert check_letters(guidance) == []


def test_the_threshold_in_criteria_reaches_the_letter(tmp_root, tmp_path):
    without_locks(tmp_root)
    criteria = tmp_root / "guidance" / "criteria.yml"
    head, v2 = criteria.read_text(encoding="utf-8").split('"2.0":')
    criteria.write_text(head + '"2.0":' + v2.replace("threshold: 3 ", "threshold: 2 ", 1), encoding="utf-8")
    guidance = load_project(tmp_root).require()
    data = not_met()
    data["incidents"] = data["incidents"][:1]
    _data, j = judge_file(write(tmp_path, "a.json", data), guidance, D(2026, 11, 2))
    letter = build_letter(guidance, guidance.councils["erewash"], case(), "threshold_not_met", D(2026, 11, 16), j,
                          data, Signatory("Sam Officer"), texts={"reasons": ["The reports were about different homes."]})
    text = " ".join(letter.lines())
    assert "at least 2 qualifying complaints" in text and "We found 1 qualifying complaint, and 2 are needed" in text


def test_the_letterhead_is_the_councils_and_says_when_it_is_unconfirmed(tmp_path, guidance):
    data = application()
    _data, j = judge_file(write(tmp_path, "a.json", data), guidance, None)
    for council_id in ("erewash", "high-peak"):
        council = guidance.councils[council_id]
        letter = build_letter(guidance, council, case(council=council_id, decision="pending", decision_on=None,
                                                      decision_letter_on=None),
                              "acknowledgement", D(2026, 11, 4), j, data, Signatory("Sam Officer"))
        assert letter.sender == council.name and council.spoc.phone in " ".join(letter.sender_lines)
        flagged = any("These contact details are still to be confirmed" in w for w in letter.warnings)
        assert flagged == (not council.spoc.verified)
        assert letter.date == "4 November 2026" and letter.salutation == "Dear Pat Example"
