"""The office app's window: sign in, then the inbox (``kiosk.ui.office.inbox``: the
enquiries newest first with filters and search, the chosen one beside them)."""

from __future__ import annotations

import psycopg
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.office import words as w
from kiosk.ui.office.inbox import InboxPage
from kiosk.ui.office.listener import Listener
from kiosk.ui.office.session import Session, SignInError, sign_in
from kiosk.ui.widgets import button, centred, plain_label

SIGN_IN_WIDTH = 420  # px: a short form, not a line across the whole screen


def _field(label: str, edit: QLineEdit) -> QLabel:
    """A labelled line edit whose accessible name is its label."""
    edit.setAccessibleName(label)
    shown = plain_label(label)
    shown.setBuddy(edit)
    return shown


class SignInPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = button(w.SIGN_IN)
        self.button.setDefault(True)
        self.message = plain_label("", "officeMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_field(w.STAFF_NAME, self.name), self.name)
        form.addRow(_field(w.PIN, self.pin), self.pin)
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
        # Enter in either field signs in, as on any desktop form.
        self.name.returnPressed.connect(self.button.click)
        self.pin.returnPressed.connect(self.button.click)


class OfficeWindow(QMainWindow):
    """Sign-in, then the inbox; ``refresh()`` rereads the first page (a new enquiry)."""

    def __init__(self, url: str, *, listen: bool = True) -> None:
        super().__init__()
        self.url = url
        self.session: Session | None = None
        self.sign_in_page = SignInPage()
        self.inbox = InboxPage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self.inbox)
        self.setCentralWidget(self.stack)
        self.setWindowTitle(w.APP_TITLE)
        self.resize(1100, 700)
        self.listen = listen
        self.listener: Listener | None = None
        self.sign_in_page.button.clicked.connect(self.try_sign_in)
        self.inbox.sign_out.clicked.connect(self.sign_out)
        self.inbox.changed.connect(self._title)

    # -- signing in and out ----------------------------------------------------------------

    def try_sign_in(self) -> None:
        page = self.sign_in_page
        try:
            conn = psycopg.connect(self.url, autocommit=True)
        except psycopg.Error as exc:
            page.message.setText(w.DB_UNREACHABLE.format(error=str(exc).strip()))
            return
        try:
            self.session = sign_in(conn, page.name.text(), page.pin.text())
        except SignInError as exc:
            conn.close()
            page.message.setText(str(exc))
            page.pin.clear()
            page.pin.setFocus()
            return
        page.pin.clear()
        page.message.clear()
        self.stack.setCurrentWidget(self.inbox)
        self.inbox.start(self.session, self.url)
        self._title()
        if self.listen:
            self.listener = Listener(self.url)
            self.listener.arrived.connect(self.refresh)
            self.listener.start()

    def sign_out(self) -> None:
        """Drop the key and every opened row (they were in memory only)."""
        self._stop_listening()
        if self.session is not None:
            self.session.conn.close()
        self.session = None
        self.inbox.clear()
        self.setWindowTitle(w.APP_TITLE)
        self.stack.setCurrentWidget(self.sign_in_page)

    def _stop_listening(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sign_out()
        super().closeEvent(event)

    # -- the inbox --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Something arrived: the inbox rereads (keeping the chosen enquiry), the title counts."""
        if self.session is None:
            return
        self.inbox.refresh()
        self._title()

    def _title(self) -> None:
        if self.session is not None:
            self.setWindowTitle(w.TITLE_NEW.format(new=self.session.new_count()))
