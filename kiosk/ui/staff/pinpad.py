"""The staff PIN pad: a full-window layer over the kiosk, name first, then
PIN, checked on a worker thread (``SignInService``); how it checks, waits and
forgets: docs/architecture.md, "Staff mode on the tablet"."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.staff.accounts import (
    DELAYS,
    PIN_MAX,
    PIN_MIN,
    Locked,
    Session,
    SignInPaused,
    StaffAccounts,
    StaffError,
    TooSoon,
    WrongPin,
)
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.patient.keyboard import KeyboardKind
from kiosk.ui.staff.common import (
    GAP,
    MARGIN,
    Inactivity,
    StaffOverlay,
    in_words,
    text_label,
)
from kiosk.ui.staff.fields import TextEntry
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import button

log = logging.getLogger(__name__)

IDLE_MS = 30_000  # the pad closes itself after this long without a touch
TICK_MS = 1000  # the wait's countdown
PAD_WIDTH = 560  # px: the column of the pad (portrait)
WIDE_WIDTH = 1000  # px: landscape, the keys beside the name and dots
WIDE_MIN = 1000  # px: from this width (and wider than tall), landscape
KEY_HEIGHT = 80  # px: digit keys (at least 72)
DOT = "●"

AuditFn = Callable[..., None]


class SignInService(QObject):
    """Runs ``StaffAccounts.sign_in`` on a worker thread, one attempt at a time.

    Lives as long as the kiosk (not the pad), so an attempt that ends after
    the pad has closed is still written to the audit log, and its session,
    unclaimed, is dropped.

    Signals:
        finished(int, object): the attempt's number and its outcome: a
            ``Session``, or the exception ``sign_in`` raised.
    """

    finished = Signal(int, object)
    _done = Signal(int, str, object)  # from the worker thread (queued)

    def __init__(self, accounts: StaffAccounts, audit: AuditFn, parent: QObject | None = None):
        super().__init__(parent)
        self.accounts = accounts
        self._audit = audit
        self._attempt = 0
        self._thread: threading.Thread | None = None
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, name: str, pin: str) -> int:
        """Begin checking; returns the attempt's number (``finished`` carries it)."""
        if self._thread is not None:
            raise RuntimeError("a sign-in is already being checked")
        self._attempt += 1
        attempt = self._attempt
        accounts, done = self.accounts, self._done

        def check() -> None:
            try:
                outcome: object = accounts.sign_in(name, pin)
            except Exception as exc:  # every outcome goes back to the GUI thread
                # Without its traceback: the frames hold the PIN as a local.
                outcome = exc.with_traceback(None)
            done.emit(attempt, name, outcome)

        self._thread = threading.Thread(target=check, name="staff-sign-in", daemon=True)
        self._thread.start()
        return attempt

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running check's thread (at exit, and in tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _on_done(self, attempt: int, name: str, outcome: object) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        self._record(name, outcome)
        self.finished.emit(attempt, outcome)

    def _record(self, name: str, outcome: object) -> None:
        if isinstance(outcome, Session):
            self._audit(outcome.name, "sign-in")
        elif isinstance(outcome, Locked):
            self._audit(name, "sign-in-locked", seconds_left=round(outcome.seconds_left))
        elif isinstance(outcome, TooSoon):
            self._audit(name, "sign-in-failed", reason="too soon")
        elif isinstance(outcome, WrongPin):
            reason = "locked" if outcome.wait_seconds > max(DELAYS) else "wrong PIN"
            self._audit(name, "sign-in-failed", reason=reason, failures=outcome.failures)
        elif isinstance(outcome, StaffError):
            self._audit(name, "sign-in-failed", reason=type(outcome).__name__)
        else:
            log.error("staff sign-in failed: %s", type(outcome).__name__)
            self._audit(name, "sign-in-failed", reason=type(outcome).__name__)


class PinPad(StaffOverlay):
    """Choose your name, type your PIN, sign in.

    Signals:
        signed_in(object): the PIN was right; carries the ``Session``.
        closed(): the pad closed (Cancel, Close, idle, or the patient reset).
    """

    signed_in = Signal(object)
    closed = Signal()

    def __init__(
        self,
        parent: QWidget,
        service: SignInService,
        *,
        idle_ms: int = IDLE_MS,
        tick_ms: int = TICK_MS,
        show_names: bool = True,
    ) -> None:
        super().__init__(parent, "pinPad")
        self.service = service
        #: False ([staff] show_names): no list of names; staff type theirs.
        self.show_names_list = show_names
        self.accounts = service.accounts
        self._name = ""
        self._digits: list[str] = []
        self._attempt: int | None = None  # the check we are waiting for
        self._wait_text = s.WRONG_PIN_WAIT  # which sentence the countdown fills in
        self._finished = False  # signed in or closed: no more attempts
        self._closed = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        service.finished.connect(self.on_checked)

        self.idle = Inactivity(idle_ms, parent=self)
        self.idle.expired.connect(self.close_pad)
        self._tick = QTimer(self)
        self._tick.setInterval(tick_ms)
        self._tick.timeout.connect(self.on_tick)

        self._column: QWidget | None = None  # made below; its width follows the layout
        self.title = text_label(s.WHO_TITLE, "staffHeading")
        self.message = text_label("", "staffMessage")
        self.message.hide()
        self.views = QStackedWidget()
        self.views.addWidget(self._build_names())
        self.views.addWidget(self._build_digits())
        self.name_entry: TextEntry | None = None
        if not show_names:
            self.views.addWidget(self._build_typed_name())

        column = QWidget()
        column.setObjectName("pinColumn")
        column.setMaximumWidth(PAD_WIDTH)
        self._column = column
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(GAP * 2)
        inner.addWidget(self.title)
        inner.addWidget(self.message)
        inner.addWidget(self.views, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        outer.addLayout(row, 1)

    # -- building -------------------------------------------------------------
    def _build_names(self) -> QWidget:
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        self.who = text_label(s.WHO_PROMPT, "staffPrompt")
        layout.addWidget(self.who)
        self.names_area = QScrollArea()
        self.names_area.setObjectName("staffScroll")
        self.names_area.setWidgetResizable(True)
        self.names_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._names_scroller = TouchScroller(self.names_area)
        holder = QWidget()
        holder.setObjectName("staffInner")
        self.names_layout = QVBoxLayout(holder)
        self.names_layout.setContentsMargins(0, 0, 12, 0)  # room for the scroll bar
        self.names_layout.setSpacing(GAP)
        self.names_area.setWidget(holder)
        layout.addWidget(self.names_area, 1)
        self.name_buttons: list[QPushButton] = []
        self.close_button = button(s.CLOSE, "quiet", "pinClose")
        self.close_button.clicked.connect(self.close_pad)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        return view

    def _build_typed_name(self) -> QWidget:
        """The name typed on the on-screen keyboard, for clinics that list no names."""
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        entry = TextEntry("pinTypedName", KeyboardKind.NAME)
        entry.set_prompt(s.TYPE_NAME)
        entry.submitted.connect(self.choose_typed)
        self.name_entry = entry
        layout.addWidget(entry, 1)
        self.typed_close = button(s.CLOSE, "quiet", "pinClose")
        self.typed_close.clicked.connect(self.close_pad)
        bottom = QHBoxLayout()  # on: the keyboard's Next key (or Enter)
        bottom.setSpacing(GAP)
        bottom.addWidget(self.typed_close)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        return view

    def choose_typed(self) -> None:
        """The typed name, whatever it is: one that matches no account fails at the
        PIN like a wrong PIN, so the pad tells nobody which names exist."""
        if self.name_entry is None:
            return
        name = self.name_entry.text().strip()
        if name:
            self.name_entry.clear()
            self.choose(name)

    def _build_digits(self) -> QWidget:
        view = QWidget()
        self._digits_grid = QGridLayout(view)
        self._digits_grid.setContentsMargins(0, 0, 0, 0)
        self._digits_grid.setSpacing(GAP)
        self.pin_title = text_label("", "staffPrompt")
        self.dots = text_label("", "pinDots", wrap=False)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._keys = QWidget()
        grid = QGridLayout(self._keys)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(GAP)
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            key = self._key(digit)
            grid.addWidget(key, index // 3, index % 3)
        self.delete_button = self._key(s.DELETE, "pinDelete", digit=False)
        self.delete_button.clicked.connect(self.delete_digit)
        grid.addWidget(self.delete_button, 3, 0)
        grid.addWidget(self._key("0"), 3, 1)
        self.sign_in_button = self._key(s.SIGN_IN, "pinSignIn", digit=False)
        self.sign_in_button.clicked.connect(self.sign_in)
        grid.addWidget(self.sign_in_button, 3, 2)
        grid.setRowStretch(4, 1)  # spare height below the keys, not between them
        self.other_button = button(s.OTHER_NAME, "quiet", "pinOther")
        self.other_button.clicked.connect(self.show_names)
        self.cancel_button = button(s.CANCEL, "quiet", "pinCancel")
        self.cancel_button.clicked.connect(self.close_pad)
        self._bottom = QWidget()
        bottom = QHBoxLayout(self._bottom)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.setSpacing(GAP)
        bottom.addWidget(self.other_button)
        bottom.addStretch(1)
        bottom.addWidget(self.cancel_button)
        self._wide: bool | None = None
        self._layout_digits(wide=False)
        return view

    def _layout_digits(self, *, wide: bool) -> None:
        """Portrait: name, dots, keys, buttons in one column. Landscape: the keys
        beside the rest, so a 800 px tall screen keeps every gap."""
        if wide == self._wide:
            return
        self._wide = wide
        grid = self._digits_grid
        for widget in (self.pin_title, self.dots, self._keys, self._bottom):
            grid.removeWidget(widget)
        for row in range(6):
            grid.setRowStretch(row, 0)
        for column in range(2):
            grid.setColumnStretch(column, 0)
        if wide:
            grid.setHorizontalSpacing(GAP * 4)
            grid.addWidget(self.pin_title, 0, 0)
            grid.addWidget(self.dots, 1, 0)
            grid.setRowStretch(2, 1)
            grid.addWidget(self._bottom, 3, 0)
            grid.addWidget(self._keys, 0, 1, 4, 1)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
        else:
            grid.addWidget(self.pin_title, 0, 0)
            grid.addWidget(self.dots, 1, 0)
            grid.addWidget(self._keys, 2, 0)
            grid.addWidget(self._bottom, 3, 0)
            grid.setRowStretch(4, 1)
        if self._column is not None:
            self._column.setMaximumWidth(WIDE_WIDTH if wide else PAD_WIDTH)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout_digits(wide=self.width() >= WIDE_MIN and self.width() > self.height())

    def _key(self, text: str, object_name: str = "pinKey", *, digit: bool = True) -> QPushButton:
        key = button(text, "pinKey", object_name)
        key.setMinimumHeight(KEY_HEIGHT)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        if digit:
            key.clicked.connect(lambda *_a, d=text: self.add_digit(d))
            self.digit_buttons[text] = key
        return key

    # -- showing --------------------------------------------------------------
    def open(self) -> None:
        """Show the names (or how to add one), and any wait still running."""
        self.show_names()
        super().open()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.idle.start()
        self._check_wait()

    def show_names(self) -> None:
        self._clear_pin()
        self._name = ""
        self.name_buttons = []
        while self.names_layout.count():  # the old buttons and the stretch
            item = self.names_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        if self.name_entry is not None:
            self.title.setText(s.WHO_TITLE)
            if self._column is not None:  # the keyboard needs the width
                self._column.setMaximumWidth(WIDE_WIDTH)
            self.views.setCurrentIndex(2)
            self.name_entry.start(KeyboardKind.NAME)
            return
        try:
            names = self.accounts.names()
        except StaffError as exc:
            names = []
            self._say(exc.message)
        if names:
            self.who.setText(s.WHO_PROMPT)
            for name in names:
                choice = button(name, "staffName", "pinName")
                choice.clicked.connect(lambda *_a, n=name: self.choose(n))
                self._names_scroller.track(choice)
                self.names_layout.addWidget(choice)
                self.name_buttons.append(choice)
        else:
            self.who.setText(s.NO_ACCOUNTS)
        self.names_layout.addStretch(1)
        self.title.setText(s.WHO_TITLE)
        self.views.setCurrentIndex(0)

    def choose(self, name: str) -> None:
        self._name = name
        if self._column is not None:
            self._column.setMaximumWidth(WIDE_WIDTH if self._wide else PAD_WIDTH)
        self._clear_pin()
        self.pin_title.setText(s.PIN_TITLE.format(name=name))
        self.pin_title.setAccessibleName(self.pin_title.text())
        self.views.setCurrentIndex(1)
        self._update_keys()

    @property
    def typed(self) -> int:
        """How many digits are typed (the digits themselves stay private)."""
        return len(self._digits)

    # -- typing ---------------------------------------------------------------
    def add_digit(self, digit: str) -> None:
        if self._blocked() or len(self._digits) >= PIN_MAX:
            return
        self._digits.append(digit)
        if self.message.text() in (s.WRONG_PIN_NOW, s.LOCKED_OVER):
            self._say("")
        self._show_dots()

    def delete_digit(self) -> None:
        if self._digits and not self._blocked():
            self._digits.pop()
            self._show_dots()

    def _clear_pin(self) -> None:
        self._digits = []
        self._show_dots()

    def _show_dots(self) -> None:
        count = len(self._digits)
        self.dots.setText(DOT * count if count else " ")
        self.dots.setAccessibleName(s.pin_dots(count) if count else s.PIN_DOTS_NONE)
        self._update_keys()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A keyboard at the front desk works too: digits, Backspace, Enter."""
        text = event.text()
        if self.views.currentIndex() == 1 and text.isdigit() and text.isascii():
            self.add_digit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.delete_digit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.sign_in_button.isEnabled() and self.views.currentIndex() == 1:
                self.sign_in()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- checking -------------------------------------------------------------
    def sign_in(self) -> None:
        if self._blocked() or not self._name:
            return
        if not PIN_MIN <= len(self._digits) <= PIN_MAX:
            self._say(s.PIN_PROMPT)  # too short: not an attempt, nothing counted
            return
        pin = "".join(self._digits)
        self._clear_pin()
        self._say(s.CHECKING)
        self._attempt = self.service.start(self._name, pin)
        self._update_keys()

    def on_checked(self, attempt: int, outcome: object) -> None:
        if attempt != self._attempt:
            return  # an attempt from a pad that has gone
        self._attempt = None
        if self._finished:
            return
        if isinstance(outcome, Session):
            self._say("")
            self._finished = True
            self.signed_in.emit(outcome)
            return
        if isinstance(outcome, Locked):
            self._start_wait(s.LOCKED)
        elif isinstance(outcome, TooSoon):
            self._start_wait(s.TOO_SOON)
        elif isinstance(outcome, WrongPin):
            locked = outcome.wait_seconds > max(DELAYS)
            self._start_wait(s.LOCKED if locked else s.WRONG_PIN_WAIT)
        elif isinstance(outcome, SignInPaused):
            self._say(outcome.message)  # "Sign-in is paused: the kiosk's disk is full..."
        elif isinstance(outcome, StaffError):
            self._say(s.SIGN_IN_FAILED.format(reason=outcome.message))
        else:
            self._say(s.SIGN_IN_FAILED.format(reason=type(outcome).__name__))
        self._update_keys()

    # -- waiting after a wrong PIN -------------------------------------------
    def _check_wait(self) -> None:
        """A wait that began before the pad opened (or before a restart)."""
        try:
            wait = self.accounts.wait_seconds()
        except StaffError as exc:
            self._say(exc.message)
            return
        if wait > 0:
            self._start_wait(s.LOCKED if wait > max(DELAYS) else s.TOO_SOON)

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
            self._update_keys()
            return
        if wait > 0:
            self._say(self._wait_text.format(wait=in_words(wait)))
        else:
            self._tick.stop()
            self._say(s.LOCKED_OVER if self._wait_text == s.LOCKED else s.WRONG_PIN_NOW)
        self._update_keys()

    @property
    def waiting(self) -> bool:
        return self._tick.isActive()

    def _blocked(self) -> bool:
        return self._attempt is not None or self._tick.isActive() or self._finished

    def _update_keys(self) -> None:
        blocked = self._blocked()
        for key in self.digit_buttons.values():
            key.setEnabled(not blocked and len(self._digits) < PIN_MAX)
        self.delete_button.setEnabled(not blocked and bool(self._digits))
        self.sign_in_button.setEnabled(not blocked and len(self._digits) >= PIN_MIN)
        self.other_button.setEnabled(self._attempt is None)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.setVisible(bool(text))

    # -- closing --------------------------------------------------------------
    def close_pad(self) -> None:
        """Forget what was typed and close (the owner deletes the pad)."""
        if self._closed:
            return
        self._closed = self._finished = True
        self._digits = []
        if self.name_entry is not None:
            self.name_entry.clear()
        self._tick.stop()
        self.idle.stop()
        self._names_scroller.stop()
        self.hide()
        self.closed.emit()

    def dispose(self) -> None:
        """Stop everything and delete the pad (it must not be used again)."""
        self._closed = self._finished = True
        self._digits = []
        if self.name_entry is not None:
            self.name_entry.clear()
        self._tick.stop()
        self.idle.stop()
        with contextlib.suppress(RuntimeError, TypeError):  # never connected, or gone
            self.service.finished.disconnect(self.on_checked)
        self.detach()
        self.hide()
        self.deleteLater()
