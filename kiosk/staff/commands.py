"""The staff's commands: accounts, the audit check, and enquiries from the office.

``kiosk.cli`` parses the command line (its shape and exit statuses are in
``kiosk.staff.cli``) and hands the command to ``run``. Secrets (the recovery
code, PINs) are read with ``getpass`` when standard input is a terminal, or
one per line from standard input for scripts; the staff name is read the same
way but shown as typed (it is not a secret: ``kiosk staff list`` shows it).

Every command that signs in writes the sign-in (or the failure) and what it
did to the audit log, with the staff member's name. A refusal is one sentence
on stderr and an exit status of its own (``ExitStatus``, listed in each
command's ``--help`` and in docs/staff.md).

Plain Python: nothing here imports Qt. This module brings in the crypto, the
store and the export, so ``kiosk.cli`` imports it only when a staff command runs.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.config import load_config
from kiosk.enquiries import labels
from kiosk.enquiries.export import (
    ExportError,
    ExportOptions,
    export_enquiries,
    inert,
    received_text,
    remove_old_exports,
)
from kiosk.enquiries.keys import (
    CROCKFORD,
    RECOVERY_CODE_CHARS,
    KdfParams,
    KeysError,
    normalise_recovery_code,
)
from kiosk.enquiries.leftovers import ExportPlaces
from kiosk.enquiries.store import EnquiryStore, StoreError, enquiry_count, open_personal
from kiosk.office.published import running_paths
from kiosk.paths import Paths
from kiosk.staff.accounts import (
    MAX_FAILURES,
    PIN_MAX,
    KeysProblem,
    Locked,
    NoKeys,
    Session,
    SignInPaused,
    StaffAccounts,
    StaffError,
    StaffFileError,
    TooSoon,
    WrongPin,
    WrongRecoveryCode,
    name_problem,
    pin_problem,
)
from kiosk.staff.audit import AuditError, AuditLog, verify
from kiosk.staff.cli import ExitStatus

RECOVERY_ACTOR = "recovery-code"  # the audit log's actor for what the recovery code did
WHERE = "terminal"


class Stop(Exception):  # noqa: N818 (it stops the command; it is not an error of ours)
    """Ends a command: ``message`` for stderr, ``code`` for the exit status."""

    def __init__(self, code: ExitStatus, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def refusal(exc: StaffError) -> Stop:
    """A StaffError as the command line says it: its sentence, and the exit status."""
    if isinstance(exc, WrongPin | WrongRecoveryCode):
        return Stop(ExitStatus.WRONG_PIN, exc.message)
    if isinstance(exc, Locked | TooSoon | SignInPaused):
        return Stop(ExitStatus.LOCKED, exc.message)
    if isinstance(exc, NoKeys):
        return Stop(ExitStatus.NO_KEYS, exc.message)
    if isinstance(exc, StaffFileError | KeysProblem):
        return Stop(ExitStatus.DAMAGED, exc.message)
    return Stop(ExitStatus.REFUSED, exc.message)


@contextmanager
def refusals() -> Iterator[None]:
    """A StaffError raised inside ends the command with ``refusal``'s sentence and status."""
    try:
        yield
    except StaffError as exc:
        raise refusal(exc) from None


# -- reading secrets ----------------------------------------------------------------


class _Answers:
    """Reads what a command asks for: from the terminal, or one per line from stdin."""

    def __init__(self) -> None:
        self.interactive = bool(sys.stdin is not None and sys.stdin.isatty())

    def secret(self, prompt: str, what: str) -> str:
        if self.interactive:
            return getpass.getpass(prompt)
        return self._line(what)

    def text(self, prompt: str, what: str) -> str:
        if self.interactive:
            # The prompt on stderr: stdout may be going to a file (enquiries list > file).
            sys.stderr.write(prompt)
            sys.stderr.flush()
        return self._line(what)

    def _line(self, what: str) -> str:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        if not line:
            raise Stop(
                ExitStatus.USAGE,
                f"Expected {what} on standard input (one answer per line), but it ended.",
            )
        return line.rstrip("\r\n")


# -- the commands -------------------------------------------------------------------


class _Command:
    """One run of a command: the paths, the answers, and what it writes to the audit log."""

    def __init__(
        self,
        args: argparse.Namespace,
        kdf: KdfParams | None,
        clock: Callable[[], float],
    ) -> None:
        self.args = args
        # What the kiosk runs: a published revision's content and settings when one
        # is current (``kiosk.office.published``: a small JSON file, no psycopg), so
        # an export goes where the settings the kiosk shows say, not the tablet's
        # own kiosk.toml, which the revision replaced.
        self.installed = Paths.resolve(
            getattr(args, "data_dir", None),
            getattr(args, "content", None),
            getattr(args, "config", None),
        )
        self.paths = running_paths(self.installed)
        self.kdf = kdf
        self.clock = clock
        self.answers = _Answers()
        self._accounts: StaffAccounts | None = None
        self._audit_log: AuditLog | None = None

    @property
    def accounts(self) -> StaffAccounts:
        if self._accounts is None:
            config, _problems = load_config(self.paths.config_file)  # said by the command
            self._accounts = StaffAccounts(
                self.paths.staff_file,
                self.paths.keys_file,
                kdf=self.kdf,
                clock=self.clock,
                min_pin_length=config.min_pin_length,
            )
        return self._accounts

    def audit(self, actor: str, action: str, *, done: str = "", **details: str | int) -> None:
        """Write one entry; if the log cannot be written, the command stops here.

        ``done`` says what already happened (an export written), so the
        sentence does not claim that nothing was done.
        """
        self._write(actor, action, details, done)

    def _write(self, actor: str, action: str, details: dict[str, str | int], done: str) -> None:
        if self._audit_log is None:
            self._audit_log = AuditLog(self.paths.audit_file, clock=self.clock)
        try:
            self._audit_log.append(actor, action, where=WHERE, **details)
        except AuditError as exc:
            if done:
                raise Stop(
                    ExitStatus.FAILED, f"{done}, but {exc.message[0].lower()}{exc.message[1:]}"
                ) from None
            raise Stop(ExitStatus.FAILED, f"{exc.message} Nothing was done.") from None

    def audit_refusal(self, actor: str, action: str, stop: Stop, **details: str | int) -> Stop:
        """Write down a refused sign-in; ``stop`` is what the command ends with even if
        the log cannot be written (then both are said: the refusal matters more)."""
        try:
            self._write(actor, action, details, "")
        except Stop as failed:
            print(f"kiosk: {failed.message}", file=sys.stderr)
        return stop

    # -- signing in ----------------------------------------------------------------

    def sign_in(self) -> Session:
        """Ask for a staff name and PIN and sign in; every outcome goes to the audit log."""
        self.require_keys()
        name = self.answers.text("Staff name: ", "a staff name").strip()
        pin = self.answers.secret("PIN: ", "a PIN")
        try:
            session = self.accounts.sign_in(name, pin)
        except StaffError as exc:
            # A name that matches no account is not written down: it may be a
            # PIN or the recovery code, typed one line too early.
            raise self._refused_sign_in(self.accounts.actor_for(name), exc) from None
        self.audit(session.name, "sign-in")
        return session

    def _refused_sign_in(self, actor: str, exc: StaffError) -> Stop:
        """Write down a refused sign-in; the stop the command ends with."""
        if isinstance(exc, Locked):
            return self.audit_refusal(
                actor,
                "sign-in-locked",
                Stop(ExitStatus.LOCKED, exc.message),
                seconds_left=round(exc.seconds_left),
            )
        if isinstance(exc, TooSoon):
            return self.audit_refusal(
                actor, "sign-in-failed", Stop(ExitStatus.LOCKED, exc.message), reason="too soon"
            )
        if isinstance(exc, WrongPin):
            return self.audit_refusal(
                actor,
                "sign-in-failed",
                Stop(ExitStatus.WRONG_PIN, exc.message),
                reason="locked" if exc.failures >= MAX_FAILURES else "wrong PIN",
                failures=exc.failures,
            )
        return self.audit_refusal(actor, "sign-in-failed", refusal(exc), reason=type(exc).__name__)

    def recovery_code(self) -> str:
        """Ask for the recovery code; one that cannot be a code is refused before any work."""
        code = self.answers.secret("Recovery code: ", "the recovery code")
        plain = normalise_recovery_code(code)
        if len(plain) != RECOVERY_CODE_CHARS or any(ch not in CROCKFORD for ch in plain):
            raise self.audit_refusal(
                RECOVERY_ACTOR,
                "sign-in-failed",
                Stop(
                    ExitStatus.WRONG_PIN,
                    f"That is not a recovery code: it has {RECOVERY_CODE_CHARS} letters and "
                    f"digits, like the one in RECOVERY-CODE.txt from the kiosk's first run.",
                ),
                reason="not a recovery code",
            )
        return code

    def new_pin(self, name: str) -> str:
        """Ask for the new PIN twice; a PIN that breaks a rule is refused after the first."""
        low = self.accounts.min_pin_length
        pin = self.answers.secret(
            f"New PIN for {name} ({low} to {PIN_MAX} digits): ", "the new PIN"
        )
        problem = pin_problem(pin, low)
        if problem:
            raise Stop(ExitStatus.REFUSED, f"{problem} Nothing was changed.")
        again = self.answers.secret("The same PIN again: ", "the new PIN a second time")
        if again != pin:
            raise Stop(ExitStatus.REFUSED, "The two PINs are not the same; nothing was changed.")
        return pin

    def require_keys(self) -> None:
        with refusals():
            self.accounts.require_keys()

    def member(self, name: str) -> str:
        """The account's name as stored (names match whatever their case); refused if none."""
        for known in self.staff_names():
            if known.casefold() == name.casefold():
                return known
        raise Stop(ExitStatus.REFUSED, f"There is no staff member called {name!r}.")

    def staff_names(self) -> list[str]:
        with refusals():
            return self.accounts.names()

    # -- the store -----------------------------------------------------------------

    @contextmanager
    def store(self, session: Session) -> Iterator[EnquiryStore]:
        store = EnquiryStore(self.paths.store_file, session.opener.sealer())
        try:
            if not store.available:
                why = store.problems[-1] if store.problems else "it could not be opened"
                raise Stop(ExitStatus.FAILED, f"The enquiries cannot be read: {why}")
            yield store
        finally:
            store.close()

    def topic_titles(self) -> dict[str, str]:
        """Topic ids to titles, from the content; ids stand in if it cannot be read."""
        try:
            # Markdown and the sanitiser come with it: only export and list need titles.
            from kiosk.content import load_library

            library = load_library(self.paths.content_dir)
        except Exception:  # a content problem must not stop an export
            return {}
        return {topic.topic_id: topic.title for topic in library.topics}


def _staff_add(cmd: _Command) -> ExitStatus:
    name = cmd.args.name
    problem = name_problem(name)
    if problem:
        raise Stop(ExitStatus.REFUSED, problem)
    names = cmd.staff_names()
    if any(known.casefold() == name.casefold() for known in names):
        raise Stop(ExitStatus.REFUSED, f"There is a staff member called {name!r} already.")
    cmd.require_keys()
    if not names:
        if cmd.answers.interactive:
            print(
                "There are no staff accounts yet: the first one needs the recovery code.",
                file=sys.stderr,
            )
        code = cmd.recovery_code()
        pin = cmd.new_pin(name)
        with refusals():
            try:
                cmd.accounts.add(name, pin, recovery_code=code)
            except WrongRecoveryCode as exc:
                raise cmd.audit_refusal(
                    RECOVERY_ACTOR, "sign-in-failed", refusal(exc), reason="wrong recovery code"
                ) from None
        cmd.audit(RECOVERY_ACTOR, "staff-add", done=f"{name} was added", name=name)
    else:
        session = cmd.sign_in()
        pin = cmd.new_pin(name)
        with refusals():
            cmd.accounts.add(name, pin, by=session)
        cmd.audit(session.name, "staff-add", done=f"{name} was added", name=name)
    print(f"Added {name}: they can sign in on the kiosk with their PIN.")
    return ExitStatus.OK


def _staff_remove(cmd: _Command) -> ExitStatus:
    name = cmd.member(cmd.args.name)
    session = cmd.sign_in()
    with refusals():
        cmd.accounts.remove(name, by=session)
    cmd.audit(session.name, "staff-remove", done=f"{name} was removed", name=name)
    print(f"Removed {name}: their PIN no longer opens anything.")
    return ExitStatus.OK


def _staff_reset_pin(cmd: _Command) -> ExitStatus:
    name = cmd.member(cmd.args.name)
    if cmd.args.recovery_code:
        cmd.require_keys()
        code = cmd.recovery_code()
        pin = cmd.new_pin(name)
        with refusals():
            try:
                cmd.accounts.reset_pin(name, pin, recovery_code=code)
            except WrongRecoveryCode as exc:
                raise cmd.audit_refusal(
                    RECOVERY_ACTOR, "sign-in-failed", refusal(exc), reason="wrong recovery code"
                ) from None
        actor = RECOVERY_ACTOR
    else:
        session = cmd.sign_in()
        pin = cmd.new_pin(name)
        with refusals():
            cmd.accounts.reset_pin(name, pin, by=session)
        actor = session.name
    cmd.audit(actor, "staff-reset-pin", done=f"{name} has a new PIN", name=name)
    print(f"{name} has a new PIN.")
    return ExitStatus.OK


def _staff_list(cmd: _Command) -> ExitStatus:
    with refusals():
        members = cmd.accounts.members()
    if not members:
        print(
            "No staff accounts yet: add the first with 'kiosk staff add NAME' and the "
            "recovery code.",
            file=sys.stderr,
        )
    for member in members:
        print(f"{member.name}\tadded {member.added_at}")
    return ExitStatus.OK


def _audit_verify(cmd: _Command) -> ExitStatus:
    try:
        accounts = bool(cmd.accounts.names())
    except StaffError:
        accounts = True  # a damaged staff file may well have had accounts in it
    # Adding an account writes to the log: with accounts, no log means a deleted one.
    # And enquiries outlive a log deleted together with the staff file.
    check = verify(
        cmd.paths.audit_file,
        accounts_exist=accounts,
        enquiries=enquiry_count(cmd.paths.store_file),
    )
    if check.ok:
        print(check.message)
        return ExitStatus.OK
    print(f"kiosk: {check.message}", file=sys.stderr)
    return ExitStatus.FAILED


def _export(cmd: _Command) -> ExitStatus:
    out: Path = cmd.args.out.expanduser()
    fmt = cmd.args.format or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    config, problems = load_config(cmd.paths.config_file)
    for problem in problems:
        print(f"kiosk: config: {problem}", file=sys.stderr)
    exports = cmd.paths.export_dir(config.export_folder)
    _check_out(cmd.paths, out, exports, force=cmd.args.force, installed=cmd.installed)
    session = cmd.sign_in()
    which = "" if cmd.args.all else "new "
    with cmd.store(session) as store:
        try:
            counts = store.counts()
        except StoreError as exc:
            raise Stop(ExitStatus.FAILED, f"The enquiries could not be read ({exc}).") from None
        if (sum(counts.values()) if cmd.args.all else counts.get("new", 0)) == 0:
            # An empty file would only stand where a real one is expected.
            print(f"There are no {which}enquiries to export; no file was written.")
            return ExitStatus.OK
        try:
            result = export_enquiries(
                store,
                session.opener,
                out,
                fmt,
                ExportOptions(
                    include_all=cmd.args.all,
                    topic_titles=cmd.topic_titles(),
                    replace=cmd.args.force,
                    region=config.region,
                ),
            )
        except ExportError as exc:
            if exc.reason == "exists":
                raise _exists(out) from None
            code = (
                ExitStatus.UNWRITABLE
                if exc.reason in ("missing", "read-only", "full")
                else ExitStatus.FAILED
            )
            raise Stop(code, exc.message) from None
    cmd.audit(
        session.name,
        "export",
        done=f"The export was written to {result.path}",
        count=result.count,
        path=str(result.path.resolve()),
        format=fmt,
        scope="all" if cmd.args.all else "new",
    )
    for warning in result.warnings:
        print(f"kiosk: {warning}", file=sys.stderr)
    count = f"1 {which}enquiry" if result.count == 1 else f"{result.count} {which}enquiries"
    print(f"Wrote {count} to {result.path}.")
    return ExitStatus.OK


def _exists(out: Path) -> Stop:
    return Stop(
        ExitStatus.FILE_EXISTS,
        f"{out} exists already; nothing was exported. Choose a new name (say with the date "
        f"in it), or add --force to replace it.",
    )


def _check_out(paths: Paths, out: Path, exports: Path, *, force: bool, installed: Paths) -> None:
    """Refuse, before asking for a PIN, a file that cannot be written or must not be replaced.

    Inside the data folder only the export folder (``exports``) is open:
    the logs, ``audit.head``, the page views and the lock files are the
    kiosk's too. An existing file is replaced only with ``force``: the one
    it would replace may be the only list of enquiries already marked exported.
    """
    target = out.resolve()
    data = paths.data_dir.resolve()
    exports = exports.resolve()
    in_exports = target.is_relative_to(exports) and not data.is_relative_to(exports)
    own = {
        p.resolve()
        for p in (
            paths.store_file,
            paths.keys_file,
            paths.staff_file,
            paths.audit_file,
            paths.recovery_file,
            paths.config_file,
            installed.config_file,  # the tablet's own, under a published one
        )
    }
    if target in own or target.name.startswith(paths.store_file.name):
        raise Stop(
            ExitStatus.UNWRITABLE, f"{out} is one of the kiosk's own files; choose another name."
        )
    if target.is_relative_to(data) and not in_exports:
        raise Stop(
            ExitStatus.UNWRITABLE,
            f"{out} is in the kiosk's data folder {data}, where only the export folder "
            f"{exports} may be written; nothing was exported.",
        )
    folder = target.parent
    if not folder.is_dir():
        raise Stop(
            ExitStatus.UNWRITABLE, f"The folder {folder} does not exist; nothing was exported."
        )
    if target.is_dir():
        raise Stop(
            ExitStatus.UNWRITABLE, f"{out} is a folder, not a file name; nothing was exported."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise Stop(
            ExitStatus.UNWRITABLE,
            f"The folder {folder} cannot be written to; nothing was exported.",
        )
    if not force and (os.path.lexists(out) or os.path.lexists(target)):
        raise _exists(out)  # ``out`` too: a dangling link there would be replaced


def _check_owner(data_dir: Path) -> None:
    """Refuse to change the data folder as another user than its owner (say root via sudo).

    Files made by root there (the staff file, the audit log) could not be
    written by the kiosk afterwards: every sign-in on the tablet would fail.
    """
    if not hasattr(os, "geteuid"):
        return
    try:
        owner = data_dir.stat().st_uid
    except OSError:
        return  # not there yet: the keys check says what to do
    if owner != os.geteuid():
        raise Stop(
            ExitStatus.USAGE,
            f"Run this as the user who owns {data_dir} (the kiosk's user), for example "
            f"'sudo -u kiosk kiosk --data-dir {data_dir} ...': files made by another user "
            f"there would lock the kiosk out of them.",
        )


def _printable(text: str) -> str:
    """What a patient typed, safe for a terminal: no escape sequences, tabs or line breaks."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _patient_text(text: str, *, to_file: bool) -> str:
    """A field a patient typed, for one line of ``enquiries list``. Going to a file
    (``> list.tsv``, opened in a spreadsheet) it is also made inert, as in an export."""
    return _printable(inert(text) if to_file else text)


def _enquiries_list(cmd: _Command) -> ExitStatus:
    session = cmd.sign_in()
    titles = cmd.topic_titles()
    to_file = not (sys.stdout is not None and sys.stdout.isatty())
    lines: list[str] = []
    with cmd.store(session) as store:
        try:
            stored = store.enquiries(cmd.args.status)
        except StoreError as exc:
            raise Stop(ExitStatus.FAILED, f"The enquiries could not be read ({exc}).") from None
        for enquiry in stored:
            topic = labels.topic(enquiry.topic, titles)
            fields = [str(enquiry.id), received_text(enquiry.created_at), topic]
            fields.append(labels.status(enquiry.status))
            fields = [_printable(field) for field in fields]
            try:
                personal = open_personal(session.opener, enquiry)
            except (KeysError, StoreError):
                fields += ["(does not open with this key)", ""]
            else:
                reach = [personal.get("phone", ""), personal.get("email", "")]
                typed = [personal.get("name", ""), " / ".join(r for r in reach if r)]
                fields += [_patient_text(field, to_file=to_file) for field in typed]
            lines.append("\t".join(fields))
    cmd.audit(session.name, "view", count=len(lines), what="enquiries list")
    for line in lines:
        print(line)
    if not lines:
        print("No enquiries.", file=sys.stderr)
    return ExitStatus.OK


def _purge(cmd: _Command) -> ExitStatus:
    config, problems = load_config(cmd.paths.config_file)
    for problem in problems:
        print(f"kiosk: config: {problem}", file=sys.stderr)
    days = config.retention_days
    session = cmd.sign_in()
    with cmd.store(session) as store:
        try:
            deleted = store.purge(days)
        except StoreError as exc:
            raise Stop(ExitStatus.FAILED, f"Nothing was deleted: {exc}") from None
    # Only the configured export folder: a file given to --out elsewhere, or on
    # a USB drive, is the staff's to keep or delete.
    exports = cmd.paths.export_dir(config.export_folder)
    files = remove_old_exports(exports, days)
    # And what a killed export left, in every folder the kiosk exported to.
    files += ExportPlaces(cmd.paths.data_dir).sweep()
    which = "1 enquiry" if deleted == 1 else f"{deleted} enquiries"
    cmd.audit(
        session.name,
        "purge",
        done=f"{which} and {_files(files)} were deleted",
        count=deleted,
        older_than_days=days,
        files=files,
    )
    print(f"Deleted {which} exported or contacted more than {days} days ago.")
    print(f"Deleted {_files(files)} older than {days} days from {exports}.")
    return ExitStatus.OK


def _files(n: int) -> str:
    return "1 export file" if n == 1 else f"{n} export files"


_HANDLERS: dict[tuple[str, str | None], Callable[[_Command], ExitStatus]] = {
    ("staff", "add"): _staff_add,
    ("staff", "remove"): _staff_remove,
    ("staff", "list"): _staff_list,
    ("staff", "reset-pin"): _staff_reset_pin,
    ("audit", "verify"): _audit_verify,
    ("export", None): _export,
    ("enquiries", "list"): _enquiries_list,
    ("purge", None): _purge,
}


def run(
    args: argparse.Namespace,
    *,
    kdf: KdfParams | None = None,
    clock: Callable[[], float] = time.time,
) -> int:
    """Run one of ``kiosk.staff.cli.COMMANDS``, parsed by ``kiosk.cli``; returns the exit status.

    ``kdf`` is how hard new PIN hashes and key slots are (default:
    ``KdfParams.interactive()``, see its docstring); tests pass the fastest,
    and a fake ``clock``.
    """
    action = getattr(args, f"{args.command}_command", None)
    handler = _HANDLERS[(args.command, action)]
    # No logging set up: the kiosk's log file belongs to the running kiosk
    # (two processes rotating one file lose lines), and Python's last-resort
    # handler already puts a library's warnings (a damaged database set aside,
    # say) on stderr.
    try:
        command = _Command(args, kdf, clock)
        if handler not in (_staff_list, _audit_verify):
            _check_owner(command.paths.data_dir)
        return handler(command)
    except Stop as stop:
        print(f"kiosk: {stop.message}", file=sys.stderr)
        return stop.code
    except KeyboardInterrupt:
        print("\nkiosk: stopped; nothing more was done.", file=sys.stderr)
        return 130
