"""Checks across the sources that no schema can make; each reads only the model."""
from __future__ import annotations

from ..errors import Problem
from ..model import Guidance
from .approved_text import check_locks
from .forms import check_forms
from .guidance import check_councils, check_criteria, check_pages, check_versions, check_wording
from .letters import check_letters
from .site_look import check_site_look
from .submit_address import check_submit_addresses

CHECKS = (check_versions, check_criteria, check_councils, check_wording, check_pages, check_forms, check_letters,
          check_site_look, check_submit_addresses)


def cross_check(guidance: Guidance, *, locks: bool = True) -> list[Problem]:
    """Every check; `locks=False` leaves out the comparison with the approved versions' locks, for the
    commands that record a change to them (ctkit version lock, erratum)."""
    problems: list[Problem] = []
    for check in CHECKS + ((check_locks,) if locks else ()):
        problems += check(guidance)
    return problems
