"""Read aloud: the page's title and text through Qt's text-to-speech.

Three parts, so the page screen needs only a few lines:

- ``Reader`` wraps ``QTextToSpeech``: which engine, which voice for the
  patient's language, and the speaking / paused / idle state. ``Reader.create``
  returns None (and logs why, once) when there is no engine to speak with, so
  the kiosk simply has no "Listen" control rather than one that does nothing.
- ``ListenControls`` is the row of buttons: "Listen"; while speaking "Pause"
  and "Stop"; while paused "Resume" and "Stop".
- ``PageReader`` joins a reader and the controls to the page's text browser:
  it reads the title and the document's plain text and highlights the word
  being spoken (when the engine reports words), keeping it in view.
- ``SpeechStarter`` owns a speech thread where the engine is probed (Qt's
  module loads, speech-dispatcher answers), made and driven, so the GUI
  thread never waits on it; the page gets a ``ThreadedReader`` that posts
  its calls there. No engine: tried again a minute later, so a daemon that
  starts late still gets its Listen.

``QtTextToSpeech`` is imported on first use, not with this module: it drags in
QtMultimedia (and PulseAudio's client library, which a bare machine may lack),
none of which is needed before someone can tap "Listen".
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QMessageLogContext,
    QObject,
    QSize,
    Qt,
    QThread,
    QTimer,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextEdit, QWidget

from kiosk.paths import resource_dir
from kiosk.ui.i18n import strings
from kiosk.ui.metrics import TARGET_GAP
from kiosk.ui.widgets import button

if TYPE_CHECKING:
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)

#: Names the engine when no name is passed to ``Reader.create`` ("mock",
#: "speechd", "flite", "sapi", ...); empty or unset: Qt's default engine;
#: "off": no reading aloud (a clinic that does not want it, a benchmark).
ENGINE_ENV = "KIOSK_SPEECH_ENGINE"
OFF = "off"
#: Qt's engine for tests: it reports words and states, and makes no sound.
MOCK_ENGINE = "mock"
#: Between the title and the text: a pause in the voice.
SEPARATOR = "\n\n"
#: What ``QTextDocument.toPlainText()`` keeps where a picture sits. Spoken as
#: a space (same length, so the offsets still match the document).
OBJECT_CHAR = "\ufffc"
#: The territories preferred among a language's voices, best first: the clinic
#: is in the US (988, 911), so American English, and US or Latin American Spanish.
TERRITORIES = (
    QLocale.Country.UnitedStates,
    QLocale.Country.LatinAmerica,
    QLocale.Country.Mexico,
)
DEFAULT_ENGINE_LABEL = "(Qt's default)"  # in the log, for an engine not named
#: After a try that found no engine to speak with, the next one (no sooner).
RETRY_MS = 60_000
#: Who speaks through the shared engine (``ThreadedReader``): the page's
#: reading, or audio mode's voice (kiosk/ui/patient/audio.py).
PAGE_CHANNEL = "page"
VOICE_CHANNEL = "voice"
#: At quit, how long the speech thread is given to let its engine go.
CLOSE_WAIT_MS = 3000
#: Listen's speaker (resources/icons/speaker.svg, drawn in black, tinted).
SPEAKER_ICON = "speaker.svg"
SPEECHD_HINT = (
    "on Debian/Ubuntu install speech-dispatcher and a voice "
    "(speech-dispatcher-espeak-ng), or run scripts/system-deps.sh run"
)


#: A widget property set on Listen, Pause, Resume and Stop (``ReadAloudControls``).
READING_CONTROL = "readingControl"


class SpeechState(StrEnum):
    """What the reader is doing; the value is what ``state_changed`` carries."""

    IDLE = "idle"
    SPEAKING = "speaking"
    PAUSED = "paused"


def utf16_len(text: str) -> int:
    """The length of ``text`` as Qt counts it (UTF-16 code units).

    Qt's word offsets and QTextCursor positions count in UTF-16, so a symbol
    outside the Basic Multilingual Plane (an emoji) counts twice.
    """
    return len(text.encode("utf-16-le")) // 2


def spoken_text(title: str, text: str) -> tuple[str, int]:
    """What is said for ``title`` and ``text`` ("" for nothing) and where the
    text starts in it (UTF-16 units): ``title + SEPARATOR + text``."""
    title, text = title.strip(), text.rstrip()
    if title and text:
        spoken, offset = title + SEPARATOR + text, utf16_len(title + SEPARATOR)
    else:
        spoken = title or text
        offset = 0 if text else utf16_len(spoken)
    if not spoken.strip():
        return "", offset
    return spoken.replace(OBJECT_CHAR, " "), offset


@contextmanager
def _qt_messages() -> Iterator[list[tuple[str, str]]]:
    """Collect Qt's messages while probing for an engine, instead of letting
    them through as warnings and errors.

    A machine without a speech engine is a normal setup, not a fault: Qt says
    so with a qCritical ("Error loading text-to-speech plug-in") and
    QtMultimedia warns about PipeWire on import. ``Reader.create`` reports the
    outcome in one line of its own; the collected (category, message) pairs
    give the reason.
    """
    heard: list[tuple[str, str]] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        heard.append((str(context.category or ""), message))

    previous = qInstallMessageHandler(handler)
    try:
        yield heard
    finally:
        # Restores a Python handler (the kiosk's, or pytest-qt's) exactly; with
        # None, Qt's default handler. A C++ handler cannot be handed back.
        qInstallMessageHandler(previous)


def speechd_socket() -> Path | None:
    """Where libspeechd will look for speech-dispatcher: ``$SPEECHD_ADDRESS``
    (``unix_socket:<path>``), else ``speech-dispatcher/speechd.sock`` in the
    user's runtime folder (GLib falls back to the cache folder). None for a
    network address (not probed)."""
    address = os.environ.get("SPEECHD_ADDRESS", "").strip()
    if address:
        kind, _, rest = address.partition(":")
        return Path(rest) if kind == "unix_socket" and rest else None
    folder = (
        os.environ.get("XDG_RUNTIME_DIR")
        or os.environ.get("XDG_CACHE_HOME")
        or os.path.join(os.path.expanduser("~"), ".cache")
    )
    return Path(folder) / "speech-dispatcher" / "speechd.sock"


def speechd_not_answering(timeout_s: float) -> str | None:
    """Why a running speech-dispatcher cannot be used, or None.

    libspeechd connects to a listening daemon and waits for its greeting with
    no time limit: a daemon stuck mid-shutdown (seen with 0.11.4) would freeze
    the kiosk at start. So say hello first, with a time limit. No socket, or
    nobody listening on it, is fine: libspeechd starts a daemon itself.
    """
    path = speechd_socket()
    if path is None or not path.exists():
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(timeout_s)
        try:
            probe.connect(str(path))
        except OSError:
            return None
        try:
            probe.sendall(b"SET SELF CLIENT_NAME kiosk:kiosk:probe\r\n")
            reply = probe.recv(256)
            probe.sendall(b"QUIT\r\n")
        except TimeoutError:
            return f"speech-dispatcher ({path}) does not answer within {timeout_s:g} s"
        except OSError:
            return None
    if not reply.startswith(b"2"):
        shown = reply[:60].decode("ascii", "replace").strip()
        return f"speech-dispatcher ({path}) answered {shown!r}"
    return None


class Reader(QObject):
    """Speaks a page through ``QTextToSpeech``; made by ``Reader.create``.

    Signals:
        state_changed(str): a ``SpeechState`` value, after each change.
        word(int, int): start and length of the word being spoken, in UTF-16
            code units (as Qt counts) of the spoken string: ``title +
            SEPARATOR + text`` (just one of them when the other is empty).
            Only from engines that report words (``reports_words``).
    """

    state_changed = Signal(str)
    word = Signal(int, int)

    def __init__(self, tts: QTextToSpeech, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tts = tts
        tts.setParent(self)
        # The engine's enums through the engine: this module does not import
        # QtTextToSpeech (see its docstring).
        states = tts.State
        self._states = {
            states.Ready: SpeechState.IDLE,
            states.Speaking: SpeechState.SPEAKING,
            states.Synthesizing: SpeechState.SPEAKING,
            states.Paused: SpeechState.PAUSED,
            states.Error: SpeechState.IDLE,
        }
        self._error_state = states.Error
        self._ready_state = states.Ready
        self._at_rest = (states.Ready, states.Error)
        capabilities = tts.engineCapabilities()
        self.can_pause = bool(capabilities & tts.Capability.PauseResume)
        self.reports_words = bool(capabilities & tts.Capability.WordByWordProgress)
        self._default_locale = tts.locale()
        self._default_voice = tts.voice()
        self.default_rate = self.rate
        self.default_volume = self.volume
        self._state = SpeechState.IDLE
        self._body_offset = 0
        tts.stateChanged.connect(self.on_engine_state)
        tts.sayingWord.connect(self.on_saying_word)
        tts.errorOccurred.connect(self.on_engine_error)

    # -- making one -------------------------------------------------------------
    @classmethod
    def create(
        cls,
        engine: str | None = None,
        parent: QObject | None = None,
        *,
        language: str = "en",
        answer_timeout_s: float = 2.0,
    ) -> Reader | None:
        """A reader on ``engine`` (else ``$KIOSK_SPEECH_ENGINE``, else Qt's
        default engine) speaking ``language``, or None when there is nothing to
        speak with. The reason is logged in one line: the kiosk then shows no
        "Listen".

        Qt's mock engine (silent, for tests) is used only when named: never
        as the default, or "Listen" would read in silence.

        Can take seconds, holding its caller: the kiosk calls it in the
        speech thread (``SpeechStarter``), never on the GUI thread.
        """
        name = engine if engine is not None else os.environ.get(ENGINE_ENV, "").strip()
        if name.casefold() == OFF:
            log.info("read aloud is off: %s=%s", ENGINE_ENV, name)
            return None
        began = time.monotonic()
        with _qt_messages() as heard:
            tts = _open_engine(name, answer_timeout_s)
            why = _why_silent(tts, name) if tts is not None else None
        if tts is None:
            return None
        if why is not None:
            _log_no_start(tts.engine() or name or DEFAULT_ENGINE_LABEL, why, name, heard)
            return None  # the engine goes with this frame
        for category, message in heard:
            log.debug("read aloud: Qt (%s) said while starting: %s", category, message)
        reader = cls(tts, parent)
        reader.set_language(language)
        log.info(
            "read aloud: engine %s ready in %.1f s%s",
            reader.engine or name or DEFAULT_ENGINE_LABEL,
            time.monotonic() - began,
            "" if reader.reports_words else "; it does not report words, so none are highlighted",
        )
        return reader

    # -- what it is doing -----------------------------------------------------------
    @property
    def engine(self) -> str:
        return str(self._tts.engine())

    @property
    def state(self) -> SpeechState:
        return self._state

    @property
    def body_offset(self) -> int:
        """Where the text starts in the last spoken string (UTF-16 units)."""
        return self._body_offset

    def locale_name(self) -> str:
        """The voice's locale, e.g. "en_US" (for the log and tests)."""
        return str(self._tts.locale().name())

    def voice_name(self) -> str:
        return str(self._tts.voice().name())

    # -- what it is asked to do -----------------------------------------------------
    def set_language(self, language: str) -> bool:
        """A voice for ``language`` ("en", "es"): American first (the clinic
        is in the US), then Latin American, then the language's usual one,
        then any. None at all: the engine's default voice, and the log says
        so. True when the language matched."""
        wanted = QLocale(language).language()
        locales = []
        if wanted not in (QLocale.Language.C, QLocale.Language.AnyLanguage):
            locales = [loc for loc in self._tts.availableLocales() if loc.language() == wanted]
        if not locales:
            self._tts.setLocale(self._default_locale)
            self._tts.setVoice(self._default_voice)
            log.info(
                "read aloud: engine %s has no voice for language %r; using its default, %s (%s)",
                self.engine,
                language,
                self.voice_name() or "?",
                self.locale_name(),
            )
            return False
        order = [*TERRITORIES, QLocale(language).territory()]

        def rank(locale: QLocale) -> int:
            where = locale.territory()
            return order.index(where) if where in order else len(order)

        self._tts.setLocale(min(locales, key=rank))
        log.info(
            "read aloud: %s voice %s (%s)", language, self.voice_name() or "?", self.locale_name()
        )
        return True

    def say(self, title: str, text: str) -> None:
        """Read ``title``, a pause, then ``text`` (anything being read stops first)."""
        spoken, self._body_offset = spoken_text(title, text)
        if spoken:
            self._tts.say(spoken)

    def pause(self) -> None:
        """Pause at the end of the word (how Qt's engines pause)."""
        if self._state == SpeechState.SPEAKING:
            self._tts.pause()

    def resume(self) -> None:
        if self._state == SpeechState.PAUSED:
            self._tts.resume()

    @property
    def rate(self) -> float:
        return round(float(self._tts.rate()), 2)

    @property
    def volume(self) -> float:
        return round(float(self._tts.volume()), 2)

    def set_rate(self, rate: float) -> None:
        """Speaking rate, -1.0 (slowest) to 1.0 (fastest); 0 is the voice's own."""
        self._tts.setRate(max(-1.0, min(1.0, rate)))

    def set_volume(self, volume: float) -> None:
        """Volume, 0.0 to 1.0."""
        self._tts.setVolume(max(0.0, min(1.0, volume)))

    def stop(self) -> None:
        """Stop now; the state is idle when this returns.

        Not left to the engine's report: speech-dispatcher with no working
        sound output says "speaking" for ever and never reports the stop, and
        the controls must not stay on Pause / Stop for the next patient.
        """
        # Only when something is going on: with speech-dispatcher each stop is
        # a round trip to the daemon, and the window stops at every page turn.
        if self._state != SpeechState.IDLE or self._tts.state() not in self._at_rest:
            self._tts.stop()
        self.on_engine_state(self._ready_state)

    # -- the engine's reports ------------------------------------------------------
    def on_engine_state(self, engine_state: Any) -> None:
        state = self._states.get(engine_state, SpeechState.IDLE)
        if state != self._state:
            self._state = state
            self.state_changed.emit(state.value)

    def on_saying_word(self, _word: str, _id: int, start: int, length: int) -> None:
        # A text that starts with no letters gives an empty first "word".
        if length > 0:
            self.word.emit(start, length)

    def on_engine_error(self, reason: Any, message: str) -> None:
        # Never the page text: only what the engine says went wrong.
        log.warning("read aloud: engine %s: %s (%s)", self.engine, message, reason)
        if self._tts.state() == self._error_state:
            self.on_engine_state(self._error_state)


def configured_engine() -> str:
    """The engine ``$KIOSK_SPEECH_ENGINE`` names ("" for Qt's default)."""
    return os.environ.get(ENGINE_ENV, "").strip()


def speech_wanted() -> bool:
    """False when the clinic turned reading aloud off (``KIOSK_SPEECH_ENGINE=off``)."""
    return configured_engine().casefold() != OFF


def probe_engine(engine: str | None = None, answer_timeout_s: float = 2.0) -> str | None:
    """Why no reader can be made now, or None when one can: what
    ``Reader.create`` would find, without making the engine (which must be
    made on the GUI thread). Safe on a worker thread: loads Qt's module, asks
    which engines there are, says hello to speech-dispatcher with a time limit."""
    name = engine if engine is not None else configured_engine()
    if name.casefold() == OFF:
        return f"{ENGINE_ENV}={name}"
    with _qt_messages():
        try:
            # Here, not at the top: it drags in QtMultimedia (see the module's docstring).
            from PySide6.QtTextToSpeech import QTextToSpeech
        except (ImportError, OSError) as exc:
            return f"Qt's text-to-speech cannot be loaded ({exc})"
        engines = list(QTextToSpeech.availableEngines())
    usable = engines if name else [e for e in engines if e != MOCK_ENGINE]
    if not usable or (name and name not in engines):
        return f"no text-to-speech engine {name or 'that speaks aloud'} (installed: {engines})"
    if _uses_speechd(name) and "speechd" in engines:
        _spawn_speechd(answer_timeout_s)
        return speechd_not_answering(answer_timeout_s)
    return None


def _spawn_speechd(timeout_s: float) -> None:
    """Start speech-dispatcher here, on the worker, when nobody listens on its
    socket: as libspeechd would (the same command), but not inside Qt's engine
    on the GUI thread, where it adds a second or more to the wait."""
    path = speechd_socket()
    program = shutil.which("speech-dispatcher")
    if path is None or program is None:
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
            return  # it is running (whether it answers is asked next)
        except OSError:
            pass
    command = [
        program,
        "--spawn",
        "--communication-method",
        "unix_socket",
        "--socket-path",
        str(path),
    ]
    try:
        # --spawn: it forks, and this returns once the daemon is listening.
        subprocess.run(command, capture_output=True, timeout=timeout_s * 5, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("read aloud: speech-dispatcher could not be started: %r", exc)


def _uses_speechd(name: str) -> bool:
    """Is engine ``name`` ("": Qt's default) speech-dispatcher, or may it be?"""
    return sys.platform.startswith("linux") and name in ("", "speechd")


def _open_engine(name: str, answer_timeout_s: float) -> QTextToSpeech | None:
    """Qt's text-to-speech on engine ``name`` ("": Qt's default), or None, and
    the log says why: Qt's module cannot be loaded, there is no such engine
    (or none but the silent one), or speech-dispatcher does not answer."""
    try:
        # Here, not at the top: it drags in QtMultimedia (see the module's docstring).
        from PySide6.QtTextToSpeech import QTextToSpeech
    except (ImportError, OSError) as exc:
        # e.g. "libpulse.so.0: cannot open shared object file".
        log.warning(
            "read aloud is off: Qt's text-to-speech cannot be loaded (%s); "
            "on Debian/Ubuntu run scripts/system-deps.sh test (libpulse0)",
            exc,
        )
        return None
    engines = list(QTextToSpeech.availableEngines())
    usable = engines if name else [e for e in engines if e != MOCK_ENGINE]
    if not usable or (name and name not in engines):
        log.warning(
            "read aloud is off: no text-to-speech engine %s (installed: %s)",
            repr(name) if name else "that speaks aloud is installed",
            ", ".join(engines) or "none",
        )
        return None
    if _uses_speechd(name) and "speechd" in engines:
        stuck = speechd_not_answering(answer_timeout_s)
        if stuck:
            # libspeechd would wait for it for ever, and the kiosk with it.
            log.warning("read aloud is off: %s", stuck)
            return None
    # "none": Qt makes the object and starts no engine; the engine is started next.
    tts = QTextToSpeech("none")
    _start_engine(tts, name)
    return tts


class _EngineRelay(QObject):
    start = Signal(str)


def _start_engine(tts: QTextToSpeech, name: str) -> None:
    """``tts.setEngine(name)`` ("": Qt's default), through a signal.

    PySide holds Python's lock (the GIL) through a C++ call it wraps, and
    starting speech-dispatcher's engine takes 1 to 2.5 s: called directly,
    even in the speech thread, it would stop every Python slot on the GUI
    thread that long (measured: taps waited up to 3 s). PySide lets the lock
    go while a signal is emitted, and a signal joined to ``setEngine`` calls
    it from C++ alone."""
    relay = _EngineRelay()
    relay.start.connect(tts.setEngine)
    relay.start.emit(name)


def _why_silent(tts: QTextToSpeech, name: str) -> str | None:
    """Why an engine that was made cannot read aloud, or None when it can."""
    error = tts.state() == tts.State.Error
    voices = len(tts.availableVoices()) if not error else 0
    if error:
        return str(tts.errorString())
    if not name and tts.engine() == MOCK_ENGINE:
        return "it is Qt's silent test engine"
    if voices == 0:
        return "it has no voices"
    return None


def _log_no_start(engine: str, why: str, name: str, heard: list[tuple[str, str]]) -> None:
    """One line: which engine did not start, why, what Qt said meanwhile."""
    # Not QtMultimedia's PipeWire notes: they are not why speech failed.
    qt_said = "; ".join(
        dict.fromkeys(m for c, m in heard if m.strip() and not c.startswith("qt.multimedia"))
    )
    log.warning(
        "read aloud is off: text-to-speech engine %s did not start: %s%s%s",
        engine,
        why,
        f" (Qt: {qt_said})" if qt_said else "",
        f"; {SPEECHD_HINT}" if _uses_speechd(name) else "",
    )


def _labels(given: Mapping[str, str] | None) -> dict[str, str]:
    """The controls' words: those given, else the catalogue's, else English."""
    words = {
        "listen": getattr(strings, "LISTEN", "Listen"),
        "pause": getattr(strings, "PAUSE", "Pause"),
        "resume": getattr(strings, "RESUME", "Resume"),
        "stop": getattr(strings, "STOP_READING", "Stop"),
    }
    words.update(given or {})
    return words


def _tinted(icon: QIcon, size: QSize, colour: QColor) -> QIcon:
    """``icon`` drawn in ``colour`` (its shape kept, its own colours dropped)."""
    pixmap = icon.pixmap(size)
    if pixmap.isNull():
        return QIcon()  # no SVG support in this Qt build: Listen without a picture
    tinted = QPixmap(pixmap.size())
    tinted.setDevicePixelRatio(pixmap.devicePixelRatio())
    tinted.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tinted)
    painter.drawPixmap(0, 0, pixmap)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(tinted.rect(), colour)
    painter.end()
    return QIcon(tinted)


class ListenControls(QWidget):
    """Listen; while speaking Pause and Stop; while paused Resume and Stop.

    Pause and Resume are left out for an engine that cannot pause. The
    controls hide themselves when there is no reader (``set_available``).

    Signals:
        listen_requested(), pause_requested(), resume_requested(),
        stop_requested(): a tap on the button of that name.
    """

    listen_requested = Signal()
    pause_requested = Signal()
    resume_requested = Signal()
    stop_requested = Signal()

    def __init__(
        self, labels: Mapping[str, str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("listenControls")
        self._given = dict(labels) if labels else None
        words = _labels(self._given)
        self.listen_button = button(words["listen"], "quiet", "listenButton")
        self.pause_button = button(words["pause"], "quiet", "pauseButton")
        self.resume_button = button(words["resume"], "quiet", "resumeButton")
        self.stop_button = button(words["stop"], "quiet", "stopReadingButton")
        self.listen_button.clicked.connect(self.listen_requested)
        self.pause_button.clicked.connect(self.pause_requested)
        self.resume_button.clicked.connect(self.resume_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self._settling = False
        for control in self.buttons():
            # The keypad leaves a reading alone when one of these is chosen: the
            # button says what happens to it (Pause pauses; it does not stop).
            control.setProperty(READING_CONTROL, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(TARGET_GAP)
        for widget in self.buttons():
            row.addWidget(widget)
        row.addStretch(1)
        self._can_pause = True
        self._state = SpeechState.IDLE
        self.set_state(SpeechState.IDLE)
        # Its place is kept while there is no reader yet: the text below does
        # not jump when Listen appears (``keep_place(False)``: speech is off).
        self.keep_place(True)
        # Drawn when Listen first shows: reading the SVG loads Qt's SVG
        # library (about 7 MiB), which a kiosk without speech never needs.
        self._speaker: QIcon | None = None

    def keep_place(self, keep: bool) -> None:
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(keep)
        self.setSizePolicy(policy)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            self._tint_speaker()  # high contrast: the icon follows the text's colour

    def _tint_speaker(self) -> None:
        """The speaker in Listen's text colour, as tall as a capital letter or so."""
        if self._speaker is None:
            return
        side = max(16, self.listen_button.fontMetrics().height())
        colour = self.listen_button.palette().color(QPalette.ColorRole.ButtonText)
        self.listen_button.setIcon(_tinted(self._speaker, QSize(side, side), colour))
        self.listen_button.setIconSize(QSize(side, side))

    def buttons(self) -> tuple[QPushButton, ...]:
        return (self.listen_button, self.pause_button, self.resume_button, self.stop_button)

    def visible_labels(self) -> list[str]:
        """The labels a patient sees now, left to right (for tests and logs)."""
        return [b.text() for b in self.buttons() if not b.isHidden()]

    def set_available(self, available: bool, can_pause: bool = True) -> None:
        """Shown only with a reader; Pause / Resume only if its engine can pause."""
        self._can_pause = can_pause
        self.set_state(self._state)
        if available and self._speaker is None:
            self._speaker = QIcon(str(resource_dir() / "icons" / SPEAKER_ICON))
            self._tint_speaker()
        self.setHidden(not available)

    @property
    def settling(self) -> bool:
        """True while ``set_state`` swaps the buttons: a focus move then is the
        screen's (Listen turning into Pause under it), not the patient's."""
        return self._settling

    def set_state(self, state: str) -> None:
        self._settling = True
        try:
            self._set_state(state)
        finally:
            self._settling = False

    def _set_state(self, state: str) -> None:
        self._state = SpeechState(state)
        busy = self._state != SpeechState.IDLE
        had_focus = next((b for b in self.buttons() if b.hasFocus()), None)
        self.listen_button.setHidden(busy)
        self.pause_button.setHidden(not (self._can_pause and self._state == SpeechState.SPEAKING))
        self.resume_button.setHidden(not (self._can_pause and self._state == SpeechState.PAUSED))
        self.stop_button.setHidden(not busy)
        if had_focus is not None and had_focus.isHidden():
            # A keyboard user pressed Listen (or Pause): the focus goes to the
            # button that took its place, not into the page.
            shown = next((b for b in self.buttons() if not b.isHidden()), None)
            if shown is not None:
                shown.setFocus(Qt.FocusReason.OtherFocusReason)

    def relabel(self, labels: Mapping[str, str] | None = None) -> None:
        """New words (another language): from ``labels``, else those given at
        construction, else ``kiosk.ui.i18n.strings`` as it is now."""
        if labels is not None:
            self._given = dict(labels)
        words = _labels(self._given)
        for key, widget in zip(("listen", "pause", "resume", "stop"), self.buttons(), strict=True):
            widget.setText(words[key])
            widget.setAccessibleName(words[key])


class PageReader(QObject):
    """Reads the page in ``browser`` aloud when "Listen" is tapped, and shows
    the word being read.

    The word is highlighted with ``setExtraSelections`` in the browser's
    palette's Highlight / HighlightedText colours (a style sheet's
    ``selection-background-color`` sets them, so a high-contrast theme
    restyles it) and scrolled into view when it leaves it. Reading stops, and
    the highlight goes, when ``stop()`` is called (page change, reset), when
    the page's text changes under it (``setHtml``, ``clear``) and when the
    controls are hidden (another screen shows).

    Signals:
        active(): someone is listening: at the start, at each word, and every
            ``ACTIVE_EVERY_MS`` while speaking (speech-dispatcher reports no
            words). A patient who listens does not touch the screen: feed it
            to the idle clock. Not while paused: a pause may be someone
            walking away.
    """

    active = Signal()
    ACTIVE_EVERY_MS = 10_000

    def __init__(
        self,
        reader: Reader | ThreadedReader | None,
        controls: ListenControls,
        browser: QTextEdit,
        title: str | Callable[[], str] = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controls = controls
        self.browser = browser
        self._title = title
        self.reader: Reader | ThreadedReader | None = None
        # Runs only while speaking, so an idle kiosk has no timer ticking.
        self.active_timer = QTimer(self)
        self.active_timer.setInterval(self.ACTIVE_EVERY_MS)
        self.active_timer.timeout.connect(self.active)
        self._document = browser.document()
        self._document.contentsChanged.connect(self.on_document_changed)
        controls.listen_requested.connect(self.read)
        controls.pause_requested.connect(self.pause)
        controls.resume_requested.connect(self.resume)
        controls.stop_requested.connect(self.stop)
        controls.installEventFilter(self)
        self.set_reader(reader)

    def set_reader(self, reader: Reader | ThreadedReader | None) -> None:
        """Use ``reader`` (None: no engine, so no controls). Lets the window
        make the reader after the first paint rather than before it."""
        if self.reader is not None:
            self.reader.stop()
            self.reader.state_changed.disconnect(self.on_state_changed)
            self.reader.word.disconnect(self.on_word)
        self.reader = reader
        if reader is not None:
            reader.state_changed.connect(self.on_state_changed)
            reader.word.connect(self.on_word)
        self.controls.set_state(SpeechState.IDLE)
        self.controls.set_available(reader is not None, reader.can_pause if reader else True)
        self.clear_highlight()

    def set_title(self, title: str | Callable[[], str]) -> None:
        self._title = title

    def title(self) -> str:
        return self._title() if callable(self._title) else self._title

    def set_language(self, language: str, labels: Mapping[str, str] | None = None) -> None:
        """The patient chose another language: stop, new voice, new words."""
        self.stop()
        if self.reader is not None:
            self.reader.set_language(language)
        self.controls.relabel(labels)

    @property
    def state(self) -> SpeechState:
        return self.reader.state if self.reader is not None else SpeechState.IDLE

    # -- the controls ---------------------------------------------------------------
    def read(self) -> None:
        """Read the title and the document's text (what the patient sees)."""
        if self.reader is None:
            return
        if self.browser.document() is not self._document:
            self._document.contentsChanged.disconnect(self.on_document_changed)
            self._document = self.browser.document()
            self._document.contentsChanged.connect(self.on_document_changed)
        self.clear_highlight()
        self.reader.say(self.title(), self._document.toPlainText())

    def pause(self) -> None:
        if self.reader is not None:
            self.reader.pause()

    def resume(self) -> None:
        if self.reader is not None:
            self.reader.resume()

    def stop(self) -> None:
        """Stop reading and clear the highlight (page change, reset, language)."""
        if self.reader is not None:
            self.reader.stop()
        self.clear_highlight()

    # -- what happens -------------------------------------------------------------------
    def on_state_changed(self, state: str) -> None:
        self.controls.set_state(state)
        if state == SpeechState.SPEAKING:
            self.active_timer.start()
            self.active.emit()
        else:
            self.active_timer.stop()
        if state == SpeechState.IDLE:
            self.clear_highlight()

    def on_word(self, start: int, length: int) -> None:
        if self.reader is None:
            return
        self.active.emit()
        begin = start - self.reader.body_offset
        end = begin + length
        size = self._document.characterCount() - 1  # less the final paragraph mark
        if begin < 0 or end > size:
            self.clear_highlight()  # a word of the title: it is not in the document
            return
        self.highlight(begin, end)

    def on_document_changed(self) -> None:
        # New text under a reading (another page, a reset, a live reload):
        # the offsets no longer match what is shown.
        if self.state != SpeechState.IDLE:
            self.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.controls and event.type() == QEvent.Type.Hide:
            self.stop()  # another screen is showing: nobody is reading this page
        return False

    # -- the highlight --------------------------------------------------------------
    def highlight(self, begin: int, end: int) -> None:
        """Mark document positions ``begin``..``end`` and keep them in view."""
        cursor = QTextCursor(self._document)
        cursor.setPosition(begin)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        palette = self.browser.palette()
        mark = QTextCharFormat()
        mark.setBackground(QBrush(palette.color(QPalette.ColorRole.Highlight)))
        mark.setForeground(QBrush(palette.color(QPalette.ColorRole.HighlightedText)))
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = mark
        self.browser.setExtraSelections([selection])
        self._scroll_to(cursor)

    def highlighted(self) -> tuple[int, int] | None:
        """The highlighted span as document positions, or None."""
        selections = self.browser.extraSelections()
        if not selections:
            return None
        cursor = selections[0].cursor
        return cursor.selectionStart(), cursor.selectionEnd()

    def clear_highlight(self) -> None:
        if self.browser.extraSelections():
            self.browser.setExtraSelections([])

    def _scroll_to(self, cursor: QTextCursor) -> None:
        """Bring the word into view when it is not: a third of the way down,
        so the lines after it show too. The browser's own text cursor is not
        moved (``ensureCursorVisible`` would need it)."""
        end = QTextCursor(cursor)
        end.setPosition(cursor.selectionEnd())
        top = self.browser.cursorRect(cursor).top()
        bottom = self.browser.cursorRect(end).bottom()
        height = self.browser.viewport().height()
        if top >= 0 and bottom <= height:
            return
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + top - height // 3)


@dataclass(frozen=True)
class EngineReady:
    """What the GUI thread needs to know of a reader made in the speech thread."""

    engine: str
    can_pause: bool
    reports_words: bool
    default_rate: float = 0.0  # the engine's own, as it was made (audio mode goes back to them)
    default_volume: float = 1.0


class _EngineHost(QObject):
    """Lives in the speech thread: probes, makes the ``Reader`` there (so its
    ``QTextToSpeech`` lives there too) and drives it. Every call reaches it as
    a queued signal; it answers the same way, so the GUI thread never waits on
    the engine (speech-dispatcher holds its caller 1.5 to 2.5 s when made, and
    each stop is a round trip to the daemon)."""

    made = Signal(object)  # an EngineReady, or why not (str)
    # Each report says for whom (the channel that asked last): the page's
    # reading and audio mode's voice share the one engine.
    state_changed = Signal(str, str)  # channel, state
    word = Signal(str, int, int)  # channel, start, length

    def __init__(self, make: Callable[[], Reader | None], probe: Callable[[], str | None]) -> None:
        super().__init__()
        self._make = make
        self._probe = probe
        self._reader: Reader | None = None
        self._channel = PAGE_CHANNEL

    @Slot()
    def try_start(self) -> None:
        try:
            why = self._probe()
            if why is None and QThread.currentThread().isInterruptionRequested():
                return  # the kiosk is quitting: no engine to make and let go again
            reader = self._make() if why is None else None
        except Exception as exc:  # a try must not take the speech thread down with it
            why, reader = f"the engine could not be started: {exc!r}", None
        if reader is None:
            self.made.emit(why or "the engine did not start (see the log)")
            return
        self._reader = reader
        reader.state_changed.connect(lambda state: self.state_changed.emit(self._channel, state))
        reader.word.connect(lambda start, length: self.word.emit(self._channel, start, length))
        self.made.emit(
            EngineReady(
                reader.engine,
                reader.can_pause,
                reader.reports_words,
                reader.default_rate,
                reader.default_volume,
            )
        )

    @Slot(str, str, str)
    def say(self, channel: str, title: str, text: str) -> None:
        if self._reader is None:
            return
        if channel != self._channel:
            # The other channel's speech is cut short by this one: it is idle.
            self.state_changed.emit(self._channel, SpeechState.IDLE.value)
            self._channel = channel
            if self._reader.state != SpeechState.IDLE:
                self.state_changed.emit(channel, self._reader.state.value)
        self._reader.say(title, text)

    @Slot(float)
    def set_rate(self, rate: float) -> None:
        if self._reader is not None:
            self._reader.set_rate(rate)

    @Slot(float)
    def set_volume(self, volume: float) -> None:
        if self._reader is not None:
            self._reader.set_volume(volume)

    @Slot()
    def pause(self) -> None:
        if self._reader is not None:
            self._reader.pause()

    @Slot()
    def resume(self) -> None:
        if self._reader is not None:
            self._reader.resume()

    @Slot()
    def stop(self) -> None:
        if self._reader is not None:
            self._reader.stop()

    @Slot(str)
    def set_language(self, language: str) -> None:
        if self._reader is not None:
            self._reader.set_language(language)

    @Slot()
    def release(self) -> None:
        """The engine goes in the thread it was made in: called there as the
        thread ends (its ``finished``), after the try that was running, if any."""
        if self._reader is not None:
            self._reader.stop()
            self._reader.deleteLater()
            self._reader = None


class ThreadedReader(QObject):
    """The GUI thread's side of a ``Reader`` living in the speech thread: the
    same calls and signals as ``Reader``, each call posted, never waited for.

    ``stop()`` makes the state idle at once (as ``Reader.stop`` does); the
    engine's own reports follow as they come.

    ``channel`` names who speaks through it: the page's reading
    (``PAGE_CHANNEL``) or audio mode's voice (``VOICE_CHANNEL``). They share
    the engine; each hears only the reports of its own speech, and a channel
    whose speech the other cut short goes idle.
    """

    state_changed = Signal(str)
    word = Signal(int, int)
    _say = Signal(str, str, str)
    _pause = Signal()
    _resume = Signal()
    _stop = Signal()
    _language = Signal(str)
    _rate = Signal(float)
    _volume = Signal(float)

    def __init__(
        self,
        host: _EngineHost,
        ready: EngineReady,
        parent: QObject | None = None,
        *,
        channel: str = PAGE_CHANNEL,
    ):
        super().__init__(parent)
        self.channel = channel
        self.engine = ready.engine
        self.default_rate = ready.default_rate
        self.default_volume = ready.default_volume
        self.can_pause = ready.can_pause
        self.reports_words = ready.reports_words
        self._state = SpeechState.IDLE
        self._body_offset = 0
        self._asked = False  # a say was sent since the last stop
        # The host lives in another thread: these are queued both ways.
        self._say.connect(host.say)
        self._pause.connect(host.pause)
        self._resume.connect(host.resume)
        self._stop.connect(host.stop)
        self._language.connect(host.set_language)
        self._rate.connect(host.set_rate)
        self._volume.connect(host.set_volume)
        host.state_changed.connect(self._on_host_state)
        host.word.connect(self._on_host_word)

    @property
    def state(self) -> SpeechState:
        return self._state

    @property
    def body_offset(self) -> int:
        return self._body_offset

    def say(self, title: str, text: str) -> None:
        spoken, self._body_offset = spoken_text(title, text)
        if spoken:
            self._asked = True
            self._say.emit(self.channel, title, text)

    def pause(self) -> None:
        if self._state == SpeechState.SPEAKING:
            self._pause.emit()

    def resume(self) -> None:
        if self._state == SpeechState.PAUSED:
            self._resume.emit()

    def stop(self) -> None:
        # Also when the engine has not said "speaking" yet: a page turned
        # just after Listen must not be read on.
        if self._asked or self._state != SpeechState.IDLE:
            self._asked = False
            self._stop.emit()
            self._on_state(SpeechState.IDLE)

    def set_language(self, language: str) -> None:
        self._language.emit(language)

    def set_rate(self, rate: float) -> None:
        """For every channel: the engine is shared (see ``Reader.set_rate``)."""
        self._rate.emit(rate)

    def set_volume(self, volume: float) -> None:
        self._volume.emit(volume)

    def _on_host_state(self, channel: str, state: str) -> None:
        if channel == self.channel:
            self._on_state(state)

    def _on_host_word(self, channel: str, start: int, length: int) -> None:
        if channel == self.channel:
            self.word.emit(start, length)

    def _on_state(self, state: str) -> None:
        if state != self._state:
            self._state = SpeechState(state)
            self.state_changed.emit(state)


class SpeechStarter(QObject):
    """Gives the page a reader when there is an engine to speak with, and
    never keeps the GUI thread waiting for it, however slow or missing.

    The engine is probed and made in a speech thread of its own
    (``_EngineHost``; ``make`` runs there, ``probe`` first, see
    ``probe_engine``), and lives there: the GUI thread gets a
    ``ThreadedReader``. Qt's documentation asks nothing of QTextToSpeech's
    thread: it is a plain QObject, and its speech-dispatcher engine posts the
    daemon's callbacks to its own thread's event loop. A try that finds no
    engine, or a ``make`` that returns None, is tried again ``retry_ms`` later
    (``clock`` is the monotonic clock, for tests): never sooner, and never two
    at once.

    The thread starts with the first try, and ``close()`` (on the
    application's quit, and from ``Kiosk.exec`` once its loop has returned)
    ends it: Qt aborts the whole process when a running ``QThread`` is
    destroyed, as Python's exit would do. Closed, it never starts again.

    Signals:
        ready(object): a ``ThreadedReader`` for the page (``PAGE_CHANNEL``);
            ``voice`` is then audio mode's, on the same engine.
        missing(): a try found no engine (after each such try).
    """

    ready = Signal(object)
    missing = Signal()
    _try = Signal()

    def __init__(
        self,
        make: Callable[[], Reader | None],
        probe: Callable[[], str | None] = probe_engine,
        *,
        retry_ms: int = RETRY_MS,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._retry_ms = retry_ms
        self._clock = clock
        self._last_try: float | None = None
        self._busy = False
        self._closed = False
        self._last_why: str | None = None
        self.reader: ThreadedReader | None = None
        self.voice: ThreadedReader | None = None
        self.tries = 0
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.start)
        self.thread_ = QThread()
        self.thread_.setObjectName("speech")
        self._host = _EngineHost(make, probe)
        self._host.moveToThread(self.thread_)
        self._try.connect(self._host.try_start)
        self._host.made.connect(self._on_made)
        # Both run in the speech thread as it ends, after any try still
        # running there: a queued "release" would be dropped with the loop.
        self.thread_.finished.connect(self._host.release, Qt.ConnectionType.DirectConnection)
        self.thread_.finished.connect(self._host.deleteLater, Qt.ConnectionType.DirectConnection)
        app = QCoreApplication.instance()
        if app is not None:
            # Qt 6 emits it inside exit(): a quit asked for before this line
            # is not heard here, hence close() from Kiosk.exec as well.
            app.aboutToQuit.connect(self.close)

    def start(self) -> None:
        """A try now, unless one is running, a reader was made, the starter
        is closed, or the last try was less than ``retry_ms`` ago (then the
        retry waits its turn)."""
        if self._busy or self.reader is not None or self._closed:
            return
        now = self._clock()
        if self._last_try is not None:
            wait_ms = int((self._last_try + self._retry_ms / 1000 - now) * 1000)
            if wait_ms > 0:
                self.retry_timer.start(wait_ms)
                return
        if not self.thread_.isRunning():
            self.thread_.start()
            log.info("read aloud: looking for a speech engine (in the speech thread)")
        self._busy = True
        self._last_try = now
        self.tries += 1
        self._try.emit()

    def close(self, wait_ms: int = CLOSE_WAIT_MS) -> bool:
        """Let the engine go and end the speech thread, waiting at most
        ``wait_ms`` for a try that is under way. True once the thread has
        ended (or never ran); False when it is still busy: an engine stuck
        mid-start, which the caller must not destroy (see the class)."""
        self._closed = True
        self.retry_timer.stop()
        if not self.thread_.isRunning():
            return True
        # A try between its probe and make stops there; one in make ends first.
        self.thread_.requestInterruption()
        self.thread_.quit()
        if self.thread_.wait(wait_ms):
            return True
        log.warning("read aloud: the speech thread did not end within %d ms", wait_ms)
        return False

    def _on_made(self, made: EngineReady | str) -> None:
        self._busy = False
        if self._closed:
            return  # an answer that crossed the quit: nobody will read with it
        if isinstance(made, EngineReady):
            self.reader = ThreadedReader(self._host, made, self)
            self.voice = ThreadedReader(self._host, made, self, channel=VOICE_CHANNEL)
            self.ready.emit(self.reader)
            return
        if made != self._last_why:  # a machine with no engine says so once, not every minute
            log.info(
                "read aloud: not yet (%s); trying again every %d s", made, self._retry_ms // 1000
            )
        self._last_why = made
        self.retry_timer.start(self._retry_ms)
        self.missing.emit()
