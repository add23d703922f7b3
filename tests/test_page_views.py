"""Page-view counts (kiosk.page_views): per page per day, nothing more, and never a crash."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.page_views import PageViews
from tests.disks import remount

DAY = datetime(2026, 11, 27, 10, 15).astimezone()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(DAY)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "page-views.sqlite3"


def warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "kiosk.page_views" and r.levelno >= logging.WARNING
    ]


def test_counts_per_page_and_totals_most_viewed_first(path: Path, clock: Clock) -> None:
    """Each opening counts once; totals are most viewed first, ties by page key."""
    with PageViews(path, clock) as views:
        for page in ["topic/a", "topic/b", "topic/a", "topic/c", "topic/a", "topic/b"]:
            views.record(page)
        views.record("topic/d")
        assert views.totals() == [("topic/a", 3), ("topic/b", 2), ("topic/c", 1), ("topic/d", 1)]


def test_counts_are_kept_per_day(path: Path, clock: Clock) -> None:
    """Days apart: daily() shows each day; totals(days=N) only the last N days."""
    with PageViews(path, clock) as views:
        views.record("a")
        views.record("a")
        clock.now = DAY + timedelta(days=1)
        views.record("a")
        views.record("b")
        clock.now = DAY + timedelta(days=7)
        views.record("b")
        assert views.daily() == [
            (date(2026, 11, 27), 2),
            (date(2026, 11, 28), 2),
            (date(2026, 12, 4), 1),
        ]
        assert views.daily("a") == [(date(2026, 11, 27), 2), (date(2026, 11, 28), 1)]
        assert views.totals() == [("a", 3), ("b", 2)]
        assert views.totals(days=1) == [("b", 1)]
        assert views.totals(days=7) == [("b", 2), ("a", 1)]
        assert views.totals(days=8) == [("a", 3), ("b", 2)]


def test_counts_survive_a_reopen(path: Path, clock: Clock) -> None:
    """Close and open again (a restart): the counts are still there and go on."""
    with PageViews(path, clock) as views:
        views.record("a")
        views.record("a")
    with PageViews(path, clock) as again:
        again.record("a")
        assert again.totals() == [("a", 3)]


def test_only_day_page_and_count_are_stored(path: Path, clock: Clock) -> None:
    """No time of day, no order of visits: three columns, no rowid."""
    with PageViews(path, clock) as views:
        views.record("a")
        views.record("b")
    conn = sqlite3.connect(path)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(page_views)")]
        assert columns == ["day", "page", "views"]
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("SELECT rowid FROM page_views").fetchall()
        assert conn.execute("SELECT day, page, views FROM page_views ORDER BY page").fetchall() == [
            ("2026-11-27", "a", 1),
            ("2026-11-27", "b", 1),
        ]
    finally:
        conn.close()


def test_an_unopenable_file_logs_once_and_never_raises(
    tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """The path is a folder: record() does nothing but log, once; totals() is empty."""
    path = tmp_path / "page-views.sqlite3"
    path.mkdir()
    caplog.set_level(logging.INFO)
    with PageViews(path, clock) as views:
        for _ in range(5):
            views.record("a")
        assert views.totals() == []
    assert len(warnings(caplog)) == 1
    assert str(path) in warnings(caplog)[0].getMessage()


def test_a_damaged_file_is_moved_aside_and_counting_starts_afresh(
    path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """Not a database: kept as .corrupt-<time>, a new file counts from zero."""
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, just some bytes " * 100)
    with PageViews(path, clock) as views:
        views.record("a")
        assert views.totals() == [("a", 1)]
    kept = list(path.parent.glob("page-views.sqlite3.corrupt-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes().startswith(b"this is not a database")
    assert any("damaged" in r.getMessage() for r in warnings(caplog))


def test_a_read_only_disk_logs_once_then_counts_again_when_writable(
    tmpfs: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """A real read-only file system: no exception, one warning; writable again, it counts."""
    path = tmpfs / "page-views.sqlite3"
    with PageViews(path, clock) as views:
        views.record("a")
    remount(tmpfs, "ro")
    caplog.set_level(logging.INFO)
    views = PageViews(path, clock)
    try:
        for _ in range(3):
            views.record("a")
        assert len(warnings(caplog)) == 1
        remount(tmpfs, "rw")
        views.record("a")
        assert views.totals() == [("a", 2)]
        assert any(
            "again" in r.getMessage() for r in caplog.records if r.name == "kiosk.page_views"
        )
    finally:
        views.close()


@pytest.mark.parametrize("bad", ["", "x" * 301, None, 42])
def test_a_bad_page_key_is_not_counted_and_does_not_raise(
    path: Path, clock: Clock, bad: object
) -> None:
    """Only a page key of 1 to 300 characters counts."""
    with PageViews(path, clock) as views:
        views.record(bad)  # type: ignore[arg-type]
        views.record("a")
        assert views.totals() == [("a", 1)]


def test_after_close_nothing_is_counted(path: Path, clock: Clock) -> None:
    """A closed counter ignores record() and answers empty."""
    views = PageViews(path, clock)
    views.record("a")
    views.close()
    views.record("a")
    assert views.totals() == []
    with PageViews(path, clock) as again:
        assert again.totals() == [("a", 1)]


def test_totals_refuses_a_bad_number_of_days(path: Path, clock: Clock) -> None:
    """days is None or a whole number of at least 1."""
    with PageViews(path, clock) as views, pytest.raises(ValueError, match="days"):
        views.totals(days=0)


def test_counts_since_gives_each_day_and_page_from_the_day_asked(path: Path, clock: Clock) -> None:
    """What an enrolled kiosk sends the office: (day, page, views), oldest first."""
    with PageViews(path, clock) as views:
        views.record("topic/a")
        clock.now = DAY + timedelta(days=1)
        views.record("topic/b")
        views.record("topic/a")
        views.record("topic/a")
        today = clock.now.date()
        assert views.counts_since(DAY.date()) == [
            (DAY.date(), "topic/a", 1),
            (today, "topic/a", 2),
            (today, "topic/b", 1),
        ]
        assert views.counts_since(today) == [(today, "topic/a", 2), (today, "topic/b", 1)]
        assert views.counts_since(today + timedelta(days=1)) == []
