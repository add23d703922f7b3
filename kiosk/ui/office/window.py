"""The office app's window: sign in, then the inbox (a table, newest first, a page at
a time) with the chosen enquiry beside it and its three outcomes."""

from __future__ import annotations

import psycopg
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.enquiries import labels
from kiosk.office import inbox
from kiosk.ui.office import words as w
from kiosk.ui.office.alerts import AlertBanner
from kiosk.ui.office.kiosks import KiosksPage, ViewSwitch
from kiosk.ui.office.listener import Listener
from kiosk.ui.office.session import PAGE_SIZE, Row, Session, SignInError, sign_in
from kiosk.ui.widgets import button, centred, plain_label

#: The outcomes of a call, as ``inbox.set_status`` names them.
OUTCOMES = (
    ("contacted", w.CONTACTED),
    ("no_answer", w.NO_ANSWER),
    ("not_interested", w.NOT_INTERESTED),
)
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


class DetailPane(QWidget):
    """The chosen enquiry, every field, and the outcome buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.values = {key: plain_label() for key, _ in w.DETAIL_FIELDS}
        form = QFormLayout()
        for key, label in w.DETAIL_FIELDS:
            self.values[key].setWordWrap(True)
            self.values[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(plain_label(label), self.values[key])
        self.heading = plain_label(w.NOTHING_CHOSEN)
        self.outcomes = {status: button(text) for status, text in OUTCOMES}
        buttons = QHBoxLayout()
        for widget in self.outcomes.values():
            buttons.addWidget(widget)
        buttons.addStretch(1)
        self.message = plain_label("", "officeMessage")
        self.message.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.message)
        column.addStretch(1)
        self.show_row(None)

    def show_row(self, row: Row | None) -> None:
        for key, _ in w.DETAIL_FIELDS:
            value = row.personal.get(key, "") if row else ""
            if row and key == "method":
                value = labels.method(value)
            elif row and key == "best_time":
                value = labels.best_time(value)
            self.values[key].setText(value)
        if row is None:
            self.heading.setText(w.NOTHING_CHOSEN)
        else:
            self.heading.setText(f"{row.topic} · {row.enquiry.kiosk} · {row.status}")
        for status, widget in self.outcomes.items():
            widget.setEnabled(row is not None and row.enquiry.status != status)


class InboxPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, len(w.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(w.COLUMNS))
        self.table.setAccessibleName(w.APP_TITLE)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.more = button(w.SHOW_MORE)
        self.sign_out = button(w.SIGN_OUT)
        self.detail = DetailPane()
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.table)
        bar = QHBoxLayout()
        bar.addWidget(self.more)
        bar.addStretch(1)
        bar.addWidget(self.sign_out)
        left_column.addLayout(bar)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        column = QVBoxLayout(self)
        column.addWidget(split)


class OfficeWindow(QMainWindow):
    """Sign-in, then the inbox; ``refresh()`` rereads the first page (a new enquiry)."""

    def __init__(self, url: str, *, listen: bool = True) -> None:
        super().__init__()
        self.url = url
        self.session: Session | None = None
        self.rows: list[Row] = []
        self.sign_in_page = SignInPage()
        self.inbox = InboxPage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self.inbox)
        self.setWindowTitle(w.APP_TITLE)
        self.resize(1100, 700)
        self.listen = listen
        self.listener: Listener | None = None
        self._add_alerts_and_kiosks()
        self.sign_in_page.button.clicked.connect(self.try_sign_in)
        self.inbox.table.itemSelectionChanged.connect(self._chosen)
        self.inbox.more.clicked.connect(self.show_more)
        self.inbox.sign_out.clicked.connect(self.sign_out)
        for status, widget in self.inbox.detail.outcomes.items():
            widget.clicked.connect(lambda _=False, s=status: self.mark(s))

    def _add_alerts_and_kiosks(self) -> None:
        """Crisis alerts above everything, and the Kiosks view beside the inbox."""
        self.alerts = AlertBanner(lambda: self.session)
        self.kiosks = KiosksPage(lambda: self.session)
        self.views = ViewSwitch()
        self.views.hide()
        self.stack.addWidget(self.kiosks)
        top = QWidget()
        column = QVBoxLayout(top)
        column.addWidget(self.alerts)
        column.addWidget(self.views)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(top)
        self.views.chosen.connect(self.show_view)
        # From the moment the window opens: an office on the sign-in page still sounds.
        self.alert_listener: Listener | None = None
        if self.listen:
            self.alert_listener = Listener(self.url, enquiries=False, alerts=True)
            self.alert_listener.alerts.connect(self.alerts.show_alerts)
            self.alert_listener.start()

    def show_view(self, key: str) -> None:
        """Show the enquiries or the kiosks (signed in only)."""
        if self.session is None:
            return
        self.views.mark(key)
        self.stack.setCurrentWidget(self.kiosks if key == "kiosks" else self.inbox)

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
        self.views.mark("enquiries")
        self.views.show()
        self.refresh()
        self.alerts.signed_in_or_out()
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
        self.rows = []
        self.inbox.table.setRowCount(0)
        self.inbox.detail.show_row(None)
        self.setWindowTitle(w.APP_TITLE)
        self.alerts.signed_in_or_out()
        self.views.hide()
        self.stack.setCurrentWidget(self.sign_in_page)

    def _stop_listening(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sign_out()
        if self.alert_listener is not None:
            self.alert_listener.stop()
            self.alert_listener = None
        super().closeEvent(event)

    # -- the inbox --------------------------------------------------------------------------

    def refresh(self) -> None:
        """The first page again (keeping the chosen enquiry chosen) and the title's count."""
        if self.session is None:
            return
        chosen = self._chosen_row()
        self.rows = self.session.page()
        self._fill()
        self.inbox.more.setEnabled(len(self.rows) == PAGE_SIZE)
        if chosen is not None:
            self._choose(chosen.enquiry.id)
        self._title()

    def show_more(self) -> None:
        if self.session is None or not self.rows:
            return
        older = self.session.page(before_id=self.rows[-1].enquiry.id)
        self.rows += older
        self._fill()
        self.inbox.more.setEnabled(len(older) == PAGE_SIZE)

    def _title(self) -> None:
        if self.session is not None:
            self.setWindowTitle(w.TITLE_NEW.format(new=self.session.new_count()))

    def _fill(self) -> None:
        table = self.inbox.table
        table.blockSignals(True)
        table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            received = row.enquiry.received_at.astimezone().strftime("%Y-%m-%d %H:%M")
            cells = (row.name, row.contact, row.topic, row.enquiry.kiosk, received, row.status)
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.blockSignals(False)

    def _chosen_row(self) -> Row | None:
        selected = self.inbox.table.selectionModel().selectedRows()
        return self.rows[selected[0].row()] if selected else None

    def _choose(self, enquiry_id: int) -> None:
        for r, row in enumerate(self.rows):
            if row.enquiry.id == enquiry_id:
                self.inbox.table.selectRow(r)
                self.inbox.detail.show_row(row)
                return
        self.inbox.detail.show_row(None)

    def _chosen(self) -> None:
        self.inbox.detail.message.clear()
        self.inbox.detail.show_row(self._chosen_row())

    def mark(self, status: str) -> None:
        row = self._chosen_row()
        if self.session is None or row is None:
            return
        change: inbox.StatusChange = self.session.mark(row, status)
        said = w.STATUS_WORDS.get(change.status, change.status)
        if change.changed:
            message = w.MARKED.format(status=said)
        else:
            message = w.MARKED_BY_OTHER.format(by=change.by or "?", status=said)
        self.refresh()
        self.inbox.detail.message.setText(message)
