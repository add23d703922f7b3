"""The enquiry store: one SQLite file, with everything a person typed sealed.

Only what identifies nobody is in the clear: the row id, the form's random
key, the time (UTC), the status, the topic and the id of the key the row was
sealed to. The personal fields (name, phone, e-mail, message, contact method,
best time) are one JSON object sealed to the enquiries' public key
(``kiosk.enquiries.keys``): the kiosk can save them but never read them back. No
personal value is ever logged, put in an error message or written anywhere
else in the clear.

Durability is SQLite's: WAL with ``synchronous=FULL``, one explicit
``BEGIN IMMEDIATE`` transaction per save, and ``save()`` returns only after
COMMIT, so "thank you" is shown only for an enquiry that will survive a crash
or a power cut. The store never stops the kiosk: ``EnquiryStore()`` does not
raise, it records what went wrong in ``problems``; ``save()`` raises
``StoreError`` with a ``reason`` the form can turn into plain words, and the
next save tries again (reopening the file if need be) once the fault is gone.

Opening the file, checking it, setting a damaged one aside and migrating it
are ``kiosk.enquiries.database``'s; this module holds the queries.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.enquiries.database import (
    REASON_TEXT,
    DatabaseFile,
    StoreError,
    connect_read_only,
    describe,
    file_identity,
    primary_code,
    reason_for,
    rollback,
)
from kiosk.enquiries.database import close as close_database
from kiosk.enquiries.keys import KeysError
from kiosk.support.files import create_private, fsync_folder, utc_stamp

if TYPE_CHECKING:
    from kiosk.enquiries.keys import Opener, Sealer

__all__ = [
    "MAX_FORM_KEY",
    "MAX_TOPIC",
    "STATUSES",
    "EnquiryStore",
    "Saved",
    "StoreError",  # defined with the database file, caught by everyone as the store's
    "StoredEnquiry",
    "foreign_key_ids",
    "open_personal",
]

log = logging.getLogger("kiosk.enquiries.store")

STATUSES = ("new", "exported", "contacted")
MAX_FORM_KEY = 128
MAX_TOPIC = 200

# How long ``foreign_key_ids`` waits for a writer's lock before giving up.
_PEEK_TIMEOUT = 1.0

_COLUMNS = "id, form_key, created_at, status, topic, key_id, sealed"


@dataclass(frozen=True)
class Saved:
    """A saved enquiry; ``new`` is False when its form key had been saved before."""

    id: int
    created_at: str
    new: bool


@dataclass(frozen=True)
class StoredEnquiry:
    """One row; ``sealed`` opens only with the private key (``open_personal``)."""

    id: int
    form_key: str
    created_at: str
    status: str
    topic: str
    key_id: str
    sealed: bytes


def _utc_now() -> datetime:
    return datetime.now(UTC)


def enquiry_count(store_path: Path) -> int:
    """How many enquiries the database holds, read-only, never raising (0 when
    it is missing or cannot be read): for ``kiosk audit verify``, where
    enquiries with no audit log at all mean a log deleted."""
    return sum(foreign_key_ids(store_path, "").values())  # no key id is ""


def foreign_key_ids(store_path: Path, key_id: str) -> dict[str, int]:
    """How many stored enquiries were sealed to each key id other than ``key_id``.

    For the kiosk's start-up, after ``KeyRing.load_or_create`` made a new key
    pair: if the database already holds enquiries sealed to an older key, the
    keys file that opens them is missing, and only restoring it makes them
    readable again. That has to be said loudly, and only the database knows.

    The file is opened read-only (it is never changed, created or repaired
    here) and nothing is raised: a database that is missing, damaged, locked
    or not yet made answers ``{}``. Returns ``{key id: count}``, by key id.
    """
    path = Path(store_path)
    try:
        if not path.is_file():
            return {}
        conn = connect_read_only(path, _PEEK_TIMEOUT)
    except (sqlite3.Error, OSError, ValueError):
        return {}
    try:
        rows = conn.execute(
            "SELECT key_id, count(*) FROM enquiries WHERE key_id IS NOT ?"
            " GROUP BY key_id ORDER BY key_id",
            (key_id,),
        ).fetchall()
    except (sqlite3.Error, OSError, ValueError):
        return {}
    finally:
        with suppress(sqlite3.Error):
            conn.close()
    return {str(other): int(n) for other, n in rows}


def _plaintext(personal: Mapping[str, str]) -> bytes:
    """The personal fields as the bytes that are sealed: JSON, keys sorted, UTF-8."""
    data = dict(personal)
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise StoreError("failed", "An enquiry's personal fields must all be text; not saved.")
    try:
        return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (possible from a UTF-16 text field) has no UTF-8
        # form; JSON's \u escapes carry it, so the value still round-trips.
        return json.dumps(data, ensure_ascii=True, sort_keys=True).encode("ascii")


class EnquiryStore:
    """The enquiry database, opened once by the kiosk (the only writer).

    ``available`` says whether the file is open now; ``problems`` lists what
    went wrong opening it, in sentences for the log and the staff panel.
    """

    def __init__(
        self,
        path: Path,
        sealer: Sealer,
        *,
        busy_timeout: float = 2.0,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.path = Path(path)
        self._sealer = sealer
        self._file = DatabaseFile(self.path, busy_timeout, self._problem)
        self._clock = clock
        self._conn: sqlite3.Connection | None = None
        #: The open file's (device, inode): a file deleted, moved or replaced
        #: under the running kiosk is noticed at the next use (``_connection``).
        self._identity: tuple[int, int] | None = None
        self._closed = False
        self.available = False
        self.problems: list[str] = []
        try:
            self._open()
        except StoreError as exc:
            self._problem(str(exc), logging.WARNING)

    def __repr__(self) -> str:
        return f"EnquiryStore(path={str(self.path)!r}, available={self.available})"

    def __enter__(self) -> EnquiryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the public operations -------------------------------------------------

    def ready(self) -> bool:
        """Whether a request can be saved now: the file open (tried again if
        it is not), so the form can say so before a patient types."""
        if self._closed:
            return False
        try:
            self._connection()
        except StoreError:
            return False
        return True

    def save(self, form_key: str, topic: str, personal: Mapping[str, str]) -> Saved:
        """Seal and save one enquiry; returns only once it is committed.

        Saving the same ``form_key`` again (a retry after a timeout, a double
        tap) writes nothing and returns the first save, with ``new=False``.
        """
        if not isinstance(form_key, str) or not 0 < len(form_key) <= MAX_FORM_KEY:
            raise StoreError("failed", f"A form key must be 1 to {MAX_FORM_KEY} characters.")
        if not isinstance(topic, str) or len(topic) > MAX_TOPIC:
            raise StoreError("failed", f"A topic must be text of at most {MAX_TOPIC} characters.")
        self._connection()  # a closed or unavailable store says so before any work
        plaintext = _plaintext(personal)
        try:
            sealed = self._sealer.seal(plaintext)
        except Exception as exc:
            # Not chained: an exception from inside the crypto must not carry
            # the plaintext into a traceback.
            raise StoreError(
                "failed", f"Sealing an enquiry failed ({type(exc).__name__}); it was not saved."
            ) from None
        created_at = self._now()
        with self._writing("An enquiry was not saved") as conn:
            row = conn.execute(
                "SELECT id, created_at FROM enquiries WHERE form_key = ?", (form_key,)
            ).fetchone()
            if row is not None:  # a retry: nothing to write (the commit ends the read)
                return Saved(id=row[0], created_at=row[1], new=False)
            cursor = conn.execute(
                "INSERT INTO enquiries (form_key, created_at, status, topic, key_id, sealed)"
                " VALUES (?, ?, 'new', ?, ?, ?)",
                (form_key, created_at, topic, self._sealer.key_id, sealed),
            )
            new_id = cursor.lastrowid
        assert new_id is not None
        return Saved(id=new_id, created_at=created_at, new=True)

    def enquiries(self, status: str | None = None) -> list[StoredEnquiry]:
        """Every enquiry (or those with ``status``), newest first."""
        where, params = self._where(status)
        with self._reading("The enquiries could not be read") as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM enquiries{where} ORDER BY id DESC", params
            ).fetchall()
        return [_stored(r) for r in rows]

    def page(
        self, status: str | None = None, *, before_id: int | None = None, limit: int = 50
    ) -> list[StoredEnquiry]:
        """At most ``limit`` enquiries (or those with ``status``), newest first,
        with ids below ``before_id`` (the last one of the page before; None for
        the first page). By the primary key, with LIMIT: the staff list reads
        the rows it shows, not every row, however many are stored."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        where, params = self._where(status)
        args: tuple[object, ...] = params
        if before_id is not None:
            where += " AND id < ?" if where else " WHERE id < ?"
            args = (*params, int(before_id))
        with self._reading("The enquiries could not be read") as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM enquiries{where} ORDER BY id DESC LIMIT ?",
                (*args, int(limit)),
            ).fetchall()
        return [_stored(r) for r in rows]

    def get(self, enquiry_id: int) -> StoredEnquiry | None:
        """One enquiry by its id, or None when there is none (never was, or purged)."""
        with self._reading("The enquiry could not be read") as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM enquiries WHERE id = ?", (int(enquiry_id),)
            ).fetchone()
        return None if row is None else _stored(row)

    def counts(self) -> dict[str, int]:
        """How many enquiries have each status: every status in ``STATUSES`` is a key,
        0 when there are none (no "all" key: ``sum(counts().values())`` is that)."""
        with self._reading("The enquiries could not be counted") as conn:
            rows = conn.execute("SELECT status, count(*) FROM enquiries GROUP BY status").fetchall()
        found = {str(status): int(n) for status, n in rows}
        return {status: found.get(status, 0) for status in STATUSES}

    def count(self, status: str | None = None) -> int:
        where, params = self._where(status)
        with self._reading("The enquiries could not be counted") as conn:
            (n,) = conn.execute(f"SELECT count(*) FROM enquiries{where}", params).fetchone()
        return int(n)

    def set_status(self, ids: Iterable[int], status: str) -> int:
        """Set the status of the given enquiries in one transaction; returns how many exist."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        unique = list(dict.fromkeys(int(i) for i in ids))
        now = self._now()
        with self._writing("The enquiries' status was not changed") as conn:
            cursor = conn.executemany(
                "UPDATE enquiries SET status = ?, status_at = ? WHERE id = ?",
                [(status, now, i) for i in unique],
            )
            changed = cursor.rowcount
        return max(changed, 0)

    def mark_exported(self, ids: Iterable[int]) -> int:
        """Mark the given enquiries "exported", but only those still "new".

        An enquiry marked contacted in the meantime (the kiosk's panel while the
        office exports from the command line) stays contacted: the status is
        checked in the same statement that changes it. Returns how many changed.
        """
        unique = list(dict.fromkeys(int(i) for i in ids))
        now = self._now()
        with self._writing("The enquiries were not marked exported") as conn:
            cursor = conn.executemany(
                "UPDATE enquiries SET status = 'exported', status_at = ?"
                " WHERE id = ? AND status = 'new'",
                [(now, i) for i in unique],
            )
            changed = cursor.rowcount
        return max(changed, 0)

    def reseal(self, opener: Opener, sealer: Sealer) -> int:
        """Seal again to ``sealer``'s key every enquiry sealed to ``opener``'s: at
        enrolment, the tablet's enquiries go to the clinic's key (the office can then
        open them). One transaction; returns how many. Never logs what it opens."""
        with self._writing("The enquiries were not sealed to the clinic's key") as conn:
            rows = conn.execute(
                "SELECT id, sealed FROM enquiries WHERE key_id = ?", (opener.key_id,)
            ).fetchall()
            for enquiry_id, sealed in rows:
                conn.execute(
                    "UPDATE enquiries SET sealed = ?, key_id = ? WHERE id = ?",
                    (sealer.seal(opener.open(sealed)), sealer.key_id, enquiry_id),
                )
        return len(rows)

    def purgeable(self, older_than_days: int) -> int:
        """How many enquiries ``purge(older_than_days)`` would delete now (for
        the confirmation that says how many will go)."""
        cutoff = self._stamp(self._aware_now() - timedelta(days=older_than_days))
        with self._reading("The enquiries could not be counted") as conn:
            (n,) = conn.execute(
                "SELECT count(*) FROM enquiries WHERE status IN ('exported', 'contacted')"
                " AND coalesce(status_at, created_at) < ?"
                " AND (seq IS NULL OR sent_at IS NOT NULL)",
                (cutoff,),
            ).fetchone()
        return int(n)

    def purge(self, older_than_days: int) -> int:
        """Delete the exported and contacted enquiries exported (or marked
        contacted) more than ``older_than_days`` days ago, by the store's
        clock; returns how many. Counting from the export, not from the day the
        patient asked: an enquiry left "new" for months and exported today
        stays for the whole retention period, long enough to be called.

        New enquiries are never deleted, however old: nobody has seen them yet;
        nor is one numbered for the office link and not yet sent (a gap there
        would read as an enquiry lost).
        SQLite's ``secure_delete`` overwrites the deleted rows in the file, and
        the WAL is checkpointed and truncated afterwards, so the sealed data
        does not linger in free pages or in the -wal file.
        """
        if isinstance(older_than_days, bool) or not isinstance(older_than_days, int):
            raise ValueError(f"older_than_days must be a whole number, not {older_than_days!r}")
        if older_than_days < 0:
            raise ValueError(f"older_than_days must be 0 or more, not {older_than_days}")
        cutoff = self._stamp(self._aware_now() - timedelta(days=older_than_days))
        with self._reading("Old enquiries were not deleted") as conn:
            conn.execute("PRAGMA secure_delete = ON").fetchall()
        try:
            with self._writing("Old enquiries were not deleted") as conn:
                cursor = conn.execute(
                    "DELETE FROM enquiries WHERE status IN ('exported', 'contacted')"
                    " AND coalesce(status_at, created_at) < ?"
                    " AND (seq IS NULL OR sent_at IS NOT NULL)",
                    (cutoff,),
                )
                deleted = max(cursor.rowcount, 0)
        finally:
            if self._conn is not None:
                with suppress(sqlite3.Error, OSError):
                    self._conn.execute("PRAGMA secure_delete = OFF").fetchall()
        if deleted and self._conn is not None:
            try:
                # TRUNCATE: the deleted rows' pages are gone from the -wal too.
                # A reader holding the WAL makes this a no-op; the next
                # checkpoint overwrites them then.
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            except (sqlite3.Error, OSError) as exc:
                log.warning("A checkpoint after deleting enquiries failed (%s).", describe(exc))
        return deleted

    def weekly_counts(self, weeks: int = 12, *, tz: tzinfo | None = None) -> list[tuple[date, int]]:
        """Enquiries received per week, for the last ``weeks`` weeks including this one.

        One ``(Monday, count)`` per week, oldest first, weeks with none
        included as 0. Weeks run Monday to Sunday in ``tz`` (default: this
        machine's time zone, the clinic's), "now" is the store's clock.
        """
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
            raise ValueError(f"weeks must be a whole number of 1 or more, not {weeks!r}")
        now = self._aware_now().astimezone(tz)
        this_monday = now.date() - timedelta(days=now.weekday())
        mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
        start = datetime.combine(mondays[0], time(0), tzinfo=now.tzinfo)
        with self._reading("The enquiries could not be counted") as conn:
            rows = conn.execute(
                "SELECT created_at FROM enquiries WHERE created_at >= ?",
                (self._stamp(start - timedelta(days=1)),),  # a day's slack for zone changes
            ).fetchall()
        tally = dict.fromkeys(mondays, 0)
        for (created_at,) in rows:
            try:
                when = datetime.fromisoformat(str(created_at))
            except ValueError:
                continue
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            day = when.astimezone(now.tzinfo).date()
            monday = day - timedelta(days=day.weekday())
            if monday in tally:
                tally[monday] += 1
        return list(tally.items())

    @contextmanager
    def _reading(self, what: str) -> Iterator[sqlite3.Connection]:
        """The connection for statements outside a write transaction (reads, and
        settings); a failure becomes ``StoreError`` saying ``what`` did not happen,
        and a connection that may be damaged is dropped (``_failure``)."""
        conn = self._connection()
        try:
            yield conn
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, what) from exc

    @contextmanager
    def _writing(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` (this process is the one
        writer; another holder of the lock waits up to the busy timeout), then
        COMMIT when the block ends, however it ends but by an exception.
        Failures become ``StoreError`` saying ``what`` did not happen."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, what) from exc
        except BaseException:
            rollback(conn)
            raise

    def integrity_ok(self) -> bool:
        """SQLite's full integrity check, now; False when the store is not open."""
        if self._conn is None:
            return False
        try:
            rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.Error:
            return False
        return rows == [("ok",)]

    def pragmas(self) -> dict[str, object]:
        """The settings that make saves durable, as SQLite reports them now (for diagnostics)."""
        names = ("journal_mode", "synchronous", "busy_timeout", "user_version")
        with self._reading("The database settings could not be read") as conn:
            return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names}

    def close(self) -> None:
        """Close the file (a checkpoint folds the WAL back in); the store is then done."""
        self._closed = True
        self._drop()

    # -- opening -----------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("unavailable", f"The enquiry store {self.path} was closed.")
        if self._conn is not None and file_identity(self.path) != self._identity:
            self._let_go_of_lost_file()
        if self._conn is None:
            try:
                self._open()
            except StoreError as exc:
                self._problem(str(exc), logging.WARNING)
                raise
        assert self._conn is not None
        return self._conn

    def _open(self) -> None:
        """Open the database, checked and up to date, or raise StoreError."""
        self._conn = self._file.open()
        self._identity = file_identity(self.path)
        self.available = True

    def _let_go_of_lost_file(self) -> None:
        """The file at ``path`` is no longer the one open: deleted, moved or
        replaced while the kiosk ran (an admin tidying up, a sync or restore).

        Left as it is, the open file would take every new enquiry and a
        "Thank you" with it, though no file on disk holds them once the kiosk
        closes (a deleted one), or not at the path the kiosk uses (a moved
        one). What it holds is copied beside the path first (still sealed:
        ``enquiries.sqlite3.rescued-<time>``), then the path is opened again,
        a new database if nothing is there, and the save goes on into that.
        """
        conn = self._conn
        assert conn is not None
        rescue = self.path.with_name(f"{self.path.name}.rescued-{utc_stamp()}")
        try:
            os.close(create_private(rescue))  # 0600 before SQLite writes a byte
            target = sqlite3.connect(rescue)
            try:
                conn.backup(target)
            finally:
                target.close()
            fd = os.open(rescue, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            fsync_folder(rescue.parent)
            kept = f"the enquiries it held are copied, still sealed, to {rescue}"
        except (OSError, sqlite3.Error) as exc:
            kept = f"copying the enquiries it held aside failed ({describe(exc)})"
        self._problem(
            f"The enquiry database {self.path} was deleted, moved or replaced while the "
            f"kiosk ran: {kept}; new enquiries go to {self.path} again.",
            logging.ERROR,
        )
        self._drop()

    # -- failures ---------------------------------------------------------------

    def _failure(self, conn: sqlite3.Connection, exc: BaseException, what: str) -> StoreError:
        """Roll back, decide whether the connection can be kept, and say what happened."""
        reason = reason_for(exc, self.path.parent)
        rolled_back = rollback(conn)
        code = primary_code(exc) if isinstance(exc, sqlite3.Error) else None
        suspect = code in (
            sqlite3.SQLITE_IOERR,
            sqlite3.SQLITE_CORRUPT,
            sqlite3.SQLITE_NOTADB,
            sqlite3.SQLITE_CANTOPEN,
        )
        if not rolled_back or suspect or reason in ("read-only", "unavailable"):
            # Start afresh on the next call: reopening checks the file again
            # and sets a damaged one aside.
            self._drop()
        return StoreError(reason, f"{what} ({describe(exc)}): {REASON_TEXT[reason]}.")

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        self.available = False
        if conn is not None:
            try:
                close_database(conn)
            except sqlite3.Error as exc:
                log.warning("Closing the enquiry database failed (%s).", describe(exc))

    def _problem(self, message: str, level: int) -> None:
        if not self.problems or self.problems[-1] != message:
            self.problems.append(message)
        log.log(level, "%s", message)

    def _aware_now(self) -> datetime:
        """The store's clock, a naive time taken as UTC."""
        now = self._clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        return now

    @staticmethod
    def _stamp(when: datetime) -> str:
        """A time as stored in ``created_at``: UTC ISO 8601, to the second (sorts as text)."""
        return when.astimezone(UTC).isoformat(timespec="seconds")

    def _now(self) -> str:
        return self._stamp(self._aware_now())

    @staticmethod
    def _where(status: str | None) -> tuple[str, tuple[str, ...]]:
        if status is None:
            return "", ()
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        return " WHERE status = ?", (status,)


def _stored(r: Sequence[Any]) -> StoredEnquiry:
    """A row of ``_COLUMNS`` as a StoredEnquiry."""
    return StoredEnquiry(
        id=int(r[0]),
        form_key=str(r[1]),
        created_at=str(r[2]),
        status=str(r[3]),
        topic=str(r[4]),
        key_id=str(r[5]),
        sealed=bytes(r[6]),
    )


class Sealed(Protocol):
    """A sealed row as the tablet's store or the office's inbox holds it."""

    @property
    def id(self) -> int: ...
    @property
    def key_id(self) -> str: ...
    @property
    def sealed(self) -> bytes: ...


def open_personal(opener: Opener, stored: Sealed) -> dict[str, str]:
    """The personal fields of one enquiry, opened with the private key.

    Raises ``KeysError`` when the opener holds another key than the row was
    sealed to (after a key was replaced) or the blob does not open.
    """
    if stored.key_id != opener.key_id:
        raise KeysError(
            f"Enquiry {stored.id} was sealed to key {stored.key_id}; this code or PIN "
            f"opens key {opener.key_id}."
        )
    try:
        data = json.loads(opener.open(stored.sealed).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise StoreError("failed", f"Enquiry {stored.id} opened, but what is inside is damaged.")
    return data
