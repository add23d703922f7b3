"""The staff panel: a full-window layer over the kiosk for a signed-in staff
member, its tabs (one module each in ``tabs/``) and the Lock button; what it
holds and forgets is in docs/architecture.md, "Staff mode on the tablet"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.common import GAP, MARGIN, Inactivity, StaffOverlay, text_label
from kiosk.ui.staff.context import OfficeLinkStatus, PanelContext
from kiosk.ui.staff.tabs.enquiries import EnquiriesTab
from kiosk.ui.staff.tabs.export import ExportTab
from kiosk.ui.staff.tabs.kiosk import KioskTab
from kiosk.ui.staff.tabs.log import LogTab
from kiosk.ui.staff.tabs.staff import StaffTab
from kiosk.ui.staff.tabs.summary import SummaryTab
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import announce, breakable, button

if TYPE_CHECKING:
    from kiosk.staff.accounts import Session

_Tab = TypeVar("_Tab", bound=QWidget)

COLUMN_WIDTH = 1100  # px: the panel's content on a wide screen
# The office link's line is read again this often while the panel is open: a lock
# and a few attributes of the sender's status (its thread keeps them current).
OFFICE_LINK_MS = 2_000
NOTICES_SHARE = 4  # the notices take at most 1/4 of the panel's height, then scroll
#: The warning before the idle lock comes this long before it (at most a quarter of it).
LOCK_WARN_MS = 30_000

TABS = (
    ("enquiries", s.TAB_ENQUIRIES),
    ("export", s.TAB_EXPORT),
    ("summary", s.TAB_SUMMARY),
    ("log", s.TAB_LOG),
    ("staff", s.TAB_STAFF),
    ("kiosk", s.TAB_KIOSK),
)


def _clock_time(when: datetime, now: datetime) -> str:
    """A time of day as staff read it: "10:42" today, "Fri 04 Dec 10:42" before."""
    local = when.astimezone()
    return local.strftime("%H:%M" if local.date() == now.astimezone().date() else "%a %d %b %H:%M")


def _duration(seconds: float) -> str:
    """How long something has waited: "40 seconds", "12 min", "3 h 5 min", "2 days"."""
    whole = max(0, int(seconds))
    if whole < 60:
        return s.seconds(whole)
    if whole < 3600:
        return s.MINUTES.format(m=whole // 60)
    if whole < 86400:
        return s.HOURS_MINUTES.format(h=whole // 3600, m=whole % 3600 // 60)
    return s.days(whole // 86400)


def _why(reason: str) -> str:
    """Why the server cannot be reached, in words (read here: in the language now)."""
    return {
        "not-answering": s.OFFICE_WHY_NOT_ANSWERING,
        "timeout": s.OFFICE_WHY_TIMEOUT,
        "unknown-name": s.OFFICE_WHY_UNKNOWN_NAME,
        "no-network": s.OFFICE_WHY_NO_NETWORK,
    }.get(reason, s.OFFICE_WHY_OTHER)


def office_link_text(status: OfficeLinkStatus, now: datetime) -> str:
    """The office link's line: how it is doing, then what waits on the tablet."""
    since = _clock_time(status.since or now, now)
    if status.state == "refused":
        line = s.OFFICE_REVOKED
    elif status.state == "untrusted":
        line = s.OFFICE_UNTRUSTED
    elif status.state == "full":
        line = s.OFFICE_FULL.format(time=since)
    elif status.reason == "duplicate":
        line = s.OFFICE_DUPLICATE.format(time=since)
    elif status.reason == "outbox":
        line = s.OFFICE_OUTBOX.format(time=since)
    elif status.state == "waiting":
        line = s.OFFICE_UNREACHABLE.format(time=since, reason=_why(status.reason))
    elif status.state == "starting":
        line = s.OFFICE_STARTING
    elif status.unsent > 0:
        line = ""  # sending: what waits says it all
    elif status.last_sent_at is not None:
        line = s.OFFICE_ALL_SENT.format(time=_clock_time(status.last_sent_at, now))
    else:
        line = s.OFFICE_NONE_SENT
    if status.unsent > 0:
        oldest = status.oldest_unsent or now
        waiting = s.office_waiting(status.unsent, _duration((now - oldest).total_seconds()))
        # "Office link: 3 enquiries waiting…" alone, or after what is wrong.
        line = f"{line} {waiting}" if line else f"{s.OFFICE_LINK} {waiting}"
    return line


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
        self.idle = Inactivity(lock_ms, warn_ms=min(LOCK_WARN_MS, lock_ms // 4), parent=self)
        self.idle.expired.connect(lambda: self.lock_requested.emit("idle"))
        # Over the panel's foot, in no layout: shown, it moves nothing under a
        # finger; taps go through it (any touch is what keeps the panel open).
        self.lock_warning = text_label("", "staffLockWarning")
        self.lock_warning.setParent(self)
        self.lock_warning.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.lock_warning.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.lock_warning.hide()
        self.idle.warning.connect(self._warn_of_lock)
        self.idle.resumed.connect(self.lock_warning.hide)
        header = self._build_header(session)
        self._build_tab_buttons()
        self._office_link_timer = QTimer(self)
        self._office_link_timer.setInterval(OFFICE_LINK_MS)
        self._office_link_timer.timeout.connect(self.update_office_link)
        self.pages = QStackedWidget()
        self._tabs: dict[str, QWidget] = {}
        self.enquiries = EnquiriesTab(context)
        self._add_tab("enquiries", self.enquiries)
        centre = QHBoxLayout()
        centre.setContentsMargins(0, 0, 0, 0)
        centre.addStretch(1)
        centre.addWidget(self._build_body(), 100)
        centre.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(header)
        outer.addLayout(centre, 1)

    # -- building -------------------------------------------------------------------
    def _build_header(self, session: Session) -> QWidget:
        """The bar across the top: who is signed in, and Lock."""
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
        return header

    def _build_tab_buttons(self) -> None:
        """One checkable button a tab, in a grid that wraps on a narrow screen."""
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

    def _build_body(self) -> QWidget:
        """The column under the header: the tab buttons, the banner, the tab shown."""
        body = QWidget()
        body.setMaximumWidth(COLUMN_WIDTH)
        column = QVBoxLayout(body)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(GAP * 2)
        column.addLayout(self._tab_grid)
        # How the office link is doing (an enrolled kiosk), whichever tab is shown.
        self.office_link = text_label("", "staffOfficeLink")
        # Live reload's problems reach staff here, whichever tab they use.
        self.banner = text_label("", "staffBanner")
        self.recovery_reminder = text_label("", "staffBanner")
        self.notices = Notices((self.office_link, self.banner, self.recovery_reminder))
        column.addWidget(self.notices)
        column.addWidget(self.pages, 1)
        return body

    # -- showing --------------------------------------------------------------------
    def open(self) -> None:
        super().open()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.show_tab("enquiries")
        self.idle.start()
        self.update_recovery_reminder()
        self.update_office_link()
        self._office_link_timer.start()

    def update_office_link(self) -> None:
        """The office link's line, as the sender's status says now; none when the kiosk
        is not enrolled. Marked as trouble (a banner) unless all is sent or sending."""
        status = self.context.office_link()
        text = office_link_text(status, datetime.now(UTC)) if status is not None else ""
        trouble = status is not None and status.state not in ("sent", "starting")
        changed = text != self.office_link.text()
        if changed:
            self.office_link.setText(text)
        if trouble != self.office_link.property("trouble"):
            # The style sheet's [trouble="true"] rule is applied at the next polish.
            self.office_link.setProperty("trouble", trouble)
            self.office_link.style().unpolish(self.office_link)
            self.office_link.style().polish(self.office_link)
            changed = True
        if changed or self.office_link.isHidden() == bool(text):
            self.office_link.setVisible(bool(text))
            self._fit_notices()  # every 2 s otherwise, for the same words

    def update_recovery_reminder(self) -> None:
        """Until RECOVERY-CODE.txt is gone from the tablet, say so in words."""
        file = self.context.paths.recovery_file
        still_here = file.exists()
        self.recovery_reminder.setText(
            s.RECOVERY_REMINDER.format(file=breakable(str(file))) if still_here else ""
        )
        self.recovery_reminder.setVisible(still_here)
        self._fit_notices()

    def update_banner(self) -> None:
        """A line over every tab while the content or settings have problems."""
        reload = self.context.reload
        problems = reload.last_problems if reload is not None else ()
        self.banner.setText(s.CONTENT_BANNER.format(n=len(problems)) if problems else "")
        self.banner.setVisible(bool(problems))
        self._fit_notices()

    # -- tabs -----------------------------------------------------------------------
    @property
    def current_tab(self) -> str:
        for key, widget in self._tabs.items():
            if widget is self.pages.currentWidget():
                return key
        return ""

    def _add_tab(self, key: str, widget: QWidget) -> None:
        self._tabs[key] = widget
        self.pages.addWidget(widget)

    def tab(self, key: str) -> QWidget:
        """The tab's page, built the first time it is needed."""
        if key not in self._tabs:
            self._add_tab(key, self._make_tab(key))
        return self._tabs[key]

    # Each tab as its own type, for the code and tests that use what only that tab
    # has; built, like tab(key), the first time it is needed.
    @property
    def export_tab(self) -> ExportTab:
        return self._typed_tab("export", ExportTab)

    @property
    def summary_tab(self) -> SummaryTab:
        return self._typed_tab("summary", SummaryTab)

    @property
    def log_tab(self) -> LogTab:
        return self._typed_tab("log", LogTab)

    @property
    def staff_tab(self) -> StaffTab:
        return self._typed_tab("staff", StaffTab)

    @property
    def kiosk_tab(self) -> KioskTab:
        return self._typed_tab("kiosk", KioskTab)

    def _typed_tab(self, key: str, kind: type[_Tab]) -> _Tab:
        page = self.tab(key)
        # _make_tab decides each key's type; this only tells mypy what it is.
        if not isinstance(page, kind):
            raise TypeError(f"the {key!r} tab is a {type(page).__name__}, not {kind.__name__}")
        return page

    def _make_tab(self, key: str) -> QWidget:
        if key == "export":
            return ExportTab(self.context, self.idle)
        if key == "summary":
            return SummaryTab(self.context)
        if key == "log":
            return LogTab(self.context)
        if key == "staff":
            staff_tab = StaffTab(self.context)
            staff_tab.removed_self.connect(lambda: self.lock_requested.emit("staff"))
            return staff_tab
        if key == "kiosk":
            kiosk_tab = KioskTab(self.context)
            kiosk_tab.exit_confirmed.connect(self.exit_requested)
            kiosk_tab.reloaded.connect(self.update_banner)
            return kiosk_tab
        raise KeyError(key)

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
        self._fit_notices()
        self._place_lock_warning()

    def _warn_of_lock(self, seconds: int) -> None:
        text = s.LOCK_WARNING.format(seconds=seconds)
        self.lock_warning.setText(text)
        self.lock_warning.setAccessibleName(text)
        self._place_lock_warning()
        self.lock_warning.show()
        self.lock_warning.raise_()
        announce(self, text)

    def _place_lock_warning(self) -> None:
        width = min(self.width(), COLUMN_WIDTH) - 2 * MARGIN
        height = self.lock_warning.heightForWidth(width)
        left = (self.width() - width) // 2
        self.lock_warning.setGeometry(left, self.height() - MARGIN - height, width, height)

    def _fit_notices(self) -> None:
        self.notices.fit(self.height() // NOTICES_SHARE)

    def _relayout_tabs(self) -> None:
        # One row when every tab's label fits across the column, else rows of three.
        room = min(self.width(), COLUMN_WIDTH) - 2 * MARGIN
        needed = sum(tab.sizeHint().width() for tab in self.tab_buttons.values())
        columns = len(TABS) if needed + GAP * (len(TABS) - 1) <= room else 3
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
        self._office_link_timer.stop()
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


class Notices(QScrollArea):
    """The notices over every tab (the office link, content problems, the recovery
    code still on the tablet), as tall as they need up to a limit and scrolled past
    it: at 800 px and the largest text, three long notices would otherwise squeeze
    the tab below them to nothing."""

    def __init__(self, labels: tuple[QLabel, ...]) -> None:
        super().__init__()
        self.setObjectName("staffScroll")
        # Sized by ``fit``, not by the scroll area: it would size the notices by
        # their minimum size hint, wrapped for some other width (a blank band,
        # then the words cut off).
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setObjectName("staffInner")
        self._inner = inner
        self._column = QVBoxLayout(inner)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(GAP * 2)
        self.labels = labels
        for label in labels:
            label.hide()
            self._column.addWidget(label)
        self.setWidget(inner)
        self.scroller = TouchScroller(self)
        self._limit = 0
        self.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # wrapped anew
            self.fit(self._limit)

    def fit(self, limit: int) -> None:
        """Shown while a notice is; as tall as the notices at this width, at most ``limit``."""
        self._limit = limit
        shown = any(not label.isHidden() for label in self.labels)
        self.setVisible(shown)
        if not shown:
            return
        for label in self.labels:
            label.ensurePolished()  # a label just shown has not had its style's font yet
        width = self.width()
        need = self._column.totalHeightForWidth(width)
        if need > limit:  # the scroll bar takes its width from the notices
            width -= self.verticalScrollBar().sizeHint().width()
            need = self._column.totalHeightForWidth(width)
        self._inner.resize(width, need)
        self.setFixedHeight(max(1, min(need, limit)))
