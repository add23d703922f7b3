"""The Enquiries tab: counts, a touch-scrollable list newest first, and one
enquiry opened to read and mark contacted (only the rows on screen are decrypted)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
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
from kiosk.enquiries.form import phone_for_display
from kiosk.enquiries.keys import KeysError
from kiosk.enquiries.store import StoredEnquiry, StoreError, open_personal
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.common import GAP, local_time, text_label
from kiosk.ui.staff.context import PanelContext, clear_layout, scroll_page, topic_titles
from kiosk.ui.widgets import button, plain_text, relabel, typed, unbroken

PAGE_ROWS = 50  # rows in the list at first, and added by "Show more"
FILTERS = ("all", "new", "exported", "contacted")
ROW_WIDE_PX = 760  # from this width a row's buttons sit beside its text (portrait: under it)


def phone_for_staff(phone: str, region: str) -> str:
    """A stored phone number (E.164) as the clinic writes it: national format
    for the clinic's region ("(801) 555-0111"), international for any other;
    as stored when it cannot be read. The exports write it the same way."""
    return phone_for_display(phone, region) if phone else ""


def take_back_contacted(context: PanelContext, enquiry_id: int, before: str) -> tuple[bool, str]:
    """A "Mark contacted" taken back (the list's Undo and the opened enquiry's):
    the status it had, logged. Whether it was, and what to say: "Enquiry 12 is
    exported again." or the store's problem."""
    store = context.store
    if store is None:
        return False, ""
    try:
        store.set_status([enquiry_id], before)
    except StoreError as exc:
        return False, str(exc)
    context.audit("contacted-undone", enquiry=enquiry_id, status=before)
    return True, s.UNDONE.format(id=enquiry_id, status=labels.status(before).lower())


class EnquiryRow(QFrame):
    """One enquiry in the list: the name in bold and a status badge, the phone and
    how and when to contact, the topic and when it came; Open and Mark contacted.

    Signals:
        opened(int), contacted(int): the buttons, with the enquiry's id.
    """

    opened = Signal(int)
    contacted = Signal(int)

    def __init__(
        self, stored: StoredEnquiry, lines: RowLines, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enquiryRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setProperty("enquiry_id", stored.id)
        self.setProperty("status", stored.status)
        self.name = text_label(lines.name, "rowName")
        self.badge = text_label(lines.status, "statusBadge", wrap=False)
        self.badge.setProperty("status", stored.status)
        self.contact = text_label(lines.contact, "rowText")
        self.topic = text_label(lines.topic, "rowText")
        for label in (self.name, self.contact, self.topic):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.open_button = button(s.ROW_OPEN, "quiet", "rowOpen")
        self.open_button.clicked.connect(lambda *_a: self.opened.emit(stored.id))
        self.contacted_button = button(s.MARK_CONTACTED, None, "rowContacted")
        self.contacted_button.clicked.connect(lambda *_a: self.contacted.emit(stored.id))
        self.setAccessibleName(self.text())
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(16, 12, 16, 12)
        self._grid.setHorizontalSpacing(GAP * 2)
        self._grid.setVerticalSpacing(GAP)
        self._wide: bool | None = None
        self._place(wide=True)
        # Once in the row: shown while it had no parent, it would be made a
        # window of its own first (about 0.4 ms a row, for nothing).
        self.contacted_button.setVisible(stored.status != "contacted" and lines.opened)

    def text(self) -> str:
        """Every line, as a screen reader and the tests read the row (without
        the marks that let an address wrap or keep a number whole)."""
        return "\n".join(
            plain_text(label.text()) for label in (self.name, self.badge, self.contact, self.topic)
        )

    def _place(self, *, wide: bool) -> None:
        if wide == self._wide:
            return
        self._wide = wide
        grid = self._grid
        for widget in (
            self.name,
            self.badge,
            self.contact,
            self.topic,
            self.open_button,
            self.contacted_button,
        ):
            grid.removeWidget(widget)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.badge, 0, 1, 1, 1 if wide else 2, top | Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.contact, 1, 0, 1, 2 if wide else 3)
        grid.addWidget(self.topic, 2, 0, 1, 2 if wide else 3)
        buttons = (self.open_button, self.contacted_button)
        if wide:
            grid.addWidget(buttons[0], 0, 2, 2, 1, top)
            grid.addWidget(buttons[1], 2, 2, 1, 1)
        else:
            grid.addWidget(buttons[0], 3, 0, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(buttons[1], 3, 1, 1, 2, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(wide=self.width() >= ROW_WIDE_PX)

    def wipe(self) -> None:
        for label in (self.name, self.badge, self.contact, self.topic):
            label.clear()
        self.setAccessibleName("")


@dataclass(frozen=True)
class RowLines:
    """A row's words (decrypted: only for the rows on screen)."""

    name: str
    status: str
    contact: str
    topic: str
    opened: bool


class RowBlock(QWidget):
    """One page of rows (at most ``PAGE_ROWS``) in its own column.

    The list's column holds one of these a page, not one item a row: "Show
    more" adds one item to it, so laying it out again walks the pages shown,
    and the new page's rows; the rows already there keep their geometry and
    are neither rebuilt nor laid out again.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enquiryRows")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(GAP)


class EnquiryList(QWidget):
    """Filters with counts, then the enquiries newest first, a card each, a page
    (``PAGE_ROWS``) at a time: the store is asked for that page only
    (``EnquiryStore.page``) and only its rows are decrypted.

    Signals:
        opened(int): a row's Open was tapped; carries the enquiry's id.
        changed(): a row was marked contacted.
    """

    opened = Signal(int)
    changed = Signal()

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.context = context
        self._rows: list[EnquiryRow] = []
        self._blocks: list[RowBlock] = []
        self._counts_now: dict[str, int] = {}
        self._more_left = False  # the last page read had a row past it
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        self._counts = QGridLayout()
        self._counts.setSpacing(GAP)
        self._count_columns = 0
        self._filter_group = QButtonGroup(self)
        self._filter_group.setExclusive(True)
        self.filters: dict[str, QPushButton] = {}
        for status in FILTERS:
            choice = button("", "filter", "staffFilter")
            choice.setCheckable(True)
            choice.clicked.connect(lambda *_a, k=status: self.set_filter(k))
            self._filter_group.addButton(choice)
            self.filters[status] = choice
        self.filters["all"].setChecked(True)
        self.count_all = self.filters["all"]
        self.count_new = self.filters["new"]
        self.count_exported = self.filters["exported"]
        self.count_contacted = self.filters["contacted"]
        self._set_counts({})
        layout.addLayout(self._counts)
        self._relayout_counts()
        self.note = text_label("", "staffNote")
        self.note.hide()
        layout.addWidget(self.note)
        self.area, self.rows_layout, self.scroller = scroll_page()
        layout.addWidget(self.area, 1)
        # After a row's "Mark contacted": one tap took the enquiry out of the
        # "New" list for good, a slip included; Undo puts its status back.
        # Under the list, not over it: shown above, it pushed the rows down
        # under the finger, and the next tap opened another enquiry (found in
        # a front-desk review). Here the list only gets shorter at its foot.
        self.undo_text = text_label("", "staffNote")
        self.undo_button = button(s.UNDO, "quiet", "staffUndo")
        self.undo_button.clicked.connect(self.undo)
        undo_row = QHBoxLayout()
        undo_row.setSpacing(GAP)
        undo_row.addWidget(self.undo_text, 1)
        undo_row.addWidget(self.undo_button)
        layout.addLayout(undo_row)
        self._undo: tuple[int, str] | None = None  # (enquiry, its status before)
        self._hide_undo()
        self.more_button = button(s.SHOW_MORE.format(n=PAGE_ROWS), "quiet", "staffMore")
        self.more_button.clicked.connect(self.show_more)
        self.rows_layout.addWidget(self.more_button)
        self.more_button.hide()

    @property
    def rows(self) -> list[EnquiryRow]:
        return list(self._rows)

    @property
    def filter(self) -> str:
        for status, choice in self.filters.items():
            if choice.isChecked():
                return status
        return "all"

    def _status(self) -> str | None:
        """The filter as the store's ``status`` argument (None: every one)."""
        chosen = self.filter
        return None if chosen == "all" else chosen

    def set_filter(self, status: str) -> None:
        """Show only the enquiries with ``status`` ("all": every one)."""
        self.filters[status].setChecked(True)
        self.refresh()

    def refresh(self) -> None:
        """Read the counts and the first page again (after a change, or on coming back)."""
        self.scroller.stop()
        self._hide_undo()
        self._clear_rows()
        store = self.context.store
        if store is None or not store.available:
            self._set_counts({})
            self._say(s.STORE_UNAVAILABLE)
            return
        try:
            counts = store.counts()
            # One row past the page says whether there is more, whatever the counts say.
            first = store.page(self._status(), limit=PAGE_ROWS + 1)
        except StoreError as exc:
            self._set_counts({})
            self._say(f"{s.STORE_UNAVAILABLE} ({exc})")
            return
        chosen = self.filter
        self._set_counts(counts)
        self._count_columns = 0  # the numbers' widths may have changed
        self._relayout_counts()
        if first:
            self._say("")
        elif chosen == "all":
            self._say(s.NO_ENQUIRIES)
        else:
            self._say(s.FILTER_EMPTY.format(status=labels.status(chosen).lower()))
        self._add_page(first)
        self.area.verticalScrollBar().setValue(0)

    def _set_counts(self, counts: dict[str, int]) -> None:
        self._counts_now = dict(counts)
        words = {
            "all": s.COUNT_ALL,
            "new": s.COUNT_NEW,
            "exported": s.COUNT_EXPORTED,
            "contacted": s.COUNT_CONTACTED,
        }
        for status, choice in self.filters.items():
            relabel(choice, words[status].format(n=self._count(status)))

    def _count(self, status: str) -> int:
        counts = self._counts_now
        return sum(counts.values()) if status == "all" else counts.get(status, 0)

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout_counts()

    def _relayout_counts(self) -> None:
        """The filters on one row where they fit, else two a row."""
        choices = list(self.filters.values())
        widest = max(choice.sizeHint().width() for choice in choices)
        width = self.width() if self.width() > 0 else 4 * widest
        columns = 4 if (width + GAP) // (widest + GAP) >= 4 else 2
        if columns == self._count_columns:
            return
        self._count_columns = columns
        for choice in choices:
            self._counts.removeWidget(choice)
        for index, choice in enumerate(choices):
            self._counts.addWidget(choice, index // columns, index % columns)
        for column in range(5):
            self._counts.setColumnStretch(column, 0)
        self._counts.setColumnStretch(columns, 1)  # the filters keep their size, on the left

    def show_more(self) -> None:
        """The next ``PAGE_ROWS`` rows, after the last one shown: read, decrypted
        and laid out, those only; the rows already shown stay as they are."""
        store = self.context.store
        if store is None or not self._rows:
            return
        self.scroller.stop()
        try:
            page = store.page(
                self._status(),
                before_id=self._rows[-1].property("enquiry_id"),
                limit=PAGE_ROWS + 1,
            )
        except StoreError as exc:
            self._say(f"{s.STORE_UNAVAILABLE} ({exc})")
            return
        self._add_page(page)

    def _add_page(self, page: list[StoredEnquiry]) -> None:
        """The rows of ``page`` (a row past ``PAGE_ROWS`` only says there is more)
        in a block of their own, before "Show more"."""
        self._more_left = len(page) > PAGE_ROWS
        if page[:PAGE_ROWS]:
            # Made in place, parent first: a widget moved into a styled parent
            # is polished again with everything under it.
            block = RowBlock(self.rows_layout.parentWidget())
            titles = topic_titles(self.context.window)
            for stored in page[:PAGE_ROWS]:
                row = self._new_row(stored, titles, block)
                block.column.addWidget(row)
                self._rows.append(row)
            self.rows_layout.insertWidget(self.rows_layout.indexOf(self.more_button), block)
            self._blocks.append(block)
        self._show_more_button()

    def _new_row(
        self, stored: StoredEnquiry, titles: dict[str, str], block: RowBlock
    ) -> EnquiryRow:
        row = EnquiryRow(stored, self._row_lines(stored, titles), block)
        row.opened.connect(self.opened)
        row.contacted.connect(self.mark_contacted)
        self.scroller.track(row.open_button)
        self.scroller.track(row.contacted_button)
        return row

    def _show_more_button(self) -> None:
        if not self._more_left:
            self.more_button.hide()
            return
        # The counts were read with the first page; at least one is there.
        left = max(self._count(self.filter) - len(self._rows), 1)
        relabel(self.more_button, s.SHOW_MORE.format(n=min(left, PAGE_ROWS)))
        self.more_button.show()

    def _row_lines(self, stored: StoredEnquiry, titles: dict[str, str]) -> RowLines:
        status = labels.status(stored.status)
        # Its number and its time each kept whole: the line wraps between its parts.
        topic = s.ROW_TOPIC.format(
            id=stored.id,
            topic=labels.topic(stored.topic, titles),
            received=unbroken(local_time(stored.created_at)),
        )
        try:
            personal = open_personal(self.context.opener(), stored)
        except (KeysError, StoreError):
            return RowLines(s.NOT_OPENED, status, "", topic, opened=False)
        method, best = personal.get("method", ""), personal.get("best_time", "")
        how = s.ROW_CONTACT.format(
            method=labels.method(method) or s.EMPTY_FIELD,
            best_time=(labels.best_time(best) or s.EMPTY_FIELD).lower(),
        )
        # An address wraps after its "@" and dots, never cut at the row's edge;
        # a phone number stays whole.
        phone = unbroken(
            phone_for_staff(personal.get("phone", ""), self.context.window.config.region)
        )
        email = typed(personal.get("email", ""))
        contact = " · ".join(part for part in (phone, email, how) if part)
        name = typed(personal.get("name", "")) or s.EMPTY_FIELD
        return RowLines(name, status, contact, topic, True)

    def mark_contacted(self, enquiry_id: int) -> None:
        """The row's Mark contacted: the status changes (logged), that row is read
        again in its place (or leaves a filter it no longer matches), the counts too."""
        store = self.context.store
        if store is None:
            return
        row = next((r for r in self._rows if r.property("enquiry_id") == enquiry_id), None)
        before = str(row.property("status")) if row is not None else "new"
        try:
            store.set_status([enquiry_id], "contacted")
            stored = store.get(enquiry_id)
            counts = store.counts()
        except StoreError as exc:
            self._say(str(exc))
            return
        self.context.audit("contacted", enquiry=enquiry_id)
        self._set_counts(counts)
        self._replace_row(enquiry_id, stored)
        self._show_more_button()
        if before != "contacted":
            self._undo = (enquiry_id, before)
            self._say_under(s.MARKED_CONTACTED_ROW.format(id=enquiry_id), undo=True)
        self.changed.emit()

    def undo(self) -> None:
        """The last "Mark contacted" taken back: the status it had, logged; the
        list read again (the row comes back to a filter it had left)."""
        if self._undo is None:
            return
        done, said = take_back_contacted(self.context, *self._undo)
        if done:
            self.refresh()
        # Said where the Undo was: a line over the list would move it.
        self._say_under(said, undo=not done)  # a failed one may be tried again
        if done:
            self.changed.emit()

    def _say_under(self, text: str, *, undo: bool) -> None:
        """``text`` under the list, with Undo beside it or not."""
        self.undo_text.setText(text)
        self.undo_text.setAccessibleName(text)
        self.undo_text.show()
        self.undo_button.setVisible(undo)

    def _hide_undo(self) -> None:
        self._undo = None
        self.undo_text.clear()
        self.undo_text.hide()
        self.undo_button.hide()

    def _replace_row(self, enquiry_id: int, stored: StoredEnquiry | None) -> None:
        """The row of ``enquiry_id`` made again from ``stored``, in the same place;
        dropped when it is gone or the filter no longer shows it."""
        index = next(
            (i for i, row in enumerate(self._rows) if row.property("enquiry_id") == enquiry_id),
            None,
        )
        if index is None:
            return
        old = self._rows[index]
        block = next(b for b in self._blocks if b.isAncestorOf(old))
        place = block.column.indexOf(old)
        block.column.removeWidget(old)
        self._drop_row(old)
        chosen = self._status()
        if stored is None or (chosen is not None and stored.status != chosen):
            del self._rows[index]
            return
        row = self._new_row(stored, topic_titles(self.context.window), block)
        block.column.insertWidget(place, row)
        self._rows[index] = row

    def _drop_row(self, row: EnquiryRow) -> None:
        row.wipe()
        row.hide()
        row.deleteLater()

    def _clear_rows(self) -> None:
        for row in self._rows:
            self._drop_row(row)
        for block in self._blocks:
            self.rows_layout.removeWidget(block)
            block.hide()
            block.deleteLater()
        self._rows = []
        self._blocks = []
        self._more_left = False
        self.more_button.hide()

    def wipe(self) -> None:
        self._hide_undo()
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
        # As on the list's rows: a slip on Mark contacted is one tap to take back.
        self.undo_button = button(s.UNDO, "quiet", "staffUndo")
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        buttons = QHBoxLayout()
        buttons.setSpacing(GAP)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.contacted_button)
        layout.addLayout(buttons)
        self.values: dict[str, QLabel] = {}
        self._status = ""  # the enquiry's status as read, for Undo

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
        self._status = stored.status
        self._fill(stored, personal)
        self.contacted_button.setEnabled(stored.status != "contacted" and bool(personal))
        self.area.verticalScrollBar().setValue(0)

    def _fill(self, stored: StoredEnquiry, personal: dict[str, str]) -> None:
        titles = topic_titles(self.context.window)
        method = personal.get("method", "")
        best = personal.get("best_time", "")
        # What the patient typed wraps where it must (a long address after its
        # "@" and dots), never cut at the edge; a phone number stays whole.
        rows = [
            ("reference", s.FIELD_REFERENCE, str(stored.id)),
            ("received", s.FIELD_RECEIVED, local_time(stored.created_at, "%d %b %Y, %H:%M")),
            ("topic", s.FIELD_TOPIC, labels.topic(stored.topic, titles)),
            ("name", s.FIELD_NAME, typed(personal.get("name", ""))),
            (
                "phone",
                s.FIELD_PHONE,
                unbroken(
                    phone_for_staff(personal.get("phone", ""), self.context.window.config.region)
                ),
            ),
            ("email", s.FIELD_EMAIL, typed(personal.get("email", ""))),
            ("method", s.FIELD_METHOD, labels.method(method)),
            ("best_time", s.FIELD_BEST_TIME, labels.best_time(best)),
            ("message", s.FIELD_MESSAGE, typed(personal.get("message", ""))),
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
        self.undo_button.show()
        self._say(s.MARKED_CONTACTED)
        self.changed.emit()

    def undo(self) -> None:
        """Mark contacted taken back: the status the enquiry had, logged, as the
        list's Undo does."""
        if self.enquiry_id is None or not self._status:
            return
        done, said = take_back_contacted(self.context, self.enquiry_id, self._status)
        self._say(said)
        if not done:
            return
        if "status" in self.values:
            self.values["status"].setText(labels.status(self._status))
        self.undo_button.hide()
        self.contacted_button.setEnabled(True)
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
        self.undo_button.hide()
        self.enquiry_id = None
        self._status = ""


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
