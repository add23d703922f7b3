"""Read aloud (kiosk/ui/patient/speech.py) with Qt's mock text-to-speech engine.

The mock engine speaks one word per 100 ms (at the default rate) and reports
each word's offsets in the string it was given, like a real engine that
reports words; it pauses at the end of a word. Tests wait for its signals,
never for time.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, qDebug
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget
from pytestqt.logging import _QtMessageCapture as QtMessageCapture
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.ui.i18n import strings
from kiosk.ui.patient.speech import (
    ENGINE_ENV,
    SEPARATOR,
    ListenControls,
    PageReader,
    Reader,
    SpeechState,
    utf16_len,
)
from tests.conftest import MakeWindow

TITLE = "Calm breathing"
# Given explicitly, so the tests do not depend on which language another test
# left the string catalogue in.
LABELS = {"listen": "Listen", "pause": "Pause", "resume": "Resume", "stop": "Stop"}
BODY = (
    "<h2>Slow down</h2>"
    "<p>Breathe in for four counts, then out for six counts.</p>"
    "<p>Repeat this a few times while you wait.</p>"
)


def mock_reader() -> Reader:
    reader = Reader.create("mock")
    assert reader is not None, (
        "Qt's mock text-to-speech engine is missing: see the log above "
        "(on Debian/Ubuntu: scripts/system-deps.sh test installs libpulse0)"
    )
    return reader


@dataclass
class Page:
    container: QWidget
    controls: ListenControls
    browser: QTextBrowser
    reading: PageReader
    reader: Reader


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[Page]:
    """A page's text and title with Listen controls, shown, on the mock engine."""
    container = QWidget()
    container.resize(600, 400)
    controls = ListenControls(LABELS)
    browser = QTextBrowser()
    layout = QVBoxLayout(container)
    layout.addWidget(controls)
    layout.addWidget(browser)
    browser.setHtml(BODY)
    reader = mock_reader()
    reader.setParent(container)
    reading = PageReader(reader, controls, browser, title=TITLE, parent=container)
    qtbot.addWidget(container)
    container.show()
    qtbot.waitExposed(container)
    yield Page(container, controls, browser, reading, reader)
    reader.stop()  # no mock timer left running after the test


def document_word(page: Page) -> str:
    """The highlighted text (through a cursor: positions count UTF-16 units)."""
    selections = page.browser.extraSelections()
    assert len(selections) == 1
    return selections[0].cursor.selectedText()


def highlight_colours(page: Page) -> tuple[QColor, QColor]:
    selections = page.browser.extraSelections()  # kept: the format lives in it
    mark = selections[0].format
    return mark.background().color(), mark.foreground().color()


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible(), f"{widget.text()} is not shown"  # type: ignore[attr-defined]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


# -- making a reader ----------------------------------------------------------------
def test_mock_engine_makes_a_reader(caplog: pytest.LogCaptureFixture) -> None:
    """Reader.create("mock") gives an idle reader and logs which engine speaks."""
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.speech"):
        reader = mock_reader()
    assert reader.engine == "mock"
    assert reader.state == SpeechState.IDLE
    assert reader.can_pause and reader.reports_words
    assert any("engine mock ready" in r.getMessage() for r in caplog.records)


def test_engine_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no name given, $KIOSK_SPEECH_ENGINE chooses the engine."""
    monkeypatch.setenv(ENGINE_ENV, "mock")
    reader = Reader.create()
    assert reader is not None and reader.engine == "mock"


def test_engine_off_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """$KIOSK_SPEECH_ENGINE=off: no reader, and the log says it was asked for."""
    monkeypatch.setenv(ENGINE_ENV, "off")
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.speech"):
        assert Reader.create() is None
    assert f"{ENGINE_ENV}=off" in caplog.text


def test_unknown_engine_gives_none_and_says_why(caplog: pytest.LogCaptureFixture) -> None:
    """A bogus engine name: no reader, and one warning naming it and what is installed."""
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.speech"):
        assert Reader.create("no-such-engine") is None
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "read aloud is off" in message
    assert "'no-such-engine'" in message and "mock" in message


def test_missing_system_library_gives_none_and_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """QtTextToSpeech that cannot be imported (no libpulse.so.0): no reader, and the fix."""
    # The fault: the import fails, as it does on a machine without PulseAudio's library.
    monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech", None)
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.speech"):
        assert Reader.create("mock") is None
    assert "libpulse0" in caplog.text
    assert "read aloud is off" in caplog.text


def test_silent_mock_engine_is_never_the_default(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Only the mock engine installed and none named: no reader (Listen would be silent)."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    monkeypatch.delenv(ENGINE_ENV, raising=False)
    # The fault: a Qt with no real engine, only the test one.
    monkeypatch.setattr(QTextToSpeech, "availableEngines", staticmethod(lambda: ["mock"]))
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.speech"):
        assert Reader.create() is None
    assert "no text-to-speech engine that speaks aloud" in caplog.text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="speech-dispatcher is Linux's")
def test_speech_dispatcher_that_does_not_answer_is_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A daemon that accepts the connection and never answers: no reader, no hang."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    if "speechd" not in QTextToSpeech.availableEngines():
        pytest.skip("this Qt has no speechd plugin")
    path = tmp_path / "speechd.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.bind(str(path))
        silent.listen(1)  # the fault: listening, never reading or replying
        monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{path}")
        with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.speech"):
            assert Reader.create("speechd", answer_timeout_s=0.2) is None
    assert "does not answer" in caplog.text


def test_qt_messages_reach_the_previous_handler_after_create(qtlog: QtMessageCapture) -> None:
    """Create swallows Qt's probe messages only while probing: the handler comes back."""
    mock_reader()
    qDebug("after the probe")
    assert any(r.message == "after the probe" for r in qtlog.records)


# -- language ---------------------------------------------------------------------
def test_language_picks_an_american_voice_first() -> None:
    """English: the mock has en_GB and en_US voices; the US clinic gets en_US."""
    reader = mock_reader()
    assert reader.set_language("en") is True
    assert reader.locale_name() == "en_US"


def test_language_without_a_voice_falls_back_to_the_default(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Spanish on an engine with no Spanish voice: its default voice, and the log says so."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    engine = QTextToSpeech("mock")
    default = (engine.locale().name(), engine.voice().name())
    reader = mock_reader()  # English (en_US) on creation
    assert reader.locale_name() != default[0]
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.speech"):
        assert reader.set_language("es") is False
    assert (reader.locale_name(), reader.voice_name()) == default
    assert "no voice for language 'es'" in caplog.text


def test_unknown_language_code_falls_back_to_the_default() -> None:
    """A code that is no language ("xx") matches no voice rather than any voice."""
    reader = mock_reader()
    assert reader.set_language("xx") is False


# -- reading a page ------------------------------------------------------------------
def test_listen_speaks_and_highlights_the_word(qtbot: QtBot, page: Page) -> None:
    """Listen: speaking, Pause and Stop shown, and the spoken word highlighted in the text."""
    with qtbot.waitSignal(page.reader.state_changed, timeout=2000) as started:
        click(qtbot, page.controls.listen_button)
    assert started.args == ["speaking"]
    assert page.reading.state == SpeechState.SPEAKING
    assert page.controls.visible_labels() == ["Pause", "Stop"]

    # The title comes first: its words are not in the document, so nothing is marked.
    with qtbot.waitSignal(page.reader.word, timeout=2000) as first:
        pass
    assert first.args == [0, len("Calm")]
    assert page.reading.highlighted() is None

    body_start = utf16_len(TITLE + SEPARATOR)
    with qtbot.waitSignal(
        page.reader.word, timeout=3000, check_params_cb=lambda start, _n: start >= body_start
    ) as body:
        pass
    assert body.args == [body_start, len("Slow")]
    assert page.reading.highlighted() == (0, 4)
    assert document_word(page) == "Slow"

    with qtbot.waitSignal(page.reader.word, timeout=2000):
        pass
    assert document_word(page) == "down"
    palette = page.browser.palette()
    assert highlight_colours(page) == (
        palette.color(QPalette.ColorRole.Highlight),
        palette.color(QPalette.ColorRole.HighlightedText),
    )


def test_highlight_takes_the_theme_colour(qtbot: QtBot, page: Page) -> None:
    """A style sheet's selection colours (a high-contrast theme) are the highlight's."""
    page.browser.setObjectName("pageBody")
    page.container.setStyleSheet(
        "#pageBody { selection-background-color: #ffff00; selection-color: #000000; }"
    )
    click(qtbot, page.controls.listen_button)
    qtbot.waitUntil(lambda: page.reading.highlighted() is not None, timeout=3000)
    assert highlight_colours(page) == (QColor("#ffff00"), QColor("#000000"))


def test_offsets_count_an_emoji_as_qt_does(qtbot: QtBot, page: Page) -> None:
    """An emoji in the title and the text (two UTF-16 units each) does not shift the mark."""
    page.reading.set_title("Calm 🌿 breathing")
    page.browser.setPlainText("🌿 Breathe in slowly")
    click(qtbot, page.controls.listen_button)
    qtbot.waitUntil(lambda: page.reading.highlighted() is not None, timeout=3000)
    assert document_word(page) == "Breathe"
    with qtbot.waitSignal(page.reader.word, timeout=2000):
        pass
    assert document_word(page) == "in"


def test_pause_resume_and_stop(qtbot: QtBot, page: Page) -> None:
    """Pause waits for the word's end, then Resume and Stop; Stop clears the mark."""
    click(qtbot, page.controls.listen_button)
    qtbot.waitUntil(lambda: page.reading.highlighted() is not None, timeout=3000)

    with qtbot.waitSignal(page.reader.state_changed, timeout=2000) as paused:
        click(qtbot, page.controls.pause_button)
    assert paused.args == ["paused"]
    assert page.controls.visible_labels() == ["Resume", "Stop"]

    with qtbot.waitSignal(page.reader.state_changed, timeout=2000) as resumed:
        click(qtbot, page.controls.resume_button)
    assert resumed.args == ["speaking"]
    assert page.controls.visible_labels() == ["Pause", "Stop"]
    with qtbot.waitSignal(page.reader.word, timeout=2000):
        pass
    assert page.reading.highlighted() is not None

    click(qtbot, page.controls.stop_button)
    assert page.reader.state == SpeechState.IDLE
    assert page.controls.visible_labels() == ["Listen"]
    assert page.reading.highlighted() is None
    assert page.browser.extraSelections() == []


def test_stop_while_paused(qtbot: QtBot, page: Page) -> None:
    """Stop from Paused: back to Listen."""
    click(qtbot, page.controls.listen_button)
    with qtbot.waitSignal(page.reader.state_changed, timeout=2000):
        click(qtbot, page.controls.pause_button)
    click(qtbot, page.controls.stop_button)
    assert page.reader.state == SpeechState.IDLE
    assert page.controls.visible_labels() == ["Listen"]


def test_stop_does_not_wait_for_the_engine(qtbot: QtBot, page: Page) -> None:
    """An engine that never reports the stop (speech-dispatcher with no sound
    output) still leaves the controls on Listen."""
    click(qtbot, page.controls.listen_button)
    assert page.reader.state == SpeechState.SPEAKING
    engine = page.reader._tts
    real_stop = engine.stop
    engine.stop = lambda *args: None  # type: ignore[method-assign]  # the fault: no report
    try:
        page.reading.stop()
        assert page.reader.state == SpeechState.IDLE  # type: ignore[comparison-overlap]  # stop() changed it
        assert page.controls.visible_labels() == ["Listen"]
    finally:
        engine.stop = real_stop  # type: ignore[method-assign]


def test_stop_when_idle_leaves_the_engine_alone(qtbot: QtBot, page: Page) -> None:
    """Page turns call stop(): with nothing being read, the engine is not asked
    (with speech-dispatcher each call is a round trip to the daemon)."""
    engine = page.reader._tts
    calls: list[object] = []
    real_stop = engine.stop
    engine.stop = lambda *args: calls.append(args)  # type: ignore[method-assign]
    try:
        page.reading.stop()
        page.reading.stop()
    finally:
        engine.stop = real_stop  # type: ignore[method-assign]
    assert calls == []
    assert page.reader.state == SpeechState.IDLE


def test_reading_to_the_end_clears_the_mark(qtbot: QtBot, page: Page) -> None:
    """At the end of the text: idle, Listen again, no mark left."""
    page.browser.setPlainText("Two words")
    page.reading.set_title("")
    click(qtbot, page.controls.listen_button)
    qtbot.waitUntil(lambda: page.reader.state == SpeechState.IDLE, timeout=3000)
    assert page.controls.visible_labels() == ["Listen"]
    assert page.reading.highlighted() is None


def test_a_new_page_stops_the_reading(qtbot: QtBot, page: Page) -> None:
    """Another page's text in the browser (a page change, a live reload) stops it."""
    click(qtbot, page.controls.listen_button)
    qtbot.waitUntil(lambda: page.reading.highlighted() is not None, timeout=3000)
    page.browser.setHtml("<p>Another page.</p>")
    assert page.reader.state == SpeechState.IDLE
    assert page.reading.highlighted() is None
    assert page.controls.visible_labels() == ["Listen"]


def test_reset_stops_the_reading(qtbot: QtBot, page: Page) -> None:
    """The idle reset clears the page (``clear()``) and calls stop(): nothing is left."""
    click(qtbot, page.controls.listen_button)
    qtbot.waitUntil(lambda: page.reading.highlighted() is not None, timeout=3000)
    page.browser.clear()
    page.reading.stop()
    assert page.reader.state == SpeechState.IDLE
    assert page.browser.extraSelections() == []


def test_stop_is_public_for_the_window(qtbot: QtBot, page: Page) -> None:
    """PageReader.stop() alone (page change, reset, language) stops and clears."""
    click(qtbot, page.controls.listen_button)
    qtbot.waitUntil(lambda: page.reading.highlighted() is not None, timeout=3000)
    page.reading.stop()
    assert page.reader.state == SpeechState.IDLE
    assert page.reading.highlighted() is None
    page.reading.stop()  # twice is harmless
    assert page.controls.visible_labels() == ["Listen"]


def test_hiding_the_page_stops_the_reading(qtbot: QtBot, page: Page) -> None:
    """Another screen shows (the page is hidden): nobody is reading it, so it stops."""
    click(qtbot, page.controls.listen_button)
    assert page.reader.state == SpeechState.SPEAKING
    page.container.hide()
    assert page.reader.state == SpeechState.IDLE  # type: ignore[comparison-overlap]  # hide() changed it


def test_the_word_is_scrolled_into_view(qtbot: QtBot, page: Page) -> None:
    """Reading from the top of a long page scrolled to its end brings the word back into view."""
    page.browser.setPlainText("Start here. " + "More words to read. " * 300)
    bar = page.browser.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.maximum() > 0
    click(qtbot, page.controls.listen_button)
    qtbot.waitUntil(lambda: page.reading.highlighted() is not None, timeout=3000)
    assert document_word(page) == "Start"
    assert bar.value() < bar.maximum()
    cursor = QTextCursor(page.browser.document())
    cursor.setPosition(0)
    rect = page.browser.cursorRect(cursor)
    assert rect.top() >= 0 and rect.bottom() <= page.browser.viewport().height()


def test_active_while_speaking(qtbot: QtBot, page: Page) -> None:
    """Each spoken word says someone is listening (for the idle clock)."""
    with qtbot.waitSignal(page.reading.active, timeout=2000):
        click(qtbot, page.controls.listen_button)
    with qtbot.waitSignals([page.reading.active, page.reader.word], timeout=2000):
        pass


def test_active_clock_runs_only_while_speaking(qtbot: QtBot, page: Page) -> None:
    """The "still listening" timer (for engines that report no words) ticks
    while speaking, and stops when paused or idle: no timer on an idle kiosk."""
    assert not page.reading.active_timer.isActive()
    click(qtbot, page.controls.listen_button)
    assert page.reading.active_timer.isActive()
    with qtbot.waitSignal(page.reader.state_changed, timeout=2000):
        click(qtbot, page.controls.pause_button)
    assert not page.reading.active_timer.isActive()
    click(qtbot, page.controls.stop_button)
    assert not page.reading.active_timer.isActive()


def test_nothing_to_read_stays_idle(qtbot: QtBot, page: Page) -> None:
    """An empty page and title: nothing is said, Listen stays."""
    page.reading.set_title("  ")
    page.browser.clear()
    click(qtbot, page.controls.listen_button)
    assert page.reader.state == SpeechState.IDLE
    assert page.controls.visible_labels() == ["Listen"]


def test_title_is_read_from_a_callable(qtbot: QtBot, page: Page) -> None:
    """The title can be a function (the page screen's label text), read at Listen."""
    titles = ["Old title"]
    page.reading.set_title(lambda: titles[-1])
    titles.append("Fresh")
    click(qtbot, page.controls.listen_button)
    with qtbot.waitSignal(page.reader.word, timeout=2000) as first:
        pass
    assert first.args == [0, len("Fresh")]


# -- the controls ------------------------------------------------------------------------
def test_controls_hide_without_a_reader(qtbot: QtBot) -> None:
    """No engine: the Listen controls are not shown at all, and Listen does nothing."""
    container = QWidget()
    controls = ListenControls(LABELS)
    browser = QTextBrowser()
    layout = QVBoxLayout(container)
    layout.addWidget(controls)
    layout.addWidget(browser)
    reading = PageReader(None, controls, browser, title=TITLE, parent=container)
    qtbot.addWidget(container)
    container.show()
    qtbot.waitExposed(container)
    assert not controls.isVisible()
    reading.read()
    assert reading.state == SpeechState.IDLE

    reading.set_reader(mock_reader())
    assert controls.isVisible()
    reading.set_reader(None)
    assert not controls.isVisible()


def test_controls_are_touch_sized_and_named(qtbot: QtBot, config: Config) -> None:
    """Each button is at least 48 px tall with the kiosk's style sheet; its
    accessible name is its label."""
    from kiosk.ui.theme import style_sheet

    controls = ListenControls()
    controls.setStyleSheet(style_sheet(config))
    qtbot.addWidget(controls)
    controls.set_state(SpeechState.SPEAKING)
    controls.show()
    qtbot.waitExposed(controls)
    for widget in controls.buttons():
        assert widget.accessibleName() == widget.text()
    for widget in (controls.pause_button, controls.stop_button):
        assert widget.height() >= 48
        assert widget.width() >= 48


def test_controls_without_pause(qtbot: QtBot) -> None:
    """An engine that cannot pause: only Stop while speaking."""
    controls = ListenControls(LABELS)
    controls.set_available(True, can_pause=False)
    controls.set_state(SpeechState.SPEAKING)
    assert controls.visible_labels() == ["Stop"]


def test_labels_from_a_dict_and_relabel(qtbot: QtBot) -> None:
    """Labels passed in are shown and named; relabel swaps them (a language change)."""
    controls = ListenControls({**LABELS, "listen": "Escuchar"})
    assert controls.listen_button.text() == "Escuchar"
    assert controls.listen_button.accessibleName() == "Escuchar"
    assert controls.stop_button.text() == "Stop"
    controls.relabel({"listen": "Leer en voz alta", "stop": "Parar"})
    assert controls.listen_button.text() == "Leer en voz alta"
    assert controls.stop_button.accessibleName() == "Parar"


def test_labels_from_the_string_catalogue(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no labels passed in, the catalogue's words are used, read at each relabel."""
    monkeypatch.setattr(type(strings), "LISTEN", "Listen to this page")
    controls = ListenControls()
    assert controls.listen_button.text() == "Listen to this page"
    monkeypatch.setattr(type(strings), "LISTEN", "Escuchar")
    controls.relabel()
    assert controls.listen_button.accessibleName() == "Escuchar"


def test_bad_state_name_is_refused(qtbot: QtBot) -> None:
    """A state that does not exist is an error, not a silently wrong button row."""
    controls = ListenControls(LABELS)
    with pytest.raises(ValueError, match="talking"):
        controls.set_state("talking")
    assert controls.visible_labels() == ["Listen"]


def test_language_change_stops_and_relabels(qtbot: QtBot, page: Page) -> None:
    """PageReader.set_language: stops, picks a voice, new words on the buttons."""
    click(qtbot, page.controls.listen_button)
    page.reading.set_language("es", {"listen": "Escuchar"})
    assert page.reader.state == SpeechState.IDLE
    assert page.controls.visible_labels() == ["Escuchar"]


def test_the_voice_goes_back_to_the_patients_language_when_an_english_page_is_left(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    """An English page shown for want of a Spanish one is read in English; the
    engine is shared with audio mode, which went on speaking Spanish words in
    the English voice after it (found in review). Leaving the page sets the
    patient's language again."""
    import shutil

    from kiosk.content import load_library
    from kiosk.paths import shipped_content_dir

    content = tmp_path / "content"
    shutil.copytree(shipped_content_dir(), content)
    spanish = sorted(content.glob("*/*.es.md"))
    assert spanish
    spanish[0].unlink()
    library = load_library(content)
    window = make_window(library=library)
    reader = Reader.create("mock", parent=window)
    assert reader is not None
    asked: list[str] = []
    real = reader.set_language

    def spy(language: str) -> bool:
        asked.append(language)
        return real(language)

    reader.set_language = spy  # type: ignore[method-assign]
    window.page.read_aloud.set_reader(reader)
    window.set_language("es")
    fallback = next(p for t in window.library.topics for p in t.pages if p.language == "en")
    window.show_page(fallback.key)
    assert asked[-1] == "en"
    window.show_home()
    assert asked[-1] == "es"
    window.set_language("en")
    window.reset()
