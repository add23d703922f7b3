"""Kiosk mode: the window cannot be closed by a patient; errors send it home, not down."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QPaintEvent,
)
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.content import Library
from kiosk.ui import appfilter
from kiosk.ui.app import Recovery
from tests.conftest import MakeWindow
from tests.ui.helpers import find_button, tap
from tests.ui.kiosk_process import run_script


def test_close_is_ignored_in_kiosk_mode(make_window: MakeWindow, qtbot: QtBot) -> None:
    """The window's close (the title bar's X, a window manager's Alt+F4) is refused."""
    window = make_window()
    event = QCloseEvent()
    QApplication.sendEvent(window, event)
    assert not event.isAccepted()
    assert window.close() is False
    assert window.isVisible()


CLOSING_KEYS = [
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
]


@pytest.mark.parametrize(("key", "modifier"), CLOSING_KEYS)
def test_closing_keys_never_reach_a_widget(
    make_window: MakeWindow,
    qtbot: QtBot,
    shipped_library: Library,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier,
) -> None:
    """Alt+F4, Escape, Ctrl+W and Ctrl+Q are eaten before any widget sees them;
    an ordinary key still gets through (the control)."""
    from PySide6.QtCore import QEvent, QObject

    window = make_window(lockdown=True)
    page = shipped_library.topics[0].pages[1]
    window.show_page(page.key)
    seen: list[int] = []

    class Spy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            # QTest presses the modifier keys themselves first; those may pass.
            modifiers = (Qt.Key.Key_Alt, Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Meta)
            if (
                event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() not in modifiers
            ):
                seen.append(event.key())
            return False

    spy = Spy()
    window.page.body.installEventFilter(spy)
    qtbot.keyClick(window.page.body, key, modifier)
    qtbot.keyClick(window.page.body, Qt.Key.Key_A)
    window.page.body.removeEventFilter(spy)
    assert seen == [Qt.Key.Key_A]
    assert window.isVisible()
    assert window.current_screen == f"page:{page.key}"


@pytest.mark.parametrize(("key", "modifier"), CLOSING_KEYS)
def test_kiosk_window_ignores_closing_keys_itself(
    make_window: MakeWindow, qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    """Without the app-wide filter too, the window's own handler swallows them."""
    from PySide6.QtGui import QKeyEvent

    window = make_window()
    event = QKeyEvent(QKeyEvent.Type.KeyPress, key, modifier)
    window.keyPressEvent(event)
    assert event.isAccepted()
    assert window.isVisible()


def test_windowed_mode_closes(make_window: MakeWindow, qtbot: QtBot) -> None:
    """--windowed gives developers a window that closes normally."""
    window = make_window(kiosk_mode=False)
    assert window.close() is True
    assert not window.isVisible()


def _menu_shown_on_long_press(qtbot: QtBot, field: QLineEdit) -> bool:
    """Send a context-menu event to ``field``; say whether a popup menu appeared."""
    shown: list[object] = []

    def look() -> None:
        menu = QApplication.activePopupWidget()
        shown.append(menu)
        if menu is not None:
            menu.close()  # QLineEdit's menu runs modally: end it

    QTimer.singleShot(50, look)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, QPoint(5, 5), field.mapToGlobal(QPoint(5, 5))
    )
    QApplication.sendEvent(field, event)
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    return shown[0] is not None


@pytest.mark.parametrize("lockdown", [True, False])
def test_context_menu_never_opens(make_window: MakeWindow, qtbot: QtBot, lockdown: bool) -> None:
    """A long press opens no menu, even on a text field; without lockdown it would."""
    window = make_window(lockdown=lockdown)
    field = QLineEdit(window)  # the request form (next issue) will have fields like this
    field.show()
    assert _menu_shown_on_long_press(qtbot, field) is (not lockdown)


@pytest.mark.parametrize("lockdown", [True, False])
def test_drag_and_drop_is_refused(make_window: MakeWindow, qtbot: QtBot, lockdown: bool) -> None:
    """Nothing dropped on the kiosk lands in it; without lockdown a text field would take it."""
    window = make_window(lockdown=lockdown)
    field = QLineEdit(window)
    field.show()
    mime = QMimeData()
    mime.setText("dropped text")
    at = QPointF(5, 5)
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:
        enter = QDragEnterEvent(at, *args)  # type: ignore[call-overload]  # Qt 6.12 and later
    except TypeError:
        enter = QDragEnterEvent(at.toPoint(), *args)  # before 6.12: QPoint only
    QApplication.sendEvent(field, enter)
    QApplication.sendEvent(field, QDropEvent(at, *args))
    assert (field.text() == "dropped text") is (not lockdown)


@pytest.mark.qt_no_exception_capture
def test_error_in_a_slot_goes_home_with_an_apology(
    make_window: MakeWindow,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    shipped_library: Library,
) -> None:
    """An exception in any slot is logged; the kiosk goes home and says sorry, and lives on."""
    window = make_window()
    monkeypatch.setattr(sys, "excepthook", Recovery(window))
    window.show_page(shipped_library.topics[0].pages[3].key)

    def broken() -> None:
        raise RuntimeError("a bug in a slot")

    window.page.next_button.clicked.connect(broken)
    with caplog.at_level(logging.ERROR, logger="kiosk"):
        tap(qtbot, find_button(window, "Next"))
    qtbot.waitUntil(lambda: window.current_screen == "home", timeout=2000)
    assert window.notice.isVisible()
    assert "Sorry" in window.notice.text()
    assert any("a bug in a slot" in r.getMessage() for r in caplog.records)
    # Still working: a tap still turns pages.
    window.page.next_button.clicked.disconnect(broken)
    tap(qtbot, find_button(window, shipped_library.topics[0].pages[0].title))
    assert window.current_screen.startswith("page:")


@pytest.mark.qt_no_exception_capture
def test_error_in_an_event_handler_recovers_too(
    make_window: MakeWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, shipped_library: Library
) -> None:
    """The same for an exception raised inside a Qt event handler override."""
    window = make_window()
    monkeypatch.setattr(sys, "excepthook", Recovery(window))
    window.show_page(shipped_library.topics[0].pages[3].key)

    def broken_paint(event: QPaintEvent) -> None:
        raise ValueError("paint failed")

    monkeypatch.setattr(window.page.dots, "paintEvent", broken_paint)
    window.page.dots.update()  # painted by the event loop, as in the running kiosk
    qtbot.waitUntil(lambda: window.current_screen == "home", timeout=2000)
    assert window.notice.isVisible()


def test_kiosk_mode_is_frameless_and_covers_the_screen(
    qtbot: QtBot, qapp: QApplication, config: Config, shipped_library: Library
) -> None:
    """start() in kiosk mode: frameless, fullscreen, the screen's whole geometry."""
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(config, shipped_library, kiosk_mode=True)

    def release(w: KioskWindow) -> None:
        w.kiosk_mode = False
        w.idle.stop()

    qtbot.addWidget(window, before_close_func=release)
    window.start()
    qtbot.waitExposed(window)
    screen = window.screen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.isFullScreen()
    assert window.geometry() == screen.geometry()


@pytest.mark.qt_no_exception_capture
def test_errors_go_to_the_log_file_in_the_data_folder(
    make_window: MakeWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, data_tmpdir: Path
) -> None:
    """The traceback of an unexpected error lands in DATA_DIR/logs/kiosk.log."""
    from kiosk.logging_setup import configure
    from kiosk.paths import Paths

    paths = Paths.resolve()
    assert paths.data_dir == data_tmpdir.resolve()
    configure(paths.log_file)
    try:
        window = make_window()
        monkeypatch.setattr(sys, "excepthook", Recovery(window))

        def broken() -> None:
            raise KeyError("unique-marker-41")

        window.home.request_button.clicked.connect(broken)
        tap(qtbot, window.home.request_button)
        qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=2000)
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = paths.log_file.read_text(encoding="utf-8")
        assert "unique-marker-41" in text
        assert "Traceback" in text
    finally:
        configure(None)


def test_app_filters_step_aside_while_parts_are_built_then_come_back_in_order(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """What app.build does around the building after the first paint: the
    application-wide filters see none of its events, and afterwards see input
    again in the order they were installed (the last installed, first)."""
    from kiosk.ui.app import _filters_off

    window = make_window()
    assert window.idle in window.input_filters  # the window's own, to step aside too
    seen: list[str] = []

    class Recorder(QObject):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.KeyPress:
                seen.append(self.name)
            return False

    first, second = Recorder("first"), Recorder("second")
    appfilter.install(first)
    appfilter.install(second)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    try:
        with _filters_off([first, second]):
            QApplication.sendEvent(edit, _key(Qt.Key.Key_A))
            assert seen == []
        QApplication.sendEvent(edit, _key(Qt.Key.Key_B))
        assert seen == ["second", "first"]
    finally:
        appfilter.remove(first)
        appfilter.remove(second)


def _key(key: Qt.Key) -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)


RUNNING_KIOSK = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication
from kiosk.paths import Paths
from kiosk.ui.app import build

kiosk = build(Paths.resolve(Path(sys.argv[1])))
window = kiosk.window
reached = []

class Reached(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.KeyPress:
            reached.append(event.key())
        return False

def check():
    if window._request is None:  # the first paint's follow-up is not done yet
        QTimer.singleShot(50, check)
        return
    edit = window.request.name_edit
    spy = Reached(edit)
    edit.installEventFilter(spy)  # runs after the application's filters
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_A):
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(edit, event)
    time.sleep(0.3)
    button = window.home.request_button
    press = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(5, 5), QPointF(5, 5),
        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(button, press)
    print(reached == [Qt.Key.Key_A], window.idle.untouched_s() < 0.2)
    kiosk.app.exit(0)

QTimer.singleShot(0, check)
kiosk.app.exec()
"""


def test_the_running_kiosk_filters_input_after_the_first_paints_building(tmp_path: Path) -> None:
    """app.build steps the application-wide filters aside while it builds the
    form and the rest after the first paint, and puts them back: then Escape
    never reaches a field, and a press restarts the idle clock."""
    assert run_script(RUNNING_KIOSK, tmp_path / "data").split() == ["True", "True"]


def test_the_window_listens_for_input_only_once_told(
    qtbot: QtBot, qapp: QApplication, config: Config, shipped_library: Library
) -> None:
    """app.build starts the window with ``listen=False`` and calls ``listen()``
    after the first paint: until then no application-wide filter of the
    window's is on (a tap does not reach the idle clock); then both are, once."""
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(config, shipped_library, kiosk_mode=False)
    qtbot.addWidget(window, before_close_func=lambda w: w.idle.stop())
    window.start(listen=False)
    qtbot.waitExposed(window)
    assert window.input_filters == []
    qtbot.wait(50)
    before = window.idle.untouched_s()
    qtbot.mouseClick(window.bar, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert window.idle.untouched_s() >= before  # the tap went unseen
    window.listen()
    window.listen()  # a second call adds nothing
    assert window.input_filters == [window._keys, window.idle]
    qtbot.wait(50)
    before = window.idle.untouched_s()
    qtbot.mouseClick(window.bar, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert window.idle.untouched_s() < before  # the clock restarted at the tap


def test_the_first_paint_is_seen_once_on_the_window_not_the_application(
    qtbot: QtBot, qapp: QApplication, config: Config, shipped_library: Library
) -> None:
    """``_FirstPaint`` runs its work once, after the window's first frame, and
    leaves no filter behind: later paints run nothing."""
    from kiosk.ui.app import _FirstPaint
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(config, shipped_library, kiosk_mode=False)
    qtbot.addWidget(window, before_close_func=lambda w: w.idle.stop())
    ran: list[bool] = []
    _FirstPaint(window, lambda: ran.append(window.isVisible()))
    window.start()
    qtbot.waitUntil(lambda: bool(ran), timeout=3000)
    assert ran == [True]
    for _ in range(3):
        window.repaint()
        window.home.repaint()
        qtbot.wait(10)
    assert ran == [True]


def test_the_work_after_the_first_paint_never_waits_on_a_paint(
    qtbot: QtBot, qapp: QApplication, config: Config, shipped_library: Library
) -> None:
    """A window never painted (a screen that is off): the input filters,
    lockdown among them, and the store come all the same, ``wait_ms`` later."""
    from kiosk.ui.app import _FirstPaint
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(config, shipped_library, kiosk_mode=False)
    qtbot.addWidget(window)
    ran: list[bool] = []
    _FirstPaint(window, lambda: ran.append(window.isVisible()), wait_ms=50)
    qtbot.waitUntil(lambda: bool(ran), timeout=3000)
    assert ran == [False]  # never shown, never painted: run by the wait
    qtbot.wait(100)
    assert ran == [False]
