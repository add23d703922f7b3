"""The tablet's outbox: the sender that pushes sealed enquiries to the office.

The SQLite store stays the durable outbox: a patient's Send is a local commit
and never waits on the network. This module, on its own thread, numbers the
rows sealed to the clinic's key (``seq`` 1, 2, 3..., once, in a local
transaction), signs each (Ed25519 over the kiosk's role, seq, form key, topic,
key id and sealed bytes), and sends them in batches::

    INSERT ... ON CONFLICT (form_key) DO NOTHING

A row is marked sent in SQLite only after PostgreSQL committed it; a crash
between the two sends it again, and the conflict clause makes that a no-op:
never lost, never twice. While the server is away it retries with backoff
(1 s doubling to a minute, never more: a server back after an hour is tried
within a minute); a refused login (the kiosk revoked), a certificate that does
not verify or a server whose disk is full is said once in the log, in words, and
kept in ``status`` (its state, the reason as a word the staff panel translates,
since when, what waits) for the staff panel and the heartbeat. Every
``heartbeat.INTERVAL_S`` it also sends a heartbeat.

Numbers are never given twice: the next ``seq`` follows the highest of the
store's own, the mark kept beside the enrolment (``link.last_seq``) and what
the office holds from this kiosk (``kiosk_last_seq()``), so a store set aside
as damaged and started anew goes on from where the kiosk was.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

import nacl.signing
import psycopg
import psycopg.errors

from kiosk.enquiries.database import DatabaseFile, describe, rollback
from kiosk.enquiries.database import close as close_database
from kiosk.office import heartbeat
from kiosk.office.link import Link, last_seq, save_last_seq
from kiosk.office.look import Looks
from kiosk.office.trouble import first_line, trouble_of, unreachable

log = logging.getLogger("kiosk.office.outbox")

State = Literal["starting", "sent", "waiting", "full", "refused", "untrusted"]
#: Why the state is not "sent", for the staff panel's words ("": it is, or starting).
#: "revoked" goes with "refused"; the others with "waiting", "full" or "untrusted".
Reason = Literal[
    "",
    "revoked",
    "untrusted",
    "full",
    "duplicate",
    "outbox",
    "not-answering",
    "timeout",
    "unknown-name",
    "no-network",
    "other",
]

BATCH = 100
INITIAL_BACKOFF_S = 1.0
MAX_BACKOFF_S = 60.0
# A look at the local outbox a second while idle (an indexed query): an enquiry is
# in the office within about a second of the patient's Send when the link is up.
IDLE_POLL_S = 1.0
# SQLSTATE classes of a server that did not take the statement: connection,
# authorisation, shutting down.
_NOT_ANSWERED = ("08", "28", "57")


def signed_message(
    kiosk: str, seq: int, form_key: str, topic: str, key_id: str, sealed: bytes
) -> bytes:
    """The bytes a kiosk signs for one row: each field length-prefixed, so no two
    different rows can give the same bytes."""
    parts = [
        b"kiosk-enquiry-v1",
        *(s.encode("utf-8") for s in (kiosk, str(seq), form_key)),
        topic.encode("utf-8"),
        key_id.encode("utf-8"),
        bytes(sealed),
    ]
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)


class Revisions(Protocol):
    """Published revisions (``kiosk.office.apply.Updater``), driven by the sender."""

    def tick(self) -> None:
        """Every round, the link up or not."""

    def after_beat(self, conn: psycopg.Connection[Any]) -> None:
        """After a heartbeat went through on ``conn``; raises psycopg errors only."""


@dataclass(frozen=True)
class OutgoingRow:
    id: int
    seq: int
    form_key: str
    created_at: str
    topic: str
    key_id: str
    sealed: bytes


class LocalOutbox:
    """The tablet's side, in the SQLite store: numbering, the unsent rows, marking sent.

    Its own connection (the sender's thread), opened through ``DatabaseFile``,
    so the file is checked and migrated as the store would.
    """

    def __init__(self, store_path: Path, key_id: str, busy_timeout: float = 5.0) -> None:
        self._file = DatabaseFile(Path(store_path), busy_timeout, self._problem)
        self._key_id = key_id
        self._conn: sqlite3.Connection | None = None

    @staticmethod
    def _problem(message: str, level: int) -> None:
        log.log(level, "%s", message)

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._file.open()
        return self._conn

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> None:
        conn = self._db()
        try:
            conn.execute("BEGIN IMMEDIATE")
            work(conn)
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise

    def needs_numbers(self) -> bool:
        """Whether a row sealed to the clinic's key waits for its ``seq``."""
        found = (
            self._db()
            .execute(
                "SELECT 1 FROM enquiries"
                " WHERE seq IS NULL AND sent_at IS NULL AND key_id = ? LIMIT 1",
                (self._key_id,),
            )
            .fetchone()
        )
        return found is not None

    def number(self, floor: int = 0) -> int:
        """Give every row sealed to the clinic's key and not yet numbered the next ``seq``,
        after the store's highest and ``floor``; returns the highest now given (0: none)."""
        top = 0

        def assign(conn: sqlite3.Connection) -> None:
            nonlocal top
            (local,) = conn.execute("SELECT coalesce(max(seq), 0) FROM enquiries").fetchone()
            start = max(int(local), floor)
            ids = conn.execute(
                "SELECT id FROM enquiries WHERE seq IS NULL AND sent_at IS NULL AND key_id = ?"
                " ORDER BY id",
                (self._key_id,),
            ).fetchall()
            conn.executemany(
                "UPDATE enquiries SET seq = ? WHERE id = ?",
                [(start + n, row_id) for n, (row_id,) in enumerate(ids, start=1)],
            )
            top = start + len(ids) if ids else 0

        self._write(assign)
        return top

    def forget_numbers(self) -> None:
        """Take every row's ``seq`` away, before the tablet enrols as a new kiosk:
        numbers belong to the enrolment that gave them. Those it sent keep none
        (they are the old kiosk's, at the office); those it kept unsent are numbered
        again by the new one, from 1, so the office counts the new kiosk's numbers
        with no gap where the old one's were."""
        self._write(
            lambda conn: conn.execute("UPDATE enquiries SET seq = NULL WHERE seq IS NOT NULL")
        )

    def unsent(self, limit: int) -> list[OutgoingRow]:
        rows = (
            self._db()
            .execute(
                "SELECT id, seq, form_key, created_at, topic, key_id, sealed FROM enquiries"
                " WHERE sent_at IS NULL AND seq IS NOT NULL ORDER BY seq LIMIT ?",
                (limit,),
            )
            .fetchall()
        )
        return [OutgoingRow(*row) for row in rows]

    def mark_sent(self, ids: list[int]) -> datetime:
        """Mark ``ids`` sent now; returns that time."""
        now = datetime.now(UTC).replace(microsecond=0)
        stamp = now.isoformat()
        self._write(
            lambda conn: conn.executemany(
                "UPDATE enquiries SET sent_at = ? WHERE id = ?", [(stamp, i) for i in ids]
            )
        )
        return now

    def last_sent(self) -> datetime | None:
        """When a row was last marked sent (None: never): read once at start, since the
        sender keeps it from then on."""
        (stamp,) = self._db().execute("SELECT max(sent_at) FROM enquiries").fetchone()
        return _when(stamp)

    def depth(self) -> tuple[int, str | None]:
        """How many rows wait (sealed to the clinic, not sent), and the oldest one's time."""
        n, oldest = (
            self._db()
            .execute(
                "SELECT count(*), min(created_at) FROM enquiries"
                " WHERE sent_at IS NULL AND key_id = ?",
                (self._key_id,),
            )
            .fetchone()
        )
        return int(n), oldest

    def close(self) -> None:
        if self._conn is not None:
            close_database(self._conn)
            self._conn = None


def _when(stamp: str | None) -> datetime | None:
    """A stored time (ISO 8601, UTC) as a datetime; None when missing or unreadable."""
    try:
        return datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


@dataclass(frozen=True)
class SendStatus:
    """How the link is doing, for the staff panel and the log (never personal data).

    ``message`` is the log's sentence (English, with the server's own words);
    ``reason`` is the same in one word, for the panel to say in the clinic's
    language. ``since`` is when the state began (UTC), kept while it lasts: "cannot
    reach the server since 10:30". ``unsent`` and ``oldest_unsent``: what waits on
    the tablet (-1: the outbox could not be read); ``last_sent_at``: when a row last
    went (None: never)."""

    state: State
    message: str
    sent_total: int = 0
    unsent: int = 0
    reason: Reason = ""
    since: datetime | None = None
    oldest_unsent: datetime | None = None
    last_sent_at: datetime | None = None


def _classify(exc: BaseException) -> tuple[State, Reason, str]:
    text = first_line(exc)
    trouble = trouble_of(exc)
    if trouble in ("login", "permission"):
        # What `kiosk office revoke-kiosk` does: NOLOGIN (a new connection is refused)
        # and its INSERT taken away (a connection still open is denied).
        return (
            "refused",
            "revoked",
            f"The office server refused this kiosk ({text}): its access was probably revoked "
            f"('kiosk office revoke-kiosk'). Enquiries stay on the tablet, unsent, until the "
            f"clinic's administrator enrols it again ('kiosk enrol').",
        )
    if trouble == "full":
        return (
            "full",
            "full",
            f"The office server's disk is full ({text}). Enquiries wait on the tablet, "
            f"unsent, and are sent when the server has room again.",
        )
    if isinstance(exc, psycopg.errors.UniqueViolation):
        return (
            "waiting",
            "duplicate",
            f"The office already has an enquiry with one of this kiosk's numbers ({text}). "
            f"Enquiries wait on the tablet, unsent; tell the clinic's administrator.",
        )
    if trouble == "untrusted":
        return (
            "untrusted",
            "untrusted",
            f"The office server could not be trusted ({text}): its certificate is not the "
            f"clinic's, or names another server. Nothing was sent.",
        )
    # Not answering, or an answer the panel has no word of its own for ("other").
    reason: Reason = unreachable(str(exc).lower())
    return (
        "waiting",
        reason,
        f"The office server cannot be reached ({text}). Enquiries wait on the tablet and "
        f"are sent when it is back.",
    )


def _server_answered(exc: BaseException) -> bool:
    """Whether the server took the login and refused the statement itself (an SQLSTATE
    outside connection, authorisation and shutdown): then a heartbeat may still go."""
    state = str(getattr(exc, "sqlstate", None) or "")
    return isinstance(exc, psycopg.Error) and bool(state) and state[:2] not in _NOT_ANSWERED


class Sender:
    """Sends the outbox to the office, off the GUI thread; ``status`` for the staff panel."""

    def __init__(
        self,
        link: Link,
        store_path: Path,
        facts: heartbeat.KioskFacts | None = None,
        *,
        batch: int = BATCH,
        poll_s: float = IDLE_POLL_S,
        initial_backoff_s: float = INITIAL_BACKOFF_S,
        max_backoff_s: float = MAX_BACKOFF_S,
        heartbeat_s: float = heartbeat.INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
        looks: Looks | None = None,
        revisions: Revisions | None = None,
    ) -> None:
        self.link = link
        self._looks = looks  # "Show me this kiosk's screen", answered between rounds
        self._revisions = revisions
        self._data_dir = Path(store_path).parent
        self._outbox = LocalOutbox(store_path, link.key_id)
        self._facts = facts
        self._batch = batch
        self._poll_s = poll_s
        self._initial_backoff_s = initial_backoff_s
        self._max_backoff_s = max_backoff_s
        self._heartbeat_s = heartbeat_s
        self._clock = clock
        self._backoff = initial_backoff_s
        self._signing = nacl.signing.SigningKey(link.signing_seed)
        self._pg: psycopg.Connection[Any] | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._status = SendStatus(
            "starting", "The office link is starting.", since=datetime.now(UTC)
        )
        self._sent_total = 0
        self._last_sent_at: datetime | None = None
        self._last_sent_read = False  # read from the store once, on the sender's thread
        self._started = clock()
        self._next_beat = 0.0
        self.last_beat_ok = False
        self._views_from: date | None = None  # the last day whose counts the office has

    # -- the thread --------------------------------------------------------------------

    @property
    def status(self) -> SendStatus:
        with self._lock:
            return self._status

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="office-sender", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Send soon (a patient just pressed Send): called from the GUI thread."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            return  # the thread closes its own connections (SQLite's are per thread)
        self._close()

    def _close(self) -> None:
        self._close_pg()
        self._outbox.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self.step())
            self._wake.clear()
        self._close()

    def step(self) -> float:
        """One round of the thread: send a batch and a heartbeat if due (then published
        revisions); the seconds to wait before the next (a full batch: none; a fault:
        the backoff, doubled each time up to ``max_backoff_s``). A patient's Send wakes
        the thread before then."""
        if self._revisions is not None:
            try:
                self._revisions.tick()  # the link up or not: a rollback needs no server
            except Exception:
                log.exception("published revisions: the round failed")
        try:
            sent = self.send_once()
        except Exception as exc:  # the thread never dies: every fault is retried
            self._failed(exc)
            if _server_answered(exc):
                # A server that refused the INSERT (its disk full, a number it has)
                # still takes the heartbeat: the office then reads why, as its last error.
                with suppress(Exception):
                    self.beat_if_due()
            return self._back_off()
        try:
            if self.beat_if_due() and self._revisions is not None:
                self._revisions.after_beat(self._connection())
            self.look()
        except Exception as exc:
            self._failed(exc)
            return self._back_off()
        self._backoff = self._initial_backoff_s
        return 0.0 if sent >= self._batch else self._poll_s

    # -- one round ---------------------------------------------------------------------

    def _back_off(self) -> float:
        delay, self._backoff = self._backoff, min(self._backoff * 2, self._max_backoff_s)
        return delay

    def send_once(self) -> int:
        """Number, sign and send one batch; returns how many rows PostgreSQL committed
        (counting ones it had already). Raises on any fault (the caller backs off)."""
        self.number()
        rows = self._outbox.unsent(self._batch)
        if not rows:
            if self.status.state != "sent":
                # Nothing to send, but the link was down or is starting: ask the server,
                # so the staff panel does not say all is well before it is (nor a revoked
                # kiosk, between two heartbeats).
                self._reach()
            self._ok(0)
            return 0
        conn = self._connection()
        try:
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO enquiries (seq, form_key, created_at, topic, key_id, sealed,"
                    " signature) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (form_key) DO NOTHING",
                    [self._params(row) for row in rows],
                )
        except psycopg.Error:
            self._close_pg()
            raise
        # Only now, after PostgreSQL's COMMIT: a crash before this line sends
        # the batch again, which the conflict clause turns into nothing.
        self._last_sent_at = self._outbox.mark_sent([row.id for row in rows])
        self._last_sent_read = True
        self._ok(len(rows))
        return len(rows)

    def _reach(self) -> None:
        """A round trip to the office (``SELECT 1``); raises as a send would."""
        conn = self._connection()
        try:
            with conn.transaction():
                conn.execute("SELECT 1")
        except psycopg.Error:
            self._close_pg()
            raise

    def _params(self, row: OutgoingRow) -> tuple[object, ...]:
        message = signed_message(
            self.link.role, row.seq, row.form_key, row.topic, row.key_id, row.sealed
        )
        signature = self._signing.sign(message).signature
        return (
            row.seq,
            row.form_key,
            row.created_at,
            row.topic,
            row.key_id,
            bytes(row.sealed),
            bytes(signature),
        )

    def number(self) -> None:
        """Number the rows waiting for one, after every number this kiosk gave before."""
        if self._outbox.needs_numbers():
            floor = max(last_seq(self._data_dir), self._office_last_seq())
            save_last_seq(self._data_dir, self._outbox.number(floor))

    def _office_last_seq(self) -> int:
        """The highest number the office holds from this kiosk (0: none, or an office
        database from before ``kiosk_last_seq()``, said once in the log)."""
        conn = self._connection()
        try:
            with conn.transaction():
                row = conn.execute("SELECT kiosk_last_seq()").fetchone()
        except psycopg.errors.UndefinedFunction:
            log.warning(
                "The office database has no kiosk_last_seq(): run 'kiosk office init' there "
                "again. Numbering goes on from the tablet's own record."
            )
            return 0
        except psycopg.Error:
            self._close_pg()
            raise
        return int(row[0]) if row else 0

    def beat_if_due(self) -> bool:
        """Send a heartbeat when one is due; True when one was sent now."""
        if self._facts is None or self._clock() < self._next_beat:
            return False
        # Today's counts grow all day: from the last day sent, itself included.
        today = date.today()
        first = self._views_from or today - timedelta(days=heartbeat.PAGE_VIEW_DAYS - 1)
        try:
            views_taken = heartbeat.send(
                self._connection(), self.heartbeat(), self._facts.page_views(first)
            )
        except psycopg.Error:
            self.last_beat_ok = False
            self._close_pg()
            raise
        self.last_beat_ok = True
        if views_taken:
            self._views_from = today
        elif self._views_from is None:  # said once: the counts wait on the tablet
            self._views_from = first
            log.warning(
                "The office database does not take page views yet: run 'kiosk office init'"
                " there again. They stay counted on the tablet and are sent once it does."
            )
        self._next_beat = self._clock() + self._heartbeat_s
        return True

    def look(self) -> None:
        """Answer the office's open "Show me this kiosk's screen", when it is time to look."""
        if self._looks is None:
            return
        try:
            self._looks.poll(self._connection())
        except psycopg.Error:
            self._close_pg()
            raise

    def heartbeat(self) -> heartbeat.Heartbeat:
        assert self._facts is not None
        depth, oldest = self._outbox.depth()
        now = datetime.now(UTC)
        age = None
        if oldest:
            try:
                age = max(0.0, (now - datetime.fromisoformat(oldest)).total_seconds())
            except ValueError:
                age = None
        status = self.status
        return heartbeat.Heartbeat(
            sent_at=now,
            version=self._facts.version,
            content_fingerprint=self._facts.content_fingerprint(),
            outbox_depth=depth,
            oldest_unsent_s=age,
            last_error=None if status.state in ("sent", "starting") else status.message,
            free_disk=heartbeat.free_disk(self._facts.data_dir),
            uptime_s=self._clock() - self._started,
            last_touch=self._facts.last_touch(),
            topics=self._facts.topic_titles(),
        )

    # -- the connection and the status ---------------------------------------------------

    def _connection(self) -> psycopg.Connection[Any]:
        if self._pg is None or self._pg.closed or self._pg.broken:
            self._close_pg()
            self._pg = psycopg.connect(**self.link.connect_args())
        return self._pg

    def _close_pg(self) -> None:
        if self._pg is not None:
            with suppress(psycopg.Error):
                self._pg.close()
            self._pg = None

    def _backlog(self) -> tuple[int, datetime | None]:
        """What waits on the tablet: how many (-1: unreadable) and the oldest's time."""
        try:
            if not self._last_sent_read:
                self._last_sent_at = self._outbox.last_sent()
                self._last_sent_read = True
            n, oldest = self._outbox.depth()
        except (sqlite3.Error, OSError):
            return -1, None
        return n, _when(oldest)

    def _set(self, state: State, reason: Reason, message: str, level: int) -> None:
        unsent, oldest = self._backlog()
        with self._lock:
            before = self._status
            self._status = SendStatus(
                state,
                message,
                sent_total=self._sent_total,
                unsent=unsent,
                reason=reason,
                since=before.since if before.state == state else datetime.now(UTC),
                oldest_unsent=oldest,
                last_sent_at=self._last_sent_at,
            )
        # Said once per change of state or reason, not at every retry (whose server
        # words may differ): a server away for an hour is one line in the log, and
        # one when it is back; a revoked kiosk one, whether its login or its INSERT
        # was refused.
        if (before.state, before.reason) != (state, reason):
            log.log(level, "%s", message)

    def _ok(self, sent: int) -> None:
        self._sent_total += sent
        self._set("sent", "", "The office link is working.", logging.INFO)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, sqlite3.Error | OSError):
            state: State = "waiting"
            reason: Reason = "outbox"
            message = f"The tablet's outbox could not be read ({describe(exc)}); trying again."
        else:
            state, reason, message = _classify(exc)
        level = logging.WARNING if state in ("waiting", "full") else logging.ERROR
        self._set(state, reason, message, level)
