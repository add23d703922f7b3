"""The office app's Revisions view (issue 16): the revisions published (number, note,
who, when, to whom), what each kiosk runs with its latest report (a revision refused
or rolled back in red, with the kiosk's reason), and publishing a new revision.

Publishing asks again for the signed-in member's PIN (the publishing key opens only
with the clinic key, and the session's copy is not reused to sign: a PC left signed
in must not publish). The content is checked as a kiosk would check it first, on a
thread with a connection of its own; its problems are shown and nothing is stored
until there are none. A revision chosen in the list can be sent anew ("Send to all",
"Send to group…": the same number and signature, ``publish.retarget``), with the
PIN asked again likewise. Read again every half minute while shown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFont
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
from kiosk.ui.office.kiosks import RefreshWhileShown, _fill, _size, _table, _when
from kiosk.ui.office.session import Session, SignInError, refusal
from kiosk.ui.office.trouble import said
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


def _signed_in(conn: Conn, actor: str, pin: str) -> admin.SignedIn:
    """The member's PIN checked again (counted under the office's lock, audited as a
    sign-in, as ``kiosk office publish`` checks it); ``SignInError`` in their words."""
    try:
        return admin.sign_in(conn, actor, pin)
    except StaffError as exc:
        raise refusal(exc) from None


def _publishing(request: Request) -> Work:
    """Check, pack, check the PIN, sign and store: the revision's number, or what
    stopped it (raised)."""

    def work(conn: Conn, _report: Callable[[object], None], _stopping: threading.Event) -> object:
        payload = publish.prepare(request.folder, request.config)  # RefusedError
        signed = _signed_in(conn, request.actor, request.pin)
        key = admin.publishing_key(conn, signed.opener)
        return publish.publish(
            conn, payload, key, by=signed.name, targets=request.targets, note=request.note
        )

    return work


@dataclass(frozen=True)
class Sending:
    """Revision ``number`` to go to ``targets`` instead, by the member with this PIN."""

    actor: str
    pin: str
    number: int
    targets: tuple[str, ...]


def _retargeting(sending: Sending) -> Work:
    """Check the PIN, then address the revision anew (``publish.retarget``: audited as
    ``publish-target`` in the member's name, as the CLI's ``--revision N``)."""

    def work(conn: Conn, _report: Callable[[object], None], _stopping: threading.Event) -> object:
        signed = _signed_in(conn, sending.actor, sending.pin)
        publish.retarget(conn, sending.number, sending.targets, by=signed.name)
        return sending

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


class SendForm(QWidget):
    """Send the chosen revision to all kiosks, or to one group: the group (when that is
    the choice) and the member's PIN again. ``number`` is the revision asked about,
    kept from when the form opened (the list is read again under it)."""

    def __init__(self) -> None:
        super().__init__()
        self.number: int | None = None
        self.heading = plain_label("")
        self.group = QComboBox()
        self.group_label = labelled(w.SEND_GROUP, self.group)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.send = button(w.SEND)
        self.cancel = button(w.CANCEL)
        self.message = plain_label("", "officeMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.group_label, self.group)
        form.addRow(labelled(w.YOUR_PIN, self.pin), self.pin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.message)

    def ask(self, number: int, groups: Sequence[str] | None) -> None:
        """Revision ``number`` to all kiosks (``groups`` None) or to one of ``groups``."""
        self.reset()
        self.number = number
        to_group = groups is not None
        heading = w.SEND_HEADING_GROUP if to_group else w.SEND_HEADING_ALL
        self.heading.setText(heading.format(number=number))
        for group in groups or ():
            self.group.addItem(w.GROUP_ITEM.format(group=group), group)
        self.group.setVisible(to_group)
        self.group_label.setVisible(to_group)
        self.show()
        (self.group if to_group else self.pin).setFocus()

    def targets(self) -> tuple[str, ...]:
        group = self.group.currentData() if self.group.isVisible() else None
        return (str(group),) if group else (publish.ALL,)

    def reset(self) -> None:
        """Empty and closed: the PIN least of all is kept."""
        self.number = None
        self.group.clear()
        self.pin.clear()
        self.message.clear()
        self.send.setEnabled(True)
        self.hide()


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
        self.send_all = button(w.SEND_TO_ALL)
        self.send_group = button(w.SEND_TO_GROUP)
        self.sending = SendForm()
        self.sending.hide()
        self._shown: list[publish.RevisionInfo] = []  # the revisions' rows, in order
        self._groups: list[str] = []
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
        chosen = QHBoxLayout()  # what to do with the revision chosen in the list
        chosen.addWidget(self.send_all)
        chosen.addWidget(self.send_group)
        chosen.addStretch(1)
        column.addLayout(chosen)
        column.addWidget(self.sending)
        column.addWidget(plain_label(w.RUNS_HEADING))
        column.addWidget(self.runs, 2)
        column.addWidget(self.message)
        self.open_form.clicked.connect(self.show_form)
        self.form.cancel.clicked.connect(self.hide_form)
        self.form.publish.clicked.connect(self.start_publishing)
        self.revisions.itemSelectionChanged.connect(self._enable_sending)
        self.send_all.clicked.connect(lambda: self.ask_send(to_group=False))
        self.send_group.clicked.connect(lambda: self.ask_send(to_group=True))
        self.sending.cancel.clicked.connect(self.hide_sending)
        self.sending.send.clicked.connect(self.start_sending)
        self._enable_sending()
        RefreshWhileShown(self, self.refresh)

    def refresh(self) -> None:
        session = self._session()
        if session is None:
            return
        try:
            revisions = publish.revisions(session.conn)
            kiosks = publish.kiosk_revisions(session.conn)
            groups = publish.groups(session.conn)
        except psycopg.Error as exc:
            self.message.setText(w.REVISIONS_UNREADABLE.format(error=said(exc)))
            return
        self.message.clear()
        chosen = self.chosen()
        self._shown, self._groups = revisions, groups
        _fill(self.revisions, [revision_cells(rev) for rev in revisions])
        # Read again every half minute: the revision chosen stays chosen.
        numbers = [rev.number for rev in revisions]
        if chosen in numbers:
            self.revisions.selectRow(numbers.index(chosen))
        self._enable_sending()
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

    def chosen(self) -> int | None:
        """The number of the revision chosen in the list, if one is."""
        rows = {index.row() for index in self.revisions.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self._shown[row].number if row < len(self._shown) else None

    def _enable_sending(self) -> None:
        free = self.chosen() is not None and self._job is None
        self.send_all.setEnabled(free)
        self.send_group.setEnabled(free and bool(self._groups))

    def ask_send(self, *, to_group: bool) -> None:
        number = self.chosen()
        if number is None:
            return
        self.hide_form()
        self.outcome.clear()
        self.sending.ask(number, self._groups if to_group else None)

    def hide_sending(self) -> None:
        self.sending.reset()

    def start_sending(self) -> None:
        session = self._session()
        number = self.sending.number
        if session is None or self._job is not None or number is None:
            return
        pin = self.sending.pin.text()
        if not pin:
            self.sending.message.setText(w.NEED_PIN)
            return
        sending = Sending(session.actor, pin, number, self.sending.targets())
        self.sending.pin.clear()  # asked again for each try
        self.sending.message.setText(w.SENDING)
        self.sending.send.setEnabled(False)
        self._run(_retargeting(sending), lambda result: self._sent(sending, result))

    def _sent(self, sending: Sending, result: object) -> None:
        self.sending.send.setEnabled(True)
        if isinstance(result, Sending):
            self.hide_sending()
            targets = publish.targets_text(sending.targets)
            self.outcome.setText(w.SENT.format(number=sending.number, targets=targets))
            self.refresh()
        elif isinstance(result, SignInError):
            self.sending.message.setText(result.reason)
        else:
            error = str(result).strip()
            self.sending.message.setText(w.SEND_FAILED.format(number=sending.number, error=error))

    def _run(self, work: Work, done: Callable[[object], None]) -> None:
        """``work`` on a thread with its own connection; ``done`` with its result here,
        unless the member signed out meanwhile. One at a time."""
        job = Background(self._url, work)

        def finished(result: object) -> None:
            if self._job is not job:
                return  # signed out meanwhile
            self._job = None
            self._enable_sending()
            done(result)

        job.done.connect(finished)
        self._job = job
        self._enable_sending()
        job.start()

    def show_form(self) -> None:
        self.hide_sending()
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
        self._run(_publishing(request), lambda result: self._done(result, request))

    def _done(self, result: object, request: Request) -> None:
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
        self.hide_sending()
        self._shown, self._groups = [], []
        self.revisions.setRowCount(0)
        self.runs.setRowCount(0)
        self.message.clear()
        self.outcome.clear()
        self._enable_sending()
