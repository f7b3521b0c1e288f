"""The email that tells the SPOC an application has arrived: its reference and time, nothing else.

Sent after the resident has had their reference, so a slow or broken mail server never costs an
application: the submission is already in the inbox, and a notice that fails is one line in the
log. The message holds no name, address or account of what happened; email is not the place for them.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import ssl
from email.message import EmailMessage

from ..dates import longdate
from ..model import Council, Notice
from .inbox import UK

#: Where the password for `notify.login` comes from: the receiver's environment, never the council's YAML.
PASSWORD_VARIABLE = "CTKIT_SMTP_PASSWORD"
TIMEOUT_SECONDS = 20

log = logging.getLogger("ctkit.receive")


def notice_message(notice: Notice, council: Council, reference: str, arrived: dt.datetime,
                   called: str) -> EmailMessage:
    """The email: `called` is what the guidance calls the process (called.title)."""
    local = arrived.astimezone(UK)
    message = EmailMessage()
    message["From"] = notice.sender
    message["To"] = notice.to
    message["Subject"] = f"{called}: a new application, reference {reference}"
    message.set_content(
        f"A new {called} application came in through {council.name}'s website at "
        f"{local:%H:%M} on {longdate(local.date())}. Its reference is {reference}.\n\n"
        "It is waiting, encrypted, in the receiver's inbox. Open it on the SPOC's computer with "
        "ctkit case open --inbox, using the SPOC's private key.\n\n"
        "This email holds no details of the application on purpose; please do not reply to it.\n")
    return message


def send_notice(notice: Notice, council: Council, reference: str, arrived: dt.datetime, called: str) -> bool:
    """Send the notice; False (and one line in the log, without personal data) when it cannot be sent."""
    message = notice_message(notice, council, reference, arrived, called)
    try:
        if notice.security == "tls":
            smtp = smtplib.SMTP_SSL(notice.host, notice.port, timeout=TIMEOUT_SECONDS,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(notice.host, notice.port, timeout=TIMEOUT_SECONDS)
        with smtp:
            if notice.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if notice.login:
                smtp.login(notice.login, os.environ.get(PASSWORD_VARIABLE, ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("the email notice for %s could not be sent (%s); the application is safe in the inbox",
                    reference, type(exc).__name__)
        return False
    log.info("the SPOC was told of %s by email", reference)
    return True
