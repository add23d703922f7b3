"""The office app's Kiosks view: each kiosk green / amber / red with the reason in
words and what its last heartbeat said (issue 14 point 3), what each kiosk sent,
checked ("kiosk Lobby: 1,204 received, none missing", or the numbers missing and
altered, in red: point 2), and page views per page summed over the kiosks (point 4).
Read again every half minute while shown; the receipts are checked on a thread
(Ed25519 over every new row), with the session's cache of what was verified."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime

import psycopg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.office import inbox
from kiosk.ui.office import words as w
from kiosk.ui.office.inbox import Background, Conn, DownScroll, Work
from kiosk.ui.office.look import LookDialog
from kiosk.ui.office.session import Session
from kiosk.ui.office.trouble import said
from kiosk.ui.widgets import button, plain_label

REFRESH_MS = 30_000


class RefreshWhileShown(QObject):
    """Calls ``refresh`` when ``view`` is shown and every ``REFRESH_MS`` while it
    is: a view hidden behind another tab asks the server nothing."""

    def __init__(self, view: QWidget, refresh: Callable[[], None]) -> None:
        super().__init__(view)
        self._refresh = refresh
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(refresh)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self._refresh()
            self._timer.start()
        elif event.type() == QEvent.Type.Hide:
            self._timer.stop()
        return False


CONTENT_MAX = 40  # the Content column: "revision 123456" fits many times
PAGE_VIEW_DAYS = 30
#: The state cell's colours: light enough for black text, plain to tell apart.
COLOURS = {"green": "#c8e6c9", "amber": "#ffe0a3", "red": "#f4b4b0"}
#: A receipt naming missing or altered rows: red words (the numbers say what, not the colour).
PROBLEM_STYLE = "color: #b3261e; font-weight: bold;"


def _table(columns: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else w.NOT_KNOWN


def _size(n: int | None) -> str:
    if n is None:
        return w.NOT_KNOWN
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def kiosk_cells(k: inbox.KioskHealth) -> list[str]:
    """One kiosk's row, in words (the columns of ``words.KIOSK_COLUMNS``)."""
    known = k.last_heartbeat is not None
    return [
        k.name,
        w.HEALTH_WORDS[k.health],
        k.reason,
        k.version or w.NOT_KNOWN,
        # "revision 14" or "local" (``published.running``); cut short only in case a
        # kiosk sends something longer, never to hide a revision's number.
        (k.content_fingerprint or "")[:CONTENT_MAX] or w.NOT_KNOWN,
        str(k.outbox_depth) if known and k.outbox_depth is not None else w.NOT_KNOWN,
        _size(k.free_disk),
        _when(k.last_touch),
        _when(k.last_heartbeat),
    ]


class ViewSwitch(QWidget):
    """The buttons "Enquiries", "Kiosks" and "Revisions" above the signed-in views;
    ``chosen`` names one."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.buttons: dict[str, QPushButton] = {
            "enquiries": button(w.ENQUIRIES_VIEW),
            "kiosks": button(w.KIOSKS_VIEW),
            "revisions": button(w.REVISIONS_VIEW),
        }
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for key, widget in self.buttons.items():
            widget.setCheckable(True)
            widget.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            row.addWidget(widget)
        row.addStretch(1)
        self.mark("enquiries")

    def mark(self, key: str) -> None:
        for name, widget in self.buttons.items():
            widget.setChecked(name == key)


def _verifying(cache: inbox.VerifiedCache) -> Work:
    """The receipts as background work: every kiosk's rows, only new ones verified."""

    def work(conn: Conn, _report: Callable[[object], None], _stopping: threading.Event) -> object:
        return inbox.verify_kiosks(conn, cache)

    return work


class KiosksPage(QWidget):
    """``refresh()`` rereads the kiosks (and starts checking their receipts); ``clear()``
    at sign-out."""

    receipts_shown = Signal()  # a check ended and what it found is on screen

    def __init__(self, session: Callable[[], Session | None], url: str) -> None:
        super().__init__()
        self._session = session
        self._url = url
        # The check running and the session it is for; one at a time (they share the
        # session's cache), and one more after it when a refresh came meanwhile.
        self._checking: tuple[Background, Session] | None = None
        self._again = False
        self.health = _table((*w.KIOSK_COLUMNS, w.LOOK_COLUMN), w.KIOSKS_HEADING)
        self.look_dialog: LookDialog | None = None
        views_heading = w.PAGE_VIEWS_HEADING.format(days=PAGE_VIEW_DAYS)
        self.views = _table(w.PAGE_VIEW_COLUMNS, views_heading)
        self.message = plain_label("", "officeMessage")
        self.message.setWordWrap(True)
        self.receipts: list[QLabel] = []
        self.receipt_lines = QVBoxLayout()
        self.receipts_message = plain_label("", "officeMessage")
        self.receipts_message.setWordWrap(True)
        # The page scrolls on a small screen or with many kiosks' receipts, rather
        # than squeezing its tables and buttons below their size.
        content = QWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(DownScroll(content))
        column = QVBoxLayout(content)
        column.addWidget(plain_label(w.KIOSKS_HEADING))
        column.addWidget(self.health, 3)
        column.addWidget(plain_label(w.RECEIPTS_HEADING))
        column.addLayout(self.receipt_lines)
        column.addWidget(self.receipts_message)
        column.addWidget(plain_label(views_heading))
        column.addWidget(self.views, 2)
        column.addWidget(self.message)
        RefreshWhileShown(self, self.refresh)

    def refresh(self) -> None:
        session = self._session()
        if session is None:
            return
        try:
            kiosks = inbox.kiosk_health(session.conn)
            totals = inbox.page_view_totals(session.conn, PAGE_VIEW_DAYS)
        except psycopg.Error as exc:
            self.message.setText(w.KIOSKS_UNREADABLE.format(error=said(exc)))
            return
        self.message.clear()
        self._check_receipts(session)
        _fill(self.health, [kiosk_cells(k) for k in kiosks])
        for r, k in enumerate(kiosks):
            state = self.health.item(r, 1)
            if state is not None:
                state.setBackground(QColor(COLOURS[k.health]))
                state.setForeground(QColor("black"))
            self._look_button(r, k.name)
        self.health.resizeColumnsToContents()
        _fill(self.views, [(page, f"{n:,}") for page, n in totals])

    def _look_button(self, row: int, name: str) -> None:
        """ "Show me this kiosk's screen" in the row's last cell."""
        look = button(w.LOOK)
        look.clicked.connect(lambda _=False, name=name: self.look_at(name))
        self.health.setCellWidget(row, len(w.KIOSK_COLUMNS), look)
        self.health.setRowHeight(row, max(self.health.rowHeight(row), look.sizeHint().height()))

    def look_at(self, name: str) -> None:
        """Ask the kiosk ``name`` for its screen, in a dialog over the window."""
        session = self._session()
        if session is None:
            return
        if self.look_dialog is not None:
            self.look_dialog.reject()
        self.look_dialog = LookDialog(session, name, self)
        self.look_dialog.open()

    def clear(self) -> None:
        """Signed out: nothing of the last session's kiosks is left on the page."""
        self._checking, self._again = None, False  # a check still running is not shown
        if self.look_dialog is not None:  # a kiosk's screen goes with the session
            self.look_dialog.reject()
            self.look_dialog = None
        self.health.setRowCount(0)
        self.views.setRowCount(0)
        self._show_receipts([])
        self.receipts_message.clear()
        self.message.clear()

    # -- receipts -----------------------------------------------------------------------

    def _check_receipts(self, session: Session) -> None:
        if self._checking is not None:
            self._again = True
            return
        job = Background(self._url, _verifying(session.verified))
        job.done.connect(lambda result, job=job: self._checked(job, result))
        self._checking = (job, session)
        if not self.receipts:
            self.receipts_message.setText(w.RECEIPTS_CHECKING)
        job.start()

    def _checked(self, job: Background, result: object) -> None:
        if self._checking is None or self._checking[0] is not job:
            return  # signed out meanwhile: another session's, or none
        session = self._checking[1]
        self._checking = None
        if isinstance(result, list):
            self._show_receipts(result)
            self.receipts_message.setText("" if result else w.RECEIPTS_NONE)
        else:
            self.receipts_message.setText(w.RECEIPTS_FAILED.format(error=str(result).strip()))
        self.receipts_shown.emit()
        if self._again:
            self._again = False
            self._check_receipts(session)

    def _show_receipts(self, receipts: Sequence[inbox.KioskReceipt]) -> None:
        """One line per kiosk, in red when it names missing or altered rows."""
        while len(self.receipts) > len(receipts):
            label = self.receipts.pop()
            self.receipt_lines.removeWidget(label)
            label.deleteLater()
        while len(self.receipts) < len(receipts):
            label = plain_label()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.receipt_lines.addWidget(label)
            self.receipts.append(label)
        for label, receipt in zip(self.receipts, receipts, strict=True):
            label.setText(receipt.summary())
            label.setStyleSheet(PROBLEM_STYLE if receipt.missing or receipt.bad_signatures else "")
