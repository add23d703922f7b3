"""The Enquiries tab: counts, a touch-scrollable list newest first, and one
enquiry opened to read and mark contacted (only the rows on screen are decrypted)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.enquiries import labels
from kiosk.enquiries.keys import KeysError
from kiosk.enquiries.store import StoredEnquiry, StoreError, open_personal
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.common import GAP, local_time, text_label
from kiosk.ui.staff.context import PanelContext, clear_layout, scroll_page, topic_titles
from kiosk.ui.widgets import button, relabel

PAGE_ROWS = 50  # rows in the list at first, and added by "Show more"


class EnquiryList(QWidget):
    """Counts, then the enquiries newest first, a big button each.

    Signals:
        opened(int): a row was tapped; carries the enquiry's id.
    """

    opened = Signal(int)

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.context = context
        self._rows: list[QPushButton] = []
        self._stored: list[StoredEnquiry] = []
        self._shown = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        self._counts = QGridLayout()
        self._counts.setSpacing(GAP)
        self._count_columns = 0
        self.count_new = text_label("", "staffCount", wrap=False)
        self.count_exported = text_label("", "staffCount", wrap=False)
        self.count_contacted = text_label("", "staffCount", wrap=False)
        layout.addLayout(self._counts)
        self._relayout_counts()
        self.note = text_label("", "staffNote")
        self.note.hide()
        layout.addWidget(self.note)
        self.area, self.rows_layout, self.scroller = scroll_page()
        layout.addWidget(self.area, 1)
        self.more_button = button(s.SHOW_MORE.format(n=PAGE_ROWS), "quiet", "staffMore")
        self.more_button.clicked.connect(self.show_more)

    @property
    def rows(self) -> list[QPushButton]:
        return list(self._rows)

    def refresh(self) -> None:
        """Read the counts and the list again (after a change, or on coming back)."""
        self.scroller.stop()
        self._clear_rows()
        store = self.context.store
        if store is None or not store.available:
            self._set_counts({})
            self._say(s.STORE_UNAVAILABLE)
            return
        try:
            counts = store.counts()
            self._stored = store.enquiries()
        except StoreError as exc:
            self._set_counts({})
            self._say(f"{s.STORE_UNAVAILABLE} ({exc})")
            return
        self._set_counts(counts)
        self._count_columns = 0  # the numbers' widths may have changed
        self._relayout_counts()
        self._say("" if self._stored else s.NO_ENQUIRIES)
        self._shown = 0
        self.show_more()
        self.area.verticalScrollBar().setValue(0)

    def _set_counts(self, counts: dict[str, int]) -> None:
        self.count_new.setText(s.COUNT_NEW.format(n=counts.get("new", 0)))
        self.count_exported.setText(s.COUNT_EXPORTED.format(n=counts.get("exported", 0)))
        self.count_contacted.setText(s.COUNT_CONTACTED.format(n=counts.get("contacted", 0)))

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout_counts()

    def _relayout_counts(self) -> None:
        """The three counts on one row where they fit, else on more rows."""
        labels = (self.count_new, self.count_exported, self.count_contacted)
        widest = max(label.sizeHint().width() for label in labels)
        width = self.width() if self.width() > 0 else 3 * widest
        columns = max(1, min(3, (width + GAP) // (widest + GAP)))
        if columns == self._count_columns:
            return
        self._count_columns = columns
        for label in labels:
            self._counts.removeWidget(label)
        for index, label in enumerate(labels):
            self._counts.addWidget(label, index // columns, index % columns)
        for column in range(3):
            self._counts.setColumnStretch(column, 0)
        self._counts.setColumnStretch(3, 1)  # the counts keep their size, on the left

    def show_more(self) -> None:
        """The next ``PAGE_ROWS`` rows: only those on screen are ever decrypted."""
        self.rows_layout.removeWidget(self.more_button)
        titles = topic_titles(self.context.window)
        for stored in self._stored[self._shown : self._shown + PAGE_ROWS]:
            row = button(self._row_text(stored, titles), "staffRow", "enquiryRow")
            row.setProperty("enquiry_id", stored.id)
            row.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
            row.clicked.connect(lambda *_a, i=stored.id: self.opened.emit(i))
            self.scroller.track(row)
            self.rows_layout.addWidget(row)
            self._rows.append(row)
        self._shown = len(self._rows)
        left = len(self._stored) - self._shown
        if left > 0:
            relabel(self.more_button, s.SHOW_MORE.format(n=min(left, PAGE_ROWS)))
            self.rows_layout.addWidget(self.more_button)
            self.more_button.show()
        else:
            self.more_button.hide()

    def _row_text(self, stored: StoredEnquiry, titles: dict[str, str]) -> str:
        try:
            name = open_personal(self.context.opener(), stored).get("name", "") or s.EMPTY_FIELD
        except (KeysError, StoreError):
            name = s.NOT_OPENED
        return s.ROW.format(
            received=local_time(stored.created_at),
            topic=labels.topic(stored.topic, titles),
            status=labels.status(stored.status),
            name=name,
        )

    def _clear_rows(self) -> None:
        for row in self._rows:
            self.rows_layout.removeWidget(row)
            row.setText("")
            row.setAccessibleName("")
            row.hide()
            row.deleteLater()
        self._rows = []
        self._stored = []
        self._shown = 0

    def wipe(self) -> None:
        self._clear_rows()


class EnquiryDetail(QWidget):
    """One enquiry, every field, opened with the session's key.

    Signals:
        back(): "Back to the list".
        changed(): its status changed (the list's counts are out of date).
    """

    back = Signal()
    changed = Signal()

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.context = context
        self.enquiry_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        self.title = text_label("", "staffSubheading")
        layout.addWidget(self.title)
        self.area, column, self.scroller = scroll_page()
        self.fields = QGridLayout()
        self.fields.setHorizontalSpacing(GAP * 2)
        self.fields.setVerticalSpacing(GAP)
        self.fields.setColumnStretch(1, 1)
        column.addLayout(self.fields)
        column.addStretch(1)
        layout.addWidget(self.area, 1)
        self.note = text_label("", "staffNote")
        self.note.hide()
        layout.addWidget(self.note)
        self.back_button = button(s.BACK_TO_LIST, "quiet", "staffBack")
        self.back_button.clicked.connect(self.back)
        self.contacted_button = button(s.MARK_CONTACTED, None, "staffContacted")
        self.contacted_button.clicked.connect(self.mark_contacted)
        buttons = QHBoxLayout()
        buttons.setSpacing(GAP)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.contacted_button)
        layout.addLayout(buttons)
        self.values: dict[str, QLabel] = {}

    def show_enquiry(self, enquiry_id: int) -> None:
        """Read, open and show one enquiry; the audit log gets a "view" with its id."""
        self.wipe()
        self.enquiry_id = enquiry_id
        self.title.setText(s.DETAIL_TITLE.format(id=enquiry_id))
        store = self.context.store
        stored: StoredEnquiry | None = None
        try:
            stored = store.get(enquiry_id) if store is not None else None
        except StoreError as exc:
            self._say(s.CANNOT_OPEN.format(reason=str(exc)))
        if stored is None:
            if not self.note.text():
                self._say(s.GONE)
            self.contacted_button.setEnabled(False)
            return
        try:
            personal = open_personal(self.context.opener(), stored)
        except (KeysError, StoreError) as exc:
            personal = {}
            self._say(s.CANNOT_OPEN.format(reason=str(exc)))
        self.context.audit("view", enquiry=enquiry_id)
        self._fill(stored, personal)
        self.contacted_button.setEnabled(stored.status != "contacted" and bool(personal))
        self.area.verticalScrollBar().setValue(0)

    def _fill(self, stored: StoredEnquiry, personal: dict[str, str]) -> None:
        titles = topic_titles(self.context.window)
        method = personal.get("method", "")
        best = personal.get("best_time", "")
        rows = [
            ("reference", s.FIELD_REFERENCE, str(stored.id)),
            ("received", s.FIELD_RECEIVED, local_time(stored.created_at, "%d %b %Y, %H:%M")),
            ("topic", s.FIELD_TOPIC, labels.topic(stored.topic, titles)),
            ("name", s.FIELD_NAME, personal.get("name", "")),
            ("phone", s.FIELD_PHONE, personal.get("phone", "")),
            ("email", s.FIELD_EMAIL, personal.get("email", "")),
            ("method", s.FIELD_METHOD, labels.method(method)),
            ("best_time", s.FIELD_BEST_TIME, labels.best_time(best)),
            ("message", s.FIELD_MESSAGE, personal.get("message", "")),
            ("status", s.FIELD_STATUS, labels.status(stored.status)),
        ]
        for row, (key, caption, value) in enumerate(rows):
            name = text_label(caption, "staffFieldName")
            shown = text_label(value or s.EMPTY_FIELD, "staffFieldValue")
            shown.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.fields.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            self.fields.addWidget(shown, row, 1)
            self.values[key] = shown

    def mark_contacted(self) -> None:
        store = self.context.store
        if store is None or self.enquiry_id is None:
            return
        try:
            store.set_status([self.enquiry_id], "contacted")
        except StoreError as exc:
            self._say(str(exc))
            return
        self.context.audit("contacted", enquiry=self.enquiry_id)
        if "status" in self.values:
            self.values["status"].setText(labels.status("contacted"))
        self.contacted_button.setEnabled(False)
        self._say(s.MARKED_CONTACTED)
        self.changed.emit()

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def wipe(self) -> None:
        """Forget the enquiry shown: labels emptied, then deleted."""
        self.scroller.stop()
        for label in self.values.values():
            label.clear()
        self.values = {}
        clear_layout(self.fields)
        self.title.clear()
        self._say("")
        self.enquiry_id = None


class EnquiriesTab(QStackedWidget):
    """The list, and one enquiry in its place when tapped."""

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.list = EnquiryList(context)
        self.detail = EnquiryDetail(context)
        self.addWidget(self.list)
        self.addWidget(self.detail)
        self.list.opened.connect(self.open_enquiry)
        self.detail.back.connect(self.show_list)
        self._stale = False
        self.detail.changed.connect(self._mark_stale)

    def _mark_stale(self) -> None:
        self._stale = True

    def open_enquiry(self, enquiry_id: int) -> None:
        self.detail.show_enquiry(enquiry_id)
        self.setCurrentWidget(self.detail)

    def show_list(self) -> None:
        self.detail.wipe()
        if self._stale:
            self._stale = False
            self.list.refresh()
        self.setCurrentWidget(self.list)

    def refresh(self) -> None:
        self.detail.wipe()
        self._stale = False
        self.list.refresh()
        self.setCurrentWidget(self.list)

    def wipe(self) -> None:
        self.detail.wipe()
        self.list.wipe()
