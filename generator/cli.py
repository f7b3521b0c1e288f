"""`ctkit`: the command line. The argparse table and the hand-over; no logic of its own.

Each verb is one module of generator/commands/ with a `run(args) -> int`. It is imported
when that verb is used, so `ctkit check` does not load MkDocs or the PDF reader; an import
that fails is a bug in the kit and is reported as one, never hidden. Whatever goes wrong,
the user sees sentences, never a traceback (set CTKIT_DEBUG=1 to see one when developing).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from .content_folder import default_root
from .build_cache import BuildCache, activate
from .errors import Stop
from .model.case_states import LETTER_KINDS, AppealResult, Basis

#: verb -> the module in generator/commands/ that runs it.
COMMANDS = {name: f"generator.commands.{name}" for name in
            ("init", "check", "build", "serve", "pdf", "fill", "validate", "case", "stats", "version", "diff",
             "schemas", "receive", "clean")}
COMMANDS["print"] = "generator.commands.print_copy"   # not print.py: that name is Python's own


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctkit",
        description="Community Trigger kit: check the guidance sources, build council sites and forms, "
                    "and judge returned applications.")
    parser.add_argument("--project", "--root", dest="root", type=Path, default=None, metavar="DIR",
                        help="the partnership's content folder, the one holding ctkit.yml (default: the working "
                             "directory or the nearest folder above it with a ctkit.yml)")
    _cache_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("init", help="start a new partnership's content folder, ready to check and build")
    p.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder to write it into")
    p.add_argument("--partnership", required=True, metavar="NAME",
                   help="the partnership's name, e.g. 'Northvale Community Safety Partnership'")
    p.add_argument("--area", required=True, metavar="AREA", help="the area it covers, as residents name it, e.g. Northvale")

    p = sub.add_parser("check", help="check every source against its schema and each other")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only, not unconfirmed-value warnings")

    p = sub.add_parser("build", help="build the website and PDFs into site/")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--council", metavar="ID", help="build one council's site into site/<ID>/")
    which.add_argument("--all", action="store_true", help="build every council's site into site/<id>/")
    p.add_argument("--site-dir", type=Path, default=None,
                   help="where to write (default: site/, or site-drafts/ with --drafts)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--drafts", action="store_true",
                      help="build the newest draft version, marked as draft, into site-drafts/ (never over site/)")
    mode.add_argument("--publish", action="store_true",
                      help="build for publishing: refuse while any value shown is marked 'verified: false'")
    p.add_argument("--registers", type=Path, default=None, metavar="DIR",
                   help="a folder of <council-id>.csv case registers for the monitoring page")
    _cache_options(p, on_command=True)

    p = sub.add_parser("serve", help="preview a council's site while editing; it reloads on every save")
    p.add_argument("--council", metavar="ID", help="whose site to preview (default: the county-wide one)")
    p.add_argument("--drafts", action="store_true", help="preview the newest draft version")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="where to serve it (default: 127.0.0.1:8000)")
    _cache_options(p, on_command=True)

    p = sub.add_parser("clean", help="delete what builds made: site/, site-drafts/ and the build cache")
    p.add_argument("--cache-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                   help="the build cache to delete (default: $XDG_CACHE_HOME/ctkit, else ~/.cache/ctkit)")

    p = sub.add_parser("pdf", help="render one fillable PDF form")
    p.add_argument("form", metavar="FORM", help="a form id from forms/, e.g. application")
    p.add_argument("--council", metavar="ID", help="whose contact details go on it (default: county-wide)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    _cache_options(p, on_command=True)

    p = sub.add_parser("fill", help="render a form filled in from data (JSON or YAML)")
    p.add_argument("form", metavar="FORM")
    p.add_argument("--data", type=Path, required=True, metavar="DATA")
    p.add_argument("--council", metavar="ID")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")

    p = sub.add_parser("print", help="a printed copy of a returned form: every answer whole, nothing to fill")
    p.add_argument("file", type=Path, metavar="FILE.pdf", help="a filled form, whatever program filled it")
    p.add_argument("--council", metavar="ID", help="whose form it is (default: the council the PDF names)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="READABLE.pdf")

    p = sub.add_parser("validate", help="judge returned applications: threshold, completeness, deadlines")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="filled PDFs, JSON or YAML files, or folders")
    p.add_argument("--received", metavar="DATE", help="the date the application was received (YYYY-MM-DD)")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.add_argument("--council", metavar="ID", help="the council judging it (for letters and the register)")
    p.add_argument("--record", type=Path, metavar="REGISTER",
                   help="open each judged application as a case in this register (as ctkit case open)")
    p.add_argument("--letter", choices=LETTER_KINDS, action="append",
                   help="with --record, also write this letter for each opened case, as ctkit case letter "
                        "(may be repeated)")
    p.add_argument("--letters-dir", type=Path, default=Path("letters"), metavar="DIR",
                   help="where letters are written (default: ./letters)")
    p.add_argument("--signed-by", metavar="TEXT", help="who signs the letters: 'Name, role'")

    _case_parser(sub)

    p = sub.add_parser("stats", help="the statutory annual figures from case registers")
    p.add_argument("registers", nargs="+", type=Path, metavar="REGISTER")
    p.add_argument("--year", metavar="YYYY-YY", help="reporting year, e.g. 2025-26 (default: the latest complete one)")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")

    p = sub.add_parser("version", help="a guidance version from draft to release: new, approve, adopt, lock, "
                                       "erratum, release")
    vsub = p.add_subparsers(dest="action", metavar="ACTION")
    vsub.required = True
    q = vsub.add_parser("new", help="add a draft version to guidance/versions.yml")
    q.add_argument("version", metavar="VERSION")
    q.add_argument("--summary", required=True)
    q = vsub.add_parser("approve", help="record an approval of a version")
    q.add_argument("version", metavar="VERSION")
    q.add_argument("--body", required=True, help="who approved it, e.g. 'Safer Communities Board'")
    q.add_argument("--on", required=True, metavar="DATE", help="the date of the approval (YYYY-MM-DD)")
    q.add_argument("--effective-from", metavar="DATE", help="mark the version approved and in force from this date")
    q = vsub.add_parser("adopt", help="record that a council adopted an approved version")
    q.add_argument("version", metavar="VERSION")
    q.add_argument("--council", required=True, metavar="ID", help="the council, e.g. erewash")
    q.add_argument("--on", required=True, metavar="DATE", help="the date its committee adopted it (YYYY-MM-DD)")
    q = vsub.add_parser("lock", help="take (or, until a release holds it, take again) the first lock of a version "
                                     "approved before the kit kept locks, from its text as it is now")
    q.add_argument("version", metavar="VERSION")
    q = vsub.add_parser("erratum", help="approve a correction of an approved version's text; the change history "
                                        "lists it")
    q.add_argument("version", metavar="VERSION")
    q.add_argument("--reason", required=True, metavar="TEXT", help="what was wrong, and who agreed the correction")
    q.add_argument("--on", metavar="DATE", help="the date the correction was agreed (default: today)")
    q = vsub.add_parser("release", help="check, lock, commit and tag an approved version (git tag guidance-vX.Y)")
    q.add_argument("version", metavar="VERSION")

    p = sub.add_parser("diff", help="what changed between two released versions (git tags)")
    p.add_argument("old", metavar="OLD", help="a release tag such as guidance-v2.0, or any git revision")
    p.add_argument("new", metavar="NEW", help="a release tag or git revision, or '.' for the files as they are now")
    p.add_argument("-o", "--output", type=Path, metavar="OUT.md|OUT.pdf",
                   help="write the report to a file: Markdown (.md) or PDF (.pdf)")
    _cache_options(p, on_command=True)

    p = sub.add_parser("schemas", help="write each form's submission schema (schemas/) from its definition")
    p.add_argument("--check", action="store_true", help="only say which schemas are out of date (exit 1 if any)")

    p = sub.add_parser("receive", help="receive applications sent online, encrypted to the SPOC's key "
                                       "(or make that key pair with --keygen)")
    p.add_argument("--council", metavar="ID", help="the council whose applications it receives")
    p.add_argument("--inbox", type=Path, metavar="DIR", help="where the encrypted applications are written")
    p.add_argument("--recipient", type=Path, metavar="KEY.pub", help="the SPOC's public key (ctkit-spoc.pub)")
    p.add_argument("--host", default="127.0.0.1", metavar="H",
                   help="the address to listen on (default: 127.0.0.1, behind the council's TLS proxy)")
    p.add_argument("--port", type=int, default=8750, metavar="P", help="the port to listen on (default: 8750)")
    p.add_argument("--keygen", type=Path, metavar="DIR",
                   help="make the SPOC's key pair in DIR (ctkit-spoc.key, private; ctkit-spoc.pub, public)")
    return parser


def _cache_options(parser: argparse.ArgumentParser, on_command: bool = False) -> None:
    """--cache-dir and --no-cache, before any command or after those that draw PDFs (given after the command, they
    leave the value given before it alone unless set)."""
    parser.add_argument("--cache-dir", type=Path, default=argparse.SUPPRESS if on_command else None, metavar="DIR",
                        help="where to keep the build cache: PDFs and checked sources made before, reused when "
                             "nothing that makes them changed (default: $XDG_CACHE_HOME/ctkit, else ~/.cache/ctkit)")
    parser.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS if on_command else False,
                        help="neither read nor write the build cache: make everything again")


def _case_parser(sub) -> None:
    """`ctkit case VERB`: the lifecycle of one application in the council's register (README.md)."""
    p = sub.add_parser("case", help="a case from opening to outcome: register, letters, what is due")
    verbs = p.add_subparsers(dest="action", metavar="VERB")
    verbs.required = True

    def register(q) -> None:
        q.add_argument("--register", type=Path, required=True, metavar="REG", help="the council's case register (CSV)")

    def step(name: str, help_text: str, on_help: str):
        q = verbs.add_parser(name, help=help_text)
        q.add_argument("ref", metavar="REF", help="the case reference (printed by ctkit case open)")
        register(q)
        q.add_argument("--on", required=True, metavar="DATE", help=on_help)
        return q

    q = verbs.add_parser("open", help="judge an application and add it to the register; prints its reference",
                         description="Open FILE as a case, or (--inbox) every application sent online that waits in "
                                     "the receiver's inbox: each is decrypted with the SPOC's private key, opened with "
                                     "the day it arrived and the reference the resident was given, its files written "
                                     "into CASE_FOLDER/REF/, and moved to the inbox's done/ folder.")
    q.add_argument("file", type=Path, nargs="?", metavar="FILE", help="the application (filled PDF, JSON or YAML)")
    q.add_argument("--inbox", type=Path, metavar="DIR",
                   help="instead of FILE: open each application ctkit receive left in this inbox folder")
    q.add_argument("--identity", type=Path, metavar="KEY",
                   help="with --inbox: the SPOC's private key (ctkit-spoc.key, made by ctkit receive --keygen)")
    q.add_argument("--council", required=True, metavar="ID", help="the council whose SPOC received it")
    register(q)
    q.add_argument("--received", metavar="DATE", help="the date it was received, if the form does not say")
    q.add_argument("--ref", metavar="REF", help="the case reference to give it (default: COUNCIL-YYYYMMDD-n)")
    q.add_argument("--owner", metavar="NAME", help="who looks after the case (e.g. initials), shown by ctkit case due")
    q.add_argument("--case-folder", type=Path, metavar="DIR",
                   help="copy the application into DIR/REF/ and keep that path (default: keep the file's own path); "
                        "needed with --inbox, where it is the only place the decrypted application is written")
    q.add_argument("--key", type=Path, metavar="FILE",
                   help="the fingerprint key (default: $CTKIT_REGISTER_KEY, else REG.key beside the register, made "
                        "on first use)")

    step("acknowledge", "record that the application was acknowledged", "the date of the acknowledgement")
    q = step("decide", "record the relevant bodies' threshold decision", "the date of the decision")
    met = q.add_mutually_exclusive_group(required=True)
    met.add_argument("--met", dest="met", action="store_true", help="the threshold is met")
    met.add_argument("--not-met", dest="met", action="store_false", help="the threshold is not met")
    q.add_argument("--letter-on", metavar="DATE", help="the date the decision letter is sent (default: --on)")
    q.add_argument("--no-acknowledgement", metavar="REASON",
                   help="decide although no acknowledgement was sent, saying why in a few words (no names)")
    q = step("review", "record the case review meeting", "the date of the meeting")
    q.add_argument("--recommendations", required=True, choices=["yes", "no"], help="did the review make recommendations?")
    q.add_argument("--to", metavar="BODIES", help="the bodies that received them, separated by ';' (needed with yes)")
    step("outcome", "record that the outcome letter was sent", "the date of the outcome letter")
    step("follow-up", "record that the bodies have answered the review's recommendations", "the date")
    q = step("withdraw", "record that the applicant withdrew the application", "the date it was withdrawn")
    q.add_argument("--reason", metavar="TEXT", help="why, in a few words and without names")

    q = verbs.add_parser("amend", help="correct what was recorded when the case was opened")
    q.add_argument("ref", metavar="REF")
    register(q)
    q.add_argument("--received", metavar="DATE", help="the right date received")
    q.add_argument("--basis", choices=[b.value for b in Basis], help="the right basis of the application")
    q.add_argument("--owner", metavar="NAME", help="who looks after the case now")
    q.add_argument("--application", type=Path, metavar="FILE", help="where the application is kept now")

    q = verbs.add_parser("appeal", help="record an appeal to the OPCC, or its result")
    q.add_argument("ref", metavar="REF")
    register(q)
    q.add_argument("--received", metavar="DATE", help="the date the appeal was received")
    q.add_argument("--result", choices=[r.value for r in AppealResult if r != AppealResult.PENDING],
                   help="the OPCC's answer (with --on)")
    q.add_argument("--on", metavar="DATE", help="the date of the OPCC's answer")

    q = verbs.add_parser("letter", help="write a letter for a case as PDF and .docx")
    q.add_argument("ref", metavar="REF")
    q.add_argument("kind", metavar="KIND", choices=LETTER_KINDS, help=" | ".join(LETTER_KINDS))
    register(q)
    q.add_argument("--application", type=Path, metavar="FILE",
                   help="the application, for the names and addresses (default: the file the register keeps)")
    q.add_argument("--findings", type=Path, metavar="FILE", help="outcome letter: what the review found (paragraphs)")
    q.add_argument("--actions", type=Path, metavar="FILE",
                   help="outcome letter: the actions agreed, one a line; a line starting with a body's name says "
                        "what the review recommended it to do")
    q.add_argument("--reasons", type=Path, metavar="FILE",
                   help="threshold_not_met letter: why the agencies decided no case review is needed")
    q.add_argument("--signed-by", metavar="TEXT", help="who signs it: 'Name, role' (default: the council's YAML)")
    q.add_argument("--on", metavar="DATE", help="the date of the letter (default: the date the register records "
                                                "for that step, else today)")
    q.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf",
                   help="also writes OUT.docx beside it, and OUT-person-affected.pdf/.docx to the person affected")

    q = verbs.add_parser("due", help="every open case's next step and its date, overdue first")
    q.add_argument("--register", type=Path, nargs="+", required=True, dest="registers", metavar="REG")
    q.add_argument("--on", metavar="DATE", help="the day to list for (default: today)")
    q.add_argument("--format", choices=["text", "json", "csv"], default="text")


def report(stop: Stop, command: str) -> None:
    """Every problem of a stopped command, as file:line sentences on stderr."""
    for problem in stop.problems:
        print(str(problem) if problem.path else f"ctkit {command}: {problem.message}", file=sys.stderr)


def reader_gone() -> int:
    """The program reading our output stopped early (`ctkit stats ... | head`): that is its choice, not a fault.
    Say nothing, point stdout at nothing so Python's last flush cannot fail, and exit as a shell reports
    a closed pipe (128 + SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in a test): nothing is left to flush
        pass
    return 141


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with a usage message on bad arguments
    args.root = (args.root or default_root()).resolve()   # `ctkit init` writes a new one: it reads none
    activate(BuildCache.at(args.cache_dir, enabled=not args.no_cache))
    handler = importlib.import_module(COMMANDS[args.command]).run
    try:
        status = int(handler(args) or 0)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        return reader_gone()
    except Stop as stop:
        report(stop, args.command)
        if stop.status == 1 and any(p.path for p in stop.problems):
            print(f"ctkit {args.command}: stopped because of the problems above.", file=sys.stderr)
        return stop.status
    except KeyboardInterrupt:
        print("ctkit: interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the user gets a sentence, developers can ask for the traceback
        if os.environ.get("CTKIT_DEBUG"):
            raise
        print(f"ctkit {args.command}: something went wrong that the kit did not expect "
              f"({type(exc).__name__}). Set CTKIT_DEBUG=1 to see the details, and please report it.",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
