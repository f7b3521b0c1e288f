"""What a form sends and what the receiver answers: the contract the README documents for councils.

One place for the names of the parts, the limits and every refusal (a stable code, its HTTP
status and one sentence), so the receiver, its tests, the README and the online form agree.
A refusal's sentence never quotes what was sent: an answer is seen by the sender, and may be
logged by a proxy on the way.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..judge.submissions import MAX_DATA_BYTES
from ..model import APPLICATIONS_PATH

__all__ = ["APPLICATIONS_PATH", "HEALTH_PATH", "JSON_PART", "PDF_PART", "HONEYPOT", "MAX_BODY_BYTES",
           "MAX_DATA_BYTES", "Refusal", "refusal"]

HEALTH_PATH = "/health"
#: The two file parts of the multipart body, each named (and with a file name) as here.
JSON_PART = "application.json"
PDF_PART = "application.pdf"
#: A text part the online form keeps hidden and empty; programs that fill in every box give themselves away.
HONEYPOT = "leave_blank"
#: The whole body. A filled application PDF is well under 1 MB; the browser's, with its font, under 2 MB.
MAX_BODY_BYTES = 10_000_000
#: Parts in one body: the two files, the honeypot, and room for a platform's own extra fields.
MAX_PARTS = 8


@dataclass(frozen=True)
class Refusal:
    """Why a submission was not taken: `{"error": sentence, "code": code}` with `status`."""

    status: int
    code: str
    sentence: str

    def as_json(self) -> dict[str, str]:
        return {"error": self.sentence, "code": self.code}


_MB = MAX_BODY_BYTES // 1_000_000
#: Every refusal the receiver gives: code -> (HTTP status, sentence). `{…}` names are filled in by `refusal`.
REFUSALS: dict[str, tuple[int, str]] = {
    "too_large": (413, f"The application is larger than the {_MB} MB this service accepts, so it was not kept."),
    "not_multipart": (415, f"Send the application as multipart/form-data, with the two parts {JSON_PART} and "
                           f"{PDF_PART}."),
    "unreadable_body": (400, "The form data could not be read, so nothing was kept; send it again as "
                             "multipart/form-data."),
    "missing_part": (400, f"The part {{part}} is missing, so nothing was kept: send both {JSON_PART} and {PDF_PART}."),
    "not_json": (400, f"{JSON_PART} could not be read: {{reason}}"),
    "not_valid": (400, f"{JSON_PART} does not match the application form at {{where}}, so nothing was kept."),
    "not_the_form": (400, f"{PDF_PART} is not a filled application form of this service, so nothing was kept."),
    "honeypot": (400, "A box that must be left empty was filled in, so the application was not kept; if you are "
                      "a person, please phone the council."),
    "wrong_origin": (403, "This service takes applications only from the council's own website."),
    "not_found": (404, f"There is nothing here; applications go to {APPLICATIONS_PATH}."),
    "wrong_method": (405, "This address does not answer that kind of request."),
    "too_many": (429, "Too many applications came from this address; try again in {minutes} minutes, or phone "
                      "the council."),
    "inbox_unavailable": (503, "The application could not be stored just now, so nothing was kept; try again "
                               "later, or phone the council."),
    "busy": (503, "The service is too busy just now, so nothing was kept; try again in a minute."),
    "internal": (500, "Something went wrong while receiving the application, so nothing was kept; try again "
                      "later, or phone the council."),
}


def refusal(code: str, **names: object) -> Refusal:
    status, sentence = REFUSALS[code]
    return Refusal(status, code, sentence.format(**names))
