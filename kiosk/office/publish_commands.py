"""Running ``kiosk office publish|revisions|group|publish-key`` (``kiosk.office.cli``):
the content is checked and packed before anyone is asked for a PIN, and nothing is
stored unless the check passes and the PIN opens the publishing key."""

from __future__ import annotations

import argparse
from typing import Protocol

from kiosk.enquiries.keys import Opener
from kiosk.office import admin, publish
from kiosk.staff.cli import ExitStatus
from kiosk.staff.commands import Stop, _Answers

COMMANDS = ("publish", "revisions", "group", "publish-key")


class Authorise(Protocol):
    """``commands._authorise``: the clinic key and the actor, by a member's PIN (or
    the recovery code while there are no staff), under the office's sign-in lock."""

    def __call__(
        self, conn: admin.Conn, answers: _Answers, *, recovery: bool
    ) -> tuple[Opener, str]: ...


def run(
    conn: admin.Conn, args: argparse.Namespace, answers: _Answers, authorise: Authorise
) -> None:
    command = args.office_command
    if command == "publish":
        _publish(conn, args, answers, authorise)
    elif command == "revisions":
        _list(conn)
    elif command == "group":
        admin.set_group(conn, args.kiosk, args.group)
        where = (
            f"in group {args.group!r}" if args.group else "in no group (it gets what goes to all)"
        )
        print(f"Kiosk {args.kiosk!r} is {where}.")
    else:
        opener, by = authorise(conn, answers, recovery=False)
        public, made = admin.ensure_publish_key(conn, opener, actor=by)
        fingerprint = public.hex()[:16]
        if made:
            print(
                f"Publishing key {fingerprint} made. Kiosks enrolled before now do not know it: "
                f"enrol them again to receive published content."
            )
        else:
            print(f"The publishing key {fingerprint} was made already; it is kept.")


def _targets(args: argparse.Namespace) -> list[str]:
    return [publish.ALL] if args.all else list(args.to)


def _publish(
    conn: admin.Conn, args: argparse.Namespace, answers: _Answers, authorise: Authorise
) -> None:
    targets = _targets(args)
    problem = publish.targets_problem(targets)
    if problem:
        raise Stop(ExitStatus.USAGE, problem)
    if args.revision is not None:
        if args.folder is not None or args.config is not None:
            raise Stop(ExitStatus.USAGE, "Give a folder to publish, or --revision N: not both.")
        _opener, by = authorise(conn, answers, recovery=False)
        publish.retarget(conn, args.revision, targets, by=by)
        print(f"Revision {args.revision} now goes to {publish.targets_text(targets)}.")
        return
    if args.folder is None:
        raise Stop(ExitStatus.USAGE, "Which content folder? Give it, or --revision N.")
    try:
        payload = publish.prepare(args.folder, args.config)
    except publish.RefusedError as exc:
        raise Stop(ExitStatus.REFUSED, str(exc)) from None
    opener, by = authorise(conn, answers, recovery=False)
    key = admin.publishing_key(conn, opener)
    number = publish.publish(conn, payload, key, by=by, targets=targets, note=args.note)
    print(
        f"Published revision {number} ({len(payload):,} bytes, signed by {by}) to "
        f"{publish.targets_text(targets)}."
    )


def _list(conn: admin.Conn) -> None:
    found = publish.revisions(conn)
    if not found:
        print("No revision has been published.")
    for rev in found:
        note = f": {rev.note}" if rev.note else ""
        print(
            f"Revision {rev.number}{note} ({rev.published_by}, "
            f"{rev.published_at:%Y-%m-%d %H:%M}, {rev.size:,} bytes) to "
            f"{publish.targets_text(rev.targets)}"
        )
    kiosks = publish.kiosk_revisions(conn)
    if kiosks:
        print("\nKiosks:")
    for kiosk in kiosks:
        print(f"  {publish.describe(kiosk)}")
