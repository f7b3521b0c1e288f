"""The letters of a case, made from guidance/letters.yml, the register and the application.

Each letter is checked against the case first: an acknowledgement for any open case, "more
information" only while the decision is pending and something is missing, a decision letter
only once the relevant bodies' decision is recorded (the kit's own assessment never goes to
an applicant as a decision), an outcome letter only after the review. The application is
judged again as of the date in the register and must be the same case (reference, basis,
types of ASB); it gives the name and address, which are never kept.

The letter's deadlines are the judge's own (`deadlines_for`) counted from the register's real
dates and the letter's date, so the letter, the report and `ctkit case due` give one date with
one explanation.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dates import longdate
from ..errors import Problem, Stop
from ..judge.deadlines import deadlines_for
from ..judge.judgement import Judgement, judge_submission
from ..judge.reports import error_line
from ..judge.submissions import read_submission
from ..loading.sources import line_at
from ..model import Council, Guidance, Signatory
from ..monitoring.register import Case, asb_types, read_case
from ..render.letter_document import Block, LetterDocument
from ..render.letter_docx import letter_docx
from ..render.letter_pdf import letter_pdf
from ..templating import context_for, render_text
from ..text_safety import shown
from .kinds import LETTER_KINDS
from .opening import refuses_applications

LETTERS = "guidance/letters.yml"
#: The register column that dates each letter, once that step is recorded.
STEP_DATE = {"acknowledgement": "acknowledged_on", "threshold_met": "decision_letter_on",
             "threshold_not_met": "decision_letter_on", "outcome": "outcome_letter_on"}
#: Answers the SPOC fills in, never asked of the applicant.
OFFICE_ANSWERS = ("/received_on", "/case_ref")


@dataclass
class CaseLetter:
    document: LetterDocument
    pdf: bytes
    docx: bytes
    warnings: list[str] = field(default_factory=list)


# -- is this letter right for this case? ------------------------------------------------------------

def _refusal(case: Case, kind: str) -> str | None:
    ref = case.case_ref
    if case.decision == "withdrawn":
        return f"case {ref} was withdrawn, so no letter is written for it"
    if kind == "more_information" and case.decision != "pending":
        return f"case {ref} already has its threshold decision, so it is past asking for more information"
    if kind in ("threshold_met", "threshold_not_met") and case.decision != kind:
        if case.decision == "pending":
            return (f"the relevant bodies' decision on case {ref} is not recorded yet (the kit's assessment is "
                    f"advice, not a decision); record it with ctkit case decide {ref} --met or --not-met first")
        other = "threshold_met" if kind == "threshold_not_met" else "threshold_not_met"
        return f"case {ref} is recorded as {other.replace('_', ' ')}, so its letter is {other}, not {kind}"
    if kind == "outcome" and case.review_on is None:
        return f"case {ref} has no case review recorded; record it with ctkit case review first"
    return None


def letter_date(case: Case, kind: str, on: dt.date | None, today: dt.date) -> tuple[dt.date, list[str]]:
    """The date of the letter: --on, else the date the register records for that step, else today."""
    column = STEP_DATE.get(kind)
    recorded = getattr(case, column) if column else None
    warnings = []
    if on is not None and recorded is not None and on != recorded:
        warnings.append(f"the register records this letter as sent on {longdate(recorded)}, but the letter is "
                        f"dated {longdate(on)} and its dates count from that; record the real date")
    day = on or recorded or today
    earliest = {"outcome": case.review_on, "threshold_met": case.decision_on,
                "threshold_not_met": case.decision_on}.get(kind) or case.received_on
    if day < earliest:
        raise Stop(Problem(case.path, case.line, f"the letter cannot be dated {longdate(day)}, before "
                                                 f"{longdate(earliest)}, the step it tells the applicant about"))
    return day, warnings


def _same_case(case: Case, j: Judgement, guidance: Guidance) -> list[str]:
    """What in the application contradicts the register (a letter to the wrong person is worse than none)."""
    known = asb_types(guidance)
    types = tuple(t for t in j.asb_types if t in known)
    out = []
    if j.case_ref and j.case_ref != case.case_ref:
        out.append(f"it gives the case reference {shown(j.case_ref, 40)}")
    if j.basis and j.basis != case.basis:
        out.append(f"it says the basis is {j.basis}, the register {case.basis}")
    if sorted(types) != sorted(case.asb_types):
        out.append("its types of anti-social behaviour are not the register's")
    if j.hate_incident is not None and case.hate_incident is not None and j.hate_incident != case.hate_incident:
        out.append("its hate incident answer is not the register's")
    return out


# -- the names a letter's sentences use (checks/letters.py holds the same names, invented) ----------

def officer(signed_by: str | None, council: Council) -> tuple[Signatory, list[str]]:
    if signed_by and signed_by.strip():
        name, _, role = signed_by.partition(",")
        return Signatory(name.strip(), role.strip() or None), []
    if council.signatory is None:
        raise Stop.usage(f"say who signs the letter with --signed-by 'Name, role', or give {council.name} a default "
                         f"signatory in guidance/councils/{council.id}.yml.")
    warnings = [] if council.signatory.verified else [
        f"the letter is signed by {council.name}'s default signatory, which is not yet confirmed "
        f"(guidance/councils/{council.id}.yml); name the officer with --signed-by 'Name, role'"]
    return council.signatory, warnings


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def recipient(data: dict) -> tuple[dict[str, str], tuple[str, ...]]:
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    name = _text(applicant.get("name"))
    address = _text(applicant.get("address"))
    postcode = _text(applicant.get("postcode"))
    lines = [part.strip() for part in address.replace("\r", "\n").split("\n") if part.strip()]
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return {"name": name}, tuple(x for x in (name, *lines, postcode) if x)


def _deadlines(guidance: Guidance, case: Case, kind: str, day: dt.date) -> dict[str, dict[str, Any]]:
    version = guidance.in_force_on(case.received_on)
    decision = {"threshold_not_met": "threshold_not_met", "threshold_met": "threshold_met",
                "outcome": "threshold_met"}.get(kind, "pending")
    events = {"decision_letter": case.decision_letter_on, "review_meeting": case.review_on,
              "outcome_letter": case.outcome_letter_on}
    if kind in ("threshold_met", "threshold_not_met"):
        events["decision_letter"] = day     # the appeal counts from this letter
    elif kind == "outcome":
        events["outcome_letter"] = day
    found = deadlines_for(guidance.criteria_for(version), case.received_on, decision, events)
    return {d.name: {"date": d.date, "working_days": d.working_days, "from_date": d.from_date}
            for d in found if d.date is not None}


def names_for(guidance: Guidance, case: Case, kind: str, day: dt.date, j: Judgement, applicant: dict[str, str],
              signer: Signatory) -> dict[str, Any]:
    rows = [r for r in j.incident_rows() if not r["qualifies"]]
    return {
        "case": {"ref": case.case_ref, "received_on": case.received_on, "basis": case.basis},
        "applicant": applicant,
        "letter": {"date": day, "kind": kind},
        "officer": {"name": signer.name, "role": signer.role or ""},
        "due": _deadlines(guidance, case, kind, day),
        "count": {"deciding": j.tally.deciding_count if j.tally else 0, "complaints": j.qualifying_complaints,
                  "incidents": j.qualifying_incidents, "meets": bool(j.tally and j.tally.threshold_met),
                  "route": j.route, "individuals": j.tally.individuals if j.tally else None},
        "review": {"on": case.review_on, "recommendations": case.recommendations is True,
                   "bodies": list(case.recommendations_to)},
        "_lists": {
            "not_counted": [{"entry": r["entry"], "occurred_on": r["occurred_on"],
                             "reasons": "; ".join(why for code, why in zip(r["reasons"], r["explanations"])
                                                  if code != "duplicate_of_earlier_entry")} for r in rows],
            "missing": [error_line(e) for e in j.errors if e.pointer and e.pointer not in OFFICE_ANSWERS],
            "bodies": list(case.recommendations_to),
        },
    }


# -- rendering ----------------------------------------------------------------------------------------

class _Renderer:
    """Renders the sentences of letters.yml with one context; a sentence that fails stops with its line."""

    def __init__(self, guidance: Guidance, context: dict[str, Any]):
        self.guidance, self.context = guidance, context

    def __call__(self, source: str, path: list, **extra: Any) -> str:
        line = line_at(self.guidance.letters, path) or 1
        text, problems = render_text(source, {**self.context, **extra}, LETTERS, line)
        if text is None:
            raise Stop(problems)
        return " ".join(html.unescape(text).split())


def _blocks(render: _Renderer, letters: dict, blocks: list, path: list, lists: dict) -> list[Block]:
    out: list[Block] = []
    for i, block in enumerate(blocks):
        where = [*path, i]
        if "use" in block:
            out += _blocks(render, letters, letters["shared"][block["use"]], ["shared", block["use"]], lists)
        elif "heading" in block or "paragraph" in block:
            kind = "heading" if "heading" in block else "paragraph"
            text = render(block[kind], [*where, kind])
            if text:
                out.append(Block(kind, text))
        elif "bullets" in block:
            items = tuple(t for n, item in enumerate(block["bullets"]) if (t := render(item, [*where, "bullets", n])))
            if items:
                out.append(Block("bullets", items=items))
        elif "list" in block:
            items = tuple(t for item in lists[block["list"]] if (t := render(block["item"], [*where, "item"], item=item)))
            if items:
                out.append(Block("bullets", items=items))
    return out


def _without_empty_headings(blocks: list[Block]) -> tuple[Block, ...]:
    """A heading with nothing under it (no reports left uncounted, say) is left out."""
    out = []
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "heading" and (following is None or following.kind == "heading"):
            continue
        out.append(block)
    return tuple(out)


def build_letter(guidance: Guidance, council: Council, case: Case, kind: str, day: dt.date, j: Judgement,
                 data: dict, signer: Signatory) -> LetterDocument:
    applicant, to = recipient(data)
    names = names_for(guidance, case, kind, day, j, applicant, signer)
    lists = names.pop("_lists")
    if kind == "more_information" and not lists["missing"]:
        raise Stop(Problem(case.path, case.line, f"the kit finds nothing missing from the application for case "
                                                 f"{case.case_ref}, so there is nothing to ask for"))
    context = {**context_for(guidance, council, guidance.in_force_on(case.received_on)), **names}
    render = _Renderer(guidance, context)
    letters = guidance.letters
    parts = {key: render(text, ["parts", key]) for key, text in letters["parts"].items()}
    spoc = council.spoc
    sender_lines = (spoc.team, *spoc.address, spoc.postcode, parts["phone"], parts["email"], parts["web"])
    definition = letters["letters"][kind]
    blocks = _blocks(render, letters, definition["body"], ["letters", kind, "body"], lists)
    signature = tuple(x for x in (signer.name, signer.role, spoc.team, council.name) if x)
    return LetterDocument(
        title=render(definition["subject"], ["letters", kind, "subject"]), sender=council.name,
        sender_lines=sender_lines, warning=None if spoc.verified else parts["unconfirmed"], recipient=to,
        date=longdate(day), reference=parts["reference"], salutation=parts["salutation"],
        blocks=_without_empty_headings(blocks), closing=parts["closing"], signature=signature,
        footer=parts["footer"])


def case_letter(guidance: Guidance, register: Path, ref: str, kind: str, application: Path,
                signed_by: str | None = None, on: dt.date | None = None, today: dt.date | None = None) -> CaseLetter:
    """The letter `kind` for case `ref`, as PDF and .docx; Stop with a sentence when it does not fit the case."""
    if kind not in LETTER_KINDS:
        raise Stop.usage(f"there is no letter '{shown(kind, 40)}'; the letters are {', '.join(LETTER_KINDS)}.")
    today = today or dt.date.today()
    case, problems = read_case(register, guidance, ref, today)
    if case is None:
        raise Stop(problems)
    council = guidance.councils[case.council]
    refused = refuses_applications(council)
    if refused:
        raise Stop(refused)
    why = _refusal(case, kind)
    if why:
        raise Stop(Problem(case.path, case.line, why))
    day, warnings = letter_date(case, kind, on, today)
    sub = read_submission(application, guidance)
    j = judge_submission(sub, guidance, shown(application.as_posix(), 300), case.received_on, today)
    if not j.judged:
        raise Stop(Problem(shown(application.as_posix(), 300), None, j.summary))
    different = _same_case(case, j, guidance)
    if different:
        raise Stop(Problem(shown(application.as_posix(), 300), None,
                           f"this does not look like the application of case {case.case_ref}: "
                           + "; ".join(different) + ". Check that it is the right file."))
    signer, more = officer(signed_by, council)
    document = build_letter(guidance, council, case, kind, day, j, sub.data or {}, signer)
    if not council.spoc.verified:
        more.append(f"{council.name}'s contact details on the letterhead are not yet confirmed "
                    f"(guidance/councils/{council.id}.yml); the letter says so until they are")
    if kind == "outcome":
        more.append("the outcome letter has a paragraph in square brackets for what the review found and the "
                    "actions agreed: write it in the .docx before the letter is sent")
    return CaseLetter(document, letter_pdf(document), letter_docx(document, day), warnings + more)
