"""The audit log: who did what in staff mode, each entry chained to the one before.

One JSON object per line (``audit.log`` in the data folder, mode 0600). Each
entry carries its sequence number, the time (UTC), the staff member (the
actor), the action, a few details, the hash of the entry before it (``prev``)
and its own ``hash``: SHA-256 of its canonical JSON (keys sorted, no spaces,
``hash`` left out), which includes ``prev``. Changing, deleting or moving an
entry therefore breaks the chain at that line, and ``verify`` says which.
Deleting the *last* entries leaves a shorter chain that is still whole, so the
newest entry's number and hash are also kept in a small side file
(``audit.head``); ``verify`` compares the two.

What this protects against is a quiet edit, not a determined one: someone who
can write the data folder can also rebuild the whole chain and the head file.
Anything more needs a copy kept somewhere else (``kiosk audit verify`` prints
the last hash, for someone to note down).

Details hold enquiry ids, counts, file paths and staff names only: never what
a patient typed. Every append is flushed and fsynced before it returns, under
an exclusive lock, so the kiosk and a terminal command can both write.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nacl.encoding
import nacl.hash

from kiosk.support.files import write_atomic

if sys.platform != "win32":  # flock is POSIX; on Windows no lock is taken
    import fcntl

log = logging.getLogger("kiosk.staff.audit")

ACTIONS = (
    "sign-in",
    "sign-in-failed",
    "sign-in-locked",
    "lock",
    "view",
    "contacted",
    "contacted-undone",
    "export",
    "purge",
    "reload",
    "exit",
    "staff-add",
    "staff-remove",
    "staff-reset-pin",
)
GENESIS = "0" * 64  # the ``prev`` of the first entry
MAX_TEXT = 1000  # a detail or actor longer than this is cut (a path is the longest)

_FIELDS = ("seq", "time", "actor", "action", "details", "prev", "hash")
_CHUNK = 64 * 1024


class AuditError(Exception):
    """The audit log could not be written; ``message`` says so, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AuditEntry:
    """One line of the log."""

    seq: int
    time: str  # UTC, ISO 8601
    actor: str
    action: str
    details: dict[str, str | int]
    prev: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": self.time,
            "actor": self.actor,
            "action": self.action,
            "details": dict(self.details),
            "prev": self.prev,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class AuditCheck:
    """What ``verify`` found. ``line`` is where the chain breaks (1-based), if it does."""

    ok: bool
    entries: int
    line: int | None
    message: str


def head_path(path: Path) -> Path:
    """The side file that remembers the newest entry: ``audit.head`` beside ``audit.log``."""
    return Path(path).with_suffix(".head")


def entry_hash(
    seq: int, time: str, actor: str, action: str, details: Mapping[str, Any], prev: str
) -> str:
    """SHA-256 (hex) of the entry's canonical JSON, ``hash`` left out."""
    body = {
        "seq": seq,
        "time": time,
        "actor": actor,
        "action": action,
        "details": dict(details),
        "prev": prev,
    }
    data = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # libsodium's SHA-256: it is loaded already; hashlib would bring in OpenSSL.
    digest = nacl.hash.sha256(data.encode("utf-8"), encoder=nacl.encoding.HexEncoder)
    return digest.decode("ascii")


def _clean(text: str) -> str:
    """One line of printable text, at most MAX_TEXT characters: a name or path
    with a newline or an escape sequence in it must not forge a line or
    repaint a terminal when the log is read."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text)
    return cleaned[:MAX_TEXT]


def _now_text(clock: Callable[[], float]) -> str:
    return datetime.fromtimestamp(clock(), UTC).isoformat(timespec="seconds")


def _once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different: with a key twice, the hash is
    of one reading and a reader may take the other (json keeps the last)."""
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f'it has the field "{_clean(key)}" twice')
        document[key] = value
    return document


def _entry_from(raw: bytes) -> AuditEntry:
    """Parse one line; ValueError says what is wrong with it (not its content)."""
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_once_each)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("it is not JSON") from None
    if not isinstance(document, dict):
        raise ValueError("it is not a JSON object")
    missing = [name for name in _FIELDS if name not in document]
    if missing:
        raise ValueError(f"it has no {', '.join(missing)}")
    extra = sorted(set(document) - set(_FIELDS))
    if extra:
        raise ValueError(f"it has fields an entry never has ({', '.join(extra)})")
    seq, details = document["seq"], document["details"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValueError("its number is not a whole number from 1")
    for name in ("time", "actor", "action", "prev", "hash"):
        if not isinstance(document[name], str):
            raise ValueError(f"its {name} is not text")
    if not isinstance(details, dict) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in details.values()
    ):
        raise ValueError("its details are not names with text or numbers")
    return AuditEntry(
        seq=seq,
        time=document["time"],
        actor=document["actor"],
        action=document["action"],
        details=details,
        prev=document["prev"],
        hash=document["hash"],
    )


def _pread(fd: int, size: int, offset: int) -> bytes:
    """``size`` bytes at ``offset`` (fewer at the end of the file); os.pread is POSIX only."""
    os.lseek(fd, offset, os.SEEK_SET)
    parts: list[bytes] = []
    while size > 0:
        chunk = os.read(fd, size)
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def _tail_lines(fd: int, size: int, count: int) -> list[bytes]:
    """The last ``count`` complete lines (without their newline) of an open file, oldest first.

    Read backwards in chunks: the log grows for years, the panel wants 20. A
    last line without its newline is a write cut short, not a line yet.
    """
    if count <= 0 or size <= 0:
        return []
    end = size
    if _pread(fd, 1, size - 1) != b"\n":
        newline = _last_newline(fd, size)
        end = 0 if newline is None else newline + 1
    buffer, position = b"", end
    while position > 0 and buffer.count(b"\n") <= count:
        start = max(0, position - _CHUNK)
        buffer = _pread(fd, position - start, start) + buffer
        position = start
    lines = buffer.split(b"\n")[:-1]
    if position > 0:
        lines = lines[1:]  # the first may be the end of a longer line
    return lines[-count:]


def _last_newline(fd: int, size: int) -> int | None:
    """Where the file's last newline is, or None."""
    position = size
    while position > 0:
        start = max(0, position - _CHUNK)
        at = _pread(fd, position - start, start).rfind(b"\n")
        if at >= 0:
            return start + at
        position = start
    return None


def _read_head(path: Path) -> tuple[int, str] | None:
    """(seq, hash) from the head file; None when there is none. ValueError when damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("not JSON") from None
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    seq, digest = document.get("seq"), document.get("hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or not isinstance(digest, str):
        raise ValueError("no entry number and hash")
    return seq, digest


class AuditLog:
    """Appends to, and reads the newest entries of, one audit log file."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.head = head_path(self.path)
        self._clock = clock

    def __repr__(self) -> str:
        return f"AuditLog(path={str(self.path)!r})"

    def append(self, actor: str, action: str, **details: str | int) -> AuditEntry:
        """Write one entry (flushed, fsynced, then the head file); returns it.

        Raises ``AuditError`` when the file cannot be written, ``ValueError``
        for an action not in ``ACTIONS`` or a detail that is not text or a
        whole number (mistakes in the calling code, not in the world).
        """
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        clean: dict[str, str | int] = {}
        for key, value in details.items():
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise ValueError(f"audit detail {key!r} must be text or a whole number")
            clean[key] = _clean(value) if isinstance(value, str) else value
        actor = _clean(str(actor))
        try:
            return self._append(actor, action, clean)
        except OSError as exc:
            raise AuditError(
                f"The audit log {self.path} could not be written ({exc.strerror or exc})."
            ) from None

    def _append(self, actor: str, action: str, details: dict[str, str | int]) -> AuditEntry:
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.path, flags, 0o600)
        try:
            if os.name == "posix":
                os.fchmod(fd, 0o600)
            _lock(fd)
            seq, prev = self._last(fd)
            stamp = _now_text(self._clock)
            digest = entry_hash(seq + 1, stamp, actor, action, details, prev)
            entry = AuditEntry(seq + 1, stamp, actor, action, details, prev, digest)
            line = json.dumps(entry.to_json(), ensure_ascii=False, separators=(",", ":"))
            data = (line + "\n").encode("utf-8")
            while data:
                data = data[os.write(fd, data) :]
            os.fsync(fd)
            head = json.dumps({"seq": entry.seq, "hash": entry.hash}) + "\n"
            write_atomic(self.head, head.encode("ascii"))
            return entry
        finally:
            os.close(fd)  # closing releases the lock

    def _last(self, fd: int) -> tuple[int, str]:
        """The newest entry's number and hash, to chain the next one to.

        A line cut short by a crash is cut off first (it was never a whole
        entry). If the newest line is not an entry at all, the head file is
        believed instead; ``verify`` will name the damaged line.
        """
        size = os.fstat(fd).st_size
        if size and _pread(fd, 1, size - 1) != b"\n":
            newline = _last_newline(fd, size)
            keep = 0 if newline is None else newline + 1
            log.warning(
                "The audit log %s ended in an unfinished entry (%d bytes, a crash while "
                "writing?); it was cut off.",
                self.path,
                size - keep,
            )
            os.ftruncate(fd, keep)
            size = keep
        lines = _tail_lines(fd, size, 1)
        if not lines:
            return 0, GENESIS
        try:
            last = _entry_from(lines[0])
        except ValueError:
            try:
                head = _read_head(self.head)
            except ValueError:
                head = None
            if head is not None:
                return head
            return _count_lines(fd, size), GENESIS
        return last.seq, last.hash

    def latest(self, n: int = 20) -> list[AuditEntry]:
        """The newest ``n`` entries, newest first (lines that are not entries are skipped)."""
        if n <= 0:
            return []
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return []
        try:
            lines = _tail_lines(fd, os.fstat(fd).st_size, n)
        finally:
            os.close(fd)
        entries: list[AuditEntry] = []
        for raw in reversed(lines):
            with suppress(ValueError):
                entries.append(_entry_from(raw))
        return entries


def _count_lines(fd: int, size: int) -> int:
    count, position = 0, 0
    while position < size:
        chunk = _pread(fd, min(_CHUNK, size - position), position)
        count += chunk.count(b"\n")
        position += len(chunk)
    return count


def _lock(fd: int) -> None:
    if sys.platform != "win32":
        fcntl.flock(fd, fcntl.LOCK_EX)


def verify(path: Path, *, accounts_exist: bool = False, enquiries: int = 0) -> AuditCheck:
    """Check the whole chain and the head file; say whether it is intact and where it breaks.

    ``accounts_exist``: there are staff accounts. Adding one is always logged,
    so then a log that is missing or empty (with no head file to say how long
    it was) was deleted, not never written: that is a break, not "nothing to
    check". ``enquiries``: how many the database holds; log, head file and
    staff file deleted together still leave those, so with enquiries a missing
    or empty log is a break too.

    Three steps: read the head file, walk the chain line by line, then compare
    where the chain ends with where the head file says it ended.
    """
    path = Path(path)
    head = _read_head_file(head_path(path))
    if isinstance(head, AuditCheck):
        return head
    if not path.exists():
        return _no_log(path, head, accounts_exist=accounts_exist, enquiries=enquiries)
    end = _walk_chain(path)
    if isinstance(end, AuditCheck):
        return end
    return _compare_head(path, head, end, accounts_exist=accounts_exist, enquiries=enquiries)


@dataclass(frozen=True)
class _ChainEnd:
    """Where an unbroken chain ends: its last entry's number, hash and time, the
    hash of the entry before that one, and how many lines were read."""

    seq: int = 0
    hash: str = GENESIS
    before: str = GENESIS
    time: str = ""
    lines: int = 0


def _read_head_file(head_file: Path) -> tuple[int, str] | AuditCheck | None:
    """Step 1: the head file's (seq, hash), None when there is none, or the check's
    answer when it cannot be read."""
    try:
        return _read_head(head_file)
    except ValueError as exc:
        return AuditCheck(
            False, 0, None, f"The audit log's head file {head_file} is damaged ({exc})."
        )
    except OSError as exc:
        return AuditCheck(
            False,
            0,
            None,
            f"The audit log's head file {head_file} could not be read ({exc.strerror}).",
        )


def _no_log(
    path: Path, head: tuple[int, str] | None, *, accounts_exist: bool, enquiries: int = 0
) -> AuditCheck:
    """There is no log file: never written, or deleted (the head file or the accounts say)."""
    if head is not None and head[0] > 0:
        return AuditCheck(
            False,
            0,
            1,
            f"The audit log {path} is missing, but its head file says {head[0]} entries "
            f"were written: it was deleted.",
        )
    if accounts_exist:
        return AuditCheck(
            False,
            0,
            1,
            f"The audit log {path} is missing, although there are staff accounts (adding "
            f"one is logged): it was deleted, with its head file.",
        )
    if enquiries:
        return AuditCheck(False, 0, 1, _deleted_with_enquiries(path, "missing", enquiries))
    return AuditCheck(True, 0, None, "There is no audit log yet: nothing to check.")


def _deleted_with_enquiries(path: Path, what: str, enquiries: int) -> str:
    return (
        f"The audit log {path} is {what}, but the kiosk holds {enquiries} "
        f"enquir{'y' if enquiries == 1 else 'ies'}: it was deleted (with its head file, "
        f"and the staff file too if there is none), unless no staff account was ever made."
    )


def _walk_chain(path: Path) -> _ChainEnd | AuditCheck:
    """Step 2: follow every line from the first; where the chain ends, or the check's
    answer at the first line that breaks it."""
    end = _ChainEnd()
    try:
        with open(path, "rb") as file:
            for raw in file:
                entry, problem = _follows(raw, end.seq, end.hash)
                if entry is None:
                    return _broken(end.seq, end.lines + 1, problem)
                end = _ChainEnd(entry.seq, entry.hash, end.hash, entry.time, end.lines + 1)
    except OSError as exc:
        return AuditCheck(
            False, end.seq, None, f"The audit log {path} could not be read ({exc.strerror})."
        )
    return end


def _compare_head(
    path: Path,
    head: tuple[int, str] | None,
    end: _ChainEnd,
    *,
    accounts_exist: bool,
    enquiries: int = 0,
) -> AuditCheck:
    """Step 3: the whole chain against the head file, which catches its last entries
    deleted (the chain alone would still be whole) or changed."""
    seq, line_no = end.seq, end.lines
    if head is None and seq > 1:
        return AuditCheck(
            False,
            seq,
            None,
            f"The audit log's head file {head_path(path)} is missing, so whether its last "
            f"entries were deleted cannot be told; the {seq} entries there are chained correctly.",
        )
    head_seq, head_hash = head if head is not None else (0, GENESIS)
    if head_seq > seq:
        lost = head_seq - seq
        return AuditCheck(
            False,
            seq,
            line_no + 1,
            f"The audit log breaks at line {line_no + 1}: it ends at entry {seq}, but its head "
            f"file says entry {head_seq} was written: the last "
            f"{'entry was' if lost == 1 else f'{lost} entries were'} deleted.",
        )
    if head_seq == seq and head_hash != end.hash:
        return AuditCheck(
            False,
            seq,
            line_no,
            f"The audit log breaks at line {line_no}: entry {seq} is not the one its head file "
            f"recorded: it was changed or replaced.",
        )
    if head_seq == seq - 1 and head_hash != end.before:
        return AuditCheck(
            False,
            seq,
            line_no - 1 if line_no > 1 else 1,
            f"The audit log breaks at line {max(1, line_no - 1)}: entry {head_seq} is not the "
            f"one its head file recorded: it was changed or replaced.",
        )
    if head_seq < seq - 1:
        return AuditCheck(
            False,
            seq,
            head_seq + 1,
            f"The audit log breaks at line {head_seq + 1}: its head file says the log ended at "
            f"entry {head_seq}, but it goes on to entry {seq}: entries were added without it.",
        )
    if seq == 0:
        if accounts_exist:
            return AuditCheck(
                False,
                0,
                1,
                f"The audit log {path} is empty, although there are staff accounts (adding "
                f"one is logged): its entries were deleted, with its head file.",
            )
        if enquiries:
            return AuditCheck(False, 0, 1, _deleted_with_enquiries(path, "empty", enquiries))
        return AuditCheck(True, 0, None, "The audit log is empty: nothing to check.")
    note = (
        " (the head file is one entry behind: the kiosk stopped between writing the "
        "last entry and the head file; the next entry puts it right)"
        if head_seq == seq - 1
        else ""
    )
    return AuditCheck(
        True,
        seq,
        None,
        f"The audit log is intact: {seq} entr{'y' if seq == 1 else 'ies'}, the last at "
        f"{end.time}, hash {end.hash}{note}.",
    )


def _follows(raw: bytes, seq: int, prev: str) -> tuple[AuditEntry | None, str]:
    """The entry on this line if it rightly follows entry ``seq`` (hash ``prev``),
    else None and what is wrong, most telling first."""
    if not raw.endswith(b"\n"):
        return None, (
            "the last line is an unfinished entry (a crash while writing?); the next "
            "entry written will cut it off"
        )
    try:
        entry = _entry_from(raw.rstrip(b"\n"))
    except ValueError as exc:
        return None, f"this line is not an audit entry: {exc}"
    expected = seq + 1
    if entry.seq > expected:
        return None, (
            f"entry {expected} is missing here (this is entry {entry.seq}): entries were "
            f"deleted or moved"
        )
    if entry.seq < expected:
        return None, (
            f"entry {entry.seq} is out of order (entry {expected} belongs here): entries "
            f"were moved or copied"
        )
    if entry.prev != prev:
        return None, (
            f"entry {entry.seq} does not follow the entry before it (its link back differs): "
            f"the entry before it was changed or replaced"
        )
    digest = entry_hash(entry.seq, entry.time, entry.actor, entry.action, entry.details, prev)
    if digest != entry.hash:
        return None, (
            f"entry {entry.seq} was changed after it was written (its hash does not match "
            f"what it says)"
        )
    return entry, ""


def _broken(entries: int, line: int, why: str) -> AuditCheck:
    return AuditCheck(False, entries, line, f"The audit log breaks at line {line}: {why}.")
