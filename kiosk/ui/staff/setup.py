"""Set up staff access: the first staff account, made on the tablet with the
recovery code (when the gesture finds no account). The same rules, count of
wrong tries and audit entries as ``kiosk staff add`` in a terminal: the work is
``StaffAccounts.add``, on a worker thread (argon2id)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.enquiries.keys import CROCKFORD, RECOVERY_CODE_CHARS, normalise_recovery_code
from kiosk.staff.accounts import (
    DELAYS,
    Locked,
    StaffAccounts,
    StaffError,
    StaffMember,
    TooSoon,
    WrongRecoveryCode,
    name_problem,
    pin_problem,
)
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.patient.keyboard import KeyboardKind
from kiosk.ui.staff.common import GAP, MARGIN, Inactivity, StaffOverlay, in_words, text_label
from kiosk.ui.staff.fields import Background, NewPin, TextEntry
from kiosk.ui.widgets import button

#: The audit log's actor for what the recovery code did (as the terminal's
#: ``kiosk.staff.commands.RECOVERY_ACTOR``; tests check they agree).
RECOVERY_ACTOR = "recovery-code"
COLUMN_WIDTH = 1100  # px: the keyboard needs the width; the prompts wrap
IDLE_MS = 120_000  # closes itself after this long without a touch (typing 24 characters)
TICK_MS = 1000

CODE, NAME, PIN, PIN_AGAIN, DONE = range(5)

AuditFn = Callable[..., None]


def looks_like_code(text: str) -> bool:
    """Letters and digits, 24 of them once dashes, spaces and case are put aside."""
    plain = normalise_recovery_code(text)
    return len(plain) == RECOVERY_CODE_CHARS and all(ch in CROCKFORD for ch in plain)


class SetupScreen(StaffOverlay):
    """Recovery code → name → PIN → the same PIN again → the account is made.

    Signals:
        done(str): the account was made; carries its name (sign in next).
        closed(): Cancel, or nobody touched it for ``idle_ms``.
    """

    done = Signal(str)
    closed = Signal()

    def __init__(
        self,
        parent: QWidget,
        accounts: StaffAccounts,
        audit: AuditFn,
        *,
        idle_ms: int = IDLE_MS,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(parent, "staffSetup")
        self.accounts = accounts
        self._audit = audit
        self._closed = False
        self._wait_text = ""
        self.worker = Background(self)
        self.worker.finished.connect(self.on_added)
        self.idle = Inactivity(idle_ms, parent=self)
        self.idle.expired.connect(self.close_setup)
        self._tick = QTimer(self)
        self._tick.setInterval(tick_ms)
        self._tick.timeout.connect(self.on_tick)

        self.title = text_label(s.SETUP_TITLE, "staffHeading")
        self.message = text_label("", "staffMessage")
        self.message.hide()
        self.code = TextEntry("setupCode", KeyboardKind.TEXT, max_length=40)
        self.code.set_prompt(s.SETUP_CODE_PROMPT)
        self.code.submitted.connect(self.next_step)
        self.name = TextEntry("setupName", KeyboardKind.NAME)
        self.name.set_prompt(s.SETUP_NAME_PROMPT)
        self.name.submitted.connect(self.next_step)
        self.pin = NewPin("setupPin")
        self.pin.set_prompt(s.SETUP_PIN_PROMPT)
        self.pin.submitted.connect(self.next_step)
        self.pin_again = NewPin("setupPinAgain")
        self.pin_again.set_prompt(s.SETUP_PIN_AGAIN)
        self.pin_again.submitted.connect(self.next_step)
        self.finished_text = text_label("", "staffResult")
        finished = QWidget()
        finished_layout = QVBoxLayout(finished)
        finished_layout.setContentsMargins(0, 0, 0, 0)
        finished_layout.addWidget(self.finished_text)
        finished_layout.addStretch(1)
        self.steps = QStackedWidget()
        for step in (self.code, self.name, self.pin, self.pin_again, finished):
            self.steps.addWidget(step)

        self.cancel_button = button(s.CANCEL, "quiet", "setupCancel")
        self.cancel_button.clicked.connect(self.close_setup)
        self.back_button = button(s.BACK, "quiet", "setupBack")
        self.back_button.clicked.connect(self.back)
        self.sign_in_button = button(s.SIGN_IN, None, "setupSignIn")
        self.sign_in_button.clicked.connect(self._signed_up)
        bottom = QHBoxLayout()
        bottom.setSpacing(GAP)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.sign_in_button)

        column = QWidget()
        column.setObjectName("pinColumn")
        column.setMaximumWidth(COLUMN_WIDTH)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(GAP)
        inner.addWidget(self.title)
        inner.addWidget(self.message)
        inner.addWidget(self.steps, 1)
        inner.addLayout(bottom)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        outer.addLayout(row, 1)
        self._member = ""
        self._show_step(CODE)

    # -- showing --------------------------------------------------------------
    def open(self) -> None:
        super().open()
        self.idle.start()
        self._tick.stop()  # a wait still running is read afresh below
        self._show_step(CODE)
        try:
            wait = self.accounts.wait_seconds()
        except StaffError as exc:
            self._say(exc.message)
            return
        if wait > 0:
            self._start_wait(s.SETUP_LOCKED if wait > max(DELAYS) else s.TOO_SOON)

    @property
    def step(self) -> int:
        return self.steps.currentIndex()

    def _show_step(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.back_button.setVisible(step in (NAME, PIN, PIN_AGAIN))
        self.cancel_button.setVisible(step != DONE)
        self.sign_in_button.setVisible(step == DONE)
        if step == CODE:
            self.code.start(KeyboardKind.TEXT)
        elif step == NAME:
            self.name.start(KeyboardKind.NAME)
        else:
            # The screen holds the focus, so no key shows a focus ring.
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update()

    def _update(self) -> None:
        busy = self.worker.busy or self._tick.isActive()
        self.steps.setEnabled(not self.worker.busy)
        if self.step == CODE:
            self.code.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.setVisible(bool(text))

    # -- the steps ------------------------------------------------------------
    def next_step(self) -> None:
        if self.worker.busy or self._tick.isActive():
            return
        step = self.step
        if step == CODE:
            if not looks_like_code(self.code.text()):
                # Refused before any work, as the terminal does; written down
                # (what was typed is not).
                self._audit(RECOVERY_ACTOR, "sign-in-failed", reason="not a recovery code")
                self._say(s.SETUP_NOT_A_CODE)
                return
            self._say("")
            self._show_step(NAME)
        elif step == NAME:
            problem = name_problem(self.name.text().strip())
            if problem:
                self._say(problem)
                return
            self._say("")
            self.pin.clear()
            self._show_step(PIN)
        elif step == PIN:
            problem = pin_problem(self.pin.pin())
            if problem:
                self.pin.clear()
                self._say(problem)
                return
            self._say("")
            self.pin_again.clear()
            self._show_step(PIN_AGAIN)
        elif step == PIN_AGAIN:
            if self.pin_again.pin() != self.pin.pin():
                self.pin.clear()
                self.pin_again.clear()
                self._say(s.PINS_DIFFER)
                self._show_step(PIN)
                return
            self._add()

    def back(self) -> None:
        if self.worker.busy:
            return
        self._say("")
        self.pin.clear()
        self.pin_again.clear()
        self._show_step({NAME: CODE, PIN: NAME, PIN_AGAIN: PIN}.get(self.step, CODE))

    def _add(self) -> None:
        name, pin, code = self.name.text().strip(), self.pin.pin(), self.code.text()
        self.pin.clear()
        self.pin_again.clear()
        self._say(s.SETUP_WORKING)
        accounts = self.accounts
        self.worker.start(lambda: accounts.add(name, pin, recovery_code=code))
        self._update()

    def on_added(self, outcome: object) -> None:
        if self._closed:
            self._record(outcome)  # closed while the account was being made
            return
        self._record(outcome)
        if isinstance(outcome, StaffMember):
            self.code.clear()
            self._member = outcome.name
            self._say("")
            text = s.SETUP_DONE.format(name=outcome.name)
            self.finished_text.setText(text)
            self.finished_text.setAccessibleName(text)
            self._show_step(DONE)
            return
        if isinstance(outcome, WrongRecoveryCode):
            self.code.clear()
            self._show_step(CODE)
            locked = outcome.wait_seconds > max(DELAYS)
            self._start_wait(s.SETUP_LOCKED if locked else s.SETUP_WRONG_CODE)
        elif isinstance(outcome, Locked | TooSoon):
            self._show_step(CODE)
            self._start_wait(s.SETUP_LOCKED if isinstance(outcome, Locked) else s.TOO_SOON)
        elif isinstance(outcome, StaffError):
            self._show_step(NAME)
            self._say(s.SETUP_FAILED.format(reason=outcome.message))
        else:
            self._show_step(NAME)
            self._say(s.SETUP_FAILED.format(reason=type(outcome).__name__))
        self._update()

    def _record(self, outcome: object) -> None:
        """The audit entries ``kiosk staff add`` writes for the same outcome."""
        if isinstance(outcome, StaffMember):
            self._audit(RECOVERY_ACTOR, "staff-add", name=outcome.name)
        elif isinstance(outcome, WrongRecoveryCode):
            self._audit(
                RECOVERY_ACTOR,
                "sign-in-failed",
                reason="wrong recovery code",
                failures=outcome.failures,
            )
        elif isinstance(outcome, Locked):
            self._audit(RECOVERY_ACTOR, "sign-in-locked", seconds_left=round(outcome.seconds_left))
        elif isinstance(outcome, TooSoon):
            self._audit(RECOVERY_ACTOR, "sign-in-failed", reason="too soon")

    def _signed_up(self) -> None:
        self.done.emit(self._member)

    # -- waiting after a wrong code -------------------------------------------
    def _start_wait(self, sentence: str) -> None:
        self._wait_text = sentence
        self._tick.start()
        self.on_tick()

    def on_tick(self) -> None:
        try:
            wait = self.accounts.wait_seconds()
        except StaffError as exc:
            self._tick.stop()
            self._say(exc.message)
            self._update()
            return
        if wait > 0:
            self._say(self._wait_text.format(wait=in_words(wait)))
        else:
            self._tick.stop()
            self._say(s.SETUP_TRY_AGAIN)
            self.code.start(KeyboardKind.TEXT)
        self._update()

    @property
    def waiting(self) -> bool:
        return self._tick.isActive()

    # -- closing --------------------------------------------------------------
    def close_setup(self) -> None:
        """Forget what was typed and close (the owner deletes the screen)."""
        if self._closed:
            return
        self._forget()
        self.hide()
        self.closed.emit()

    def _forget(self) -> None:
        self._closed = True
        self._tick.stop()
        self.idle.stop()
        self.code.clear()
        self.name.clear()
        self.pin.clear()
        self.pin_again.clear()

    def dispose(self) -> None:
        """Stop everything and delete the screen; a worker still running is
        waited for, so its outcome is written down."""
        self._forget()
        self.worker.finish_now()  # on_added writes the outcome down
        with contextlib.suppress(RuntimeError, TypeError):
            self.worker.finished.disconnect(self.on_added)
        self.detach()
        self.hide()
        self.deleteLater()


__all__ = ["RECOVERY_ACTOR", "SetupScreen", "looks_like_code"]
