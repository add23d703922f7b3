"""The hidden ways in: holding the clinic's name, five taps in the corner."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.ui.staff.entry import CornerTaps, HoldGesture
from kiosk.ui.staff.pinpad import PinPad
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow
from tests.ui.helpers import tap
from tests.ui.staff.conftest import FakeClock, MakeStaff

LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier


def _pads(window: KioskWindow) -> list[PinPad]:
    return [p for p in window.findChildren(PinPad) if p.isVisible()]


def test_holding_the_clinic_name_opens_the_pin_pad(make_staff: MakeStaff, qtbot: QtBot) -> None:
    """A press held on the name for staff_hold_seconds opens the PIN pad, over everything."""
    window, mode = make_staff()
    name = window.clinic_name
    QTest.mousePress(name, LEFT, NO_MOD, name.rect().center())
    qtbot.waitUntil(lambda: mode.pad is not None, timeout=3000)
    QTest.mouseRelease(name, LEFT, NO_MOD, name.rect().center())
    pad = mode.pad
    assert pad is not None and pad.isVisible()
    assert pad.geometry() == window.rect()  # the top bar is covered too
    assert _pads(window) == [pad]


def test_a_short_press_or_a_tap_on_the_name_does_nothing(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Lifting the finger before the time is up cancels the hold."""
    window = make_window()
    gesture = HoldGesture(window.clinic_name, 60, parent=window)
    fired: list[bool] = []
    gesture.triggered.connect(lambda: fired.append(True))
    name = window.clinic_name
    QTest.mousePress(name, LEFT, NO_MOD, name.rect().center())
    assert gesture.holding
    QTest.mouseRelease(name, LEFT, NO_MOD, name.rect().center(), 30)
    assert not gesture.holding
    tap(qtbot, name)
    qtbot.wait(150)  # longer than the hold time: nothing is pending
    assert fired == []
    assert not _pads(window)
    gesture.uninstall()


def test_a_finger_that_moves_cancels_the_hold(qtbot: QtBot, make_window: MakeWindow) -> None:
    """Moving more than 20 px (a scroll, a swipe) is not a hold."""
    window = make_window()
    gesture = HoldGesture(window.clinic_name, 50, parent=window)
    fired: list[bool] = []
    gesture.triggered.connect(lambda: fired.append(True))
    name = window.clinic_name
    start = name.rect().center()
    QTest.mousePress(name, LEFT, NO_MOD, start)
    QTest.mouseMove(name, start + QPoint(10, 0))
    assert gesture.holding  # a finger is never quite still
    QTest.mouseMove(name, start + QPoint(30, 0))
    assert not gesture.holding
    qtbot.wait(120)
    QTest.mouseRelease(name, LEFT, NO_MOD, start + QPoint(30, 0))
    assert fired == []
    gesture.uninstall()


def test_a_touch_held_on_the_name_opens_the_pad_and_a_lifted_one_does_not(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Touch events (not only mouse events made from them) drive the hold."""
    window = make_window()
    gesture = HoldGesture(window.clinic_name, 60, parent=window)
    fired: list[bool] = []
    gesture.triggered.connect(lambda: fired.append(True))
    name = window.clinic_name
    device = QTest.createTouchDevice()
    point = name.rect().center()
    QTest.touchEvent(name, device).press(0, point, name).commit()
    QTest.touchEvent(name, device).release(0, point, name).commit()
    qtbot.wait(120)
    assert fired == []
    QTest.touchEvent(name, device).press(0, point, name).commit()
    qtbot.waitUntil(lambda: fired == [True], timeout=2000)
    QTest.touchEvent(name, device).release(0, point, name).commit()
    QTest.touchEvent(name, device).press(0, point, name).commit()
    QTest.touchEvent(name, device).move(0, point + QPoint(40, 0), name).commit()
    qtbot.wait(120)
    QTest.touchEvent(name, device).release(0, point + QPoint(40, 0), name).commit()
    assert fired == [True]  # the moving touch did not count
    gesture.uninstall()


def _corner_tap(window: KioskWindow, x: int = 20, y: int = 20) -> None:
    target = window.childAt(QPoint(x, y)) or window
    QTest.mouseClick(target, LEFT, NO_MOD, target.mapFrom(window, QPoint(x, y)))


def test_five_corner_taps_open_the_pad_four_do_not(
    make_staff: MakeStaff, staff_config: Config, qtbot: QtBot
) -> None:
    """With the corner-taps gesture: five taps in the top-left 96 px open the pad."""
    window, mode = make_staff(cfg=replace(staff_config, staff_gesture="corner-taps"))
    assert isinstance(mode.gesture, CornerTaps)
    for _ in range(4):
        _corner_tap(window)
    QApplication.processEvents()
    assert mode.pad is None
    _corner_tap(window)
    qtbot.waitUntil(lambda: mode.pad is not None, timeout=1000)
    # Holding the name does nothing with this gesture.
    assert window.clinic_name.testAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents) is False


def test_corner_taps_must_be_quick_and_in_the_corner(make_window: MakeWindow, qtbot: QtBot) -> None:
    """Taps spread over more than 3 s, or broken by a tap elsewhere, start again."""
    window = make_window()
    clock = FakeClock()
    gesture = CornerTaps(window, clock=clock, parent=window)
    fired: list[bool] = []
    gesture.triggered.connect(lambda: fired.append(True))
    for _ in range(4):
        _corner_tap(window)
        clock.advance(1.0)  # five taps over 4 s: too slow
    _corner_tap(window)
    assert fired == []
    clock.advance(10)
    for _ in range(4):
        _corner_tap(window)
    _corner_tap(window, 400, 400)  # elsewhere: the series is broken
    _corner_tap(window)
    assert fired == []
    for _ in range(4):
        _corner_tap(window)
    assert fired == [True]
    gesture.uninstall()


def test_nothing_on_screen_changes_while_the_name_is_held(
    make_staff: MakeStaff, qtbot: QtBot
) -> None:
    """No hint for patients: the name looks the same pressed as not."""
    window, mode = make_staff()
    name = window.clinic_name
    before = name.grab().toImage()
    QTest.mousePress(name, LEFT, NO_MOD, name.rect().center())
    QApplication.processEvents()
    during = name.grab().toImage()
    QTest.mouseRelease(name, LEFT, NO_MOD, name.rect().center())
    assert before == during
    assert mode.pad is None
