"""What a killed export leaves behind, found and removed.

An export is written to ``.kiosk-export-<token>.part`` (and scratch in
``.parts``) beside the file, then renamed: killed half-way, the patients'
names stay there in the clear, on the kiosk's disk or a USB drive. So every
folder the kiosk has exported to is remembered in the data folder
(``export-folders.json``), and the leftovers in all of them are removed at
the next start, at the next export (to any folder) and by ``kiosk purge``.

Exports take one lock in the data folder (``.export.lock``) while they
write, so a sweep never removes the file of an export still running: one
made under the lock sweeps everything (no other export can be running), one
at start or purge only sweeps when the lock is free.

Plain Python, no Qt; small, as the kiosk sweeps at start.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.support.files import write_atomic

if sys.platform != "win32":  # flock is POSIX; on Windows no lock is taken
    import fcntl

log = logging.getLogger(__name__)

#: The export's temporary names (kiosk.enquiries.export writes them).
LEFTOVER = re.compile(r"^\.kiosk-export-[0-9a-f]{16}\.(part|parts)$")
FOLDERS_FILE = "export-folders.json"
LOCK_FILE = ".export.lock"
#: Folders remembered at most (the newest kept): a kiosk exports to a few.
MAX_FOLDERS = 50


@dataclass(frozen=True)
class ExportPlaces:
    """The folders the kiosk exported to, remembered in ``data_dir``."""

    data_dir: Path

    @property
    def folders_file(self) -> Path:
        return self.data_dir / FOLDERS_FILE

    def folders(self) -> list[Path]:
        """The remembered folders; [] when none (or the list cannot be read)."""
        try:
            names = json.loads(self.folders_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(names, list):
            return []
        return [Path(name) for name in names if isinstance(name, str) and name]

    def remember(self, folder: Path) -> None:
        """Add ``folder`` to the list (written atomically, 0600); a list that
        cannot be written is logged and the export goes on."""
        folder = Path(os.path.abspath(folder))
        known = [f for f in self.folders() if f != folder] + [folder]
        data = json.dumps([str(f) for f in known[-MAX_FOLDERS:]], indent=1) + "\n"
        try:
            write_atomic(self.folders_file, data.encode("utf-8"))
        except OSError as exc:
            log.warning("The list of export folders could not be written (%s).", exc.strerror)

    @contextlib.contextmanager
    def exporting(self, folder: Path) -> Iterator[None]:
        """Around an export's write: the lock held (waiting for another export
        to finish), ``folder`` remembered, and every remembered folder swept."""
        with self._locked(wait=True) as held:
            self.remember(folder)
            if held:
                self._sweep_all(extra=folder)
            yield

    def sweep(self) -> int:
        """At start and purge: remove the leftovers in every remembered folder,
        unless an export is running now (then nothing). Returns how many went."""
        with self._locked(wait=False) as held:
            return self._sweep_all() if held else 0

    def _sweep_all(self, extra: Path | None = None) -> int:
        folders = self.folders()
        if extra is not None and extra not in folders:
            folders.append(extra)
        return sum(remove_leftovers(folder) for folder in folders)

    @contextlib.contextmanager
    def _locked(self, *, wait: bool) -> Iterator[bool]:
        """Yields whether the lock is held. A lock that cannot be made (a
        read-only data folder) is not held: the export goes on, unswept."""
        if sys.platform == "win32":
            yield False
            return
        try:
            fd = os.open(
                self.data_dir / LOCK_FILE,
                os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0),
                0o600,
            )
        except OSError:
            yield False
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except OSError:
                yield False  # another export is writing
                return
            yield True
        finally:
            os.close(fd)  # closing releases the lock


def remove_leftovers(folder: Path) -> int:
    """Remove every ``.kiosk-export-*.part``/``.parts`` in ``folder`` (never
    anything else, never through a link); the caller knows no export is
    writing. A folder that is not there (a drive unplugged) is skipped."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        if not LEFTOVER.match(entry.name):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError as exc:
            log.warning("A leftover export file %s could not be removed (%s).", entry.path, exc)
            continue
        removed += 1
    if removed:
        log.warning(
            "Removed %d file(s) an unfinished export left in %s (patients' details).",
            removed,
            folder,
        )
    return removed


__all__ = ["LEFTOVER", "ExportPlaces", "remove_leftovers"]
