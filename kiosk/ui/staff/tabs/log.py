"""The Log tab: the newest audit entries, and why the log cannot be written
or read, if so."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.common import GAP, breakable, local_time, text_label
from kiosk.ui.staff.context import PanelContext, clear_layout, scroll_page

LOG_ENTRIES = 30


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
        self.problem.setText(breakable(problem))
        self.problem.setAccessibleName(problem)
        self.problem.setVisible(bool(problem))
        for entry in latest:
            details = ", ".join(f"{k} {v}" for k, v in entry.details.items())
            head = s.LOG_ROW.format(time=_when(entry.time), actor=entry.actor, action=entry.action)
            text = f"{head}\n{details}" if details else head
            label = text_label(breakable(text), "staffLogEntry")
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
