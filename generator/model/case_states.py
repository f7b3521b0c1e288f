"""The words a case is recorded in: who applied, what the bodies decided, the steps, the appeal, the letters.

One module, so the register's check, the casework commands, the figures and the command
line name a decision or a step the same way (StrEnum members are the register's own
strings, so `Decision.PENDING == "pending"`). schemas/register.schema.json lists the same
values for editors and spreadsheets; a test holds the two together.
"""
from __future__ import annotations

from enum import StrEnum


class Basis(StrEnum):
    VICTIM = "victim"
    ON_BEHALF = "on_behalf"
    PARTNER_AGENCY = "partner_agency"


class Assessment(StrEnum):
    """The kit's judgement on the day a case was opened: advice, never the bodies' decision."""

    THRESHOLD_MET = "threshold_met"
    THRESHOLD_NOT_MET = "threshold_not_met"
    INCOMPLETE = "incomplete"


class Decision(StrEnum):
    """What the relevant bodies decided (`ctkit case decide`), or that the application was withdrawn."""

    PENDING = "pending"
    THRESHOLD_MET = "threshold_met"
    THRESHOLD_NOT_MET = "threshold_not_met"
    WITHDRAWN = "withdrawn"


DECIDED = (Decision.THRESHOLD_MET, Decision.THRESHOLD_NOT_MET)
DECISION_WORDS = {Decision.PENDING: "no decision yet", Decision.THRESHOLD_MET: "the threshold is met",
                  Decision.THRESHOLD_NOT_MET: "the threshold is not met", Decision.WITHDRAWN: "withdrawn"}


class AppealResult(StrEnum):
    UPHELD = "upheld"
    NOT_UPHELD = "not_upheld"
    PENDING = "pending"


class Step(StrEnum):
    """The SPOC's steps in the order a case meets them; the values are the timescales' names in criteria.yml."""

    ACKNOWLEDGE = "acknowledge"
    THRESHOLD_DECISION = "threshold_decision"
    REVIEW_MEETING = "review_meeting"
    OUTCOME_LETTER = "outcome_letter"


class LetterKind(StrEnum):
    """The letters a case can have, in the order a case meets them."""

    ACKNOWLEDGEMENT = "acknowledgement"
    MORE_INFORMATION = "more_information"
    THRESHOLD_MET = "threshold_met"
    THRESHOLD_NOT_MET = "threshold_not_met"
    OUTCOME = "outcome"


LETTER_KINDS = tuple(k.value for k in LetterKind)


class Recipient(StrEnum):
    """Who a letter goes to: the applicant, and in an on-behalf or partner-agency case also the person affected."""

    APPLICANT = "applicant"
    PERSON_AFFECTED = "person_affected"
