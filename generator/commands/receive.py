"""`ctkit receive`: run a council's receiver for applications sent online, or make the SPOC's key pair.

    ctkit receive --council ID --inbox DIR --recipient KEY.pub [--host H --port P]
    ctkit receive --keygen DIR

The receiver refuses to start, with a sentence, when anything it needs is wrong: the council, the
public key, an inbox it cannot write. Pieces a receiver stopped in the middle of writing left in
the inbox are removed before it starts (they were never confirmed to anyone).
"""
from __future__ import annotations

import os

from ..errors import Stop, display_path
from ..receiving.inbox import sweep_incoming
from ..receiving.keys import make_key_pair, read_recipient
from ..receiving.server import Receiver, Settings, inbox_problem, serve
from .common import is_source, load_guidance, say

#: Test hook (README): seconds to pause between 64 KB pieces of every write, so a test can stop the
#: receiver in the middle of one. Never set it on a real receiver.
WRITE_PAUSE_VARIABLE = "CTKIT_RECEIVE_TEST_WRITE_PAUSE"


def _keygen(args) -> int:
    private, public = make_key_pair(args.keygen)
    print(f"wrote {display_path(private)} (the private key: keep it on the SPOC's computer, never on the server)")
    print(f"wrote {display_path(public)} (the public key: give it to the receiver, ctkit receive --recipient)")
    say("Keep a copy of the private key somewhere safe: without it, no application sent online can be opened.")
    return 0


def run(args) -> int:
    if args.keygen:
        if args.council or args.inbox or args.recipient:
            raise Stop.usage("--keygen makes a key pair and nothing else; leave out --council, --inbox and "
                             "--recipient.")
        return _keygen(args)
    missing = [flag for flag, value in (("--council", args.council), ("--inbox", args.inbox),
                                        ("--recipient", args.recipient)) if not value]
    if missing:
        raise Stop.usage(f"the receiver needs {', '.join(missing)} (or use --keygen DIR to make a key pair).")
    guidance = load_guidance(args.root)
    council = guidance.council(args.council)
    if not council.takes_applications:
        raise Stop.usage(f"{council.name} takes no applications (its file says applications: false); run the "
                         "receiver for the council whose single point of contact receives them.")
    recipient = read_recipient(args.recipient)
    inbox = args.inbox.resolve()
    if is_source(args.root, inbox):
        raise Stop.usage(f"the inbox {display_path(inbox, args.root)} is inside the project's sources; "
                         "choose a folder outside it.")
    problem = inbox_problem(inbox)
    if problem:
        raise Stop(problem + ".")
    left = sweep_incoming(inbox)
    if left:
        say(f"removed {left} half-written piece(s) a stopped receiver left in the inbox; none had been confirmed "
            "to the sender.")
    try:
        pause = float(os.environ.get(WRITE_PAUSE_VARIABLE) or 0)
    except ValueError:
        raise Stop.usage(f"{WRITE_PAUSE_VARIABLE} must be a number of seconds.") from None
    say(f"Receiving applications for {council.name} on http://{args.host}:{args.port}, encrypted into "
        f"{inbox}. Stop with Ctrl+C.")
    serve(Receiver(guidance, council, inbox, recipient, Settings(write_pause=pause)), args.host, args.port)
    return 0
