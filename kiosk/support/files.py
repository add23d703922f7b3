"""Small file-system helpers the core shares: durable renames and rewrites,
file-name stamps."""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import nacl.utils  # random temporary names without hashlib (OpenSSL: memory at start)


def utc_stamp() -> str:
    """A UTC time for file names: sorts by time, no colons (Windows-safe)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` survive a power cut (POSIX only;
    Windows has no way to flush a folder and NTFS journals the rename)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so a crash leaves the old file or the new, never half.

    The temporary file is made in the same folder (``os.replace`` is atomic
    only within one file system) with mode 0600 from the start.
    """
    fd, tmp_name = _open_temp(path)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_folder(path.parent)


def _open_temp(path: Path) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = str(path.with_name(f".{path.name}.{nacl.utils.random(6).hex()}.tmp"))
        try:
            fd = os.open(name, flags, 0o600)
        except FileExistsError:
            continue
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # exactly 0600, whatever the umask
        return fd, name
    raise FileExistsError(f"no free temporary name next to {path}")
