"""Where a council's online form may send applications (`site.submit.url`).

The browser posts names, addresses and accounts of harassment to that address, so it must be
the council's own receiver: encrypted on the way (https), and on the council's own site or a
host under the same domain, never a third party's. The schema already refuses quotes, angle
brackets, a query or a fragment (the address is written into the page); this check reads the
parts no pattern can compare: the scheme, the host against `site.url`, and the path.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..errors import Problem
from ..model import APPLICATIONS_PATH, Council, Guidance


def is_loopback(host: str) -> bool:
    """This computer itself: the only place plain http is allowed, for trying a receiver out."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _own_domain(site_host: str) -> str:
    """The domain a council's receiver may live under: its site's host without a leading www."""
    return site_host.removeprefix("www.")


def submit_address_problems(council: Council) -> list[Problem]:
    submit = council.submit
    if submit is None:
        return []
    where = submit.where
    if not council.takes_applications:
        return [where.problem(f"{council.name} takes no applications (its file says applications: false), so its "
                              "site sends none: remove site.submit, or move it to the body that receives them",
                              "url")]
    url = urlsplit(submit.url)
    host, site_host = (url.hostname or "").lower(), (urlsplit(council.site_url).hostname or "").lower()
    problems = []
    if url.scheme != "https" and not is_loopback(host):
        problems.append(where.problem(f"the address {submit.url} must start with https://, so that applications "
                                      "are encrypted on their way to the council", "url"))
    domain = _own_domain(site_host)
    own = host == site_host or host == domain or host.endswith("." + domain) or \
        (is_loopback(host) and is_loopback(site_host))
    if not own:
        problems.append(where.problem(f"the address {submit.url} is not on the council's own site ({site_host}) "
                                      f"or a host under {domain}; applications go only to the council's own "
                                      "receiver", "url"))
    if not url.path.endswith(APPLICATIONS_PATH):
        problems.append(where.problem(f"the address {submit.url} must end in {APPLICATIONS_PATH}, where the "
                                      "receiver takes applications", "url"))
    return problems


def check_submit_addresses(g: Guidance) -> list[Problem]:
    return [p for council in g.councils.values() for p in submit_address_problems(council)]
