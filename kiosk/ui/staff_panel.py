"""The staff panel: a full-window layer over the kiosk, for a signed-in staff member.

Tabs: the enquiries (counts, a touch-scrollable list newest first, one
enquiry opened to read and mark contacted), export and deleting old ones
(``staff_export``), what patients read (``staff_summary``), the latest audit
entries, and the kiosk itself (reload content, leave kiosk mode).

The panel holds the session's ``Opener`` and the decrypted text of what it
shows; ``dispose()`` (on lock) empties its labels, drops the opener and
deletes every widget of it. It locks itself after ``staff_lock_seconds``
without a touch. ``StaffMode`` (``staff_mode.py``) makes and ends it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.keys import KeysError
from kiosk.store import StoredEnquiry, StoreError, open_personal
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff_common import (
    GAP,
    MARGIN,
    Inactivity,
    StaffOverlay,
    local_time,
    text_label,
)
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import button, relabel

if TYPE_CHECKING:
    from kiosk.audit import AuditLog
    from kiosk.drives import Drive
    from kiosk.keys import Opener
    from kiosk.paths import Paths
    from kiosk.staff import Session
    from kiosk.stats import PageViews
    from kiosk.store import EnquiryStore
    from kiosk.ui.reload import LiveReload
    from kiosk.ui.window import KioskWindow

log = logging.getLogger(__name__)

PAGE_ROWS = 50  # rows in the list at first, and added by "Show more"
COLUMN_WIDTH = 1100  # px: the panel's content on a wide screen
NARROW_PX = 1000  # below this the tabs take two rows


@dataclass
class PanelContext:
    """What the panel works with; made by ``StaffMode``.

    ``audit(action, **details)`` writes an entry for the signed-in member
    (and never raises); ``drives()`` lists the USB drives plugged in now.
    """

    window: KioskWindow
    paths: Paths
    store: EnquiryStore | None
    audit: Callable[..., None]
    audit_log: AuditLog | None
    page_views: PageViews | None = None
    reload: LiveReload | None = None
    drives: Callable[[], list[Drive]] = field(default_factory=lambda: _no_drives)
    audit_problem: Callable[[], str] = field(default_factory=lambda: _nothing)
    #: The signed-in member: the one place the panel keeps the opener, so
    #: that dropping it here (on lock) drops it for every tab.
    session: Session | None = None

    def opener(self) -> Opener:
        if self.session is None:
            raise KeysError("Staff mode is locked.")
        return self.session.opener


def _no_drives() -> list[Drive]:
    return []


def _nothing() -> str:
    return ""


def scroll_page(object_name: str = "staffScroll") -> tuple[QScrollArea, QVBoxLayout, TouchScroller]:
    """A touch-scrollable column (kinetic, as the patients' pages): the area,
    the layout to fill, and the scroller (``track`` buttons inside it)."""
    area = QScrollArea()
    area.setObjectName(object_name)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    inner = QWidget()
    inner.setObjectName("staffInner")
    column = QVBoxLayout(inner)
    column.setContentsMargins(0, 0, 16, 0)  # room for the scroll bar
    column.setSpacing(GAP)
    area.setWidget(inner)
    return area, column, TouchScroller(area)


def topic_titles(window: KioskWindow) -> dict[str, str]:
    return {topic.topic_id: topic.title for topic in window.library.topics}


def clear_layout(layout: QVBoxLayout | QGridLayout) -> None:
    """Remove and delete everything in ``layout`` (labels with text in them too)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            if isinstance(widget, QLabel):
                widget.clear()
            widget.hide()
            widget.deleteLater()


# -- the list and one enquiry -------------------------------------------------------


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

    def counts(self) -> dict[str, int]:
        store = self.context.store
        return store.counts() if store is not None else {}

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
            topic=topic_name(stored.topic, titles),
            status=s.STATUS_NAMES.get(stored.status, stored.status),
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


def topic_name(topic_id: str, titles: dict[str, str]) -> str:
    if not topic_id:
        return s.TOPIC_GENERAL
    return titles.get(topic_id, topic_id)


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
            ("topic", s.FIELD_TOPIC, topic_name(stored.topic, titles)),
            ("name", s.FIELD_NAME, personal.get("name", "")),
            ("phone", s.FIELD_PHONE, personal.get("phone", "")),
            ("email", s.FIELD_EMAIL, personal.get("email", "")),
            ("method", s.FIELD_METHOD, s.METHOD_NAMES.get(method, method)),
            ("best_time", s.FIELD_BEST_TIME, s.BEST_TIME_NAMES.get(best, best)),
            ("message", s.FIELD_MESSAGE, personal.get("message", "")),
            ("status", s.FIELD_STATUS, s.STATUS_NAMES.get(stored.status, stored.status)),
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
            self.values["status"].setText(s.STATUS_NAMES["contacted"])
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


# -- the panel ------------------------------------------------------------------------


TABS = (
    ("enquiries", s.TAB_ENQUIRIES),
    ("export", s.TAB_EXPORT),
    ("summary", s.TAB_SUMMARY),
    ("log", s.TAB_LOG),
    ("kiosk", s.TAB_KIOSK),
)


class StaffPanel(StaffOverlay):
    """Everything staff do, over the whole window.

    Signals:
        lock_requested(str): lock now; "staff" (the Lock button) or "idle".
        exit_requested(): leave kiosk mode (confirmed).
    """

    lock_requested = Signal(str)
    exit_requested = Signal()

    def __init__(
        self, parent: QWidget, context: PanelContext, session: Session, *, lock_ms: int
    ) -> None:
        super().__init__(parent, "staffPanel")
        self.context = context
        context.session = session
        self.idle = Inactivity(lock_ms, parent=self)
        self.idle.expired.connect(lambda: self.lock_requested.emit("idle"))

        header = QWidget()
        header.setObjectName("staffHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        bar = QHBoxLayout(header)
        bar.setContentsMargins(MARGIN, 12, MARGIN, 12)
        bar.setSpacing(GAP * 2)
        self.heading = text_label(s.PANEL_TITLE.format(name=session.name), "staffTitle")
        bar.addWidget(self.heading, 1)
        self.lock_button = button(s.LOCK, "onbar", "staffLock")
        self.lock_button.clicked.connect(lambda: self.lock_requested.emit("staff"))
        bar.addWidget(self.lock_button)

        self.tab_buttons: dict[str, QPushButton] = {}
        self._tab_group = QButtonGroup(self)
        self._tab_group.setExclusive(True)
        self._tab_grid = QGridLayout()
        self._tab_grid.setSpacing(GAP)
        self._tab_columns = 0
        for key, label in TABS:
            tab = button(label, "tab", "staffTab")
            tab.setCheckable(True)
            tab.clicked.connect(lambda *_a, k=key: self.show_tab(k))
            self._tab_group.addButton(tab)
            self.tab_buttons[key] = tab
        self._relayout_tabs()

        self.pages = QStackedWidget()
        self._tabs: dict[str, QWidget] = {}
        self.enquiries = EnquiriesTab(context)
        self._add_tab("enquiries", self.enquiries)

        body = QWidget()
        body.setMaximumWidth(COLUMN_WIDTH)
        column = QVBoxLayout(body)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(GAP * 2)
        column.addLayout(self._tab_grid)
        # Live reload's problems reach staff here, whichever tab they use.
        self.banner = text_label("", "staffBanner")
        self.banner.hide()
        column.addWidget(self.banner)
        column.addWidget(self.pages, 1)
        centre = QHBoxLayout()
        centre.setContentsMargins(0, 0, 0, 0)
        centre.addStretch(1)
        centre.addWidget(body, 100)
        centre.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(header)
        outer.addLayout(centre, 1)

    @property
    def session(self) -> Session | None:
        return self.context.session

    @property
    def current_tab(self) -> str:
        for key, widget in self._tabs.items():
            if widget is self.pages.currentWidget():
                return key
        return ""

    def _add_tab(self, key: str, widget: QWidget) -> None:
        self._tabs[key] = widget
        self.pages.addWidget(widget)

    def open(self) -> None:
        super().open()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.show_tab("enquiries")
        self.idle.start()

    def update_banner(self) -> None:
        """A line over every tab while the content or settings have problems."""
        reload = self.context.reload
        problems = reload.last_problems if reload is not None else ()
        self.banner.setText(s.CONTENT_BANNER.format(n=len(problems)) if problems else "")
        self.banner.setVisible(bool(problems))

    def tab(self, key: str) -> QWidget:
        """The tab's page, built the first time it is needed."""
        if key not in self._tabs:
            if key == "export":
                from kiosk.ui.staff_export import ExportTab

                self._add_tab(key, ExportTab(self.context, self.idle))
            elif key == "summary":
                from kiosk.ui.staff_summary import SummaryTab

                self._add_tab(key, SummaryTab(self.context))
            elif key == "log":
                from kiosk.ui.staff_summary import LogTab

                self._add_tab(key, LogTab(self.context))
            elif key == "kiosk":
                from kiosk.ui.staff_summary import KioskTab

                kiosk_tab = KioskTab(self.context)
                kiosk_tab.exit_confirmed.connect(self.exit_requested)
                kiosk_tab.reloaded.connect(self.update_banner)
                self._add_tab(key, kiosk_tab)
            else:
                raise KeyError(key)
        return self._tabs[key]

    def show_tab(self, key: str) -> None:
        """Show a tab, its contents read afresh."""
        page = self.tab(key)
        self.tab_buttons[key].setChecked(True)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()
        self.pages.setCurrentWidget(page)
        self.update_banner()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout_tabs()

    def _relayout_tabs(self) -> None:
        columns = len(TABS) if self.width() >= NARROW_PX else 3
        if columns == self._tab_columns:
            return
        self._tab_columns = columns
        for tab in self.tab_buttons.values():
            self._tab_grid.removeWidget(tab)
        for index, tab in enumerate(self.tab_buttons.values()):
            self._tab_grid.addWidget(tab, index // columns, index % columns)

    def dispose(self) -> None:
        """Forget everything: the opener, every decrypted text; delete every widget."""
        self.idle.stop()
        self.context.session = None
        for page in self._tabs.values():
            wipe = getattr(page, "wipe", None)
            if callable(wipe):
                wipe()
        for label in self.findChildren(QLabel):
            label.clear()
        self.detach()
        self.hide()
        self.deleteLater()
