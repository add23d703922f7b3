"""The Kiosk tab: reload content now (and what the last reload found); leave
kiosk mode."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.common import GAP, text_label
from kiosk.ui.staff.context import PanelContext, scroll_page
from kiosk.ui.widgets import breakable, button


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
        self.problems.setText(breakable(text))
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
        self.reload_result.setText(breakable(text))
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
