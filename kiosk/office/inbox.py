"""The office app's reads and writes, in plain Python (the window is another module's).

- ``page``: the enquiries newest first, a page at a time (by id, LIMIT): the
  app decrypts only the rows it shows.
- ``verify_kiosks``: per kiosk, how many arrived, which numbers are missing
  and which rows do not carry the kiosk's signature ("Lobby: 1,204 received,
  none missing").
- ``set_status``: a front-desk change with a sealed note, audited in the
  same transaction; two offices marking one enquiry at once: one wins, the
  other is told who did, both are audited, nothing is lost.
- ``kiosk_health``: green / amber / red per kiosk, with the reason in words, and
  what its last heartbeat said (version, content, outbox, disk, last touch).
- ``page_view_totals``: page views per page summed over kiosks.
- alerts: the open ones, and acknowledging one (audited).
"""

from __future__ import annotations

from dataclasses import dataclass
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


def verify_kiosks(conn: Conn) -> list[KioskReceipt]:
    """Check every kiosk's rows: each signature, and the numbers from 1 to the last."""
    receipts = []
    kiosks = conn.execute("SELECT role, name, verify_key FROM kiosks ORDER BY name").fetchall()
    for role, name, verify_key in kiosks:
        key = nacl.signing.VerifyKey(bytes(verify_key)) if verify_key else None
        bad: list[int] = []
        count = 0
        with conn.cursor() as cur:
            cur.execute(
                "SELECT seq, form_key, topic, key_id, sealed, signature FROM enquiries"
                " WHERE kiosk = %s ORDER BY seq",
                (role,),
            )
            for seq, form_key, topic, key_id, sealed, signature in cur:
                count += 1
                message = signed_message(role, seq, form_key, topic, key_id, bytes(sealed))
                try:
                    if key is None:
                        raise nacl.exceptions.BadSignatureError("no verify key")
                    key.verify(message, bytes(signature))
                except nacl.exceptions.BadSignatureError:
                    bad.append(int(seq))
        gaps = conn.execute(
            "SELECT prev + 1, seq - 1 FROM (SELECT seq, coalesce(lag(seq) OVER (ORDER BY seq), 0)"
            " AS prev FROM enquiries WHERE kiosk = %s) s WHERE seq > prev + 1 ORDER BY seq",
            (role,),
        ).fetchall()
        receipts.append(
            KioskReceipt(
                name=str(name),
                received=count,
                missing=[(int(a), int(b)) for a, b in gaps],
                bad_signatures=bad,
            )
        )
    return receipts


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
