"""The staff's command line (kiosk.staff.cli): real files, secrets from standard input,
the exit status and the one sentence on stderr for each refusal, and the audit log."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.enquiries.keys import KeyRing, normalise_recovery_code
from kiosk.enquiries.store import EnquiryStore
from kiosk.office import published
from kiosk.paths import Paths, shipped_content_dir
from kiosk.staff import cli as staff_cli
from kiosk.staff import commands
from kiosk.staff.accounts import (
    DELAYS,
    LOCK_SECONDS,
    MAX_FAILURES,
    UNKNOWN_NAME,
    KeysProblem,
    Locked,
    NeedsStaffPin,
    NoKeys,
    NoSuchStaff,
    Refused,
    StaffAccounts,
    StaffError,
    StaffFileError,
    TooSoon,
    UnknownStaff,
    WrongPin,
    WrongRecoveryCode,
)
from kiosk.staff.audit import verify
from kiosk.staff.cli import ExitStatus

from .conftest import ALICE_PIN, BOB_PIN, FAST, FakeClock

PATIENT = {
    "name": "Dana Whitfield",
    "phone": "(555) 010-0142",
    "email": "dana@example.org",
    "method": "call",
    "best_time": "morning",
    "message": '=HYPERLINK("http://x")',
}


def staff_main(argv: list[str], clock: Callable[[], float] = time.time) -> int:
    """``kiosk ARGV`` for a staff command, with the fastest argon2id (and a fake clock)."""
    args = cli.build_parser().parse_args(argv)
    assert args.command in staff_cli.COMMANDS, args.command
    return commands.run(args, kdf=FAST, clock=clock)


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> Run:
    """``kiosk ARGS`` with ``stdin`` as standard input (not a terminal), fast argon2id."""

    def call(*argv: str, stdin: str = "") -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = staff_main(list(argv), clock=clock)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call


def audit_entries(paths: Paths) -> list[dict[str, object]]:
    if not paths.audit_file.exists():
        return []
    return [json.loads(line) for line in paths.audit_file.read_text().splitlines()]


def one_sentence(err: str) -> str:
    """stderr is one line, ``kiosk: ...``; returns the sentence."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("kiosk: ")
    return lines[0]


@pytest.fixture
def with_alice(run: Run, code: str) -> None:
    """Alice's account, made from the terminal with the recovery code."""
    assert run("staff", "add", "Alice", stdin=f"{code}\n{ALICE_PIN}\n{ALICE_PIN}\n").code == 0


@pytest.fixture
def saved(store: EnquiryStore) -> int:
    """One enquiry from a patient, saved by the kiosk."""
    return store.save("form-1", "ketamine-and-depression", PATIENT).id


# -- accounts --------------------------------------------------------------------------


def test_the_commands_are_registered_in_kiosk(
    keyring: tuple[KeyRing, str], capsys: pytest.CaptureFixture[str], data_tmpdir: Path
) -> None:
    """``kiosk staff list`` goes through kiosk.cli, with --data-dir before or after."""
    assert set(staff_cli.COMMANDS) <= set(cli.COMMANDS)
    assert cli.main(["staff", "list"]) == 0
    assert "No staff accounts yet" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(data_tmpdir), "audit", "verify"]) == 0
    assert cli.main(["audit", "verify", "--data-dir", str(data_tmpdir)]) == 0
    assert "no audit log yet" in capsys.readouterr().out


def test_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    """Each command's --help says what each exit status means."""
    with pytest.raises(SystemExit) as done:
        cli.main(["export", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "exit status:" in out
    assert "3  wrong PIN" in out and "4  locked" in out and "6  the export file" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["staff", "--help"],
        ["staff", "add", "--help"],
        ["audit", "verify", "--help"],
        ["export", "--help"],
        ["enquiries", "list", "--help"],
        ["purge", "--help"],
    ],
)
def test_help_lists_every_exit_status(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Every ExitStatus, with its number and its whole meaning, in the table of each --help."""
    with pytest.raises(SystemExit):
        cli.main(argv)
    table = capsys.readouterr().out.split("exit status:\n", 1)[1]
    for status in ExitStatus:
        first, *rest = status.meaning.split("\n")
        assert f"\n  {status.value}  {first}\n" in "\n" + table
        for line in rest:
            assert f"\n     {line}\n" in table
    numbers = [int(line.split()[0]) for line in table.splitlines() if line[:3].strip().isdigit()]
    assert numbers == sorted(numbers) == list(range(len(ExitStatus)))


@pytest.mark.parametrize(
    ("refused", "status"),
    [
        (WrongPin(1, 1.0), ExitStatus.WRONG_PIN),
        (UnknownStaff(1, 1.0), ExitStatus.WRONG_PIN),
        (WrongRecoveryCode("That recovery code does not open the keys."), ExitStatus.WRONG_PIN),
        (Locked(300), ExitStatus.LOCKED),
        (TooSoon(2), ExitStatus.LOCKED),
        (NoKeys("No keys here yet."), ExitStatus.NO_KEYS),
        (StaffFileError("The staff file is damaged."), ExitStatus.DAMAGED),
        (KeysProblem("The keys file is damaged."), ExitStatus.DAMAGED),
        (Refused("That name is taken."), ExitStatus.REFUSED),
        (NoSuchStaff("There is no Zed."), ExitStatus.REFUSED),
        (NeedsStaffPin("A staff member must sign in."), ExitStatus.REFUSED),
    ],
)
def test_a_refusal_inside_refusals_stops_with_its_sentence_and_status(
    refused: StaffError, status: ExitStatus
) -> None:
    """What a StaffError says is the command's one sentence; its kind picks the status."""
    with pytest.raises(commands.Stop) as stop, commands.refusals():
        raise refused
    assert (stop.value.code, stop.value.message) == (status, refused.message)
    assert stop.value.__suppress_context__  # no "during handling" traceback chained on


def test_refusals_lets_other_errors_through() -> None:
    """Only a StaffError is a refusal: a bug stays a bug, and a Stop stays itself."""
    with pytest.raises(KeyError), commands.refusals():
        raise KeyError("x")
    usage = commands.Stop(ExitStatus.USAGE, "no")
    with pytest.raises(commands.Stop) as stop, commands.refusals():
        raise usage
    assert stop.value is usage


def test_first_account_with_the_recovery_code(
    run: Run, code: str, paths: Paths, with_alice: None
) -> None:
    """Listed, able to sign in, and written to the audit log as done by the recovery code."""
    listing = run("staff", "list")
    assert listing.code == 0 and listing.out.startswith("Alice\tadded ")
    (entry,) = audit_entries(paths)
    assert (entry["actor"], entry["action"]) == ("recovery-code", "staff-add")
    assert entry["details"] == {"where": "terminal", "name": "Alice"}
    accounts = StaffAccounts(paths.staff_file, paths.keys_file, kdf=FAST)
    assert accounts.sign_in("Alice", ALICE_PIN).name == "Alice"


def test_a_wrong_recovery_code_is_exit_3_and_audited(
    run: Run, paths: Paths, keyring: tuple[KeyRing, str]
) -> None:
    result = run(
        "staff", "add", "Alice", stdin=f"ABCD-EFGH-JKMN-PQRS-TVWX-YZ01\n{ALICE_PIN}\n{ALICE_PIN}\n"
    )
    assert result.code == ExitStatus.WRONG_PIN
    assert "recovery code does not open" in one_sentence(result.err)
    assert run("staff", "list").out == ""
    assert audit_entries(paths)[-1]["action"] == "sign-in-failed"


def test_something_that_is_not_a_recovery_code_is_refused_at_once(
    run: Run, paths: Paths, keyring: tuple[KeyRing, str]
) -> None:
    """A code of the wrong shape is refused before the new PIN is asked for."""
    result = run("staff", "add", "Alice", stdin="123456\n")
    assert result.code == ExitStatus.WRONG_PIN
    assert "not a recovery code" in one_sentence(result.err)


def test_a_second_account_needs_a_staff_name_and_pin(
    run: Run, paths: Paths, with_alice: None
) -> None:
    """Alice signs in, then Bob's PIN twice; the audit log says Alice added Bob."""
    result = run("staff", "add", "Bob", stdin=f"Alice\n{ALICE_PIN}\n{BOB_PIN}\n{BOB_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    assert "Added Bob" in result.out
    assert run("staff", "list").out.count("\n") == 2
    actions = [(e["actor"], e["action"]) for e in audit_entries(paths)]
    assert actions[-2:] == [("Alice", "sign-in"), ("Alice", "staff-add")]


def test_wrong_pin_is_exit_3_and_audited_with_the_name(
    run: Run, paths: Paths, with_alice: None
) -> None:
    result = run("staff", "add", "Bob", stdin=f"Alice\n000111\n{BOB_PIN}\n{BOB_PIN}\n")
    assert result.code == ExitStatus.WRONG_PIN
    assert "name and PIN do not match" in one_sentence(result.err)
    last = audit_entries(paths)[-1]
    assert (last["actor"], last["action"]) == ("Alice", "sign-in-failed")
    assert last["details"]["failures"] == 1  # type: ignore[index]
    assert "000111" not in paths.audit_file.read_text()
    assert "Bob" not in run("staff", "list").out


def test_an_unknown_name_reads_like_a_wrong_pin(
    run: Run, with_alice: None, clock: FakeClock
) -> None:
    """Same exit status, same words: the terminal does not tell which names exist."""
    wrong = run("enquiries", "list", stdin="Alice\n000111\n")
    clock.advance(DELAYS[0])
    unknown = run("enquiries", "list", stdin=f"Zed\n{ALICE_PIN}\n")
    assert wrong.code == unknown.code == ExitStatus.WRONG_PIN
    assert one_sentence(wrong.err).split(".")[0] == one_sentence(unknown.err).split(".")[0]


def test_a_pin_or_recovery_code_typed_as_the_name_is_never_written_down(
    run: Run,
    paths: Paths,
    with_alice: None,
    code: str,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A PIN, or the recovery code, typed at "Staff name:" (one line too early) is
    logged as "(unknown name)": wrong, too soon and locked alike, never the secret."""
    caplog.set_level(logging.DEBUG)
    assert run("enquiries", "list", stdin="135791\n135791\n").code == ExitStatus.WRONG_PIN
    assert run("enquiries", "list", stdin=f"{ALICE_PIN}\n{ALICE_PIN}\n").code == ExitStatus.LOCKED
    clock.advance(max(DELAYS))
    assert run("enquiries", "list", stdin=f"{code}\n{ALICE_PIN}\n").code == ExitStatus.WRONG_PIN
    for _ in range(MAX_FAILURES):
        clock.advance(max(DELAYS))
        run("enquiries", "list", stdin="Alice\n000111\n")
    locked = run("enquiries", "list", stdin="135791\n135791\n")
    assert locked.code == ExitStatus.LOCKED
    refusals = [e for e in audit_entries(paths) if e["action"] != "staff-add"]
    assert {e["action"] for e in refusals} == {"sign-in-failed", "sign-in-locked"}
    assert [e["actor"] for e in refusals[:3]] == [UNKNOWN_NAME] * 3
    assert refusals[-1]["actor"] == UNKNOWN_NAME
    assert {e["actor"] for e in refusals[3:-1]} == {"Alice"}  # a real name is kept
    written = paths.audit_file.read_text()
    if paths.log_file.exists():
        written += paths.log_file.read_text()
    written += caplog.text
    for secret in ("135791", ALICE_PIN, code, normalise_recovery_code(code)):
        assert secret not in written


def test_a_name_in_other_capitals_is_logged_as_the_account_is(
    run: Run, paths: Paths, with_alice: None
) -> None:
    assert run("enquiries", "list", stdin="aLiCe\n000111\n").code == ExitStatus.WRONG_PIN
    assert audit_entries(paths)[-1]["actor"] == "Alice"


def test_locked_is_exit_4_and_holds_across_runs(
    run: Run, paths: Paths, with_alice: None, clock: FakeClock
) -> None:
    """Five wrong PINs (each run a new process's worth of objects): the right PIN is then
    refused with exit 4 until the five minutes are over."""
    for _ in range(MAX_FAILURES):
        assert run("enquiries", "list", stdin="Alice\n000111\n").code == ExitStatus.WRONG_PIN
        clock.advance(max(DELAYS))
    locked = run("enquiries", "list", stdin=f"Alice\n{ALICE_PIN}\n")
    assert locked.code == ExitStatus.LOCKED
    assert "locked" in one_sentence(locked.err)
    assert audit_entries(paths)[-1]["action"] == "sign-in-locked"
    clock.advance(LOCK_SECONDS)
    assert run("enquiries", "list", stdin=f"Alice\n{ALICE_PIN}\n").code == ExitStatus.OK


def test_too_soon_after_a_wrong_pin_is_exit_4(run: Run, with_alice: None) -> None:
    assert run("enquiries", "list", stdin="Alice\n000111\n").code == ExitStatus.WRONG_PIN
    again = run("enquiries", "list", stdin=f"Alice\n{ALICE_PIN}\n")
    assert again.code == ExitStatus.LOCKED
    assert "Wait 1 second" in one_sentence(again.err)


@pytest.mark.parametrize(
    ("pins", "words"),
    [
        ("123456\n123456\n", "counts up or down"),
        ("12345\n", "6 to 12 digits"),
        (f"{BOB_PIN}\n561730\n", "not the same"),
    ],
)
def test_a_new_pin_that_breaks_a_rule_is_exit_7(
    run: Run, with_alice: None, pins: str, words: str
) -> None:
    result = run("staff", "add", "Bob", stdin=f"Alice\n{ALICE_PIN}\n{pins}")
    assert result.code == ExitStatus.REFUSED
    assert words in one_sentence(result.err)
    assert "Bob" not in run("staff", "list").out


def test_names_are_checked_before_any_secret(run: Run, with_alice: None) -> None:
    """A taken or malformed name, or removing nobody: exit 7 without reading stdin."""
    taken = run("staff", "add", "alice")
    assert taken.code == ExitStatus.REFUSED and "already" in taken.err
    odd = run("staff", "add", "Bob<script>")
    assert odd.code == ExitStatus.REFUSED and "only letters" in odd.err
    nobody = run("staff", "remove", "Zed")
    assert nobody.code == ExitStatus.REFUSED and "no staff member called 'Zed'" in nobody.err


def test_standard_input_that_ends_early_is_exit_2(run: Run, with_alice: None) -> None:
    result = run("staff", "add", "Bob", stdin=f"Alice\n{ALICE_PIN}\n{BOB_PIN}\n")
    assert result.code == ExitStatus.USAGE
    assert "standard input" in one_sentence(result.err)


def test_remove_and_reset_pin(run: Run, paths: Paths, with_alice: None, code: str) -> None:
    """Remove Bob with Alice's PIN; reset Alice's PIN with the recovery code; all audited."""
    run("staff", "add", "Bob", stdin=f"Alice\n{ALICE_PIN}\n{BOB_PIN}\n{BOB_PIN}\n")
    removed = run("staff", "remove", "bob", stdin=f"Alice\n{ALICE_PIN}\n")
    assert removed.code == ExitStatus.OK and "Removed Bob" in removed.out
    reset = run("staff", "reset-pin", "Alice", "--recovery-code", stdin=f"{code}\n561730\n561730\n")
    assert reset.code == ExitStatus.OK, reset.err
    by_pin = run("staff", "reset-pin", "Alice", stdin="Alice\n561730\n402817\n402817\n")
    assert by_pin.code == ExitStatus.OK, by_pin.err
    actions = [(e["actor"], e["action"]) for e in audit_entries(paths)]
    assert ("Alice", "staff-remove") in actions
    assert ("recovery-code", "staff-reset-pin") in actions
    assert actions[-1] == ("Alice", "staff-reset-pin")
    accounts = StaffAccounts(paths.staff_file, paths.keys_file, kdf=FAST)
    assert accounts.names() == ["Alice"]
    assert accounts.sign_in("Alice", "402817").name == "Alice"


def test_no_keys_yet_is_exit_5(run: Run) -> None:
    """The kiosk never ran with this data folder: say so before asking for anything."""
    result = run("staff", "add", "Alice")
    assert result.code == ExitStatus.NO_KEYS
    assert "start the kiosk once" in one_sentence(result.err)
    assert run("enquiries", "list").code == ExitStatus.NO_KEYS


def test_a_damaged_staff_file_is_exit_8(run: Run, paths: Paths, with_alice: None) -> None:
    paths.staff_file.write_text("{broken")
    for argv in (("staff", "list"), ("staff", "add", "Bob")):
        result = run(*argv, stdin=f"Alice\n{ALICE_PIN}\n")
        assert result.code == ExitStatus.DAMAGED
        assert "damaged" in one_sentence(result.err)
    assert paths.staff_file.read_text() == "{broken"


def test_secrets_come_from_getpass_on_a_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch, with_alice: None, paths: Paths
) -> None:
    """On a terminal the PINs are read without echo (getpass); the name with its prompt
    on stderr, so ``kiosk enquiries list > file`` keeps the file clean."""
    prompts: list[str] = []
    answers = iter([ALICE_PIN, BOB_PIN, BOB_PIN])

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", Terminal("Alice\n"))
    code = staff_main(["staff", "add", "Bob"])
    assert code == ExitStatus.OK
    assert prompts == ["PIN: ", "New PIN for Bob (6 to 12 digits): ", "The same PIN again: "]
    assert "Bob" in StaffAccounts(paths.staff_file, paths.keys_file).names()


# -- enquiries from the office ----------------------------------------------------------


def test_export_writes_csv_and_marks_exported(
    run: Run, paths: Paths, with_alice: None, saved: int, store: EnquiryStore, tmp_path: Path
) -> None:
    """The file reads back with csv.reader; formula cells are inert; the enquiry is now
    exported; the audit log says who, how many and where, and nothing a patient typed."""
    out = tmp_path / "callbacks.csv"
    result = run("export", "--out", str(out), stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    assert f"Wrote 1 new enquiry to {out}" in result.out
    with open(out, encoding="utf-8-sig", newline="") as file:
        header, row = list(csv.reader(file))
    assert header[0] == "Reference" and row[0] == str(saved)
    assert row[header.index("Name")] == "Dana Whitfield"
    assert row[header.index("Message")].startswith("'=")
    assert store.count("exported") == 1
    last = audit_entries(paths)[-1]
    assert (last["actor"], last["action"]) == ("Alice", "export")
    assert last["details"] == {
        "where": "terminal",
        "count": 1,
        "path": str(out.resolve()),
        "format": "csv",
        "scope": "new",
    }
    log = paths.audit_file.read_text()
    assert "Dana" not in log and "555" not in log and "example.org" not in log


def test_export_xlsx_from_the_file_name(
    run: Run, with_alice: None, saved: int, tmp_path: Path
) -> None:
    """``--out x.xlsx`` writes XLSX (openpyxl reads it back), ``--all`` takes exported ones."""
    openpyxl = pytest.importorskip("openpyxl")
    first = tmp_path / "first.csv"
    assert run("export", "--out", str(first), stdin=f"Alice\n{ALICE_PIN}\n").code == 0
    out = tmp_path / "all.xlsx"
    result = run("export", "--out", str(out), "--all", stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    workbook = openpyxl.load_workbook(out, read_only=True)
    try:
        rows = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()  # read-only mode keeps the file open until then
    assert len(rows) == 2 and rows[1][3] == "Dana Whitfield"


@pytest.mark.parametrize("where", ["missing/callbacks.csv", "afile/callbacks.csv", "."])
def test_an_unwritable_export_path_is_exit_6_before_the_pin(
    run: Run, with_alice: None, tmp_path: Path, where: str, paths: Paths
) -> None:
    """No folder, a file where the folder should be, or a folder as the file: exit 6,
    said before a PIN is asked for (stdin is empty)."""
    (tmp_path / "afile").write_text("x")
    entries = len(audit_entries(paths))
    result = run("export", "--out", str(tmp_path / where))
    assert result.code == ExitStatus.UNWRITABLE
    assert "nothing was exported" in one_sentence(result.err)
    assert len(audit_entries(paths)) == entries


def test_an_existing_export_file_is_kept_unless_forced(
    run: Run,
    paths: Paths,
    with_alice: None,
    saved: int,
    store: EnquiryStore,
    tmp_path: Path,
) -> None:
    """The night after: the same --out is refused (exit 9, before the PIN), so the first
    call-back list, whose enquiries are marked exported, is not lost. --force replaces."""
    out = tmp_path / "callbacks.csv"
    assert run("export", "--out", str(out), stdin=f"Alice\n{ALICE_PIN}\n").code == ExitStatus.OK
    first = out.read_bytes()
    entries = len(audit_entries(paths))
    again = run("export", "--out", str(out), "--all")  # nothing on stdin: no PIN asked for
    assert again.code == ExitStatus.FILE_EXISTS
    sentence = one_sentence(again.err)
    assert "exists already" in sentence and "--force" in sentence
    assert out.read_bytes() == first
    assert len(audit_entries(paths)) == entries
    forced = run("export", "--out", str(out), "--all", "--force", stdin=f"Alice\n{ALICE_PIN}\n")
    assert forced.code == ExitStatus.OK, forced.err
    assert out.read_bytes() != first  # the status column now says Exported
    assert read_rows(out)[1][0] == str(saved)


def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_nothing_to_export_writes_no_file(
    run: Run, paths: Paths, with_alice: None, saved: int, tmp_path: Path
) -> None:
    """No new enquiries: no file (not an empty one), a sentence saying so, exit 0."""
    assert run("export", "--out", str(tmp_path / "a.csv"), stdin=f"Alice\n{ALICE_PIN}\n").code == 0
    out = tmp_path / "b.csv"
    result = run("export", "--out", str(out), stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK
    assert result.out.strip() == "There are no new enquiries to export; no file was written."
    assert not out.exists()
    assert audit_entries(paths)[-1]["action"] == "sign-in"  # no export was made


@pytest.mark.parametrize("name", ["logs/kiosk.log", "audit.head", "page-views.sqlite3"])
def test_export_never_writes_into_the_data_folder(
    run: Run, with_alice: None, saved: int, paths: Paths, name: str
) -> None:
    """The kiosk's log, the audit head, the page views: refused (exit 6) before the PIN,
    with --force too; the file is as it was."""
    target = paths.data_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_text("the kiosk's\n")
    before = target.read_bytes()
    for extra in ((), ("--force",)):
        result = run("export", "--out", str(target), *extra)
        assert result.code == ExitStatus.UNWRITABLE
        assert "data folder" in one_sentence(result.err)
        assert target.read_bytes() == before


def test_export_into_the_export_folder_inside_the_data_folder(
    run: Run, with_alice: None, saved: int, paths: Paths
) -> None:
    """DATA/exports (the default export folder) is the one place in the data folder open."""
    folder = paths.export_dir("")
    folder.mkdir()
    out = folder / "calls.csv"
    result = run("export", "--out", str(out), stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    assert read_rows(out)[1][0] == str(saved)


def test_export_follows_the_published_revision_the_kiosk_runs(
    run: Run, with_alice: None, saved: int, paths: Paths
) -> None:
    """A published revision's settings (here, its export folder) and content (the topic's
    title) are what export uses, not the tablet's own kiosk.toml; which stays one of
    the kiosk's own files, never written over."""
    number = 3
    where = published.folder(paths.data_dir, number)
    shutil.copytree(shipped_content_dir(), where / published.CONTENT_DIR)
    topic = where / published.CONTENT_DIR / "ketamine-and-depression" / "topic.toml"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace('title = "Ketamine and depression"', 'title = "Published"', 1))
    folder = paths.data_dir / "published-exports"  # absolute, as a published one must be
    (where / "kiosk.toml").write_text(f'[staff]\nexport_folder = "{folder}"\n')
    paths.config_file.write_text('[staff]\nexport_folder = "own-exports"\n')
    folder.mkdir()
    out = folder / "calls.csv"
    # Not yet running it: the tablet's own settings, under which that folder is closed.
    result = run("export", "--out", str(out))
    assert result.code == ExitStatus.UNWRITABLE and "data folder" in one_sentence(result.err)

    published.write(paths.data_dir, published.State(current=number))
    result = run("export", "--out", str(out), stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    header, row = read_rows(out)
    assert row[0] == str(saved) and row[header.index("Topic")] == "Published"
    before = paths.config_file.read_bytes()
    result = run("export", "--all", "--force", "--out", str(paths.config_file))
    assert result.code == ExitStatus.UNWRITABLE and "own files" in one_sentence(result.err)
    assert paths.config_file.read_bytes() == before


def test_export_never_overwrites_the_kiosks_own_files(
    run: Run, with_alice: None, paths: Paths
) -> None:
    before = paths.keys_file.read_bytes()
    result = run("export", "--out", str(paths.keys_file))
    assert result.code == ExitStatus.UNWRITABLE
    assert "kiosk's own files" in one_sentence(result.err)
    assert paths.keys_file.read_bytes() == before


def test_enquiries_list_one_per_line_newest_first(
    run: Run, paths: Paths, with_alice: None, store: EnquiryStore, saved: int
) -> None:
    """Id, received, topic, status, name, phone / email; a name with an escape sequence
    cannot repaint the staff's terminal; viewing is audited with the count only."""
    second = dict(PATIENT, name="Eve\x1b[2J\x07", email="", phone="(555) 010-0199")
    newer = store.save("form-2", "", second).id
    result = run("enquiries", "list", stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    first_line, second_line = result.out.splitlines()
    fields = first_line.split("\t")
    assert fields[0] == str(newer) and fields[2] == "General question" and fields[3] == "New"
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert fields[4].startswith("Eve") and fields[5] == "(555) 010-0199"
    assert second_line.split("\t")[4:] == ["Dana Whitfield", "(555) 010-0142 / dana@example.org"]
    last = audit_entries(paths)[-1]
    assert (last["actor"], last["action"]) == ("Alice", "view")
    assert last["details"]["count"] == 2  # type: ignore[index]


FORMULAS = dict(
    PATIENT, name='=HYPERLINK("http://x","y")', phone="+18015550100", email="a@example.org"
)


def test_enquiries_list_to_a_file_is_inert_for_spreadsheets(
    run: Run, with_alice: None, store: EnquiryStore
) -> None:
    """stdout not a terminal (``> list.tsv``): the name and phone cells begin with ',
    as in an export; control characters are spaces."""
    store.save("form-f", "", dict(FORMULAS, name="\t=1+2\x1b[2J"))
    result = run("enquiries", "list", stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    (line,) = result.out.splitlines()
    fields = line.split("\t")
    assert len(fields) == 6
    assert fields[4] == "' '=1+2 [2J"  # the = after the tab gets one too (issue 18)
    assert fields[5] == "'+18015550100 / a@example.org"
    assert "\x1b" not in result.out


def test_enquiries_list_on_a_terminal_shows_the_text_as_typed(
    run: Run, with_alice: None, store: EnquiryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("form-f", "", FORMULAS)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    result = run("enquiries", "list", stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    fields = result.out.splitlines()[0].split("\t")
    assert fields[4:] == ['=HYPERLINK("http://x","y")', "+18015550100 / a@example.org"]


def test_purge_applies_the_retention_period(
    run: Run,
    paths: Paths,
    with_alice: None,
    keyring: tuple[KeyRing, str],
    store: EnquiryStore,
) -> None:
    """Exported and older than [staff] retention_days: deleted; new ones stay however old."""
    paths.config_file.write_text("[staff]\nretention_days = 30\n")
    long_ago = datetime.now(UTC) - timedelta(days=45)
    old = EnquiryStore(paths.store_file, keyring[0].sealer(), clock=lambda: long_ago)
    exported = old.save("old-exported", "", PATIENT).id
    old.save("old-new", "", PATIENT)
    old.set_status([exported], "exported")
    old.close()
    store.save("recent", "", PATIENT)
    result = run("purge", stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    assert "Deleted 1 enquiry" in result.out and "30 days" in result.out
    assert store.count() == 2 and store.count("exported") == 0
    last = audit_entries(paths)[-1]
    assert last["action"] == "purge"
    assert last["details"] == {
        "where": "terminal",
        "count": 1,
        "older_than_days": 30,
        "files": 0,
    }


def test_purge_deletes_old_export_files_from_the_export_folder_only(
    run: Run, paths: Paths, with_alice: None, tmp_path: Path
) -> None:
    """The kiosk's own export names older than retention_days go from DATA/exports;
    recent ones, other names, and exports elsewhere stay. The count is said and logged."""
    paths.config_file.write_text("[staff]\nretention_days = 30\n")
    folder = paths.export_dir("")
    folder.mkdir()
    elsewhere = tmp_path / "office"
    elsewhere.mkdir()
    old = datetime.now(UTC).timestamp() - 31 * 86400
    names = {
        folder / "enquiries-2026-01-05-0930.csv": old,
        folder / "enquiries-2026-01-05-0930-2.xlsx": old,
        folder / "enquiries-2026-03-01-1200.csv": None,  # recent
        folder / "calls-2026-01-05.csv": old,  # staff's own --out name
        elsewhere / "enquiries-2026-01-05-0930.csv": old,
    }
    for path, mtime in names.items():
        path.write_text("x")
        if mtime is not None:
            os.utime(path, (mtime, mtime))
    result = run("purge", stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.OK, result.err
    assert f"Deleted 2 export files older than 30 days from {folder}." in result.out
    left = {p for p in names if p.exists()}
    assert left == {
        folder / "enquiries-2026-03-01-1200.csv",
        folder / "calls-2026-01-05.csv",
        elsewhere / "enquiries-2026-01-05-0930.csv",
    }
    assert audit_entries(paths)[-1]["details"]["files"] == 2  # type: ignore[index]


def test_an_unwritable_audit_log_stops_the_command(
    run: Run, paths: Paths, with_alice: None, saved: int, tmp_path: Path, store: EnquiryStore
) -> None:
    """If the sign-in cannot be recorded, nothing is done: no file, nothing marked."""
    paths.audit_file.unlink()
    paths.audit_file.mkdir()
    out = tmp_path / "callbacks.csv"
    result = run("export", "--out", str(out), stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.FAILED
    assert "audit log" in one_sentence(result.err)
    assert not out.exists()
    assert store.count("new") == 1


# -- audit verify ----------------------------------------------------------------------


def test_audit_verify_intact_and_broken(run: Run, paths: Paths, with_alice: None) -> None:
    """Intact: exit 0, the count on stdout. An edited entry: exit 1 and the line."""
    run("enquiries", "list", stdin=f"Alice\n{ALICE_PIN}\n")
    good = run("audit", "verify")
    assert good.code == ExitStatus.OK and "intact: 3 entries" in good.out
    lines = paths.audit_file.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"Alice"', '"Mallory"')
    paths.audit_file.write_text("".join(lines))
    bad = run("audit", "verify")
    assert bad.code == ExitStatus.FAILED
    assert "breaks at line 2" in one_sentence(bad.err)
    assert not verify(paths.audit_file).ok


def test_audit_verify_a_deleted_log_with_accounts_is_broken(
    run: Run, paths: Paths, with_alice: None
) -> None:
    """audit.log and audit.head both deleted while staff accounts exist: exit 1, not
    "no audit log yet"."""
    paths.audit_file.unlink()
    paths.audit_file.with_suffix(".head").unlink()
    result = run("audit", "verify")
    assert result.code == ExitStatus.FAILED
    assert "missing, although there are staff accounts" in one_sentence(result.err)


def test_staff_core_imports_no_qt() -> None:
    """The staff accounts, audit log and commands run on a machine without a screen."""
    code = (
        "import sys, kiosk.staff.accounts, kiosk.staff.audit, kiosk.staff.cli,"
        " kiosk.staff.commands, kiosk.cli;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'kiosk.ui'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_another_user_than_the_data_folders_owner_is_refused(
    run: Run, with_alice: None, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as root over the kiosk user's folder, new files would lock the kiosk out: exit 2,
    nothing written. Reading (staff list) is still fine."""
    before = paths.audit_file.read_bytes()
    monkeypatch.setattr("os.geteuid", lambda: paths.data_dir.stat().st_uid + 1)
    result = run("enquiries", "list", stdin=f"Alice\n{ALICE_PIN}\n")
    assert result.code == ExitStatus.USAGE
    assert "sudo -u kiosk" in one_sentence(result.err)
    assert paths.audit_file.read_bytes() == before
    assert run("staff", "list").code == ExitStatus.OK
