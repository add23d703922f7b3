"""Fixtures for the export, drive and page-view tests: real keys, store and small disk."""

from __future__ import annotations

import errno
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.keys import KdfParams, KeyRing, Opener
from kiosk.store import EnquiryStore

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


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 512 KiB file system, to fill up and to make read-only. Always unmounted."""
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    try:
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(mnt)],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        pytest.skip("no `mount` command here, so no real small disk to fill")
    if made.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here ({made.stderr.strip()})")
    try:
        yield mnt
    finally:
        remount(mnt, "rw")
        done = subprocess.run(["umount", str(mnt)], capture_output=True, check=False)
        if done.returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True, check=False)


def remount(mnt: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mnt)], check=True, capture_output=True)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the disk under ``folder`` until it is full, then free ``leave`` bytes."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError) as full:
            while True:
                os.write(fd, b"\0" * 4096)
        assert full.value.errno == errno.ENOSPC
        if leave:
            size = os.fstat(fd).st_size
            os.ftruncate(fd, max(0, size - leave))
    finally:
        os.close(fd)
    return filler
