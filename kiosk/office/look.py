""" "Show me this kiosk's screen" (issue 16, point 4): the office asks, the kiosk
answers with its screen's name and, when no patient is typing, a picture of it with
every field blanked, sealed to the clinic's public key.

Both sides are here, in plain Python (the picture is made by ``kiosk.ui.remote_look``
on the kiosk's GUI thread and handed over as bytes):

- the kiosk's: ``Looks``, run by the sender's thread (``kiosk.office.outbox``): every
  ``POLL_S`` while the link is up it asks ``kiosk_screen_request()`` (its own open
  request, nothing else) and answers through ``kiosk_screen_answer(…)``. A short poll
  rather than LISTEN: the sender's thread sleeps on an event a patient's Send wakes,
  not on its socket, and a second connection and thread per kiosk for a rare request
  would cost more than one indexed query every two seconds;
- the office's: ``ask``, ``answer`` and ``cancel``, each audited in the office's
  hash-chained log (who asked; what came back: the screen's name and whether there
  was a picture, never the picture).

The server holds only the sealed picture: neither a kiosk's role nor the office's
reads it without a staff member's PIN (the clinic key, unwrapped in the office app).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import psycopg
import psycopg.errors

from kiosk.enquiries.keys import Sealer
from kiosk.office import audit

log = logging.getLogger("kiosk.office.look")

Conn = psycopg.Connection[Any]

#: How often an enrolled kiosk asks for an open request while its link is up.
POLL_S = 2.0
#: How long the sender's thread waits for the GUI thread's picture.
TAKE_TIMEOUT_S = 5.0
#: How long the office waits for an answer before saying none came (the kiosk asks
#: every ``POLL_S``; the server forgets a request after a minute).
ANSWER_WAIT_S = 30
SCREEN_MAX = 200


class Shown(Protocol):
    """What the kiosk's screen gave: its name, and the blanked picture (PNG) or None
    (a patient typing, the staff panel open)."""

    @property
    def screen(self) -> str: ...

    @property
    def picture(self) -> bytes | None: ...


# -- the kiosk's side --------------------------------------------------------------------


class Looks:
    """The kiosk's answers, asked of by the sender's thread each round (``poll``)."""

    def __init__(
        self,
        take: Callable[[], Shown | None],
        sealer: Sealer,
        *,
        poll_s: float = POLL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._take = take
        self._sealer = sealer
        self._poll_s = poll_s
        self._clock = clock
        self._next = 0.0
        self._missing = False  # an office database without the functions: said once

    def poll(self, conn: Conn) -> bool:
        """Answer the kiosk's open request when it is time to look; True when one was
        answered now. Raises psycopg's errors (the sender backs off as for a send)."""
        if self._missing or self._clock() < self._next:
            return False
        self._next = self._clock() + self._poll_s
        try:
            with conn.transaction():
                row = conn.execute("SELECT kiosk_screen_request()").fetchone()
        except psycopg.errors.UndefinedFunction:
            self._missing = True
            log.warning(
                "The office database has no kiosk_screen_request(): run 'kiosk office init'"
                " there again. The office cannot look at this kiosk's screen until then."
            )
            return False
        if row is None or row[0] is None:
            return False
        request = int(row[0])
        shown = self._take()
        if shown is None:  # the GUI thread did not answer in time (busy, or quitting)
            return False
        sealed = self._sealer.seal(shown.picture) if shown.picture is not None else None
        with conn.transaction():
            conn.execute(
                "SELECT kiosk_screen_answer(%s, %s, %s)",
                (request, shown.screen[:SCREEN_MAX], sealed),
            )
        log.info(
            "office look: answered request %d (%s, %s)",
            request,
            shown.screen,
            "a picture" if sealed is not None else "no picture",
        )
        return True


# -- the office's side -------------------------------------------------------------------


class LookError(Exception):
    """The request could not be made; ``str()`` says why."""


@dataclass(frozen=True)
class Answer:
    """A kiosk's answer as the server holds it: the picture still sealed."""

    screen: str
    answered_at: datetime
    picture_sealed: bytes | None


def ask(conn: Conn, kiosk_name: str, actor: str) -> int:
    """Ask the kiosk named ``kiosk_name`` for its screen; the request's id. Audited."""
    with conn.transaction():
        row = conn.execute(
            "INSERT INTO screen_requests (kiosk, asked_by)"
            " SELECT role, %s FROM kiosks WHERE name = %s RETURNING id",
            (actor, kiosk_name),
        ).fetchone()
        if row is None:
            raise LookError(f"There is no kiosk called {kiosk_name!r}.")
        request = int(row[0])
        audit.append(conn, actor, "screen-look-asked", kiosk_name, {"request": request})
    return request


def answer(conn: Conn, request: int, actor: str) -> Answer | None:
    """The kiosk's answer to ``request`` (None: none yet). When there is one, the audit
    log gets what came back (the screen's name, a picture or not; never the picture):
    call it until it answers, then no more."""
    with conn.transaction():
        row = conn.execute(
            "SELECT r.screen, r.answered_at, r.picture_sealed, k.name FROM screen_requests r"
            " JOIN kiosks k ON k.role = r.kiosk WHERE r.id = %s AND r.answered_at IS NOT NULL",
            (request,),
        ).fetchone()
        if row is None:
            return None
        screen, answered_at, sealed, kiosk_name = row
        found = Answer(str(screen or ""), answered_at, None if sealed is None else bytes(sealed))
        audit.append(
            conn,
            actor,
            "screen-look-answered",
            str(kiosk_name),
            {"request": request, "screen": found.screen, "picture": sealed is not None},
        )
    return found


def cancel(conn: Conn, request: int, actor: str, why: str) -> None:
    """Stop waiting (``why``: "cancelled", "no answer"): the kiosk no longer answers it.
    Audited."""
    with conn.transaction():
        row = conn.execute(
            "UPDATE screen_requests r SET cancelled_at = now() FROM kiosks k"
            " WHERE r.id = %s AND k.role = r.kiosk AND r.answered_at IS NULL"
            " AND r.cancelled_at IS NULL RETURNING k.name",
            (request,),
        ).fetchone()
        if row is not None:
            audit.append(
                conn, actor, "screen-look-cancelled", str(row[0]), {"request": request, "why": why}
            )
