"""The contract written down: `site.submit` in a council's file, as `ctkit check` reads it, and the README.

The browser sends names, addresses and accounts of harassment to `site.submit.url`, so `ctkit check`
holds it to https, the council's own host and the receiver's path, naming the line to change.
"""
from __future__ import annotations

import re

import pytest

from generator.model import APPLICATIONS_PATH
from generator.receiving.contract import HONEYPOT, JSON_PART, MAX_BODY_BYTES, MAX_DATA_BYTES, PDF_PART, REFUSALS
from generator.receiving.server import Settings

SITE_BLOCK = "site:\n  url: https://www.erewash.gov.uk/community-trigger/\n"


def _with_submit(tmp_root, submit: str, council: str = "erewash") -> None:
    path = tmp_root / "guidance" / "councils" / f"{council}.yml"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^site:\n  url: .*\n", text, re.M)[0]
    path.write_text(text.replace(block, block + submit), encoding="utf-8")


def _errors(run) -> list[str]:
    return [line for line in (run.stdout + run.stderr).splitlines()
            if line.startswith("guidance/councils/") and "warning" not in line]


def test_a_council_may_name_its_own_receiver_which_check_lists_until_confirmed(ctkit, tmp_root):
    _with_submit(tmp_root, "  submit:\n    url: https://apply.erewash.gov.uk/community-trigger/applications\n"
                           "    verified: false\n    note: The receiver is not running yet.\n")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "site → submit is not yet confirmed: The receiver is not running yet." in run.stdout + run.stderr


@pytest.mark.parametrize("url, words", [
    ("http://www.erewash.gov.uk/applications", "must start with https://"),
    ("https://forms.example.com/applications", "is not on the council's own site (www.erewash.gov.uk)"),
    ("https://erewash.gov.uk.example.com/applications", "or a host under erewash.gov.uk"),
    ("https://www.erewash.gov.uk/community-trigger/send", "must end in /applications"),
    ("http://127.0.0.1:8750/applications", "is not on the council's own site"),   # only for a site on 127.0.0.1
])
def test_check_refuses_a_receiver_that_is_not_the_councils_own_naming_the_line(ctkit, tmp_root, url, words):
    _with_submit(tmp_root, f"  submit:\n    url: {url}\n")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    errors = _errors(run)
    lines = (tmp_root / "guidance" / "councils" / "erewash.yml").read_text(encoding="utf-8").splitlines()
    line = lines.index(f"    url: {url}") + 1
    assert errors and errors[0].startswith(f"guidance/councils/erewash.yml:{line}: ") and words in errors[0], errors


@pytest.mark.parametrize("url", ['https://www.erewash.gov.uk/"onmouseover=x"/applications',
                                 "https://www.erewash.gov.uk/<script>/applications",
                                 "https://www.erewash.gov.uk/applications?to=elsewhere",
                                 "https://user@www.erewash.gov.uk/applications"])
def test_check_refuses_quotes_brackets_queries_and_passwords_in_the_address(ctkit, tmp_root, url):
    _with_submit(tmp_root, f"  submit:\n    url: '{url}'\n")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    assert any("site → submit → url" in line and "not in the expected form" in line for line in _errors(run))


def test_a_receiver_on_this_computer_may_use_plain_http_for_a_site_on_this_computer(ctkit, tmp_root):
    path = tmp_root / "guidance" / "councils" / "erewash.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "https://www.erewash.gov.uk/community-trigger/", "http://127.0.0.1:8000/"), encoding="utf-8")
    _with_submit(tmp_root, "  submit:\n    url: http://127.0.0.1:8750/applications\n")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 0, _errors(run)


def test_the_county_council_sends_no_applications(ctkit, tmp_root):
    _with_submit(tmp_root, "  submit:\n    url: https://www.derbyshire.gov.uk/applications\n", "derbyshire")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1 and any("takes no applications" in line for line in _errors(run))


def test_an_email_notice_needs_its_addresses_and_never_holds_a_password(ctkit, tmp_root):
    _with_submit(tmp_root, "  submit:\n    url: https://www.erewash.gov.uk/applications\n"
                           "    notify: {to: cs@erewash.gov.uk, host: smtp.erewash.gov.uk, password: hunter2}\n")
    run = ctkit("check", root=tmp_root)
    assert run.returncode == 1
    errors = " ".join(_errors(run))
    assert "'from' is missing" in errors and "unknown key 'password'" in errors


def test_the_readme_documents_the_whole_contract(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    for name in (APPLICATIONS_PATH, JSON_PART, PDF_PART, HONEYPOT, '{"reference": ', "ctkit receive --keygen",
                 f"at most {MAX_BODY_BYTES // 1_000_000} MB", f"at most {MAX_DATA_BYTES // 1_000_000} MB",
                 "site.submit"):
        assert name in readme, name
    settings = Settings()
    assert f"more than {settings.per_client} requests from one client in an hour" in readme
    assert settings.window_seconds == 3600
    assert f"more than {settings.in_flight} applications are arriving at once" in readme
    for code, (status, _sentence) in REFUSALS.items():
        assert f"| {status} | `{code}` |" in readme, code
