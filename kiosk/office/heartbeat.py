"""What an enrolled kiosk tells the office every minute: that it is alive, and how
its outbox is doing. No personal data: counts, ages, versions, one error sentence,
and the titles of its topics (the clinic's content, so the office shows topics by title).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

INTERVAL_S = 60.0
MAX_ERROR = 500


@dataclass(frozen=True)
class Heartbeat:
    sent_at: datetime
    version: str
    content_fingerprint: str
    outbox_depth: int
    oldest_unsent_s: float | None
    last_error: str | None
    free_disk: int | None
    uptime_s: float
    last_touch: datetime | None
    topics: Mapping[str, str] | None = None  # topic id → title


@dataclass(frozen=True)
class KioskFacts:
    """The parts of a heartbeat the outbox does not know: asked of the running kiosk
    (each a function, called from the sender's thread: they only read a value)."""

    version: str
    data_dir: Path
    content_fingerprint: Callable[[], str] = lambda: ""
    last_touch: Callable[[], datetime | None] = lambda: None
    topic_titles: Callable[[], Mapping[str, str]] = lambda: {}


def free_disk(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def send(conn: psycopg.Connection[Any], beat: Heartbeat) -> None:
    """Insert one heartbeat (the kiosk column is the login's own name, by default).

    A database not yet brought up to schema 2 has no ``topics`` column: the
    heartbeat goes without its topics rather than failing (and the sender with it).
    """
    values: tuple[object, ...] = (
        beat.sent_at,
        beat.version,
        beat.content_fingerprint,
        beat.outbox_depth,
        beat.oldest_unsent_s,
        (beat.last_error or None) and beat.last_error[:MAX_ERROR],
        beat.free_disk,
        beat.uptime_s,
        beat.last_touch,
    )
    columns = (
        "sent_at, version, content_fingerprint, outbox_depth, oldest_unsent_s, last_error,"
        " free_disk, uptime_s, last_touch"
    )
    if beat.topics is not None:
        try:
            _insert(conn, columns + ", topics", (*values, Jsonb(dict(beat.topics))))
            return
        except psycopg.errors.UndefinedColumn:
            pass  # an older database: below, without the topics
    _insert(conn, columns, values)


def _insert(conn: psycopg.Connection[Any], columns: str, values: tuple[object, ...]) -> None:
    marks = ", ".join(["%s"] * len(values))
    with conn.transaction():
        conn.execute(f"INSERT INTO heartbeats ({columns}) VALUES ({marks})".encode(), values)
