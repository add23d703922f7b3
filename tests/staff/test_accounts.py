"""Staff accounts (kiosk.staff.accounts): real keys and staff files, fast argon2id, a fake clock."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest

from kiosk.enquiries.keys import KeyRing, KeysError
from kiosk.enquiries.store import EnquiryStore, open_personal
from kiosk.paths import Paths
from kiosk.staff.accounts import (
    DELAYS,
    LOCK_SECONDS,
    MAX_FAILURES,
    MAX_LOCK_SECONDS,
    WRONG_PIN,
    KeysProblem,
    Locked,
    NeedsRecoveryCode,
    NeedsStaffPin,
    NoKeys,
    NoSuchStaff,
    Refused,
    Session,
    StaffAccounts,
    StaffFileError,
    TooSoon,
    UnknownStaff,
    WrongPin,
    WrongRecoveryCode,
    name_problem,
    pin_problem,
)

from .conftest import ALICE_PIN, BOB_PIN, FAST, FakeClock, reopen

# -- the rules ----------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["482916", "730155294", "948271635012", "102938"])
def test_good_pins_pass(pin: str) -> None:
    """6 to 12 digits that are not a pattern are accepted."""
    assert pin_problem(pin) is None


@pytest.mark.parametrize(
    ("pin", "words"),
    [
        ("12345", "6 to 12 digits"),
        ("4829164829164", "6 to 12 digits"),
        ("", "6 to 12 digits"),
        ("48291a", "digits (0-9)"),
        ("482 916", "digits (0-9)"),
        ("٤٨٢٩١٦", "digits (0-9)"),  # Arabic-Indic digits: str.isdigit() would say yes
        ("000000", "one digit repeated"),
        ("123456", "counts up or down"),
        ("987654", "counts up or down"),
        ("890123", "counts up or down"),
    ],
)
def test_bad_pins_are_refused_with_a_reason(pin: str, words: str) -> None:
    """Too short, too long, not digits, or a pattern: one sentence saying which."""
    problem = pin_problem(pin)
    assert problem is not None and words in problem


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (" Alice", "begin or end"),
        ("A" * 41, "at most 40"),
        ("Alice\nBob", "only letters"),
        ("Al<i>ce", "only letters"),
    ],
)
def test_bad_names_are_refused(name: str, words: str) -> None:
    """A name shows in the audit log and on the kiosk: plain, one line, not too long."""
    problem = name_problem(name)
    assert problem is not None and words in problem


@pytest.mark.parametrize("name", ["Alice", "José Núñez", "Mary-Jo O'Neil", "Dr. K_2"])
def test_ordinary_names_pass(name: str) -> None:
    """Letters from any language, spaces and common punctuation are fine."""
    assert name_problem(name) is None


# -- the first account ------------------------------------------------------------------


def test_the_first_account_needs_the_recovery_code(accounts: StaffAccounts) -> None:
    """With no staff, nothing but the recovery code makes an account."""
    with pytest.raises(NeedsRecoveryCode):
        accounts.add("Alice", ALICE_PIN)
    assert accounts.names() == []


def test_a_wrong_recovery_code_makes_no_account(accounts: StaffAccounts, paths: Paths) -> None:
    """A code that does not open the keys is refused; no slot, no account."""
    with pytest.raises(WrongRecoveryCode):
        accounts.add("Alice", ALICE_PIN, recovery_code="0000-0000-0000-0000-0000-0000")
    assert accounts.names() == []
    assert KeyRing.load(paths.keys_file).slot_labels() == ["recovery"]


def test_the_first_account_with_the_recovery_code(
    accounts: StaffAccounts, code: str, paths: Paths, keyring: tuple[KeyRing, str]
) -> None:
    """The account is listed, has a key slot, and its PIN signs in and opens the key."""
    member = accounts.add("Alice", ALICE_PIN, recovery_code=code)
    assert member.name == "Alice"
    assert [m.name for m in accounts.members()] == ["Alice"]
    assert "staff:Alice" in KeyRing.load(paths.keys_file).slot_labels()
    session = accounts.sign_in("Alice", ALICE_PIN)
    assert isinstance(session, Session)
    assert session.name == "Alice"
    assert session.opener.key_id == keyring[0].key_id


def test_the_staff_file_is_private_and_holds_no_pin(
    accounts: StaffAccounts, code: str, paths: Paths
) -> None:
    """0600, an argon2id hash with its parameters and salt, and never the PIN itself."""
    accounts.add("Alice", ALICE_PIN, recovery_code=code)
    raw = paths.staff_file.read_text(encoding="utf-8")
    assert stat.S_IMODE(paths.staff_file.stat().st_mode) == 0o600
    (entry,) = json.loads(raw)["staff"]
    assert entry["pin_hash"].startswith("$argon2id$v=19$m=")
    assert ALICE_PIN not in raw
    assert ALICE_PIN not in paths.keys_file.read_text(encoding="utf-8")


def test_enquiry_saved_before_any_staff_is_readable_after_the_first_account(
    keyring: tuple[KeyRing, str], store: EnquiryStore, accounts: StaffAccounts
) -> None:
    """Acceptance: an enquiry saved before a staff account existed is readable after the
    first account is added with the recovery code."""
    _ring, code = keyring
    personal = {
        "name": "Dana Whitfield",
        "phone": "(555) 010-0142",
        "email": "",
        "method": "call",
        "best_time": "morning",
        "message": "Is ketamine an option for me?",
    }
    saved = store.save("form-before-staff", "ketamine", personal)
    assert accounts.names() == []

    accounts.add("Alice", ALICE_PIN, recovery_code=code)
    restarted = reopen(accounts, FakeClock())
    session = restarted.sign_in("Alice", ALICE_PIN)

    (stored,) = store.enquiries()
    assert stored.id == saved.id
    assert open_personal(session.opener, stored) == personal


# -- later accounts ------------------------------------------------------------------


def test_later_accounts_need_a_signed_in_member(
    accounts: StaffAccounts, alice: Session, code: str
) -> None:
    """Once there is staff, neither nothing nor the recovery code adds an account."""
    with pytest.raises(NeedsStaffPin):
        accounts.add("Bob", BOB_PIN)
    with pytest.raises(NeedsStaffPin):
        accounts.add("Bob", BOB_PIN, recovery_code=code)
    accounts.add("Bob", BOB_PIN, by=alice)
    assert accounts.names() == ["Alice", "Bob"]
    assert accounts.sign_in("Bob", BOB_PIN).opener.key_id == alice.opener.key_id


def test_a_made_up_session_is_refused(
    accounts: StaffAccounts, alice: Session, tmp_path: Path
) -> None:
    """A Session naming nobody, or holding another key, adds nothing."""
    with pytest.raises(NeedsStaffPin):
        accounts.add("Bob", BOB_PIN, by=Session(name="Mallory", opener=alice.opener))
    other_ring, other_code = KeyRing.create(
        tmp_path / "other-keys.json", tmp_path / "other-code.txt", kdf=FAST
    )
    foreign = Session(name="Alice", opener=other_ring.unlock(other_code))
    with pytest.raises(KeysProblem):
        accounts.add("Bob", BOB_PIN, by=foreign)
    assert accounts.names() == ["Alice"]


def test_a_name_is_taken_whatever_its_case(accounts: StaffAccounts, alice: Session) -> None:
    """'alice' and 'Alice' would be one person in the audit log: refused."""
    with pytest.raises(Refused, match="already"):
        accounts.add("alice", BOB_PIN, by=alice)


def test_bad_pin_or_name_is_refused_before_anything_is_written(
    accounts: StaffAccounts, alice: Session, paths: Paths
) -> None:
    """Refused with the rule's sentence; the files are as they were."""
    before = (paths.staff_file.read_bytes(), paths.keys_file.read_bytes())
    with pytest.raises(Refused, match="counts up"):
        accounts.add("Bob", "123456", by=alice)
    with pytest.raises(Refused, match="only letters"):
        accounts.add("Bo\tb", BOB_PIN, by=alice)
    assert (paths.staff_file.read_bytes(), paths.keys_file.read_bytes()) == before


def test_sign_in_takes_the_name_in_any_case(accounts: StaffAccounts, alice: Session) -> None:
    """Typing 'alice' signs in Alice, and the session carries the name as stored."""
    assert accounts.sign_in("alice", ALICE_PIN).name == "Alice"


def test_an_account_added_elsewhere_is_seen_without_a_restart(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """The kiosk's StaffAccounts sees an account added from the terminal (another object)."""
    reopen(accounts, clock).add("Bob", BOB_PIN, by=alice)
    assert accounts.names() == ["Alice", "Bob"]


# -- removing and new PINs --------------------------------------------------------------


def test_remove_takes_away_the_slot_and_the_account(
    accounts: StaffAccounts, alice: Session, paths: Paths
) -> None:
    """After removal the old PIN opens nothing: not the account, not the keys file."""
    accounts.add("Bob", BOB_PIN, by=alice)
    accounts.remove("Bob", by=alice)
    assert accounts.names() == ["Alice"]
    ring = KeyRing.load(paths.keys_file)
    assert "staff:Bob" not in ring.slot_labels()
    with pytest.raises(KeysError):
        ring.unlock(BOB_PIN)
    with pytest.raises(UnknownStaff):
        accounts.sign_in("Bob", BOB_PIN)


def test_remove_names_someone_who_is_there(accounts: StaffAccounts, alice: Session) -> None:
    with pytest.raises(NoSuchStaff, match="no staff member called 'Zed'"):
        accounts.remove("Zed", by=alice)


def test_removing_the_last_account_brings_back_the_recovery_code_rule(
    accounts: StaffAccounts, alice: Session, code: str
) -> None:
    """With nobody left, the next account needs the recovery code again."""
    accounts.remove("Alice", by=alice)
    assert accounts.names() == []
    with pytest.raises(NeedsRecoveryCode):
        accounts.add("Bob", BOB_PIN, by=alice)
    accounts.add("Bob", BOB_PIN, recovery_code=code)
    assert accounts.names() == ["Bob"]


def test_reset_pin_by_a_member(
    accounts: StaffAccounts, alice: Session, clock: FakeClock, paths: Paths
) -> None:
    """The new PIN signs in and opens the key; the old one does neither."""
    accounts.add("Bob", BOB_PIN, by=alice)
    accounts.reset_pin("Bob", "561730", by=alice)
    with pytest.raises(WrongPin):
        accounts.sign_in("Bob", BOB_PIN)
    with pytest.raises(KeysError):
        KeyRing.load(paths.keys_file).unlock_slot("staff:Bob", BOB_PIN)
    clock.advance(DELAYS[0])
    assert accounts.sign_in("Bob", "561730").opener.key_id == alice.opener.key_id


WRONG_CODE = "0000-0000-0000-0000-0000-0000"


def test_a_wrong_recovery_code_is_counted_and_waits_its_turn(
    accounts: StaffAccounts, code: str, clock: FakeClock
) -> None:
    """With no staff yet, the code is what a guesser tries: each wrong one is
    counted in the device-wide count, the next waits as after a wrong PIN, the
    fifth locks, and even the right code waits for the lock to end."""
    with pytest.raises(WrongRecoveryCode) as first:
        accounts.add("Alice", ALICE_PIN, recovery_code=WRONG_CODE)
    assert (first.value.failures, first.value.wait_seconds) == (1, DELAYS[0])
    with pytest.raises(TooSoon):
        accounts.add("Alice", ALICE_PIN, recovery_code=code)
    for _ in range(MAX_FAILURES - 1):
        clock.advance(max(DELAYS))
        with pytest.raises(WrongRecoveryCode) as last:
            accounts.add("Alice", ALICE_PIN, recovery_code=WRONG_CODE)
    assert (last.value.failures, last.value.wait_seconds) == (MAX_FAILURES, LOCK_SECONDS)
    clock.advance(max(DELAYS))
    with pytest.raises(Locked):
        accounts.add("Alice", ALICE_PIN, recovery_code=code)
    assert reopen(accounts, clock).wait_seconds() > 0  # another process sees the same lock
    clock.advance(LOCK_SECONDS)
    accounts.add("Alice", ALICE_PIN, recovery_code=code)
    assert accounts.wait_seconds() == 0  # the right code clears the count


def test_reset_pin_with_the_recovery_code_also_ends_a_lock(
    accounts: StaffAccounts, alice: Session, code: str, clock: FakeClock
) -> None:
    """Every PIN forgotten and PIN entry locked: the recovery code sets a new PIN and unlocks."""
    for _ in range(MAX_FAILURES):
        with pytest.raises(WrongPin):
            accounts.sign_in("Alice", "000111")
        clock.advance(max(DELAYS))
    with pytest.raises(Locked):
        accounts.sign_in("Alice", ALICE_PIN)
    with pytest.raises(WrongRecoveryCode):
        accounts.reset_pin("Alice", "561730", recovery_code="0000-0000-0000-0000-0000-0000")
    accounts.reset_pin("Alice", "561730", recovery_code=code)
    assert accounts.wait_seconds() == 0
    assert accounts.sign_in("Alice", "561730").name == "Alice"


def test_reset_pin_needs_someone(accounts: StaffAccounts, alice: Session) -> None:
    """Neither a session nor the code: refused, the PIN is unchanged."""
    with pytest.raises(NeedsStaffPin):
        accounts.reset_pin("Alice", "561730")
    with pytest.raises(Refused):
        accounts.reset_pin("Alice", "111111", by=alice)
    with pytest.raises(NoSuchStaff):
        accounts.reset_pin("Zed", "561730", by=alice)
    assert accounts.sign_in("Alice", ALICE_PIN).name == "Alice"


# -- wrong PINs: the delay and the lock -------------------------------------------------


def test_a_wrong_pin_and_an_unknown_name_read_the_same(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """Same words, same class family: a guesser learns no names (both count as failures)."""
    with pytest.raises(WrongPin) as wrong:
        accounts.sign_in("Alice", "000111")
    clock.advance(DELAYS[0])
    with pytest.raises(UnknownStaff) as unknown:
        accounts.sign_in("Zed", "000111")
    assert isinstance(unknown.value, WrongPin)
    assert wrong.value.message.startswith(WRONG_PIN)
    assert unknown.value.message.split(".")[0] == wrong.value.message.split(".")[0]
    assert (wrong.value.failures, unknown.value.failures) == (1, 2)


def test_the_delay_grows_and_the_fifth_failure_locks(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """1, 2, 4, 8 seconds between tries; a try inside the wait is not checked
    (and not counted); the fifth failure locks for five minutes, even the right PIN."""
    for n, delay in enumerate(DELAYS, start=1):
        with pytest.raises(WrongPin) as failed:
            accounts.sign_in("Alice", "000111")
        assert (failed.value.failures, failed.value.wait_seconds) == (n, delay)
        assert accounts.wait_seconds() == delay
        clock.advance(delay / 2)
        with pytest.raises(TooSoon) as early:
            accounts.sign_in("Alice", ALICE_PIN)  # even the right PIN waits
        assert early.value.seconds_left == pytest.approx(delay / 2)
        clock.advance(delay / 2)
        assert accounts.wait_seconds() == 0
    with pytest.raises(WrongPin) as fifth:
        accounts.sign_in("Alice", "000111")
    assert fifth.value.failures == MAX_FAILURES
    assert fifth.value.wait_seconds == LOCK_SECONDS
    assert "locked" in fifth.value.message
    clock.advance(LOCK_SECONDS - 1)
    with pytest.raises(Locked) as locked:
        accounts.sign_in("Alice", ALICE_PIN)
    assert locked.value.seconds_left == pytest.approx(1)
    assert "locked" in locked.value.message
    clock.advance(1)
    assert accounts.sign_in("Alice", ALICE_PIN).name == "Alice"
    assert accounts.wait_seconds() == 0


def test_the_lock_is_still_there_after_a_restart(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """The count lives in the staff file: a new StaffAccounts (a restarted kiosk) is locked too."""
    for _ in range(MAX_FAILURES):
        with pytest.raises(WrongPin):
            accounts.sign_in("Alice", "000111")
        clock.advance(max(DELAYS))
    restarted = reopen(accounts, clock)
    assert restarted.wait_seconds() > 0
    with pytest.raises(Locked):
        restarted.sign_in("Alice", ALICE_PIN)
    clock.advance(LOCK_SECONDS)
    assert reopen(accounts, clock).sign_in("Alice", ALICE_PIN).name == "Alice"


def test_the_delay_survives_a_restart_too(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """Restarting right after a wrong PIN does not skip the wait."""
    with pytest.raises(WrongPin):
        accounts.sign_in("Alice", "000111")
    with pytest.raises(TooSoon):
        reopen(accounts, clock).sign_in("Alice", ALICE_PIN)


def test_a_sign_in_resets_the_count(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """Four failures, then the right PIN: the next failure is the first again."""
    for delay in DELAYS:
        with pytest.raises(WrongPin):
            accounts.sign_in("Alice", "000111")
        clock.advance(delay)
    accounts.sign_in("Alice", ALICE_PIN)
    with pytest.raises(WrongPin) as failed:
        accounts.sign_in("Alice", "000111")
    assert failed.value.failures == 1


def test_each_wrong_pin_after_a_lock_locks_again_for_longer(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """Once the five minutes are over, the count does not start afresh: the next
    wrong PIN locks again, for twice as long, up to an hour; only a right PIN
    clears it. (Starting afresh let a slow guesser try about 1,400 PINs a day.)"""
    for _ in range(MAX_FAILURES):
        with pytest.raises(WrongPin):
            accounts.sign_in("Alice", "000111")
        clock.advance(max(DELAYS))
    locks = []
    for _ in range(6):
        clock.advance(MAX_LOCK_SECONDS)
        with pytest.raises(WrongPin) as failed:
            accounts.sign_in("Alice", "000111")
        locks.append(failed.value.wait_seconds)
        with pytest.raises(Locked):
            accounts.sign_in("Alice", ALICE_PIN)  # the right PIN waits too
    assert locks == [600, 1200, 2400, 3600, 3600, 3600]
    clock.advance(MAX_LOCK_SECONDS)
    assert accounts.sign_in("Alice", ALICE_PIN).name == "Alice"
    with pytest.raises(WrongPin) as first:
        accounts.sign_in("Alice", "000111")
    assert (first.value.failures, first.value.wait_seconds) == (1, DELAYS[0])


def test_a_day_of_guessing_gets_few_tries(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """A guesser who tries again the moment each wait ends, for a whole day."""
    tries, day = 0, 24 * 3600.0
    spent = 0.0
    while spent < day:
        wait = accounts.wait_seconds()
        clock.advance(wait)
        spent += wait
        with pytest.raises(WrongPin):
            accounts.sign_in("Alice", "000111")
        tries += 1
    assert tries <= 35, tries  # 32: the first five, the doubling locks, then one an hour


def test_a_clock_set_back_does_not_lock_for_hours(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """The clock jumps back an hour during a lock: the wait is still at most five minutes."""
    for _ in range(MAX_FAILURES):
        with pytest.raises(WrongPin):
            accounts.sign_in("Alice", "000111")
        clock.advance(max(DELAYS))
    clock.advance(-3600)
    assert 0 < accounts.wait_seconds() <= LOCK_SECONDS
    clock.advance(LOCK_SECONDS)
    assert accounts.sign_in("Alice", ALICE_PIN).name == "Alice"


def test_parallel_guesses_do_not_slip_past_the_count(
    accounts: StaffAccounts, alice: Session, clock: FakeClock
) -> None:
    """Eight guesses at once (say, from eight processes): one is checked, the rest must wait."""
    outcomes: list[BaseException] = []

    def guess(n: int) -> None:
        try:
            reopen(accounts, clock).sign_in("Alice", f"00011{n}")
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(o, WrongPin) for o in outcomes) == 1
    assert sum(isinstance(o, TooSoon) for o in outcomes) == 7


# -- files that are missing or damaged --------------------------------------------------


def test_no_keys_yet_is_said_plainly(tmp_path: Path, clock: FakeClock) -> None:
    """Before the kiosk has ever run there are no keys: every change says so."""
    accounts = StaffAccounts(
        tmp_path / "none" / "staff.json", tmp_path / "none" / "keys.json", kdf=FAST, clock=clock
    )
    assert accounts.names() == []
    with pytest.raises(NoKeys, match="start the kiosk once"):
        accounts.add("Alice", ALICE_PIN, recovery_code="0000-0000-0000-0000-0000-0000")
    with pytest.raises(NoKeys):
        accounts.sign_in("Alice", ALICE_PIN)


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"version": 1}',
        b'{"version": 1, "staff": [{"name": "Alice"}], "failures": {}}',
        b'{"version": 1, "staff": [], "failures": {"count": -1, "last": 0, "locked_until": 0}}',
    ],
)
def test_a_damaged_staff_file_is_refused_not_read_as_empty(
    accounts: StaffAccounts, alice: Session, code: str, paths: Paths, content: bytes
) -> None:
    """Damaged is never "no staff": the recovery code cannot start afresh over it,
    nobody signs in, and the file is left exactly as found."""
    paths.staff_file.write_bytes(content)
    for attempt in (
        accounts.names,
        lambda: accounts.sign_in("Alice", ALICE_PIN),
        lambda: accounts.add("Mallory", BOB_PIN, recovery_code=code),
        accounts.wait_seconds,
    ):
        with pytest.raises(StaffFileError, match="damaged"):
            attempt()
    assert paths.staff_file.read_bytes() == content


def test_a_staff_file_from_a_newer_kiosk_is_left_alone(
    accounts: StaffAccounts, paths: Paths
) -> None:
    newer = b'{"version": 99, "staff": "whatever"}'
    paths.staff_file.write_bytes(newer)
    with pytest.raises(StaffFileError, match="newer version"):
        accounts.members()
    assert paths.staff_file.read_bytes() == newer


def test_deleting_the_staff_file_gains_no_account(
    accounts: StaffAccounts, alice: Session, paths: Paths
) -> None:
    """With the staff file gone there is no staff, so only the recovery code adds one
    (a PIN hash or a session from before counts for nothing)."""
    paths.staff_file.unlink()
    with pytest.raises(NeedsRecoveryCode):
        accounts.add("Mallory", BOB_PIN, by=alice)
    with pytest.raises(NeedsRecoveryCode):
        accounts.add("Mallory", BOB_PIN)
    assert accounts.names() == []


def test_a_right_pin_whose_slot_is_gone_says_what_to_do(
    accounts: StaffAccounts, alice: Session, code: str, paths: Paths
) -> None:
    """A keys file replaced from a backup without this slot: the PIN is right, so say
    so, and how to mend it (reset the PIN with the recovery code)."""
    ring = KeyRing.load(paths.keys_file)
    ring.remove_slot("staff:Alice")
    with pytest.raises(KeysProblem, match="reset-pin --recovery-code"):
        accounts.sign_in("Alice", ALICE_PIN)
    accounts.reset_pin("Alice", "561730", recovery_code=code)
    assert accounts.sign_in("Alice", "561730").name == "Alice"


def test_an_unreadable_staff_file_is_a_clear_error(
    accounts: StaffAccounts, alice: Session, paths: Paths
) -> None:
    """A staff file the OS will not read (here a folder in its place) refuses every sign-in
    with a sentence naming the file; nothing is put in its place."""
    paths.staff_file.unlink()
    paths.staff_file.mkdir()
    with pytest.raises(StaffFileError, match="could not be read"):
        accounts.sign_in("Alice", ALICE_PIN)
    assert paths.staff_file.is_dir()
    assert not any(paths.staff_file.iterdir())
