"""Staff mode in the running kiosk: what ``app.build`` wires after the first
paint (page-view counts, the gesture), and a kiosk without its store or log."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.app import Kiosk, _start_staff_mode, _Stores
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.entry import HoldGesture
from kiosk.ui.staff.mode import StaffMode
from kiosk.ui.staff.tabs.log import LogTab
from kiosk.ui.staff.tabs.summary import SummaryTab
from tests.conftest import MakeWindow
from tests.ui.helpers import find_button, tap
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv


def test_page_views_are_counted_and_staff_mode_is_ready(
    make_window: MakeWindow, staff_env: StaffEnv, qapp: QApplication
) -> None:
    """Each page opened is counted (its key and the day, nothing else); the hold gesture is on."""
    window = make_window()
    stores = _Stores(staff_env.paths)
    kiosk = Kiosk(qapp, window, None, None, stores)  # type: ignore[arg-type]
    _start_staff_mode(kiosk, staff_env.paths)
    try:
        assert isinstance(kiosk.staff, StaffMode)
        assert isinstance(kiosk.staff.gesture, HoldGesture)
        pages = window.library.topics[0].pages
        window.show_page(pages[0].key)
        window.show_next()
        window.show_page(pages[0].key)
        window.show_home()
        assert kiosk.page_views is not None
        assert kiosk.page_views.totals() == [(pages[0].key, 2), (pages[1].key, 1)]
    finally:
        assert kiosk.staff is not None and kiosk.page_views is not None
        kiosk.staff.shutdown()
        kiosk.page_views.close()
        stores.close()


def test_a_kiosk_whose_store_cannot_open_says_so(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """No store (keys unreadable): the panel says so in words; export is not offered."""
    _window, mode = make_staff()
    mode._stores = lambda: None
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    panel = mode.panel
    assert panel is not None
    assert panel.enquiries.list.note.text() == s.STORE_UNAVAILABLE
    assert panel.enquiries.list.rows == []
    tap(qtbot, find_button(panel, s.TAB_EXPORT))
    assert not find_button(panel, s.EXPORT_START).isEnabled()
    tap(qtbot, find_button(panel, s.TAB_SUMMARY))
    summary = panel.tab("summary")
    assert isinstance(summary, SummaryTab)
    assert summary.weekly_note.text() == s.STORE_UNAVAILABLE


def test_an_audit_log_that_cannot_be_written_is_said_in_the_panel(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """The audit file cannot be written: staff see the sentence in the Log tab."""
    staff_env.paths.audit_file.mkdir()  # a folder where the file should be
    _window, mode = make_staff()
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    mode._audit("Ana", "sign-in")
    panel = mode.panel
    assert panel is not None
    tap(qtbot, find_button(panel, s.TAB_LOG))
    log_tab = panel.tab("log")
    assert isinstance(log_tab, LogTab)
    problem = log_tab.problem
    assert problem.isVisible()
    assert problem.accessibleName().startswith(f"The audit log {staff_env.paths.audit_file}")


def test_leaving_kiosk_mode_ends_the_app_with_the_status_systemd_leaves_alone(
    qapp: QApplication,
) -> None:
    """The units say RestartPreventExitStatus=75: the kiosk stays left."""
    from pathlib import Path

    from PySide6.QtCore import QTimer

    from kiosk.ui.staff import mode as staff_mode

    QTimer.singleShot(0, staff_mode._quit_app)
    assert qapp.exec() == staff_mode.LEFT_KIOSK_MODE == 75
    deploy = Path(__file__).resolve().parents[3] / "resources" / "deploy"
    for unit in ("clinic-kiosk.service", "clinic-kiosk-xorg.service"):
        assert "RestartPreventExitStatus=75" in (deploy / unit).read_text(encoding="utf-8")
