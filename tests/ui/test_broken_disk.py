"""Issue 18 point 2: a data folder on a disk remounted read-only at start.

The kiosk starts (logging to standard error), shows every page and crisis
help, and the request form says plainly that requests cannot be taken now.
A real read-only tmpfs, a real kiosk process and a real window."""

from __future__ import annotations

import os
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
from tests.ui.kiosk_process import first_run, stop_at

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a POSIX mount")


def _first_run(data: Path) -> None:
    """The kiosk's own first run: keys, recovery code, database, log."""
    first_run(data)
    Paths.resolve(data).ensure()
    Paths.resolve(data).log_file.write_text("an older run\n", encoding="utf-8")


def test_the_kiosk_starts_on_a_read_only_data_folder(tmpfs: Path) -> None:
    data = tmpfs / "data"
    _first_run(data)
    remount(tmpfs, "ro")
    stopped = stop_at(data, "request form ready")
    log = stopped.before + stopped.after
    assert "Traceback" not in log
    assert "request form ready" in stopped.before, log
    assert "logging to standard error only" in log
    assert stopped.code == 0, log


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
