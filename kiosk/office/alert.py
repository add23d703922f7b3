"""A patient's "Get a staff member" on the crisis card: an alert to the office, and
whether a member of staff acknowledged it (issue 14 point 5).

The alert row holds the kiosk (its login, by default) and the time, nothing
about the patient. The kiosk learns of the acknowledgement through
``kiosk_alert_acknowledged(alert_key)`` (``kiosk.office.admin``): a function
that answers for the asking kiosk's own alert only; the kiosk's role still
reads no table.

Each alert runs on a thread of its own with a connection of its own, so a
patient's tap never waits on the network and the sender's backoff (a batch
being retried) never delays an alert. The answer is ``True`` only once the
office acknowledged; a failure to insert, or no acknowledgement by the
deadline, is ``False``: the tablet never says someone was told when no one was.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import suppress

import psycopg

from kiosk.office.link import Link
from kiosk.office.outbox import Sender

log = logging.getLogger("kiosk.office.alert")

TIMEOUT_S = 20.0  # the "after 20 s without it"
POLL_S = 1.0  # how often the kiosk asks whether the office acknowledged


def link_up(sender: Sender) -> bool:
    """Whether an alert is worth offering: the last heartbeat went through and the
    sender's last round did too (a server that went away since says so here)."""
    return sender.last_beat_ok and sender.status.state == "sent"


def raise_and_wait(
    link: Link,
    alert_key: str,
    *,
    timeout_s: float = TIMEOUT_S,
    poll_s: float = POLL_S,
    stop: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """Insert the alert, then ask every ``poll_s`` until the office acknowledged it
    (True) or ``timeout_s`` passed, the server failed or ``stop`` was set (False)."""
    stop = stop or threading.Event()
    deadline = clock() + timeout_s
    try:
        with psycopg.connect(**link.connect_args(timeout=min(timeout_s, 5.0))) as conn:
            with conn.transaction():
                conn.execute("INSERT INTO alerts (alert_key) VALUES (%s)", (alert_key,))
            log.warning(
                "Crisis alert %s sent to the office; waiting for the front desk.", alert_key
            )
            while not stop.is_set():
                row = conn.execute("SELECT kiosk_alert_acknowledged(%s)", (alert_key,)).fetchone()
                conn.commit()  # each question in a transaction of its own: a fresh answer
                if row is not None and row[0] is not None:
                    log.info("Crisis alert %s acknowledged by the office.", alert_key)
                    return True
                left = deadline - clock()
                if left <= 0:
                    break
                stop.wait(min(poll_s, left))
    except psycopg.Error as exc:
        log.error("Crisis alert %s could not reach the office: %s", alert_key, exc)
        return False
    log.error("Crisis alert %s: no acknowledgement from the office in time.", alert_key)
    return False


class Alerter:
    """What the crisis card uses on an enrolled kiosk: whether to offer the button,
    and raising an alert (``start``; ``done(acknowledged)`` is called on the alert's
    thread, once)."""

    def __init__(
        self,
        sender: Sender,
        *,
        timeout_s: float = TIMEOUT_S,
        poll_s: float = POLL_S,
    ) -> None:
        self._sender = sender
        self.timeout_s = timeout_s
        self._poll_s = poll_s
        self._stop = threading.Event()

    def available(self) -> bool:
        return link_up(self._sender)

    def start(self, done: Callable[[bool], None]) -> None:
        # A new key per tap: random, nothing about the patient.
        alert_key = f"{self._sender.link.role}-{secrets.token_hex(8)}"
        self._stop = threading.Event()
        stop = self._stop

        def run() -> None:
            answer = False
            try:
                answer = raise_and_wait(
                    self._sender.link,
                    alert_key,
                    timeout_s=self.timeout_s,
                    poll_s=self._poll_s,
                    stop=stop,
                )
            finally:
                with suppress(RuntimeError):  # the window is gone (the kiosk is closing)
                    done(answer)

        threading.Thread(target=run, name="office-alert", daemon=True).start()

    def cancel(self) -> None:
        """Stop asking (the next patient): the office still sees the alert."""
        self._stop.set()
