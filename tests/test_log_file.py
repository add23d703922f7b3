"""Issue 18 point 2: kiosk.log is 0600 like every other file in the data folder,
and a log file that cannot be written leaves logging on standard error."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.logging_setup import _PrivateRotatingFile, configure
from tests.disks import remount


def _kiosk_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, "_kiosk", False)]


def _unconfigure() -> None:
    """No kiosk handler left behind (one on a captured stderr would outlive it)."""
    for handler in _kiosk_handlers():
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_the_log_file_and_its_rotations_are_private(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "kiosk.log"
    try:
        configure(log_file)
        logging.getLogger("kiosk.test").warning("a line")
        assert log_file.stat().st_mode & 0o777 == 0o600
        for handler in _kiosk_handlers():
            if isinstance(handler, _PrivateRotatingFile):
                handler.roll_over()
        assert log_file.stat().st_mode & 0o777 == 0o600
        assert (tmp_path / "logs" / "kiosk.log.1").stat().st_mode & 0o777 == 0o600
    finally:
        _unconfigure()


def test_an_older_world_readable_log_is_tightened(tmp_path: Path) -> None:
    log_file = tmp_path / "kiosk.log"
    log_file.write_text("before\n", encoding="utf-8")
    log_file.chmod(0o644)
    try:
        configure(log_file)
        assert log_file.stat().st_mode & 0o777 == 0o600
    finally:
        _unconfigure()


def test_a_read_only_log_folder_logs_to_standard_error(
    tmpfs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmpfs / "logs").mkdir()
    remount(tmpfs, "ro")
    try:
        configure(tmpfs / "logs" / "kiosk.log")  # must not raise
        logging.getLogger("kiosk.test").warning("still said")
        assert len(_kiosk_handlers()) == 1
    finally:
        _unconfigure()
    err = capsys.readouterr().err
    assert "logging to standard error only" in err and "still said" in err


def test_the_log_rotates_by_size_keeping_so_many(tmp_path: Path) -> None:
    log_file = tmp_path / "kiosk.log"
    handler = _PrivateRotatingFile(log_file, max_bytes=100, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    try:
        for n in range(8):  # 40 characters a line: two lines a file
            handler.emit(logging.makeLogRecord({"msg": f"{n}" * 39}))
    finally:
        handler.close()
    assert log_file.read_text(encoding="utf-8") == "6" * 39 + "\n" + "7" * 39 + "\n"
    assert (tmp_path / "kiosk.log.1").read_text(encoding="utf-8").startswith("4" * 39)
    assert (tmp_path / "kiosk.log.2").read_text(encoding="utf-8").startswith("2" * 39)
    assert not (tmp_path / "kiosk.log.3").exists()  # the oldest went
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in tmp_path.iterdir())


def test_logging_brings_no_sockets() -> None:
    """logging.handlers (socket, pickle, queue: some 2 MiB) stays out of the kiosk's start."""
    code = (
        "import sys, kiosk.logging_setup;"
        "print(sorted({'logging.handlers', 'socket', 'pickle'} & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
