"""The office app's sign-in page: name and PIN, checked off the GUI thread, and the
tablet's wait after a wrong PIN counted down in words with the button disabled.

The check (``session.sign_in``: a connection, the lock's rows, argon2id) runs
on ``QThreadPool``, so the window keeps painting; one at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.staff.accounts import say_seconds
from kiosk.ui.office import words as w
from kiosk.ui.office.session import Session, SignInError, sign_in
from kiosk.ui.widgets import button, centred, labelled, plain_label

SIGN_IN_WIDTH = 420  # px: a short form, not a line across the whole screen
TICK_MS = 250  # the countdown's refresh: its words change once a second


class _Outcome(QObject):
    """Carries a check's outcome from the pool's thread to the page's (queued)."""

    ready = Signal(object)


class _Check(QRunnable):
    def __init__(self, run: Callable[[], Session], outcome: _Outcome) -> None:
        super().__init__()
        self._run = run
        self._outcome = outcome

    def run(self) -> None:
        result: object
        try:
            result = self._run()
        except SignInError as exc:
            # Without its traceback: the frames hold the PIN as a local.
            result = exc.with_traceback(None)
        self._outcome.ready.emit(result)


class SignInPage(QWidget):
    """Signals:
    signed_in(object): the PIN was right; carries the ``Session``.
    checked(): a check ended (right or wrong): for tests and the window.
    """

    signed_in = Signal(object)
    checked = Signal()

    def __init__(self, url: str, *, clock: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.url = url
        self._clock = clock
        self.name = QLineEdit()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = button(w.SIGN_IN)
        self.button.setDefault(True)
        self.message = plain_label("", "officeMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(labelled(w.STAFF_NAME, self.name), self.name)
        form.addRow(labelled(w.PIN, self.pin), self.pin)
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.addWidget(plain_label(w.SIGN_IN_HEADING))
        inner.addLayout(form)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.message)
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addLayout(centred(box, SIGN_IN_WIDTH))
        column.addStretch(2)
        self.checking = False
        self._reason = ""
        self._until = 0.0  # time.monotonic() when the wait ends
        self._countdown = QTimer(self)
        self._countdown.setInterval(TICK_MS)
        self._countdown.timeout.connect(self._tick)
        self._outcome = _Outcome()
        self._outcome.ready.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.button.clicked.connect(self.submit)
        # Enter in either field signs in, as on any desktop form.
        self.name.returnPressed.connect(self.button.click)
        self.pin.returnPressed.connect(self.button.click)

    @property
    def waiting(self) -> bool:
        return self._countdown.isActive()

    def submit(self) -> None:
        """Check the name and PIN on the pool; the button waits until it is done."""
        if self.checking or self.waiting:
            return
        url, name, pin, clock = self.url, self.name.text(), self.pin.text(), self._clock
        self.pin.clear()  # the PIN is not kept in the field, right or wrong
        self.checking = True
        self.button.setEnabled(False)
        self.message.setText(w.CHECKING)
        check = _Check(lambda: sign_in(url, name, pin, clock=clock), self._outcome)
        QThreadPool.globalInstance().start(check)

    def _finished(self, result: object) -> None:
        self.checking = False
        if isinstance(result, Session):
            self.message.clear()
            self.button.setEnabled(True)
            self.signed_in.emit(result)
            self.checked.emit()
            return
        error = result if isinstance(result, SignInError) else SignInError(str(result))
        self.pin.setFocus()
        self.wait(error.reason, error.wait_seconds)
        self.checked.emit()

    def wait(self, reason: str, seconds: float) -> None:
        """Show ``reason``; with ``seconds``, the button disabled and the wait counted down."""
        self._reason = reason
        if seconds <= 0:
            self._countdown.stop()
            self.button.setEnabled(True)
            self.message.setText(reason)
            return
        self._until = time.monotonic() + seconds
        self.button.setEnabled(False)
        self._countdown.start()
        self._tick()

    def _tick(self) -> None:
        left = self._until - time.monotonic()
        if left <= 0:
            self._countdown.stop()
            self.button.setEnabled(True)
            self.message.setText(w.TRY_NOW.format(reason=self._reason).strip())
            return
        # Whole seconds, rounded up: "1 second" until the button comes back.
        self.message.setText(w.WAIT.format(reason=self._reason, left=say_seconds(left)).strip())

    def show_locked(self, message: str) -> None:
        """Back after sign-out or the idle lock: the PIN field empty, ready to type."""
        self.pin.clear()
        self.wait(message, 0)
        self.pin.setFocus()
