"""Checks across the sources that no schema can make; each reads only the model."""
from __future__ import annotations

from ..errors import Problem
from ..model import Guidance
from .approved_text import check_locks, is_approved_text
from .forms import check_forms
from .guidance import check_councils, check_criteria, check_pages, check_versions, check_wording
from .letters import check_letters
from .site_look import check_site_look
from .submit_address import check_submit_addresses

#: Every check but the locks'. Of them only check_pages and check_locks read the guidance pages
#: (page_text_checks relies on it).
CHECKS = (check_versions, check_criteria, check_councils, check_wording, check_pages, check_forms, check_letters,
          check_site_look, check_submit_addresses)


def cross_check(guidance: Guidance, *, locks: bool = True) -> list[Problem]:
    """Every check; `locks=False` leaves out the comparison with the approved versions' locks, for the
    commands that record a change to them (ctkit version lock, erratum)."""
    return [p for found in findings_by_check(guidance, locks=locks).values() for p in found]


def findings_by_check(guidance: Guidance, *, locks: bool = True) -> dict[str, list[Problem]]:
    """What each check found, by the check's name (page_text_checks reruns only some of them)."""
    return {check.__name__: check(guidance) for check in CHECKS + ((check_locks,) if locks else ())}


def page_text_checks(guidance: Guidance, before: dict[str, list[Problem]],
                     changed: set[str]) -> dict[str, list[Problem]]:
    """The findings after a change to the text of the pages `changed` (shown paths) and nothing else: only the
    checks that read those pages run again (check_pages for those pages only, since each of its problems is at
    its page; check_locks if one of them is approved text); the others' findings from `before` still hold."""
    kept = [p for p in before["check_pages"] if p.path not in changed]
    after = {**before, "check_pages": kept + check_pages(guidance, only=changed)}
    if "check_locks" in before and any(is_approved_text(p) for p in guidance.pages if p.path in changed):
        after["check_locks"] = check_locks(guidance)
    return after
