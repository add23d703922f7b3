"""The removable drives that are plugged in and mounted: where an export can go.

Linux only (the kiosk's platform), read from the kernel's own lists: the
mount table (``/proc/self/mounts``) says what is mounted where, and
``/sys/block`` says which disks are removable. A drive is offered when its
disk is removable (``removable`` is 1, or the disk hangs off a USB bus: some
USB sticks and drives report 0; or it is an SD card), it is mounted read-write, and its
mount point answers ``statvfs``. Never offered: the disk that holds ``/``
(a kiosk booted from a stick must not export onto its own system), loop,
RAM and mapper devices, and anything not backed by a block device (tmpfs,
proc). Plain Python, no Qt, nothing is mounted or changed here.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("kiosk.enquiries.drives")

# Block devices that are never a drive someone plugged in.
_VIRTUAL = re.compile(r"^(loop|ram|zram|dm-|md|nbd|sr|fd)")

# A USB bus in a sysfs device path ("usb1", "usb2"...).
_USB_BUS = re.compile(r"usb\d+")

# The mount table writes space, tab, newline and backslash as octal escapes.
_ESCAPE = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True)
class Drive:
    """A mounted removable drive: a name to show, where it is, how much room it has."""

    label: str
    mount_point: Path
    free_bytes: int


@dataclass(frozen=True)
class _Mount:
    device: str
    mount_point: str
    fstype: str
    options: frozenset[str]


def free_bytes(mount_point: Path) -> int | None:
    """Bytes an unprivileged writer may still use there, or None if it cannot be asked."""
    try:
        stats = os.statvfs(mount_point)
    except (OSError, ValueError):
        return None
    return int(stats.f_bavail * stats.f_frsize)


def removable_drives(
    mounts: Path = Path("/proc/self/mounts"),
    sys_block: Path = Path("/sys/block"),
    *,
    free_space: Callable[[Path], int | None] = free_bytes,
) -> list[Drive]:
    """The removable drives mounted read-write now, by mount point.

    Never raises: a table that cannot be read gives ``[]`` (and a log line).
    ``free_space`` is asked for each candidate; None (the mount point is gone,
    or will not answer) leaves it out.
    """
    try:
        table = _read_mounts(mounts)
    except FileNotFoundError:
        return []  # not Linux: no drives offered, the export folder still works
    except OSError as exc:
        log.warning("The mount table %s could not be read (%s).", mounts, exc)
        return []
    disks = _Disks(sys_block)
    root_disk = next(
        (disks.disk_of(m.device) for m in table if m.mount_point == "/"),
        None,
    )
    drives: list[Drive] = []
    seen_devices: set[str] = set()
    for mount in table:
        if not mount.device.startswith("/dev/") or "ro" in mount.options:
            continue
        if mount.device in seen_devices or mount.mount_point == "/":
            continue  # a bind mount of a drive already listed
        disk = disks.disk_of(mount.device)
        if disk is None or disk == root_disk or not disks.removable(disk):
            continue
        point = Path(mount.mount_point)
        room = free_space(point)
        if room is None:
            continue
        seen_devices.add(mount.device)
        drives.append(Drive(label=point.name or str(point), mount_point=point, free_bytes=room))
    return sorted(drives, key=lambda d: str(d.mount_point))


def _unescape(field: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


def _read_mounts(path: Path) -> list[_Mount]:
    table: list[_Mount] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        table.append(
            _Mount(
                device=_unescape(fields[0]),
                mount_point=_unescape(fields[1]),
                fstype=fields[2],
                options=frozenset(fields[3].split(",")),
            )
        )
    return table


class _Disks:
    """Questions about ``/sys/block``: which disk a partition is on, whether it is removable."""

    def __init__(self, sys_block: Path) -> None:
        self.sys_block = sys_block
        try:
            self.names = sorted(entry.name for entry in os.scandir(sys_block))
        except OSError:
            self.names = []

    def disk_of(self, device: str) -> str | None:
        """The whole disk ``/dev/sdb1`` lives on ("sdb"), or None if not a real disk."""
        name = os.path.basename(device)
        if not name or _VIRTUAL.match(name):
            return None
        if name in self.names:
            return name
        for disk in self.names:
            if (self.sys_block / disk / name).is_dir():
                return disk
        return None

    def removable(self, disk: str) -> bool:
        try:
            flag = (self.sys_block / disk / "removable").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            flag = ""
        if flag == "1":
            return True
        # /sys/block/sdb links to ../devices/pci.../usb2/2-1/.../block/sdb.
        try:
            target = Path(os.path.realpath(self.sys_block / disk))
        except (OSError, ValueError):
            return False
        if any(_USB_BUS.fullmatch(part) for part in target.parts):
            return True
        # An SD card in a built-in reader is removable but says 0; eMMC says "MMC".
        try:
            kind = (self.sys_block / disk / "device" / "type").read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            return False
        return kind.strip() == "SD"
