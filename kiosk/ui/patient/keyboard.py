"""The form's own on-screen keyboard, docked at the bottom of the screen.

A kiosk tablet has no keyboard, the operating system's may hide behind a
fullscreen window, and Qt's virtual keyboard opens a window of its own over the
fields; so the request form shows this plain child widget instead.

Keys type by sending real key events (press, then release) to the target
widget, so a ``QLineEdit`` or ``QPlainTextEdit`` behaves as with a hardware
keyboard: validators, ``maxLength`` and undo all apply. Keys never take focus,
so the field keeps its cursor.

The layouts are data (``LAYOUTS``: rows of labels, a few keys wider than one
unit); ``_KeyPage`` builds the keys of one layout and places them on a grid of
units, rows centred, so the keys of every row line up. Each page is built the
first time it is shown and kept; Shift relabels the letter keys in place.

Accented letters are one tap from the letters: "áé" shows them, and typing
one brings the letters back (one accent in a name is the usual case), as a
phone's long-press does without having to be discovered.
"""

from __future__ import annotations

from enum import Enum
from functools import partial

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QPushButton, QSizePolicy, QStackedLayout, QWidget
from shiboken6 import isValid

from kiosk.ui.i18n import strings
from kiosk.ui.metrics import KEY_GAP, KEYBOARD_BOTTOM, KEYBOARD_MARGIN

# The special keys, by what they do. What a key shows (and its accessible
# name) is the patient's language's word for it (``shown``), read when the
# keyboard is built, so a Spanish form has "Mayús" where English has "Shift".
SHIFT = "Shift"
NUMBERS = "123"
LETTERS = "ABC"
ACCENTS = "áé"
SPACE = "Space"
DELETE = "Delete"
NEXT = "Next"
DONE = "Done"
DOT_COM = ".com"


def shown(identity: str) -> str:
    """The label a key shows in the current language (a character shows itself)."""
    words = {
        SHIFT: strings.KEY_SHIFT,
        NUMBERS: strings.KEY_NUMBERS,
        LETTERS: strings.KEY_LETTERS,
        ACCENTS: strings.KEY_ACCENTS,
        SPACE: strings.KEY_SPACE,
        DELETE: strings.KEY_DELETE,
        NEXT: strings.KEY_NEXT,
        DONE: strings.KEY_DONE,
    }
    return words.get(identity, identity)


KEY_HEIGHT = 60  # at least 56 px: a fingertip, not a stylus
MIN_KEY_WIDTH = 48


class KeyboardKind(Enum):
    TEXT = "text"  # letters, shift, a numbers-and-symbols page
    NAME = "name"  # like TEXT, with a capital at the start of each word
    EMAIL = "email"  # letters plus "@", ".", ".com", "-", "_"; no auto-capitals
    PHONE = "phone"  # a phone keypad


class Page(Enum):
    """One set of keys shown at a time."""

    LETTERS = "letters"
    NAME_LETTERS = "name letters"
    EMAIL_LETTERS = "email letters"
    SYMBOLS = "symbols"
    ACCENTS = "accents"
    PHONE = "phone"


#: A key: its label, or its label and its width in units (one letter key = 1).
KeySpec = str | tuple[str, float]
Row = tuple[KeySpec, ...]


def _keys(labels: str) -> tuple[str, ...]:
    """Single-unit keys, written as their labels separated by spaces."""
    return tuple(labels.split())


_QWERTY: tuple[Row, ...] = (
    _keys("q w e r t y u i o p"),
    _keys("a s d f g h j k l"),
    ((SHIFT, 2), *_keys("z x c v b n m"), (DELETE, 2)),
)

#: Every layout, as rows of keys; each row is centred on the widest.
LAYOUTS: dict[Page, tuple[Row, ...]] = {
    Page.LETTERS: (
        *_QWERTY,
        ((NUMBERS, 1.5), ACCENTS, ",", (SPACE, 2.5), ".", (NEXT, 2), (DONE, 2)),
    ),
    Page.NAME_LETTERS: (
        *_QWERTY,
        ((NUMBERS, 1.5), ACCENTS, "-", (SPACE, 2.5), "'", (NEXT, 2), (DONE, 2)),
    ),
    Page.EMAIL_LETTERS: (
        *_QWERTY,
        ((NUMBERS, 1.5), "@", ".", "-", "_", (DOT_COM, 1.5), (NEXT, 2), (DONE, 2)),
    ),
    Page.SYMBOLS: (
        _keys("1 2 3 4 5 6 7 8 9 0"),
        _keys('- / : ; ( ) & @ " # +'),
        (*_keys("% * = $ _ [ ] . ,"), (DELETE, 2)),
        # Space as wide as on the letters' pages (at 2, Spanish "Espacio" was cut
        # on a portrait screen at the largest text); "ABC" as wide as their "123".
        ((LETTERS, 1.5), *_keys("? ! '"), (SPACE, 2.5), (NEXT, 2), (DONE, 2)),
    ),
    # The accented letters of Spanish names first (López, Muñoz), then those of
    # French, Portuguese and German ones; capitals with Shift, and by themselves
    # at the start of a NAME's word (Á).
    Page.ACCENTS: (
        _keys("á é í ó ú ñ ü ç"),
        _keys("à è ì ò ù â ê ô"),
        ((SHIFT, 2), *_keys("ä ë ï ö ã õ"), (DELETE, 2)),
        ((LETTERS, 2), (SPACE, 3), (NEXT, 2), (DONE, 2)),
    ),
    Page.PHONE: (
        _keys("1 2 3 ( )"),
        (*_keys("4 5 6"), (SPACE, 2)),
        (*_keys("7 8 9"), (DELETE, 2)),
        (*_keys("+ 0 -"), NEXT, DONE),
    ),
}

#: The widest a page's keys may spread (a phone keypad stays a keypad; the
#: accents' ten units as wide as the letters' eleven).
MAX_WIDTH: dict[Page, int] = {page: 1100 for page in Page} | {
    Page.PHONE: 720,
    Page.ACCENTS: 1000,
}

#: The page each kind opens on (and "ABC" goes back to).
FIRST_PAGE = {
    KeyboardKind.TEXT: Page.LETTERS,
    KeyboardKind.NAME: Page.NAME_LETTERS,
    KeyboardKind.EMAIL: Page.EMAIL_LETTERS,
    KeyboardKind.PHONE: Page.PHONE,
}

#: Keys that do something other than type their label, and their object names.
KEY_NAMES = {
    SHIFT: "keyShift",
    NUMBERS: "keyNumbers",
    LETTERS: "keyLetters",
    ACCENTS: "keyAccents",
    SPACE: "keySpace",
    DELETE: "keyDelete",
    NEXT: "keyNext",
    DONE: "keyDone",
}
ACTION_KEYS = frozenset(KEY_NAMES)
#: Keys that move on from the field (filled in the clinic's colour); the other
#: action keys (Shift, 123, ABC, áé, Delete) change the keyboard or the text
#: and are drawn quieter, so Delete is never mistaken for Done.
GO_KEYS = frozenset({NEXT, DONE})

#: After these (or at the start) a NAME field starts a capitalised word.
WORD_BREAKS = frozenset(" -")


def spoken_character(text: str) -> str:
    """``text`` as a voice should say it: a symbol by its name ("at sign"), a
    capital as "capital A", anything else as it is."""
    if len(text) != 1:
        return text
    name = strings.CHARACTER_NAMES.get(text)
    if name:
        return name
    if text.isupper():
        return strings.CAPITAL_LETTER.format(letter=text)
    return text


def _is_letter(label: str) -> bool:
    return len(label) == 1 and label.isalpha()


def _key_code(char: str) -> int:
    """The Qt key a hardware keyboard reports for ``char`` (letters as capitals)."""
    code = ord(char.upper())
    # Qt's key codes for printable Latin-1 (A, Ó, @) are the characters' own codes.
    printable = 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF
    return code if printable else int(Qt.Key.Key_unknown.value)


class Key(QPushButton):
    """One key, made as ``widgets.button`` makes a button (accessible name = visible
    label, a role, an object name) but never focused, so the field keeps its
    cursor. Its label shows as typed: "&" is a character here, not a mnemonic."""

    def __init__(self, label: str, parent: QWidget) -> None:
        super().__init__(parent)
        if label in GO_KEYS:
            role = "keyGo"
        elif label in ACTION_KEYS and label != SPACE:  # Space types, like a character
            role = "keyAction"
        else:
            role = "key"
        self.setProperty("role", role)
        self.setObjectName(KEY_NAMES.get(label, "keyCharacter"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self._label = ""
        #: What the key does: its character, or SHIFT, NEXT, ... for the others.
        self.identity = label
        self.set_label(shown(label) if label in ACTION_KEYS else label)
        if label == SHIFT:
            self.setCheckable(True)
        if label == DELETE:
            self.setAutoRepeat(True)
            self.setAutoRepeatDelay(400)
            self.setAutoRepeatInterval(80)

    def label_text(self) -> str:
        """The label a patient reads (``text()`` has "&" doubled)."""
        return self._label

    def spoken(self) -> str:
        """The label as a voice says it ("at sign" for "@", "numbers and
        symbols" for "123"); its accessible name stays the label, as a screen
        reader names punctuation itself."""
        pages = {
            NUMBERS: strings.KEY_NUMBERS_SPOKEN,
            LETTERS: strings.KEY_LETTERS_SPOKEN,
            ACCENTS: strings.KEY_ACCENTS_SPOKEN,
        }
        if self.identity in pages:
            return pages[self.identity]
        return self._label if self.identity in ACTION_KEYS else spoken_character(self._label)

    def set_label(self, label: str) -> None:
        if self.identity not in ACTION_KEYS:
            self.identity = label  # a letter shifted to its capital
        self._label = label
        self.setText(label.replace("&", "&&"))
        self.setAccessibleName(label)


class _KeyPage(QWidget):
    """The keys of one layout, placed on a grid of units: a key ``w`` units wide
    is ``w`` pitches less one gap, so the edges of every row line up."""

    def __init__(self, rows: tuple[Row, ...], max_width: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardPage")
        self.max_width = max_width
        self.keys: list[Key] = []
        # (key, row, left edge in units, width in units)
        self._places: list[tuple[Key, int, float, float]] = []
        specs = [[(s, 1.0) if isinstance(s, str) else s for s in row] for row in rows]
        self.units = max(sum(width for _, width in row) for row in specs)
        self.rows = len(specs)
        for index, row in enumerate(specs):
            left = (self.units - sum(width for _, width in row)) / 2
            for label, width in row:
                key = Key(label, self)
                self.keys.append(key)
                self._places.append((key, index, left, width))
                left += width

    def sizeHint(self) -> QSize:
        return QSize(self.max_width + 2 * KEYBOARD_MARGIN, self._height())

    def minimumSizeHint(self) -> QSize:
        width = round(self.units * (MIN_KEY_WIDTH + KEY_GAP)) - KEY_GAP
        return QSize(width + 2 * KEYBOARD_MARGIN, self._height())

    def _height(self) -> int:
        keys = self.rows * KEY_HEIGHT + (self.rows - 1) * KEY_GAP
        return keys + KEYBOARD_MARGIN + KEYBOARD_BOTTOM

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place_keys()

    def place_keys(self) -> None:
        width = min(self.width() - 2 * KEYBOARD_MARGIN, self.max_width)
        x0 = (self.width() - width) / 2
        keys = self._height() - KEYBOARD_MARGIN - KEYBOARD_BOTTOM
        # Any height to spare above the keys: the bottom row keeps its margin.
        y0 = max(KEYBOARD_MARGIN, self.height() - KEYBOARD_BOTTOM - keys)
        pitch = (width + KEY_GAP) / self.units
        for key, row, left, units in self._places:
            x = x0 + left * pitch
            # Rounding both edges keeps every gap exactly KEY_GAP wide.
            x1, x2 = round(x), round(x + units * pitch - KEY_GAP)
            key.setGeometry(x1, y0 + row * (KEY_HEIGHT + KEY_GAP), x2 - x1, KEY_HEIGHT)


class OnScreenKeyboard(QWidget):
    """The form's keyboard: set a target and a kind, and its keys type into it."""

    next_field = Signal()  # the "Next" key
    done = Signal()  # the "Done" key
    typed = Signal()  # a key was sent to the target (the form keeps it in view)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onScreenKeyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._pages: dict[Page, _KeyPage] = {}
        self._target: QWidget | None = None
        self._kind = KeyboardKind.TEXT
        self._over: Page | None = None  # the symbols or accents page, over the letters
        self._shift = False
        self._shift_auto = False  # Shift came on by itself (a NAME's new word)
        self._show_page()

    # ---- the API the form uses ------------------------------------------------

    def set_target(self, widget: QWidget | None, kind: KeyboardKind) -> None:
        """Send keys to ``widget`` and show the layout for ``kind``.

        A new field starts on the letters page with Shift off (on, for a NAME
        at the start of a word); the same field again keeps the page and Shift.
        """
        if widget is not self.target() or kind is not self._kind:
            self._target = widget
            self._kind = kind
            self._over = None
            self._set_shift(False)
            self._show_page()
        self._update_auto_shift()

    def target(self) -> QWidget | None:
        if self._target is not None and not isValid(self._target):
            self._target = None  # the field was deleted
        return self._target

    def kind(self) -> KeyboardKind:
        return self._kind

    def reset(self) -> None:
        """No target, Shift off, the TEXT letters: nothing left for the next patient."""
        self._target = None
        self._kind = KeyboardKind.TEXT
        self._over = None
        self._set_shift(False)
        for page in self._pages.values():  # the hidden pages too: no capitals left over
            self._relabel(page)
        self._show_page()

    def key(self, label: str) -> QPushButton:
        """The key on the page now showing whose visible label (or, for Shift,
        Next and the like, whose job) is ``label``."""
        for key in self._current().keys:
            if label in (key.label_text(), key.identity):
                return key
        raise KeyError(f"no key labelled {label!r} on the {self._page().value} page")

    # ---- pages ----------------------------------------------------------------

    def _page(self) -> Page:
        if self._over is not None and self._kind is not KeyboardKind.PHONE:
            return self._over
        return FIRST_PAGE[self._kind]

    def _current(self) -> _KeyPage:
        page = self._page()
        if page not in self._pages:
            self._pages[page] = self._build(page)
        return self._pages[page]

    def _build(self, page: Page) -> _KeyPage:
        """The one place keys are made from ``LAYOUTS`` and given their jobs."""
        widget = _KeyPage(LAYOUTS[page], MAX_WIDTH[page], self)
        actions = {
            SHIFT: self._on_shift,
            NUMBERS: partial(self._set_over, Page.SYMBOLS),
            ACCENTS: partial(self._set_over, Page.ACCENTS),
            LETTERS: partial(self._set_over, None),
            SPACE: partial(self._press, " "),
            DELETE: self._backspace,
            NEXT: self.next_field.emit,
            DONE: self.done.emit,
        }
        for key in widget.keys:
            action = actions.get(key.identity)
            if action is None:
                key.clicked.connect(partial(self._on_character, key))
            else:
                key.clicked.connect(action)
        self._stack.addWidget(widget)
        self._relabel(widget)
        return widget

    def _show_page(self) -> None:
        page = self._current()
        if self._stack.currentWidget() is not page:
            self._stack.setCurrentWidget(page)
            page.setGeometry(self.contentsRect())  # placed now, not on the next layout pass
        self._relabel(page)

    def _set_over(self, page: Page | None) -> None:
        """123, áé / ABC. As on a phone, a Shift tapped on one page is not
        carried to the other, except to the accents (Shift, then áé, then É);
        a NAME's capital at the start of a word is."""
        self._over = page
        self._set_shift(self._shift and page is Page.ACCENTS, auto=self._shift_auto)
        self._show_page()
        self._update_auto_shift()

    # ---- shift ----------------------------------------------------------------

    def _on_shift(self) -> None:
        self._set_shift(not self._shift)

    def _set_shift(self, on: bool, auto: bool = False) -> None:
        self._shift = on
        self._shift_auto = on and auto
        page = self._pages.get(self._page())
        if page is not None:
            self._relabel(page)

    def _relabel(self, page: _KeyPage) -> None:
        """Letter keys show (and are named by) the case they will type."""
        for key in page.keys:
            label = key.identity
            if _is_letter(label):
                new = label.upper() if self._shift else label.lower()
                if new != label:
                    key.set_label(new)
            elif label == SHIFT:
                key.setChecked(self._shift)

    def _update_auto_shift(self) -> None:
        """A NAME gets a capital at the start and after a space or hyphen."""
        if self._kind is not KeyboardKind.NAME:
            return
        if self._at_word_start():
            self._set_shift(True, auto=True)
        elif self._shift_auto:
            self._set_shift(False)

    def _at_word_start(self) -> bool:
        target = self.target()
        if target is None:
            return True
        text = target.inputMethodQuery(Qt.InputMethodQuery.ImSurroundingText)
        cursor = target.inputMethodQuery(Qt.InputMethodQuery.ImCursorPosition)
        if not isinstance(text, str) or not isinstance(cursor, int) or cursor <= 0:
            return True
        return text[cursor - 1] in WORD_BREAKS

    # ---- typing ---------------------------------------------------------------

    def _on_character(self, key: Key) -> None:
        self._press(key.label_text())
        if self._over is Page.ACCENTS:
            self._set_over(None)  # one accented letter, then the letters again

    def _press(self, text: str) -> None:
        """Type ``text``; a one-shot Shift is spent by a letter."""
        self._type(text)
        if self._shift and any(_is_letter(char) for char in text):
            self._set_shift(False)
        self._update_auto_shift()

    def _type(self, text: str) -> None:
        for char in text:
            modifiers = (
                Qt.KeyboardModifier.ShiftModifier
                if char.isupper()
                else Qt.KeyboardModifier.NoModifier
            )
            self._send(_key_code(char), modifiers, char)

    def _backspace(self) -> None:
        self._send(int(Qt.Key.Key_Backspace.value), Qt.KeyboardModifier.NoModifier, "")
        self._update_auto_shift()

    def _send(self, code: int, modifiers: Qt.KeyboardModifier, text: str) -> None:
        """A key press and its release, as a hardware keyboard sends them."""
        target = self.target()
        if target is None or not target.isEnabled():
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, code, modifiers, text))
        self.typed.emit()
