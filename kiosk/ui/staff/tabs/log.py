"""The Log tab: the newest audit entries in plain words ("Maria: wrong PIN
(1 of 5)"), each with the entry as stored one tap away, and why the log cannot
be written or read, if so."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.common import GAP, local_time, text_label
from kiosk.ui.staff.context import PanelContext, clear_layout, scroll_page
from kiosk.ui.widgets import breakable, button

if TYPE_CHECKING:
    from kiosk.staff.audit import AuditEntry

LOG_ENTRIES = 30
#: The actors the log writes for the recovery code (kiosk.staff.commands and the
#: set-up screen) and a name that matches no account (kiosk.staff.accounts):
#: spelled here, so the panel does not load the accounts' module (tests check they agree).
RECOVERY_ACTOR = "recovery-code"
UNKNOWN_NAME = "(unknown name)"


def who(actor: str) -> str:
    """The entry's actor as staff would say it."""
    if actor == RECOVERY_ACTOR:
        return s.LOG_RECOVERY
    if actor == UNKNOWN_NAME:
        return s.LOG_UNKNOWN
    return actor or s.LOG_NOBODY


def _failures(entry: AuditEntry) -> int | None:
    value = entry.details.get("failures")
    return value if isinstance(value, int) else None


def in_words(entry: AuditEntry) -> str:
    """One entry as a sentence; an action this version does not know is shown as stored."""
    person = who(entry.actor)
    details = entry.details
    if entry.action == "sign-in-failed":
        reason, failures = details.get("reason"), _failures(entry)
        if reason == "wrong PIN" and failures is not None:
            return s.LOG_WRONG_PIN.format(who=person, n=failures)
        if reason == "wrong recovery code" and failures is not None:
            return s.LOG_WRONG_CODE.format(who=person, n=failures)
        if reason == "locked":
            return s.LOG_LOCKED.format(who=person)
        if reason == "too soon":
            return s.LOG_TOO_SOON.format(who=person)
        if reason == "not a recovery code":
            return s.LOG_NOT_A_CODE.format(who=person)
    if entry.action == "export":
        count = details.get("count")
        drive, path = details.get("drive"), details.get("path")
        if isinstance(drive, str) and drive:
            place = s.LOG_TO_DRIVE.format(label=drive)
        else:
            place = s.LOG_TO_FILE.format(name=PurePath(str(path or "")).name)
        if isinstance(count, int):
            return s.log_exported(person, count, place)
    template = s.LOG_WORDS.get(entry.action)
    if template is not None:
        try:
            return template.format(who=person, **{k: str(v) for k, v in details.items()})
        except (KeyError, IndexError, ValueError):
            pass
    return s.LOG_ROW.format(time="", actor=person, action=entry.action).lstrip(" ·")


def as_stored(entry: AuditEntry) -> str:
    """The entry as the log file holds it (without the chain's hashes)."""
    shown = {k: v for k, v in entry.to_json().items() if k not in ("prev", "hash")}
    return json.dumps(shown, ensure_ascii=False, indent=1)


class LogEntry(QFrame):
    """An entry in words, and "Raw entry": the entry as stored, shown under it
    (tap again to hide it)."""

    def __init__(self, entry: AuditEntry) -> None:
        super().__init__()
        self.setObjectName("logEntry")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.sentence = in_words(entry)
        self.words = text_label(f"{_when(entry.time)} · {self.sentence}", "staffLogWords")
        self.words.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.raw_button = button(s.LOG_RAW, "quiet", "staffLogRaw")
        self.raw_button.setCheckable(True)
        self.raw_button.toggled.connect(self.show_raw)
        self.raw = text_label(breakable(as_stored(entry)), "staffLogRawText")
        self.raw.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(GAP)
        grid.setVerticalSpacing(GAP)
        grid.addWidget(self.words, 0, 0)
        grid.addWidget(self.raw_button, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.raw, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)

    def show_raw(self, on: bool) -> None:
        self.raw.setVisible(on)


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
        self.entries: list[LogEntry] = []

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
            row = LogEntry(entry)
            self.scroller.track(row.raw_button)
            self.column.addWidget(row)
            self.entries.append(row)
        if not latest:
            empty = text_label(s.LOG_EMPTY, "staffNote")
            self.column.addWidget(empty)
        self.column.addStretch(1)
        self.area.verticalScrollBar().setValue(0)

    @property
    def buttons(self) -> list[QPushButton]:
        return [entry.raw_button for entry in self.entries]

    def wipe(self) -> None:
        for entry in self.entries:
            entry.words.clear()
            entry.raw.clear()
        clear_layout(self.column)
        self.entries = []


def _when(stamp: str) -> str:
    return local_time(stamp, "%d %b %H:%M:%S")


__all__ = ["LogTab", "in_words", "who"]
