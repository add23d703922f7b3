"""The staff panel's other tabs: what patients read (two bar charts), the
latest audit entries, and the kiosk itself (reload content, leave kiosk mode).

The charts are painted here (horizontal bars, a label and the number on each
row) rather than with Qt Charts: a dozen rows need no library, start nothing
at import, and take their colours from the style sheet's palette, so the
high-contrast theme applies to them as to everything else.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.store import StoreError
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff_common import GAP, local_time, text_label
from kiosk.ui.staff_panel import PanelContext, clear_layout, scroll_page
from kiosk.ui.widgets import button

log = logging.getLogger(__name__)

WEEKS = 12
LOG_ENTRIES = 30


class BarChart(QWidget):
    """Horizontal bars: a label, a bar as long as its share of the largest, the number.

    ``bars()`` is what is drawn (for tests and for the accessible description).
    """

    ROW_PX = 40
    GAP_PX = 6

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

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._bars))
        return QSize(400, rows * self.ROW_PX + (rows - 1) * self.GAP_PX)

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
        top = max((value for _label, value in self._bars), default=0)
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

    @staticmethod
    def _note(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))


class LogTab(QWidget):
    """The newest audit entries, newest first."""

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.context = context
        self.area, self.column, self.scroller = scroll_page()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        layout.addWidget(text_label(s.LOG_TITLE, "staffSubheading"))
        self.problem = text_label("", "staffNote")
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addWidget(self.area, 1)
        self.entries: list[QLabel] = []

    def refresh(self) -> None:
        self.scroller.stop()
        clear_layout(self.column)
        self.entries = []
        problems = [self.context.audit_problem()]
        log_file = self.context.audit_log
        latest = []
        if log_file is not None:
            try:
                latest = log_file.latest(LOG_ENTRIES)
            except Exception as exc:  # a log that cannot be read is said, never a crash
                problems.append(s.LOG_UNAVAILABLE.format(reason=type(exc).__name__))
        problem = "\n".join(p for p in problems if p)
        self.problem.setText(problem.replace("/", "/\u200b"))
        self.problem.setAccessibleName(problem)
        self.problem.setVisible(bool(problem))
        for entry in latest:
            details = ", ".join(f"{k} {v}" for k, v in entry.details.items())
            head = s.LOG_ROW.format(time=_when(entry.time), actor=entry.actor, action=entry.action)
            label = text_label(f"{head}\n{details}" if details else head, "staffLogEntry")
            label.setText(label.text().replace("/", "/\u200b"))
            self.column.addWidget(label)
            self.entries.append(label)
        if not latest:
            empty = text_label(s.LOG_EMPTY, "staffNote")
            self.column.addWidget(empty)
        self.column.addStretch(1)
        self.area.verticalScrollBar().setValue(0)

    def wipe(self) -> None:
        clear_layout(self.column)
        self.entries = []


def _when(stamp: str) -> str:
    return local_time(stamp, "%d %b %H:%M:%S")


class KioskTab(QWidget):
    """Reload content now (and what the last reload found); leave kiosk mode.

    Signals:
        exit_confirmed(): "Leave kiosk mode" was tapped twice (asked, then confirmed).
        reloaded(): "Reload content now" has run (its problems may have changed).
    """

    exit_confirmed = Signal()
    reloaded = Signal()

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.context = context
        self.area, column, self.scroller = scroll_page()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)

        self.reload_button = button(s.RELOAD, None, "staffReload")
        self.reload_button.clicked.connect(self.reload)
        row = QHBoxLayout()
        row.addWidget(self.reload_button)
        row.addStretch(1)
        column.addLayout(row)
        self.reload_result = text_label("", "staffResult")
        self.reload_result.hide()
        column.addWidget(self.reload_result)
        self.problems = text_label("", "staffProblems")
        column.addWidget(self.problems)

        column.addSpacing(GAP * 3)
        self.exit_text = text_label(s.EXIT_CONFIRM, "staffText")
        self.exit_text.hide()
        column.addWidget(self.exit_text)
        self.exit_button = button(s.EXIT, "quiet", "staffExit")
        self.exit_button.clicked.connect(self.ask_exit)
        self.exit_no = button(s.EXIT_NO, "quiet", "staffExitNo")
        self.exit_no.clicked.connect(self.cancel_exit)
        self.exit_yes = button(s.EXIT_YES, "danger", "staffExitYes")
        self.exit_yes.clicked.connect(self.exit_confirmed)
        exit_row = QHBoxLayout()
        exit_row.setSpacing(GAP)
        exit_row.addWidget(self.exit_button)
        exit_row.addWidget(self.exit_no)
        exit_row.addStretch(1)
        exit_row.addWidget(self.exit_yes)
        column.addLayout(exit_row)
        self.exit_no.hide()
        self.exit_yes.hide()
        column.addStretch(1)

    def refresh(self) -> None:
        self.scroller.stop()
        self.cancel_exit()
        self.reload_result.hide()
        self._show_problems()

    def _show_problems(self) -> None:
        reload = self.context.reload
        problems = tuple(reload.last_problems) if reload is not None else ()
        text = "\n".join((s.CONTENT_PROBLEMS, *problems)) if problems else s.NO_CONTENT_PROBLEMS
        self.problems.setText(text.replace("/", "/\u200b"))
        self.problems.setAccessibleName(text)

    def reload(self) -> None:
        """Read the content and settings again now; say what came of it."""
        reload = self.context.reload
        if reload is None:
            self._result(s.RELOAD_UNAVAILABLE)
            return
        outcome: list[str] = []
        refused = reload.refused.connect(lambda why: outcome.append("refused"))
        applied = reload.applied.connect(lambda: outcome.append("applied"))
        try:
            reload.check()
            reload.apply_if_safe()
        finally:
            reload.refused.disconnect(refused)
            reload.applied.disconnect(applied)
        if "refused" in outcome:
            result = "refused"
            text = "\n".join((s.RELOAD_REFUSED, *reload.last_problems))
        elif "applied" in outcome:
            result, text = "applied", s.RELOAD_APPLIED
        elif reload.pending:
            result, text = "pending", s.RELOAD_PENDING
        else:
            result, text = "unchanged", s.RELOAD_UNCHANGED
        self.context.audit("reload", result=result)
        self._result(text)
        self._show_problems()
        self.reloaded.emit()

    def _result(self, text: str) -> None:
        self.reload_result.setText(text.replace("/", "/\u200b"))
        self.reload_result.setAccessibleName(text)
        self.reload_result.show()

    def ask_exit(self) -> None:
        self.exit_button.hide()
        self.exit_text.show()
        self.exit_no.show()
        self.exit_yes.show()

    def cancel_exit(self) -> None:
        self.exit_text.hide()
        self.exit_no.hide()
        self.exit_yes.hide()
        self.exit_button.show()
