"""An invented application and a walk through the case commands, shared by the case and letter tests."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from pypdf import PdfReader

#: Received on Monday 2 November 2026; three reports, each made within a month and in the six months before.
APPLICATION = {
    "form": "application", "form_version": "2.0", "received_on": "2026-11-02", "basis": "victim",
    "applicant": {"name": "Pat Example", "address": "1 Test Street\nIlkeston", "postcode": "ZZ1 1ZZ",
                  "phone": "00000 000000", "preferred_contact": "phone"},
    "asb_types": ["noise", "harassment"], "hate_incident": False,
    "incidents": [
        {"occurred_on": "2026-09-10", "reported_on": "2026-09-11", "reported_to": "Derbyshire Constabulary",
         "description": "Loud music"},
        {"occurred_on": "2026-10-01", "reported_on": "2026-10-02", "reported_to": "Erewash Borough Council",
         "description": "Shouting"},
        {"occurred_on": "2026-10-20", "reported_on": "2026-10-21", "reported_to": "Derbyshire Constabulary",
         "description": "Loud music"},
    ],
    "impact": "Cannot sleep", "desired_outcome": "Quiet",
    "declaration": {"signed_name": "Pat Example", "signed_on": "2026-11-01"},
}
OFFICER = "Sam Officer, Community Safety Officer"


def application(**changes) -> dict:
    data = copy.deepcopy(APPLICATION)
    data.update(copy.deepcopy(changes))
    return data


def not_met() -> dict:
    """The second report was made more than a month after the incident: two qualifying complaints."""
    data = application()
    data["incidents"][1]["reported_on"] = "2026-11-02"
    data["incidents"][1]["occurred_on"] = "2026-09-20"
    return data


def write(folder: Path, name: str, data: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def opened(ctkit, folder: Path, data: dict, name: str = "app.json", register: str = "erewash.csv") -> tuple[str, Path, Path]:
    app, reg = write(folder, name, data), folder / register
    run = ctkit("case", "open", str(app), "--council", "erewash", "--register", str(reg))
    assert run.returncode == 0, run.stderr
    return run.stdout.strip(), app, reg


def pdf_text(path: Path) -> str:
    """The letter's words, with line breaks as spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
