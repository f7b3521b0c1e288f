"""Sources released before ctkit.yml existed, read in today's shapes, so `ctkit diff` compares such a release
(a `guidance-v…` tag made then) with the content as it is now.

Then, a content folder had no ctkit.yml: the council holding the policy was the one with `role: county`
(the others `role: spoc`), and the partnership was an entry of organisations.yml, named by its key in
monitoring.yml's `published_on`. Each release is checked against the schemas it carries (schemas/), then
rewritten here, in memory only: nothing on disk changes.
"""
from __future__ import annotations

from typing import Any

#: The roles of that time, and what each is now: (role, takes applications).
OLD_ROLES = {"county": ("council", False), "spoc": ("council", True)}
#: What monitoring.yml's `published_on` named besides the partnership.
OTHER_PLACES = ("council", "opcc")


def upgrade_release(data: dict[str, tuple[str, Any]], councils: list[tuple[str, Any]]) -> None:
    """Rewrite, in place, the loaded sources of a release made before ctkit.yml into today's shapes."""
    lead = None
    for _shown, council in councils:
        role, takes = OLD_ROLES.get(council.get("role"), (council.get("role"), True))
        council["role"] = role
        if not takes:
            council["applications"] = False
            lead = lead or council
    organisations = data["organisations"][1] or {}
    monitoring = data["monitoring"][1] or {}
    places = list(monitoring.get("published_on") or [])
    key = next((p for p in places if p not in OTHER_PLACES), None)
    old = organisations.pop(key, None) if key else None
    if key:
        monitoring["published_on"] = ["partnership" if p == key else p for p in places]
    area = lead["short_name"] if lead else "the area"
    partnership = {k: v for k, v in (old or {}).items() if k != "short_name"}
    partnership.setdefault("name", f"{area} partnership")
    partnership["area"] = area
    lead_id = lead["id"] if lead else (councils[0][1]["id"] if councils else "")
    data["project"] = ("ctkit.yml", {"partnership": partnership, "lead": lead_id})
