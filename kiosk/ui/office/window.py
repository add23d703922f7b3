"""The office app's window: sign in, then the inbox (a table, newest first, a page at
a time) with the chosen enquiry beside it and its three outcomes. Idle for
``lock_after_s``, it locks: back to sign-in, the clinic key and every opened row
dropped."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
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
from kiosk.staff.accounts import say_seconds
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.office import words as w
from kiosk.ui.office.alerts import AlertBanner
from kiosk.ui.office.chime import CHIME_KEY, Chime, chime_wanted
from kiosk.ui.office.kiosks import KiosksPage, ViewSwitch
from kiosk.ui.office.listener import Listener
from kiosk.ui.office.session import PAGE_SIZE, Row, Session
from kiosk.ui.office.signin import SignInPage
from kiosk.ui.widgets import button, plain_label

#: The outcomes of a call, as ``inbox.set_status`` names them.
OUTCOMES = (
    ("contacted", w.CONTACTED),
    ("no_answer", w.NO_ANSWER),
    ("not_interested", w.NOT_INTERESTED),
)
LOCK_AFTER_S = 5 * 60.0  # idle seconds before the window locks (--lock-after, in minutes)


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
        self.chime = QCheckBox(w.CHIME)
        self.chime.setAccessibleName(w.CHIME)
        self.detail = DetailPane()
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.table)
        bar = QHBoxLayout()
        bar.addWidget(self.more)
        bar.addWidget(self.chime)
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
    """Sign-in, then the inbox; ``refresh()`` rereads the first page (a new enquiry).

    ``lock_after_s``: idle seconds before it locks; ``settings``: where the chime
    choice is kept (this PC's, by default); ``clock``: the sign-in lock's (tests).
    """

    def __init__(
        self,
        url: str,
        *,
        listen: bool = True,
        lock_after_s: float = LOCK_AFTER_S,
        settings: QSettings | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self.url = url
        self.session: Session | None = None
        self.rows: list[Row] = []
        self.sign_in_page = SignInPage(url, clock=clock)
        self.inbox = InboxPage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self.inbox)
        self.setWindowTitle(w.APP_TITLE)
        self.resize(1100, 700)
        self.listen = listen
        self.listener: Listener | None = None
        self._add_alerts_and_kiosks()
        self.lock_after_s = lock_after_s
        self.idle = IdleMonitor(max(1, round(lock_after_s * 1000)), 0, parent=self)
        self.idle.warning.connect(self.lock)
        self.settings = settings if settings is not None else QSettings("kiosk", "office")
        self.chime: Chime | None = None  # made when first wanted (it loads Qt Multimedia)
        self._newest: int | None = None  # the newest enquiry shown: a newer one chimes
        self.inbox.chime.setChecked(chime_wanted(self.settings))
        self._want_chime(self.inbox.chime.isChecked())
        self.sign_in_page.signed_in.connect(self._signed_in)
        self.inbox.chime.toggled.connect(self._chime_toggled)
        self.inbox.table.itemSelectionChanged.connect(self._chosen)
        self.inbox.more.clicked.connect(self.show_more)
        self.inbox.sign_out.clicked.connect(lambda: self.sign_out())
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

    def _signed_in(self, session: object) -> None:
        if not isinstance(session, Session):
            return
        self.session = session
        self._newest = None
        self.stack.setCurrentWidget(self.inbox)
        self.views.mark("enquiries")
        self.views.show()
        self.refresh()
        self.alerts.signed_in_or_out()
        if self.listen:
            self.listener = Listener(self.url)
            self.listener.arrived.connect(self.refresh)
            self.listener.start()
        self.idle.start()

    def sign_out(self, why: str = "signed out", message: str = "") -> None:
        """Drop the key and every opened row (they were in memory only); audited."""
        self.idle.stop()
        self._stop_listening()
        session, self.session = self.session, None
        if session is not None:
            session.close(why)
        self.rows = []
        self._newest = None
        self.inbox.table.setRowCount(0)
        self.inbox.detail.show_row(None)
        self.inbox.detail.message.clear()
        self.setWindowTitle(w.APP_TITLE)
        self.alerts.signed_in_or_out()
        self.views.hide()
        self.stack.setCurrentWidget(self.sign_in_page)
        self.sign_in_page.show_locked(message)

    def lock(self) -> None:
        """Nobody used the window for ``lock_after_s``: sign out, and say why."""
        if self.session is not None:
            self.sign_out("idle", w.AUTO_LOCKED.format(idle=say_seconds(self.lock_after_s)))

    def _stop_listening(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sign_out("closed")
        if self.alert_listener is not None:
            self.alert_listener.stop()
            self.alert_listener = None
        super().closeEvent(event)

    # -- the chime --------------------------------------------------------------------------

    def _chime_toggled(self, on: bool) -> None:
        self.settings.setValue(CHIME_KEY, on)
        self.settings.sync()
        self._want_chime(on)

    def _want_chime(self, on: bool) -> None:
        """Load the sound as soon as it is wanted, so the first new enquiry is heard."""
        if on and self.chime is None:
            self.chime = Chime(self)

    def _chime_for(self, newest: int) -> None:
        """Chime when a newer enquiry than the last shown arrived (not at sign-in)."""
        if self._newest is not None and newest > self._newest and self.inbox.chime.isChecked():
            assert self.chime is not None  # made when the box was ticked
            self.chime.play()
        self._newest = max(newest, self._newest or 0)

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
        self._chime_for(self.rows[0].enquiry.id if self.rows else 0)

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
