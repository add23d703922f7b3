"""Small file-system helpers the core shares: private new files, durable renames and
rewrites, file-name stamps."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import nacl.utils  # random temporary names without hashlib (OpenSSL: memory at start)

# Hard links are how ``write_atomic(replace=False)`` refuses a file made a moment
# ago; these errors mean the file system has none (FAT and exFAT sticks).
_NO_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


class TargetExistsError(FileExistsError):
    """``write_atomic(..., replace=False)`` found a file at the target; it was left as it was."""


def utc_stamp() -> str:
    """A UTC time for file names: sorts by time, no colons (Windows-safe)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def create_private(path: Path | str) -> int:
    """Create a new file at ``path`` readable and writable by this user only; returns
    a file descriptor open for writing (the caller closes it).

    The file is 0600 from its first byte (never world-readable, even for a
    moment) and exactly 0600 whatever the umask; the descriptor is not inherited
    by child processes. Anything already at ``path``, a dangling link included,
    raises ``FileExistsError`` and is left alone.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    if os.name == "posix":
        try:
            os.fchmod(fd, 0o600)  # exactly 0600: a umask like 0o200 would leave 0400
        except BaseException:
            os.close(fd)
            raise
    return fd


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


def write_atomic(
    path: Path,
    data: bytes | Callable[[BinaryIO], None],
    *,
    replace: bool = True,
    temp: Path | None = None,
    sync_folder: Callable[[Path], None] = fsync_folder,
) -> None:
    """Put ``data`` at ``path`` so a crash leaves the old file or the new, never half.

    ``data`` is the bytes, or a function that writes them to the (binary) file
    it is given, for a file too big to hold in memory. The temporary file is made
    with ``create_private`` in the same folder (``os.replace`` is atomic only
    within one file system), written, synced, renamed into place, and then the
    folder is synced with ``sync_folder``. ``temp`` names the temporary file
    (it must not exist, and be beside ``path``); by default a random hidden name.

    With ``replace=False`` a file at ``path``, even one made while this wrote,
    is never replaced: ``TargetExistsError``. On any failure up to the rename
    the temporary file is deleted; a failing ``sync_folder`` raises with the new
    file in place (the caller may remove it).
    """
    if temp is None:
        fd, temp = _open_temp(path)
    else:
        fd = create_private(temp)
    try:
        with open(fd, "wb") as file:
            if isinstance(data, bytes | bytearray | memoryview):
                file.write(data)
            else:
                data(file)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temp, path)
        else:
            _place_new(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    sync_folder(path.parent)


def _place_new(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` only if nothing is there: a hard link fails if ``path``
    exists, even one made a moment ago. A file system without hard links (a FAT
    stick) gets a check, then the rename."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise TargetExistsError(errno.EEXIST, "There is a file there already", str(path)) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(path):
            raise TargetExistsError(
                errno.EEXIST, "There is a file there already", str(path)
            ) from None
        os.replace(temp, path)
        return
    with suppress(OSError):  # a leftover temporary file is the caller's to sweep
        os.unlink(temp)


def _open_temp(path: Path) -> tuple[int, Path]:
    for _ in range(100):
        name = path.with_name(f".{path.name}.{nacl.utils.random(6).hex()}.tmp")
        try:
            return create_private(name), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {path}")
