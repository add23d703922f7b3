"""What the keypad and touch-exploration tests share: a voice that writes down
what it is asked, and the keypad's filters put on a real window and taken off after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.patient.audio import AudioMode, Voice
from kiosk.ui.patient.explore import TouchExplorer
from kiosk.ui.patient.keypad import Keypad, install
from kiosk.ui.window import KioskWindow

PAD = Qt.KeyboardModifier.KeypadModifier


class RecordingVoice(QObject):
    """A ``Voice`` that speaks nothing: it keeps what it was asked to say and do
    (the real one, with Qt's mock engine, in the walk of test_keypad.py)."""

    changed = Signal(bool)

    def __init__(self, *, active: bool = True) -> None:
        super().__init__()
        self.active = active
        self.said: list[str] = []
        self.calls: list[str] = []

    @property
    def audible(self) -> bool:
        return self.active

    def say(self, text: str) -> None:
        if self.active:
            self.said.append(text)

    def speaks_for(self, widget: QWidget) -> bool:
        return True

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

    def reset(self) -> None:
        self._call("reset")


def mock_audio(window: KioskWindow) -> tuple[AudioMode, list[str]]:
    """Audio mode following ``window`` with Qt's mock engine on the window's own
    thread (its voice and the page's reader), and what it says, as it says it.
    Not yet on: ``set_active(True)`` says the welcome."""
    from kiosk.ui.patient.speech import Reader

    audio = AudioMode(window)
    audio.follow(window)
    audio.set_speaker(Reader.create("mock", parent=window))
    window.page.read_aloud.set_reader(Reader.create("mock", parent=window))
    said: list[str] = []
    audio.spoken.connect(said.append)
    return audio, said


@contextmanager
def keypad_on(window: KioskWindow, voice: Voice) -> Iterator[tuple[Keypad, TouchExplorer]]:
    """The keypad and touch exploration on ``window``, installed as app.build
    does (after the window's own filters), taken off after."""
    installed = install(window, voice)
    try:
        yield installed.keypad, installed.explorer
    finally:
        installed.uninstall()


def press(
    window: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key pressed and let go, where the window's keys go (its focused control)."""
    QTest.keyClick(window.focusWidget() or window, key, modifier)
    QApplication.processEvents()
