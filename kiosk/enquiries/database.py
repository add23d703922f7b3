"""The enquiry database file: opening, checking, setting aside, migrating.

``DatabaseFile.open`` hands ``kiosk.enquiries.store`` a read-write connection to
a database that was checked and is up to date, or raises ``StoreError``. The
queries are the store's; this module is about the file.

The checks that decide whether a file is damaged (its first bytes, its schema
version, ``integrity_check``) run on a connection that cannot write: SQLite,
closing a read-write connection, folds the -wal file into the database and
deletes it, so checking on one would set aside something else than what was
found. Only a file that passed is opened read-write. A damaged database is
moved aside (``<name>.corrupt-<UTC time>``), never deleted, and a new one is
started; when SQLite will not read a file read-only, a copy is made first
(``<name>.before-open-<UTC time>``) so the file as found is what is kept.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kiosk.support.files import create_private, fsync_folder, utc_stamp

log = logging.getLogger("kiosk.enquiries.database")

Reason = Literal["full", "read-only", "locked", "unavailable", "failed"]

# What follows "the enquiry was not saved" in a StoreError, per reason.
REASON_TEXT: dict[str, str] = {
    "full": "the disk is full",
    "read-only": "the data folder cannot be written to",
    "locked": "another program is holding the database",
    "unavailable": "the database cannot be opened",
    "failed": "something unexpected went wrong",
}

_SQLITE_MAGIC = b"SQLite format 3\x00"

# -- files open in this process ------------------------------------------------------
#
# On POSIX, closing *any* file descriptor of a file drops every lock this process
# holds on it, SQLite's included (sqlite.org/howtocorrupt.html, 2.2). SQLite keeps
# its own descriptors open while it holds locks, but a plain ``open()`` of the
# database here (the header check) closed again would drop the locks of a
# connection already open in this process: the kiosk's store, when the office
# link's sender opens the same file. Another process (``kiosk export``) then
# took the database for unlocked, deleted its -wal under the live connection,
# and an enquiry was lost and an index damaged. So the files with a connection
# open in this process are counted (``DatabaseFile.open`` to ``close``), and the
# header check skips them (it ran when the first connection was made).

_OPEN_HERE: dict[tuple[int, int], int] = {}
_COUNTED: dict[int, tuple[int, int]] = {}  # id(connection) -> its file
_OPEN_GUARD = threading.Lock()


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` is now (device, inode); None if there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def open_here(path: Path) -> bool:
    """Whether a connection of this process has the database at ``path`` open."""
    identity = file_identity(path)
    with _OPEN_GUARD:
        return identity is not None and _OPEN_HERE.get(identity, 0) > 0


def _count(conn: sqlite3.Connection, identity: tuple[int, int] | None) -> None:
    if identity is None:
        return
    with _OPEN_GUARD:
        _OPEN_HERE[identity] = _OPEN_HERE.get(identity, 0) + 1
        _COUNTED[id(conn)] = identity


def close(conn: sqlite3.Connection) -> None:
    """Close a connection ``DatabaseFile.open`` made, and count it closed."""
    with _OPEN_GUARD:
        identity = _COUNTED.pop(id(conn), None)
        if identity is not None:
            left = _OPEN_HERE.get(identity, 0) - 1
            if left > 0:
                _OPEN_HERE[identity] = left
            else:
                _OPEN_HERE.pop(identity, None)
    conn.close()


# The files SQLite keeps next to a database, moved with it when it is set aside.
_COMPANIONS = ("", "-wal", "-shm", "-journal")

# Set aside next to the copy made before a read-write open (see ``_keep_copy``):
# the files as that open left them, which may have folded the -wal in.
_AS_OPENED = ".as-opened"

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
    # 2 -> 3: the office link's outbox (kiosk.office.outbox). ``seq`` numbers
    # the rows a kiosk sends (1, 2, 3... with no gap, so the office can tell
    # one missing); ``sent_at`` is set only after the office's PostgreSQL
    # committed the row. Both stay NULL on a kiosk that is not enrolled.
    (
        "ALTER TABLE enquiries ADD COLUMN seq INTEGER",
        "ALTER TABLE enquiries ADD COLUMN sent_at TEXT",
        "CREATE UNIQUE INDEX enquiries_by_seq ON enquiries (seq) WHERE seq IS NOT NULL",
        "CREATE INDEX enquiries_unsent ON enquiries (id) WHERE sent_at IS NULL",
    ),
]


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


def primary_code(exc: sqlite3.Error) -> int | None:
    # Errors raised by SQLite carry the (extended) result code; ones made in
    # Python (tests, wrappers) do not, so the message is read as well.
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def describe(exc: BaseException) -> str:
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


def reason_for(exc: BaseException, folder: Path) -> Reason:
    """Map an exception to what the form may tell the patient."""
    if isinstance(exc, StoreError):
        return exc.reason
    if isinstance(exc, sqlite3.Error):
        code = primary_code(exc)
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
    code = primary_code(exc)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
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
    code = primary_code(exc)
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
    with open(source, "rb") as reader, open(create_private(target), "wb") as writer:
        shutil.copyfileobj(reader, writer)
        writer.flush()
        os.fsync(writer.fileno())


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
            log.warning("A spare copy %s%s was left behind (%s).", base, suffix, describe(exc))


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


def rollback(conn: sqlite3.Connection) -> bool:
    """Roll back an open transaction; False if even that failed."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        return False
    return True


@dataclass(frozen=True)
class DatabaseFile:
    """The database at ``path``: ``open()`` checks it, sets a damaged one aside and
    migrates it. ``problem(message, level)`` is told what went wrong (the store
    keeps the list and logs it)."""

    path: Path
    busy_timeout: float
    problem: Callable[[str, int], None]
    #: (device, inode) of the empty files this object made: the only empty
    #: database file that is new rather than damaged.
    _made: set[tuple[int, int]] = field(default_factory=set, repr=False, compare=False)

    def open(self) -> sqlite3.Connection:
        """A read-write connection to the database, checked and up to date, or StoreError."""
        try:
            return self._connect_checked()
        except _CorruptError as exc:
            self._set_aside(str(exc), exc.found)
            try:
                return self._connect_checked()
            except _CorruptError as again:
                raise StoreError(
                    "unavailable", f"A new enquiry database at {self.path} is unusable ({again})."
                ) from None

    def _connect_checked(self) -> sqlite3.Connection:
        """Check the file without writing to it, then open it read-write and bring it up to date.

        When SQLite will not read the file read-only (a hot rollback journal,
        a -shm it cannot make), the checks run on the read-write connection
        instead, and a non-empty -wal or -journal is first copied aside byte
        for byte: if the file then turns out damaged, that copy is what is
        kept as found.
        """
        folder = self.path.parent
        if not open_here(self.path):  # see _OPEN_HERE: never a plain open() of an open file
            self._check_header()
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._create_private_file()
        except OSError as exc:
            reason = reason_for(exc, folder)
            raise StoreError(
                reason,
                f"The enquiry database {self.path} could not be made ({describe(exc)}): "
                f"{REASON_TEXT[reason]}.",
            ) from exc
        checked = self._check_read_only()
        found = None if checked else self._keep_copy()
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=self.busy_timeout)
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
                raise _CorruptError(describe(exc), found) from None
            _remove_set(found)
            raise self._open_error(exc) from exc
        except BaseException:
            conn.close()
            _remove_set(found)
            raise
        _remove_set(found)
        _count(conn, file_identity(self.path))  # until ``close(conn)``
        return conn

    def _check_read_only(self) -> bool:
        """The version and integrity checks, on a connection that cannot write.

        Raises ``_CorruptError`` for a damaged file (nothing of it changed),
        ``StoreError`` for one from a newer kiosk or one SQLite cannot get at
        (locked, I/O error). False when SQLite will not read it read-only, so
        the checks must be made read-write.
        """
        try:
            conn = connect_read_only(self.path, self.busy_timeout)
        except sqlite3.Error as exc:
            if _needs_a_writer(exc):
                return False
            raise self._open_error(exc) from exc
        try:
            self._check_version(conn)
            self._check_integrity(conn)
        except sqlite3.Error as exc:
            if _is_corruption(exc):
                raise _CorruptError(describe(exc)) from None
            if _needs_a_writer(exc):
                return False
            raise self._open_error(exc) from exc
        finally:
            try:
                conn.close()
            except sqlite3.Error as exc:
                log.warning("Closing a read-only check failed (%s).", describe(exc))
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
            reason = reason_for(exc, self.path.parent)
            raise StoreError(
                reason,
                f"The enquiry database {self.path} could not be checked safely: SQLite would "
                f"not read it without writing, and copying it aside first failed "
                f"({describe(exc)}): {REASON_TEXT[reason]}.",
            ) from exc
        return base

    def _create_private_file(self) -> None:
        # An empty file is an empty database. Making it here, 0600, keeps the
        # database (and the -wal and -shm files, which SQLite gives the same
        # mode) private to the kiosk's user whatever the umask.
        if os.path.lexists(self.path):
            return
        try:
            fd = create_private(self.path)
        except FileExistsError:
            return
        try:
            made = os.fstat(fd)
            self._made.add((made.st_dev, made.st_ino))
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
                found = os.fstat(file.fileno())
        except FileNotFoundError:
            return
        except (IsADirectoryError, PermissionError) as exc:
            raise _CorruptError(f"unreadable: {describe(exc)}") from None
        except OSError:
            return  # SQLite will say what is wrong
        if head and head != _SQLITE_MAGIC:
            raise _CorruptError("not an SQLite database: its first bytes are wrong")
        if not head and (found.st_dev, found.st_ino) not in self._made:
            # SQLite reads an empty file as a new database; but the kiosk's
            # database is never empty once made, so an empty one was cut short
            # (a copy or restore that failed, a disk that lost its blocks): the
            # enquiries it had may be in its -wal, kept with it.
            raise _CorruptError("empty (0 bytes), though an enquiry database never is")

    def _open_error(self, exc: BaseException) -> StoreError:
        reason = reason_for(exc, self.path.parent)
        if reason == "failed":
            reason = "unavailable"
        return StoreError(
            reason,
            f"The enquiry database {self.path} could not be opened ({describe(exc)}): "
            f"{REASON_TEXT[reason]}.",
        )

    def _check_version(self, conn: sqlite3.Connection) -> int:
        """The schema version; a database from a newer kiosk is refused, untouched."""
        conn.execute(f"PRAGMA busy_timeout = {max(0, int(self.busy_timeout * 1000))}")
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
            self.problem(
                f"The enquiry database {self.path} is in journal mode {mode!r}, not 'wal': "
                f"saves are slower and a crash may lose more.",
                logging.WARNING,
            )
        conn.execute("PRAGMA synchronous = FULL")
        (sync,) = conn.execute("PRAGMA synchronous").fetchone()
        if sync != 2:
            self.problem(
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
                rollback(conn)
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
                f"({describe(exc)}), so no enquiries can be saved until someone moves it."
                f"{kept}"
            )
            self.problem(message, logging.CRITICAL)
            raise StoreError("unavailable", message) from exc
        also = [s for s in moved if s]
        with_files = f" (with its {', '.join(also)} files)" if also else ""
        opened = (
            f" The files as SQLite left them after opening it are at {base}{_AS_OPENED}."
            if found
            else ""
        )
        self.problem(
            f"ENQUIRY DATABASE DAMAGED: {self.path} ({why}) was moved to {base}{with_files} "
            f"and a new, empty database was started. The enquiries saved before now are in "
            f"the moved file: keep it for repair.{opened}",
            logging.ERROR,
        )
