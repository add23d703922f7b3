"""What arrives while the window is open, on a connection of its own in a thread, so
the window refreshes without polling: ``LISTEN enquiries`` for new enquiries and
``LISTEN alerts`` for crisis alerts (the schema's triggers send ``NOTIFY`` on every
insert; the payload is a kiosk's role, nothing personal).

Alerts are also read here, not in the window: at start, on each notification and
every ``ALERT_POLL_S`` (a notification lost while the connection was down, or
another office's acknowledgement, which sends none), so a server that is slow or
away never stalls the window."""

from __future__ import annotations

import threading
import time

import psycopg
from PySide6.QtCore import QObject, Signal

from kiosk.office import inbox

WAIT_S = 0.5  # how long one wait for a notification lasts: how soon stop() is heard
STOP_S = 2.5  # how long stop() waits for the thread (a connect or a query may be under way)
RETRY_S = 2.0  # after the server went away
ALERT_POLL_S = 5.0


class Listener(QObject):
    """``arrived`` (an enquiry) and ``alerts`` (the open alerts, a list of
    ``inbox.Alert``) are emitted in the listening thread; Qt queues them to the
    window's. ``enquiries`` / ``alerts`` choose what it listens for."""

    arrived = Signal()
    alerts = Signal(object)

    def __init__(self, url: str, *, enquiries: bool = True, alerts: bool = False) -> None:
        super().__init__()
        self._url = url
        self._enquiries = enquiries
        self._alerts = alerts
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="office-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=STOP_S)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True) as conn:
                    if self._enquiries:
                        conn.execute("LISTEN enquiries")
                        # Something may have come while we were away: refresh once.
                        self.arrived.emit()
                    if self._alerts:
                        conn.execute("LISTEN alerts")
                    next_poll = 0.0
                    while not self._stop.is_set():
                        if self._alerts and time.monotonic() >= next_poll:
                            self.alerts.emit(inbox.open_alerts(conn))
                            next_poll = time.monotonic() + ALERT_POLL_S
                        channels = {n.channel for n in conn.notifies(timeout=WAIT_S)}
                        if "enquiries" in channels:
                            self.arrived.emit()
                        if "alerts" in channels:
                            next_poll = 0.0  # read them now
            except psycopg.Error:
                self._stop.wait(RETRY_S)
