"""Issue 11 point 3, Listen: its place is there from the start (the text does
not move when it appears), it has a speaker, and the engine is looked for on a
worker thread, again a minute later when there is none. The engine is Qt's
silent "mock"; the clock is mocked; the slow engine is a probe held by an event."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.patient import speech
from kiosk.ui.patient.speech import RETRY_MS, Reader, SpeechStarter, probe_engine
from tests.conftest import MakeWindow


def _geometry(window: object) -> tuple[QRect, QRect]:
    page = window.page  # type: ignore[attr-defined]
    return page.body.geometry(), page.title.geometry()


def test_listen_appearing_does_not_move_the_text(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    window.show_page(window.library.topics[0].pages[1].key)
    QApplication.processEvents()
    assert window.page.listen.isHidden()  # no engine yet
    before = _geometry(window)
    reader = Reader.create("mock")
    assert reader is not None
    window.page.read_aloud.set_reader(reader)
    QApplication.processEvents()
    assert window.page.listen.listen_button.isVisible()
    assert _geometry(window) == before
    assert window.page.listen.geometry().bottom() < window.page.body.geometry().top()


def test_no_empty_place_when_speech_is_off(
    make_window: MakeWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(speech.ENGINE_ENV, "off")
    window = make_window()
    window.show_page(window.library.topics[0].pages[1].key)
    QApplication.processEvents()
    gap = window.page.body.geometry().top() - window.page.title.geometry().bottom()
    assert gap < window.page.listen.listen_button.sizeHint().height()


def test_listen_has_a_speaker_in_its_text_colour(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    listen = window.page.listen.listen_button
    assert listen.icon().isNull()  # no engine yet: the SVG is not even read
    reader = Reader.create("mock")
    assert reader is not None
    window.page.read_aloud.set_reader(reader)
    assert not listen.icon().isNull()
    image = listen.icon().pixmap(listen.iconSize()).toImage()
    colour = listen.palette().color(QPalette.ColorRole.ButtonText)
    painted = {
        image.pixelColor(x, y).rgb()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }
    assert painted == {colour.rgb()}  # drawn in the button's text colour only
    assert listen.text() == listen.accessibleName() == "Listen"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_slow_engine_leaves_the_gui_answering(qtbot: QtBot) -> None:
    """The probe waits (a speech-dispatcher that takes seconds); meanwhile the
    event loop turns every few ms; the reader is made once it answers."""
    release = threading.Event()
    made: list[Reader] = []

    def probe() -> str | None:
        release.wait(5)
        return None

    def make() -> Reader | None:
        reader = Reader.create("mock")
        assert reader is not None
        made.append(reader)
        return reader

    starter = SpeechStarter(make, probe)
    ready: list[object] = []
    starter.ready.connect(ready.append)
    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    starter.start()
    qtbot.wait(600)
    assert not made and not ready  # still waiting for the engine
    assert len(gaps) > 20 and max(gaps) < 0.05  # the GUI thread never waited
    release.set()
    qtbot.waitUntil(lambda: bool(ready), timeout=3000)
    timer.stop()
    assert ready == made and starter.tries == 1
    assert not starter.retry_timer.isActive()


def test_no_engine_is_tried_again_a_minute_later(qtbot: QtBot) -> None:
    clock = Clock()
    answers = ["speech-dispatcher does not answer", None]
    starter = SpeechStarter(lambda: Reader.create("mock"), lambda: answers.pop(0), clock=clock)
    ready: list[object] = []
    starter.ready.connect(ready.append)
    starter.start()
    qtbot.waitUntil(starter.retry_timer.isActive)
    assert starter.tries == 1 and not ready
    assert starter.retry_timer.interval() == RETRY_MS
    clock.now += 30  # half a minute: a try asked for now waits its turn
    starter.start()
    assert starter.tries == 1
    assert starter.retry_timer.interval() == pytest.approx(30_000, abs=10)
    clock.now += 30
    starter.retry_timer.timeout.emit()  # the minute is up
    qtbot.waitUntil(lambda: bool(ready))
    assert starter.tries == 2
    assert isinstance(ready[0], Reader)


def test_an_engine_that_will_not_start_is_tried_again(qtbot: QtBot) -> None:
    starter = SpeechStarter(lambda: None, lambda: None, clock=Clock())
    starter.start()
    qtbot.waitUntil(starter.retry_timer.isActive)
    assert starter.tries == 1


def test_the_probe_finds_the_mock_engine_and_speech_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert probe_engine("mock") is None
    assert probe_engine("no-such-engine") is not None
    monkeypatch.setenv(speech.ENGINE_ENV, "off")
    assert probe_engine() is not None


def test_the_engine_is_made_only_when_nobody_is_tapping(qtbot: QtBot) -> None:
    """Making the engine holds the GUI thread (speech-dispatcher: 1.5-2.5 s):
    it waits while someone taps, and happens at the first quiet check after."""
    tapping = [True]
    made: list[Reader] = []

    def make() -> Reader | None:
        reader = Reader.create("mock")
        assert reader is not None
        made.append(reader)
        return reader

    starter = SpeechStarter(make, lambda: None, quiet=lambda: not tapping[0])
    starter.start()
    qtbot.waitUntil(starter.quiet_timer.isActive)
    qtbot.wait(50)
    assert not made
    tapping[0] = False
    starter.quiet_timer.timeout.emit()  # the next check (its clock is the timer)
    assert len(made) == 1
    assert not starter.quiet_timer.isActive() and not starter.retry_timer.isActive()
