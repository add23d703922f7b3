"""Staff accounts: a name and a PIN each, and the lock against guessing.

Each staff member has their own PIN, so the audit log can say who did what.
A PIN is kept twice, never in the clear:

- as an argon2id hash string (parameters and salt included) in the staff
  file, checked with libsodium's ``crypto_pwhash_str_verify``, which compares
  in constant time;
- as a key slot ``staff:<name>`` in the enquiries' keys file (``kiosk.enquiries.keys``),
  which wraps a copy of the enquiries' private key. Signing in checks the hash
  and then opens that slot: the ``Session`` it returns carries the ``Opener``
  that reads enquiries.

The first account needs the recovery code (the only other way to the private
key); later changes need a signed-in staff member. With no staff at all the
recovery code is needed again, so deleting the staff file gains nobody an
account. A damaged staff file is refused with a sentence saying so, never read
as "no staff".

Wrong PINs are counted for the whole device (a wrong name, and a wrong
recovery code, count too) in the staff file, so a restart forgets nothing:
after each failure the next try must
wait 1, 2, 4, then 8 seconds; the fifth failure locks PIN entry for five
minutes; a sign-in resets the count. Every attempt runs under an exclusive
file lock, so two processes (the kiosk and ``kiosk staff`` in a terminal)
cannot guess in parallel past the count. The policy itself is ``Tally``, pure
(no file, no clock of its own): the office app's sign-in counts with it too.

Plain Python, no Qt. Nothing here logs or stores a PIN.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import math
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.pwhash.argon2id as argon2id

from kiosk.enquiries.keys import (
    RECOVERY_LABEL,
    KdfParams,
    KeyRing,
    KeysError,
    Opener,
)
from kiosk.support.files import write_atomic

if sys.platform != "win32":  # flock is POSIX; on Windows no lock is taken
    import fcntl

FORMAT_VERSION = 1
SLOT_PREFIX = "staff:"

PIN_MIN = 6
PIN_MAX = 12
NAME_MAX = 40

#: Seconds to wait after the 1st, 2nd, 3rd and 4th failure in a row.
DELAYS = (1.0, 2.0, 4.0, 8.0)
#: The failure that locks PIN entry, and for how long.
MAX_FAILURES = 5
LOCK_SECONDS = 300.0
#: Each wrong PIN after a lock, until a right one, locks again for twice as
#: long, up to this: slow guessing gains about 24 tries a day, not the 1,400 a
#: lock that starts the count afresh allowed, and a patient who finds the pad
#: cannot lock the front desk out for more than an hour at a time.
MAX_LOCK_SECONDS = 3600.0


def lock_seconds(failures: int) -> float:
    """How long the ``failures``-th wrong PIN in a row locks PIN entry (0: no lock)."""
    if failures < MAX_FAILURES:
        return 0.0
    return min(MAX_LOCK_SECONDS, LOCK_SECONDS * 2.0 ** min(failures - MAX_FAILURES, 16))


WRONG_PIN = "That name and PIN do not match."

#: The audit log's actor for a sign-in with a name that matches no account:
#: whatever was typed there may be a PIN or the recovery code, typed one line
#: too early, so it is never written down.
UNKNOWN_NAME = "(unknown name)"

_PIN = re.compile(r"[0-9]+")
_NAME_PUNCTUATION = frozenset(" .-'_")


def pin_problem(pin: str, min_length: int = PIN_MIN) -> str | None:
    """What is wrong with ``pin`` as a new PIN, in one sentence; None when it is fine.

    ``min_length`` (the config's ``[staff] min_pin_length``) to 12 digits
    (ASCII only: a keypad has no others), and not one a stranger would try
    first: one digit repeated, or a run like 123456.
    """
    low = max(PIN_MIN, min(min_length, PIN_MAX))
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        return f"A PIN is {low} to {PIN_MAX} digits (0-9), nothing else."
    if not low <= len(pin) <= PIN_MAX:
        return f"A PIN is {low} to {PIN_MAX} digits; that one has {len(pin)}."
    if len(set(pin)) == 1:
        return "A PIN of one digit repeated is too easy to guess: choose another."
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):
        return "A PIN that counts up or down (like 123456) is too easy to guess: choose another."
    return None


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a staff name; None when it is fine.

    Letters, digits, spaces and . - ' _ only (it shows in the audit log and
    on the kiosk), 1 to 40 characters, no space at either end.
    """
    if not isinstance(name, str) or not name.strip():
        return "A staff name cannot be empty."
    if len(name) > NAME_MAX:
        return f"A staff name is at most {NAME_MAX} characters; that one has {len(name)}."
    if name != name.strip():
        return "A staff name cannot begin or end with a space."
    if not all(ch.isalnum() or ch in _NAME_PUNCTUATION for ch in name):
        return "A staff name has only letters, digits, spaces and . - ' _ in it."
    return None


def _normal_name(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def same_name(one: str, other: str) -> bool:
    """Whether two staff names are one (Unicode-normal, case ignored), as sign-in matches them."""
    return _normal_name(one).casefold() == _normal_name(other).casefold()


def say_seconds(seconds: float) -> str:
    """``4 seconds``, ``1 minute``, ``5 minutes``: rounded up, never "0"."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return f"{whole} second{'' if whole == 1 else 's'}"
    minutes = math.ceil(whole / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


# -- errors -------------------------------------------------------------------------
# Named for what happened (the shared design's names), without an "Error" suffix.


class StaffError(Exception):
    """A staff action was refused or failed; ``message`` says why, for people (never a PIN)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WrongPin(StaffError):  # noqa: N818 (named for what happened)
    """The name and PIN do not match. ``failures``: in a row, device-wide;
    ``wait_seconds``: before the next try is taken (300 once it locks, then
    twice as long at each wrong PIN until a right one: ``lock_seconds``)."""

    def __init__(self, failures: int, wait_seconds: float) -> None:
        if failures >= MAX_FAILURES:
            message = (
                f"{WRONG_PIN} Too many wrong PINs: PIN entry is locked for "
                f"{say_seconds(wait_seconds)}."
            )
        else:
            message = f"{WRONG_PIN} Try again in {say_seconds(wait_seconds)}."
        super().__init__(message)
        self.failures = failures
        self.wait_seconds = wait_seconds


class UnknownStaff(WrongPin):
    """No staff member has that name. Told apart from a wrong PIN only in code,
    never in words: the message is the same, so a guesser learns no names."""


class Locked(StaffError):  # noqa: N818 (named for what happened)
    """Too many wrong PINs in a row: no PIN is checked until ``seconds_left`` have passed."""

    def __init__(self, seconds_left: float) -> None:
        super().__init__(
            f"Too many wrong PINs: PIN entry is locked. Try again in {say_seconds(seconds_left)}."
        )
        self.seconds_left = seconds_left


class TooSoon(StaffError):  # noqa: N818 (named for what happened)
    """The short wait after a wrong PIN is not over; the PIN was not checked."""

    def __init__(self, seconds_left: float) -> None:
        super().__init__(f"Wait {say_seconds(seconds_left)} before the next try.")
        self.seconds_left = seconds_left


class NeedsRecoveryCode(StaffError):  # noqa: N818 (named for what happened)
    """There are no staff accounts: only the recovery code may make one."""


class NeedsStaffPin(StaffError):  # noqa: N818 (named for what happened)
    """There are staff accounts: a signed-in staff member must make the change."""


class WrongRecoveryCode(StaffError):  # noqa: N818 (named for what happened)
    """The recovery code given does not open the enquiries' keys. Counted with the
    wrong PINs: ``failures`` in a row, device-wide; ``wait_seconds`` before the next try."""

    def __init__(self, message: str, failures: int = 0, wait_seconds: float = 0.0) -> None:
        super().__init__(message)
        self.failures = failures
        self.wait_seconds = wait_seconds


class NoSuchStaff(StaffError):  # noqa: N818 (named for what happened)
    """A change names a staff member there is none of (remove, reset-pin)."""


class Refused(StaffError):  # noqa: N818 (named for what happened)
    """The name or PIN breaks a rule (``name_problem``, ``pin_problem``, a name taken)."""


class NoKeys(StaffError):  # noqa: N818 (named for what happened)
    """The enquiries' keys file is not there yet: the kiosk has never run here."""


class KeysProblem(StaffError):  # noqa: N818 (named for what happened)
    """The keys file cannot be read, is damaged, or lacks this member's slot."""


class SignInPaused(StaffError):  # noqa: N818 (named for what happened)
    """The wrong-PIN count cannot be written (a full or read-only disk): no
    sign-in is checked until it can, so the lock cannot be walked around. The
    same answer for every PIN, right or wrong: nothing was checked."""

    def __init__(self, exc: OSError, staff_file: Path) -> None:
        if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
            why = "the kiosk's disk is full"
        elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            why = "the kiosk's disk cannot be written to"
        else:
            why = f"the kiosk cannot write down wrong PINs ({exc.strerror or exc})"
        super().__init__(
            f"Sign-in is paused: {why}. It works again once {staff_file.parent} can be written to."
        )


class StaffFileError(StaffError):
    """The staff file is damaged, from a newer kiosk, or cannot be read or written."""


# -- the lock against guessing ------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Wrong PINs in a row and when: the whole lock policy, with no storage.

    The tablet keeps one in its staff file (device-wide); the office keeps one
    per name and one for the whole office in PostgreSQL (``kiosk.office.admin``).
    Times are seconds since the epoch, read from the caller's clock.
    """

    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0

    def settled(self, now: float) -> Tally:
        """After the clock went back, the wait counted from now, not from a
        failure time in the future that would lock PIN entry for hours."""
        if self.last_failure <= now:
            return self
        lock = lock_seconds(self.failures)
        return Tally(self.failures, now, now + lock if self.locked_until else 0.0)

    def wait(self, now: float) -> tuple[float, bool]:
        """(seconds to wait, whether that is the lock). Never longer than the
        delay itself, so a clock set back does not lock anyone out for hours."""
        if self.failures <= 0:
            return 0.0, False
        elapsed = max(0.0, now - self.last_failure)
        if self.failures >= MAX_FAILURES:
            left = min(lock_seconds(self.failures) - elapsed, self.locked_until - now)
            return (max(0.0, left), left > 0)
        delay = DELAYS[min(self.failures, len(DELAYS)) - 1]
        return max(0.0, delay - elapsed), False

    def turn(self, now: float) -> Tally:
        """Raise ``Locked`` or ``TooSoon`` while the wait runs; otherwise the tally
        to count from. A lock over does not start the count afresh: only a right
        PIN (or the recovery code) does, so the next wrong one locks again, for
        longer (``lock_seconds``). Settle the clock first."""
        wait, locked = self.wait(now)
        if locked:
            raise Locked(wait)
        if wait > 0:
            raise TooSoon(wait)
        return self

    def failed(self, now: float) -> tuple[Tally, float]:
        """The tally after one more failure at ``now``, and the seconds to wait."""
        failures = self.failures + 1
        if failures >= MAX_FAILURES:
            lock = lock_seconds(failures)
            return Tally(failures, now, now + lock), lock
        return Tally(failures, now, 0.0), DELAYS[min(failures, len(DELAYS)) - 1]


# -- data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    """One account as ``kiosk staff list`` shows it: no hash, no PIN."""

    name: str
    added_at: str


@dataclass(frozen=True)
class Session:
    """A signed-in staff member; ``opener`` reads the enquiries (keep it only while signed in)."""

    name: str
    opener: Opener


@dataclass
class _Account:
    name: str
    added_at: str
    pin_hash: str


@dataclass
class _State:
    """The staff file in memory."""

    accounts: list[_Account] = field(default_factory=list)
    tally: Tally = Tally()

    def find(self, name: str) -> _Account | None:
        for account in self.accounts:
            if same_name(account.name, name):
                return account
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "staff": [
                {"name": a.name, "added_at": a.added_at, "pin_hash": a.pin_hash}
                for a in self.accounts
            ],
            "failures": {
                "count": self.tally.failures,
                "last": self.tally.last_failure,
                "locked_until": self.tally.locked_until,
            },
        }


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} is not a number")
    return float(value)


def _state_from_json(document: object) -> _State:
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("no format version")
    if version > FORMAT_VERSION:
        raise _NewerFormat(version)
    raw_staff = document.get("staff")
    if not isinstance(raw_staff, list):
        raise ValueError("no list of staff")
    state = _State()
    for n, raw in enumerate(raw_staff, start=1):
        if not isinstance(raw, dict):
            raise ValueError(f"staff entry {n} is not an object")
        name, added, pin_hash = raw.get("name"), raw.get("added_at"), raw.get("pin_hash")
        if not isinstance(name, str) or name_problem(name):
            raise ValueError(f"staff entry {n} has no valid name")
        if not isinstance(added, str):
            raise ValueError(f"staff entry {n} has no time it was added")
        if not isinstance(pin_hash, str) or not pin_hash.startswith("$argon2id$"):
            raise ValueError(f"staff entry {n} has no argon2id PIN hash")
        if state.find(name) is not None:
            raise ValueError(f"two staff entries are called {name!r}")
        state.accounts.append(_Account(name=name, added_at=added, pin_hash=pin_hash))
    failures = document.get("failures")
    if not isinstance(failures, dict):
        raise ValueError("no failure count")
    count = failures.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError("the failure count is not a whole number")
    state.tally = Tally(
        count,
        _number(failures.get("last"), "the last failure's time"),
        _number(failures.get("locked_until"), "the end of the lock"),
    )
    return state


class _NewerFormat(Exception):  # noqa: N818 (named for what happened)
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


# -- the accounts -------------------------------------------------------------------


class StaffAccounts:
    """The staff file and the staff slots of the keys file, read afresh at every call.

    Reading afresh means the kiosk sees an account added from a terminal, and
    the failure count is one for the device, without a restart.
    """

    def __init__(
        self,
        staff_file: Path,
        keys_file: Path,
        *,
        kdf: KdfParams | None = None,
        clock: Callable[[], float] = time.time,
        min_pin_length: int = PIN_MIN,
    ) -> None:
        """``kdf`` is how hard new PIN hashes and key slots are: by default
        ``KdfParams.interactive()`` (why: its docstring); tests pass the fastest.
        ``clock`` (seconds since the epoch) times the waits and the lock.
        ``min_pin_length``: the fewest digits a new PIN may have (old ones keep working)."""
        self.staff_file = Path(staff_file)
        self.keys_file = Path(keys_file)
        self._kdf = kdf or KdfParams.interactive()
        self._clock = clock
        self.min_pin_length = max(PIN_MIN, min(min_pin_length, PIN_MAX))

    def __repr__(self) -> str:
        return f"StaffAccounts(staff_file={str(self.staff_file)!r})"

    # -- reading ---------------------------------------------------------------------

    def members(self) -> list[StaffMember]:
        """Every account, in the order they were added."""
        return [StaffMember(a.name, a.added_at) for a in self._load().accounts]

    def names(self) -> list[str]:
        return [a.name for a in self._load().accounts]

    def actor_for(self, name: str) -> str:
        """``name`` as the audit log may show it: the account's own spelling, or
        ``UNKNOWN_NAME`` when it matches no account (or the staff file cannot be
        read). Never raises: it names the actor of a refusal being reported."""
        try:
            account = self._load().find(name) if isinstance(name, str) else None
        except StaffError:
            return UNKNOWN_NAME
        return account.name if account is not None else UNKNOWN_NAME

    def wait_seconds(self) -> float:
        """Seconds before another PIN is taken (0 when now): for the PIN pad to count down."""
        state, now = self._load(), self._clock()
        if state.tally.last_failure > now:
            with self._exclusive():
                state, now = self._load(), self._clock()
                self._settle_clock(state, now)
        return state.tally.wait(now)[0]

    # -- signing in ------------------------------------------------------------------

    def sign_in(self, name: str, pin: str) -> Session:
        """Check ``pin`` for ``name`` and open their key slot.

        Raises ``Locked`` or ``TooSoon`` without checking anything, ``WrongPin``
        (``UnknownStaff`` for a name nobody has: same words, same cost) after
        counting the failure, ``KeysProblem`` when the PIN is right but its
        slot is missing or damaged.
        """
        self.require_keys()
        with self._exclusive():
            state = self._load()
            now = self._check_turn(state)
            ring = self._ring()
            account = state.find(name) if isinstance(name, str) else None
            secret = pin.encode("utf-8") if isinstance(pin, str) else b""
            # Fail closed: the attempt is counted as a failure, on disk, before
            # any PIN is checked; a sign-in takes it back. When the count cannot
            # be written (a full disk) nothing is checked, right PIN or wrong,
            # so a guesser cannot go on without the wait and the lock.
            failed = self._count_failure(state, now)
            if account is None:
                # The same argon2id work as a real check, so the time taken
                # does not tell a guesser which names exist.
                argon2id.str(secret, opslimit=self._kdf.ops, memlimit=self._kdf.mem)
                raise UnknownStaff(*failed)
            if not self._pin_matches(account, secret):
                raise WrongPin(*failed)
            opener = self._open_slot(ring, account.name, pin)
            state.tally = Tally()
            # Not written: the failure stays counted, a longer wait next time, never shorter.
            with contextlib.suppress(StaffFileError):
                self._save(state)
            return Session(name=account.name, opener=opener)

    def _settle_clock(self, state: _State, now: float) -> None:
        """After the clock went back, count the wait from now (and write that down),
        not from a failure time in the future that would lock PIN entry for hours."""
        settled = state.tally.settled(now)
        if settled != state.tally:
            state.tally = settled
            self._save(state)

    def _pin_matches(self, account: _Account, secret: bytes) -> bool:
        try:
            return bool(argon2id.verify(account.pin_hash.encode("ascii"), secret))
        except nacl.exceptions.InvalidkeyError:
            return False
        except (nacl.exceptions.CryptoError, ValueError, UnicodeEncodeError):
            raise StaffFileError(
                f"The staff file {self.staff_file} is damaged: the PIN hash of "
                f"{account.name!r} cannot be read. Reset that PIN with the recovery code."
            ) from None

    def _open_slot(self, ring: KeyRing, name: str, secret: str) -> Opener:
        try:
            return ring.unlock_slot(SLOT_PREFIX + name, secret)
        except KeysError:
            raise KeysProblem(
                f"The PIN of {name!r} is right, but the enquiries' keys file {self.keys_file} "
                f"has no working slot for it (was the keys file replaced?). Reset this PIN "
                f"with the recovery code: kiosk staff reset-pin --recovery-code {name!r}."
            ) from None

    def _count_failure(self, state: _State, now: float) -> tuple[int, float]:
        """Write the attempt down as a failure; (failures, seconds to wait) for
        ``WrongPin``. Raises ``SignInPaused`` when it cannot be written."""
        state.tally, wait = state.tally.failed(now)
        try:
            self._write_state(state)
        except OSError as exc:
            raise SignInPaused(exc, self.staff_file) from None
        return state.tally.failures, wait

    # -- changing accounts -----------------------------------------------------------

    def add(
        self,
        name: str,
        pin: str,
        *,
        recovery_code: str | None = None,
        by: Session | None = None,
    ) -> StaffMember:
        """Make an account: the first with the recovery code, later ones ``by`` a signed-in member.

        The key slot is written before the staff file: a failure between the
        two leaves a slot nobody can name (replaced on the next try), never an
        account whose PIN opens nothing.
        """
        for problem in (name_problem(name), pin_problem(pin, self.min_pin_length)):
            if problem:
                raise Refused(problem)
        name = _normal_name(name)
        self.require_keys()
        with self._exclusive():
            state = self._load()
            if state.find(name) is not None:
                raise Refused(f"There is a staff member called {name!r} already.")
            ring = self._ring()
            if not state.accounts:
                if recovery_code is None:
                    raise NeedsRecoveryCode(
                        "There are no staff accounts yet: the first one needs the recovery code."
                    )
                # With no account, the code is all there is to guess: it waits
                # its turn like a PIN (the kiosk's set-up screen and the terminal alike).
                self._check_turn(state)
                opener = self._recovery_opener(ring, recovery_code, state)
            else:
                if by is None:
                    raise NeedsStaffPin(
                        "There are staff accounts already: a staff member must sign in "
                        "with their name and PIN to add another."
                    )
                opener = self._check_session(ring, state, by)
            member = StaffMember(name=name, added_at=self._stamp())
            self._add_slot(ring, name, pin, opener)
            state.accounts.append(_Account(name, member.added_at, self._hash(pin)))
            if recovery_code is not None:
                state.tally = Tally()
            self._save(state)
            return member

    def remove(self, name: str, *, by: Session) -> None:
        """Delete an account: its key slot first (so the PIN opens nothing), then its entry."""
        self.require_keys()
        with self._exclusive():
            state = self._load()
            account = state.find(name) if isinstance(name, str) else None
            if account is None:
                raise NoSuchStaff(f"There is no staff member called {name!r}.")
            ring = self._ring()
            self._check_session(ring, state, by)
            label = SLOT_PREFIX + account.name
            if label in ring.slot_labels():
                try:
                    ring.remove_slot(label)
                except KeysError as exc:
                    raise KeysProblem(str(exc)) from None
            state.accounts.remove(account)
            self._save(state)

    def reset_pin(
        self,
        name: str,
        new_pin: str,
        *,
        by: Session | None = None,
        recovery_code: str | None = None,
    ) -> None:
        """Give ``name`` a new PIN, ``by`` a signed-in member or with the recovery code.

        The recovery code also clears the failure count and the lock: it is
        what the clinic uses when every PIN is lost.
        """
        problem = pin_problem(new_pin, self.min_pin_length)
        if problem:
            raise Refused(problem)
        self.require_keys()
        with self._exclusive():
            state = self._load()
            account = state.find(name) if isinstance(name, str) else None
            if account is None:
                raise NoSuchStaff(f"There is no staff member called {name!r}.")
            ring = self._ring()
            if recovery_code is not None:
                # Not held by the lock: the code is what ends it when every PIN is lost.
                opener = self._recovery_opener(ring, recovery_code, state)
            elif by is not None:
                opener = self._check_session(ring, state, by)
            else:
                raise NeedsStaffPin(
                    "A new PIN needs a signed-in staff member, or the recovery code."
                )
            self._add_slot(ring, account.name, new_pin, opener)
            account.pin_hash = self._hash(new_pin)
            if recovery_code is not None:
                state.tally = Tally()
            self._save(state)

    def _check_turn(self, state: _State) -> float:
        """Raise ``Locked`` or ``TooSoon`` while the device-wide wait runs (under the
        lock); otherwise the time it checked at."""
        now = self._clock()
        self._settle_clock(state, now)
        state.tally = state.tally.turn(now)
        return now

    def _recovery_opener(self, ring: KeyRing, code: str, state: _State) -> Opener:
        """The recovery slot opened with ``code``; a wrong code is counted as a wrong PIN is."""
        if RECOVERY_LABEL not in ring.slot_labels():
            raise KeysProblem(f"The enquiries' keys file {self.keys_file} has no recovery slot.")
        try:
            return ring.unlock_slot(RECOVERY_LABEL, code)
        except KeysError:
            failures, wait = self._count_failure(state, self._clock())
            raise WrongRecoveryCode(
                "That recovery code does not open the enquiries' keys. It is the code in "
                "RECOVERY-CODE.txt from the kiosk's first run (24 letters and digits).",
                failures,
                wait,
            ) from None

    def _check_session(self, ring: KeyRing, state: _State, by: Session) -> Opener:
        """The session's opener, if it is a current member's and holds this ring's key."""
        if not isinstance(by, Session) or state.find(by.name) is None:
            raise NeedsStaffPin("Only a current staff member can make this change.")
        if by.opener.key_id != ring.key_id:
            raise KeysProblem(
                "That sign-in opened another key than the one in the keys file: sign in again."
            )
        return by.opener

    def _add_slot(self, ring: KeyRing, name: str, pin: str, opener: Opener) -> None:
        try:
            ring.add_slot(SLOT_PREFIX + name, pin, opener, self._kdf)
        except KeysError as exc:
            raise KeysProblem(str(exc)) from None

    def _hash(self, pin: str) -> str:
        hashed = argon2id.str(pin.encode("utf-8"), opslimit=self._kdf.ops, memlimit=self._kdf.mem)
        return hashed.decode("ascii")

    def _stamp(self) -> str:
        return datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="seconds")

    # -- files -----------------------------------------------------------------------

    def require_keys(self) -> None:
        """Raise ``NoKeys`` when there is no keys file yet (the kiosk never ran here).

        Checked before the lock, whose folder may not exist yet, and by the
        command line before it asks for a secret it could not use.
        """
        if not os.path.lexists(self.keys_file):
            raise NoKeys(
                f"There are no enquiry keys yet ({self.keys_file} is missing): start the "
                f"kiosk once, so it makes them and the recovery code."
            )

    def _ring(self) -> KeyRing:
        """The keys file, read under the lock: a slot added from a ring read
        before another process changed the file would undo that change."""
        self.require_keys()
        try:
            return KeyRing.load(self.keys_file)
        except KeysError as exc:
            raise KeysProblem(str(exc)) from None

    def _load(self) -> _State:
        """The staff file; missing means no staff yet, anything else wrong is refused."""
        try:
            raw = self.staff_file.read_bytes()
        except FileNotFoundError:
            return _State()
        except OSError as exc:
            raise StaffFileError(
                f"The staff file {self.staff_file} could not be read ({exc.strerror or exc})."
            ) from None
        try:
            return _state_from_json(json.loads(raw.decode("utf-8")))
        except _NewerFormat as exc:
            raise StaffFileError(
                f"The staff file {self.staff_file} was written by a newer version of the "
                f"kiosk (format {exc.version}); this version leaves it alone."
            ) from None
        except (UnicodeDecodeError, ValueError, TypeError) as exc:
            why = "not JSON" if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError) else exc
            raise StaffFileError(
                f"The staff file {self.staff_file} is damaged ({why}), so nobody can sign in. "
                f"Restore it from a backup; or move it aside and add the first account again "
                f"with the recovery code."
            ) from None

    def _write_state(self, state: _State) -> None:
        data = (json.dumps(state.to_json(), indent=2, ensure_ascii=False) + "\n").encode()
        write_atomic(self.staff_file, data)

    def _save(self, state: _State) -> None:
        try:
            self._write_state(state)
        except OSError as exc:
            raise StaffFileError(
                f"The staff file {self.staff_file} could not be written ({exc.strerror or exc})."
            ) from None

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold the staff file's lock (a ``.lock`` file beside it) for one read-check-write.

        A lock on the staff file itself would not do: each write replaces it.
        """
        if sys.platform == "win32":
            yield
            return
        lock_path = self.staff_file.with_name(f".{self.staff_file.name}.lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError as exc:
            raise StaffFileError(
                f"The staff file's lock {lock_path} could not be made ({exc.strerror or exc})."
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock
