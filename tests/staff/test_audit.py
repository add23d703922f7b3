"""The audit log (kiosk.staff.audit): a real file, tampered with the way a person would."""

from __future__ import annotations

import itertools
import json
import stat
from pathlib import Path

import pytest

from kiosk.staff.audit import (
    ACTIONS,
    GENESIS,
    AuditError,
    AuditLog,
    entry_hash,
    head_path,
    verify,
)

from .conftest import FakeClock


@pytest.fixture
def log_file(data_tmpdir: Path) -> Path:
    data_tmpdir.mkdir(parents=True, exist_ok=True)
    return data_tmpdir / "audit.log"


@pytest.fixture
def five(log_file: Path, clock: FakeClock) -> AuditLog:
    """A log of five entries, a minute apart."""
    audit = AuditLog(log_file, clock=clock)
    audit.append("Alice", "sign-in")
    for action, details in (
        ("view", {"enquiry": 12}),
        ("contacted", {"enquiry": 12}),
        ("export", {"count": 3, "path": "/media/usb/enquiries.csv", "format": "csv"}),
        ("lock", {}),
    ):
        clock.advance(60)
        audit.append("Alice", action, **details)
    return audit


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def write_lines(path: Path, content: list[str]) -> None:
    path.write_text("".join(content), encoding="utf-8")


# -- writing ---------------------------------------------------------------------------


def test_entries_are_chained_and_numbered(five: AuditLog, log_file: Path) -> None:
    """Each entry's prev is the hash of the one before; each hash covers the entry."""
    entries = [json.loads(line) for line in lines(log_file)]
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["prev"] == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after["prev"] == before["hash"]
    for e in entries:
        body = {k: e[k] for k in ("seq", "time", "actor", "action", "details", "prev")}
        assert entry_hash(**body) == e["hash"]
    assert entries[3]["details"] == {
        "count": 3,
        "path": "/media/usb/enquiries.csv",
        "format": "csv",
    }
    assert entries[1]["time"] == "2027-01-15T08:01:00+00:00"


def test_the_files_are_private_and_the_head_names_the_last_entry(
    five: AuditLog, log_file: Path
) -> None:
    """Log and head are 0600; the head holds the newest entry's number and hash."""
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(head_path(log_file).stat().st_mode) == 0o600
    head = json.loads(head_path(log_file).read_text())
    last = json.loads(lines(log_file)[-1])
    assert head == {"seq": 5, "hash": last["hash"]}
    assert head_path(log_file).name == "audit.head"


def test_latest_is_newest_first(five: AuditLog) -> None:
    assert [e.action for e in five.latest(3)] == ["lock", "export", "contacted"]
    assert [e.seq for e in five.latest()] == [5, 4, 3, 2, 1]
    assert five.latest(0) == []


def test_latest_of_no_log_is_empty(log_file: Path) -> None:
    assert AuditLog(log_file).latest() == []


def test_latest_reads_only_the_tail_of_a_long_log(log_file: Path, clock: FakeClock) -> None:
    """Entries longer than the read chunk in total: the newest come back whole and in order."""
    audit = AuditLog(log_file, clock=clock)
    for n in range(150):
        audit.append("Bob", "export", count=n, path="/media/usb/" + "x" * 900)
    assert log_file.stat().st_size > 2 * 64 * 1024
    assert [e.seq for e in audit.latest(100)] == list(range(150, 50, -1))
    assert [e.seq for e in audit.latest(200)] == list(range(150, 0, -1))
    assert verify(log_file).ok


def test_a_new_log_object_carries_the_chain_on(five: AuditLog, log_file: Path) -> None:
    """After a restart the next entry follows the last one on disk."""
    entry = AuditLog(log_file).append("Bob", "sign-in")
    assert entry.seq == 6
    assert entry.prev == json.loads(lines(log_file)[-2])["hash"]
    assert verify(log_file).ok


def test_details_are_checked_and_cleaned(log_file: Path) -> None:
    """Unknown actions and odd details are the caller's mistake; control characters never
    reach the file (a name with a newline cannot forge a line)."""
    audit = AuditLog(log_file)
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.append("Alice", "delete-everything")
    with pytest.raises(ValueError, match="text or a whole number"):
        audit.append("Alice", "view", enquiry=True)
    with pytest.raises(ValueError, match="text or a whole number"):
        audit.append("Alice", "view", enquiry=1.5)  # type: ignore[arg-type]
    entry = audit.append('Ali\nce{"seq":9}', "view", path="/tmp/\x1b[2Jx")
    assert "\n" not in entry.actor and "\x1b" not in str(entry.details["path"])
    assert len(lines(log_file)) == 1
    assert verify(log_file).ok


def test_every_action_of_the_design_is_accepted(log_file: Path) -> None:
    """The fourteen action names the panel and the command line use."""
    audit = AuditLog(log_file)
    for action in ACTIONS:
        audit.append("Alice", action)
    assert len(ACTIONS) == 14
    assert verify(log_file).entries == 14


def test_an_unwritable_log_is_a_clear_error(tmp_path: Path) -> None:
    """A folder that is not there (or a file in its place) gives AuditError with the path."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(AuditError, match="could not be written"):
        AuditLog(blocker / "audit.log").append("Alice", "sign-in")


def test_a_line_cut_short_by_a_crash_is_reported_then_cut_off(
    five: AuditLog, log_file: Path
) -> None:
    """A crash mid-write leaves half a line: verify says so; the next append cuts it off
    and the chain goes on whole."""
    with open(log_file, "a", encoding="utf-8") as file:
        file.write('{"seq":6,"time":"2027')
    check = verify(log_file)
    assert not check.ok and check.line == 6 and "unfinished" in check.message
    entry = five.append("Alice", "sign-in")
    assert entry.seq == 6
    assert verify(log_file).ok


def test_a_head_one_entry_behind_is_a_stop_not_tampering(five: AuditLog, log_file: Path) -> None:
    """The kiosk stopped between the log line and the head file: intact, with a note."""
    fourth = json.loads(lines(log_file)[3])
    head_path(log_file).write_text(json.dumps({"seq": 4, "hash": fourth["hash"]}))
    check = verify(log_file)
    assert check.ok and check.entries == 5
    assert "one entry behind" in check.message
    five.append("Alice", "sign-in")
    assert "behind" not in verify(log_file).message


# -- verify ----------------------------------------------------------------------------


def test_an_intact_log_verifies(five: AuditLog, log_file: Path) -> None:
    check = verify(log_file)
    assert (check.ok, check.entries, check.line) == (True, 5, None)
    assert "intact: 5 entries" in check.message
    assert json.loads(lines(log_file)[-1])["hash"] in check.message


def test_no_log_yet_is_fine(log_file: Path) -> None:
    check = verify(log_file)
    assert check.ok and check.entries == 0 and "no audit log yet" in check.message


def test_an_edited_entry_is_found(five: AuditLog, log_file: Path) -> None:
    """Someone changes who exported (hash left as it was): found at that line."""
    content = lines(log_file)
    content[3] = content[3].replace('"actor":"Alice"', '"actor":"Bob"')
    write_lines(log_file, content)
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 4)
    assert "line 4" in check.message and "changed" in check.message


def test_an_edited_entry_with_its_hash_redone_is_found_at_the_next(
    five: AuditLog, log_file: Path
) -> None:
    """Recomputing the edited entry's own hash moves the break to the entry after it."""
    content = lines(log_file)
    entry = json.loads(content[2])
    entry["details"]["enquiry"] = 99
    body = {k: entry[k] for k in ("seq", "time", "actor", "action", "details", "prev")}
    entry["hash"] = entry_hash(**body)
    content[2] = json.dumps(entry, separators=(",", ":")) + "\n"
    write_lines(log_file, content)
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 4)
    assert "does not follow" in check.message


def test_a_deleted_entry_in_the_middle_is_found(five: AuditLog, log_file: Path) -> None:
    content = lines(log_file)
    del content[2]
    write_lines(log_file, content)
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 3)
    assert "entry 3 is missing" in check.message


def test_the_deleted_last_entry_is_found(five: AuditLog, log_file: Path) -> None:
    """The chain that is left is whole; the head file tells that its end is gone."""
    write_lines(log_file, lines(log_file)[:-1])
    check = verify(log_file)
    assert (check.ok, check.entries, check.line) == (False, 4, 5)
    assert "last entry was deleted" in check.message


def test_the_last_two_deleted_are_found(five: AuditLog, log_file: Path) -> None:
    write_lines(log_file, lines(log_file)[:-2])
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 4)
    assert "last 2 entries were deleted" in check.message


def test_the_last_entry_deleted_with_the_head_is_found(five: AuditLog, log_file: Path) -> None:
    """Deleting the head file too does not make a shortened log pass."""
    write_lines(log_file, lines(log_file)[:-1])
    head_path(log_file).unlink()
    check = verify(log_file)
    assert not check.ok and "head file" in check.message and "missing" in check.message


def test_a_replaced_last_entry_is_found(five: AuditLog, log_file: Path) -> None:
    """The last entry rewritten with a correct hash and link: the head file disagrees."""
    content = lines(log_file)
    entry = json.loads(content[-1])
    entry["actor"] = "Bob"
    body = {k: entry[k] for k in ("seq", "time", "actor", "action", "details", "prev")}
    entry["hash"] = entry_hash(**body)
    content[-1] = json.dumps(entry, separators=(",", ":")) + "\n"
    write_lines(log_file, content)
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 5)
    assert "not the one its head file recorded" in check.message


def test_a_reordered_entry_is_found(five: AuditLog, log_file: Path) -> None:
    content = lines(log_file)
    content[1], content[2] = content[2], content[1]
    write_lines(log_file, content)
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 2)
    assert "entry 2 is missing" in check.message or "out of order" in check.message


def test_a_copied_entry_is_found(five: AuditLog, log_file: Path) -> None:
    content = lines(log_file)
    content.insert(3, content[1])
    write_lines(log_file, content)
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 4)
    assert "out of order" in check.message


def test_a_line_that_is_not_an_entry_is_found(five: AuditLog, log_file: Path) -> None:
    content = lines(log_file)
    content[1] = "hello\n"
    write_lines(log_file, content)
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 2)
    assert "not an audit entry" in check.message


def test_a_deleted_log_is_found(five: AuditLog, log_file: Path) -> None:
    """The whole log deleted, the head kept: not "no log yet"."""
    log_file.unlink()
    check = verify(log_file)
    assert not check.ok and "deleted" in check.message


def test_a_log_deleted_with_its_head_is_found_when_there_are_accounts(
    five: AuditLog, log_file: Path
) -> None:
    """Both files gone while staff accounts exist: adding one was logged, so this is a
    deletion, not "no log yet"; without accounts it is still a fresh kiosk."""
    log_file.unlink()
    head_path(log_file).unlink()
    check = verify(log_file, accounts_exist=True)
    assert (check.ok, check.entries, check.line) == (False, 0, 1)
    assert "missing, although there are staff accounts" in check.message
    assert verify(log_file).ok


def test_a_log_emptied_with_its_head_deleted_is_found_when_there_are_accounts(
    five: AuditLog, log_file: Path
) -> None:
    log_file.write_bytes(b"")
    head_path(log_file).unlink()
    check = verify(log_file, accounts_exist=True)
    assert not check.ok and "empty, although there are staff accounts" in check.message
    assert verify(log_file).ok


def test_an_intact_log_is_intact_with_accounts_too(five: AuditLog, log_file: Path) -> None:
    assert verify(log_file, accounts_exist=True).ok


def test_a_damaged_head_file_is_said(five: AuditLog, log_file: Path) -> None:
    head_path(log_file).write_text("{oops")
    check = verify(log_file)
    assert not check.ok and "head file" in check.message and "damaged" in check.message


def test_appending_after_damage_keeps_writing(five: AuditLog, log_file: Path) -> None:
    """A damaged last line does not stop the log: the next entry follows the head file's
    record, and verify still names the damaged line."""
    content = lines(log_file)
    content[-1] = "garbage\n"
    write_lines(log_file, content)
    entry = five.append("Alice", "sign-in")
    assert entry.seq == 6
    check = verify(log_file)
    assert (check.ok, check.line) == (False, 5)
