"""Issue 18 point 2: a data folder on a disk remounted read-only at start.

The kiosk starts (logging to standard error), shows every page and crisis
help, and the request form says plainly that requests cannot be taken now.
A real read-only tmpfs, a real kiosk process and a real window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.content import Library
from kiosk.enquiries.keys import KdfParams
from kiosk.enquiries.opener import StoreOpener
from kiosk.paths import Paths
from kiosk.ui.i18n import strings
from tests.conftest import MakeWindow
from tests.disks import remount

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="a POSIX mount")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _first_run(data: Path) -> None:
    """The kiosk's own first run: keys, recovery code, database, log."""
    opener = StoreOpener(Paths.resolve(data), kdf=KdfParams.fast_for_tests())
    assert opener.get() is not None
    opener.close()
    Paths.resolve(data).ensure()
    Paths.resolve(data).log_file.write_text("an older run\n", encoding="utf-8")


def test_the_kiosk_starts_on_a_read_only_data_folder(tmpfs: Path) -> None:
    data = tmpfs / "data"
    _first_run(data)
    remount(tmpfs, "ro")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if "request form ready" in line:
            break
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=20)
    finally:
        proc.kill()
        proc.stderr.close()
    log = "".join(lines)
    assert "Traceback" not in log
    assert "request form ready" in log, log
    assert "logging to standard error only" in log
    assert code == 0


def test_pages_crisis_help_and_a_plain_notice_on_a_read_only_disk(
    make_window: MakeWindow, shipped_library: Library, tmpfs: Path
) -> None:
    data = tmpfs / "data"
    _first_run(data)
    remount(tmpfs, "ro")
    opener = StoreOpener(Paths.resolve(data), kdf=KdfParams.fast_for_tests())
    window = make_window(open_store=opener.get)
    for topic in shipped_library.topics:
        for page in topic.pages:
            window.show_page(page.key)
            assert window.current_page == page and page.plain_text
    window.show_crisis()
    QApplication.processEvents()
    assert window.crisis.isVisible()
    window.crisis.hide()
    window.show_request()
    QApplication.processEvents()
    assert window.request.notice.isVisible()
    assert window.request.notice.text() == strings.REQUESTS_PAUSED
    # the disk comes back: the next patient is not told so
    remount(tmpfs, "rw")
    window.reset()
    window.show_request()
    assert not window.request.notice.isVisible()
    opener.close()
