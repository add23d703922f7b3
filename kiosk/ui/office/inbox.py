"""The office app's inbox: the enquiries as a model/view table (only the rows on screen
are opened), the filters bar, the search box, export and retention, and the chosen
enquiry beside the list with its three outcomes.

The filters are SQL on the plaintext columns (``kiosk.office.inbox.Filters``);
the search opens rows here, off the GUI thread, a batch at a time, and never
sends what was typed anywhere. Export and search run on threads of their own,
each with a connection of its own, so the window stays usable.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.enquiries import labels
from kiosk.enquiries.export import ExportError, ExportResult, export_file_name
from kiosk.office import inbox
from kiosk.ui.office import words as w
from kiosk.ui.office.session import PAGE_SIZE, Row, Session
from kiosk.ui.widgets import button, labelled, plain_label

log = logging.getLogger(__name__)

#: What psycopg raises when the connection is gone (the server down, the network out).
CONNECTION_GONE = (psycopg.OperationalError, psycopg.InterfaceError)


def _connected(method: Callable[..., Any]) -> Callable[..., Any]:
    """An inbox action that reads or writes the database: with the connection
    gone, it says so (``lost``) rather than raising on the screen's thread, where
    nothing told staff and the list went on showing what no longer was."""

    # A signal hands a slot as many arguments as it takes; this wrapper takes any
    # number, so it passes on only as many as the method takes (selectionChanged
    # gives two that ``_chosen`` does not want).
    takes = method.__code__.co_argcount - 1

    @functools.wraps(method)
    def run(self: InboxPage, *args: Any) -> Any:
        try:
            return method(self, *args[:takes])
        except CONNECTION_GONE as exc:
            log.warning("the office database connection is gone: %s", type(exc).__name__)
            self.lost.emit()
            return None

    return run


Conn = psycopg.Connection[Any]
Index = QModelIndex | QPersistentModelIndex

#: The outcomes of a call, as ``inbox.set_status`` names them.
OUTCOMES = (
    ("contacted", w.CONTACTED),
    ("no_answer", w.NO_ANSWER),
    ("not_interested", w.NOT_INTERESTED),
)
SEARCH_DELAY_MS = 300  # typing pauses this long before a search starts
SEARCH_BATCH = 500  # rows opened between two looks at Stop
NO_DAY = QDate(2000, 1, 1)  # a date edit at its minimum shows "Any day"
ROW_HEIGHT_LINES = 1.6  # rows of one line: the view sizes them without asking every row
SPLIT_UNIT = 300  # px: the list gets three of these for the detail's one, at first
NOTE_MAX = 500  # characters: a short note about the call, not a case file
#: Per column, the text its width is made for; the contact's is its least: it takes the rest.
COLUMN_WIDEST = (
    "Alexandra Johnson",
    "Phone call: (801) 555-0100",
    "Ketamine and depress",
    "Waiting room",
    "2026-12-31 23:59",
    w.NOT_INTERESTED,
)
CONTACT = 1  # the column that takes the width the others leave
SPACE = 24  # px between two groups of controls on a line
FILTER_MAX_CHARS = 30  # a kiosk or topic filter's box is at most this many characters wide


# -- the list --------------------------------------------------------------------------------


class EnquiryModel(QAbstractTableModel):
    """The enquiries, still sealed, a page at a time; a row is opened when the view
    first asks for its text (only rows on screen), and kept opened by id until
    ``clear`` (signing out): what a patient typed stays in this process only."""

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None
        self.filters = inbox.NO_FILTERS
        self.titles: dict[str, str] = {}
        self.enquiries: list[inbox.OfficeEnquiry] = []
        self.opened: dict[int, dict[str, str]] = {}
        self.more = False  # browsing, and an older page may follow
        self.searching = False  # the rows are search matches, added as they come

    def clear(self) -> None:
        self.beginResetModel()
        self.session = None
        self.enquiries = []
        self.opened = {}
        self.more = self.searching = False
        self.endResetModel()

    def browse(self, session: Session, filters: inbox.Filters, *, keep: int = 0) -> None:
        """The newest enquiries the filters select (at least ``keep`` of them: a refresh
        keeps what was scrolled to)."""
        limit = max(PAGE_SIZE, keep)
        self.beginResetModel()
        self.session, self.filters, self.searching = session, filters, False
        self.enquiries = session.page(filters=filters, limit=limit)
        self.more = len(self.enquiries) == limit
        self.endResetModel()

    def start_search(self) -> None:
        self.beginResetModel()
        self.enquiries, self.more, self.searching = [], False, True
        self.endResetModel()

    def add_found(self, found: list[inbox.Opened]) -> None:
        if not found:
            return
        first = len(self.enquiries)
        self.beginInsertRows(QModelIndex(), first, first + len(found) - 1)
        for match in found:
            self.enquiries.append(match.enquiry)
            self.opened[match.enquiry.id] = match.personal  # opened already, to compare
        self.endInsertRows()

    def replace(self, enquiry: inbox.OfficeEnquiry) -> None:
        """One enquiry as reread (its status changed), where it is in the list."""
        for r, shown in enumerate(self.enquiries):
            if shown.id == enquiry.id:
                self.enquiries[r] = enquiry
                self.dataChanged.emit(self.index(r, 0), self.index(r, len(w.COLUMNS) - 1))
                return

    def row(self, r: int) -> Row:
        enquiry = self.enquiries[r]
        personal = self.opened.get(enquiry.id)
        if personal is None:
            assert self.session is not None
            personal = self.session.open(enquiry).personal
            self.opened[enquiry.id] = personal
        return Row(enquiry, personal)

    def topic(self, enquiry: inbox.OfficeEnquiry) -> str:
        return labels.topic(enquiry.topic, self.titles)

    def position(self, enquiry_id: int) -> int | None:
        return next((r for r, e in enumerate(self.enquiries) if e.id == enquiry_id), None)

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.enquiries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(w.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return w.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        column = index.column()
        enquiry = self.enquiries[index.row()]
        if column == 2:
            return self.topic(enquiry)
        if column == 3:
            return enquiry.kiosk
        if column == 4:
            return enquiry.received_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if column == 5:
            return w.STATUS_WORDS.get(enquiry.status, enquiry.status)
        row = self.row(index.row())  # only the name and contact need the row opened
        return row.name if column == 0 else row.contact

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self.more

    def fetchMore(self, parent: Index) -> None:
        """The next older page, when the view scrolls to the end of what it has."""
        if parent.isValid() or not self.more or self.session is None:
            return
        older = self.session.page(before_id=self.enquiries[-1].id, filters=self.filters)
        self.more = len(older) == PAGE_SIZE
        if older:
            first = len(self.enquiries)
            self.beginInsertRows(QModelIndex(), first, first + len(older) - 1)
            self.enquiries += older
            self.endInsertRows()


class EnquiryTable(QTableView):
    """The list: each column as wide as its usual longest text, the contact taking
    what is left but never less than its own; on a narrow window the table
    scrolls sideways (the window never outgrows the screen). Fixed widths: the
    view never asks every row for its width (that would open them all)."""

    def __init__(self, model: EnquiryModel) -> None:
        super().__init__()
        self.setModel(model)
        columns = self.horizontalHeader()
        columns.setStretchLastSection(False)
        padding = self.fontMetrics().averageCharWidth() * 2
        self.widths = [self.fontMetrics().horizontalAdvance(t) + padding for t in COLUMN_WIDEST]
        for c, width in enumerate(self.widths):
            columns.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            columns.resizeSection(c, width)
        # A column the member widens or narrows gives or takes the contact's room.
        columns.sectionResized.connect(self._resized)

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column != CONTACT:
            self._fit()

    def _fit(self) -> None:
        columns = self.horizontalHeader()
        others = sum(columns.sectionSize(c) for c in range(columns.count()) if c != CONTACT)
        rest = self.viewport().width() - others
        columns.resizeSection(CONTACT, max(self.widths[CONTACT], rest))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


# -- work off the GUI thread ---------------------------------------------------------------

Work = Callable[[Conn, Callable[[object], None], threading.Event], object]


class Background(QObject):
    """``work(conn, report, stopping)`` on a thread of its own with a connection of its
    own (the window's stays free). ``report(value)`` → ``progress``; what it returns,
    or what it raised (``psycopg.Error``, ``ExportError``, …) → ``done``. Qt queues both
    signals to the window's thread."""

    progress = Signal(object)
    done = Signal(object)

    def __init__(self, url: str, work: Work) -> None:
        super().__init__()
        self._url = url
        self._work = work
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="office-inbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Asks the work to stop at its next look (a search: after the batch it is in)."""
        self.stopping.set()

    def _run(self) -> None:
        try:
            with psycopg.connect(self._url, autocommit=True) as conn:
                result = self._work(conn, self.progress.emit, self.stopping)
        except Exception as exc:  # said in the window; the thread ends either way
            result = exc
        self.done.emit(result)


def _searching(session: Session, text: str, filters: inbox.Filters) -> Work:
    """The search as background work: each batch's matches reported; (looked, stopped)."""

    def work(conn: Conn, report: Callable[[object], None], stopping: threading.Event) -> object:
        shown = 0  # rows looked at whose matches were reported
        batches: Iterator[tuple[int, list[inbox.Opened]]] = inbox.search(
            conn, session.opener, text, filters, batch=SEARCH_BATCH
        )
        for looked, found in batches:
            if stopping.is_set():
                return shown, True
            report((looked, found))
            shown = looked
        return shown, False

    return work


# -- the chosen enquiry ----------------------------------------------------------------------


class DetailPane(QWidget):
    """The chosen enquiry, every field and its latest note, and the outcome buttons with
    a note to go with the one chosen (sealed by ``Session.mark``)."""

    def __init__(self) -> None:
        super().__init__()
        self.values = {key: plain_label() for key, _ in w.DETAIL_FIELDS}
        self.latest_note = plain_label()
        form = QFormLayout()
        for key, label in (*w.DETAIL_FIELDS, ("", w.LATEST_NOTE)):
            value = self.values.get(key, self.latest_note)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(plain_label(label), value)
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        form.addRow(labelled(w.NOTE, self.note), self.note)
        self.heading = plain_label(w.NOTHING_CHOSEN)
        self.heading.setWordWrap(True)  # topic · kiosk · status, in a narrow pane
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

    def show_row(self, row: Row | None, topic: str = "", note: str = "") -> None:
        """``row`` (None: nothing chosen) and its latest note, opened; the note being
        typed is dropped (it was for the enquiry shown before)."""
        self.note.clear()
        self.note.setEnabled(row is not None)
        self.latest_note.setText(note or (w.NO_NOTE if row else ""))
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
            self.heading.setText(f"{topic} · {row.enquiry.kiosk} · {row.status}")
        for status, widget in self.outcomes.items():
            widget.setEnabled(row is not None and row.enquiry.status != status)


class DownScroll(QScrollArea):
    """``content`` scrolled up and down only: never narrower than it needs, so a
    splitter beside it leaves it its width and nothing in it is cut off."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.content = content
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:
        content = self.content.minimumSizeHint().width()
        return QSize(content + self.verticalScrollBar().sizeHint().width(), 0)


# -- the page ----------------------------------------------------------------------------------


def _day_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setMinimumDate(NO_DAY)
    edit.setSpecialValueText(w.ANY_DAY)  # shown at the minimum: no limit that way
    edit.setDate(NO_DAY)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> date | None:
    chosen = edit.date()
    return None if chosen == NO_DAY else date(chosen.year(), chosen.month(), chosen.day())


class InboxPage(QWidget):
    """The inbox. ``start(session, url)`` after sign-in, ``refresh()`` when something
    arrived, ``clear()`` on sign-out; ``changed`` after this member changed
    statuses or deleted enquiries (the window's title counts the new ones)."""

    changed = Signal()
    exported = Signal(object)  # the ExportResult, or the ExportError / psycopg.Error
    searched = Signal()  # a search finished or stopped
    lost = Signal()  # the database connection is gone (the window signs out, saying so)

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None
        self.url = ""
        self.search_job: Background | None = None
        self.export_job: Background | None = None
        self.found = 0
        self.total = 0

        self.model = EnquiryModel()
        self.table = EnquiryTable(self.model)
        self.table.setAccessibleName(w.APP_TITLE)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.table.verticalHeader()
        rows.hide()
        # Fixed heights and widths: the view never measures every row (that would open them).
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(int(self.fontMetrics().height() * ROW_HEIGHT_LINES))

        self.status = QComboBox()
        self.kiosk = QComboBox()
        self.topic = QComboBox()
        for combo in (self.status, self.kiosk, self.topic):
            # As wide as the longest choice ("All kiosks" was cut to "All kiosk"), ...
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for combo in (self.kiosk, self.topic):
            # ... but a clinic's long topic title or kiosk name is elided, not let
            # push the window past an 800-px screen.
            combo.setMaximumWidth(self.fontMetrics().averageCharWidth() * FILTER_MAX_CHARS)
        self.since = _day_edit()
        self.until = _day_edit()
        # What was received on one line, when and who on the next (with the search):
        # all five on one line would not fit an 800-px screen.
        filters = QHBoxLayout()
        search = QHBoxLayout()
        for row, label, widget in (
            (filters, w.STATUS, self.status),
            (filters, w.KIOSK, self.kiosk),
            (filters, w.TOPIC, self.topic),
            (search, w.SINCE, self.since),
            (search, w.UNTIL, self.until),
        ):
            row.addWidget(labelled(label, widget))
            row.addWidget(widget)
        filters.addStretch(1)
        search.addSpacing(SPACE)
        self._fill_status()

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.stop = button(w.STOP)
        self.stop.setEnabled(False)
        self.shown = plain_label("", "officeMessage")
        self.shown.setWordWrap(True)  # "Searched 1,200 of 4,000: …" on a narrow window
        search.addWidget(labelled(w.SEARCH, self.search))
        search.addWidget(self.search, 2)
        search.addWidget(self.stop)
        search.addWidget(self.shown, 1)

        self.export = button(w.EXPORT)
        self.days = QSpinBox()
        self.days.setRange(1, 3650)  # the tablet's retention_days check
        self.days.setValue(Config().retention_days)  # the tablet's default
        self.purge_button = button(w.PURGE)
        self.sign_out = button(w.SIGN_OUT)
        self.chime = QCheckBox(w.CHIME)
        self.chime.setAccessibleName(w.CHIME)
        self.message = plain_label("", "officeMessage")
        self.message.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.export)
        bar.addSpacing(SPACE)
        bar.addWidget(labelled(w.OLDER_THAN, self.days))
        bar.addWidget(self.days)
        bar.addWidget(self.purge_button)
        bar.addStretch(1)
        bar.addWidget(self.chime)
        bar.addWidget(self.sign_out)

        self.detail = DetailPane()
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.table)
        # Scrolled when the window is short (or the member drags the split narrow),
        # so no field or outcome button is cut off.
        detail = DownScroll(self.detail)
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([3 * SPLIT_UNIT, SPLIT_UNIT])  # the list first: the detail is short
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)  # the window's own margins are enough
        column.addLayout(filters)
        column.addLayout(search)
        column.addWidget(split, 1)
        column.addWidget(self.message)
        column.addLayout(bar)

        self.typing = QTimer(self)
        self.typing.setSingleShot(True)
        self.typing.setInterval(SEARCH_DELAY_MS)
        self.typing.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _text: self.typing.start())
        self.search.returnPressed.connect(self.apply)
        for combo in (self.status, self.kiosk, self.topic):
            combo.currentIndexChanged.connect(self.apply)
        self.since.dateChanged.connect(self.apply)
        self.until.dateChanged.connect(self.apply)
        self.stop.clicked.connect(self.stop_search)
        self.export.clicked.connect(self.choose_export)
        self.purge_button.clicked.connect(lambda: self.purge())
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        for status, outcome in self.detail.outcomes.items():
            outcome.clicked.connect(lambda _=False, s=status: self.mark(s))

    # -- signing in and out ----------------------------------------------------------------

    def start(self, session: Session, url: str) -> None:
        self.session, self.url = session, url
        self.refresh()

    def clear(self) -> None:
        """Signing out: stop the work, drop every opened row and what was searched for."""
        self.stop_search()
        self.search_job = None  # its last batch, if it comes, is not shown
        self.session = None
        self.model.clear()
        self.detail.show_row(None)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.typing.stop()
        self.shown.clear()
        self.message.clear()

    # -- what is shown -----------------------------------------------------------------------

    def filters(self) -> inbox.Filters:
        return inbox.Filters(
            status=self.status.currentData(),
            kiosk=self.kiosk.currentData(),
            topic=self.topic.currentData(),
            since=_day(self.since),
            until=_day(self.until),
        )

    @_connected
    def refresh(self) -> None:
        """Something changed in the database: the choices, the titles, and the list (a
        search's results are left as they are: a new enquiry is not searched again)."""
        if self.session is None:
            return
        conn = self.session.conn
        self.model.titles = inbox.topic_titles(conn)
        self._fill_choices(inbox.kiosk_names(conn), inbox.topic_ids(conn))
        if not self.model.searching:
            self._browse(keep=len(self.model.enquiries))

    @_connected
    def apply(self) -> None:
        """The filters or the search text changed: show what they select."""
        self.typing.stop()
        if self.session is None:
            return
        self.stop_search()
        if self.search.text().strip():
            self._search()
        else:
            self._browse()

    def _browse(self, keep: int = 0) -> None:
        assert self.session is not None
        chosen = self._chosen_id()
        scrolled = self.table.verticalScrollBar().value() if keep else 0
        filters = self.filters()
        self.model.browse(self.session, filters, keep=keep)
        self.total = inbox.count(self.session.conn, filters)
        self.shown.setText(w.SHOWN.format(enquiries=w.enquiries(self.total)))
        self._choose(chosen)
        self.table.verticalScrollBar().setValue(scrolled)  # a refresh keeps the place

    def _fill_status(self) -> None:
        self.status.addItem(w.ALL_STATUSES, None)
        for code, said in w.STATUS_WORDS.items():
            self.status.addItem(said, code)

    def _fill_choices(self, kiosks: list[str], topics: list[str]) -> None:
        """The kiosks and topics to filter by, keeping what is chosen (no filter change)."""
        titled = sorted((labels.topic(t, self.model.titles), t) for t in topics)
        for combo, everything, choices in (
            (self.kiosk, w.ALL_KIOSKS, [(name, name) for name in kiosks]),
            (self.topic, w.ALL_TOPICS, titled),
        ):
            if combo.view().isVisible():
                continue  # open in front of someone: next time
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, value in choices:
                combo.addItem(text, value)
            found = combo.findData(chosen)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    # -- search --------------------------------------------------------------------------------

    def _search(self) -> None:
        assert self.session is not None
        filters = self.filters()
        self.model.start_search()
        self.detail.show_row(None)
        self.found = 0
        self.total = inbox.count(self.session.conn, filters)
        job = Background(self.url, _searching(self.session, self.search.text(), filters))
        job.progress.connect(lambda batch, job=job: self._batch(job, batch))
        job.done.connect(lambda result, job=job: self._searched(job, result))
        self.search_job = job
        self.stop.setEnabled(True)
        self.shown.setText(w.SEARCHING.format(looked=0, total=self.total, found=0))
        job.start()

    def _batch(self, job: Background, batch: tuple[int, list[inbox.Opened]]) -> None:
        if job is not self.search_job:
            return  # a search given up for another: its rows are not shown
        looked, found = batch
        self.model.add_found(found)
        self.found += len(found)
        self.shown.setText(w.SEARCHING.format(looked=looked, total=self.total, found=self.found))

    def _searched(self, job: Background, result: object) -> None:
        if job is not self.search_job:
            return
        self.search_job = None
        self.stop.setEnabled(False)
        if isinstance(result, tuple):
            looked, stopped = result
            said = w.SEARCH_STOPPED if stopped else w.SEARCHED
            self.shown.setText(said.format(found=self.found, looked=looked))
        else:
            self.shown.setText(w.SEARCH_FAILED.format(error=str(result).strip()))
        self.searched.emit()

    def stop_search(self) -> None:
        """Stop the search after the batch it is in; what it found stays listed."""
        if self.search_job is not None:
            self.search_job.stop()

    # -- the chosen enquiry and its outcome ---------------------------------------------------

    def _chosen_id(self) -> int | None:
        selected = self.table.selectionModel().selectedRows()
        return self.model.enquiries[selected[0].row()].id if selected else None

    def _choose(self, enquiry_id: int | None) -> None:
        r = None if enquiry_id is None else self.model.position(enquiry_id)
        if r is None:
            self.detail.show_row(None)
        else:
            self.table.selectRow(r)
            self._chosen()

    @_connected
    def _chosen(self) -> None:
        self.detail.message.clear()
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            self.detail.show_row(None)
            return
        row = self.model.row(selected[0].row())
        note = self.session.note(row.enquiry) if self.session is not None else ""
        self.detail.show_row(row, self.model.topic(row.enquiry), note)

    @_connected
    def mark(self, status: str) -> None:
        chosen = self.table.selectionModel().selectedRows()
        if self.session is None or not chosen:
            return
        row = self.model.row(chosen[0].row())
        typed = self.detail.note.text()
        change: inbox.StatusChange = self.session.mark(row, status, typed)
        said = w.STATUS_WORDS.get(change.status, change.status)
        if change.changed:
            message = w.MARKED.format(status=said)
        else:
            message = w.MARKED_BY_OTHER.format(by=change.by or "?", status=said)
        now = self.session.reread(row.enquiry.id)
        if now is not None:
            self.model.replace(now.enquiry)
        self._chosen()
        if not change.changed:
            self.detail.note.setText(typed)  # nothing was stored: kept, to try again
        self.detail.message.setText(message)
        self.changed.emit()

    # -- export --------------------------------------------------------------------------------

    def choose_export(self) -> None:
        name = export_file_name("csv", datetime.now())
        path, chosen_filter = QFileDialog.getSaveFileName(
            self, w.EXPORT_TITLE, str(Path.home() / name), w.EXPORT_FILTER
        )
        if not path:
            return
        out = Path(path)
        if out.suffix.lower() not in (".csv", ".xlsx"):
            out = out.with_suffix(".xlsx" if "xlsx" in chosen_filter else ".csv")
        self.export_to(out)

    def export_to(self, out: Path) -> None:
        """Export what the filters and the search select to ``out`` (CSV or XLSX by its
        suffix), on a thread; ``exported`` says how it went."""
        if self.session is None or self.export_job is not None:
            return
        session, filters, text = self.session, self.filters(), self.search.text()
        fmt = out.suffix.lower().removeprefix(".")
        titles = dict(self.model.titles)

        def work(conn: Conn, _report: Callable[[object], None], _stop: threading.Event) -> object:
            return inbox.export(
                conn,
                session.opener,
                out,
                fmt,
                filters,
                actor=session.actor,
                text=text,
                titles=titles,
            )

        self.export_job = Background(self.url, work)
        self.export_job.done.connect(self._exported)
        self.export.setEnabled(False)
        self.message.setText(w.EXPORTING)
        self.export_job.start()

    def _exported(self, result: object) -> None:
        self.export_job = None
        self.export.setEnabled(True)
        if self.session is None:
            pass  # signed out meanwhile: nothing to say on the sign-in page
        elif isinstance(result, ExportResult):
            said = w.EXPORTED.format(
                enquiries=w.enquiries(result.count), path=result.path, marked=result.marked
            )
            if result.skipped:
                said += w.EXPORT_SKIPPED.format(skipped=len(result.skipped))
            self.message.setText(said)
            self.refresh()
            self.changed.emit()
        else:
            error = result.message if isinstance(result, ExportError) else str(result).strip()
            self.message.setText(w.EXPORT_FAILED.format(error=error))
        self.exported.emit(result)

    # -- retention -----------------------------------------------------------------------------

    def purge(self, confirm: Callable[[str], bool] | None = None) -> int:
        """Delete what is past retention after ``confirm(question)`` (default: a dialog
        naming the count); returns how many went."""
        if self.session is None:
            return 0
        days = self.days.value()
        cutoff = inbox.retention_cutoff(days)
        count = inbox.purgeable(self.session.conn, cutoff)
        if count == 0:
            self.message.setText(w.PURGE_NONE.format(days=days))
            return 0
        question = w.PURGE_ASK.format(enquiries=w.enquiries(count), days=days)
        if not (confirm or self._ask)(question):
            return 0
        deleted = inbox.purge(self.session.conn, cutoff, actor=self.session.actor, days=days)
        self.message.setText(w.PURGED.format(enquiries=w.enquiries(deleted, "old")))
        self.refresh()
        self.changed.emit()
        return deleted

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            w.PURGE_TITLE,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes
