"""What the staff panel's tabs work with: ``PanelContext`` (made by
``StaffMode``), and the small helpers more than one tab needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.enquiries.keys import KeysError
from kiosk.ui.staff.common import GAP
from kiosk.ui.touch import TouchScroller

if TYPE_CHECKING:
    from kiosk.enquiries.drives import Drive
    from kiosk.enquiries.keys import Opener
    from kiosk.enquiries.store import EnquiryStore
    from kiosk.page_views import PageViews
    from kiosk.paths import Paths
    from kiosk.staff.accounts import Session, StaffAccounts
    from kiosk.staff.audit import AuditLog
    from kiosk.ui.reload import LiveReload
    from kiosk.ui.window import KioskWindow


class OfficeLinkStatus(Protocol):
    """What the panel reads of the office sender's status: the fields of
    ``kiosk.office.outbox.SendStatus``, named here because staff mode never imports
    the sender (nor, through it, psycopg). ``state`` and ``reason`` are its words
    (``State``, ``Reason``); the times are UTC."""

    @property
    def state(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def since(self) -> datetime | None: ...
    @property
    def unsent(self) -> int: ...
    @property
    def oldest_unsent(self) -> datetime | None: ...
    @property
    def last_sent_at(self) -> datetime | None: ...


def no_office_link() -> OfficeLinkStatus | None:
    """A kiosk that is not enrolled (or whose sender has not started): no line."""
    return None


@dataclass
class PanelContext:
    """What the panel works with; made by ``StaffMode``.

    ``audit(action, **details)`` writes an entry for the signed-in member
    (and never raises); ``drives()`` lists the USB drives plugged in now;
    ``audit_problem()`` is the last failure to write the audit log ("" if none);
    ``office_link()`` the office sender's status now (None: not enrolled, or not
    started yet), read every few seconds while the panel is open.
    """

    window: KioskWindow
    paths: Paths
    store: EnquiryStore | None
    audit: Callable[..., None]
    audit_log: AuditLog | None
    drives: Callable[[], list[Drive]]
    audit_problem: Callable[[], str]
    page_views: PageViews | None = None
    reload: LiveReload | None = None
    accounts: StaffAccounts | None = None
    office_link: Callable[[], OfficeLinkStatus | None] = no_office_link
    #: The signed-in member: the one place the panel keeps the opener, so
    #: that dropping it here (on lock) drops it for every tab.
    session: Session | None = None

    def opener(self) -> Opener:
        if self.session is None:
            raise KeysError("Staff mode is locked.")
        return self.session.opener


def scroll_page() -> tuple[QScrollArea, QVBoxLayout, TouchScroller]:
    """A touch-scrollable column (kinetic, as the patients' pages): the area,
    the layout to fill, and the scroller (``track`` buttons inside it)."""
    area = QScrollArea()
    area.setObjectName("staffScroll")
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
