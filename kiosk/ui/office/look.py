"""The office app's "Show me this kiosk's screen" (issue 16, point 4): asks the kiosk
(``kiosk.office.look.ask``, audited), waits for its answer with the seconds counted
down and Cancel, then shows the picture, opened with the session's clinic key in
memory only, with the screen's name and the time; or only the name, when the kiosk
sent no picture (a patient typing, staff mode open)."""

from __future__ import annotations

import contextlib

import psycopg
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QImage, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.enquiries.keys import KeysError
from kiosk.office import look
from kiosk.ui.office import words as w
from kiosk.ui.office.session import Session
from kiosk.ui.office.trouble import said
from kiosk.ui.widgets import button, plain_label

POLL_MS = 500
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: The picture at most this size in the dialog, and at most most of the office's screen.
SHOWN_MAX = (1280, 800)


class LookDialog(QDialog):
    """One look at one kiosk: asked when made; ``answered`` once it came (or not)."""

    def __init__(
        self,
        session: Session,
        kiosk_name: str,
        parent: QWidget | None = None,
        *,
        wait_s: int = look.ANSWER_WAIT_S,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(w.LOOK_TITLE.format(kiosk=kiosk_name))
        self._session = session
        self._kiosk = kiosk_name
        self._wait_s = wait_s
        self._left = wait_s
        self._request: int | None = None
        self.answer: look.Answer | None = None
        self.status = plain_label("", "officeMessage")
        self.status.setWordWrap(True)
        self.picture = QLabel()
        self.picture.setAccessibleName(w.LOOK_PICTURE)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.hide()
        self.cancel_button = button(w.CANCEL)
        self.cancel_button.clicked.connect(self.reject)
        self.close_button = button(w.CLOSE)
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        column = QVBoxLayout(self)
        column.addWidget(self.status)
        column.addWidget(self.picture, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.close_button)
        column.addLayout(row)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._check)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        try:
            self._request = look.ask(session.conn, kiosk_name, session.actor)
        except look.LookError as exc:
            self._finish(w.LOOK_FAILED.format(error=str(exc)))
            return
        except psycopg.Error as exc:
            self._finish(w.LOOK_FAILED.format(error=said(exc)))
            return
        self._show_left()
        self._poll.start()
        self._countdown.start()

    @property
    def waiting(self) -> bool:
        return self._request is not None

    def _show_left(self) -> None:
        self.status.setText(w.LOOK_WAITING.format(kiosk=self._kiosk, left=self._left))

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self._show_left()
            return
        self._stop_waiting("no answer")
        self._finish(w.LOOK_NO_ANSWER.format(kiosk=self._kiosk, seconds=self._wait_s))

    def _check(self) -> None:
        if self._request is None:
            return
        try:
            found = look.answer(self._session.conn, self._request, self._session.actor)
        except psycopg.Error as exc:
            self._request = None
            self._finish(w.LOOK_FAILED.format(error=said(exc)))
            return
        if found is None:
            return
        self._request = None
        self.answer = found
        at = found.answered_at.astimezone().strftime("%H:%M:%S")
        words = w.LOOK_ANSWER.format(screen=found.screen, at=at)
        image = self._opened(found.picture_sealed)
        if image is None:
            self._finish(f"{words}\n{w.LOOK_NO_PICTURE}")
            return
        shown = QPixmap.fromImage(image)
        # Down to the office's screen (800x600 at least): the words and Close stay on it.
        area = self.screen().availableGeometry()
        limit = QSize(
            min(SHOWN_MAX[0], area.width() * 8 // 10), min(SHOWN_MAX[1], area.height() * 7 // 10)
        )
        if shown.width() > limit.width() or shown.height() > limit.height():
            shown = shown.scaled(
                limit,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.picture.setPixmap(shown)
        self.picture.show()
        self._finish(words)

    def _opened(self, sealed: bytes | None) -> QImage | None:
        """The picture opened with the clinic key, in memory (None: none came, or it
        is not a PNG sealed to this clinic)."""
        if sealed is None:
            return None
        try:
            data = self._session.opener.open(sealed)
        except KeysError:
            return None
        image = QImage.fromData(data) if data.startswith(PNG_MAGIC) else QImage()
        return None if image.isNull() else image

    def _finish(self, text: str) -> None:
        self._poll.stop()
        self._countdown.stop()
        self.status.setText(text)
        self.cancel_button.hide()
        self.close_button.show()
        self.adjustSize()

    def _stop_waiting(self, why: str) -> None:
        """Tell the server no answer is wanted any more (audited); the kiosk then
        answers nothing."""
        request, self._request = self._request, None
        if request is None:
            return
        # A failure is let go: the server forgets an open request after a minute anyway.
        with contextlib.suppress(psycopg.Error):
            look.cancel(self._session.conn, request, self._session.actor, why)

    def reject(self) -> None:
        self._stop_waiting("cancelled")
        self._poll.stop()
        self._countdown.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_waiting("cancelled")
        super().closeEvent(event)
