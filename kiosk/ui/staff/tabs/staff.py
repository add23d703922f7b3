"""The Staff tab: who can sign in; add a member (their name, then their PIN
typed by them, twice), remove one (asked first; never the last one). The same
rules and audit entries as ``kiosk staff add`` and ``kiosk staff remove``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.staff.accounts import (
    Session,
    StaffAccounts,
    StaffError,
    StaffMember,
    name_problem,
    pin_problem,
)
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.patient.keyboard import KeyboardKind
from kiosk.ui.staff.common import GAP, text_label
from kiosk.ui.staff.context import PanelContext, clear_layout, scroll_page
from kiosk.ui.staff.fields import Background, NewPin, TextEntry
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import button

LIST, NAME, PIN, PIN_AGAIN = range(4)


class StaffTab(QStackedWidget):
    """The list of staff with Remove each, and the steps of adding one.

    Signals:
        removed_self(): the signed-in member removed their own account (lock now).
    """

    removed_self = Signal()

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.context = context
        self.worker = Background(self)
        self.worker.finished.connect(self.on_added)
        self._removing = ""
        #: Whose PIN the PIN steps are renewing ("": they add a new member).
        self._renewing = ""
        self._messages: list[QLabel] = []  # one a step, all saying the same
        self._step_areas: list[tuple[QScrollArea, TouchScroller]] = []
        self.addWidget(self._build_list())
        self.name = TextEntry("staffNewName", KeyboardKind.NAME)
        self.name.set_prompt(s.STAFF_NAME_PROMPT)
        self.name.submitted.connect(self.next_step)
        self.pin = NewPin("staffNewPin")
        self.pin.submitted.connect(self.next_step)
        self.pin_again = NewPin("staffNewPinAgain")
        self.pin_again.submitted.connect(self.next_step)
        for step in (self.name, self.pin, self.pin_again):
            self.addWidget(self._step_page(step))

    # -- building -------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        page = QWidget()
        self.area, column, self.scroller = scroll_page()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)
        column.addWidget(text_label(s.STAFF_TITLE, "staffSubheading"))
        self.members_layout = QVBoxLayout()
        self.members_layout.setSpacing(GAP)
        column.addLayout(self.members_layout)
        self.confirm_text = text_label("", "staffMessage")
        self.confirm_text.hide()
        column.addWidget(self.confirm_text)
        self.remove_no = button(s.STAFF_REMOVE_NO, "quiet", "staffRemoveNo")
        self.remove_no.clicked.connect(self.cancel_remove)
        self.remove_yes = button(s.STAFF_REMOVE_YES, "danger", "staffRemoveYes")
        self.remove_yes.clicked.connect(self.remove)
        confirm = QHBoxLayout()
        confirm.setSpacing(GAP)
        confirm.addWidget(self.remove_no)
        confirm.addStretch(1)
        confirm.addWidget(self.remove_yes)
        column.addLayout(confirm)
        self.result = text_label("", "staffResult")
        self.result.hide()
        column.addWidget(self.result)
        self.add_button = button(s.STAFF_ADD, None, "staffAdd")
        self.add_button.clicked.connect(self.start_adding)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addStretch(1)
        self.remove_buttons: dict[str, QPushButton] = {}
        self.cancel_remove()
        return page

    def _step_page(self, step: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        message = text_label("", "staffMessage")
        message.hide()
        # The message and the step scroll when the panel is too short for them
        # (1280 x 800 with the recovery code's reminder above): the PIN's keys
        # were drawn over each other. Cancel stays in sight below.
        area, column, scroller = scroll_page()
        column.addWidget(message)
        column.addWidget(step, 1)
        for key in step.findChildren(QPushButton):
            scroller.track(key)  # a drag that starts on a key scrolls
        self._step_areas.append((area, scroller))
        layout.addWidget(area, 1)
        cancel = button(s.CANCEL, "quiet", "staffAddCancel")
        cancel.clicked.connect(self.cancel_adding)
        row = QHBoxLayout()
        row.setSpacing(GAP)
        row.addWidget(cancel)
        row.addStretch(1)  # on: the keyboard's Next key, or the PIN's OK
        layout.addLayout(row)
        self._messages.append(message)
        return page

    # -- the list -------------------------------------------------------------------
    def refresh(self) -> None:
        """The members, read afresh; back to the list (an add half done is dropped)."""
        self.scroller.stop()
        self._forget_typing()
        self._renewing = ""
        self.setCurrentIndex(LIST)
        self.cancel_remove()
        self._show_members()

    def _show_members(self) -> None:
        clear_layout(self.members_layout)
        self.remove_buttons = {}
        accounts = self.context.accounts
        members: list[StaffMember] = []
        if accounts is not None:
            try:
                members = accounts.members()
            except StaffError as exc:
                self._result(exc.message)
        me = self.context.session.name if self.context.session is not None else ""
        for member in members:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(GAP)
            shown = s.STAFF_YOU.format(name=member.name) if member.name == me else member.name
            label = text_label(shown, "staffFieldValue")
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            line.addWidget(label, 1)
            # A forgotten PIN (or one seen over a shoulder), renewed here by the
            # member it is for, with a colleague signed in: no terminal needed.
            renew = button(s.STAFF_NEW_PIN, "quiet", "staffNewPinFor")
            renew.setProperty("member", member.name)
            renew.clicked.connect(lambda *_a, n=member.name: self.start_new_pin(n))
            self.scroller.track(renew)
            line.addWidget(renew)
            remove = button(s.STAFF_REMOVE, "quiet", "staffRemove")
            remove.setProperty("member", member.name)
            remove.clicked.connect(lambda *_a, n=member.name: self.ask_remove(n))
            self.scroller.track(remove)
            line.addWidget(remove)
            self.members_layout.addWidget(row)
            self.remove_buttons[member.name] = remove

    def ask_remove(self, name: str) -> None:
        """Ask first: the last member cannot be removed here; oneself is asked as such."""
        self.result.hide()
        me = self.context.session.name if self.context.session is not None else ""
        if len(self.remove_buttons) <= 1:
            self._removing = ""
            self._confirm(s.STAFF_REMOVE_LAST.format(name=name), ask=False)
            return
        self._removing = name
        sentence = s.STAFF_REMOVE_SELF if name == me else s.STAFF_REMOVE_CONFIRM.format(name=name)
        self._confirm(sentence, ask=True)

    def _confirm(self, text: str, *, ask: bool) -> None:
        self.confirm_text.setText(text)
        self.confirm_text.setAccessibleName(text)
        self.confirm_text.show()
        self.remove_no.setVisible(ask)
        self.remove_yes.setVisible(ask)

    def cancel_remove(self) -> None:
        self._removing = ""
        self.confirm_text.hide()
        self.remove_no.hide()
        self.remove_yes.hide()

    @property
    def confirming(self) -> bool:
        return bool(self._removing)

    def remove(self) -> None:
        name, session, accounts = self._removing, self.context.session, self.context.accounts
        self.cancel_remove()
        if not name or session is None or accounts is None:
            return
        try:
            accounts.remove(name, by=session)
        except StaffError as exc:
            self._result(s.STAFF_FAILED.format(reason=exc.message))
            return
        self.context.audit("staff-remove", name=name)
        if name == session.name:
            self.removed_self.emit()
            return
        self._show_members()
        self._result(s.STAFF_REMOVED.format(name=name))

    def _result(self, text: str) -> None:
        self.result.setText(text)
        self.result.setAccessibleName(text)
        self.result.setVisible(bool(text))

    # -- adding ---------------------------------------------------------------------
    def start_adding(self) -> None:
        self.cancel_remove()
        self.result.hide()
        self._forget_typing()
        self._renewing = ""
        self._show_step(NAME)

    def start_new_pin(self, name: str) -> None:
        """The PIN steps for ``name``'s new PIN (typed by them, twice)."""
        self.cancel_remove()
        self.result.hide()
        self._forget_typing()
        self._renewing = name
        self.pin.set_prompt(s.STAFF_PIN_PROMPT.format(name=name))
        self._show_step(PIN)

    def cancel_adding(self) -> None:
        if self.worker.busy:
            return
        self.refresh()

    def _show_step(self, step: int) -> None:
        self._say("")
        for area, scroller in self._step_areas:  # each step starts at its top
            scroller.stop()
            area.verticalScrollBar().setValue(0)
        self.setCurrentIndex(step)
        if step == NAME:
            self.name.start(KeyboardKind.NAME)
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # no focus ring on a key

    def _say(self, text: str) -> None:
        for message in self._messages:
            message.setText(text)
            message.setAccessibleName(text)
            message.setVisible(bool(text))

    def next_step(self) -> None:
        if self.worker.busy:
            return
        step = self.currentIndex()
        name = self._renewing or self.name.text().strip()
        if step == NAME:
            problem = name_problem(name)
            if problem:
                self._say(problem)
                return
            self.pin.set_prompt(s.STAFF_PIN_PROMPT.format(name=name))
            self.pin.clear()
            self._show_step(PIN)
        elif step == PIN:
            problem = pin_problem(self.pin.pin())
            if problem:
                self.pin.clear()
                self._say(problem)
                return
            self.pin_again.set_prompt(s.STAFF_PIN_AGAIN.format(name=name))
            self.pin_again.clear()
            self._show_step(PIN_AGAIN)
        elif step == PIN_AGAIN:
            if self.pin_again.pin() != self.pin.pin():
                self.pin.clear()
                self.pin_again.clear()
                self._show_step(PIN)
                self._say(s.PINS_DIFFER)
                return
            if self._renewing:
                self._renew(name)
            else:
                self._add(name)

    def _renew(self, name: str) -> None:
        self._save(
            s.STAFF_PIN_CHANGING,
            lambda accounts, session, pin: accounts.reset_pin(name, pin, by=session),
        )

    def _add(self, name: str) -> None:
        self._save(
            s.STAFF_ADDING, lambda accounts, session, pin: accounts.add(name, pin, by=session)
        )

    def _save(self, saying: str, work: Callable[[StaffAccounts, Session, str], object]) -> None:
        """The PIN typed twice, handed to ``work`` on the worker (argon2 is slow);
        the pads emptied at once."""
        session, accounts = self.context.session, self.context.accounts
        if session is None or accounts is None:
            return
        pin = self.pin.pin()
        self.pin.clear()
        self.pin_again.clear()
        self._say(saying)
        self.pin_again.setEnabled(False)
        self.worker.start(lambda: work(accounts, session, pin))

    def on_added(self, outcome: object) -> None:
        self.pin_again.setEnabled(True)
        if self._renewing:
            self._on_renewed(self._renewing, outcome)
            return
        if isinstance(outcome, StaffMember):
            self.context.audit("staff-add", name=outcome.name)
            self.refresh()
            self._result(s.STAFF_ADDED.format(name=outcome.name))
            return
        reason = outcome.message if isinstance(outcome, StaffError) else type(outcome).__name__
        self._show_step(NAME)
        self._say(s.STAFF_FAILED.format(reason=reason))

    def _on_renewed(self, name: str, outcome: object) -> None:
        if not isinstance(outcome, BaseException):  # reset_pin returns nothing
            self.context.audit("staff-reset-pin", name=name)
            self.refresh()
            self._result(s.STAFF_PIN_CHANGED.format(name=name))
            return
        reason = outcome.message if isinstance(outcome, StaffError) else type(outcome).__name__
        self._show_step(PIN)
        self._say(s.STAFF_FAILED.format(reason=reason))

    def _forget_typing(self) -> None:
        self.name.clear()
        self.pin.clear()
        self.pin_again.clear()

    def wipe(self) -> None:
        """Forget every name and digit shown or typed (on lock); a worker still
        running is finished, so its outcome is written down."""
        self.worker.finish_now()
        self._forget_typing()
        self._renewing = ""
        self.cancel_remove()
        clear_layout(self.members_layout)
        for label in self.findChildren(QLabel):
            label.clear()
