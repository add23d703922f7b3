"""A real, small file system for the tests that fill a disk or make it read-only
(the store, the export, the page-view counts): the ``tmpfs`` fixture lives in
tests/conftest.py."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def mounted_tmpfs(tmp_path: Path) -> Iterator[Path]:
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
    """Fill the disk under ``folder`` until it is full (not even a byte more),
    then free ``leave`` bytes."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError) as full:
            while True:
                os.write(fd, b"\0" * 4096)
        assert full.value.errno == errno.ENOSPC
        with pytest.raises(OSError):
            os.write(fd, b"\0")
        if leave:
            size = os.fstat(fd).st_size
            os.ftruncate(fd, max(0, size - leave))
    finally:
        os.close(fd)
    return filler
