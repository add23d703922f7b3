"""What patients read: how often each page was opened, per day, and nothing more.

One small SQLite file (``Paths.stats_file``) with a row per (day, page) and
a count. No time of day, no order of visits, no session, nothing typed: a
count cannot be linked to a person. The table has no rowid, so not even the
order in which pages were first opened on a day is kept.

Counting must never disturb a patient: ``record`` never raises. A file that
cannot be opened or written is logged once (and again only after it has
worked in between); a damaged one is moved aside and counting starts afresh.
Page views are not precious, so commits are not synced to disk one by one
(WAL with ``synchronous=NORMAL``): a power cut may lose the last few.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType

from kiosk.support.files import utc_stamp

log = logging.getLogger("kiosk.page_views")

MAX_PAGE_KEY = 300

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS page_views ("
    " day TEXT NOT NULL,"
    " page TEXT NOT NULL,"
    " views INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (day, page)"
    ") WITHOUT ROWID"
)


def _local_now() -> datetime:
    return datetime.now().astimezone()


class PageViews:
    """Page-view counts per day and page. ``clock`` gives "now" (its date is the day).

    Opened lazily, on the first ``record`` or question, so a kiosk that never
    counts (or whose file is broken) pays nothing at start-up.
    """

    def __init__(self, path: Path, clock: Callable[[], datetime] = _local_now) -> None:
        self.path = Path(path)
        self._clock = clock
        self._conn: sqlite3.Connection | None = None
        self._closed = False
        self._failing = False  # a failure was logged and nothing has worked since

    def __repr__(self) -> str:
        return f"PageViews(path={str(self.path)!r})"

    def __enter__(self) -> PageViews:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def record(self, page_key: str) -> None:
        """Count one opening of ``page_key`` today. Never raises."""
        if self._closed:
            return
        if not isinstance(page_key, str) or not 0 < len(page_key) <= MAX_PAGE_KEY:
            self._fail(f"a page key must be 1 to {MAX_PAGE_KEY} characters")
            return
        try:
            day = self._today().isoformat()
            conn = self._connection()
            with conn:  # one transaction, committed (or rolled back) here
                conn.execute(
                    "INSERT INTO page_views (day, page, views) VALUES (?, ?, 1)"
                    " ON CONFLICT (day, page) DO UPDATE SET views = views + 1",
                    (day, page_key),
                )
        except Exception as exc:  # counting never stops the kiosk
            self._fault(exc)
            return
        self._worked()

    def totals(self, days: int | None = None) -> list[tuple[str, int]]:
        """Views per page, most viewed first (then by page key): over every day
        counted, or the last ``days`` days including today. ``[]`` when the
        file cannot be read (logged once); never raises for that."""
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
            raise ValueError(f"days must be a whole number of 1 or more, or None, not {days!r}")
        if self._closed:
            return []
        try:
            conn = self._connection()
            if days is None:
                rows = conn.execute(
                    "SELECT page, sum(views) AS n FROM page_views GROUP BY page"
                    " ORDER BY n DESC, page"
                ).fetchall()
            else:
                first = (self._today() - timedelta(days=days - 1)).isoformat()
                rows = conn.execute(
                    "SELECT page, sum(views) AS n FROM page_views WHERE day >= ?"
                    " GROUP BY page ORDER BY n DESC, page",
                    (first,),
                ).fetchall()
        except Exception as exc:
            self._fault(exc)
            return []
        self._worked()
        return [(str(page), int(n)) for page, n in rows]

    def daily(self, page_key: str | None = None) -> list[tuple[date, int]]:
        """Views per day (of one page, or of all), oldest first; ``[]`` when unreadable."""
        if self._closed:
            return []
        where, params = ("", ()) if page_key is None else (" WHERE page = ?", (page_key,))
        try:
            rows = (
                self._connection()
                .execute(
                    f"SELECT day, sum(views) FROM page_views{where} GROUP BY day ORDER BY day",
                    params,
                )
                .fetchall()
            )
        except Exception as exc:
            self._fault(exc)
            return []
        self._worked()
        return [(date.fromisoformat(str(day)), int(n)) for day, n in rows]

    def counts_since(self, first: date) -> list[tuple[date, str, int]]:
        """Each (day, page, views) from ``first`` to today, oldest first: what an
        enrolled kiosk sends the office (counts only). ``[]`` when unreadable."""
        if self._closed:
            return []
        try:
            rows = (
                self._connection()
                .execute(
                    "SELECT day, page, views FROM page_views WHERE day >= ? ORDER BY day, page",
                    (first.isoformat(),),
                )
                .fetchall()
            )
        except Exception as exc:
            self._fault(exc)
            return []
        self._worked()
        return [(date.fromisoformat(str(day)), str(page), int(n)) for day, page, n in rows]

    def close(self) -> None:
        """Close the file; ``record`` does nothing after this."""
        self._closed = True
        self._drop()

    # -- inside ------------------------------------------------------------------------

    def _today(self) -> date:
        return self._clock().date()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=1.0)
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(_SCHEMA)
            conn.commit()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if not _damaged(exc):
                raise
            self._set_aside(exc)
            conn = sqlite3.connect(self.path, timeout=1.0)
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(_SCHEMA)
            conn.commit()
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self, exc: sqlite3.DatabaseError) -> None:
        """Move a damaged file (and its WAL companions) aside; counting starts afresh."""
        target = self.path.with_name(f"{self.path.name}.corrupt-{utc_stamp()}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{target}{suffix}"))
        log.warning(
            "The page-view counts %s were damaged (%s); moved to %s, counting starts afresh.",
            self.path,
            exc,
            target,
        )

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(sqlite3.Error):
                conn.close()

    def _fault(self, exc: BaseException) -> None:
        self._drop()  # try a fresh connection next time
        name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
        self._fail(f"{name}: {exc}")

    def _fail(self, why: str) -> None:
        if not self._failing:
            self._failing = True
            log.warning("Page views are not being counted in %s (%s).", self.path, why)

    def _worked(self) -> None:
        if self._failing:
            self._failing = False
            log.info("Page views are being counted again in %s.", self.path)


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text
