"""The office app's reads and writes, in plain Python (the window is another module's).

- ``page``: the enquiries newest first, a page at a time (by id, LIMIT): the
  app decrypts only the rows it shows.
- ``verify_kiosks``: per kiosk, how many arrived, which numbers are missing
  and which rows do not carry the kiosk's signature ("Lobby: 1,204 received,
  none missing"); with a ``VerifiedCache``, a repeated call verifies only the
  new rows' signatures.
- ``Filters``: status, kiosk, topic, days received (SQL on plaintext columns);
  ``search``: name or phone, each row opened here in batches, never in a query.
- ``export``: the filtered enquiries with the tablet's writer, marked, audited;
  ``purge``: retention, audited. ``topic_titles``: from the kiosks' heartbeats.
- ``set_status``: a front-desk change with a sealed note, audited in the
  same transaction; two offices marking one enquiry at once: one wins, the
  other is told who did, both are audited, nothing is lost.
- ``kiosk_health``: green / amber / red per kiosk, with the reason in words, and
  what its last heartbeat said (version, content, outbox, disk, last touch).
- ``page_view_totals``: page views per page summed over kiosks.
- alerts: the open ones, and acknowledging one (audited).
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal

import nacl.exceptions
import nacl.signing
import psycopg

from kiosk.enquiries import labels
from kiosk.enquiries.export import (
    RECEIVED_FORMAT,
    ExportResult,
    row_cells,
    write_rows,
)
from kiosk.enquiries.keys import KeysError, Opener
from kiosk.enquiries.store import StoreError, open_personal
from kiosk.office import audit
from kiosk.office.outbox import signed_message
from kiosk.office.schema import STATUSES

Conn = psycopg.Connection[Any]
Health = Literal["green", "amber", "red"]

HEARTBEAT_S = 60.0
RED_AFTER = timedelta(minutes=5)
AMBER_OUTBOX_AGE_S = 600.0


@dataclass(frozen=True)
class OfficeEnquiry:
    id: int
    kiosk: str  # the kiosk's name, as staff read it
    seq: int
    form_key: str
    created_at: datetime
    received_at: datetime
    topic: str
    key_id: str
    sealed: bytes
    status: str
    status_at: datetime | None
    status_by: str | None
    note_sealed: bytes | None


_COLUMNS = (
    "e.id, coalesce(k.name, e.kiosk), e.seq, e.form_key, e.created_at, e.received_at, e.topic,"
    " e.key_id, e.sealed, e.status, e.status_at, e.status_by, e.note_sealed"
)


def _enquiry(row: tuple[Any, ...]) -> OfficeEnquiry:
    values = list(row)
    values[8] = bytes(values[8])
    values[12] = None if values[12] is None else bytes(values[12])
    return OfficeEnquiry(*values)


@dataclass(frozen=True)
class Filters:
    """What the inbox is narrowed to: SQL on the plaintext columns only (status, kiosk,
    topic, the day received, in this machine's time zone; ``until`` included)."""

    status: str | None = None
    kiosk: str | None = None  # the kiosk's name
    topic: str | None = None  # the topic's id
    since: date | None = None
    until: date | None = None

    def sql(self) -> tuple[str, list[object]]:
        where = ["true"]
        params: list[object] = []
        if self.status is not None:
            where.append("e.status = %s")
            params.append(self.status)
        if self.kiosk is not None:
            where.append("k.name = %s")
            params.append(self.kiosk)
        if self.topic is not None:
            where.append("e.topic = %s")
            params.append(self.topic)
        if self.since is not None:
            where.append("e.received_at >= %s")
            params.append(_midnight(self.since))
        if self.until is not None:
            where.append("e.received_at < %s")
            params.append(_midnight(self.until + timedelta(days=1)))
        return " AND ".join(where), params

    def described(self) -> dict[str, str]:
        """The filters in effect, for the audit log (nothing personal: plaintext columns)."""
        return {
            name: str(value)
            for name, value in (
                ("status", self.status),
                ("kiosk", self.kiosk),
                ("topic", self.topic),
                ("since", self.since),
                ("until", self.until),
            )
            if value is not None
        }


NO_FILTERS = Filters()


def _midnight(day: date) -> datetime:
    """The start of ``day`` on this machine's clock (the clinic's), as an aware time."""
    return datetime.combine(day, time.min).astimezone()


def page(
    conn: Conn,
    *,
    before_id: int | None = None,
    after_id: int | None = None,
    limit: int = 50,
    filters: Filters = NO_FILTERS,
) -> list[OfficeEnquiry]:
    """At most ``limit`` enquiries, newest first below ``before_id`` (None: the first
    page); with ``after_id``, oldest first above it (the export's order)."""
    where, params = filters.sql()
    order = "DESC"
    if before_id is not None:
        where += " AND e.id < %s"
        params.append(before_id)
    if after_id is not None:
        where += " AND e.id > %s"
        params.append(after_id)
        order = "ASC"
    query = (
        f"SELECT {_COLUMNS} FROM enquiries e LEFT JOIN kiosks k ON k.role = e.kiosk"
        f" WHERE {where} ORDER BY e.id {order} LIMIT %s"
    )
    rows = conn.execute(query.encode(), [*params, limit]).fetchall()
    return [_enquiry(r) for r in rows]


def count(conn: Conn, filters: Filters = NO_FILTERS) -> int:
    """How many enquiries the filters select (the inbox says so above the list)."""
    where, params = filters.sql()
    query = f"SELECT count(*) FROM enquiries e LEFT JOIN kiosks k ON k.role = e.kiosk WHERE {where}"
    row = conn.execute(query.encode(), params).fetchone()
    return int(row[0]) if row else 0


def newest_id(conn: Conn) -> int:
    """The newest enquiry's id, 0 with none (the office's chime: a higher one is new)."""
    row = conn.execute("SELECT coalesce(max(id), 0) FROM enquiries").fetchone()
    return int(row[0]) if row else 0


def counts(conn: Conn) -> dict[str, int]:
    found = dict(conn.execute("SELECT status, count(*) FROM enquiries GROUP BY status").fetchall())
    return {s: int(found.get(s, 0)) for s in STATUSES}


# -- what each kiosk sent ----------------------------------------------------------------


@dataclass(frozen=True)
class KioskReceipt:
    """What arrived from one kiosk, checked: numbers missing and rows not as signed."""

    name: str
    received: int
    missing: list[tuple[int, int]]  # ranges of seq numbers, first to last
    bad_signatures: list[int]  # seq numbers
    checked: int = 0  # signatures verified by this call (the rest were cached)

    def summary(self) -> str:
        """One line: "kiosk Lobby: 1,000 received, 45 missing (numbers 5-9, 12, 20-25,
        30 and 40 more)"; a long gap reads as a range, and only the first few are named."""
        said = f"kiosk {self.name}: {self.received:,} received"
        parts = []
        if self.missing:
            parts.append(_say_numbers("missing", self.missing))
        if self.bad_signatures:
            bad = _runs(sorted(self.bad_signatures))
            parts.append(_say_numbers("altered or not signed by the kiosk", bad))
        return f"{said}, {'; '.join(parts) if parts else 'none missing'}"


SHOWN_RANGES = 4  # a receipt names this many ranges of numbers, then counts the rest


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as ranges of consecutive ones: [4, 5, 6, 9] → [(4, 6), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _say_numbers(what: str, ranges: list[tuple[int, int]]) -> str:
    """ "3 missing (numbers 2-3 and 7)": the first ``SHOWN_RANGES`` ranges, then how
    many numbers more."""
    total = sum(last - first + 1 for first, last in ranges)
    words = [f"{a:,}" if a == b else f"{a:,}-{b:,}" for a, b in ranges[:SHOWN_RANGES]]
    rest = total - sum(b - a + 1 for a, b in ranges[:SHOWN_RANGES])
    if rest:
        words.append(f"{rest:,} more")
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    return f"{total:,} {what} ({'number' if total == 1 else 'numbers'} {listed})"


# One row's signed fields and signature, hashed by PostgreSQL (each field
# length-prefixed, as ``signed_message`` does): what the cache compares.
_ROW_DIGEST = (
    "sha256(int8send(seq)"
    " || int4send(octet_length(form_key)) || convert_to(form_key, 'UTF8')"
    " || int4send(octet_length(topic)) || convert_to(topic, 'UTF8')"
    " || int4send(octet_length(key_id)) || convert_to(key_id, 'UTF8')"
    " || int4send(length(sealed)) || sealed || signature)"
)


@dataclass
class _Verified:
    verify_key: bytes
    through: int  # the highest seq verified
    count: int  # rows up to ``through``
    fold: Any  # hashlib sha256 over the row digests up to ``through``, in seq order
    bad: list[int] = field(default_factory=list)


class VerifiedCache:
    """What ``verify_kiosks`` verified already, for one office database, held in this
    process's memory only.

    What it trusts, and what not: never a table (whoever could alter a signed
    row could alter that too), only the fold of row digests it made itself when
    it verified them. Each later call asks PostgreSQL to hash the rows already
    verified again (SHA-256 per row, on the server: nothing sent, no Ed25519)
    and compares; a row altered, removed or added among them sends that kiosk
    back to a full verification, which names the row. So a repeated call
    verifies only new rows' signatures. It trusts the server to compute the
    hash honestly: a full check (``verify_kiosks(conn)`` with no cache) trusts
    nothing but the kiosks' keys.
    """

    def __init__(self) -> None:
        self._kiosks: dict[str, _Verified] = {}


def verify_kiosks(conn: Conn, cache: VerifiedCache | None = None) -> list[KioskReceipt]:
    """Check every kiosk's rows: each signature, and the numbers from 1 to the last."""
    kiosks = conn.execute("SELECT role, name, verify_key FROM kiosks ORDER BY name").fetchall()
    return [
        _verify_kiosk(conn, str(role), str(name), bytes(key) if key else b"", cache)
        for role, name, key in kiosks
    ]


def _still_verified(conn: Conn, role: str, entry: _Verified) -> bool:
    """Whether the rows up to ``entry.through`` are still, byte for byte, those verified."""
    row = conn.execute(
        f"SELECT count(*), sha256(string_agg({_ROW_DIGEST}, ''::bytea ORDER BY seq))"
        " FROM enquiries WHERE kiosk = %s AND seq <= %s".encode(),
        (role, entry.through),
    ).fetchone()
    return (
        row is not None
        and int(row[0]) == entry.count
        and row[1] is not None
        and bytes(row[1]) == entry.fold.digest()
    )


def _verify_kiosk(
    conn: Conn, role: str, name: str, verify_key: bytes, cache: VerifiedCache | None
) -> KioskReceipt:
    key = nacl.signing.VerifyKey(verify_key) if verify_key else None
    entry = cache._kiosks.get(role) if cache is not None else None
    if entry is not None and (
        entry.verify_key != verify_key or not _still_verified(conn, role, entry)
    ):
        entry = None
    if entry is None:
        entry = _Verified(verify_key, through=0, count=0, fold=hashlib.sha256())
    checked = 0
    with conn.cursor() as cur:
        cur.execute(
            "SELECT seq, form_key, topic, key_id, sealed, signature,"
            f" {_ROW_DIGEST} FROM enquiries WHERE kiosk = %s AND seq > %s ORDER BY seq".encode(),
            (role, entry.through),
        )
        for seq, form_key, topic, key_id, sealed, signature, digest in cur:
            checked += 1
            message = signed_message(role, seq, form_key, topic, key_id, bytes(sealed))
            try:
                if key is None:
                    raise nacl.exceptions.BadSignatureError("no verify key")
                key.verify(message, bytes(signature))
            except nacl.exceptions.BadSignatureError:
                entry.bad.append(int(seq))
            entry.fold.update(bytes(digest))
            entry.through, entry.count = int(seq), entry.count + 1
    if cache is not None:
        cache._kiosks[role] = entry
    gaps = conn.execute(
        "SELECT prev + 1, seq - 1 FROM (SELECT seq, coalesce(lag(seq) OVER (ORDER BY seq), 0)"
        " AS prev FROM enquiries WHERE kiosk = %s) s WHERE seq > prev + 1 ORDER BY seq",
        (role,),
    ).fetchall()
    return KioskReceipt(
        name=name,
        received=entry.count,
        missing=[(int(a), int(b)) for a, b in gaps],
        bad_signatures=list(entry.bad),
        checked=checked,
    )


# -- the front desk's changes ---------------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    """``changed`` False: someone else changed it first (``status``, ``by`` say to what, who)."""

    changed: bool
    status: str
    by: str | None


def set_status(
    conn: Conn,
    enquiry_id: int,
    status: str,
    *,
    actor: str,
    expected: str,
    note_sealed: bytes | None = None,
) -> StatusChange:
    """Change one enquiry's status if it is still ``expected`` (what the member saw).

    The row is locked for the check and the change, so a second office waits,
    then finds the first office's status and is refused; both attempts go to
    the audit log.
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    with conn.transaction():
        row = conn.execute(
            "SELECT status, status_by FROM enquiries WHERE id = %s FOR UPDATE", (enquiry_id,)
        ).fetchone()
        if row is None:
            raise LookupError(f"There is no enquiry {enquiry_id}.")
        current, by = str(row[0]), row[1]
        if current != expected:
            audit.append(
                conn,
                actor,
                "status-refused",
                str(enquiry_id),
                {"wanted": status, "found": current, "by": by},
            )
            return StatusChange(changed=False, status=current, by=by)
        conn.execute(
            "UPDATE enquiries SET status = %s, status_at = now(), status_by = %s,"
            " note_sealed = coalesce(%s, note_sealed) WHERE id = %s",
            (status, actor, note_sealed, enquiry_id),
        )
        change = {"from": current, "to": status}
        if note_sealed is not None:
            change["note"] = "sealed"  # that there is one; its text never leaves the office app
        audit.append(conn, actor, "status", str(enquiry_id), change)
    return StatusChange(changed=True, status=status, by=actor)


# -- kiosk health ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KioskHealth:
    name: str
    health: Health
    reason: str
    last_heartbeat: datetime | None
    # What the last heartbeat said (None: none came).
    version: str | None = None
    content_fingerprint: str | None = None
    outbox_depth: int | None = None
    free_disk: int | None = None
    last_touch: datetime | None = None


def kiosk_health(conn: Conn, now: datetime | None = None) -> list[KioskHealth]:
    """Green; amber when a heartbeat was missed or the outbox holds one older than
    10 minutes; red when no heartbeat came for 5 minutes (or ever)."""
    now = now or datetime.now(UTC)
    rows = conn.execute(
        "SELECT k.name, k.revoked_at, h.received_at, h.outbox_depth, h.oldest_unsent_s,"
        " h.last_error, h.version, h.content_fingerprint, h.free_disk, h.last_touch"
        " FROM kiosks k LEFT JOIN LATERAL (SELECT * FROM heartbeats"
        " WHERE kiosk = k.role ORDER BY id DESC LIMIT 1) h ON true ORDER BY k.name"
    ).fetchall()
    result = []
    for name, revoked_at, beat_at, depth, oldest, error, version, content, disk, touch in rows:
        if revoked_at is not None:
            health: Health = "red"
            reason = "Revoked: this kiosk may no longer send."
        elif beat_at is None:
            health, reason = "red", "No heartbeat has ever come from this kiosk."
        elif now - beat_at > RED_AFTER:
            minutes = int((now - beat_at).total_seconds() // 60)
            health, reason = "red", f"No heartbeat for {minutes} minutes."
        elif (now - beat_at).total_seconds() > 1.5 * HEARTBEAT_S:
            health, reason = "amber", "A heartbeat was missed."
        elif oldest is not None and oldest > AMBER_OUTBOX_AGE_S:
            health = "amber"
            reason = (
                f"{depth} enquiries wait on the tablet, the oldest for {int(oldest // 60)} minutes."
            )
        else:
            health, reason = "green", "Working."
        if error and health != "green":
            reason = f"{reason} The kiosk says: {error}"
        result.append(
            KioskHealth(str(name), health, reason, beat_at, version, content, depth, disk, touch)
        )
    return result


def page_view_totals(conn: Conn, days: int = 30) -> list[tuple[str, int]]:
    """Views per page over the last ``days`` days (today included), summed over every
    kiosk: most viewed first."""
    rows = conn.execute(
        "SELECT page, sum(views) AS n FROM page_views WHERE day > current_date - %s"
        " GROUP BY page ORDER BY n DESC, page",
        (days,),
    ).fetchall()
    return [(str(page), int(n)) for page, n in rows]


# -- alerts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    id: int
    kiosk: str
    raised_at: datetime


def open_alerts(conn: Conn) -> list[Alert]:
    rows = conn.execute(
        "SELECT a.id, coalesce(k.name, a.kiosk), a.raised_at FROM alerts a"
        " LEFT JOIN kiosks k ON k.role = a.kiosk WHERE a.acknowledged_at IS NULL"
        " ORDER BY a.raised_at"
    ).fetchall()
    return [Alert(int(i), str(k), at) for i, k, at in rows]


def acknowledge(conn: Conn, alert_id: int, *, actor: str) -> bool:
    """Acknowledge an alert (the kiosk then tells the patient); False when it was already."""
    with conn.transaction():
        done = conn.execute(
            "UPDATE alerts SET acknowledged_at = now(), acknowledged_by = %s"
            " WHERE id = %s AND acknowledged_at IS NULL",
            (actor, alert_id),
        ).rowcount
        if done:
            audit.append(conn, actor, "alert-acknowledged", str(alert_id))
    return bool(done)


# -- what the filters offer, and topics by title ---------------------------------------------


def kiosk_names(conn: Conn) -> list[str]:
    return [str(name) for (name,) in conn.execute("SELECT name FROM kiosks ORDER BY name")]


def topic_ids(conn: Conn) -> list[str]:
    """Every topic an enquiry is about (one pass over the plaintext column)."""
    rows = conn.execute("SELECT DISTINCT topic FROM enquiries ORDER BY topic").fetchall()
    return [str(topic) for (topic,) in rows]


def topic_titles(conn: Conn) -> dict[str, str]:
    """Topic id → title, from each kiosk's latest heartbeat that carried its topics (the
    office has no content); where kiosks differ, the most recent heartbeat's title."""
    rows = conn.execute(
        "SELECT t.key, t.value FROM kiosks k CROSS JOIN LATERAL (SELECT id, topics"
        " FROM heartbeats WHERE kiosk = k.role AND topics IS NOT NULL ORDER BY id DESC LIMIT 1) h"
        " CROSS JOIN LATERAL jsonb_each_text(h.topics) t ORDER BY h.id"
    ).fetchall()
    return {str(key): str(title) for key, title in rows}  # later (newer) rows win


# -- search: the sealed fields opened here, never in a query ---------------------------------


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def matches(personal: Mapping[str, str], text: str) -> bool:
    """Whether an opened enquiry is one searched for: ``text`` in the name (any case),
    or, when ``text`` has no letters, its digits in the phone's ("801 555" finds
    "(801) 555-0100")."""
    wanted = text.strip().casefold()
    if not wanted or wanted in personal.get("name", "").casefold():
        return True
    number = digits(text)
    if not number or any(c.isalpha() for c in text):
        return False
    return number in digits(personal.get("phone", ""))


@dataclass(frozen=True)
class Opened:
    enquiry: OfficeEnquiry
    personal: dict[str, str]


def _opened(opener: Opener, enquiries: Iterable[OfficeEnquiry]) -> Iterator[Opened | None]:
    """Each enquiry opened, or None for one that will not open with this key."""
    for enquiry in enquiries:
        try:
            yield Opened(enquiry, open_personal(opener, enquiry))
        except (KeysError, StoreError):
            yield None


def search(
    conn: Conn, opener: Opener, text: str, filters: Filters = NO_FILTERS, *, batch: int = 500
) -> Generator[tuple[int, list[Opened]], None, None]:
    """Newest first, a batch at a time: (how many rows were looked at so far, the ones
    in this batch that match). The database sees only the filters: each row is
    opened and compared here, in memory. Stop iterating to cancel."""
    looked = 0
    before: int | None = None
    while True:
        rows = page(conn, before_id=before, limit=batch, filters=filters)
        if not rows:
            return
        looked += len(rows)
        before = rows[-1].id
        found = [o for o in _opened(opener, rows) if o is not None and matches(o.personal, text)]
        yield looked, found


# -- export: the tablet's writer, the filtered enquiries -------------------------------------


def export(
    conn: Conn,
    opener: Opener,
    out: Path,
    fmt: str,
    filters: Filters = NO_FILTERS,
    *,
    actor: str,
    text: str = "",
    titles: Mapping[str, str] | None = None,
    tz: tzinfo | None = None,
    batch: int = 500,
) -> ExportResult:
    """Write the enquiries the filters (and ``text``, as ``search`` does) select to ``out``,
    oldest first, with the tablet's writer (``kiosk.enquiries.export``: inert cells,
    atomic); once the file is durable, mark the "new" ones in it "exported" and
    audit the export, in one transaction. ``ExportError``: nothing written or marked.
    Rows that will not open with this key are left out (``skipped``)."""
    titles = titles or {}
    written: list[int] = []
    new_ids: list[int] = []
    skipped: list[int] = []

    def rows() -> Iterator[list[str]]:
        after = 0
        while chunk := page(conn, after_id=after, limit=batch, filters=filters):
            after = chunk[-1].id
            for enquiry, opened in zip(chunk, _opened(opener, chunk), strict=True):
                if opened is None:
                    skipped.append(enquiry.id)
                    continue
                if not matches(opened.personal, text):
                    continue
                written.append(enquiry.id)
                if enquiry.status == "new":
                    new_ids.append(enquiry.id)
                yield row_cells(
                    str(enquiry.id),
                    enquiry.received_at.astimezone(tz).strftime(RECEIVED_FORMAT),
                    labels.topic(enquiry.topic, titles),
                    opened.personal,
                    enquiry.status,
                )

    write_rows(out, fmt, rows())
    with conn.transaction():
        marked = conn.execute(
            "UPDATE enquiries SET status = 'exported', status_at = now(), status_by = %s"
            " WHERE id = ANY(%s) AND status = 'new'",
            (actor, new_ids),
        ).rowcount
        audit.append(
            conn,
            actor,
            "export",
            out.name,
            {
                "format": fmt,
                "count": len(written),
                "marked": marked,
                "skipped": len(skipped),
                "filters": filters.described(),
                "searched": bool(text.strip()),  # whether, never what: the text may be a name
            },
        )
    return ExportResult(
        path=out, count=len(written), ids=tuple(written), skipped=tuple(skipped), marked=marked
    )


# -- retention ---------------------------------------------------------------------------------


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be a whole number, 0 or more, not {days!r}")
    return (now or datetime.now(UTC)) - timedelta(days=days)


# As on the tablet (EnquiryStore.purge): counted from the last change of status (the
# export, the call), not from the day the patient asked; a "new" one is never deleted.
_PURGEABLE = "status <> 'new' AND coalesce(status_at, received_at) < %s"


def purgeable(conn: Conn, cutoff: datetime) -> int:
    """How many enquiries ``purge(cutoff)`` would delete (for the confirmation)."""
    row = conn.execute(f"SELECT count(*) FROM enquiries WHERE {_PURGEABLE}".encode(), (cutoff,))
    found = row.fetchone()
    return int(found[0]) if found else 0


def purge(conn: Conn, cutoff: datetime, *, actor: str, days: int) -> int:
    """Delete the enquiries no longer "new" whose status changed before ``cutoff``
    (``days`` ago, for the audit log); returns how many. Audited in the same transaction."""
    with conn.transaction():
        deleted = conn.execute(
            f"DELETE FROM enquiries WHERE {_PURGEABLE}".encode(), (cutoff,)
        ).rowcount
        audit.append(conn, actor, "purge", "", {"days": days, "deleted": deleted})
    return deleted
