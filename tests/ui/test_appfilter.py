"""The kiosk's application-wide filters as one (kiosk/ui/appfilter.py): Qt's
order, an event taken ends it, a filter destroyed is forgotten; and the
first paint watched on every widget of the window's own."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.content import Library
from kiosk.ui import appfilter


class Recorder(QObject):
    def __init__(self, name: str, seen: list[str], take: bool = False) -> None:
        super().__init__()
        self.name, self.seen, self.take = name, seen, take

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            self.seen.append(self.name)
            return self.take
        return False


def _press(qtbot: QtBot) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(edit, event)


def test_the_last_installed_sees_an_event_first_and_one_that_takes_it_ends_it(
    qtbot: QtBot, qapp: QApplication
) -> None:
    seen: list[str] = []
    first, second = Recorder("first", seen), Recorder("second", seen, take=True)
    appfilter.install(first)
    appfilter.install(second)
    try:
        # One filter on the application for both: one crossing into Python an event.
        gates = [child for child in qapp.children() if type(child).__name__ == "_Gate"]
        assert len(gates) == 1
        assert appfilter.installed()[:2] == [second, first]
        _press(qtbot)
        assert seen == ["second"]  # taken: the first never saw it
        second.take = False
        appfilter.install(first)  # again: to the front, once
        assert appfilter.installed()[:2] == [first, second]
        seen.clear()
        _press(qtbot)
        assert seen == ["first", "second"]
    finally:
        appfilter.remove(first)
        appfilter.remove(second)
    seen.clear()
    _press(qtbot)
    assert seen == []
    appfilter.remove(first)  # not installed: nothing


def test_a_filter_destroyed_is_forgotten(qtbot: QtBot, qapp: QApplication) -> None:
    """As Qt forgets a destroyed filter of its own: a window's idle clock and
    keyboard navigation go with the window, and no later event reaches them."""
    seen: list[str] = []
    gone, kept = Recorder("gone", seen), Recorder("kept", seen)
    appfilter.install(kept)
    appfilter.install(gone)
    try:
        gone.deleteLater()
        qtbot.waitUntil(lambda: gone not in appfilter.installed(), timeout=2000)
        _press(qtbot)
        assert seen == ["kept"]
    finally:
        appfilter.remove(kept)


def test_a_filter_is_not_kept_alive_by_being_installed(qtbot: QtBot, qapp: QApplication) -> None:
    """As with Qt's own list: a window's keyboard navigation (which holds the
    window) installed and the window let go, both go; the gate does not keep them."""
    import gc
    import weakref

    seen: list[str] = []
    dropped = Recorder("dropped", seen)
    gone = weakref.ref(dropped)
    appfilter.install(dropped)
    del dropped
    gc.collect()
    assert gone() is None
    _press(qtbot)
    assert seen == []
    assert all(w is not None for w in appfilter.installed())


def test_a_filter_removed_by_another_mid_event_sees_nothing_of_it(
    qtbot: QtBot, qapp: QApplication
) -> None:
    seen: list[str] = []
    later = Recorder("later", seen)

    class Remover(Recorder):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.KeyPress:
                appfilter.remove(later)
            return super().eventFilter(watched, event)

    remover = Remover("remover", seen)
    appfilter.install(later)
    appfilter.install(remover)
    try:
        _press(qtbot)
        assert seen == ["remover"]
    finally:
        appfilter.remove(remover)


def test_the_first_paint_is_watched_on_every_widget_of_the_windows_own(
    qtbot: QtBot, config: Config, shipped_library: Library
) -> None:
    """The bar among them: PySide's findChildren(QWidget, "") matched only the
    children with no object name, and the bar has one ("topBar")."""
    from kiosk.ui.app import _FirstPaint
    from kiosk.ui.window import KioskWindow

    window = KioskWindow(config, shipped_library, kiosk_mode=False)
    qtbot.addWidget(window, before_close_func=lambda w: w.idle.stop())
    watcher = _FirstPaint(window, lambda: None)
    own = [child for child in window.children() if child.isWidgetType()]
    assert window.bar in own and window.stack in own
    assert all(any(w is child for w in watcher._watched) for child in own)
