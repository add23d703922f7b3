"""What the keypad and touch-exploration tests share: a voice that writes down
what it is asked, and the keypad's filters put on a real window and taken off after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.patient.explore import TouchExplorer
from kiosk.ui.patient.keypad import Keypad
from kiosk.ui.window import KioskWindow

PAD = Qt.KeyboardModifier.KeypadModifier


class RecordingVoice:
    """A ``Voice`` that speaks nothing: it keeps what it was asked to say and do."""

    def __init__(self, *, active: bool = True) -> None:
        self.active = active
        self.said: list[str] = []
        self.calls: list[str] = []

    def say(self, text: str) -> None:
        if self.active:
            self.said.append(text)

    def describe(self, widget: QWidget) -> str:
        return widget.accessibleName()

    def _call(self, name: str) -> None:
        self.calls.append(name)

    def stop(self) -> None:
        self._call("stop")

    def repeat(self) -> None:
        self._call("repeat")

    def faster(self) -> None:
        self._call("faster")

    def slower(self) -> None:
        self._call("slower")

    def louder(self) -> None:
        self._call("louder")

    def quieter(self) -> None:
        self._call("quieter")


@contextmanager
def keypad_on(window: KioskWindow, voice: RecordingVoice) -> Iterator[tuple[Keypad, TouchExplorer]]:
    """The keypad and touch exploration on ``window``, installed as app.build
    does (after the window's own filters), removed after."""
    keypad = Keypad(window, voice, cover=window.stack, activity=window.idle.touch)
    explorer = TouchExplorer(window, voice, activity=window.idle.touch)
    window.was_reset.connect(keypad.reset)
    app = QApplication.instance()
    assert app is not None
    filters: list[QObject] = [keypad, explorer]
    for each in filters:
        app.installEventFilter(each)
    try:
        yield keypad, explorer
    finally:
        for each in filters:
            app.removeEventFilter(each)
        keypad.end_privacy()


def press(
    window: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key pressed and let go, where the window's keys go (its focused control)."""
    QTest.keyClick(window.focusWidget() or window, key, modifier)
    QApplication.processEvents()
