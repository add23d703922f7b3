"""What an enrolled kiosk tells the office every minute: that it is alive, and how
its outbox is doing. No personal data: counts, ages, versions, one error sentence,
the titles of its topics (the clinic's content, so the office shows topics by title),
and with it the page-view counts per day and page (``kiosk.page_views``), for the
office's "page views across kiosks".
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
import psycopg.errors
from psycopg.types.json import Jsonb

INTERVAL_S = 60.0
MAX_ERROR = 500
PAGE_VIEW_DAYS = 30  # sent on the first heartbeat; after that, from the last day sent

#: (day, page key, views that day): counts only.
PageViewCount = tuple[date, str, int]


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
    page_views: Callable[[date], list[PageViewCount]] = lambda first: []
    topic_titles: Callable[[], Mapping[str, str]] = lambda: {}


def free_disk(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def send(
    conn: psycopg.Connection[Any], beat: Heartbeat, page_views: Sequence[PageViewCount] = ()
) -> bool:
    """Insert one heartbeat (the kiosk column is the login's own name, by default)
    and set the day's counts of ``page_views``, in one transaction; False when the
    counts were not taken (the heartbeat was).

    The counts go through ``kiosk_page_views`` (``kiosk.office.admin``), which
    sets the asking kiosk's own rows only: an upsert by the kiosk itself would
    need it to read the table. A database set up by an older version has no
    such function until ``kiosk office init`` runs again, and one not yet brought
    up to schema 2 has no ``topics`` column: the heartbeat still goes (each in a
    savepoint of its own, the counts or the topics fail alone)."""
    taken = True
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
    with conn.transaction():
        if page_views:
            days, pages, views = zip(*page_views, strict=True)
            try:
                with conn.transaction():
                    conn.execute(
                        "SELECT kiosk_page_views(%s::date[], %s::text[], %s::integer[])",
                        (list(days), list(pages), list(views)),
                    )
            except psycopg.errors.UndefinedFunction:
                taken = False
        if beat.topics is not None:
            try:
                with conn.transaction():
                    _insert(conn, columns + ", topics", (*values, Jsonb(dict(beat.topics))))
                return taken
            except psycopg.errors.UndefinedColumn:
                pass  # an older database: below, without the topics
        _insert(conn, columns, values)
    return taken


def _insert(conn: psycopg.Connection[Any], columns: str, values: tuple[object, ...]) -> None:
    marks = ", ".join(["%s"] * len(values))
    conn.execute(f"INSERT INTO heartbeats ({columns}) VALUES ({marks})".encode(), values)
