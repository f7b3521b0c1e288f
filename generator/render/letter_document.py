"""A letter as its parts, in reading order: what the PDF and the .docx both typeset.

Built by `casework.letters` from the council's letterhead, the case and guidance/letters.yml,
so the PDF and the editable .docx hold the same words by construction (`lines()` is that
text, for the tests and for anyone who wants to compare).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ..text_safety import printable


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
    warnings: tuple[str, ...]    # flags under the letterhead: facts in the letter not yet confirmed
    recipient: tuple[str, ...]   # name and address lines
    date: str                    # written out: 1 December 2026
    reference: str
    salutation: str
    blocks: tuple[Block, ...]
    closing: str
    signature: tuple[str, ...]   # the signer's name; their role, team and council
    footer: str

    def lines(self) -> list[str]:
        """Every line of text in reading order."""
        out = [self.sender, *self.sender_lines]
        out += list(self.warnings)
        out += [*self.recipient, self.date, self.reference, self.title, self.salutation]
        for block in self.blocks:
            out += list(block.items) if block.kind == "bullets" else [block.text]
        return out + [self.closing, *self.signature]

    def printable(self) -> LetterDocument:
        """The same letter with every text made safe for the writers (`text_safety.printable`): what a form
        carried in is never a reason the letter cannot be written."""
        def clean(value):
            if isinstance(value, str):
                return printable(value)
            if isinstance(value, tuple):
                return tuple(clean(v) for v in value)
            if isinstance(value, Block):
                return replace(value, text=clean(value.text), items=clean(value.items))
            return value
        return replace(self, **{f.name: clean(getattr(self, f.name)) for f in fields(self)})

