"""The office app's Kiosks view: each kiosk green / amber / red with the reason in
words and what its last heartbeat said (issue 14 point 3), and page views per page
summed over the kiosks (point 4). Read again every half minute while shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import psycopg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.office import inbox
from kiosk.ui.office import words as w
from kiosk.ui.office.session import Session
from kiosk.ui.widgets import button, plain_label

REFRESH_MS = 30_000
PAGE_VIEW_DAYS = 30
#: The state cell's colours: light enough for black text, plain to tell apart.
COLOURS = {"green": "#c8e6c9", "amber": "#ffe0a3", "red": "#f4b4b0"}


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
        (k.content_fingerprint or "")[:12] or w.NOT_KNOWN,
        str(k.outbox_depth) if known and k.outbox_depth is not None else w.NOT_KNOWN,
        _size(k.free_disk),
        _when(k.last_touch),
        _when(k.last_heartbeat),
    ]


class ViewSwitch(QWidget):
    """The buttons "Enquiries" and "Kiosks" above the signed-in views; ``chosen`` names one."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.buttons: dict[str, QPushButton] = {
            "enquiries": button(w.ENQUIRIES_VIEW),
            "kiosks": button(w.KIOSKS_VIEW),
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


class KiosksPage(QWidget):
    def __init__(self, session: Callable[[], Session | None]) -> None:
        super().__init__()
        self._session = session
        self.health = _table(w.KIOSK_COLUMNS, w.KIOSKS_HEADING)
        views_heading = w.PAGE_VIEWS_HEADING.format(days=PAGE_VIEW_DAYS)
        self.views = _table(w.PAGE_VIEW_COLUMNS, views_heading)
        self.message = plain_label("", "officeMessage")
        self.message.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(plain_label(w.KIOSKS_HEADING))
        column.addWidget(self.health, 3)
        column.addWidget(plain_label(views_heading))
        column.addWidget(self.views, 2)
        column.addWidget(self.message)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()

    def refresh(self) -> None:
        session = self._session()
        if session is None:
            return
        try:
            kiosks = inbox.kiosk_health(session.conn)
            totals = inbox.page_view_totals(session.conn, PAGE_VIEW_DAYS)
        except psycopg.Error as exc:
            self.message.setText(w.KIOSKS_UNREADABLE.format(error=str(exc).strip()))
            return
        self.message.clear()
        _fill(self.health, [kiosk_cells(k) for k in kiosks])
        for r, k in enumerate(kiosks):
            state = self.health.item(r, 1)
            if state is not None:
                state.setBackground(QColor(COLOURS[k.health]))
                state.setForeground(QColor("black"))
        _fill(self.views, [(page, f"{n:,}") for page, n in totals])
