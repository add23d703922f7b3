"""Finding removable drives in a made-up mount table and /sys/block tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.enquiries.drives import Drive, free_bytes, removable_drives

ROOT_MOUNTS = [
    "/dev/vda1 / ext4 rw,relatime 0 0",
    "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
    "tmpfs /run tmpfs rw,nosuid,nodev,size=1634196k,mode=755 0 0",
    "tmpfs /media/ram tmpfs rw,relatime 0 0",
    "/dev/loop0 /snap/core22/1380 squashfs ro,nodev,relatime 0 0",
    "/dev/loop1 /media/image vfat rw,relatime 0 0",
    "/dev/vda15 /boot/efi vfat rw,relatime,fmask=0077 0 0",
]


class FakeSystem:
    """A /proc/self/mounts file and a /sys/block tree under tmp_path."""

    def __init__(self, root: Path) -> None:
        self.mounts = root / "mounts"
        self.sys_block = root / "sys" / "block"
        self.devices = root / "sys" / "devices"
        self.sys_block.mkdir(parents=True)
        self.lines = list(ROOT_MOUNTS)
        self.disk("vda", removable="0", partitions=("vda1", "vda15"))
        for n in range(2):
            self.disk(f"loop{n}", removable="0")

    def disk(
        self,
        name: str,
        *,
        removable: str | None,
        partitions: tuple[str, ...] = (),
        usb: bool = False,
        kind: str | None = None,
    ) -> None:
        """A disk: a real folder, or (``usb``) a symlink into a USB device path, as sysfs has."""
        if usb:
            target = self.devices / "pci0000:00" / "0000:00:14.0" / "usb2" / "2-1" / "block" / name
            target.mkdir(parents=True)
            (self.sys_block / name).symlink_to(target)
        else:
            (self.sys_block / name).mkdir()
        folder = self.sys_block / name
        if removable is not None:
            (folder / "removable").write_text(f"{removable}\n")
        for partition in partitions:
            (folder / partition).mkdir()
            (folder / partition / "partition").write_text("1\n")
        if kind is not None:
            (folder / "device").mkdir()
            (folder / "device" / "type").write_text(f"{kind}\n")

    def mount(self, line: str) -> None:
        self.lines.append(line)

    def drives(self, room: int | None = 10_000_000) -> list[Drive]:
        self.mounts.write_text("\n".join(self.lines) + "\n")
        return removable_drives(self.mounts, self.sys_block, free_space=lambda _point: room)


@pytest.fixture
def system(tmp_path: Path) -> FakeSystem:
    return FakeSystem(tmp_path)


def test_a_usb_stick_is_found(system: FakeSystem) -> None:
    """/dev/sdb1 on /media/usb, its disk removable: one drive, named by its mount point."""
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount("/dev/sdb1 /media/usb vfat rw,nosuid,nodev,relatime,uid=1000 0 0")
    assert system.drives() == [Drive("usb", Path("/media/usb"), 10_000_000)]


def test_nothing_plugged_in(system: FakeSystem) -> None:
    """The root disk, tmpfs, proc, loop devices and the EFI partition are never drives."""
    assert system.drives() == []


def test_a_removable_device_that_is_not_mounted_is_not_offered(system: FakeSystem) -> None:
    """Plugged in but not mounted: nowhere to write, so not listed."""
    system.disk("sdc", removable="1", partitions=("sdc1",))
    assert system.drives() == []


@pytest.mark.parametrize(
    ("line", "mount_point", "label"),
    [
        (
            "/dev/sdb1 /media/kiosk/CLINIC\\040USB vfat rw,relatime 0 0",
            "/media/kiosk/CLINIC USB",
            "CLINIC USB",
        ),
        (
            "/dev/sdb1 /run/media/staff/1A2B-3C4D exfat rw,relatime 0 0",
            "/run/media/staff/1A2B-3C4D",
            "1A2B-3C4D",
        ),
        ("/dev/sdb1 /media/stick ntfs3 rw,relatime 0 0", "/media/stick", "stick"),
        ("/dev/sdb /mnt/whole-disk ext4 rw,relatime 0 0", "/mnt/whole-disk", "whole-disk"),
    ],
)
def test_vfat_exfat_and_others_where_desktops_mount_them(
    system: FakeSystem, line: str, mount_point: str, label: str
) -> None:
    """/media/USER/LABEL and /run/media/USER/LABEL (escaped spaces decoded), a whole disk too."""
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount(line)
    assert system.drives() == [Drive(label, Path(mount_point), 10_000_000)]


def test_a_usb_disk_that_says_it_is_not_removable_is_found(system: FakeSystem) -> None:
    """Some USB sticks and drives report removable=0; on the USB bus they are still drives."""
    system.disk("sdb", removable="0", partitions=("sdb1",), usb=True)
    system.mount("/dev/sdb1 /media/backup exfat rw,relatime 0 0")
    assert [d.mount_point for d in system.drives()] == [Path("/media/backup")]


def test_an_sd_card_is_found_but_not_emmc(system: FakeSystem) -> None:
    """An SD card in a built-in reader says removable=0 and type SD; eMMC says MMC."""
    system.disk("mmcblk0", removable="0", partitions=("mmcblk0p1",), kind="SD")
    system.disk("mmcblk1", removable="0", partitions=("mmcblk1p1",), kind="MMC")
    system.mount("/dev/mmcblk0p1 /media/sdcard vfat rw 0 0")
    system.mount("/dev/mmcblk1p1 /data ext4 rw 0 0")
    assert [d.label for d in system.drives()] == ["sdcard"]


def test_a_read_only_stick_is_not_offered(system: FakeSystem) -> None:
    """Mounted read-only (write-protect switch): an export there could only fail."""
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount("/dev/sdb1 /media/usb vfat ro,relatime 0 0")
    assert system.drives() == []


def test_the_disk_the_kiosk_runs_from_is_never_offered(system: FakeSystem) -> None:
    """A kiosk booted from a stick: that stick's other partitions are not export targets."""
    system.lines = [line for line in system.lines if not line.startswith("/dev/vda1 ")]
    system.disk("sda", removable="1", partitions=("sda1", "sda2"))
    system.mount("/dev/sda2 / ext4 rw 0 0")
    system.mount("/dev/sda1 /media/boot vfat rw 0 0")
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount("/dev/sdb1 /media/usb vfat rw 0 0")
    assert [d.label for d in system.drives()] == ["usb"]


def test_a_bind_mount_is_listed_once(system: FakeSystem) -> None:
    """The same device mounted twice is one drive, at its first mount point."""
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount("/dev/sdb1 /media/usb vfat rw 0 0")
    system.mount("/dev/sdb1 /srv/usb-again vfat rw 0 0")
    assert [d.mount_point for d in system.drives()] == [Path("/media/usb")]


def test_several_drives_sorted_by_mount_point(system: FakeSystem) -> None:
    """Two sticks: both, in a stable order."""
    system.disk("sdc", removable="1", partitions=("sdc1",))
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount("/dev/sdc1 /media/zeta vfat rw 0 0")
    system.mount("/dev/sdb1 /media/alpha vfat rw 0 0")
    assert [d.label for d in system.drives()] == ["alpha", "zeta"]


def test_a_mount_point_that_does_not_answer_is_left_out(system: FakeSystem) -> None:
    """Pulled out between the table and statvfs: not offered."""
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount("/dev/sdb1 /media/usb vfat rw 0 0")
    assert system.drives(room=None) == []


def test_free_space_is_asked_of_the_real_mount_point(system: FakeSystem, tmp_path: Path) -> None:
    """Without a stand-in, free bytes come from statvfs of the mount point."""
    point = tmp_path / "media" / "usb"
    point.mkdir(parents=True)
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount(f"/dev/sdb1 {point} vfat rw 0 0")
    system.mounts.write_text("\n".join(system.lines) + "\n")
    (drive,) = removable_drives(system.mounts, system.sys_block)
    stats = os.statvfs(point)
    assert drive.mount_point == point
    assert abs(drive.free_bytes - stats.f_bavail * stats.f_frsize) < 64 * 1024 * 1024
    assert free_bytes(tmp_path / "no-such-folder") is None


def test_an_unreadable_table_gives_no_drives(tmp_path: Path) -> None:
    """No mount table (not Linux, or no /proc): an empty list, not an exception."""
    assert removable_drives(tmp_path / "no-mounts", tmp_path / "no-sys") == []


def test_garbage_lines_are_skipped(system: FakeSystem) -> None:
    """Short or odd lines in the table do not hide the drives after them."""
    system.lines += ["", "nonsense", "/dev/sdb1"]
    system.disk("sdb", removable="1", partitions=("sdb1",))
    system.mount("/dev/sdb1 /media/usb vfat rw 0 0")
    assert [d.label for d in system.drives()] == ["usb"]


def test_the_real_system_answers() -> None:
    """On this machine: a list (maybe empty), never an exception, never the root folder."""
    drives = removable_drives()
    assert all(d.mount_point != Path("/") for d in drives)
