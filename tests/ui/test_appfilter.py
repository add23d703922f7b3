"""The kiosk's application-wide filters as one (kiosk/ui/appfilter.py): Qt's
order, an event taken ends it, a filter destroyed is forgotten; and the
first paint watched on every widget of the window's own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import SIGNAL, QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QEventPoint,
    QInputDevice,
    QInputEvent,
    QKeyEvent,
    QMouseEvent,
    QPointingDevice,
    QTouchEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.content import Library
from kiosk.ui import appfilter
from tests.conftest import MakeWindow


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


class Named(QObject):
    """Records the type of each event it is handed."""

    EVENTS = frozenset({QEvent.Type.KeyRelease})

    def __init__(self) -> None:
        super().__init__()
        self.kinds: list[QEvent.Type] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.kinds.append(event.type())
        return False


class Unnamed(Named):
    EVENTS = None  # type: ignore[assignment]  # as a filter without EVENTS


def _send(qtbot: QtBot, *kinds: QEvent.Type) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    for kind in kinds:
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                edit, QKeyEvent(kind, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
            )
        else:
            QApplication.sendEvent(edit, QEvent(kind))


def test_a_filter_is_handed_only_the_events_it_names(qtbot: QtBot, qapp: QApplication) -> None:
    """A page turn's paints, layouts and timers go to no filter that has not
    asked for them: each was a call into Python for nothing, 40 a turn."""
    named, every = Named(), Unnamed()
    appfilter.install(named)
    try:
        _send(qtbot, QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.User)
        assert named.kinds == [QEvent.Type.KeyRelease]
        appfilter.install(every)  # one filter without EVENTS: it is handed all
        named.kinds.clear()
        _send(qtbot, QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.User)
        assert named.kinds == [QEvent.Type.KeyRelease]
        assert {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.User} <= set(every.kinds)
        appfilter.remove(every)
        every.kinds.clear()
        _send(qtbot, QEvent.Type.User)
        assert every.kinds == []
    finally:
        appfilter.remove(named)
        appfilter.remove(every)


def test_every_filter_of_the_kiosk_names_its_events(qtbot: QtBot, make_window: MakeWindow) -> None:
    """Keyboard navigation, the idle clock, lockdown, the staff gesture, the
    keypad, touch exploration, the privacy screen and staff mode's lock: each
    names the events it acts on, so none is handed all of a page turn's."""
    from kiosk.ui.patient.audio import AudioMode
    from kiosk.ui.patient.keypad import install as install_keypad
    from kiosk.ui.staff.common import Inactivity
    from kiosk.ui.staff.entry import make_gesture

    window = make_window(lockdown=True)
    audio = install_keypad(window, AudioMode(window))
    staff_lock = Inactivity(1000, parent=window)
    staff_lock.start()
    gesture = make_gesture("corner-taps", window, window.bar, 1.0)
    audio.keypad.privacy.turn_on()
    try:
        installed = appfilter.installed()
        kinds = {type(watcher).__name__ for watcher in installed}
        assert {
            "KeyNavigation",
            "IdleMonitor",
            "LockdownFilter",
            "Keypad",
            "TouchExplorer",
            "PrivacyScreen",
            "Inactivity",
            "CornerTaps",
        } <= kinds
        unnamed = [w for w in installed if not isinstance(getattr(w, "EVENTS", None), frozenset)]
        assert unnamed == []
    finally:
        gesture.uninstall()
        audio.keypad.privacy.turn_off()
        staff_lock.stop()
        audio.uninstall()


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


# -- each filter acts on each event it names -------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _touch_device() -> QPointingDevice:
    return QPointingDevice(
        "test touch screen",
        1,
        QInputDevice.DeviceType.TouchScreen,
        QPointingDevice.PointerType.Finger,
        QInputDevice.Capability.Position,
        10,
        0,
    )


_TOUCH_STATE = {
    QEvent.Type.TouchBegin: QEventPoint.State.Pressed,
    QEvent.Type.TouchUpdate: QEventPoint.State.Updated,
    QEvent.Type.TouchEnd: QEventPoint.State.Released,
}


def _event(kind: QEvent.Type, at: QPointF, device: QPointingDevice) -> QEvent:
    """An event of ``kind`` at ``at`` (global), as input would bring it."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    plain = Qt.KeyboardModifier.NoModifier
    if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
        return QKeyEvent(kind, Qt.Key.Key_Escape, plain)
    if kind == QEvent.Type.Wheel:
        return QWheelEvent(
            at, at, QPoint(), QPoint(0, 120), none, plain, Qt.ScrollPhase.NoScrollPhase, False
        )
    if kind in _TOUCH_STATE:
        point = QEventPoint(1, _TOUCH_STATE[kind], at, at)
        return QTouchEvent(kind, device, plain, [point])
    button = none if kind == QEvent.Type.MouseMove else left
    buttons = none if kind == QEvent.Type.MouseButtonRelease else left  # a move: finger down
    return QMouseEvent(kind, at, at, button, buttons, plain)


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """A shown widget that takes touches, for events to go to."""
    widget = QWidget()
    widget.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
    widget.resize(200, 200)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


#: What a person does: each restarts an idle clock.
INPUT = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,  # with a button down: a finger dragging
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
)


@pytest.mark.parametrize("kind", ["IdleMonitor", "Inactivity"])
def test_each_input_the_idle_clocks_name_restarts_them(
    host: QWidget, qapp: QApplication, kind: str
) -> None:
    """The patients' idle clock and staff mode's lock: every kind of input
    restarts them (a type left out of their EVENTS would leave the clock
    running under a finger that scrolls or holds)."""
    from kiosk.ui.idle import IdleMonitor
    from kiosk.ui.staff.common import Inactivity

    clock = FakeClock()
    watcher = (
        IdleMonitor(60_000, 10, clock=clock)
        if kind == "IdleMonitor"
        else Inactivity(60_000, clock=clock)
    )
    watcher.start()
    device = _touch_device()
    try:
        for event_kind in INPUT:
            clock.now += 30
            # A touch goes to the window first, as a finger's does.
            target = host.windowHandle() if event_kind in _TOUCH_STATE else host
            QApplication.sendEvent(target, _event(event_kind, QPointF(5, 5), device))
            last = watcher._last_input if isinstance(watcher, IdleMonitor) else watcher._last
            assert last == clock.now, event_kind.name
    finally:
        watcher.stop()


def test_each_key_event_lockdown_names_is_stopped(host: QWidget, qapp: QApplication) -> None:
    """Escape as a key press and as a shortcut override: neither reaches a widget."""
    from kiosk.ui.lockdown import LockdownFilter

    lockdown = LockdownFilter()
    reached: list[QEvent.Type] = []

    class Spy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            reached.append(event.type())
            return False

    spy = Spy(host)
    host.installEventFilter(spy)  # runs after the application's filters
    appfilter.install(lockdown)
    try:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert kind in lockdown.EVENTS
            QApplication.sendEvent(host, _event(kind, QPointF(5, 5), _touch_device()))
        assert reached == []
    finally:
        appfilter.remove(lockdown)


@pytest.mark.parametrize("press", [QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin])
def test_a_press_or_a_touch_is_seen_by_the_staff_corner_and_keyboard_navigation(
    host: QWidget, qapp: QApplication, press: QEvent.Type
) -> None:
    """Five taps in the corner open staff mode, by mouse or by finger; either
    ends keyboard navigation's focus ring (``by_keyboard``)."""
    from kiosk.ui.keynav import KeyNavigation
    from kiosk.ui.staff.entry import CornerTaps

    clock = FakeClock()
    corner = CornerTaps(host, clock=clock, parent=host)
    nav = KeyNavigation(host, list)
    appfilter.install(nav)
    opened: list[int] = []
    corner.triggered.connect(lambda: opened.append(1))
    device = _touch_device()
    try:
        assert press in corner.EVENTS and press in nav.EVENTS
        at = QPointF(host.mapToGlobal(QPoint(3, 3)))
        for tap in range(5):
            nav.by_keyboard = True
            clock.now += 0.2
            event = _event(press, at, device)
            assert isinstance(event, QInputEvent)
            event.setTimestamp(tap + 1)  # one press each, not one passed on to a parent
            QApplication.sendEvent(host, event)
            assert nav.by_keyboard is False
        assert opened == [1]
    finally:
        corner.uninstall()
        appfilter.remove(nav)


class Other(Named):
    EVENTS = frozenset({QEvent.Type.User})


def test_the_gate_knows_every_event_its_filters_name(qtbot: QtBot, qapp: QApplication) -> None:
    """An event none of them names is turned back at its type: the gate keeps
    the union of their EVENTS as filters come, go and are destroyed; one
    without EVENTS makes it every event."""
    gate = appfilter._gate(create=True)
    assert gate is not None
    named, other, every = Named(), Other(), Unnamed()
    appfilter.install(named)
    appfilter.install(other)
    try:
        wanted = gate._wanted
        assert wanted is not None and {QEvent.Type.KeyRelease, QEvent.Type.User} <= wanted
        appfilter.install(every)
        assert gate._wanted is None
        appfilter.remove(every)
        assert gate._wanted is not None and QEvent.Type.User in gate._wanted
        other.deleteLater()
        qtbot.waitUntil(lambda: QEvent.Type.User not in (gate._wanted or {}), timeout=2000)
        assert gate._wanted is not None and QEvent.Type.KeyRelease in gate._wanted
    finally:
        appfilter.remove(named)
        appfilter.remove(every)


def test_a_filter_installed_again_is_connected_once(qapp: QApplication) -> None:
    """The privacy screen and staff mode's lock come and go: each install after
    a remove connected the filter's ``destroyed`` once more."""
    named = Named()
    appfilter.install(named)
    once = named.receivers(SIGNAL("destroyed(QObject*)"))
    for _ in range(5):
        appfilter.remove(named)
        appfilter.install(named)
    try:
        assert once >= 1
        assert named.receivers(SIGNAL("destroyed(QObject*)")) == once
    finally:
        appfilter.remove(named)
