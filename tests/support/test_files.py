"""The core's file helpers (kiosk.support.files) on real files."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from kiosk.support.files import TargetExistsError, create_private, write_atomic


@pytest.fixture
def umask() -> Iterator[None]:
    """Whatever a test sets, the umask is put back."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077, 0o277])
def test_create_private_is_exactly_0600_whatever_the_umask(
    tmp_path: Path, umask: None, mask: int
) -> None:
    os.umask(mask)
    fd = create_private(tmp_path / "f")
    try:
        assert stat.S_IMODE(os.fstat(fd).st_mode) == 0o600
        os.write(fd, b"x")  # open for writing
    finally:
        os.close(fd)
    assert (tmp_path / "f").read_bytes() == b"x"


def test_create_private_refuses_anything_already_there(tmp_path: Path) -> None:
    """A file is left as it was; a dangling link is not followed to make its target."""
    there = tmp_path / "there"
    there.write_bytes(b"kept")
    with pytest.raises(FileExistsError):
        create_private(there)
    assert there.read_bytes() == b"kept"
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "target")
    with pytest.raises(FileExistsError):
        create_private(link)
    assert not (tmp_path / "target").exists()


def test_create_private_is_closed_on_exec(tmp_path: Path) -> None:
    """A program the kiosk starts (a browser, a helper) never inherits the descriptor."""
    fd = create_private(tmp_path / "f")
    try:
        assert fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC
        assert not os.get_inheritable(fd)
    finally:
        os.close(fd)


def test_write_atomic_replaces_with_bytes_and_is_private(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b"old")
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_write_atomic_streams_through_a_writer_into_the_temp_name_given(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    temp = tmp_path / ".mine.part"
    seen: list[bool] = []

    def write(file: BinaryIO) -> None:
        seen.append(temp.exists() and not path.exists())
        for n in range(3):
            file.write(f"row {n}\n".encode())

    write_atomic(path, write, temp=temp)
    assert seen == [True]
    assert path.read_text() == "row 0\nrow 1\nrow 2\n"
    assert not temp.exists()


def test_a_failing_writer_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"old")

    def write(file: BinaryIO) -> None:
        file.write(b"half")
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        write_atomic(path, write)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-links"])
def test_write_atomic_without_replace_never_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    """``replace=False`` puts a new file in place, and refuses one that is there, leaving
    it as it was and no temporary file (a FAT stick has no hard links: checked, then renamed)."""
    if not links:

        def no_links(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EPERM, os.strerror(errno.EPERM))

        monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "x.csv"
    write_atomic(path, b"first", replace=False)
    assert path.read_bytes() == b"first"
    with pytest.raises(TargetExistsError):
        write_atomic(path, b"second", replace=False)
    assert path.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_a_failing_folder_sync_raises_with_the_new_file_in_place(tmp_path: Path) -> None:
    """The rename is the commit: after it the file is the new one even if the sync fails."""
    path = tmp_path / "f"
    path.write_bytes(b"old")

    def refuse(folder: Path) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    with pytest.raises(OSError):
        write_atomic(path, b"new", sync_folder=refuse)
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["f"]
