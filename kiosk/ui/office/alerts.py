"""Crisis alerts at the top of the office window: red, the kiosk's name and how long
ago, an "Acknowledge" button each, and a sound repeating until none is left open.

Fed by the window's alerts listener (``listener.Listener(alerts=True)``: ``NOTIFY
alerts`` and a poll as fallback), from the moment the window opens: an office
left on the sign-in page still sounds. Acknowledging needs a member signed in:
it is ``inbox.acknowledge``, audited, and what lets the kiosk tell the patient
that the front desk knows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtMultimedia import QSoundEffect
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.office import inbox
from kiosk.paths import resource_dir
from kiosk.ui.office import words as w
from kiosk.ui.office.session import Session
from kiosk.ui.office.trouble import said
from kiosk.ui.widgets import button, plain_label

AGES_MS = 15_000  # "2 min ago" kept true
SOUND = "alert.wav"

STYLE = """
#officeAlerts { background: #b3261e; }
#officeAlerts QLabel { color: white; font-weight: bold; font-size: 13pt; }
"""


def ago(raised_at: datetime, now: datetime) -> str:
    seconds = max(0, int((now - raised_at).total_seconds()))
    if seconds < 60:
        return w.JUST_NOW
    minutes = seconds // 60
    if minutes < 60:
        return w.MINUTES_AGO.format(n=minutes)
    return w.HOURS_AGO.format(n=minutes // 60, m=minutes % 60)


class AlertBanner(QWidget):
    """Hidden while no alert is open; ``session`` gives the signed-in member (or None)."""

    def __init__(self, session: Callable[[], Session | None]) -> None:
        super().__init__()
        self.setObjectName("officeAlerts")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)
        self._session = session
        # Acknowledged here: a list the listener read just before is not shown again.
        self._acknowledged: set[int] = set()
        self.alerts: list[inbox.Alert] = []
        self.rows: dict[int, tuple[QLabel, QPushButton]] = {}
        self._column = QVBoxLayout(self)
        self.message = plain_label("", "officeMessage")
        self.message.hide()
        self._column.addWidget(self.message)
        # Made at the first alert: Qt's audio back-end is not loaded (nor its
        # start-up time spent) on an office PC that never has one.
        self._sound: QSoundEffect | None = None
        self._ages = QTimer(self)
        self._ages.setInterval(AGES_MS)
        self._ages.timeout.connect(self._show_ages)
        #: The sound was started and not stopped since (an office PC without audio
        #: plays nothing, but the banner is just as red).
        self.sounding = False
        self.hide()

    @property
    def sound(self) -> QSoundEffect:
        if self._sound is None:
            self._sound = QSoundEffect(self)
            self._sound.setSource(QUrl.fromLocalFile(str(resource_dir() / "sounds" / SOUND)))
            self._sound.setLoopCount(QSoundEffect.Loop.Infinite.value)
        return self._sound

    def show_alerts(self, alerts: list[inbox.Alert]) -> None:
        """The open alerts, as the listener last read them."""
        self._show([a for a in alerts if a.id not in self._acknowledged])

    def signed_in_or_out(self) -> None:
        """Acknowledge works only for a member signed in (it is audited in their name)."""
        self._show(self.alerts)

    def acknowledge(self, alert_id: int) -> None:
        session = self._session()
        if session is None:
            return
        try:
            inbox.acknowledge(session.conn, alert_id, actor=session.actor)
            self._acknowledged.add(alert_id)
            alerts = inbox.open_alerts(session.conn)
        except psycopg.Error as exc:
            self.message.setText(w.ACKNOWLEDGE_FAILED.format(error=said(exc)))
            self.message.show()
            return
        self._show(alerts)

    def _show(self, alerts: list[inbox.Alert]) -> None:
        self.alerts = alerts
        wanted = {a.id for a in alerts}
        for alert_id in [i for i in self.rows if i not in wanted]:
            label, ack = self.rows.pop(alert_id)
            row = label.parentWidget()
            assert row is not None
            row.deleteLater()
        for alert in alerts:
            if alert.id not in self.rows:
                self.rows[alert.id] = self._row(alert.id)
        self._show_ages()
        signed_in = self._session() is not None
        for _, ack in self.rows.values():
            ack.setEnabled(signed_in)
        # Said while no one can acknowledge; a failure to acknowledge is said by
        # ``acknowledge`` and goes with the next list read.
        self.message.setText("" if signed_in else w.SIGN_IN_TO_ACKNOWLEDGE)
        self.message.setVisible(not signed_in)
        self.setVisible(bool(alerts))
        if alerts and not self.sounding:
            self.sound.play()
            self._ages.start()
        elif not alerts and self.sounding:
            self.sound.stop()
            self._ages.stop()
        self.sounding = bool(alerts)

    def _row(self, alert_id: int) -> tuple[QLabel, QPushButton]:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        label = plain_label("", "officeAlert")
        label.setWordWrap(True)
        ack = button(w.ACKNOWLEDGE)
        ack.clicked.connect(lambda _=False: self.acknowledge(alert_id))
        line.addWidget(label, 1)
        line.addWidget(ack)
        self._column.insertWidget(self._column.count() - 1, row)
        return label, ack

    def _show_ages(self) -> None:
        now = datetime.now(UTC)
        for alert in self.alerts:
            label, _ = self.rows[alert.id]
            label.setText(w.ALERT_LINE.format(kiosk=alert.kiosk, ago=ago(alert.raised_at, now)))
