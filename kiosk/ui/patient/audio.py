"""Audio mode: the kiosk by ear, for a patient who cannot see the screen.

Plugging headphones in (``HeadphoneWatch``) or the clinic's config
(``[audio] mode = "always"``) turns it on. Then ``AudioMode``:

- says a short welcome with how to move and choose;
- speaks what the focus lands on (``describe``: the control's name, what kind
  of control it is, its state, its mistake, a field's value), what the screens
  announce (a new page, crisis help, the form's step and its first mistake,
  "Are you still there?", the thank-you: every ``widgets.announce``), the
  idle countdown, and a page's text through the page's own reader;
- repeats, interrupts, speaks faster or slower, louder or quieter (bounded
  steps), all back to their defaults at the idle reset;
- gives the patient ten times the idle time (WCAG 2.2.1), warning and
  countdown kept.

Speech goes through the page's engine in the speech thread
(kiosk/ui/patient/speech.py) on a channel of its own (``VOICE_CHANNEL``), so
the page's Listen controls never react to it. The keypad and touch
exploration (keypad.py, explore.py) speak only through ``Voice``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QProcess, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kiosk.ui.i18n import strings
from kiosk.ui.patient.keyboard import Key
from kiosk.ui.patient.speech import READING_CONTROL, SpeechState, spoken_text
from kiosk.ui.widgets import Choices, hear_announcements, sentences

if TYPE_CHECKING:
    from kiosk.ui.patient.page import PageScreen
    from kiosk.ui.patient.speech import PageReader
    from kiosk.ui.window import KioskWindow

log = logging.getLogger(__name__)

#: ``[audio] mode``: headphones start audio mode; always on; never.
HEADPHONES, ALWAYS, OFF = "headphones", "always", "off"
#: In audio mode the idle time is this many times the clinic's (WCAG 2.2.1).
IDLE_STRETCH = 10
#: QTextToSpeech's rate runs -1..1 (0: the voice's own) and its volume 0..1;
#: each starts where the engine has it (``Speaker.default_rate``, ``default_volume``).
RATE_STEP, MIN_RATE, MAX_RATE = 0.25, -1.0, 1.0
#: Never silent: a patient who turned it all the way down could not hear how to turn it up.
VOLUME_STEP, MIN_VOLUME, MAX_VOLUME = 0.1, 0.2, 1.0
#: The idle countdown is spoken as a sentence at every multiple of this many
#: seconds, and as a bare number in the last ``COUNT_LAST`` seconds. Ten: the
#: sentence takes about 5.5 s at a voice's usual rate, and said every 5 s each
#: was cut off before its number (found in review).
COUNT_EVERY, COUNT_LAST = 10, 3


class Voice(Protocol):
    """What the keypad and touch exploration may ask of audio mode."""

    @property
    def changed(self) -> SignalInstance: ...  # (bool) audio mode turned on/off
    @property
    def active(self) -> bool: ...
    @property
    def audible(self) -> bool: ...  # active, with an engine to speak with
    def say(self, text: str) -> None: ...
    def stop(self) -> None: ...
    def repeat(self) -> None: ...
    def faster(self) -> None: ...
    def slower(self) -> None: ...
    def louder(self) -> None: ...
    def quieter(self) -> None: ...
    def describe(self, widget: QWidget) -> str: ...
    def speaks_for(self, widget: QWidget) -> bool: ...
    def reset(self) -> None: ...


class Speaker(Protocol):
    """The engine's side: a ``Reader``, or the GUI thread's ``ThreadedReader``
    on the voice channel."""

    @property
    def default_rate(self) -> float: ...
    @property
    def default_volume(self) -> float: ...
    def say(self, title: str, text: str) -> None: ...
    def stop(self) -> None: ...
    def set_rate(self, rate: float) -> None: ...
    def set_volume(self, volume: float) -> None: ...


def _clamp(value: float, low: float, high: float) -> float:
    # Rounded: steps of 0.25 and 0.2 should land on the bounds exactly.
    return round(max(low, min(high, value)), 2)


class AudioMode(QObject):
    """The kiosk spoken aloud; see the module's docstring.

    Signals:
        changed(bool): audio mode turned on (True) or off.
        spoken(str): what was just handed to the engine (for tests; never
            logged: it can be what a patient typed).
    """

    changed = Signal(bool)
    spoken = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active = False
        self._speaker: Speaker | None = None
        self._page: PageReader | None = None
        self._window: KioskWindow | None = None
        # The engine's own until it comes (``set_speaker``); a patient's
        # changes last until the idle reset.
        self._defaults = (0.0, 1.0)
        self._rate, self._volume = self._defaults
        self._last = ""
        self._last_was_page = False
        self._welcome_due = False
        # What one pass of the event loop asked to be said, said together at
        # its end: a step's title with the field the focus lands on, not the
        # one cutting the other off.
        self._pending: list[str] = []
        self._focus: QWidget | None = None
        self._read_page = False
        self._page_due = False  # to be read once its text is in (``text_shown``)
        self._screen: PageScreen | None = None
        self._choice: QAbstractButton | None = None  # the focused choice, heard when toggled
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

    # -- the contract (Voice) ---------------------------------------------------
    @property
    def active(self) -> bool:
        return self._active

    @property
    def audible(self) -> bool:
        """On and with an engine to speak with. Touch exploration and the privacy
        screen wait for it: with no engine (none installed, or it never answers)
        a kiosk set to "always" would otherwise take every tap and say nothing,
        a dead screen for everyone (found in review)."""
        return self._active and self._speaker is not None

    def say(self, text: str) -> None:
        """Speak ``text`` now, cutting off whatever is being said."""
        if not self._active or not text.strip():
            return
        self._last, self._last_was_page = text, False
        self._stop_page()
        if self._speaker is not None:
            self._speaker.say(text, "")
            self.spoken.emit(text)

    def stop(self) -> None:
        self._pending.clear()
        self._focus = None
        self._read_page = self._page_due = False
        self._flush_timer.stop()
        if self._speaker is not None:
            self._speaker.stop()
        self._stop_page()

    def repeat(self) -> None:
        if self._last_was_page:
            self._read_the_page()
        else:
            self.say(self._last)

    def faster(self) -> None:
        self._confirm(self._set_rate(self._rate + RATE_STEP), strings.SPEECH_FASTER)

    def slower(self) -> None:
        self._confirm(self._set_rate(self._rate - RATE_STEP), strings.SPEECH_SLOWER)

    def louder(self) -> None:
        self._confirm(self._set_volume(self._volume + VOLUME_STEP), strings.SPEECH_LOUDER)

    def quieter(self) -> None:
        self._confirm(self._set_volume(self._volume - VOLUME_STEP), strings.SPEECH_QUIETER)

    def _confirm(self, moved: bool, word: str) -> None:
        """Said at the new rate or volume ("Faster."), or that it is at its end:
        the keys gave no sign they did anything (found in review). Not while a
        page is read: its reading, at the new rate, says it, and is not cut."""
        if self._page is not None and self._page.state != SpeechState.IDLE:
            return
        self.say(word if moved else strings.SPEECH_AT_LIMIT)

    def describe(self, widget: QWidget) -> str:
        """Its name, its kind ("button", "text box"), its state ("selected"),
        its accessible description (a mistake, a tile's summary), a field's value."""
        name = widget.spoken() if isinstance(widget, Key) else widget.accessibleName()
        if not name and isinstance(widget, QAbstractButton):
            name = widget.text()
        parts = [name]
        if isinstance(widget, QCheckBox):
            checked = widget.isChecked()
            parts += [strings.ROLE_CHECK_BOX, strings.CHECKED if checked else strings.NOT_CHECKED]
        elif isinstance(widget, QAbstractButton):
            parts.append(strings.ROLE_BUTTON)
            if widget.isCheckable():
                parts.append(strings.SELECTED if widget.isChecked() else strings.NOT_SELECTED)
        elif isinstance(widget, QLineEdit | QPlainTextEdit) and not widget.isReadOnly():
            parts.append(strings.ROLE_TEXT_BOX)
            parts.append(_value(widget) or strings.BLANK)
        parts.append(widget.accessibleDescription())
        return ", ".join(part.strip() for part in parts if part.strip())

    def reset(self) -> None:
        """The idle reset: default rate and volume, nothing of the last patient's
        to repeat, and the welcome again for the next (headphones left plugged
        in, or a kiosk always in audio mode: silence taught them nothing)."""
        self.stop()
        self._last, self._last_was_page = "", False
        if (self._rate, self._volume) != self._defaults:
            self._rate, self._volume = self._defaults
            self._apply_voice()
        if self._active:
            self._welcome()

    # -- turning it on and off --------------------------------------------------
    @property
    def defaults(self) -> tuple[float, float]:
        """The engine's own rate and volume, which ``reset`` goes back to."""
        return self._defaults

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def volume(self) -> float:
        return self._volume

    def set_active(self, active: bool) -> None:
        """On: the welcome (as soon as there is an engine). Off: silence."""
        if active == self._active:
            return
        if not active:
            self.stop()
        self._active = active
        log.info("audio mode %s", "on" if active else "off")
        self._welcome_due = active
        if active:
            self._welcome()
        self.changed.emit(active)

    def set_speaker(self, speaker: Speaker | None) -> None:
        """The engine to speak with (it comes seconds after the first paint),
        at its own rate and volume: those of the page's Listen too."""
        self._speaker = speaker
        if speaker is not None:
            self._defaults = (speaker.default_rate, speaker.default_volume)
            self._rate, self._volume = self._defaults
        if self._welcome_due:
            self._welcome()

    def _welcome(self) -> None:
        if self._speaker is None:
            return  # said when the engine comes
        self._welcome_due = False
        self.say(strings.AUDIO_WELCOME)

    # -- following the window ---------------------------------------------------
    def follow(self, window: KioskWindow) -> None:
        """Speak what happens in ``window``: its announcements, the focus, a
        page shown, the idle countdown; the idle time stretched while on, and
        everything reset at the idle reset. Builds the page screen."""
        self._window = window
        self._screen = window.page
        self._page = window.page.read_aloud
        self._page.controls.listen_requested.connect(self._on_listen)
        window.page.text_shown.connect(self._on_text_shown)
        # Not heard once this is gone (a test's window, a rebuilt one).
        self.destroyed.connect(hear_announcements(self._heard))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus)
        window.screen_changed.connect(self._on_screen)
        window.idle.tick.connect(self._on_tick)
        window.was_reset.connect(self.reset)
        self.changed.connect(lambda on: window.idle.set_stretch(IDLE_STRETCH if on else 1))

    def speaks_for(self, widget: QWidget) -> bool:
        """Whether ``widget`` is one audio mode speaks for (a patients' screen's),
        not staff mode's, whose PIN pad and keyboards (a recovery code) must not
        go into headphones left plugged in: the keypad's walk over keys and touch
        exploration leave those alone."""
        return self._window is None or self._inside(widget)

    def _inside(self, widget: QWidget) -> bool:
        """Part of what patients see: the bar, the screens, the patients'
        overlays. Not staff mode's PIN pad and panel (their digits are not for
        headphones left plugged in)."""
        window = self._window
        if window is None or widget is window:
            return widget is window
        areas = (window.bar, window.stack, window.crisis, window.idle_overlay, window.display)
        return any(area is widget or area.isAncestorOf(widget) for area in areas)

    def _heard(self, widget: QWidget, text: str) -> None:
        if self._active and self._inside(widget):
            self._pending.append(text)
            self._flush_timer.start()

    def _on_focus(self, old: QWidget | None, new: QWidget | None) -> None:
        if not self._active or new is None or not self._inside(new):
            return
        if any(_settling(widget) for widget in (old, new)):
            # Listen turned into Pause (or Pause into Resume) under the focus as
            # a reading began, paused or ended, however it was started: the
            # screen's move. Taken for the patient's, it stopped the reading.
            return
        group = _question_of(new)
        if group is not None and (old is None or not group.isAncestorOf(old)):
            # Into a set of choices: its question first ("How should we contact
            # you? Call, button, not selected"), as a sighted patient reads it.
            self._pending.append(group.accessibleName())
        self._watch_choice(new)
        self._focus = new
        self._flush_timer.start()

    def _watch_choice(self, widget: QWidget) -> None:
        """A choice or check box with the focus says its new state when chosen."""
        if self._choice is not None:
            self._choice.toggled.disconnect(self._on_toggled)
            self._choice = None
        if isinstance(widget, QAbstractButton) and widget.isCheckable():
            self._choice = widget
            widget.toggled.connect(self._on_toggled)

    def _on_toggled(self, _checked: bool) -> None:
        if self._active and self._choice is not None and self._choice.hasFocus():
            self._focus = self._choice
            self._flush_timer.start()

    def _on_screen(self, screen: str) -> None:
        if not self._active:
            return
        # What the screen being left announced in this pass is not said on the
        # new one ("Clear and go home" resets the form to step 1 on its way out:
        # "Step 1 of 4" was heard on home).
        self._pending.clear()
        if screen.startswith("page:"):
            self._read_page = True
            self._flush_timer.start()
            return
        self._page_due = False  # the patient left before the page's text came
        if screen == "home":
            self._pending.append(strings.HOME_SPOKEN)
        elif screen == "request" and self._window is not None:
            self._pending.append(self._window.request.step_spoken())  # where the form is
        self._flush_timer.start()

    def _on_listen(self) -> None:
        """The page's own Listen: the page is what "again" says now."""
        if self._active:
            self._last, self._last_was_page = "", True

    def _on_text_shown(self) -> None:
        if self._page_due:
            self._page_due = False
            self._read_page = True
            self._flush_timer.start()

    def _on_tick(self, seconds: int) -> None:
        if seconds % COUNT_EVERY == 0:
            self.say(strings.still_there_body(seconds))
        elif seconds <= COUNT_LAST:
            self.say(str(seconds))

    def _flush(self) -> None:
        pending, focus, read_page = self._pending, self._focus, self._read_page
        self._pending, self._focus, self._read_page = [], None, False
        if not self._active:
            return
        if read_page and self._screen is not None and self._screen.waiting:
            self._page_due = True  # read once its text is in: not the title alone
        if self._page_due:
            return  # the page's reading will say where the patient is
        if read_page and self._read_the_page():
            return  # the page's title and text say more than its announcement
        if focus is not None:
            # Stopping a page's reading turns its Stop back into Listen, which
            # may move the focus: what is said is where the focus ends up.
            self._stop_page()
            focus = QApplication.focusWidget()
            self._focus = None
        if focus is not None and focus.isVisible() and self._inside(focus):
            pending.append(self.describe(focus))
        self.say(sentences(dict.fromkeys(part for part in pending if part.strip())))

    # -- speaking ---------------------------------------------------------------
    def _read_the_page(self) -> bool:
        """The page's title and text through the page's own reader (its
        word highlighted as it goes). False when there is none to read with."""
        page = self._page
        if not self._active or page is None or page.reader is None:
            return False
        if self._speaker is not None:
            self._speaker.stop()
        # Starting moves the focus from Listen to Pause at once: the screen's
        # move (``_settling``), not said, and the reading goes on.
        page.read()
        self._last, self._last_was_page = "", True
        said, _ = spoken_text(page.title(), page.browser.document().toPlainText())
        self.spoken.emit(said)
        return True

    def _stop_page(self) -> None:
        if self._page is not None and self._page.state != SpeechState.IDLE:
            self._page.stop()

    def _set_rate(self, rate: float) -> bool:
        """The new rate; whether it changed (not at its end already)."""
        before, self._rate = self._rate, _clamp(rate, MIN_RATE, MAX_RATE)
        self._apply_voice()
        return self._rate != before

    def _set_volume(self, volume: float) -> bool:
        before, self._volume = self._volume, _clamp(volume, MIN_VOLUME, MAX_VOLUME)
        self._apply_voice()
        return self._volume != before

    def _apply_voice(self) -> None:
        # The engine is shared: the page's reading takes the same rate and volume.
        if self._speaker is not None:
            self._speaker.set_rate(self._rate)
            self._speaker.set_volume(self._volume)


def _value(field: QLineEdit | QPlainTextEdit) -> str:
    """What a patient typed, unless the field hides it (a PIN)."""
    if isinstance(field, QLineEdit):
        return field.text() if field.echoMode() == QLineEdit.EchoMode.Normal else ""
    return field.toPlainText()


def _question_of(widget: QWidget) -> QWidget | None:
    """The set of choices ``widget`` is one of, when it is named by its question."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, Choices):
            return parent if parent.accessibleName().strip() else None
        parent = parent.parentWidget()
    return None


def _settling(widget: QWidget | None) -> bool:
    """A page's reading control while its row swaps buttons (``ReadAloudControls.settling``)."""
    if widget is None or not widget.property(READING_CONTROL):
        return False
    return bool(getattr(widget.parentWidget(), "settling", False))


# -- headphones ------------------------------------------------------------------
#: Words in a port's name, description or type that mean headphones.
HEADPHONE_WORDS = ("headphone", "headset")
#: pactl subscribe's lines, e.g. "Event 'change' on sink #56".
EVENT_LINE = re.compile(r"Event '(?P<what>\w+)' on (?P<facility>[\w-]+) #")
#: The events after which the answer may have changed: a port plugged or
#: unplugged changes its card and sink, another default sink changes the server.
WATCHED = {"sink", "card", "server"}
#: Quiet time after an event before asking: a plug sends a burst of them.
SETTLE_MS = 150
#: How long one ``pactl info`` or ``pactl list sinks`` may take (it answers in
#: milliseconds; a sound server that hangs would leave it waiting for ever, and
#: every later plug unheard), and how long after one is killed to ask again.
QUERY_TIMEOUT_MS = 5000
QUERY_RETRY_MS = 30_000


@dataclass(frozen=True)
class Port:
    name: str
    description: str
    kind: str  # its type ("Headphones", "Speaker"); "" from an older pactl
    available: bool  # False only when pactl says "not available"

    @property
    def is_headphones(self) -> bool:
        said = f"{self.name} {self.description} {self.kind}".casefold()
        return any(word in said for word in HEADPHONE_WORDS)


@dataclass(frozen=True)
class Sink:
    name: str
    active_port: str
    ports: tuple[Port, ...]
    #: Its ``device.form_factor`` ("headset", "headphone", "speaker", ...): a
    #: USB or Bluetooth headset is a sink of its own, whose port may be a plain
    #: "Analog Output".
    form_factor: str = ""

    @property
    def worn(self) -> bool:
        """A headset or headphones as a device of its own (its form factor,
        or its name: "alsa_output.usb-Logitech_USB_Headset-00.analog-stereo")."""
        said = f"{self.name} {self.form_factor}".casefold()
        return any(word in said for word in HEADPHONE_WORDS)

    def headphones_in(self) -> bool:
        """Its active port is a headphone port that is plugged in, or it is a
        headset of its own (a USB or Bluetooth one) and its port is there."""
        port = next((p for p in self.ports if p.name == self.active_port), None)
        if port is None:
            return self.worn and not self.ports
        return port.available and (port.is_headphones or self.worn)


def sinks_from_json(text: str) -> list[Sink]:
    """``pactl --format=json list sinks``."""
    sinks = []
    for sink in json.loads(text):
        ports = tuple(
            Port(
                str(p.get("name", "")),
                str(p.get("description", "")),
                str(p.get("type", "")),
                str(p.get("availability", "")) != "not available",
            )
            for p in sink.get("ports", [])
        )
        properties = sink.get("properties") or {}
        sinks.append(
            Sink(
                str(sink.get("name", "")),
                str(sink.get("active_port") or ""),
                ports,
                str(properties.get("device.form_factor", "")),
            )
        )
    return sinks


PORT_LINE = re.compile(r"^\s+(?P<name>[^\s:]+): (?P<description>.*) \((?P<details>[^()]*)\)\s*$")


def sinks_from_text(text: str) -> list[Sink]:
    """``pactl list sinks`` (pactl before 16 has no JSON): "Name:", the
    "Ports:" lines (``name: Description (type: Headphones, ..., not
    available)``), "Active Port:" and the property ``device.form_factor``."""
    sinks: list[Sink] = []
    name, active, form_factor, in_ports = "", "", "", False
    ports: list[Port] = []
    for line in [*text.splitlines(), "Sink #end"]:
        stripped = line.strip()
        if line.startswith("Sink #"):
            if name:
                sinks.append(Sink(name, active, tuple(ports), form_factor))
            name, active, form_factor, ports, in_ports = "", "", "", [], False
        elif stripped.startswith("device.form_factor"):
            form_factor = stripped.partition("=")[2].strip().strip('"')
        elif stripped.startswith("Name:"):
            name = stripped.removeprefix("Name:").strip()
        elif stripped.startswith("Active Port:"):
            active = stripped.removeprefix("Active Port:").strip()
        elif stripped == "Ports:":
            in_ports = True
        elif in_ports and (found := PORT_LINE.match(line)):
            details = [d.strip() for d in found["details"].split(",")]
            kind = next(
                (d.removeprefix("type:").strip() for d in details if d.startswith("type:")), ""
            )
            ports.append(
                Port(found["name"], found["description"], kind, "not available" not in details)
            )
        elif in_ports and not line.startswith(("\t\t", "    ")):
            in_ports = False
    return sinks


def default_sink(info: str) -> str:
    """The default sink's name from ``pactl --format=json info`` or ``pactl info``."""
    try:
        return str(json.loads(info).get("default_sink_name", ""))
    except (ValueError, AttributeError):
        found = re.search(r"^Default Sink:\s*(\S+)", info, re.MULTILINE)
        return found[1] if found else ""


def headphones_in(sinks: list[Sink], default: str) -> bool:
    """The default sink's active port is headphones, plugged in; with no
    default known, any sink's."""
    chosen = [s for s in sinks if s.name == default] or sinks
    return any(sink.headphones_in() for sink in chosen)


class HeadphoneWatch(QObject):
    """Linux (PulseAudio, or PipeWire through pipewire-pulse): ``pactl
    subscribe`` runs alongside, and after a change on a sink, card or the
    server the default sink is looked at (``pactl info``, ``pactl list
    sinks``, each a process of its own: nothing blocks the GUI thread).

    No pactl, no sound server: headphones are never reported, one log line
    says why, and the kiosk runs on without audio mode. A query that does not
    answer in ``query_timeout_ms`` is killed (one log line) and asked again
    ``retry_ms`` later, or at the next change.

    Signals:
        plugged(bool): headphones in (True) or out, after each change of the
            answer (the first answer too, once it is True).
    """

    plugged = Signal(bool)

    def __init__(
        self,
        program: str = "pactl",
        *,
        settle_ms: int = SETTLE_MS,
        query_timeout_ms: int = QUERY_TIMEOUT_MS,
        retry_ms: int = QUERY_RETRY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._program = program
        self._json = True
        self._default = ""
        self.headphones = False
        self._events = QProcess(self)
        self._events.readyReadStandardOutput.connect(self._on_events)
        self._events.errorOccurred.connect(self._on_error)
        self._events.finished.connect(self._on_events_ended)
        self._query = QProcess(self)
        self._query.finished.connect(self._on_answer)
        self._query.errorOccurred.connect(self._on_error)
        self._asking: list[str] = []  # the query running now
        self._again = False  # a change came while asking
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self._ask)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(query_timeout_ms)
        self._deadline.timeout.connect(self._on_deadline)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self._ask)
        self._hung = False  # said once until a query answers again
        self._failed = False
        self._stopped = False

    def start(self) -> None:
        self._events.start(self._program, ["subscribe"])
        self._ask()  # headphones in before the kiosk started

    def stop(self) -> None:
        self._stopped = True
        for timer in (self._settle, self._deadline, self._retry):
            timer.stop()
        for process in (self._events, self._query):
            if process.state() != QProcess.ProcessState.NotRunning:
                process.kill()
                process.waitForFinished(1000)

    # -- events ------------------------------------------------------------------
    def _on_events(self) -> None:
        while self._events.canReadLine():
            line = bytes(self._events.readLine().data()).decode("utf-8", "replace")
            found = EVENT_LINE.search(line)
            if found and found["facility"] in WATCHED:
                self._settle.start()

    def _on_events_ended(self, code: int, _status: QProcess.ExitStatus) -> None:
        if self._failed or self._events.error() == QProcess.ProcessError.Crashed:
            return  # killed by stop(), or already said
        why = bytes(self._events.readAllStandardError().data()).decode("utf-8", "replace")
        self._give_up(f"pactl subscribe ended ({code}): {why.strip() or 'no reason given'}")

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._give_up(f"{self._program} could not be started (install pulseaudio-utils)")

    def _give_up(self, why: str) -> None:
        if not self._failed:
            self._failed = True
            log.warning("audio mode: headphones cannot be detected: %s", why)
        self._report(False)

    # -- asking ------------------------------------------------------------------
    def _ask(self) -> None:
        if self._failed or self._stopped:
            return
        if self._query.state() != QProcess.ProcessState.NotRunning:
            self._again = True
            return
        self._run(["info"])

    def _run(self, command: list[str]) -> None:
        self._asking = command
        arguments = ["--format=json", *command] if self._json else command
        self._retry.stop()
        self._query.start(self._program, arguments)
        self._deadline.start()

    def _on_deadline(self) -> None:
        """The query hangs (a stuck sound server): killed, asked again later."""
        if self._query.state() == QProcess.ProcessState.NotRunning:
            return
        if not self._hung:
            self._hung = True
            log.warning(
                "audio mode: pactl %s did not answer in %g s: stopped, asked again in %g s",
                " ".join(self._asking),
                self._deadline.interval() / 1000,
                self._retry.interval() / 1000,
            )
        self._query.kill()
        self._query.waitForFinished(1000)
        self._again = False
        if not self._stopped:
            self._retry.start()

    def _on_answer(self, code: int, status: QProcess.ExitStatus) -> None:
        self._deadline.stop()
        if self._stopped or status == QProcess.ExitStatus.CrashExit:
            return  # killed by stop() or the deadline, or gone: asked again later
        out = bytes(self._query.readAllStandardOutput().data()).decode("utf-8", "replace")
        if code != 0:
            if self._json:
                self._json = False  # pactl before 16: no --format
                self._run(self._asking)
            else:
                err = bytes(self._query.readAllStandardError().data()).decode("utf-8", "replace")
                self._give_up(f"pactl {' '.join(self._asking)} failed: {err.strip()}")
            return
        try:
            if self._asking == ["info"]:
                self._default = default_sink(out)
                self._run(["list", "sinks"])
                return
            sinks = sinks_from_json(out) if self._json else sinks_from_text(out)
        except (ValueError, AttributeError, TypeError) as exc:
            self._give_up(f"pactl's answer could not be read: {exc!r}")
            return
        if self._hung:
            self._hung = False
            log.info("audio mode: pactl answers again")
        self._report(headphones_in(sinks, self._default))
        if self._again:
            self._again = False
            self._ask()

    def _report(self, plugged: bool) -> None:
        if plugged != self.headphones:
            self.headphones = plugged
            log.info("audio mode: headphones %s", "plugged in" if plugged else "unplugged")
            self.plugged.emit(plugged)


class DefaultOutputWatch(QObject):
    """Windows (and any system without pactl's sound server): the default
    audio output's description names headphones or a headset ("Headphones
    (Realtek(R) Audio)"), looked at again at each ``audioOutputsChanged``.
    A sound card that keeps one "Speakers/Headphones" output for both shows
    no change: there, ``[audio] mode = "always"``. Not run by the tests,
    which run on Linux (docs/audio.md).

    Signals:
        plugged(bool): as ``HeadphoneWatch``'s.
    """

    plugged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Here, not at the top: QtMultimedia is needed only on this road.
        from PySide6.QtMultimedia import QMediaDevices

        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._look)
        self.headphones = False

    def start(self) -> None:
        self._look()

    def stop(self) -> None:
        self._devices.audioOutputsChanged.disconnect(self._look)

    def _look(self) -> None:
        description = self._devices.defaultAudioOutput().description()
        plugged = any(word in description.casefold() for word in HEADPHONE_WORDS)
        if plugged != self.headphones:
            self.headphones = plugged
            log.info("audio mode: default output %r", description)
            self.plugged.emit(plugged)


class Watch(Protocol):
    """What starts audio mode: ``HeadphoneWatch`` or ``DefaultOutputWatch``."""

    @property
    def plugged(self) -> SignalInstance: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...


def start_audio(
    window: KioskWindow,
    mode: str,
    voice_ready: SignalInstance | None,
    voice: Callable[[], Speaker | None],
) -> tuple[AudioMode, Watch | None]:
    """Audio mode for ``window`` as ``[audio] mode`` says; its speaker once
    ``voice_ready`` fires (the speech thread's engine), got from ``voice()``.
    Headphones are watched through pactl on Linux, through Qt's default
    output elsewhere."""
    audio = AudioMode(window)
    audio.follow(window)
    if voice_ready is not None:
        voice_ready.connect(lambda _reader: audio.set_speaker(voice()))
    elif mode != OFF:
        log.warning("audio mode: read aloud is off, so audio mode will be silent")
    watch: Watch | None = None
    if mode == ALWAYS:
        audio.set_active(True)
    elif mode == HEADPHONES:
        linux = sys.platform.startswith("linux")
        watch = HeadphoneWatch(parent=window) if linux else DefaultOutputWatch(window)
        watch.plugged.connect(audio.set_active)
        watch.start()
    return audio, watch
