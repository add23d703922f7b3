"""The "What patients read" tab: enquiries per week and page views per page,
as bar charts painted here (why not Qt Charts: docs/architecture.md, "Staff
mode on the tablet")."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from kiosk.enquiries.store import StoreError
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.common import GAP, text_label
from kiosk.ui.staff.context import PanelContext, scroll_page

WEEKS = 12
MIN_TOP = 4  # the scale reaches at least this: one enquiry is a short bar, not a full one
MAX_TICKS = 6  # tick marks on the scale, 0 included, at most


def scale(largest: int) -> tuple[int, int]:
    """The chart's scale for a largest value: (top, step), both whole numbers.

    Starts at zero; the step is 1, 2 or 5 times a power of ten, so the ticks
    read 0, 1, 2, 3, 4 or 0, 20, 40, 60; the top is the first tick at or above
    ``largest`` (and at least ``MIN_TOP``).
    """
    want = max(largest, MIN_TOP)
    step = 1
    while True:
        for factor in (1, 2, 5):
            candidate = step * factor
            if -(-want // candidate) <= MAX_TICKS - 1:
                return candidate * -(-want // candidate), candidate
        step *= 10


class BarChart(QWidget):
    """Horizontal bars: a label, a bar on a scale from zero (``scale``), the
    number; the scale's whole-number ticks under the bars.

    ``bars()`` is what is drawn (for tests and for the accessible description).
    """

    ROW_PX = 40
    GAP_PX = 6
    AXIS_PX = 36  # the ticks' numbers under the bars

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("staffChart")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._bars: list[tuple[str, int]] = []

    def set_bars(self, bars: list[tuple[str, int]]) -> None:
        self._bars = list(bars)
        self.setAccessibleDescription(
            "; ".join(s.BAR_ACCESSIBLE.format(label=label, value=value) for label, value in bars)
        )
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def bars(self) -> list[tuple[str, int]]:
        return list(self._bars)

    def ticks(self) -> list[int]:
        """The numbers on the scale, from zero to its top."""
        top, step = scale(max((value for _label, value in self._bars), default=0))
        return list(range(0, top + 1, step))

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._bars))
        return QSize(400, rows * self.ROW_PX + (rows - 1) * self.GAP_PX + self.AXIS_PX)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        bar = palette.color(QPalette.ColorRole.Highlight)
        metrics = QFontMetrics(self.font())
        width = self.width()
        label_w = min(
            int(width * 0.45),
            max((metrics.horizontalAdvance(b[0]) for b in self._bars), default=0) + 12,
        )
        number_w = max((metrics.horizontalAdvance(str(b[1])) for b in self._bars), default=0) + 16
        room = max(1, width - label_w - number_w)
        ticks = self.ticks()
        top = ticks[-1]
        rows_h = len(self._bars) * (self.ROW_PX + self.GAP_PX) - self.GAP_PX
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        for tick in ticks:
            x = label_w + room * tick / top
            painter.setPen(grid)
            painter.drawLine(QPointF(x, 0), QPointF(x, rows_h + 4))
            painter.setPen(text)
            number = str(tick)
            half = metrics.horizontalAdvance(number) / 2
            painter.drawText(
                QRectF(x - half - 4, rows_h + 4, 2 * half + 8, self.AXIS_PX - 4),
                int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter),
                number,
            )
        for row, (label, value) in enumerate(self._bars):
            y = row * (self.ROW_PX + self.GAP_PX)
            painter.setPen(text)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 12)
            painter.drawText(
                QRectF(0, y, label_w - 12, self.ROW_PX),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                shown,
            )
            length = room * value / top if top else 0
            if value and length < 3:
                length = 3  # a small count still shows
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bar)
            painter.drawRoundedRect(QRectF(label_w, y + 6, length, self.ROW_PX - 12), 4, 4)
            painter.setPen(text)
            painter.drawText(
                QRectF(label_w + length + 8, y, number_w, self.ROW_PX),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                str(value),
            )
        painter.end()


class SummaryTab(QWidget):
    """Enquiries per week and page views per page, as bar charts."""

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.context = context
        self.area, column, self.scroller = scroll_page()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)
        column.addWidget(text_label(s.WEEKLY_TITLE, "staffSubheading"))
        self.weekly = BarChart(s.WEEKLY_TITLE)
        column.addWidget(self.weekly)
        self.weekly_note = text_label("", "staffNote")
        self.weekly_note.hide()
        column.addWidget(self.weekly_note)
        column.addSpacing(GAP * 2)
        column.addWidget(text_label(s.PAGES_TITLE, "staffSubheading"))
        self.pages = BarChart(s.PAGES_TITLE)
        column.addWidget(self.pages)
        self.pages_note = text_label("", "staffNote")
        self.pages_note.hide()
        column.addWidget(self.pages_note)
        # Issue 12: a plain line until the panel's redesign gives it a place.
        self.review_note = text_label("", "staffNote")
        column.addWidget(self.review_note)
        column.addStretch(1)

    def refresh(self) -> None:
        self.scroller.stop()
        store = self.context.store
        weekly: list[tuple[str, int]] = []
        note = ""
        if store is None or not store.available:
            note = s.STORE_UNAVAILABLE
        else:
            try:
                weekly = [
                    (s.WEEK_OF.format(date=monday), n) for monday, n in store.weekly_counts(WEEKS)
                ]
            except StoreError as exc:
                note = str(exc)
        self.weekly.set_bars(weekly)
        self.weekly.setVisible(bool(weekly))
        self._note(self.weekly_note, note)

        views = self.context.page_views
        pages: list[tuple[str, int]] = []
        if views is None:
            note = s.NO_STATS
        else:
            library = self.context.window.library
            for key, n in views.totals():
                page = library.page(key)
                pages.append((page.title if page is not None else key, n))
            note = "" if pages else s.NO_PAGE_VIEWS
        self.pages.set_bars(pages)
        self.pages.setVisible(bool(pages))
        self._note(self.pages_note, note)
        due = len(self.context.window.library.needing_review(date.today()))
        self._note(self.review_note, s.review_needed(due) if due else "")

    @staticmethod
    def _note(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))
