"""Getting the running kiosk its store: first run, a fault at start that heals,
and enquiries sealed to a key the kiosk no longer has."""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

import pytest

from kiosk.enquiries.keys import KdfParams
from kiosk.enquiries.opener import StoreOpener
from kiosk.paths import Paths

FAST = KdfParams.fast_for_tests()


def test_first_run_makes_keys_a_recovery_code_and_a_store(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    paths = Paths.resolve(tmp_path)
    opener = StoreOpener(paths, kdf=FAST)
    store = opener.get()
    assert store is not None and store.available
    assert opener.get() is store  # opened once
    assert paths.recovery_file.stat().st_mode & 0o777 == 0o600
    assert paths.keys_file.is_file() and paths.store_file.is_file()
    assert any(str(paths.recovery_file) in r.getMessage() for r in caplog.records)
    opener.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounts a tmpfs (root only)")
def test_a_read_only_disk_at_first_run_heals_without_a_restart(tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "mnt"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]).returncode:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        opener = StoreOpener(Paths.resolve(folder), kdf=FAST)
        assert opener.get() is None  # no keys can be written: no store, no crash
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
        store = opener.get()
        assert store is not None
        assert store.save(uuid.uuid4().hex, "", {"name": "Ana"}).new
        opener.close()
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_enquiries_sealed_to_a_lost_key_are_reported_loudly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths.resolve(tmp_path)
    first = StoreOpener(paths, kdf=FAST)
    store = first.get()
    assert store is not None
    for _ in range(3):
        store.save(uuid.uuid4().hex, "", {"name": "Ana"})
    first.close()
    paths.keys_file.unlink()  # lost: a new key will be made
    paths.recovery_file.unlink()
    caplog.set_level(logging.WARNING)
    second = StoreOpener(paths, kdf=FAST)
    assert second.get() is not None
    critical = [r.getMessage() for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(critical) == 1
    assert critical[0].startswith("3 enquiries were sealed to a key this kiosk no longer has")
    second.close()
