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
A damaged database is moved aside, never deleted, and a new one is started.

The checks that decide whether a file is damaged (its first bytes, its schema
version, ``integrity_check``) run on a connection that cannot write: SQLite,
closing a read-write connection, folds the -wal file into the database and
deletes it, so checking on one would set aside something else than what was
found. Only a file that passed is opened read-write.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from kiosk.support.files import fsync_folder, utc_stamp

if TYPE_CHECKING:
    from kiosk.enquiries.keys import Opener, Sealer

log = logging.getLogger("kiosk.enquiries.store")

Reason = Literal["full", "read-only", "locked", "unavailable", "failed"]
STATUSES = ("new", "exported", "contacted")
MAX_FORM_KEY = 128
MAX_TOPIC = 200

# What follows "the enquiry was not saved" in a StoreError, per reason.
_REASON_TEXT: dict[str, str] = {
    "full": "the disk is full",
    "read-only": "the data folder cannot be written to",
    "locked": "another program is holding the database",
    "unavailable": "the database cannot be opened",
    "failed": "something unexpected went wrong",
}

_SQLITE_MAGIC = b"SQLite format 3\x00"

# The files SQLite keeps next to a database, moved with it when it is set aside.
_COMPANIONS = ("", "-wal", "-shm", "-journal")

# Set aside next to the copy made before a read-write open (see ``_keep_copy``):
# the files as that open left them, which may have folded the -wal in.
_AS_OPENED = ".as-opened"

# How long ``foreign_key_ids`` waits for a writer's lock before giving up.
_PEEK_TIMEOUT = 1.0

# Forward migrations: MIGRATIONS[n] takes the schema from version n to n + 1
# (``PRAGMA user_version``). Each runs in one transaction with the version
# bump, so a crash leaves the old schema or the new one. Append, never edit.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """
        CREATE TABLE enquiries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            form_key TEXT NOT NULL UNIQUE CHECK (typeof(form_key) = 'text'),
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'exported', 'contacted')),
            topic TEXT NOT NULL,
            key_id TEXT NOT NULL,
            sealed BLOB NOT NULL CHECK (typeof(sealed) = 'blob')
        )
        """,
        "CREATE INDEX enquiries_by_status ON enquiries (status, id)",
    ),
    # 1 -> 2: when the status last changed (exported, contacted), so the
    # retention period counts from the export, not from the day the patient
    # asked. Rows from before have NULL and fall back to created_at.
    ("ALTER TABLE enquiries ADD COLUMN status_at TEXT",),
]

_COLUMNS = "id, form_key, created_at, status, topic, key_id, sealed"


class StoreError(Exception):
    """Saving or reading failed; ``str()`` is a sentence for the log, never personal data.

    ``reason`` is one of ``"full"``, ``"read-only"``, ``"locked"``,
    ``"unavailable"`` or ``"failed"``: what the form may tell the patient.
    """

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason: Reason = reason


class _CorruptError(Exception):
    """The file is not a (healthy) database: set it aside and start again.

    ``found`` is the copy made before a read-write open had to be risked
    (``_keep_copy``): what was on disk before SQLite could change it.
    """

    def __init__(self, why: str, found: Path | None = None) -> None:
        super().__init__(why)
        self.found = found


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


def _primary_code(exc: sqlite3.Error) -> int | None:
    # Errors raised by SQLite carry the (extended) result code; ones made in
    # Python (tests, wrappers) do not, so the message is read as well.
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _describe(exc: BaseException) -> str:
    """The error for the log: SQLite's name and message, or the OS's. No personal data."""
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
        return f"{name}: {exc}"
    if isinstance(exc, OSError):
        name = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
        return f"{name}: {exc.strerror or exc}"
    return type(exc).__name__


def _folder_state(folder: Path, default: Reason) -> Reason:
    """What an I/O error most likely means, asked of the folder: read-only, full, or ``default``.

    SQLite reports some disk faults only as "disk I/O error" or "unable to
    open database file"; the folder tells which one it was.
    """
    try:
        if not folder.is_dir():
            return "unavailable"
        if not os.access(folder, os.W_OK):
            return "read-only"
        if hasattr(os, "statvfs"):
            stats = os.statvfs(folder)
            if stats.f_flag & os.ST_RDONLY:
                return "read-only"
            if stats.f_bavail * stats.f_frsize < 64 * 1024:
                return "full"
    except OSError:
        return "unavailable"
    return default


def _reason(exc: BaseException, folder: Path) -> Reason:
    """Map an exception to what the form may tell the patient."""
    if isinstance(exc, StoreError):
        return exc.reason
    if isinstance(exc, sqlite3.Error):
        code = _primary_code(exc)
        text = str(exc).lower()
        if code == sqlite3.SQLITE_FULL or "disk is full" in text:
            return "full"
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
            return "locked"
        if "busy" in text:
            return "locked"
        if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or "readonly" in text:
            return "read-only"
        if code == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
            return _folder_state(folder, "unavailable")
        if code == sqlite3.SQLITE_IOERR or "disk i/o error" in text:
            return _folder_state(folder, "failed")
        return "failed"
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return "full"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "read-only"
        return _folder_state(folder, "unavailable")
    return "failed"


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = _primary_code(exc)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def _connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that cannot write to ``path``, nor fold its -wal in, nor delete it.

    SQLite reads a WAL database read-only if its -shm file exists or can be
    made (https://www.sqlite.org/wal.html#readonly); if not, or if a hot
    rollback journal is waiting, it refuses with SQLITE_READONLY or
    SQLITE_CANTOPEN rather than change anything.
    """
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)


def _needs_a_writer(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused to read the file read-only (it would read it read-write)."""
    code = _primary_code(exc)
    return code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)


def _holds_data(name: str) -> bool:
    """Whether a file is there and not empty; one that cannot be looked at counts as full."""
    try:
        return os.stat(name).st_size > 0
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _copy_private(source: str, target: str) -> None:
    """Copy one file byte for byte into a new 0600 file, synced to disk."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    with open(source, "rb") as reader:
        fd = os.open(target, flags, 0o600)
        with open(fd, "wb") as writer:
            if os.name == "posix":
                os.fchmod(fd, 0o600)
            shutil.copyfileobj(reader, writer)
            writer.flush()
            os.fsync(fd)


def _remove_set(base: Path | None) -> None:
    """Delete a copy made by ``_keep_copy`` (never the database itself)."""
    if base is None:
        return
    for suffix in _COMPANIONS:
        try:
            os.unlink(f"{base}{suffix}")
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("A spare copy %s%s was left behind (%s).", base, suffix, _describe(exc))


def _free_base(path: Path, tag: str, extras: tuple[str, ...] = ("",)) -> Path:
    """``<name>.<tag>-<UTC time>``, numbered if any of its files (with ``extras``) exist."""
    stamp = utc_stamp()
    base = path.with_name(f"{path.name}.{tag}-{stamp}")
    n = 1
    while any(
        os.path.lexists(f"{base}{extra}{suffix}") for extra in extras for suffix in _COMPANIONS
    ):
        base = path.with_name(f"{path.name}.{tag}-{stamp}-{n}")
        n += 1
    return base


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
        conn = _connect_read_only(path, _PEEK_TIMEOUT)
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
        self._busy_timeout = busy_timeout
        self._clock = clock
        self._conn: sqlite3.Connection | None = None
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
        conn = self._connection()
        try:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM enquiries{where} ORDER BY id DESC", params
            ).fetchall()
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, "The enquiries could not be read") from exc
        return [_stored(r) for r in rows]

    def get(self, enquiry_id: int) -> StoredEnquiry | None:
        """One enquiry by its id, or None when there is none (never was, or purged)."""
        conn = self._connection()
        try:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM enquiries WHERE id = ?", (int(enquiry_id),)
            ).fetchone()
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, "The enquiry could not be read") from exc
        return None if row is None else _stored(row)

    def counts(self) -> dict[str, int]:
        """How many enquiries have each status: every status in ``STATUSES`` is a key,
        0 when there are none (no "all" key: ``sum(counts().values())`` is that)."""
        conn = self._connection()
        try:
            rows = conn.execute("SELECT status, count(*) FROM enquiries GROUP BY status").fetchall()
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, "The enquiries could not be counted") from exc
        found = {str(status): int(n) for status, n in rows}
        return {status: found.get(status, 0) for status in STATUSES}

    def count(self, status: str | None = None) -> int:
        where, params = self._where(status)
        conn = self._connection()
        try:
            (n,) = conn.execute(f"SELECT count(*) FROM enquiries{where}", params).fetchone()
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, "The enquiries could not be counted") from exc
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

    def purgeable(self, older_than_days: int) -> int:
        """How many enquiries ``purge(older_than_days)`` would delete now (for
        the confirmation that says how many will go)."""
        cutoff = self._stamp(self._aware_now() - timedelta(days=older_than_days))
        conn = self._connection()
        try:
            (n,) = conn.execute(
                "SELECT count(*) FROM enquiries WHERE status IN ('exported', 'contacted')"
                " AND coalesce(status_at, created_at) < ?",
                (cutoff,),
            ).fetchone()
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, "The enquiries could not be counted") from exc
        return int(n)

    def purge(self, older_than_days: int) -> int:
        """Delete the exported and contacted enquiries exported (or marked
        contacted) more than ``older_than_days`` days ago, by the store's
        clock; returns how many. Counting from the export, not from the day the
        patient asked: an enquiry left "new" for months and exported today
        stays for the whole retention period, long enough to be called.

        New enquiries are never deleted, however old: nobody has seen them yet.
        SQLite's ``secure_delete`` overwrites the deleted rows in the file, and
        the WAL is checkpointed and truncated afterwards, so the sealed data
        does not linger in free pages or in the -wal file.
        """
        if isinstance(older_than_days, bool) or not isinstance(older_than_days, int):
            raise ValueError(f"older_than_days must be a whole number, not {older_than_days!r}")
        if older_than_days < 0:
            raise ValueError(f"older_than_days must be 0 or more, not {older_than_days}")
        cutoff = self._stamp(self._aware_now() - timedelta(days=older_than_days))
        conn = self._connection()
        try:
            conn.execute("PRAGMA secure_delete = ON").fetchall()
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, "Old enquiries were not deleted") from exc
        try:
            with self._writing("Old enquiries were not deleted") as conn:
                cursor = conn.execute(
                    "DELETE FROM enquiries WHERE status IN ('exported', 'contacted')"
                    " AND coalesce(status_at, created_at) < ?",
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
                log.warning("A checkpoint after deleting enquiries failed (%s).", _describe(exc))
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
        conn = self._connection()
        try:
            rows = conn.execute(
                "SELECT created_at FROM enquiries WHERE created_at >= ?",
                (self._stamp(start - timedelta(days=1)),),  # a day's slack for zone changes
            ).fetchall()
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, "The enquiries could not be counted") from exc
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
            self._rollback(conn)
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
        conn = self._connection()
        names = ("journal_mode", "synchronous", "busy_timeout", "user_version")
        try:
            return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names}
        except (sqlite3.Error, OSError) as exc:
            raise self._failure(conn, exc, "The database settings could not be read") from exc

    def close(self) -> None:
        """Close the file (a checkpoint folds the WAL back in); the store is then done."""
        self._closed = True
        self._drop()

    # -- opening -----------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError("unavailable", f"The enquiry store {self.path} was closed.")
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
        try:
            conn = self._connect_checked()
        except _CorruptError as exc:
            self._set_aside(str(exc), exc.found)
            try:
                conn = self._connect_checked()
            except _CorruptError as again:
                raise StoreError(
                    "unavailable", f"A new enquiry database at {self.path} is unusable ({again})."
                ) from None
        self._conn = conn
        self.available = True

    def _connect_checked(self) -> sqlite3.Connection:
        """Check the file without writing to it, then open it read-write and bring it up to date.

        When SQLite will not read the file read-only (a hot rollback journal,
        a -shm it cannot make), the checks run on the read-write connection
        instead, and a non-empty -wal or -journal is first copied aside byte
        for byte: if the file then turns out damaged, that copy is what is
        kept as found.
        """
        folder = self.path.parent
        self._check_header()
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._create_private_file()
        except OSError as exc:
            reason = _reason(exc, folder)
            raise StoreError(
                reason,
                f"The enquiry database {self.path} could not be made ({_describe(exc)}): "
                f"{_REASON_TEXT[reason]}.",
            ) from exc
        checked = self._check_read_only()
        found = None if checked else self._keep_copy()
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=self._busy_timeout)
        except sqlite3.Error as exc:
            _remove_set(found)
            raise self._open_error(exc) from exc
        try:
            self._check_and_migrate(conn, integrity=not checked)
        except _CorruptError as exc:
            conn.close()
            raise _CorruptError(str(exc), found) from None
        except sqlite3.Error as exc:
            conn.close()
            if _is_corruption(exc):
                raise _CorruptError(_describe(exc), found) from None
            _remove_set(found)
            raise self._open_error(exc) from exc
        except BaseException:
            conn.close()
            _remove_set(found)
            raise
        _remove_set(found)
        return conn

    def _check_read_only(self) -> bool:
        """The version and integrity checks, on a connection that cannot write.

        Raises ``_CorruptError`` for a damaged file (nothing of it changed),
        ``StoreError`` for one from a newer kiosk or one SQLite cannot get at
        (locked, I/O error). False when SQLite will not read it read-only, so
        the checks must be made read-write.
        """
        try:
            conn = _connect_read_only(self.path, self._busy_timeout)
        except sqlite3.Error as exc:
            if _needs_a_writer(exc):
                return False
            raise self._open_error(exc) from exc
        try:
            self._check_version(conn)
            self._check_integrity(conn)
        except sqlite3.Error as exc:
            if _is_corruption(exc):
                raise _CorruptError(_describe(exc)) from None
            if _needs_a_writer(exc):
                return False
            raise self._open_error(exc) from exc
        finally:
            try:
                conn.close()
            except sqlite3.Error as exc:
                log.warning("Closing a read-only check failed (%s).", _describe(exc))
        return True

    def _keep_copy(self) -> Path | None:
        """Copy the database and its companions aside before a read-write open may change them.

        Only when there is something such an open would fold in and delete: a
        non-empty -wal (committed enquiries not yet in the main file) or
        -journal. Returns the copy's base name (``None``: nothing to keep). If
        the copy cannot be made, the file is not opened at all.
        """
        if not any(_holds_data(f"{self.path}{suffix}") for suffix in ("-wal", "-journal")):
            return None
        base = _free_base(self.path, "before-open")
        try:
            for suffix in _COMPANIONS:
                source = f"{self.path}{suffix}"
                if os.path.isfile(source):
                    _copy_private(source, f"{base}{suffix}")
            fsync_folder(self.path.parent)
        except OSError as exc:
            _remove_set(base)
            reason = _reason(exc, self.path.parent)
            raise StoreError(
                reason,
                f"The enquiry database {self.path} could not be checked safely: SQLite would "
                f"not read it without writing, and copying it aside first failed "
                f"({_describe(exc)}): {_REASON_TEXT[reason]}.",
            ) from exc
        return base

    def _create_private_file(self) -> None:
        # An empty file is an empty database. Making it here, 0600, keeps the
        # database (and the -wal and -shm files, which SQLite gives the same
        # mode) private to the kiosk's user whatever the umask.
        if os.path.lexists(self.path):
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileExistsError:
            return
        try:
            if os.name == "posix":
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)

    def _check_header(self) -> None:
        """Look at the file before SQLite does, and refuse what is plainly not a database.

        SQLite, closing a connection to a file in WAL mode, folds the -wal file
        in and deletes it, even when the file turned out not to be a database:
        checking the first bytes here keeps a damaged file's -wal for repair.
        A file the OS will not read (a folder, no permission) is set aside too.
        """
        try:
            with open(self.path, "rb") as file:
                head = file.read(len(_SQLITE_MAGIC))
        except FileNotFoundError:
            return
        except (IsADirectoryError, PermissionError) as exc:
            raise _CorruptError(f"unreadable: {_describe(exc)}") from None
        except OSError:
            return  # SQLite will say what is wrong
        if head and head != _SQLITE_MAGIC:
            raise _CorruptError("not an SQLite database: its first bytes are wrong")

    def _open_error(self, exc: BaseException) -> StoreError:
        reason = _reason(exc, self.path.parent)
        if reason == "failed":
            reason = "unavailable"
        return StoreError(
            reason,
            f"The enquiry database {self.path} could not be opened ({_describe(exc)}): "
            f"{_REASON_TEXT[reason]}.",
        )

    def _check_version(self, conn: sqlite3.Connection) -> int:
        """The schema version; a database from a newer kiosk is refused, untouched."""
        conn.execute(f"PRAGMA busy_timeout = {max(0, int(self._busy_timeout * 1000))}")
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version > len(MIGRATIONS):
            raise StoreError(
                "unavailable",
                f"The enquiry database {self.path} is from a newer version of the kiosk "
                f"(schema {version}; this version knows up to {len(MIGRATIONS)}). It was "
                f"left untouched, and enquiries cannot be saved until the kiosk is updated.",
            )
        return int(version)

    def _check_integrity(self, conn: sqlite3.Connection) -> None:
        check = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        if check != ["ok"]:
            first = str(check[0]) if check else "no answer"
            raise _CorruptError(f"integrity check: {first[:200]}")

    def _check_and_migrate(self, conn: sqlite3.Connection, *, integrity: bool) -> None:
        """Make a read-write connection durable and up to date.

        ``integrity`` runs the full check here too: only when it could not run
        read-only (``_check_read_only``), as it costs a read of the whole file.
        """
        # The version first: a database from a newer kiosk is not touched at
        # all, not even switched to WAL (that rewrites its header).
        version = self._check_version(conn)
        if integrity:
            self._check_integrity(conn)
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() != "wal":
            self._problem(
                f"The enquiry database {self.path} is in journal mode {mode!r}, not 'wal': "
                f"saves are slower and a crash may lose more.",
                logging.WARNING,
            )
        conn.execute("PRAGMA synchronous = FULL")
        (sync,) = conn.execute("PRAGMA synchronous").fetchone()
        if sync != 2:
            self._problem(
                f"The enquiry database {self.path} has synchronous={sync}, not 2 (FULL): "
                f"a power cut may lose the last enquiries.",
                logging.WARNING,
            )
        self._migrate(conn, version)

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        for target in range(version + 1, len(MIGRATIONS) + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                (current,) = conn.execute("PRAGMA user_version").fetchone()
                if current >= target:
                    conn.execute("ROLLBACK")
                    continue
                for statement in MIGRATIONS[target - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
                conn.execute("COMMIT")
            except BaseException:
                self._rollback(conn)
                raise
            log.info("Enquiry database %s brought up to schema %d.", self.path, target)

    def _set_aside(self, why: str, found: Path | None = None) -> None:
        """Move a damaged database and its companions to ``<name>.corrupt-<UTC time>``.

        ``found`` is a copy made before a read-write open (``_keep_copy``):
        it becomes the ``.corrupt-`` set, as found, and the files that open
        left behind are kept next to it as ``<that name>.as-opened``.
        """
        base = _free_base(self.path, "corrupt", ("", _AS_OPENED))
        if found is None:
            moves = [(self.path, base)]
        else:
            moves = [(found, base), (self.path, Path(f"{base}{_AS_OPENED}"))]
        moved: list[str] = []  # the companions of the set kept as the damaged database
        try:
            for n, (source_base, target_base) in enumerate(moves):
                for suffix in _COMPANIONS:
                    source = f"{source_base}{suffix}"
                    if os.path.lexists(source):
                        os.rename(source, f"{target_base}{suffix}")
                        if n == 0:
                            moved.append(suffix)
            fsync_folder(self.path.parent)
        except OSError as exc:
            # The main file goes first, so once anything moved, the copy is at ``base``.
            kept = f" A copy of it as found is at {base if moved else found}." if found else ""
            message = (
                f"ENQUIRY DATABASE DAMAGED: {self.path} ({why}) could not be moved aside "
                f"({_describe(exc)}), so no enquiries can be saved until someone moves it."
                f"{kept}"
            )
            self._problem(message, logging.CRITICAL)
            raise StoreError("unavailable", message) from exc
        also = [s for s in moved if s]
        with_files = f" (with its {', '.join(also)} files)" if also else ""
        opened = (
            f" The files as SQLite left them after opening it are at {base}{_AS_OPENED}."
            if found
            else ""
        )
        self._problem(
            f"ENQUIRY DATABASE DAMAGED: {self.path} ({why}) was moved to {base}{with_files} "
            f"and a new, empty database was started. The enquiries saved before now are in "
            f"the moved file: keep it for repair.{opened}",
            logging.ERROR,
        )

    # -- failures ---------------------------------------------------------------

    def _failure(self, conn: sqlite3.Connection, exc: BaseException, what: str) -> StoreError:
        """Roll back, decide whether the connection can be kept, and say what happened."""
        reason = _reason(exc, self.path.parent)
        rolled_back = self._rollback(conn)
        code = _primary_code(exc) if isinstance(exc, sqlite3.Error) else None
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
        return StoreError(reason, f"{what} ({_describe(exc)}): {_REASON_TEXT[reason]}.")

    def _rollback(self, conn: sqlite3.Connection) -> bool:
        """Roll back an open transaction; False if even that failed."""
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            return False
        return True

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        self.available = False
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error as exc:
                log.warning("Closing the enquiry database failed (%s).", _describe(exc))

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


def open_personal(opener: Opener, stored: StoredEnquiry) -> dict[str, str]:
    """The personal fields of one enquiry, opened with the private key.

    Raises ``KeysError`` when the opener holds another key than the row was
    sealed to (after a key was replaced) or the blob does not open.
    """
    from kiosk.enquiries.keys import KeysError

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
