"""The office app's Revisions view (issue 16): the revisions published (number, note,
who, when, to whom), what each kiosk runs with its latest report (a revision refused
or rolled back in red, with the kiosk's reason), and publishing a new revision.

Publishing asks again for the signed-in member's PIN (the publishing key opens only
with the clinic key, and the session's copy is not reused to sign: a PC left signed
in must not publish). The content is checked as a kiosk would check it first, on a
thread with a connection of its own; its problems are shown and nothing is stored
until there are none. Read again every half minute while shown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor, QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.office import admin, publish
from kiosk.staff.accounts import StaffError
from kiosk.ui.office import words as w
from kiosk.ui.office.inbox import Background, Conn, DownScroll, Work
from kiosk.ui.office.kiosks import REFRESH_MS, _fill, _size, _table, _when
from kiosk.ui.office.session import Session, SignInError, refusal
from kiosk.ui.widgets import button, labelled, plain_label

#: A kiosk that refused or rolled back a revision: its row in red words (the state
#: column says which; the colour is not the only sign).
FAILED_COLOUR = "#b3261e"


@dataclass(frozen=True)
class Request:
    """What the form asks to publish, read from it when "Check and publish" is clicked."""

    actor: str
    pin: str
    folder: Path
    config: Path | None
    targets: tuple[str, ...]
    note: str


def _publishing(request: Request) -> Work:
    """Check, pack, check the PIN (counted under the office's lock, audited as a
    sign-in), sign and store: the revision's number, or what stopped it (raised)."""

    def work(conn: Conn, _report: Callable[[object], None], _stopping: threading.Event) -> object:
        payload = publish.prepare(request.folder, request.config)  # RefusedError
        try:
            signed = admin.sign_in(conn, request.actor, request.pin)
        except StaffError as exc:
            raise refusal(exc) from None
        key = admin.publishing_key(conn, signed.opener)
        return publish.publish(
            conn, payload, key, by=signed.name, targets=request.targets, note=request.note
        )

    return work


def revision_cells(rev: publish.RevisionInfo) -> list[str]:
    return [
        str(rev.number),
        rev.note,
        rev.published_by,
        _when(rev.published_at),
        publish.targets_text(rev.targets),
        _size(rev.size),
    ]


def kiosk_cells(k: publish.KioskRevision) -> list[str]:
    runs = w.RUNS_INSTALLED if k.running is None else str(k.running)
    latest = "" if k.state is None else f"{k.revision}: {w.STATE_WORDS.get(k.state, k.state)}"
    return [k.kiosk, k.group or w.NOT_KNOWN, runs, latest or w.NOT_KNOWN, k.reason, _when(k.at)]


class PublishForm(QWidget):
    """The folder, the settings file, whom to send to, a note and the PIN."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = QLineEdit()
        self.config = QLineEdit()
        self.target = QComboBox()
        self.note = QLineEdit()
        self.note.setMaxLength(publish.NOTE_MAX)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.choose_folder = button(w.CHOOSE_FOLDER)
        self.choose_config = button(w.CHOOSE_FILE)
        self.publish = button(w.CHECK_AND_PUBLISH)
        self.cancel = button(w.CANCEL)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName(w.PROBLEMS)
        self.problems.setMaximumHeight(160)  # the lines scroll: the form stays in sight
        self.problems.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for label, field, chooser in (
            (w.CONTENT_FOLDER, self.folder, self.choose_folder),
            (w.SETTINGS_FILE, self.config, self.choose_config),
        ):
            row = QHBoxLayout()
            row.addWidget(field, 1)
            row.addWidget(chooser)
            form.addRow(labelled(label, field), row)
        form.addRow(labelled(w.SEND_TO, self.target), self.target)
        form.addRow(labelled(w.PUBLISH_NOTE, self.note), self.note)
        form.addRow(labelled(w.YOUR_PIN, self.pin), self.pin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.publish)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        self.message = plain_label("", "officeMessage")
        self.message.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(plain_label(w.PUBLISH_HEADING))
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.message)
        column.addWidget(self.problems)
        self.choose_folder.clicked.connect(self._choose_folder)
        self.choose_config.clicked.connect(self._choose_config)

    def offer(self, groups: Sequence[str]) -> None:
        """All kiosks, or one group, keeping the choice made when it is still offered."""
        chosen = self.target.currentData()
        self.target.clear()
        self.target.addItem(w.EVERY_KIOSK, publish.ALL)
        for group in groups:
            self.target.addItem(w.GROUP_ITEM.format(group=group), group)
        found = self.target.findData(chosen)
        self.target.setCurrentIndex(max(found, 0))

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, w.CONTENT_FOLDER, self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _choose_config(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, w.SETTINGS_FILE, self.config.text(), w.SETTINGS_FILTER
        )
        if path:
            self.config.setText(path)

    def show_problems(self, lines: Sequence[str]) -> None:
        self.problems.setPlainText("\n".join(lines))
        self.problems.setVisible(bool(lines))

    def reset(self) -> None:
        """Empty, as at sign-in: nothing of the last member's is kept (the PIN least)."""
        for field in (self.folder, self.config, self.note, self.pin):
            field.clear()
        self.message.clear()
        self.show_problems([])


class RevisionsPage(QWidget):
    """``refresh()`` rereads the revisions and the kiosks' reports; ``clear()`` at sign-out.
    ``published`` carries the new revision's number."""

    published = Signal(int)

    def __init__(self, session: Callable[[], Session | None], url: str) -> None:
        super().__init__()
        self._session = session
        self._url = url
        self._job: Background | None = None  # the publishing running, if any
        self.revisions = _table(w.REVISION_COLUMNS, w.REVISIONS_HEADING)
        self.runs = _table(w.RUNS_COLUMNS, w.RUNS_HEADING)
        self.open_form = button(w.PUBLISH)
        self.form = PublishForm()
        self.form.hide()
        self.message = plain_label("", "officeMessage")  # the tables could not be read
        self.message.setWordWrap(True)
        self.outcome = plain_label("", "officeMessage")  # what the last publishing did
        self.outcome.setWordWrap(True)
        content = QWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(DownScroll(content))
        column = QVBoxLayout(content)
        actions = QHBoxLayout()
        actions.addWidget(self.open_form)
        actions.addWidget(self.outcome, 1)
        column.addLayout(actions)
        column.addWidget(self.form)
        column.addWidget(plain_label(w.REVISIONS_HEADING))
        column.addWidget(self.revisions, 2)
        column.addWidget(plain_label(w.RUNS_HEADING))
        column.addWidget(self.runs, 2)
        column.addWidget(self.message)
        self.open_form.clicked.connect(self.show_form)
        self.form.cancel.clicked.connect(self.hide_form)
        self.form.publish.clicked.connect(self.start_publishing)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()

    def refresh(self) -> None:
        session = self._session()
        if session is None:
            return
        try:
            revisions = publish.revisions(session.conn)
            kiosks = publish.kiosk_revisions(session.conn)
            groups = publish.groups(session.conn)
        except psycopg.Error as exc:
            self.message.setText(w.REVISIONS_UNREADABLE.format(error=str(exc).strip()))
            return
        self.message.clear()
        _fill(self.revisions, [revision_cells(rev) for rev in revisions])
        _fill(self.runs, [kiosk_cells(k) for k in kiosks])
        red, bold = QColor(FAILED_COLOUR), QFont()
        bold.setBold(True)
        for r, k in enumerate(kiosks):
            for c in range(self.runs.columnCount()) if k.failed else ():
                item = self.runs.item(r, c)
                if item is not None:
                    item.setForeground(red)
                    item.setFont(bold)
        self.runs.resizeColumnsToContents()  # bold words are wider
        self.form.offer(groups)

    def show_form(self) -> None:
        self.outcome.clear()
        self.form.show()
        self.open_form.setEnabled(False)
        self.form.folder.setFocus()

    def hide_form(self) -> None:
        self.form.reset()
        self.form.hide()
        self.open_form.setEnabled(True)

    def start_publishing(self) -> None:
        session = self._session()
        if session is None or self._job is not None:
            return
        folder, config = self.form.folder.text().strip(), self.form.config.text().strip()
        pin = self.form.pin.text()
        if not folder or not pin:
            self.form.message.setText(w.NEED_FOLDER_AND_PIN)
            return
        request = Request(
            actor=session.actor,
            pin=pin,
            folder=Path(folder),
            config=Path(config) if config else None,
            targets=(str(self.form.target.currentData() or publish.ALL),),
            note=self.form.note.text(),
        )
        self.form.pin.clear()  # asked again for each try
        self.form.show_problems([])
        self.form.message.setText(w.PUBLISHING)
        self.form.publish.setEnabled(False)
        job = Background(self._url, _publishing(request))
        job.done.connect(lambda result, job=job: self._done(job, result, request))
        self._job = job
        job.start()

    def _done(self, job: Background, result: object, request: Request) -> None:
        if self._job is not job:
            return  # signed out meanwhile
        self._job = None
        self.form.publish.setEnabled(True)
        if isinstance(result, int):
            self.hide_form()
            self.outcome.setText(
                w.PUBLISHED.format(number=result, targets=publish.targets_text(request.targets))
            )
            self.refresh()
            self.published.emit(result)
        elif isinstance(result, publish.RefusedError):
            self.form.message.setText(w.PUBLISH_REFUSED)
            self.form.show_problems(result.problems)
        elif isinstance(result, SignInError):
            self.form.message.setText(result.reason)
        else:
            self.form.message.setText(w.PUBLISH_FAILED.format(error=str(result).strip()))

    def clear(self) -> None:
        """Signed out: the tables emptied, the form closed, a publishing's end not shown."""
        self._job = None
        self.form.publish.setEnabled(True)
        self.hide_form()
        self.revisions.setRowCount(0)
        self.runs.setRowCount(0)
        self.message.clear()
        self.outcome.clear()
