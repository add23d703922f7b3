"""Fixtures for staff mode's core: real keys, staff and audit files in the test's data folder,
argon2id at its minimum, and a clock the test moves by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.enquiries.keys import KdfParams, KeyRing
from kiosk.paths import Paths
from kiosk.staff.accounts import Session, StaffAccounts

FAST = KdfParams.fast_for_tests()
ALICE_PIN = "482916"
BOB_PIN = "730155"


class FakeClock:
    """Seconds since the epoch, moved only by ``advance``: no test waits for real time."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def paths(data_tmpdir: Path) -> Paths:
    """The test's data folder (the root conftest points KIOSK_DATA_DIR at it)."""
    return Paths.resolve()


@pytest.fixture
def code(keyring: tuple[KeyRing, str]) -> str:
    """The recovery code of the keys made for this test."""
    return keyring[1]


@pytest.fixture
def accounts(keyring: tuple[KeyRing, str], paths: Paths, clock: FakeClock) -> StaffAccounts:
    return StaffAccounts(paths.staff_file, paths.keys_file, kdf=FAST, clock=clock)


def reopen(accounts: StaffAccounts, clock: FakeClock) -> StaffAccounts:
    """The same files in a new object: what the kiosk sees after a restart."""
    return StaffAccounts(accounts.staff_file, accounts.keys_file, kdf=FAST, clock=clock)


@pytest.fixture
def alice(accounts: StaffAccounts, code: str) -> Session:
    """The first account, made with the recovery code, and signed in."""
    accounts.add("Alice", ALICE_PIN, recovery_code=code)
    return accounts.sign_in("Alice", ALICE_PIN)
