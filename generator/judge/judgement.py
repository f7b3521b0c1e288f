"""Judge one read submission as the Act reads: the threshold first, then what the SPOC must still do.

`judge_submission` gives a `Judgement`: real dates and typed values, from which the text,
JSON and CSV reports, the letters and the case register are all made (`as_json()` is the
`ctkit validate --format json` contract of ARCHITECTURE.md). It never holds back the threshold
answer for something that cannot change it: `incomplete` only when a gap could change the
answer (an incident date missing when counting it could reach the threshold; no incidents
list at all) or when nobody can be told the answer (no name, or no address, phone or email).
Every other gap is listed as not blocking, for the SPOC to ask for.

The judgement holds no names, addresses or descriptions: dates, codes, counts and the labels
of questions only, so it can be printed and logged safely.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from ..dates import longdate, months_after
from ..errors import Problem
from ..model import Criteria, Guidance, Version
from ..templating import context_for, render_text
from .answers import Answers, read_answers
from .deadlines import Deadline, deadlines_for
from .submissions import Submission
from .threshold import Entry, Tally, judge_incidents, reason_sentence

DECISIONS = ("threshold_met", "threshold_not_met", "incomplete", "unreadable", "internal_error")
#: Words in the applicant's own text that suggest a complaint about one member of staff.
_STAFF_WORDS = re.compile(r"\b(officers?|pcsos?|pc|police ?constables?|staff|employees?|case ?workers?|"
                          r"housing officers?|neighbourhood officers?|rude|unprofessional)\b", re.IGNORECASE)
_CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")
_VERSION = re.compile(r"^\d{1,3}\.\d{1,3}$")
#: The applicant's name and contact details: without them nobody can be told the answer.
WHO_TO_TELL = ("/applicant/name", "/applicant/address", "/applicant/phone", "/applicant/email", "/applicant")


@dataclass(frozen=True)
class Check:
    """A question only a person can answer, flagged when the answers give a reason to look."""

    id: str
    flagged: bool
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "flagged": self.flagged, "message": self.message}


@dataclass
class Judgement:
    file: str
    decision: str                                   # one of DECISIONS
    summary: str = ""
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    received_on: dt.date | None = None
    received_on_source: str | None = None           # data | --received | file_date
    version: Version | None = None
    criteria: Criteria | None = None
    tally: Tally | None = None
    entries: list[Entry] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    basis: str | None = None
    asb_types: list[str] = field(default_factory=list)
    hate_incident: bool | None = None
    case_ref: str | None = None

    # -- what the reports read ------------------------------------------------------
    @property
    def judged(self) -> bool:
        return self.decision not in ("unreadable", "internal_error")

    @property
    def guidance_version(self) -> str | None:
        return self.version.version if self.version else None

    @property
    def qualifying_incidents(self) -> int:
        return self.tally.qualifying_incidents if self.tally else 0

    @property
    def qualifying_complaints(self) -> int:
        return self.tally.qualifying_complaints if self.tally else 0

    @property
    def route(self) -> str | None:
        """The route by which the threshold is met; None unless the decision is threshold_met."""
        return self.tally.route if self.tally and self.decision == "threshold_met" else None

    def deadline(self, name: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.name == name), None)

    def incident_rows(self) -> list[dict[str, Any]]:
        """Each entry of the incidents table with its verdict and the reasons in words."""
        if self.tally is None:
            return []
        by_index = {e.index: e for e in self.entries}
        rows = []
        for r in self.tally.entries:
            entry = by_index[r.index]
            rows.append({
                "entry": r.index + 1, "incident": r.incident,
                "occurred_on": entry.occurred_on, "occurred_at": entry.occurred_at, "reported_on": entry.reported_on,
                "qualifies": r.qualifies, "complaint": r.complaint, "reasons": list(r.reasons),
                "explanations": [reason_sentence(code, entry, self.received_on, self.criteria, r.same_as)
                                 for code in r.reasons],
                "same_as": r.same_as, "untimed_merge": r.untimed_merge,
            })
        return rows

    def as_json(self) -> dict[str, Any]:
        """The `ctkit validate --format json` object for this file (dates as ISO text)."""
        def iso(day: dt.date | None) -> str | None:
            return day.isoformat() if day else None

        incidents = [{**row, "occurred_on": iso(row["occurred_on"]), "reported_on": iso(row["reported_on"])}
                     for row in self.incident_rows()]
        return {
            "file": self.file, "decision": self.decision, "summary": self.summary,
            "qualifying_incidents": self.qualifying_incidents, "qualifying_complaints": self.qualifying_complaints,
            "counts": self.criteria.counts if self.criteria else None,
            "threshold": self.criteria.threshold if self.criteria else None, "route": self.route,
            "distinct_incidents": self.tally.incidents if self.tally else 0,
            "individuals": self.tally.individuals if self.tally else None,
            "incidents": incidents, "errors": [e.as_json() for e in self.errors],
            "spoc_checks": [c.as_json() for c in self.checks], "deadlines": [d.as_json() for d in self.deadlines],
            "guidance_version": self.guidance_version, "received_on": iso(self.received_on),
            "received_on_source": self.received_on_source, "warnings": list(self.warnings),
            "basis": self.basis, "asb_types": list(self.asb_types), "hate_incident": self.hate_incident,
            "case_ref": self.case_ref,
        }


def unreadable(file: str, sentence: str) -> Judgement:
    """A file that is not a form the kit can read, with the one sentence that says why."""
    return Judgement(file, "unreadable", f"The file cannot be read: {sentence}",
                     errors=[Problem(file, None, sentence, field="The file", blocks_decision=True)])


INTERNAL_ERROR = ("the kit failed while judging it. This is a fault in the kit, not in the file or the answers: "
                  "please report it to the kit's maintainers (run again with CTKIT_DEBUG=1 for the details).")


def internal_error(file: str) -> Judgement:
    """A file the kit read but failed to judge: its own fault, never reported as a damaged file."""
    return Judgement(file, "internal_error", f"Not judged: {INTERNAL_ERROR}",
                     errors=[Problem(file, None, INTERNAL_ERROR, field="The kit", blocks_decision=True)])


def _file_date(path: Path) -> dt.date | None:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    except (OSError, OverflowError, ValueError):
        return None


def _words_for(guidance: Guidance) -> Callable[[str], str]:
    """Renders a form's templated wording (a label naming a figure) with the current guidance's names;
    plain wording, the usual case, is returned as it is without building a context."""
    cache: dict[str, str] = {}

    def words(text: str) -> str:
        if "{" not in text:
            return text
        if text not in cache:
            rendered, _problems = render_text(text, context_for(guidance), "forms/application.yml")
            cache[text] = html.unescape(rendered or text).strip()
        return cache[text]
    return words


def judge_submission(sub: Submission, guidance: Guidance, file: str, received_override: dt.date | None,
                     today: dt.date | None = None) -> Judgement:
    """The full judgement of one read file, never raising for bad data."""
    if not sub.readable or sub.data is None:
        return unreadable(file, sub.error or "it is not a form the kit can read.")
    today = today or dt.date.today()
    form = guidance.forms["application"]
    answers = read_answers(sub.data, form, file, _words_for(guidance))
    j = Judgement(file, "incomplete", errors=list(answers.problems), warnings=list(sub.warnings),
                  basis=answers.basis, asb_types=answers.asb_types, hate_incident=answers.hate_incident,
                  entries=answers.entries)
    _case_ref(j, answers, form.label_for(("case_ref",)))
    if answers.unknown_answers:
        n = answers.unknown_answers
        j.errors.append(Problem(file, None, f"{n} answer{'s' if n != 1 else ''} in the file "
                                            f"{'are' if n != 1 else 'is'} not on this form, so "
                                            f"{'they were' if n != 1 else 'it was'} not read.",
                                field="Answers the form does not ask for", blocks_decision=False))
    _date_received(j, answers, sub.path, received_override, today,
                   given=any(e.pointer == "/received_on" for e in answers.problems))
    if j.received_on is None:   # written, but not as a date: nothing can be counted from it
        j.errors = [replace(e, blocks_decision=True) if e.pointer == "/received_on" else e for e in j.errors]
        j.summary = _summary(j)
        return j
    version = guidance.in_force_on(j.received_on)
    if version is None:
        first = min((v.effective_from for v in guidance.versions if v.is_approved and v.effective_from), default=None)
        j.errors.append(Problem(file, None, f"is {longdate(j.received_on)}, before the guidance "
                                            f"came into force on {longdate(first)}, so there is no threshold to "
                                            "judge it by.", pointer="/received_on",
                                field=form.label_for(("received_on",)), blocks_decision=True))
        j.summary = _summary(j)
        return j
    j.version, j.criteria = version, guidance.criteria_for(version)
    if not version.is_approved:   # a new partnership, before its first version is approved
        j.warnings.append(f"Judged by draft version {version.version} of the guidance: no version is approved yet, "
                          "so its figures (bound by the Act's limits) are used until one is.")
    _form_version(j, sub.data.get("form_version"))
    j.tally = judge_incidents(answers.entries, j.received_on, j.criteria, answers.hate_incident)
    j.errors = _blocking(j, answers, form.label_for(("applicant",)))
    j.decision = "incomplete" if any(e.blocks_decision for e in j.errors) else \
        "threshold_met" if j.tally.threshold_met else "threshold_not_met"
    j.checks = spoc_checks(j, answers, day_month_expected=sub.kind == "pdf")
    j.deadlines = deadlines_for(j.criteria, j.received_on, j.decision)
    j.summary = _summary(j)
    return j


def _case_ref(j: Judgement, answers: Answers, label: str) -> None:
    ref = answers.case_ref
    if ref is None:
        return
    if _CASE_REF.match(ref):
        j.case_ref = ref
    else:
        j.errors.append(Problem(j.file, None, "is not in the usual form (letters, numbers and - / _ . only, up to "
                                              "40 characters), so it was not used.", pointer="/case_ref",
                                field=label, blocks_decision=False))


def _date_received(j: Judgement, answers: Answers, path: Path, override: dt.date | None, today: dt.date,
                   given: bool) -> None:
    """--received, else received_on from the data, else (only when the data has none) the file's date with a
    warning that says exactly that (ARCHITECTURE.md). A received_on `given` but unreadable leaves it None."""
    read = answers.received_on
    if override is not None:
        if read and read != override:
            j.warnings.append(f"The form says it was received on {longdate(read)}; "
                              f"--received {override.isoformat()} was used instead.")
        j.received_on, j.received_on_source = override, "--received"
        j.errors = [e for e in j.errors if e.pointer != "/received_on"]
    elif read is not None:
        j.received_on, j.received_on_source = read, "data"
    elif given:
        return
    else:
        j.received_on, j.received_on_source = _file_date(path) or today, "file_date"
        j.warnings.append(f"The form does not say when it was received, so the file's own date "
                          f"({longdate(j.received_on)}) was used. Check it, and give the real date with --received.")
    if j.received_on > today:
        j.warnings.append(f"The date received, {longdate(j.received_on)}, is in the future; check it.")


def _form_version(j: Judgement, form_version: Any) -> None:
    if not isinstance(form_version, str) or not form_version or form_version == j.version.version:
        return
    if _VERSION.match(form_version):
        j.warnings.append(f"The form is version {form_version}; it is judged by version {j.version.version}, "
                          f"the guidance in force on {longdate(j.received_on)}.")
    else:
        j.warnings.append(f"The form does not say which guidance version it is in a form the kit knows; it is "
                          f"judged by version {j.version.version}, the guidance in force on "
                          f"{longdate(j.received_on)}.")


def _best_case(entry: Entry, received_on: dt.date, criteria: Criteria) -> Entry:
    """The entry with each missing date put where it would most help it qualify, worked out from the
    dates that are known: the incident on the day of the report; the report on the last day it could
    count (a month after the incident, and not after the application). A later report is never
    worse for any window, so this is the best case for every route."""
    occurred, reported = entry.occurred_on, entry.reported_on
    if occurred is None and reported is None:
        occurred = reported = received_on
    elif occurred is None:
        occurred = reported
    elif reported is None:
        reported = max(occurred, min(months_after(occurred, criteria.report_within_months), received_on))
    return replace(entry, occurred_on=occurred, reported_on=reported)


def _dates_could_change_answer(j: Judgement, answers: Answers) -> bool:
    """Whether some value of the missing or wrong incident dates would meet the threshold (by any route)
    that is not met now (ARCHITECTURE.md "Incomplete only when it could change the answer")."""
    if j.tally.threshold_met or not answers.date_problems:
        return False
    gaps = set(answers.date_problems)
    best = [_best_case(e, j.received_on, j.criteria) if e.index in gaps else e for e in answers.entries]
    return judge_incidents(best, j.received_on, j.criteria, answers.hate_incident).threshold_met


def _incident_index(p: str, key: str) -> int | None:
    """The entry number in a pointer such as /incidents/3/occurred_on (or /incidents/3 itself)."""
    parts = p.split("/")
    if len(parts) >= 3 and parts[1] == key and parts[2].isdigit() \
            and (len(parts) == 3 or parts[3] in ("occurred_on", "reported_on")):
        return int(parts[2])
    return None


def _blocking(j: Judgement, answers: Answers, who_label: str) -> list[Problem]:
    """Mark the gaps that could change the answer, or that leave nobody to tell it to. Linear in the
    number of errors: each pointer is looked up, never compared with every entry."""
    could_change = _dates_could_change_answer(j, answers)
    dated = set(answers.date_problems)
    out = []
    for e in j.errors:
        p = e.pointer or ""
        blocks = e.blocks_decision
        if not answers.entries_given and (p == "/incidents"):
            blocks = True
        elif could_change and _incident_index(p, "incidents") in dated:
            blocks = True
        elif not answers.can_be_told and p in WHO_TO_TELL:
            blocks = True
        out.append(replace(e, blocks_decision=blocks))
    if not answers.can_be_told and not any(e.blocks_decision and e.pointer in WHO_TO_TELL for e in out):
        out.append(Problem(j.file, None, "must give a name and an address, phone number or email, so the answer "
                                         "can be sent.", pointer="/applicant", field=who_label,
                           blocks_decision=True))
    return out


def spoc_checks(j: Judgement, a: Answers, day_month_expected: bool = False) -> list[Check]:
    """Questions only a person can answer, flagged where the answers give a reason to look.
    `day_month_expected`: the file is a form that asks for dates as day/month/year (a PDF)."""
    tally, criteria = j.tally, j.criteria
    checks = [Check("incidents_related", tally.deciding_count > 1,
                    "Are the incidents related (the same people, the same place or the same problem)? The kit "
                    "cannot judge this; the threshold counts only related incidents.")]
    staff = any(_STAFF_WORDS.search(t) for t in a.free_text if t)
    checks.append(Check("complaint_about_staff", staff,
                        ("The answers mention an officer or a member of staff. " if staff else "")
                        + "Is this a complaint about how one officer or member of staff behaved? If so, it belongs "
                          "in that organisation's complaints procedure rather than a case review."))
    if tally.qualifying_complaints >= criteria.threshold > tally.qualifying_incidents:
        local = (f"Version {criteria.version} of the guidance counts separate occasions, which would give "
                 "\"not met\"; " if criteria.counts_occasions else "")
        checks.append(Check("counts_disagree", True,
                            f"There are {tally.qualifying_complaints} qualifying complaints but only "
                            f"{tally.qualifying_incidents} separate incident{'s' if tally.qualifying_incidents != 1 else ''}"
                            f" (one incident reported to two organisations is two complaints). {local}the Act "
                            f"(s.104(4)) requires the threshold to be treated as met when {criteria.threshold} "
                            "qualifying complaints have been made, so the kit's answer is \"met\". Record this in "
                            "the decision."))
    merged = [r.index + 1 for r in tally.entries if r.untimed_merge]
    if merged and tally.incidents_if_untimed_apart != tally.qualifying_incidents:
        checks.append(Check("untimed_merge", True,
                            f"Entries {_numbers(merged)} were taken as the same incident because they share a date "
                            f"and at least one gives no time. If they were separate incidents there would be "
                            f"{tally.incidents_if_untimed_apart} qualifying incidents, not "
                            f"{tally.qualifying_incidents}. Ask the applicant whether they happened at different "
                            "times."))
    dups = [r for r in tally.entries if r.same_as and not r.untimed_merge]
    if dups:
        pairs = ", ".join(f"entry {r.index + 1} with entry {r.same_as}" for r in dups)
        checks.append(Check("duplicates", True, f"Some entries were taken as the same incident reported twice "
                                                f"({pairs}); check that they really are the same incident."))
    if not tally.threshold_met and j.decision != "incomplete":
        checks.append(Check("discretion", True, _discretion(j, a)))
    if a.person_agreement_missing:
        checks.append(Check("person_agreement", True,
                            "Someone is applying for another person, but the form does not give that person's name "
                            "or say they agree. Get the person's agreement before sharing their details."))
    if a.sharing_limits:
        checks.append(Check("sharing_limits", True,
                            "The applicant has said who should not be contacted or what should not be shared. Read "
                            "that answer on the form before you ask the agencies for information."))
    if a.sharing_consent_refused:
        checks.append(Check("sharing_consent", True,
                            "This older form says the applicant does not agree to information being shared. The "
                            "agencies share for the review as a public task, not on consent, so the review goes "
                            "ahead; explain this to the applicant and ask what they do not want shared."))
    if a.vulnerabilities:
        checks.append(Check("vulnerability", True, "The applicant describes vulnerabilities or support needs: "
                                                   "consider them in how you contact them and in the risk assessment."))
    if a.hate_incident:
        checks.append(Check("hate_incident", True, "The applicant says this is a hate incident: follow the hate "
                                                   "incident procedures and consider the extra support the victim "
                                                   "may need."))
    if tally.route == "five_individuals":
        checks.append(Check("separate_individuals", True,
                            f"The threshold is met through the route for {criteria.five_individuals_route.individuals} "
                            "separate individuals: check that the people named really are different people."))
    if tally.route == "hate":
        checks.append(Check("hate_route", True, "The threshold is met through the local route for hate incidents: "
                                                "check that the incidents reported are hate incidents."))
    if j.received_on_source == "file_date":
        checks.append(Check("date_received", True,
                            "The date received was taken from the file; every date above depends on it."))
    reported = [e.reported_on for e in j.entries if e.reported_on]
    if reported and j.received_on < min(reported):
        checks.append(Check("received_before_reports", True,
                            f"The date received, {longdate(j.received_on)}, is before every report on the form (the "
                            f"first was made on {longdate(min(reported))}), so no report can count. Check the date "
                            "received: the deadlines are counted from it."))
    if a.uk_order and not day_month_expected:
        read = "; ".join(f"{label}: {longdate(day)}" for label, day in a.uk_order)
        checks.append(Check("day_month_order", True,
                            f"Some dates were written day/month/year and were read that way ({read}). If the file "
                            "came from a system that writes the month first, check them with the applicant."))
    return checks


def _numbers(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _discretion(j: Judgement, a: Answers) -> str:
    """s.104(5): the bodies may still hold a review; what the form says about each thing they weigh."""
    dated = sorted(e.reported_on for e in j.entries if e.reported_on)
    span = (f"{len(j.entries)} reports listed, made between {longdate(dated[0])} and {longdate(dated[-1])}"
            if len(dated) > 1 else f"{len(j.entries)} report{'s' if len(j.entries) != 1 else ''} listed")
    return ("The threshold is not met, but the relevant bodies may still decide to hold a review (s.104(5) of the "
            "Act). Consider, with them: the persistence of the behaviour (" + span + "); the harm or potential "
            "harm (" + ("the form describes the effect on the person" if a.impact_given else
                        "the form does not describe the effect on the person") + "); whether the response so far "
            "was adequate (read what happened after each report); a vulnerability (" +
            ("described on the form" if a.vulnerabilities else "none described") + "); and a hate element (" +
            ("the form says it is a hate incident" if a.hate_incident else "not ticked") + "). Record the decision "
            "and the reasons either way.")


_DECISION_WORDS = {"threshold_met": "The threshold is met", "threshold_not_met": "The threshold is not met",
                   "incomplete": "The application is incomplete"}


def _summary(j: Judgement) -> str:
    """One plain sentence that sums up the decision."""
    head = _DECISION_WORDS.get(j.decision, "")
    if j.decision == "incomplete":
        blocking = sum(e.blocks_decision for e in j.errors)
        rest = len(j.errors) - blocking
        text = (f"{head}: {blocking} answer{'s' if blocking != 1 else ''} must be put right before the threshold "
                f"can be decided")
        return text + (f", and {rest} more {'are' if rest != 1 else 'is'} missing or wrong." if rest else ".")
    c, t = j.criteria, j.tally
    counted = (f"{t.qualifying_complaints} qualifying complaint{'s' if t.qualifying_complaints != 1 else ''} "
               f"({t.qualifying_incidents} separate incident{'s' if t.qualifying_incidents != 1 else ''})")
    text = f"{head}: {counted}, and the threshold is {c.threshold}"
    if t.route == "five_individuals":
        text += (f"; it is met through the route for {c.five_individuals_route.individuals} separate individuals "
                 f"({t.individuals} reported)")
    elif t.route == "hate":
        text += "; it is met through the local route for hate incidents"
    missing = len(j.errors)
    if missing:
        text += (f". {missing} answer{'s are' if missing != 1 else ' is'} still missing or wrong, but "
                 f"{'they do' if missing != 1 else 'it does'} not change this")
    return text + "."


__all__ = ["Check", "Judgement", "judge_submission", "unreadable", "internal_error", "spoc_checks", "DECISIONS"]
