"""A letter as its parts, in reading order: what the PDF and the .docx both typeset.

Built by `casework.letters` from the council's letterhead, the case and guidance/letters.yml,
so the PDF and the editable .docx hold the same words by construction (`lines()` is that
text, for the tests and for anyone who wants to compare).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str                    # heading | paragraph | bullets
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterDocument:
    title: str                   # the subject line; also the document's title
    sender: str                  # the council's name, at the head of the letterhead
    sender_lines: tuple[str, ...]    # team, address, phone, email, web
    warning: str | None          # a flag on the letterhead (contact details not yet confirmed)
    recipient: tuple[str, ...]   # name and address lines
    date: str                    # written out: 1 December 2026
    reference: str
    salutation: str
    blocks: tuple[Block, ...]
    closing: str
    signature: tuple[str, ...]   # name, role, team and council
    footer: str

    def lines(self) -> list[str]:
        """Every line of text in reading order."""
        out = [self.sender, *self.sender_lines]
        if self.warning:
            out.append(self.warning)
        out += [*self.recipient, self.date, self.reference, self.title, self.salutation]
        for block in self.blocks:
            out += list(block.items) if block.kind == "bullets" else [block.text]
        return out + [self.closing, *self.signature]
