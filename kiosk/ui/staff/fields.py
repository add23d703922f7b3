"""What staff type into, other than the sign-in PIN pad: a line of text with
the on-screen keyboard under it (a name, the recovery code), a new PIN on a
digit pad, and ``Background`` to run argon2id off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.staff.accounts import NAME_MAX, PIN_MAX, PIN_MIN
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.patient.keyboard import KeyboardKind, OnScreenKeyboard
from kiosk.ui.staff.common import GAP, text_label
from kiosk.ui.widgets import button

KEY_HEIGHT = 94  # px: the digit keys of a new PIN at most (at least 56: staff.qss)
DOT = "●"


class Background(QObject):
    """Runs one function at a time on a worker thread (argon2id takes about a
    second: the screen keeps painting "Checking…") and hands its outcome, a
    value or the exception it raised, back to the GUI thread.

    Signals:
        finished(object): the outcome.
    """

    finished = Signal(object)
    _done = Signal(object)  # from the worker thread (queued)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._outcome: object = None
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, work: Callable[[], object]) -> None:
        if self._thread is not None:
            raise RuntimeError("already working")
        done = self._done

        def run() -> None:
            try:
                outcome = work()
            except Exception as exc:  # every outcome goes back to the GUI thread
                # Without its traceback: the frames hold the PIN and the code.
                outcome = exc.with_traceback(None)
            self._outcome = outcome
            done.emit(outcome)

        self._thread = threading.Thread(target=run, name="staff-accounts", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the worker (at exit, and in tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def finish_now(self) -> None:
        """Wait for the worker and hand its outcome over now (before the owner
        is deleted, so the outcome is still written down); nothing if idle."""
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
            self.finished.emit(self._outcome)

    def _on_done(self, outcome: object) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return  # already handed over by finish_now
        thread.join()
        self.finished.emit(outcome)


class TextEntry(QWidget):
    """A prompt, one line of text and the on-screen keyboard docked under it.

    Signals:
        submitted(): the keyboard's Next or Done key, or Enter.
    """

    submitted = Signal()

    def __init__(self, object_name: str, kind: KeyboardKind, *, max_length: int = NAME_MAX) -> None:
        super().__init__()
        self.prompt = text_label("", "staffPrompt")
        self.field = QLineEdit()
        self.field.setObjectName(object_name)
        self.field.setMaxLength(max_length)
        # No context menu, no drag: nothing to copy a recovery code out with.
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.setDragEnabled(False)
        self.field.returnPressed.connect(self.submitted)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.set_target(self.field, kind)
        self.keyboard.next_field.connect(self.submitted)
        self.keyboard.done.connect(self.submitted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        layout.addWidget(self.prompt)
        layout.addWidget(self.field)
        layout.addStretch(1)
        layout.addWidget(self.keyboard)

    def set_prompt(self, text: str) -> None:
        self.prompt.setText(text)
        self.prompt.setAccessibleName(text)
        self.field.setAccessibleName(text)

    def text(self) -> str:
        return self.field.text()

    def clear(self) -> None:
        """Forget what was typed (``setText``, not ``clear``, which can be undone)."""
        self.field.setText("")
        self.field.setModified(False)
        self.keyboard.set_target(None, KeyboardKind.TEXT)
        self.keyboard.reset()

    def start(self, kind: KeyboardKind) -> None:
        """Ready to type: the keyboard on this field, the field focused (for a
        keyboard at the front desk too)."""
        self.keyboard.set_target(self.field, kind)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)


class NewPin(QWidget):
    """A prompt, the dots and a digit pad with Delete and OK: a new PIN, typed
    by the person it is for. The digits stay here, never shown.

    Signals:
        submitted(): OK with 6 to 12 digits typed.
    """

    submitted = Signal()

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._digits: list[str] = []
        self.prompt = text_label("", "staffPrompt")
        self.dots = text_label(" ", "pinDots", wrap=False)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keys = QWidget()
        grid = QGridLayout(keys)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(GAP)
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("1234567890"):
            key = self._key(digit, f"{prefix}Key")
            key.clicked.connect(lambda *_a, d=digit: self.add_digit(d))
            self.digit_buttons[digit] = key
            place = (3, 1) if digit == "0" else divmod(index, 3)
            grid.addWidget(key, *place)
        self.delete_button = self._key(s.DELETE, f"{prefix}Delete")
        self.delete_button.clicked.connect(self.delete_digit)
        grid.addWidget(self.delete_button, 3, 0)
        self.ok_button = self._key(s.PIN_OK, f"{prefix}Ok")
        self.ok_button.clicked.connect(self._submit)
        grid.addWidget(self.ok_button, 3, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        layout.addWidget(self.prompt)
        layout.addWidget(self.dots)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(keys, 4)
        centred.addStretch(1)
        # The keys take the room there is, up to KEY_HEIGHT each, down to a
        # touch target's: at 1280 x 800 four rows of full-height keys did not
        # fit, and were drawn over each other (the bottom row cut off).
        layout.addLayout(centred, 1)
        self.clear()

    @staticmethod
    def _key(text: str, object_name: str) -> QPushButton:
        key = button(text, "pinKey", object_name)
        key.setProperty("fits", True)  # staff.qss: a lower minimum than the sign-in pad's
        key.setMaximumSize(200, KEY_HEIGHT)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return key

    def set_prompt(self, text: str) -> None:
        self.prompt.setText(text)
        self.prompt.setAccessibleName(text)

    @property
    def typed(self) -> int:
        return len(self._digits)

    def pin(self) -> str:
        return "".join(self._digits)

    def add_digit(self, digit: str) -> None:
        if len(self._digits) < PIN_MAX:
            self._digits.append(digit)
            self._show()

    def delete_digit(self) -> None:
        if self._digits:
            self._digits.pop()
            self._show()

    def clear(self) -> None:
        self._digits = []
        self._show()

    def _submit(self) -> None:
        if PIN_MIN <= len(self._digits) <= PIN_MAX:
            self.submitted.emit()

    def _show(self) -> None:
        count = len(self._digits)
        self.dots.setText(DOT * count if count else " ")
        self.dots.setAccessibleName(s.pin_dots(count) if count else s.PIN_DOTS_NONE)
        for key in self.digit_buttons.values():
            key.setEnabled(count < PIN_MAX)
        self.delete_button.setEnabled(bool(count))
        self.ok_button.setEnabled(count >= PIN_MIN)
