"""The store's staff-mode additions: get, counts, mark_exported, purge, weekly_counts.

Real SQLite files in tmp_path; "now" is the store's clock, moved by hand.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.enquiries.keys import KdfParams, KeyRing, Opener
from kiosk.enquiries.store import STATUSES, EnquiryStore, StoreError, open_personal

PERSONAL = {
    "name": "Ana López",
    "phone": "+18015550100",
    "email": "",
    "method": "call",
    "best_time": "any",
    "message": "Please call after five.",
}

# A Friday afternoon, UTC.
START = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when


@pytest.fixture
def opener(tmp_path: Path) -> Opener:
    ring, code = KeyRing.create(
        tmp_path / "k.json", tmp_path / "r.txt", kdf=KdfParams.fast_for_tests()
    )
    return ring.unlock(code)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def store(tmp_path: Path, opener: Opener, clock: Clock) -> Iterator[EnquiryStore]:
    opened = EnquiryStore(tmp_path / "enquiries.sqlite3", opener.sealer(), clock=clock)
    yield opened
    opened.close()


def save(store: EnquiryStore, **fields: str) -> int:
    return store.save(uuid.uuid4().hex, "ketamine", {**PERSONAL, **fields}).id


def save_at(store: EnquiryStore, clock: Clock, when: datetime, status: str = "new") -> int:
    clock.set(when)
    enquiry_id = save(store)
    if status != "new":
        store.set_status([enquiry_id], status)
    return enquiry_id


# -- get and counts ----------------------------------------------------------------------


def test_get_returns_one_enquiry_or_none(store: EnquiryStore, opener: Opener) -> None:
    """get(id) is the row that list gives; an id that is not there is None."""
    first = save(store, name="First")
    second = save(store, name="Second")
    got = store.get(second)
    assert got is not None
    assert got == next(e for e in store.enquiries() if e.id == second)
    assert open_personal(opener, got)["name"] == "Second"
    assert store.get(first) is not None
    assert store.get(second + 100) is None
    assert store.get(-1) is None


def test_counts_has_every_status_even_at_zero(store: EnquiryStore) -> None:
    """An empty store counts zero of each; then each status as set."""
    assert store.counts() == dict.fromkeys(STATUSES, 0)
    ids = [save(store) for _ in range(6)]
    store.set_status(ids[:2], "exported")
    store.set_status(ids[2:3], "contacted")
    assert store.counts() == {"new": 3, "exported": 2, "contacted": 1}
    assert sum(store.counts().values()) == store.count()


def test_a_closed_store_says_so(store: EnquiryStore) -> None:
    """After close, each new method raises StoreError ("unavailable"), never sqlite3's own."""
    store.close()
    for call in (
        lambda: store.get(1),
        store.counts,
        lambda: store.purge(90),
        store.weekly_counts,
        lambda: store.mark_exported([1]),
    ):
        with pytest.raises(StoreError) as caught:
            call()
        assert caught.value.reason == "unavailable"


# -- mark_exported -----------------------------------------------------------------------


def test_mark_exported_changes_only_new_ones(store: EnquiryStore) -> None:
    """New becomes exported; contacted and exported stay; unknown ids are ignored."""
    new, contacted, exported = save(store), save(store), save(store)
    store.set_status([contacted], "contacted")
    store.set_status([exported], "exported")
    assert store.mark_exported([new, contacted, exported, 999, new]) == 1
    statuses = {e.id: e.status for e in store.enquiries()}
    assert statuses == {new: "exported", contacted: "contacted", exported: "exported"}
    assert store.mark_exported([]) == 0


# -- purge -------------------------------------------------------------------------------


def test_purge_deletes_only_old_exported_and_contacted(store: EnquiryStore, clock: Clock) -> None:
    """Exported/contacted older than N days go; younger ones and every new one stay."""
    old = START - timedelta(days=120)
    old_new = save_at(store, clock, old, "new")
    old_exported = save_at(store, clock, old, "exported")
    old_contacted = save_at(store, clock, old, "contacted")
    recent_exported = save_at(store, clock, START - timedelta(days=30), "exported")
    edge = save_at(store, clock, START - timedelta(days=90) + timedelta(seconds=1), "exported")
    clock.set(START)
    assert store.purge(90) == 2
    left = {e.id for e in store.enquiries()}
    assert left == {old_new, recent_exported, edge}
    assert store.get(old_exported) is None and store.get(old_contacted) is None
    assert store.purge(90) == 0  # nothing more to do


def test_the_retention_period_counts_from_the_export(store: EnquiryStore, clock: Clock) -> None:
    """An enquiry left "new" for 120 days and exported today is not deleted a
    minute later: nobody has called the person yet."""
    late = save_at(store, clock, START - timedelta(days=120), "new")
    clock.set(START)
    assert store.mark_exported([late]) == 1
    clock.set(START + timedelta(minutes=1))
    assert store.purgeable(90) == 0
    assert store.purge(90) == 0
    clock.set(START + timedelta(days=90, seconds=1))
    assert store.purgeable(90) == 1
    assert store.purge(90) == 1
    assert store.get(late) is None


def test_rows_from_before_the_export_time_was_kept_go_by_their_age(
    tmp_path: Path, opener: Opener, clock: Clock
) -> None:
    """A database from the first schema (no status_at) is migrated; its exported
    rows are purged by the time they were received."""
    import sqlite3

    from kiosk.enquiries import database

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statement in database.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO enquiries (form_key, created_at, status, topic, key_id, sealed)"
        " VALUES ('k1', ?, 'exported', 't', ?, x'00')",
        ((START - timedelta(days=100)).isoformat(timespec="seconds"), opener.key_id),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    clock.set(START)
    old = EnquiryStore(path, opener.sealer(), clock=clock)
    try:
        assert old.pragmas()["user_version"] == len(database.MIGRATIONS) == 3
        assert old.purge(90) == 1
    finally:
        old.close()


def test_purge_follows_the_clock(store: EnquiryStore, clock: Clock) -> None:
    """The same enquiry is kept today and deleted once the clock passes the period."""
    kept = save_at(store, clock, START, "contacted")
    clock.set(START + timedelta(days=89))
    assert store.purge(90) == 0
    clock.set(START + timedelta(days=90, seconds=1))
    assert store.purge(90) == 1
    assert store.get(kept) is None


def test_purge_never_deletes_new_ones_however_old(store: EnquiryStore, clock: Clock) -> None:
    """Nobody has seen a new enquiry yet: purge(0) leaves it."""
    ancient = save_at(store, clock, START - timedelta(days=3650), "new")
    exported = save_at(store, clock, START - timedelta(minutes=1), "exported")
    clock.set(START)
    assert store.purge(0) == 1
    assert [e.id for e in store.enquiries()] == [ancient]
    assert store.get(exported) is None


@pytest.mark.parametrize("bad", [-1, 1.5, "90", True, None])
def test_purge_refuses_a_bad_period(store: EnquiryStore, bad: object) -> None:
    """A negative or non-whole number of days is an error, and nothing is deleted."""
    save_at(store, Clock(START), START, "exported")
    with pytest.raises(ValueError, match="older_than_days"):
        store.purge(bad)  # type: ignore[arg-type]
    assert store.count() == 1


def test_purged_rows_do_not_linger_in_the_files(
    store: EnquiryStore, clock: Clock, tmp_path: Path
) -> None:
    """secure_delete and a truncating checkpoint: the sealed bytes are gone from the
    database file and its -wal once purge returns."""
    gone = save_at(store, clock, START - timedelta(days=200), "exported")
    kept = save_at(store, clock, START, "new")
    clock.set(START)
    sealed_gone = store.get(gone).sealed  # type: ignore[union-attr]
    sealed_kept = store.get(kept).sealed  # type: ignore[union-attr]

    def on_disk() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.glob("enquiries.sqlite3*") if p.is_file())

    assert sealed_gone in on_disk()
    assert store.purge(90) == 1
    data = on_disk()
    assert sealed_gone not in data
    assert sealed_kept in data
    assert store.integrity_ok()


# -- weekly_counts -----------------------------------------------------------------------


def test_weekly_counts_by_monday_oldest_first(store: EnquiryStore, clock: Clock) -> None:
    """Weeks run Monday to Sunday; empty weeks are 0; the current week is last."""
    this_monday = datetime(2026, 11, 23, tzinfo=UTC)  # START is the Friday of this week
    save_at(store, clock, this_monday)  # Monday 00:00: this week
    save_at(store, clock, this_monday + timedelta(days=4))
    save_at(store, clock, this_monday - timedelta(seconds=1))  # Sunday 23:59:59: last week
    save_at(store, clock, this_monday - timedelta(weeks=2, days=-3))
    save_at(store, clock, this_monday - timedelta(weeks=3))  # the oldest of four weeks
    save_at(store, clock, this_monday - timedelta(weeks=4))  # outside four weeks
    clock.set(START)
    weeks = store.weekly_counts(4, tz=UTC)
    assert weeks == [
        (date(2026, 11, 2), 1),
        (date(2026, 11, 9), 1),
        (date(2026, 11, 16), 1),
        (date(2026, 11, 23), 2),
    ]
    assert all(monday.weekday() == 0 for monday, _ in weeks)


def test_weekly_counts_move_with_the_clock(store: EnquiryStore, clock: Clock) -> None:
    """A week later the window has moved on: a new, empty current week."""
    save_at(store, clock, START)
    clock.set(START)
    assert store.weekly_counts(2, tz=UTC) == [(date(2026, 11, 16), 0), (date(2026, 11, 23), 1)]
    clock.set(START + timedelta(weeks=1))
    assert store.weekly_counts(2, tz=UTC) == [(date(2026, 11, 23), 1), (date(2026, 11, 30), 0)]
    clock.set(START + timedelta(weeks=5))
    assert store.weekly_counts(2, tz=UTC) == [(date(2026, 12, 21), 0), (date(2026, 12, 28), 0)]


def test_weekly_counts_use_the_clinics_time_zone(store: EnquiryStore, clock: Clock) -> None:
    """Monday 03:00 UTC is still Sunday evening in UTC-7: last week there."""
    save_at(store, clock, datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    clock.set(START)
    denver = timezone(timedelta(hours=-7))
    assert store.weekly_counts(2, tz=UTC) == [(date(2026, 11, 16), 0), (date(2026, 11, 23), 1)]
    assert store.weekly_counts(2, tz=denver) == [(date(2026, 11, 16), 1), (date(2026, 11, 23), 0)]


def test_weekly_counts_default_is_twelve_weeks(store: EnquiryStore, clock: Clock) -> None:
    """Twelve Mondays, a week apart, ending with this week's."""
    weeks = store.weekly_counts()
    assert len(weeks) == 12
    mondays = [monday for monday, _ in weeks]
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(mondays))
    assert sum(n for _, n in weeks) == 0


@pytest.mark.parametrize("bad", [0, -3, 2.0, True])
def test_weekly_counts_refuses_a_bad_number_of_weeks(store: EnquiryStore, bad: object) -> None:
    """At least one whole week."""
    with pytest.raises(ValueError, match="weeks"):
        store.weekly_counts(bad)  # type: ignore[arg-type]


# -- page: the staff list's rows, by id with LIMIT --------------------------------------


def test_page_walks_every_enquiry_newest_first_by_id(store: EnquiryStore) -> None:
    """Pages of 3 by ``before_id`` give exactly ``enquiries()``, in its order, once each."""
    ids = [save(store) for _ in range(8)]
    store.set_status(ids[1::2], "contacted")
    pages: list[list[int]] = []
    before: int | None = None
    while page := store.page(limit=3, before_id=before):
        pages.append([e.id for e in page])
        before = page[-1].id
    assert pages == [ids[7:4:-1], ids[4:1:-1], ids[1::-1]]
    assert [e for p in pages for e in p] == [e.id for e in store.enquiries()]
    assert store.page(limit=3)[0] == store.enquiries()[0]  # whole rows, sealed data too


def test_page_keeps_to_a_status(store: EnquiryStore) -> None:
    ids = [save(store) for _ in range(6)]
    store.set_status(ids[::2], "contacted")
    first = store.page("contacted", limit=2)
    assert [e.id for e in first] == [ids[4], ids[2]]
    assert [e.id for e in store.page("contacted", limit=2, before_id=ids[2])] == [ids[0]]
    assert [e.id for e in store.page("new", before_id=ids[5])] == [ids[3], ids[1]]
    assert store.page("new", before_id=ids[1]) == []
    with pytest.raises(ValueError):
        store.page("lost")
    with pytest.raises(ValueError):
        store.page(limit=0)


def test_page_reads_only_its_rows(store: EnquiryStore) -> None:
    """LIMIT in the query itself: SQLite's plan walks the primary key, no sort of every row."""
    for _ in range(3):
        save(store)
    conn = store._connection()
    plan = " ".join(
        str(row[-1])
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM enquiries WHERE id < ? ORDER BY id DESC LIMIT ?",
            (10, 2),
        )
    )
    assert "TEMP B-TREE" not in plan.upper(), plan
    assert len(store.page(limit=2)) == 2
