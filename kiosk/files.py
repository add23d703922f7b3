"""Small file-system helpers the core shares: durable renames, file-name stamps."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path


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
