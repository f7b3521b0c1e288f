"""Typed objects built from the checked guidance sources: versions, criteria, councils, pages.

Built only after the sources passed their schemas, so the builders here trust the shape of
the data. Each object keeps a `Where` (file, line, the line of each key), so a check or a
command that finds something wrong with it can say `file:line` without going back to the
YAML. Everything a page, form, letter or the validator shows comes from these objects.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import NOWHERE, Stop, Where


def version_key(version: str) -> tuple[int, ...]:
    """'2.10' sorts after '2.9'."""
    return tuple(int(part) for part in version.split("."))


def where_of(data: Any, shown: str) -> Where:
    """The Where of a loaded mapping (a LineDict) in the file shown as `shown`."""
    return Where(shown, getattr(data, "line", None), dict(getattr(data, "key_lines", {}) or {}))


@dataclass(frozen=True)
class Approval:
    body: str                 # the approving body's name (a council's name when `council` is set)
    on: dt.date | None = None
    council: str | None = None
    verified: bool = True
    note: str | None = None
    where: Where = NOWHERE


@dataclass(frozen=True)
class Erratum:
    """A correction of an approved version's text, agreed after approval (`ctkit version erratum`)."""

    on: dt.date
    reason: str
    where: Where = NOWHERE


@dataclass(frozen=True)
class Version:
    version: str
    status: str
    summary: str
    changes: tuple[str, ...] = ()
    approvals: tuple[Approval, ...] = ()
    errata: tuple[Erratum, ...] = ()
    date: dt.date | None = None
    effective_from: dt.date | None = None
    verified: bool = True
    note: str | None = None
    where: Where = NOWHERE

    @property
    def is_approved(self) -> bool:
        return self.status == "approved"

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)


@dataclass(frozen=True)
class Timescale:
    name: str
    days: int
    start: str  # the event counted from: received, review_meeting, decision_letter, outcome_letter
    verified: bool = True

    # Templates write `timescale.from`; `from` is a Python keyword, so expose it by lookup.
    def __getitem__(self, key: str) -> Any:
        return self.start if key == "from" else getattr(self, key)


@dataclass(frozen=True)
class FiveIndividualsRoute:
    """Versions 1.0–1.2: this many separate people reporting related incidents meet the threshold."""

    individuals: int
    period_months: int


@dataclass(frozen=True)
class HateRoute:
    """A local route: this many qualifying complaints about a hate incident meet the threshold."""

    incidents: int
    months: int


COUNTS = ("occasions", "complaints")


@dataclass(frozen=True)
class Criteria:
    """One version's threshold rules and timescales (guidance/criteria.yml).

    `period_months` is the application window counted from each complaint (s.104(11));
    `report_within_months` the time from the behaviour to the complaint; `counts` whether the
    threshold counts each qualifying complaint (`complaints`) or distinct occasions (`occasions`).
    """

    version: str
    threshold: int
    period_months: int
    report_within_months: int
    counts: str
    timescales: dict[str, Timescale]
    five_individuals_route: FiveIndividualsRoute | None = None
    hate_route: HateRoute | None = None
    where: Where = NOWHERE

    @property
    def counts_occasions(self) -> bool:
        return self.counts == "occasions"


@dataclass(frozen=True)
class Retention:
    """How long a council keeps a case file: `years` counted from `after` (closed, last_contact)."""

    years: int
    after: str


@dataclass(frozen=True)
class DataProtectionOfficer:
    """The routes to a council's data protection officer its privacy notice gives; letters go to
    the council's own address."""

    title: str | None = None
    email: str | None = None
    phone: str | None = None
    web: str | None = None


@dataclass(frozen=True)
class Privacy:
    """What a council's privacy notice tells applicants (guidance/councils/<id>.yml `privacy:`)."""

    retention: Retention | None
    dpo: DataProtectionOfficer
    verified: bool = True
    note: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    team: str
    address: tuple[str, ...]
    postcode: str
    phone: str
    web: str
    email: str | None = None
    verified: bool = True
    note: str | None = None


@dataclass(frozen=True)
class Colours:
    """A site's colours: the header (with its text) and the links. `where` knows each key's line."""

    header: str
    header_text: str
    link: str
    verified: bool = True
    where: Where = NOWHERE


@dataclass(frozen=True)
class Logo:
    file: str          # relative to guidance/councils/
    alt: str
    verified: bool = True
    where: Where = NOWHERE


@dataclass(frozen=True)
class ProblemContact:
    """Who hears about an accessibility problem with a council's site."""

    team: str
    phone: str | None = None
    email: str | None = None
    verified: bool = True


@dataclass(frozen=True)
class Signatory:
    """Who signs a council's letters when the SPOC does not say (`ctkit case letter --signed-by`)."""

    name: str
    role: str | None = None
    verified: bool = True


@dataclass(frozen=True)
class Notice:
    """An email to the SPOC when an application arrives online: its reference only, never who sent it."""

    to: str
    sender: str
    host: str
    port: int
    security: str              # starttls, tls or none
    login: str | None = None   # the password is read from the environment, never from the YAML


#: The mail port each kind of connection uses unless the council's file names another.
SMTP_PORTS = {"starttls": 587, "tls": 465, "none": 25}


#: The path a receiver takes applications on: the end of every `site.submit.url` (README, "Sending online").
APPLICATIONS_PATH = "/applications"


@dataclass(frozen=True)
class Submit:
    """Where the online form sends applications (`site.submit`): the council's own receiver."""

    url: str
    notify: Notice | None = None
    verified: bool = True
    where: Where = NOWHERE


#: The roles a body in guidance/councils/ may have. Any of them may take applications (be a single point of
#: contact); the lead (ctkit.yml) holds the partnership's policy and publishes the site for the whole area.
ROLES = ("partnership", "council", "police", "pcc")
#: How a body of each role is named in a sentence ("the county council"; a council's words come from its kind).
ROLE_WORDS = {"partnership": "the partnership", "police": "the police",
              "pcc": "the Police and Crime Commissioner's office"}
COUNCIL_KIND_WORDS = {"metropolitan": "metropolitan borough"}


@dataclass(frozen=True)
class Partnership:
    """The partnership whose content this is (ctkit.yml): its name, the area it covers, and its lead body."""

    name: str
    area: str
    lead: str                  # the id of the body that publishes the site for the whole area
    short_name: str | None = None
    where: Where = NOWHERE


@dataclass(frozen=True)
class Council:
    """A body in guidance/councils/: a council, the partnership itself, the police or the PCC's office."""

    id: str
    name: str
    short_name: str
    kind: str | None             # for a council: district, borough, city, unitary, county ...
    role: str                    # partnership, council, police or pcc
    spoc: Contact
    adopted_version: str
    adopted_on: dt.date | None = None
    privacy: Privacy | None = None             # None: the privacy notice falls back to general words
    signatory: Signatory | None = None
    site_url: str = "/"
    colours: Colours | None = None             # None: the neutral look of guidance/site.yml
    logo: Logo | None = None
    accessibility_contact: ProblemContact | None = None   # None: the SPOC
    submit: Submit | None = None               # None: the online form offers the PDF only
    takes_applications: bool = True            # False: it publishes the guidance; applications go to the others
    where: Where = NOWHERE

    @property
    def role_words(self) -> str:
        """The body as a sentence names it: 'the county council', 'the partnership', 'the police'."""
        if self.role == "council":
            return f"the {COUNCIL_KIND_WORDS.get(self.kind or '', self.kind or '')} council".replace("  ", " ")
        return ROLE_WORDS.get(self.role, self.role)

    @property
    def whole_area_words(self) -> str:
        """What the lead's policy covers, as a sentence says it: 'county-wide' for a county council, else
        'partnership-wide'."""
        return "county-wide" if self.role == "council" and self.kind == "county" else "partnership-wide"

    @property
    def site_origin(self) -> str:
        """The origin (scheme://host[:port]) browsers give for pages of the council's site."""
        parts = urlsplit(self.site_url)
        return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


@dataclass
class Page:
    """A Markdown page of guidance: where it lives, its front matter and its body."""

    path: str          # as shown to editors, e.g. guidance/public/index.md
    rel: str           # relative to guidance/, e.g. public/index.md
    meta: dict         # the front matter (a LineDict: it knows the line of each key)
    body: str
    body_line: int

    @property
    def title(self) -> str:
        return self.meta["title"]


@dataclass
class Guidance:
    """Everything loaded from guidance/ and forms/ of one project, checked and typed."""

    root: Path
    partnership: Partnership           # ctkit.yml
    versions: list[Version]            # oldest first
    criteria: dict[str, Criteria]
    councils: dict[str, Council]
    organisations: dict[str, Any]
    monitoring: dict[str, Any]
    pages: list[Page]
    forms: dict[str, Any] = field(default_factory=dict)  # form id -> model.form.Form
    wording: dict[str, Any] = field(default_factory=dict)  # guidance/wording.yml: sentences used everywhere
    law: dict[str, Any] = field(default_factory=dict)      # guidance/law-2026.yml: later law, each fact with its standing
    letters: dict[str, Any] = field(default_factory=dict)  # guidance/letters.yml: every sentence of the letters
    site: dict[str, Any] = field(default_factory=dict)   # guidance/site.yml: the shared look, the accessibility facts
    default_colours: Colours | None = None               # the neutral look, for a council that sets none
    locks: dict[str, Any] = field(default_factory=dict)  # version -> model.approved.Lock (guidance/releases/)

    # -- which version ---------------------------------------------------------
    def version(self, number: str) -> Version:
        for v in self.versions:
            if v.version == number:
                return v
        raise Stop.usage(f"there is no guidance version {number}; the versions are "
                         f"{', '.join(v.version for v in self.versions)}.")

    @property
    def nothing_approved(self) -> bool:
        """A new partnership's content: no version is approved yet (its first is a draft)."""
        return not any(v.is_approved for v in self.versions)

    def in_force_on(self, day: dt.date) -> Version | None:
        """The newest approved version whose effective_from is on or before `day`. While no version is approved
        at all, the newest draft: a new partnership judges by it (its figures are bound by the Act's limits, and
        everything judged by it says it is a draft)."""
        if self.nothing_approved:
            return max(self.versions, key=lambda v: v.key, default=None)
        candidates = [v for v in self.versions
                      if v.is_approved and v.effective_from and v.effective_from <= day]
        return max(candidates, key=lambda v: v.key, default=None)

    def current(self, include_drafts: bool = False) -> Version:
        """The version a build publishes: the newest approved one, or the newest of all for a draft preview (or
        while no version is approved yet: then the site says DRAFT on every page)."""
        approved = [v for v in self.versions if v.is_approved]
        pool = self.versions if include_drafts or not approved else approved
        return max(pool, key=lambda v: v.key)

    def criteria_for(self, version: Version | str) -> Criteria:
        number = version if isinstance(version, str) else version.version
        return self.criteria[number]

    # -- councils --------------------------------------------------------------
    def council(self, council_id: str) -> Council:
        """The council with this id; an unknown id stops the command with a sentence naming the real ones."""
        try:
            return self.councils[council_id]
        except KeyError:
            known = ", ".join(sorted(self.councils))
            raise Stop.usage(f"there is no council '{council_id}' in guidance/councils/; use one of: {known}.") \
                from None

    @property
    def spoc_councils(self) -> list[Council]:
        """Every body that takes applications (a single point of contact), by name."""
        return sorted((c for c in self.councils.values() if c.takes_applications), key=lambda c: c.name)

    @property
    def lead(self) -> Council:
        """The body ctkit.yml names as the lead: it publishes the site for the whole area, the default site
        of every command. `ctkit check` makes sure it exists before anything uses it."""
        return self.councils[self.partnership.lead]

    @property
    def sites(self) -> list[Council]:
        """Every body's site, the lead's first: what `ctkit build --all` builds."""
        return [self.lead, *(c for c in self.spoc_councils if c.id != self.lead.id),
                *sorted((c for c in self.councils.values() if not c.takes_applications and c.id != self.lead.id),
                        key=lambda c: c.name)]

    def colours_of(self, council: Council) -> Colours | None:
        """The council's own colours, else the neutral look every site shares."""
        return council.colours or self.default_colours


# -- building from checked data (LineDicts) ------------------------------------------

def _verified(d: dict) -> bool:
    return d.get("verified", True) is not False


def build_version(d: dict, shown: str) -> Version:
    return Version(
        version=d["version"], status=d["status"], summary=d["summary"],
        changes=tuple(d.get("changes") or ()),
        approvals=tuple(Approval(body=a.get("body") or a["council"], on=a.get("on"), council=a.get("council"),
                                 verified=_verified(a), note=a.get("note"), where=where_of(a, shown))
                        for a in d.get("approvals") or ()),
        errata=tuple(Erratum(on=e["on"], reason=e["reason"], where=where_of(e, shown)) for e in d.get("errata") or ()),
        date=d.get("date"), effective_from=d.get("effective_from"),
        verified=_verified(d), note=d.get("note"), where=where_of(d, shown),
    )


def build_criteria(version: str, d: dict, shown: str) -> Criteria:
    route = d.get("five_individuals_route")
    hate = d.get("hate_route")
    return Criteria(
        version=version, threshold=d["threshold"], period_months=d["period_months"],
        report_within_months=d["report_within_months"], counts=d["counts"],
        timescales={name: Timescale(name, t["days"], t["from"], _verified(t))
                    for name, t in d["timescales"].items()},
        five_individuals_route=FiveIndividualsRoute(route["individuals"], route["period_months"]) if route else None,
        hate_route=HateRoute(hate["incidents"], hate["months"]) if hate else None,
        where=where_of(d, shown),
    )


def build_colours(d: dict, shown: str) -> Colours:
    return Colours(header=d["header"].lower(), header_text=d.get("header_text", "#ffffff").lower(),
                   link=d["link"].lower(), verified=_verified(d), where=where_of(d, shown))


def build_partnership(d: dict, shown: str) -> Partnership:
    p = d["partnership"]
    return Partnership(name=p["name"], area=p["area"], lead=d["lead"], short_name=p.get("short_name"),
                       where=where_of(d, shown))


def build_council(d: dict, shown: str, partnership: Partnership) -> Council:
    """A body from its file; the partnership's own file may leave its name to ctkit.yml."""
    s = d["spoc"]
    logo, problems = d.get("logo"), d.get("accessibility_contact")
    return Council(
        id=d["id"], name=d.get("name") or partnership.name,
        short_name=d.get("short_name") or partnership.short_name or partnership.area,
        kind=d.get("kind"), role=d["role"], takes_applications=d.get("applications", True) is not False,
        spoc=Contact(team=s["team"], address=tuple(s["address"]), postcode=s["postcode"], phone=s["phone"],
                     web=s["web"], email=s.get("email"), verified=_verified(s), note=s.get("note")),
        adopted_version=d["adopted"]["version"], adopted_on=d["adopted"].get("on"),
        privacy=build_privacy(d["privacy"]) if d.get("privacy") else None,
        signatory=Signatory(d["signatory"]["name"], d["signatory"].get("role"), _verified(d["signatory"]))
        if d.get("signatory") else None,
        site_url=d["site"]["url"] if d.get("site") else "/",   # releases before site.url (ctkit diff)
        colours=build_colours(d["colours"], shown) if d.get("colours") else None,
        logo=Logo(logo["file"], logo["alt"], _verified(logo), where_of(logo, shown)) if logo else None,
        accessibility_contact=(ProblemContact(problems["team"], problems.get("phone"), problems.get("email"),
                                              _verified(problems)) if problems else None),
        submit=build_submit(d["site"]["submit"], shown) if d.get("site", {}).get("submit") else None,
        where=where_of(d, shown),
    )


def build_submit(d: dict, shown: str) -> Submit:
    n = d.get("notify")
    security = n.get("security", "starttls") if n else "starttls"
    notice = Notice(to=n["to"], sender=n["from"], host=n["host"], port=n.get("port", SMTP_PORTS[security]),
                    security=security, login=n.get("login")) if n else None
    return Submit(url=d["url"], notify=notice, verified=_verified(d), where=where_of(d, shown))


def build_privacy(d: dict) -> Privacy:
    kept, dpo = d.get("retention"), d["data_protection_officer"]
    return Privacy(
        retention=Retention(kept["years"], kept["after"]) if kept else None,
        dpo=DataProtectionOfficer(dpo.get("title"), dpo.get("email"), dpo.get("phone"), dpo.get("web")),
        verified=_verified(d), note=d.get("note"), sources=tuple(d.get("sources") or ()),
    )


def name_approving_councils(version: Version, councils: dict[str, Council]) -> Version:
    """An approval by a council shows the council's name from its own file (one source)."""
    approvals = tuple(replace(a, body=councils[a.council].name) if a.council in councils else a
                      for a in version.approvals)
    return replace(version, approvals=approvals)
