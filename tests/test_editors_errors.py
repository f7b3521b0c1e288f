"""Editors' mistakes in editors' words, on the line where the mistake is (issue 25).

YAML's parser notices an unclosed `{` on the line after it, and Jinja says "Unexpected end of
template. Jinja was looking for the following tags…" at the end of a page. An editor looks at
the line they are told, so each mistake is made on a known line of a copy of the real sources
(each in a file of its own, so one run of `ctkit check` reports them all) and checked as the
editor reads it.
"""
from __future__ import annotations

from test_check_sources import LOCATED, errors_of

#: (file, the text the editor replaces, what they type instead, words the sentence must have)
YAML_MISTAKES = [
    ("guidance/criteria.yml", "acknowledge: {days: 5, from: received, verified: false}",
     "acknowledge: {days: 5, from: received, verified: false", "the ‘{’ on this line is not closed with ‘}’"),
    ("guidance/councils/erewash.yml", "  address:", "  address: [Town Hall, Wharncliffe Road",
     "the ‘[’ on this line is not closed with ‘]’"),
    ("guidance/councils/bolsover.yml", "kind: district", 'kind: "district',
     "the quotation mark that opens a value on this line is not closed on this line"),
    ("guidance/councils/chesterfield.yml", "kind: borough", "kind borough", "this line needs a ‘:’ after its name"),
    ("guidance/councils/high-peak.yml", "kind: borough", "kind: borough: a big one", "this line has a second ‘: ’"),
    ("guidance/councils/amber-valley.yml", "kind: borough", "kind: `borough`", "a value cannot begin with ‘`’"),
    ("guidance/monitoring.yml", "suppress_below: 5", "\tsuppress_below: 5", "this line has a tab where YAML needs "
                                                                            "spaces"),
]


def test_each_yaml_mistake_is_reported_on_the_line_where_it_is(ctkit, tmp_root):
    expected = {}
    for rel, instead_of, typed, words in YAML_MISTAKES:
        path = tmp_root / rel
        text = path.read_text(encoding="utf-8")
        at = text.rindex(instead_of)   # the last one: in criteria.yml the draft's block, with lines after it
        path.write_text(text[:at] + typed + text[at + len(instead_of):], encoding="utf-8")
        expected[rel] = (text[:at].count("\n") + 1, words)
        assert expected[rel][0] < text.count("\n"), f"{rel}: the mistake must not be on the last line"
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1 and "Traceback" not in run.stdout + run.stderr
    found = {}
    for error in errors_of(run):
        m = LOCATED.match(error)
        assert m, error
        found[m["path"]] = (int(m["line"]), m["msg"])
    assert found.keys() == expected.keys(), run.stdout
    for rel, (line, words) in expected.items():
        assert found[rel][0] == line and words in found[rel][1], (rel, line, found[rel])
        assert "not valid YAML" not in found[rel][1]


#: page -> (its body's lines, the line in the file of the mistake, the sentence)
TEMPLATE_MISTAKES = {
    "open-if": (["Intro.", "", "{% if guidance is at_least('2.1') %}", "New words.", "", "More."], 7,
                "`{% if %}` on line 7 has no `{% endif %}`"),
    "open-for": (["Intro.", "{% for v in versions %}", "{{ v.version }}", ""], 6,
                 "`{% for %}` on line 6 has no `{% endfor %}`"),
    "wrong-end": (["Intro.", "{% if online %}", "Words.", "{% endfor %}", "End."], 8,
                  "`{% endfor %}` on line 8 does not match the `{% if %}` on line 6"),
    "stray-end": (["Intro.", "Words.", "{% endif %}", "End."], 7, "`{% endif %}` on line 7 has no `{% if %}` before it"),
    "unknown-tag": (["Intro.", "{% fi online %}", "End."], 6, "`{% fi %}` on line 6 is not a tag pages can use"),
    "open-name": (["Intro.", "The threshold is {{ criteria.threshold ", "End."], 6,
                  "the `{{` on line 6 is not closed with `}}`"),
    "open-comment": (["Intro.", "{# a note to editors", "End."], 6, "the comment `{#` on line 6 is never closed"),
}


def test_each_template_mistake_is_said_in_words_on_its_own_line(ctkit, tmp_root):
    for name, (body, _, _) in TEMPLATE_MISTAKES.items():
        page = tmp_root / "guidance" / "public" / f"{name}.md"
        page.write_text(f"---\ntitle: {name}\n---\n\n" + "\n".join(body) + "\n", encoding="utf-8")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    errors = errors_of(run)
    assert len(errors) == len(TEMPLATE_MISTAKES), errors
    for name, (_, line, sentence) in TEMPLATE_MISTAKES.items():
        mine = [e for e in errors if e.startswith(f"guidance/public/{name}.md:")]
        assert mine == [f"guidance/public/{name}.md:{line}: template error: {mine[0].split('template error: ')[1]}"]
        assert sentence in mine[0] and "Jinja" not in mine[0] and "innermost block" not in mine[0], mine
