"""The letters of a case, made from guidance/letters.yml, the register and the application.

Each letter is checked against the case first: an acknowledgement for any open case, "more
information" while something is missing (before or after the decision, which the missing
answers did not change), a decision letter only once the relevant bodies' decision is
recorded (the kit's own assessment never goes to an applicant as a decision), an outcome
letter only after the review. The application is judged again as of the date in the
register and must be the same case (reference, basis, types of ASB); it gives the names and
addresses, which are never kept.

A letter is sent without editing its words, so nothing in it is a placeholder: what only the
case can say is given on the command line (`--findings`, `--reasons`, `--actions` files),
and a letter that needs one is refused, naming the option, until it is given. In an
on-behalf or partner-agency case the person affected gets the letter too, addressed to them.
Every fact a letter states that is not yet confirmed (the council's contact details, another
body's, a timescale) is flagged at its head.

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
from ..judge.judgement import Judgement
from ..loading.sources import line_at, read_text
from ..model import Council, Guidance, Signatory
from ..model.case_states import LETTER_KINDS, Decision, LetterKind, Recipient
from ..monitoring.register import Case, read_case
from ..render.letter_document import Block, LetterDocument
from ..render.letter_docx import letter_docx
from ..render.letter_pdf import letter_pdf
from ..templating import context_for, render_text
from ..text_safety import shown
from .application import case_application
from .letter_names import Facts, names_for, recipients
from .opening import refuses_applications

LETTERS = "guidance/letters.yml"
#: The register column that dates each letter, once that step is recorded.
STEP_DATE = {LetterKind.ACKNOWLEDGEMENT: "acknowledged_on", LetterKind.THRESHOLD_MET: "decision_letter_on",
             LetterKind.THRESHOLD_NOT_MET: "decision_letter_on", LetterKind.OUTCOME: "outcome_letter_on"}
#: What only the case can say, the option that gives it, and the letters that need it.
CASE_TEXTS = {"findings": ("--findings", (LetterKind.OUTCOME,), "what the review found"),
              "actions": ("--actions", (LetterKind.OUTCOME,), "the actions agreed, one a line"),
              "reasons": ("--reasons", (LetterKind.THRESHOLD_NOT_MET,),
                          "why the agencies decided that no case review is needed")}
MAX_TEXT_BYTES = 20_000


@dataclass
class CaseLetter:
    to: Recipient
    document: LetterDocument
    pdf: bytes
    docx: bytes


@dataclass
class CaseLetters:
    letters: list[CaseLetter]
    warnings: list[str] = field(default_factory=list)
    not_written: list[str] = field(default_factory=list)   # one sentence for each letter that could not be made


# -- is this letter right for this case? ------------------------------------------------------------

def _refusal(case: Case, kind: str) -> str | None:
    ref = case.case_ref
    if case.decision == Decision.WITHDRAWN:
        return f"case {ref} was withdrawn, so no letter is written for it"
    if kind in (LetterKind.THRESHOLD_MET, LetterKind.THRESHOLD_NOT_MET) and case.decision != kind:
        if case.decision == Decision.PENDING:
            return (f"the relevant bodies' decision on case {ref} is not recorded yet (the kit's assessment is "
                    f"advice, not a decision); record it with ctkit case decide {ref} --met or --not-met first")
        other = LetterKind.THRESHOLD_MET if kind == LetterKind.THRESHOLD_NOT_MET else LetterKind.THRESHOLD_NOT_MET
        return f"case {ref} is recorded as {other.replace('_', ' ')}, so its letter is {other}, not {kind}"
    if kind == LetterKind.OUTCOME and case.review_on is None:
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
    earliest = {LetterKind.OUTCOME: case.review_on, LetterKind.THRESHOLD_MET: case.decision_on,
                LetterKind.THRESHOLD_NOT_MET: case.decision_on}.get(kind) or case.received_on
    if day < earliest:
        raise Stop(Problem(case.path, case.line, f"the letter cannot be dated {longdate(day)}, before "
                                                 f"{longdate(earliest)}, the step it tells the applicant about"))
    return day, warnings


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


# -- what only the case can say ---------------------------------------------------------------------

def read_case_text(path: Path, option: str) -> list[str]:
    """A text file the SPOC wrote for a letter: its paragraphs (or lines), each on one line."""
    text, problems = read_text(path, shown(path.as_posix(), 300), MAX_TEXT_BYTES, what=f"{option} files")
    if text is None:
        raise Stop([problems[0]], status=2)
    if option == "--actions":
        parts = [line.strip().lstrip("-*•").strip() for line in text.splitlines()]
    else:
        parts = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in parts if p]


def case_texts(kind: str, case: Case, files: dict[str, Path | None]) -> dict[str, list[str]]:
    """The case's own words this letter needs, read from the files named; refused, naming the option, when one
    is missing, given for a letter that does not use it, or silent about a body the review recommended to."""
    out: dict[str, list[str]] = {}
    for name, (option, kinds, what) in CASE_TEXTS.items():
        path = files.get(name)
        if path is None:
            if kind in kinds:
                raise Stop.usage(f"the {kind.replace('_', ' ')} letter says {what}, which only you can write: put it "
                                 f"in a text file and give it with {option} FILE (nothing is left for you to fill in "
                                 "afterwards, so the letter can be sent as it is)")
            continue
        if kind not in kinds:
            raise Stop.usage(f"{option} is for the {' and '.join(k.replace('_', ' ') for k in kinds)} letter only")
        out[name] = read_case_text(path, option)
    if kind == LetterKind.OUTCOME and case.recommendations:
        actions = out.get("actions", [])
        said = [line for line in actions if any(line.casefold().startswith(b.casefold()) for b in case.recommendations_to)]
        silent = [b for b in case.recommendations_to if not any(line.casefold().startswith(b.casefold()) for line in said)]
        if silent:
            raise Stop.usage(f"the review made recommendations to {', '.join(silent)}, but no line of --actions "
                             "starts with that name to say what it is recommended to do; add a line such as "
                             f"'{silent[0]}: what it will do, by when'")
        out["recommended"] = said
        out["actions"] = [line for line in actions if line not in said]   # each said once, under its heading
    return out


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
            if items and block.get("as") == "paragraphs":
                out += [Block("paragraph", text) for text in items]
            elif items:
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


def _flags(render: _Renderer, guidance: Guidance, council: Council, facts: Facts, criteria) -> tuple[str, ...]:
    """A flag at the head of the letter for every unconfirmed fact it states, as for the council's letterhead."""
    out = [] if council.spoc.verified else [render(guidance.letters["parts"]["unconfirmed"], ["parts", "unconfirmed"])]
    for org in facts.unconfirmed_organisations(guidance):
        out.append(render(guidance.letters["parts"]["unconfirmed_body"], ["parts", "unconfirmed_body"], item=org))
    names = facts.unconfirmed_timescales(criteria)
    if names:
        out.append(render(guidance.letters["parts"]["unconfirmed_timescales"], ["parts", "unconfirmed_timescales"],
                          item=[criteria.timescales[n] for n in names]))
    return tuple(t for t in out if t)


def _signature(signer: Signatory, council: Council) -> tuple[str, ...]:
    """The signer's name, then their role, team and council on one line, none of them twice."""
    said: list[str] = []
    for part in (signer.role, council.spoc.team, council.name):
        if part and part.casefold() not in (s.casefold() for s in said):
            said.append(part)
    return (signer.name, ", ".join(said))


def build_letter(guidance: Guidance, council: Council, case: Case, kind: str, day: dt.date, j: Judgement,
                 data: dict, signer: Signatory, to: Recipient = Recipient.APPLICANT,
                 address: tuple[str, ...] = (), texts: dict[str, list[str]] | None = None) -> LetterDocument:
    facts = Facts()
    names = names_for(guidance, case, kind, day, j, data, signer, to, texts, facts)
    lists = names.pop("_lists")
    if kind == LetterKind.MORE_INFORMATION and not lists["missing"]:
        raise Stop(Problem(case.path, case.line, f"the kit finds nothing missing from the application for case "
                                                 f"{case.case_ref}, so there is nothing to ask for"))
    version = guidance.in_force_on(case.received_on)
    context = context_for(guidance, council, version)
    criteria = facts.criteria(context["criteria"])
    context.update(names, org=facts.organisations(guidance), criteria=criteria)
    render = _Renderer(guidance, context)
    letters = guidance.letters
    context["words"] = {key: render(text, ["words", key]) for key, text in (letters.get("words") or {}).items()}
    parts = {key: render(text, ["parts", key]) for key, text in letters["parts"].items()
             if not key.startswith("unconfirmed")}
    spoc = council.spoc
    sender_lines = tuple(x for x in (spoc.team, *spoc.address, spoc.postcode, parts["phone"], parts["email"],
                                     parts["web"]) if x)
    definition = letters["letters"][kind]
    blocks = _blocks(render, letters, definition["body"], ["letters", kind, "body"], lists)
    title = render(definition["subject"], ["letters", kind, "subject"])
    return LetterDocument(
        title=title, sender=council.name, sender_lines=sender_lines,
        warnings=_flags(render, guidance, council, facts, criteria), recipient=address, date=longdate(day),
        reference=parts["reference"], salutation=parts["salutation"], blocks=_without_empty_headings(blocks),
        closing=parts["closing"], signature=_signature(signer, council), footer=parts["footer"])


def case_letter(guidance: Guidance, register: Path, ref: str, kind: str, application: Path | None = None,
                signed_by: str | None = None, on: dt.date | None = None, today: dt.date | None = None,
                files: dict[str, Path | None] | None = None) -> CaseLetters:
    """The letter `kind` for case `ref`, as PDF and .docx, to the applicant and, in an on-behalf or partner-agency
    case, to the person affected; Stop with a sentence when it does not fit the case."""
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
    texts = case_texts(kind, case, files or {})
    day, warnings = letter_date(case, kind, on, today)
    found = case_application(guidance, case, application, today)
    signer, more = officer(signed_by, council)
    out = CaseLetters([], warnings + more)
    for to, address in recipients(case, found.data, kind):
        if address is None:
            out.not_written.append(f"no {kind.replace('_', ' ')} letter was written to the person affected: the "
                                   "application gives no address for them; add it to the application, or tell them "
                                   "another way")
            continue
        document = build_letter(guidance, council, case, kind, day, found.judgement, found.data, signer, to, address,
                                texts)
        out.letters.append(CaseLetter(to, document, letter_pdf(document), letter_docx(document, day)))
    if not council.spoc.verified:
        out.warnings.append(f"{council.name}'s contact details on the letterhead are not yet confirmed "
                            f"(guidance/councils/{council.id}.yml); the letter says so until they are")
    return out
