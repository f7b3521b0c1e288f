"""Editors' mistakes in editors' words, on the line where the mistake is (issue 25).

YAML's parser notices an unclosed `{` on the line after it, and Jinja says "Unexpected end of
template. Jinja was looking for the following tags…" at the end of a page. An editor looks at
the line they are told, so each test makes the mistake on a known line of a copy of the real
sources and runs `ctkit check` as the editor would.
"""
from __future__ import annotations

import pytest

from test_check_sources import assert_one_located_error, line_no, replace_in

#: (what the editor types, the line it replaces, words the sentence must have)
YAML_MISTAKES = [
    ("acknowledge: {days: 5, from: received, verified: false", "acknowledge: {days: 5, from: received, verified: false}",
     ("‘{’ on this line is not closed with ‘}’",)),
    ("acknowledge: [5, received", "acknowledge: {days: 5, from: received, verified: false}",
     ("‘[’ on this line is not closed with ‘]’",)),
    ('counts: "complaints', "counts: complaints", ('quotation mark (")', "never closed")),
    ("counts complaints", "counts: complaints", ("needs a ‘:’ after its name",)),
    ("counts: complaints: all of them", "counts: complaints", ("second ‘: ’", "double quotes")),
    ("counts: `complaints`", "counts: complaints", ("cannot begin with ‘`’",)),
]


@pytest.mark.parametrize("typed, instead_of, words", YAML_MISTAKES, ids=[m[0][:20] for m in YAML_MISTAKES])
def test_a_yaml_mistake_is_reported_on_the_line_where_it_is(ctkit, tmp_root, typed, instead_of, words):
    path = tmp_root / "guidance" / "criteria.yml"
    text = path.read_text(encoding="utf-8")
    at = text.rindex(instead_of)   # the last block (the draft's): the mistake is followed by more lines
    path.write_text(text[:at] + typed + text[at + len(instead_of):], encoding="utf-8")
    line = text[:at].count("\n") + 1
    assert line < text.count("\n"), "the mistake must not be on the file's last line, or any line would do"
    message = assert_one_located_error(ctkit("check", root=tmp_root), "guidance/criteria.yml", line, *words)
    assert "Jinja" not in message and "not valid YAML" not in message


def test_a_line_indented_with_a_tab_is_named_as_a_tab(ctkit, tmp_root):
    path = tmp_root / "guidance" / "criteria.yml"
    replace_in(path, '  "2.1":\n    threshold: 3', '  "2.1":\n\tthreshold: 3')
    assert_one_located_error(ctkit("check", root=tmp_root), "guidance/criteria.yml",
                             line_no(path, "\tthreshold: 3"), "tab", "spaces")


def _page_with(tmp_root, body_lines: list[str]):
    page = tmp_root / "guidance" / "public" / "a-test-page.md"
    page.write_text("---\ntitle: A test page\n---\n\n" + "\n".join(body_lines) + "\n", encoding="utf-8")
    return page


#: (the page body, line in the file of the mistake, the sentence)
TEMPLATE_MISTAKES = [
    (["Intro.", "", "{% if guidance is at_least('2.1') %}", "New words.", "", "More."], 7,
     "`{% if %}` on line 7 has no `{% endif %}`"),
    (["Intro.", "{% for v in versions %}", "{{ v.version }}", ""], 6, "`{% for %}` on line 6 has no `{% endfor %}`"),
    (["Intro.", "{% if online %}", "Words.", "{% endfor %}", "End."], 8,
     "`{% endfor %}` on line 8 does not match the `{% if %}` on line 6"),
    (["Intro.", "Words.", "{% endif %}", "End."], 7, "`{% endif %}` on line 7 has no `{% if %}` before it"),
    (["Intro.", "{% fi online %}", "End."], 6, "`{% fi %}` on line 6 is not a tag pages can use"),
    (["Intro.", "The threshold is {{ criteria.threshold ", "End."], 6,
     "the `{{` on line 6 is not closed with `}}`"),
    (["Intro.", "{# a note to editors", "End."], 6, "the comment `{#` on line 6 is never closed"),
]


@pytest.mark.parametrize("body, line, sentence", TEMPLATE_MISTAKES, ids=[s[:24] for _, _, s in TEMPLATE_MISTAKES])
def test_a_template_mistake_is_said_in_words_on_its_own_line(ctkit, tmp_root, body, line, sentence):
    _page_with(tmp_root, body)
    message = assert_one_located_error(ctkit("check", root=tmp_root), "guidance/public/a-test-page.md", line,
                                       sentence)
    assert "Jinja" not in message and "innermost block" not in message
