"""New enquiries as they arrive: ``LISTEN enquiries`` on a connection of its own, in a
thread, so the window refreshes without polling (the schema's trigger sends
``NOTIFY enquiries`` on every insert; the payload is a kiosk's role, nothing
personal)."""

from __future__ import annotations

import threading

import psycopg
from PySide6.QtCore import QObject, Signal

WAIT_S = 0.5  # how long one wait for a notification lasts: how soon stop() is heard
RETRY_S = 2.0  # after the server went away


class Listener(QObject):
    """``arrived`` is emitted (in the listening thread; Qt queues it to the window's)."""

    arrived = Signal()

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="office-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5 * WAIT_S)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True) as conn:
                    conn.execute("LISTEN enquiries")
                    # Something may have come while we were away: refresh once.
                    self.arrived.emit()
                    while not self._stop.is_set():
                        if any(True for _ in conn.notifies(timeout=WAIT_S)):
                            self.arrived.emit()
            except psycopg.Error:
                self._stop.wait(RETRY_S)
