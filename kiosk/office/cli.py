"""The office link's commands as typed (light: argparse only, no psycopg).

``kiosk office app`` (the front desk's window, run by ``kiosk.cli`` with Qt) and
``kiosk office init|enrol-kiosk|revoke-kiosk|staff add|remove|reset-pin`` for the
clinic's administrator; ``publish|revisions|group|publish-key`` to publish
content and settings to the kiosks (issue 16), with ``--db URL`` (or ``$KIOSK_OFFICE_DB``): a
PostgreSQL URL for a login that owns the database, over TLS
(``sslmode=verify-full&sslrootcert=...``). ``kiosk enrol --server URL --token T``
on the tablet. Run by ``kiosk.office.commands``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kiosk.paths import DATA_DIR_ENV

COMMANDS = ("office", "enrol")
DB_ENV = "KIOSK_OFFICE_DB"
#: The office app locks after this many idle minutes, unless --lock-after says otherwise.
LOCK_AFTER_MINUTES = 5.0
LOCK_AFTER_MAX = 8 * 60.0  # a working day: longer is not locking


def _minutes(text: str) -> float:
    try:
        minutes = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
    if not 0.5 <= minutes <= LOCK_AFTER_MAX:
        raise argparse.ArgumentTypeError(
            f"give 0.5 to {LOCK_AFTER_MAX:g} minutes (the window must lock at some point)"
        )
    return minutes


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    office = sub.add_parser("office", help="the clinic's office database: init, kiosks, staff")
    actions = office.add_subparsers(dest="office_command", metavar="ACTION", required=True)

    def leaf(name: str, summary: str, who: str = "as its owner") -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=summary, description=summary)
        parser.add_argument(
            "--db", metavar="URL", help=f"the office database, {who}; also ${DB_ENV}"
        )
        return parser

    app = leaf(
        "app",
        "open the office app: the enquiries, for a signed-in office staff member",
        "as the front desk's login (docs/office.md), never its owner",
    )
    app.add_argument(
        "--lock-after",
        type=_minutes,
        default=LOCK_AFTER_MINUTES,
        metavar="MINUTES",
        help=f"lock the window after MINUTES without use (default {LOCK_AFTER_MINUTES:g})",
    )
    leaf("init", "create or update the schema, roles and the clinic key (prints the recovery code)")
    enrol_kiosk = leaf(
        "enrol-kiosk",
        "make a kiosk's login and print its one-time token (asks a staff name and PIN, or "
        "the recovery code while there are no staff: the token vouches for the clinic's keys)",
    )
    enrol_kiosk.add_argument("name", help="the kiosk's name, as staff will read it (Lobby)")
    enrol_kiosk.add_argument(
        "--ca",
        type=Path,
        help="the clinic CA's certificate (default: the sslrootcert of --db)",
    )
    enrol_kiosk.add_argument(
        "--group", help="its group, for publishing to it first (see 'kiosk office group')"
    )
    revoke = leaf("revoke-kiosk", "stop a kiosk sending (its login refused)")
    revoke.add_argument("name")
    _publishing(leaf)
    staff = leaf("staff", "office staff accounts: add, remove, reset-pin")
    staff_actions = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    for action, summary in (
        ("add", "add a member (the first needs the recovery code)"),
        ("remove", "remove a member (needs a member's name and PIN)"),
        ("reset-pin", "a new PIN for a member (a member's PIN, or --recovery-code)"),
    ):
        parser = staff_actions.add_parser(action, help=summary, description=summary)
        parser.add_argument("name")
        # After the action too; SUPPRESS keeps one given before it.
        parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS)
        if action == "reset-pin":
            parser.add_argument("--recovery-code", action="store_true")

    enrol = sub.add_parser("enrol", help="link this kiosk to the clinic's office database")
    enrol.add_argument("--server", required=True, metavar="URL", help="postgresql://host:port/db")
    enrol.add_argument("--token", required=True, help="from 'kiosk office enrol-kiosk NAME'")
    enrol.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"the kiosk's data folder; also ${DATA_DIR_ENV}",
    )


def _publishing(leaf: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """``publish``, ``revisions``, ``group`` and ``publish-key`` (docs/office.md,
    "Publishing content and settings")."""
    publish = leaf(
        "publish",
        "check, sign and publish a content folder (and settings) to a group or all kiosks; "
        "or, with --revision N, address an existing revision anew",
    )
    publish.add_argument("folder", nargs="?", type=Path, help="the content folder")
    publish.add_argument("--config", type=Path, metavar="FILE", help="the settings (kiosk.toml)")
    whom = publish.add_mutually_exclusive_group(required=True)
    whom.add_argument(
        "--to", action="append", metavar="GROUP", help="the kiosks of GROUP (again for more)"
    )
    whom.add_argument("--all", action="store_true", help="every kiosk")
    publish.add_argument("--note", default="", help="what changed, for the office's list")
    publish.add_argument(
        "--revision", type=int, metavar="N", help="address revision N instead (no new number)"
    )
    leaf("revisions", "list the revisions and what each kiosk runs")
    group = leaf("group", "put a kiosk in a group (no group: it gets only what goes to all)")
    group.add_argument("kiosk")
    group.add_argument("group", nargs="?")
    leaf(
        "publish-key",
        "store the publishing key (a server initialised before publishing; asks a PIN)",
    )
