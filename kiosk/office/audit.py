"""The office's audit log in PostgreSQL: every staff action, hash-chained.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and the
entry's own fields (canonical JSON), so an entry changed, removed or put in
between breaks the chain from there on, and ``verify`` names the first entry
that does not fit. Appending takes a transaction-scoped advisory lock, so two
office apps writing at once still make one chain; the entry commits (or not)
with the change it records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

GENESIS = bytes(32)
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('kiosk.office.audit'))"


def _digest(prev: bytes, at: str, actor: str, action: str, subject: str, detail: Any) -> bytes:
    body = json.dumps(
        [at, actor, action, subject, detail], ensure_ascii=False, sort_keys=True
    ).encode("utf-8")
    return hashlib.sha256(prev + body).digest()


def append(
    conn: psycopg.Connection[Any],
    actor: str,
    action: str,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one entry, inside the caller's transaction (it commits with the change)."""
    detail = detail or {}
    conn.execute(_LOCK)
    row = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = bytes(row[0]) if row else GENESIS
    # Microseconds in the text that is hashed: the stored timestamptz keeps them.
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    conn.execute(
        "INSERT INTO audit (at, actor, action, subject, detail, prev_hash, hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            at,
            actor,
            action,
            subject,
            json.dumps(detail),
            prev,
            _digest(prev, at, actor, action, subject, detail),
        ),
    )


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    broken_at: int | None  # the id of the first entry that does not fit, or None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(conn: psycopg.Connection[Any]) -> AuditCheck:
    """Walk the whole chain; the first entry whose link or hash is wrong is named."""
    prev = GENESIS
    count = 0
    with conn.cursor(name="audit_walk") if not conn.autocommit else conn.cursor() as cur:
        cur.execute(
            "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit ORDER BY id"
        )
        for entry_id, at, actor, action, subject, detail, prev_hash, stored in cur:
            count += 1
            stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
            if bytes(prev_hash) != prev or bytes(stored) != _digest(
                prev, stamp, actor, action, subject, detail
            ):
                return AuditCheck(entries=count, broken_at=int(entry_id))
            prev = bytes(stored)
    return AuditCheck(entries=count, broken_at=None)
