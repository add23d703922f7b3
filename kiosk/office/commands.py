"""Running the office link's commands (``kiosk.office.cli``): secrets read as the staff
commands read them (no echo on a terminal, one a line from a pipe)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg

from kiosk.enquiries.keys import Opener, Sealer
from kiosk.enquiries.store import EnquiryStore, foreign_key_ids
from kiosk.office import admin, publish_commands
from kiosk.office.cli import DB_ENV
from kiosk.office.enrol import enrol
from kiosk.paths import Paths
from kiosk.staff.cli import ExitStatus
from kiosk.staff.commands import Stop, _Answers, _Command


def run(args: argparse.Namespace) -> int:
    try:
        if args.command == "enrol":
            return _enrol(args)
        return _office(args)
    except (admin.OfficeError, Stop) as exc:
        message = exc.message if isinstance(exc, Stop) else str(exc)
        print(f"kiosk: {message}", file=sys.stderr)
        return int(exc.code) if isinstance(exc, Stop) else int(ExitStatus.FAILED)
    except psycopg.Error as exc:
        print(f"kiosk: the office database said: {exc}", file=sys.stderr)
        return int(ExitStatus.FAILED)
    except KeyboardInterrupt:
        print("\nkiosk: stopped; nothing more was done.", file=sys.stderr)
        return 130


def db_url(args: argparse.Namespace) -> str:
    url = getattr(args, "db", None) or os.environ.get(DB_ENV, "")
    if not url:
        raise Stop(ExitStatus.USAGE, f"Which office database? Give --db URL or set ${DB_ENV}.")
    return str(url)


def _office(args: argparse.Namespace) -> int:
    url = db_url(args)
    answers = _Answers()
    with psycopg.connect(url) as conn:
        if args.office_command == "init":
            result = admin.init(conn)
            print(
                f"Office database at schema {len(result.applied) or 'unchanged'}; clinic key "
                f"{result.key_id}; roles {result.roles.kiosks}, {result.roles.office}."
            )
            if result.recovery_code:
                print(
                    f"\nRecovery code (shown once: write it down, keep it away from the server):"
                    f"\n\n    {result.recovery_code}\n\nIt adds the first office staff member "
                    f"and opens every enquiry if all PINs are lost."
                )
        elif args.office_command == "enrol-kiosk":
            ca = args.ca
            if ca is None:
                roots = parse_qs(urlsplit(url).query).get("sslrootcert")
                if not roots:
                    raise Stop(ExitStatus.USAGE, "Give --ca FILE: the clinic CA's certificate.")
                ca = roots[0]
            ca_pem = Path(ca).read_text(encoding="utf-8")
            # The token vouches for the clinic's keys: opened by a PIN here, not
            # taken from the database on trust.
            opener, by = _authorise(conn, answers, recovery=False)
            token = admin.enrol_kiosk(conn, args.name, ca_pem, opener, actor=by, group=args.group)
            print(f"Token for kiosk {args.name!r} (use it once, on that tablet):\n")
            print(token.encode())
            print("\nOn the tablet: kiosk enrol --server URL --token TOKEN")
        elif args.office_command == "revoke-kiosk":
            admin.revoke_kiosk(conn, args.name)
            print(f"Kiosk {args.name!r} revoked: it can no longer send.")
        elif args.office_command in publish_commands.COMMANDS:
            publish_commands.run(conn, args, answers, _authorise)
        else:
            _staff(conn, args, answers)
    return int(ExitStatus.OK)


def _authorise(
    conn: psycopg.Connection[tuple[object, ...]], answers: _Answers, *, recovery: bool
) -> tuple[Opener, str]:
    """An opener and the actor: the recovery code (no staff yet, or asked for) or a
    member's PIN. The actor is the member's name as the account spells it, never what
    was typed (a PIN typed as the name is refused, audited as "(unknown name)")."""
    if recovery or not admin.staff_names(conn):
        code = answers.secret("Recovery code: ", "the recovery code")
        return admin.opener_by_recovery(conn, code), "recovery-code"
    name = answers.text("Staff name: ", "a staff name")
    pin = answers.secret("PIN: ", "a PIN")
    member = admin.member_by_pin(conn, name, pin)
    return member.opener, member.name


def _new_pin(answers: _Answers, name: str) -> str:
    pin = answers.secret(f"New PIN for {name}: ", "the new PIN")
    if answers.secret("The same PIN again: ", "the new PIN again") != pin:
        raise Stop(ExitStatus.REFUSED, "The two PINs differ; nothing was changed.")
    return pin


def _staff(
    conn: psycopg.Connection[tuple[object, ...]], args: argparse.Namespace, answers: _Answers
) -> None:
    action = args.staff_command
    if action == "add":
        opener, by = _authorise(conn, answers, recovery=False)
        admin.staff_add(conn, args.name, _new_pin(answers, args.name), opener, by=by)
        print(f"Added {args.name}.")
    elif action == "remove":
        _opener, by = _authorise(conn, answers, recovery=False)
        admin.staff_remove(conn, args.name, by=by)
        print(f"Removed {args.name}: their PIN opens nothing now.")
    else:
        opener, by = _authorise(conn, answers, recovery=args.recovery_code)
        admin.staff_reset_pin(conn, args.name, _new_pin(answers, args.name), opener, by=by)
        print(f"New PIN set for {args.name}.")


def _enrol(args: argparse.Namespace) -> int:
    command = _Command(args, None, time.time)
    paths: Paths = command.paths
    link = enrol(paths.data_dir, args.server, args.token)
    print(
        f"Enrolled as kiosk {link.kiosk_name!r}; new enquiries are sealed to the clinic key "
        f"{link.key_id} and sent to the office."
    )
    older = {k: n for k, n in foreign_key_ids(paths.store_file, link.key_id).items() if n}
    if older:
        total = sum(older.values())
        print(
            f"{total} enquiries saved before enrolment are sealed to this tablet's key: a "
            f"staff member's name and PIN seal them to the clinic key, and they are sent too."
        )
        session = command.sign_in()
        with EnquiryStore(paths.store_file, Sealer(link.public_key)) as store:
            moved = store.reseal(session.opener, Sealer(link.public_key))
        print(f"{moved} enquiries sealed to the clinic key.")
    return int(ExitStatus.OK)
