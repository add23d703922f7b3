"""Fixtures for the enquiry tests (store, keys, export, drives): real keys, store and small disk."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.enquiries.keys import KdfParams, KeyRing, Opener
from kiosk.enquiries.store import EnquiryStore

FAST = KdfParams.fast_for_tests()

PERSONAL = {
    "name": "Ana López",
    "phone": "+18015550100",
    "email": "ana@example.org",
    "method": "call",
    "best_time": "morning",
    "message": "Is it covered by insurance?",
}


@dataclass
class Clock:
    """A clock the test moves by hand (the store's ``clock``)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Keys:
    ring: KeyRing
    opener: Opener


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    ring, code = KeyRing.create(tmp_path / "keys" / "k.json", tmp_path / "keys" / "r.txt", kdf=FAST)
    return Keys(ring, ring.unlock(code))


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 27, 16, 30, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path, keys: Keys, clock: Clock) -> Iterator[EnquiryStore]:
    opened = EnquiryStore(tmp_path / "db" / "enquiries.sqlite3", keys.ring.sealer(), clock=clock)
    yield opened
    opened.close()


def save(store: EnquiryStore, topic: str = "ketamine", **fields: str) -> int:
    """Save one enquiry (PERSONAL with ``fields`` changed); its id."""
    return store.save(uuid.uuid4().hex, topic, {**PERSONAL, **fields}).id
