"""The email to the SPOC when an application arrives, received by a real SMTP server (aiosmtpd) on 127.0.0.1."""
from __future__ import annotations

import json
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from generator.project import load_project
from generator.receiving.keys import make_key_pair, read_recipient
from generator.receiving.server import Receiver, Settings
from generator.render.fill import fill_form_pdf
from receiving_helpers import PERSONAL, answers, free_port, post, receiver_thread, submission


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope.original_content)
        return "250 OK"


def _council_with_notice(tmp_root, port: int):
    path = tmp_root / "guidance" / "councils" / "erewash.yml"
    text = path.read_text(encoding="utf-8")
    block = "site:\n  url: https://www.erewash.gov.uk/community-trigger/\n"
    path.write_text(text.replace(block, block + (
        "  submit:\n    url: https://www.erewash.gov.uk/community-trigger/applications\n"
        f"    notify: {{to: spoc@erewash.example, from: receiver@erewash.example, host: 127.0.0.1, port: {port}, "
        "security: none}\n")), encoding="utf-8")
    guidance = load_project(tmp_root).require()
    return guidance, guidance.council("erewash")


@pytest.fixture
def sent(tmp_root, tmp_path):
    """A receiver whose council notifies a mail server; (base address, mailbox, guidance)."""
    port = free_port()
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()
    guidance, council = _council_with_notice(tmp_root, port)
    _, public = make_key_pair(tmp_path / "keys")
    try:
        with receiver_thread(Receiver(guidance, council, tmp_path / "inbox", read_recipient(public),
                                      Settings())) as base:
            yield base, mailbox, guidance
    finally:
        smtp.stop()


def _wait_for(mailbox: Mailbox, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(mailbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_spoc_is_told_of_a_new_application_by_its_reference_only(sent):
    base, mailbox, guidance = sent
    pdf = fill_form_pdf(guidance.forms["application"], answers(), guidance)
    reference = post(base, *submission(json.dumps(answers()).encode(), pdf)).json["reference"]
    _wait_for(mailbox, 1)
    assert len(mailbox.messages) == 1
    message = message_from_bytes(mailbox.messages[0], policy=policy.default)
    assert message["To"] == "spoc@erewash.example" and message["From"] == "receiver@erewash.example"
    assert " ".join(message["Subject"].split()) == f"Community Trigger: a new application, reference {reference}"
    body = message.get_content()
    assert reference in body and "ctkit case open --inbox" in body
    assert not message.is_multipart()                      # no attachment
    assert not any(word in mailbox.messages[0].decode() for word in PERSONAL)


def test_a_refused_submission_sends_no_notice(sent):
    base, mailbox, _ = sent
    assert post(base, *submission(b"{}", b"%PDF-")).status == 400
    time.sleep(0.5)
    assert mailbox.messages == []


def test_a_mail_server_that_is_down_costs_no_application(tmp_root, tmp_path, guidance):
    council_guidance, council = _council_with_notice(tmp_root, free_port())   # nothing listens there
    _, public = make_key_pair(tmp_path / "keys")
    pdf = fill_form_pdf(guidance.forms["application"], answers(), guidance)
    with receiver_thread(Receiver(council_guidance, council, tmp_path / "inbox", read_recipient(public),
                                  Settings())) as base:
        answer = post(base, *submission(json.dumps(answers()).encode(), pdf))
        assert answer.status == 201
        assert (tmp_path / "inbox" / f"{answer.json['reference']}.age").is_file()
