"""The office app's reads and writes, in plain Python (the window is another module's).

- ``page``: the enquiries newest first, a page at a time (by id, LIMIT): the
  app decrypts only the rows it shows.
- ``verify_kiosks``: per kiosk, how many arrived, which numbers are missing
  and which rows do not carry the kiosk's signature ("Lobby: 1,204 received,
  none missing"); with a ``VerifiedCache``, a repeated call verifies only the
  new rows' signatures.
- ``set_status``: a front-desk change with a sealed note, audited in the
  same transaction; two offices marking one enquiry at once: one wins, the
  other is told who did, both are audited, nothing is lost.
- ``kiosk_health``: green / amber / red per kiosk, with the reason in words.
- alerts: the open ones, and acknowledging one (audited).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import nacl.exceptions
import nacl.signing
import psycopg

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


def page(
    conn: Conn,
    *,
    before_id: int | None = None,
    limit: int = 50,
    status: str | None = None,
    kiosk: str | None = None,
) -> list[OfficeEnquiry]:
    """At most ``limit`` enquiries newest first, below ``before_id`` (None: the first page)."""
    where = ["true"]
    params: list[object] = []
    if before_id is not None:
        where.append("e.id < %s")
        params.append(before_id)
    if status is not None:
        where.append("e.status = %s")
        params.append(status)
    if kiosk is not None:
        where.append("k.name = %s")
        params.append(kiosk)
    query = (
        f"SELECT {_COLUMNS} FROM enquiries e LEFT JOIN kiosks k ON k.role = e.kiosk"
        f" WHERE {' AND '.join(where)} ORDER BY e.id DESC LIMIT %s"
    )
    rows = conn.execute(query.encode(), [*params, limit]).fetchall()
    return [_enquiry(r) for r in rows]


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
        said = f"kiosk {self.name}: {self.received:,} received"
        n_missing = sum(last - first + 1 for first, last in self.missing)
        parts = []
        if n_missing:
            ranges = ", ".join(
                str(first) if first == last else f"{first}-{last}" for first, last in self.missing
            )
            parts.append(f"{n_missing:,} missing (number {ranges})")
        if self.bad_signatures:
            numbers = ", ".join(str(s) for s in self.bad_signatures)
            n_bad = len(self.bad_signatures)
            parts.append(f"{n_bad:,} altered or not signed by the kiosk (number {numbers})")
        return f"{said}, {'; '.join(parts) if parts else 'none missing'}"


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
        audit.append(conn, actor, "status", str(enquiry_id), {"from": current, "to": status})
    return StatusChange(changed=True, status=status, by=actor)


# -- kiosk health ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KioskHealth:
    name: str
    health: Health
    reason: str
    last_heartbeat: datetime | None


def kiosk_health(conn: Conn, now: datetime | None = None) -> list[KioskHealth]:
    """Green; amber when a heartbeat was missed or the outbox holds one older than
    10 minutes; red when no heartbeat came for 5 minutes (or ever)."""
    now = now or datetime.now(UTC)
    rows = conn.execute(
        "SELECT k.name, k.revoked_at, h.received_at, h.outbox_depth, h.oldest_unsent_s,"
        " h.last_error FROM kiosks k LEFT JOIN LATERAL (SELECT * FROM heartbeats"
        " WHERE kiosk = k.role ORDER BY id DESC LIMIT 1) h ON true ORDER BY k.name"
    ).fetchall()
    result = []
    for name, revoked_at, beat_at, depth, oldest, error in rows:
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
        result.append(KioskHealth(str(name), health, reason, beat_at))
    return result


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
