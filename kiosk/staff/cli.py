"""The staff's command line as typed: its commands, their options, and the exit statuses.

``kiosk staff add|remove|list|reset-pin``, ``kiosk audit verify``,
``kiosk export``, ``kiosk enquiries list`` and ``kiosk purge``, registered on
the ``kiosk`` parser by ``kiosk.cli``, which hands a parsed command to
``kiosk.staff.commands.run``. This module is light on purpose (no crypto, no
store): every ``kiosk`` command builds the whole parser.
"""

from __future__ import annotations

import argparse
import textwrap
from enum import IntEnum
from pathlib import Path

from kiosk.paths import DATA_DIR_ENV

COMMANDS = ("staff", "audit", "export", "enquiries", "purge")


class ExitStatus(IntEnum):
    """A staff command's exit status; ``meaning`` is its row in each command's ``--help``
    (a line break in it is a line break there), so the numbers and the help cannot drift."""

    meaning: str

    def __new__(cls, code: int, meaning: str) -> ExitStatus:
        status = int.__new__(cls, code)
        status._value_ = code
        status.meaning = meaning
        return status

    OK = 0, "done"
    FAILED = (
        1,
        "failed (the audit chain is broken, or its log deleted; the enquiries or the\n"
        "audit log could not be used)",
    )
    USAGE = 2, "usage: a mistake in the command, or standard input ended before a secret"
    WRONG_PIN = 3, "wrong PIN, unknown staff name or wrong recovery code"
    LOCKED = (
        4,
        "locked: too many wrong PINs (5 minutes), the short wait after one, or sign-in\n"
        "paused while wrong PINs cannot be written down (a full disk)",
    )
    NO_KEYS = 5, "no enquiry keys yet: start the kiosk once first"
    UNWRITABLE = 6, "the export file cannot be written there (or it is in the data folder)"
    REFUSED = (
        7,
        "refused: a PIN or name that breaks the rules, two PINs that differ,\n"
        "a name that is taken or unknown",
    )
    DAMAGED = 8, "the staff file or the keys file is damaged or unreadable"
    FILE_EXISTS = 9, "the export file exists already: choose another name, or --force"


def _exit_table() -> str:
    """``exit status:`` and one row per ``ExitStatus``, continued lines indented under it."""
    rows = []
    for status in ExitStatus:
        first, *rest = status.meaning.split("\n")
        rows.append(f"  {status.value}  {first}")
        rows.extend(f"     {line}" for line in rest)
    return "\n".join(["exit status:", *rows])


EXIT_HELP = (
    _exit_table()
    + """

Secrets are read from the terminal without echo, or one per line from
standard input when it is not a terminal (for scripts). Never keep a PIN in
a file on the kiosk: it would open the encrypted enquiries. See docs/staff.md."""
)


# -- the parsers --------------------------------------------------------------------


def _place_options(parser: argparse.ArgumentParser) -> None:
    """``--data-dir`` and ``--config`` after the command too (``kiosk staff list --data-dir X``).

    SUPPRESS keeps a value given before the command (``kiosk --data-dir X staff list``).
    """
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"data folder (keys, staff, audit log, enquiries); also ${DATA_DIR_ENV}",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        help="config file (default: DATA_DIR/kiosk.toml)",
    )


def _leaf(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 78),
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _place_options(parser)
    return parser


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register this module's commands (``COMMANDS``) on the ``kiosk`` parser."""
    staff = sub.add_parser(
        "staff",
        help="staff accounts: add, remove, list, reset-pin",
        description="Staff accounts: each has a name and a PIN of 6 to 12 digits.",
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _place_options(staff)
    staff_sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = _leaf(
        staff_sub,
        "add",
        "add a staff account (the first one needs the recovery code)",
        "Add a staff account. The first account needs the recovery code from the kiosk's "
        "first run; later ones need an existing staff member's name and PIN. Then the new "
        "PIN is asked for twice.",
    )
    add.add_argument("name", help="the new staff member's name, as it shows in the audit log")
    remove = _leaf(
        staff_sub,
        "remove",
        "remove a staff account (needs a staff name and PIN)",
        "Remove a staff account: its PIN then opens nothing. Needs a staff name and PIN.",
    )
    remove.add_argument("name")
    _leaf(staff_sub, "list", "list the staff accounts", "List the staff accounts (no PIN needed).")
    reset = _leaf(
        staff_sub,
        "reset-pin",
        "give a staff member a new PIN",
        "Give a staff member a new PIN. Needs a staff name and PIN, or with --recovery-code "
        "the recovery code (when every PIN is lost); the recovery code also ends a lock.",
    )
    reset.add_argument("name")
    reset.add_argument(
        "--recovery-code",
        action="store_true",
        help="authorise with the recovery code instead of a staff name and PIN",
    )

    audit = sub.add_parser(
        "audit",
        help="the audit log: verify",
        description="The audit log of staff actions.",
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _place_options(audit)
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    _leaf(
        audit_sub,
        "verify",
        "check that the audit log's chain is intact",
        "Check every entry's hash and its link to the one before, and the head file: says "
        "whether the log is intact, or the line where it breaks (exit 1).",
    )

    export = _leaf(
        sub,
        "export",
        "export enquiries to a CSV or XLSX file (needs a staff name and PIN)",
        "Export the new enquiries (with --all: every one) to FILE, then mark the new ones "
        "exported. CSV is UTF-8 with a byte-order mark; cells that a spreadsheet would run as "
        "a formula are made inert. An existing FILE is never replaced without --force; with "
        "nothing to export, no file is written.",
    )
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help="the file to write (a new name, e.g. calls-$(date +%%F).csv)",
    )
    export.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (never a kiosk file)"
    )
    export.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        help="csv or xlsx (default: from FILE's extension, else csv)",
    )
    export.add_argument("--all", action="store_true", help="every enquiry, not only the new ones")

    enquiries = sub.add_parser(
        "enquiries",
        help="enquiries: list",
        description="The enquiries saved on this kiosk.",
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _place_options(enquiries)
    enquiries_sub = enquiries.add_subparsers(
        dest="enquiries_command", metavar="ACTION", required=True
    )
    listing = _leaf(
        enquiries_sub,
        "list",
        "list the enquiries, newest first (needs a staff name and PIN)",
        "Print each enquiry on one line, newest first, tab-separated: reference, received "
        "(local time), topic, status, name, phone / email.",
    )
    listing.add_argument(
        "--status", choices=("new", "exported", "contacted"), help="only those with this status"
    )

    _leaf(
        sub,
        "purge",
        "delete exported and contacted enquiries past the retention period",
        "Delete the exported and contacted enquiries older than [staff] retention_days of "
        "the config (default 90), and the kiosk's own export files (enquiries-*.csv, "
        "enquiries-*.xlsx) older than that in the configured export folder. New enquiries "
        "are never deleted. Needs a staff name and PIN.",
    )
