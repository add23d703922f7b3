"""A tactile keypad drives the kiosk (issue 15): every screen moved through and
chosen from a number pad or an EZ Access-style keypad, a help key, the speech
keys, and the privacy screen.

A USB keypad is a keyboard to the computer: each of its keys sends a key code.
The keys a patient moves and chooses with become the arrows and Enter that
keyboard navigation (``kiosk.ui.keynav``) already understands, sent on to it:
there is one focus, one order and one way into an overlay, whatever the keys.

The numeric keypad (keys with ``KeypadModifier``; with Num Lock on or off):

======================  ===========================================
key                     does
======================  ===========================================
8 / 2 (Up / Down)       the previous / next control; out of a text box
4 / 6 (Left / Right)    the previous / next control (in a box: its cursor)
5 (Clear), Enter        choose: press the control (in a box: as Enter)
0 (Insert)              say the last thing again (``Voice.repeat``)
. (Delete)              stop speaking (``Voice.stop``)
7 (Home) / 9 (Page Up)  speak slower / faster
- / +                   quieter / louder
\\*                      help: the keys, spoken and on a card
/                       the privacy screen on or off (audio mode only)
======================  ===========================================

Anywhere (a keyboard, or an EZ Access keypad set to send these): the arrows,
Enter and Tab as keyboard navigation has them; F1 or Help for help; the volume
keys (which EZ Access keypads send as consumer keys) louder and quieter. The
EZ Access keys: Up and Down arrows, the green diamond Enter, the blue "?" Help
(send F1), Back (send Shift+Tab), Left and Right (docs/keypad.md has the table).

Any key interrupts speech first. A digit or letter from the keyboard's main
part types as always: only the number pad's keys are commands, so a phone
number is typed with the main row, or with the on-screen keyboard walked by the
keypad (``KeyWalk``): Down from a text box goes onto the keyboard's keys, the
four moves go from key to key, Enter types the key, Up from the top row goes
back to the box.

The privacy screen (``PrivacyScreen``) blanks the whole window while a patient
works by sound; the focus and the keys stay with the controls under it. It
goes at the key again, when audio mode ends (the headphones unplugged) and at
the idle reset; staff bring it back with the keypad's slash key, or by holding
the clinic's name as for staff mode (the hold still works under it, and a staff
screen shown over it ends it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import appfilter, keynav
from kiosk.ui.i18n import strings
from kiosk.ui.metrics import CRISIS_CARD_WIDTH, SCREEN_MARGIN
from kiosk.ui.patient.audio import Voice
from kiosk.ui.patient.explore import TouchExplorer
from kiosk.ui.patient.keyboard import SHIFT, Key, OnScreenKeyboard
from kiosk.ui.patient.overlays import Overlay
from kiosk.ui.patient.speech import READING_CONTROL
from kiosk.ui.widgets import button, relabel, text_label

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow


class Command(Enum):
    """What a key asks for."""

    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    CHOOSE = "choose"
    HELP = "help"
    REPEAT = "repeat"
    STOP = "stop"
    SLOWER = "slower"
    FASTER = "faster"
    QUIETER = "quieter"
    LOUDER = "louder"
    PRIVACY = "privacy"


_K = Qt.Key
#: The number pad's keys, with Num Lock on (the digits) and off (what the same
#: keys send then), by what they do.
NUMBER_PAD: dict[Qt.Key, Command] = {
    _K.Key_8: Command.UP,
    _K.Key_Up: Command.UP,
    _K.Key_2: Command.DOWN,
    _K.Key_Down: Command.DOWN,
    _K.Key_4: Command.LEFT,
    _K.Key_Left: Command.LEFT,
    _K.Key_6: Command.RIGHT,
    _K.Key_Right: Command.RIGHT,
    _K.Key_5: Command.CHOOSE,
    _K.Key_Clear: Command.CHOOSE,
    _K.Key_Enter: Command.CHOOSE,
    _K.Key_0: Command.REPEAT,
    _K.Key_Insert: Command.REPEAT,
    _K.Key_Period: Command.STOP,
    _K.Key_Comma: Command.STOP,  # the decimal key of a German or Spanish keypad
    _K.Key_Delete: Command.STOP,
    _K.Key_7: Command.SLOWER,
    _K.Key_Home: Command.SLOWER,
    _K.Key_9: Command.FASTER,
    _K.Key_PageUp: Command.FASTER,
    _K.Key_Minus: Command.QUIETER,
    _K.Key_Plus: Command.LOUDER,
    _K.Key_Asterisk: Command.HELP,
    _K.Key_Slash: Command.PRIVACY,
}
#: Keys that mean the same from any keyboard or keypad.
ANYWHERE: dict[Qt.Key, Command] = {
    _K.Key_Up: Command.UP,
    _K.Key_Down: Command.DOWN,
    _K.Key_Left: Command.LEFT,
    _K.Key_Right: Command.RIGHT,
    _K.Key_Return: Command.CHOOSE,
    _K.Key_Enter: Command.CHOOSE,
    _K.Key_F1: Command.HELP,
    _K.Key_Help: Command.HELP,
    _K.Key_VolumeUp: Command.LOUDER,
    _K.Key_VolumeDown: Command.QUIETER,
}
#: The key keyboard navigation knows for each move.
NAVIGATION: dict[Command, Qt.Key] = {
    Command.UP: _K.Key_Up,
    Command.DOWN: _K.Key_Down,
    Command.LEFT: _K.Key_Left,
    Command.RIGHT: _K.Key_Right,
    Command.CHOOSE: _K.Key_Enter,
}
#: The keys keyboard navigation takes as they are.
_KNOWN = frozenset({*NAVIGATION.values(), _K.Key_Return})
#: Modifiers that make a key something else (a shortcut): never a command.
_CHORDS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def command_for(event: QKeyEvent) -> Command | None:
    """What the key pressed asks for; None: a key that types, or none of ours."""
    modifiers = event.modifiers()
    if modifiers & _CHORDS:
        return None
    key = Qt.Key(event.key())
    if modifiers & Qt.KeyboardModifier.KeypadModifier and key in NUMBER_PAD:
        return NUMBER_PAD[key]
    return ANYWHERE.get(key)


_TEXT_BOXES = (QLineEdit, QPlainTextEdit)


#: Keys that change how speech sounds: what is being read goes on, at the new
#: rate or volume, rather than stopping for them.
SPEECH_SETTINGS = {Command.SLOWER, Command.FASTER, Command.QUIETER, Command.LOUDER}


def _keeps_speech(command: Command | None, focused: QWidget | None) -> bool:
    """Whether this key leaves what is being said alone: the speech settings, and
    choosing the page's Listen, Pause, Resume or Stop (which do that themselves:
    stopping first made Pause a second Stop)."""
    if command in SPEECH_SETTINGS:
        return True
    return (
        command is Command.CHOOSE
        and focused is not None
        and bool(focused.property(READING_CONTROL))
    )


def _leaves_box(box: QWidget, command: Command) -> bool:
    """Whether Up or Down goes out of a text box rather than through its lines."""
    if not isinstance(box, QPlainTextEdit):
        return True  # one line: nothing above or below
    cursor = QTextCursor(box.textCursor())
    up = command is Command.UP
    return not cursor.movePosition(
        QTextCursor.MoveOperation.Up if up else QTextCursor.MoveOperation.Down
    )


#: The dynamic property that marks the on-screen key the keypad is on
#: (resources/theme/keyboard.qss draws it as focused).
KEYPAD_CURSOR = "keypadCursor"


class KeyWalk:
    """The keypad on the on-screen keyboard: a key at a time, the text box
    keeping the focus (and its cursor) all along, as with a finger."""

    def __init__(self, window: QWidget, voice: Voice) -> None:
        self._window = window
        self._voice = voice
        self.key: Key | None = None

    def handle(self, command: Command, focused: QWidget | None) -> bool:
        """Take ``command`` if it moves onto, over or off the keyboard's keys."""
        keyboard = self._keyboard_for(focused)
        if keyboard is None or focused is None or not self._voice.speaks_for(keyboard):
            # (Staff mode's keyboards, a recovery code's: moved over as any
            # control, never key by key out loud.)
            self.clear()
            return False
        keys = _rows(keyboard)
        if self.key is None or not any(self.key in row for row in keys):
            self.clear()
            if command is Command.DOWN and _leaves_box(focused, command):
                self._land(keys[0][0])  # from the box above: the top row's first key
                return True
            return False
        row = next(index for index, row in enumerate(keys) if self.key in row)
        if command is Command.CHOOSE:
            self._type(keyboard, focused)
        elif command in (Command.LEFT, Command.RIGHT):
            place = keys[row].index(self.key) + (1 if command is Command.RIGHT else -1)
            self._land(keys[row][max(0, min(place, len(keys[row]) - 1))])
        elif command is Command.UP and row == 0:
            self.clear()  # back up into the box
            self._voice.say(self._voice.describe(focused))
        else:
            to = max(0, min(row + (1 if command is Command.DOWN else -1), len(keys) - 1))
            self._land(_nearest(keys[to], self.key))
        return True

    def clear(self) -> None:
        """Off the keys (the focus moved, the keyboard closed, the idle reset)."""
        if self.key is not None:
            _mark(self.key, on=False)
            self.key = None

    def _keyboard_for(self, focused: QWidget | None) -> OnScreenKeyboard | None:
        if not isinstance(focused, _TEXT_BOXES):
            return None
        for keyboard in self._window.findChildren(OnScreenKeyboard):
            if keyboard.isVisible() and keyboard.target() is focused:
                return keyboard
        return None

    def _land(self, key: Key) -> None:
        if self.key is not key:
            self.clear()
            self.key = key
            _mark(key, on=True)
        self._voice.say(self._voice.describe(key))

    def _type(self, keyboard: OnScreenKeyboard, box: QWidget) -> None:
        key = self.key
        assert key is not None
        said = key.spoken()  # before a one-shot Shift relabels the keys
        key.click()
        if keyboard.target() is not box or not keyboard.isVisible():
            self.clear()  # Next or Done: the focus went on, and is spoken there
        elif not key.isVisible():
            self.clear()  # another page of keys (123, ABC, an accent typed): its first
            self._land(_rows(keyboard)[0][0])
        elif key.identity == SHIFT:
            self._voice.say(self._voice.describe(key))  # with its state
        else:
            # What was typed, by name where a voice would not say it ("dot").
            self._voice.say(said)


def _rows(keyboard: OnScreenKeyboard) -> list[list[Key]]:
    """The keys showing, row by row, each left to right."""
    keys = sorted(
        (k for k in keyboard.findChildren(Key) if k.isVisible()), key=lambda k: (k.y(), k.x())
    )
    rows: list[list[Key]] = []
    for key in keys:
        if rows and rows[-1][0].y() == key.y():
            rows[-1].append(key)
        else:
            rows.append([key])
    return rows


def _nearest(row: list[Key], key: Key) -> Key:
    middle = key.geometry().center().x()
    return min(row, key=lambda k: abs(k.geometry().center().x() - middle))


def _mark(key: Key, *, on: bool) -> None:
    key.setProperty(KEYPAD_CURSOR, on)
    key.style().unpolish(key)
    key.style().polish(key)


class KeypadHelp(Overlay):
    """The help key's card: the keys, in a few lines. Any key closes it (the
    keypad's filter), and so does its Close, for a finger."""

    def __init__(self, parent: QWidget, *, cover: QWidget | None = None) -> None:
        super().__init__(parent, strings.KEYPAD_HELP_TITLE, width=CRISIS_CARD_WIDTH, cover=cover)
        self.close_button = button(strings.CLOSE, None, "keypadHelpClose")
        self.close_button.clicked.connect(self.hide)
        self.add_button(self.close_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(strings.KEYPAD_HELP_TITLE)
        self.body.setText(strings.KEYPAD_HELP)
        relabel(self.close_button, strings.CLOSE)


class PrivacyScreen(QWidget):
    """Black over the whole window. Input goes through it to the controls under
    it: it takes no mouse or touch, and keyboard navigation does not count it as
    an overlay to keep the focus in (``keynav.NOT_AN_OVERLAY``). While it is on,
    it stays above the patient's cards (crisis help, "Are you still there?", a
    notice); a staff screen shown over it ends it."""

    def __init__(self, window: QWidget, *, ended: Callable[[], None]) -> None:
        super().__init__(window)
        self.setObjectName("privacyScreen")
        self.setProperty(keynav.NOT_AN_OVERLAY, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._window = window
        self._ended = ended
        self.note = text_label(strings.PRIVACY_SCREEN_NOTE, "privacyScreenNote")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SCREEN_MARGIN, SCREEN_MARGIN, SCREEN_MARGIN, SCREEN_MARGIN)
        layout.addStretch(1)
        layout.addWidget(self.note)
        self.hide()
        window.installEventFilter(self)  # its size: the window's

    @property
    def on(self) -> bool:
        return self.isVisible()

    def turn_on(self) -> None:
        self.note.setText(strings.PRIVACY_SCREEN_NOTE)
        self.setGeometry(self._window.rect())
        self.show()
        self.raise_()
        appfilter.install(self)  # only while on: the window's other children raised

    def turn_off(self) -> None:
        appfilter.remove(self)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(self.rect(), QColor("black"))

    #: What it is handed by ``appfilter`` while it is on: a card or staff
    #: screen raised. The window's own resizes and new children come through
    #: its filter on the window.
    EVENTS = frozenset({QEvent.Type.ZOrderChange})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
        elif watched is self._window and kind == QEvent.Type.ChildAdded and self.on:
            self.raise_()  # a card built just now would be stacked above it
        elif (
            kind == QEvent.Type.ZOrderChange  # a card or a staff screen is raised when shown
            and isinstance(watched, QWidget)
            and watched is not self
            and watched.parentWidget() is self._window
            and watched.isVisible()
        ):
            if isinstance(watched, (Overlay, QLabel)):
                self.raise_()  # a patient's card or notice: under the black
            else:
                self._ended()  # staff mode's screens: the screen comes back
        return False


class Keypad(QObject):
    """The keypad's event filter, for one window: installed on the application
    after the window's own (it sees a key first)."""

    def __init__(
        self,
        window: QWidget,
        voice: Voice,
        *,
        cover: QWidget | None = None,
        activity: Callable[[], None] = lambda: None,
    ) -> None:
        """``cover``: what the help card covers (the screens: the bar stays in
        reach); ``activity`` is called for each key it takes, which the filters
        installed before it (the idle clock) then do not see."""
        super().__init__(window)
        self._window = window
        self._voice = voice
        self._cover = cover
        self._activity = activity
        self._pressed = False  # a key is down: its press was taken (till its release)
        self.walk = KeyWalk(window, voice)
        self._help: KeypadHelp | None = None
        self.privacy = PrivacyScreen(window, ended=self.end_privacy)
        voice.changed.connect(self._audio_changed)

    @property
    def help_card(self) -> KeypadHelp:
        """The help card, built the first time it is asked for."""
        if self._help is None:
            self._help = KeypadHelp(self._window, cover=self._cover)
        return self._help

    #: What it is handed (``appfilter``).
    EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyRelease:
            self._pressed = False
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if self._pressed:
            # The same press again: climbing from a box that let it through
            # (Enter, after the form's next step) to its parents, or one sent
            # on from here. Taken once: a second stop would cut off what the
            # key made happen, a second command would do it twice.
            return False
        self._pressed = True
        command = command_for(event)
        focused = self._window.focusWidget()
        if not _keeps_speech(command, focused):
            self._voice.stop()  # any other key interrupts what is being said
        if self._help is not None and self._help.isVisible():
            self._help.hide()  # any key closes the help card, and does no more
            self._activity()
            return True
        if command is None:
            return False
        if command in NAVIGATION:
            taken = self._navigate(watched, event, command)
        else:
            self.do(command)
            taken = True
        if taken:
            self._activity()
        return taken

    def _navigate(self, watched: QWidget, event: QKeyEvent, command: Command) -> bool:
        focused = self._window.focusWidget()
        if self.walk.handle(command, focused):
            return True
        key = NAVIGATION[command]
        if (
            isinstance(focused, _TEXT_BOXES)
            and command in (Command.UP, Command.DOWN)
            and _leaves_box(focused, command)
        ):
            # Out of a box, as Tab and Shift+Tab go: its cursor has nowhere to go.
            key = _K.Key_Backtab if command is Command.UP else _K.Key_Tab
        elif event.key() in _KNOWN:
            return False  # a key keyboard navigation knows already
        QApplication.sendEvent(
            watched, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
        )
        return True

    def do(self, command: Command) -> None:
        """What a key other than a move asks for."""
        voice = self._voice
        actions: dict[Command, Callable[[], None]] = {
            Command.HELP: self.show_help,
            Command.REPEAT: voice.repeat,
            Command.STOP: lambda: None,  # stopped already, as by any key
            Command.SLOWER: voice.slower,
            Command.FASTER: voice.faster,
            Command.QUIETER: voice.quieter,
            Command.LOUDER: voice.louder,
            Command.PRIVACY: self.toggle_privacy,
        }
        actions[command]()

    def show_help(self) -> None:
        card = self.help_card
        card.retranslate()
        card.open()
        self._voice.say(card.spoken())

    def toggle_privacy(self) -> None:
        """The screen off or on again; only in audio mode (a patient who sees
        the screen has nothing to hide it from)."""
        if self.privacy.on:
            self.end_privacy()
            self._voice.say(strings.PRIVACY_SCREEN_OFF)
        elif self._voice.audible:
            self.privacy.turn_on()
            self._voice.say(strings.PRIVACY_SCREEN_ON)

    def end_privacy(self) -> None:
        self.privacy.turn_off()

    def _audio_changed(self, on: bool) -> None:
        if not on:  # the headphones unplugged: whoever is there sees the screen
            self.end_privacy()

    def reset(self) -> None:
        """The idle reset: the screen back, no key marked, no card."""
        self.end_privacy()
        self.walk.clear()
        if self._help is not None:
            self._help.hide()


@dataclass(frozen=True)
class AudioInput:
    """The keypad and touch exploration on one window, installed on the application."""

    keypad: Keypad
    explorer: TouchExplorer

    def uninstall(self) -> None:
        appfilter.remove(self.keypad)
        appfilter.remove(self.explorer)
        self.keypad.reset()


def install(window: KioskWindow, voice: Voice) -> AudioInput:
    """The keypad and touch exploration for ``window``, speaking through
    ``voice``; installed after the window's own filters (they see an event
    first), so the idle clock is told of what they take."""
    keypad = Keypad(window, voice, cover=window.stack, activity=window.idle.touch)
    explorer = TouchExplorer(window, voice, activity=window.idle.touch)
    window.was_reset.connect(keypad.reset)
    appfilter.install(keypad)
    appfilter.install(explorer)
    return AudioInput(keypad, explorer)
