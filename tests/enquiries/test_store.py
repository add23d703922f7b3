"""The enquiry store (kiosk.enquiries.store) on real SQLite files, with real faults.

The disk-full and read-only cases run twice: on a real 512 KiB tmpfs (needs
``mount``, so root or CAP_SYS_ADMIN; skipped with the reason otherwise), and
with the error raised or provoked at the store's boundary, so they run
everywhere.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import logging_setup
from kiosk.enquiries import database as database_module
from kiosk.enquiries.database import MIGRATIONS, DatabaseFile
from kiosk.enquiries.database import close as close_database
from kiosk.enquiries.keys import KdfParams, KeyRing, KeysError, Opener, Sealer
from kiosk.enquiries.store import (
    EnquiryStore,
    Saved,
    StoredEnquiry,
    StoreError,
    foreign_key_ids,
    open_personal,
)
from kiosk.paths import Paths
from tests.conftest import examples
from tests.disks import fill, remount

FAST = KdfParams.fast_for_tests()

PERSONAL = {
    "name": "Ana López",
    "phone": "+18015550100",
    "email": "ana@example.org",
    "method": "call",
    "best_time": "morning",
    "message": "Is it covered by insurance?",
}

HOSTILE = {
    "name": 'Zoë 😀👩🏽‍⚕️ \u202eevil\u202c O\'Brien "quoted" \\back',
    "phone": "+1 (801)\x00555-0100",
    "email": "a\u0000b@example.org",
    "method": "text",
    "best_time": "any",
    "message": "שלום\u200f مرحبا\n\tline two\r\n" + "x" * 500 + "\ud800 lone surrogate",
    "": "an empty key",
}


@dataclass
class Keys:
    ring: KeyRing
    code: str
    opener: Opener

    @property
    def sealer(self) -> Sealer:
        return self.ring.sealer()


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    ring, code = KeyRing.create(tmp_path / "keys" / "k.json", tmp_path / "keys" / "r.txt", kdf=FAST)
    return Keys(ring, code, ring.unlock(code))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "db" / "enquiries.sqlite3"


@pytest.fixture
def store(db_path: Path, keys: Keys) -> Iterator[EnquiryStore]:
    opened = EnquiryStore(db_path, keys.sealer)
    yield opened
    opened.close()


def new_key() -> str:
    return uuid.uuid4().hex


def raw_rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT * FROM enquiries ORDER BY id").fetchall()
    conn.close()
    return rows


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def opened_all(store: EnquiryStore, opener: Opener) -> list[dict[str, str]]:
    return [open_personal(opener, e) for e in reversed(store.enquiries())]


# -- fault injection ------------------------------------------------------------


@dataclass
class Faults:
    """Rules for a sqlite3.Connection subclass the store gets from ``sqlite3.connect``.

    A rule raises its exception when a statement contains its text, or
    rewrites the statement: the failure happens at the store's boundary,
    exactly where SQLite's own would. ``connections`` are the read-write
    ones; ``readers`` those the store opens read-only to check a file.
    """

    raise_on: dict[str, Callable[[], BaseException]] = field(default_factory=dict)
    rewrite: dict[str, str] = field(default_factory=dict)
    connections: list[sqlite3.Connection] = field(default_factory=list)
    readers: list[sqlite3.Connection] = field(default_factory=list)


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Faults:
    rules = Faults()

    class FaultyConnection(sqlite3.Connection):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            read_only = bool(kwargs.get("uri")) and "mode=ro" in str(args[0])
            (rules.readers if read_only else rules.connections).append(self)

        def execute(self, sql: str, parameters: object = (), /) -> sqlite3.Cursor:
            for needle, make in rules.raise_on.items():
                if needle in sql:
                    raise make()
            sql = rules.rewrite.get(sql, sql)
            return super().execute(sql, parameters)  # type: ignore[arg-type]

    monkeypatch.setattr(
        sqlite3, "connect", functools.partial(sqlite3.connect, factory=FaultyConnection)
    )
    return rules


# -- opening and settings ---------------------------------------------------------


def test_the_durability_pragmas_are_set_and_read_back(store: EnquiryStore, db_path: Path) -> None:
    assert store.available
    assert store.problems == []
    assert store.pragmas() == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "busy_timeout": 2000,
        "user_version": len(MIGRATIONS),
    }
    # WAL is a property of the file: another connection sees it too.
    assert pragma(db_path, "journal_mode") == "wal"
    assert pragma(db_path, "user_version") == len(MIGRATIONS)
    assert store.integrity_ok()


def test_the_database_files_are_private(store: EnquiryStore, db_path: Path) -> None:
    store.save(new_key(), "t", PERSONAL)
    for suffix in ("", "-wal", "-shm"):
        mode = stat.S_IMODE(Path(f"{db_path}{suffix}").stat().st_mode)
        assert mode == 0o600, suffix


def test_a_setting_that_does_not_stick_is_a_problem(
    faults: Faults, db_path: Path, keys: Keys
) -> None:
    faults.rewrite["PRAGMA synchronous = FULL"] = "PRAGMA synchronous = NORMAL"
    with EnquiryStore(db_path, keys.sealer) as weak:
        assert weak.available  # still saves: a weaker setting is not a reason to refuse
        assert any("synchronous=1" in p for p in weak.problems)
        assert weak.pragmas()["synchronous"] == 1


def test_the_busy_timeout_is_the_one_given(db_path: Path, keys: Keys) -> None:
    with EnquiryStore(db_path, keys.sealer, busy_timeout=0.25) as quick:
        assert quick.pragmas()["busy_timeout"] == 250


# -- saving -----------------------------------------------------------------------


def test_a_second_save_of_a_form_key_writes_nothing(store: EnquiryStore, keys: Keys) -> None:
    key = new_key()
    first = store.save(key, "ketamine", PERSONAL)
    again = store.save(key, "other topic", {**PERSONAL, "name": "Someone Else"})
    assert first.new is True
    assert again == Saved(id=first.id, created_at=first.created_at, new=False)
    assert store.count() == 1
    (row,) = store.enquiries()
    assert row.topic == "ketamine"
    assert open_personal(keys.opener, row) == PERSONAL


def test_hostile_text_round_trips_exactly(store: EnquiryStore, keys: Keys) -> None:
    saved = store.save(new_key(), "t", HOSTILE)
    (row,) = store.enquiries()
    assert row.id == saved.id
    opened = open_personal(keys.opener, row)
    assert opened == HOSTILE
    assert opened["phone"].count("\x00") == 1
    assert "\u202e" in opened["name"]


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    personal=st.dictionaries(
        st.text(max_size=10),
        st.text(alphabet=st.characters(exclude_categories=()), max_size=200),
        max_size=8,
    )
)
def test_any_text_round_trips_exactly(
    store: EnquiryStore, keys: Keys, personal: dict[str, str]
) -> None:
    saved = store.save(new_key(), "t", personal)
    row = next(e for e in store.enquiries() if e.id == saved.id)
    assert open_personal(keys.opener, row) == personal


def test_only_what_identifies_nobody_is_in_the_clear(
    store: EnquiryStore, keys: Keys, db_path: Path
) -> None:
    key = new_key()
    store.save(key, "ketamine-and-depression", PERSONAL)
    store.close()
    conn = sqlite3.connect(db_path)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(enquiries)")]
    finally:
        conn.close()
    assert columns == [
        "id",
        "form_key",
        "created_at",
        "status",
        "topic",
        "key_id",
        "sealed",
        "status_at",
        "seq",
        "sent_at",
    ]
    ((row_id, form_key, created_at, status, topic, key_id, sealed, status_at, seq, sent_at),) = (
        raw_rows(db_path)
    )
    assert status_at is None  # set when staff export it or mark it contacted
    assert seq is None and sent_at is None  # numbered and sent only by an enrolled kiosk
    assert (form_key, status, topic, key_id) == (
        key,
        "new",
        "ketamine-and-depression",
        keys.ring.key_id,
    )
    assert datetime.fromisoformat(str(created_at)).utcoffset() == timedelta(0)
    clear = f"{row_id} {form_key} {created_at} {status} {topic} {key_id}"
    assert isinstance(sealed, bytes)
    for value in PERSONAL.values():
        assert value not in clear
        assert value.encode() not in sealed
    raw = db_path.read_bytes()
    for value in ("Ana López", "+18015550100", "ana@example.org", "insurance"):
        assert value.encode() not in raw


def test_newest_first_counts_and_status(db_path: Path, keys: Keys) -> None:
    now = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    ticks = iter(range(100))
    with EnquiryStore(
        db_path, keys.sealer, clock=lambda: now + timedelta(minutes=next(ticks))
    ) as store:
        ids = [store.save(new_key(), f"topic {n}", PERSONAL).id for n in range(3)]
        rows = store.enquiries()
        assert [r.id for r in rows] == ids[::-1]
        assert [r.created_at for r in rows] == [
            "2024-05-01T09:02:00+00:00",
            "2024-05-01T09:01:00+00:00",
            "2024-05-01T09:00:00+00:00",
        ]
        assert all(isinstance(r, StoredEnquiry) and r.status == "new" for r in rows)

        assert store.set_status([ids[0], ids[2], ids[2]], "exported") == 2
        assert store.count() == 3
        assert store.count("exported") == 2
        assert [r.id for r in store.enquiries("new")] == [ids[1]]
        assert store.set_status([ids[1], 999], "contacted") == 1
        assert store.count("new") == 0
        assert store.set_status([], "new") == 0
        with pytest.raises(ValueError, match="status must be one of"):
            store.set_status(ids, "deleted")
        with pytest.raises(ValueError):
            store.count("deleted")
        assert store.count("contacted") == 1


def test_a_naive_clock_is_taken_as_utc(db_path: Path, keys: Keys) -> None:
    with EnquiryStore(db_path, keys.sealer, clock=lambda: datetime(2024, 1, 2, 3, 4, 5)) as s:
        assert s.save(new_key(), "t", {}).created_at == "2024-01-02T03:04:05+00:00"


def test_open_personal_refuses_another_key(store: EnquiryStore, tmp_path: Path, keys: Keys) -> None:
    store.save(new_key(), "t", PERSONAL)
    (row,) = store.enquiries()
    other, other_code = KeyRing.create(tmp_path / "o.json", tmp_path / "o.txt", kdf=FAST)
    with pytest.raises(KeysError, match="sealed to key"):
        open_personal(other.unlock(other_code), row)
    forged = StoredEnquiry(**{**row.__dict__, "key_id": other.key_id})
    with pytest.raises(KeysError, match="could not be opened"):
        open_personal(other.unlock(other_code), forged)
    assert open_personal(keys.opener, row) == PERSONAL


def test_bad_arguments_are_refused_before_anything_is_written(store: EnquiryStore) -> None:
    for form_key in ("", "k" * 129):
        with pytest.raises(StoreError) as caught:
            store.save(form_key, "t", PERSONAL)
        assert caught.value.reason == "failed"
    with pytest.raises(StoreError, match="must all be text"):
        store.save(new_key(), "t", {"age": 42})  # type: ignore[dict-item]
    assert store.count() == 0


# -- migrations ---------------------------------------------------------------------


@pytest.mark.parametrize("start", ["zero-byte-file", "empty-v0-database"])
def test_migrations_bring_an_empty_database_up_to_date(
    db_path: Path, keys: Keys, start: str
) -> None:
    db_path.parent.mkdir(parents=True)
    if start == "zero-byte-file":
        db_path.write_bytes(b"")
    else:
        conn = sqlite3.connect(db_path)
        conn.execute("CREATE TABLE unrelated (x)")
        conn.commit()
        conn.close()
        assert pragma(db_path, "user_version") == 0
    with EnquiryStore(db_path, keys.sealer) as store:
        assert store.available, store.problems
        assert store.save(new_key(), "t", PERSONAL).new
    assert pragma(db_path, "user_version") == len(MIGRATIONS)
    assert len(raw_rows(db_path)) == 1


def test_migrations_run_in_order_and_a_failed_one_changes_nothing(
    db_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    with EnquiryStore(db_path, keys.sealer) as store:
        store.save(new_key(), "t", PERSONAL)
    version = len(MIGRATIONS)

    broken = [*MIGRATIONS, ("ALTER TABLE enquiries ADD COLUMN half TEXT", "NOT SQL AT ALL")]
    monkeypatch.setattr(database_module, "MIGRATIONS", broken)
    with EnquiryStore(db_path, keys.sealer) as store:
        assert not store.available
        assert any("could not be opened" in p for p in store.problems)
    assert pragma(db_path, "user_version") == version
    conn = sqlite3.connect(db_path)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(enquiries)")]
    finally:
        conn.close()
    assert "half" not in columns  # the first statement was rolled back with the second

    two_more = [
        *MIGRATIONS,
        ("ALTER TABLE enquiries ADD COLUMN extra TEXT",),
        ("UPDATE enquiries SET extra = 'filled by the second'",),
    ]
    monkeypatch.setattr(database_module, "MIGRATIONS", two_more)
    with EnquiryStore(db_path, keys.sealer) as store:
        assert store.available, store.problems
        assert store.count() == 1
        assert open_personal(keys.opener, store.enquiries()[0]) == PERSONAL
    assert pragma(db_path, "user_version") == version + 2
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT extra FROM enquiries").fetchall() == [("filled by the second",)]
    finally:
        conn.close()


def test_a_database_from_a_newer_kiosk_is_not_touched(db_path: Path, keys: Keys) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with EnquiryStore(db_path, keys.sealer) as store:
        assert not store.available
        assert any("newer version" in p and "untouched" in p for p in store.problems)
        with pytest.raises(StoreError) as caught:
            store.save(new_key(), "t", PERSONAL)
        assert caught.value.reason == "unavailable"
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


# -- damaged databases ----------------------------------------------------------------


def _scribble_over_a_page(db_path: Path, keys: Keys) -> None:
    with EnquiryStore(db_path, keys.sealer) as store:
        for n in range(40):
            store.save(new_key(), "t", {**PERSONAL, "message": "m" * (50 * n)})
    raw = bytearray(db_path.read_bytes())  # closing folded the WAL in
    page = int.from_bytes(raw[16:18], "big")
    assert len(raw) >= 4 * page
    raw[2 * page : 3 * page] = bytes([0x0D, 0xFF, 0xFF, 0xFF]) * (page // 4)
    db_path.write_bytes(bytes(raw))


def _random_bytes(db_path: Path, keys: Keys) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(os.urandom(3 * 4096))


def _a_folder(db_path: Path, keys: Keys) -> None:
    (db_path / "inside").mkdir(parents=True)


def _index_out_of_step(db_path: Path, keys: Keys) -> None:
    """A readable file whose index disagrees with its table: only integrity_check can tell."""
    with EnquiryStore(db_path, keys.sealer) as store:
        for n in range(5):
            store.save(new_key(), f"topic {n}", PERSONAL)
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_schema SET sql = 'CREATE INDEX enquiries_by_status"
            " ON enquiries (topic, id)' WHERE name = 'enquiries_by_status'"
        )
    finally:
        conn.close()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    finally:
        conn.close()


def _not_a_database_header(db_path: Path, keys: Keys) -> None:
    with EnquiryStore(db_path, keys.sealer) as store:
        store.save(new_key(), "t", PERSONAL)
    raw = bytearray(db_path.read_bytes())
    raw[0:16] = b"Not SQLite 3 at!"
    db_path.write_bytes(bytes(raw))
    Path(f"{db_path}-wal").write_bytes(b"stale wal")  # moved with it


@pytest.mark.parametrize(
    "damage",
    [_random_bytes, _scribble_over_a_page, _index_out_of_step, _a_folder, _not_a_database_header],
)
def test_a_damaged_database_is_moved_aside_never_deleted(
    db_path: Path,
    keys: Keys,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path, Keys], None],
) -> None:
    damage(db_path, keys)
    before = None if db_path.is_dir() else db_path.read_bytes()
    wal = Path(f"{db_path}-wal")
    wal_before = wal.read_bytes() if wal.exists() else None
    caplog.set_level(logging.INFO, logger="kiosk.enquiries.store")

    with EnquiryStore(db_path, keys.sealer) as store:
        assert store.available
        saved = store.save(new_key(), "t", PERSONAL)
        assert saved.new
        assert store.count() == 1
        assert store.integrity_ok()
        (problem,) = store.problems
    aside = [p for p in db_path.parent.iterdir() if ".corrupt-" in p.name]
    main = [p for p in aside if p.name.endswith("Z")]
    assert len(main) == 1, aside
    assert main[0].name.startswith(f"{db_path.name}.corrupt-")
    if before is None:
        assert (main[0] / "inside").is_dir()
    else:
        assert main[0].read_bytes() == before
    if wal_before is not None:
        assert Path(f"{main[0]}-wal").read_bytes() == wal_before
    assert "DAMAGED" in problem
    assert str(main[0]) in problem
    loud = [
        r
        for r in caplog.records
        if r.name == "kiosk.enquiries.store" and r.levelno >= logging.ERROR
    ]
    assert [r.getMessage() for r in loud] == [problem]


def test_a_damaged_database_that_cannot_be_moved_is_logged_critical(
    db_path: Path, keys: Keys, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _random_bytes(db_path, keys)
    before = db_path.read_bytes()

    def no_rename(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("kiosk.enquiries.database.os.rename", no_rename)
    with EnquiryStore(db_path, keys.sealer) as store:
        assert not store.available
        assert any("could not be moved aside" in p for p in store.problems)
    assert db_path.read_bytes() == before
    assert any(r.levelno == logging.CRITICAL for r in caplog.records)


def _scribble(raw: bytearray, number: int, size: int) -> None:
    raw[(number - 1) * size : number * size] = bytes([0x0D, 0xFF, 0xFF, 0xFF]) * (size // 4)


def _pages_in_wal(wal: bytes, size: int) -> set[int]:
    """The page numbers of a -wal file's frames (32-byte header; each frame 24 + a page)."""
    return {int.from_bytes(wal[at : at + 4], "big") for at in range(32, len(wal) - 23, 24 + size)}


def _crashed_with_a_live_wal(db_path: Path, keys: Keys, *, with_shm: bool) -> list[str]:
    """db + -wal (+ -shm) as a power cut leaves them, then a main-file page not in the WAL damaged.

    The files are copied while the writing store still holds them, so the
    -wal keeps committed enquiries that are not in the main file yet. Returns
    the form keys of those enquiries.
    """
    live = db_path.parent.parent / "live" / db_path.name
    with EnquiryStore(live, keys.sealer) as store:
        for n in range(40):
            store.save(new_key(), "t", {**PERSONAL, "message": "m" * (50 * n)})
    late = [new_key() for _ in range(3)]
    with EnquiryStore(live, keys.sealer) as store:
        for key in late:
            store.save(key, "late", PERSONAL)
        db_path.parent.mkdir(parents=True)
        for suffix in ("", "-wal", "-shm") if with_shm else ("", "-wal"):
            shutil.copyfile(f"{live}{suffix}", f"{db_path}{suffix}")
    # The late enquiries are only in the -wal: the main file alone lacks them.
    main_only = db_path.parent.parent / "main-only" / db_path.name
    main_only.parent.mkdir()
    shutil.copyfile(db_path, main_only)
    assert pragma_query(main_only, "SELECT count(*) FROM enquiries WHERE topic = 'late'") == 0

    raw = bytearray(db_path.read_bytes())
    size = int.from_bytes(raw[16:18], "big")
    in_wal = _pages_in_wal(Path(f"{db_path}-wal").read_bytes(), size)
    _scribble(raw, max(set(range(2, len(raw) // size + 1)) - in_wal), size)
    db_path.write_bytes(bytes(raw))
    return late


def pragma_query(path: Path, sql: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _set_aside_files(db_path: Path) -> tuple[Path, list[Path]]:
    """The ``.corrupt-`` database (one, and only one) and everything set aside with it."""
    aside = sorted(p for p in db_path.parent.iterdir() if ".corrupt-" in p.name)
    main = [p for p in aside if p.name.endswith("Z")]
    assert len(main) == 1, aside
    return main[0], aside


def _assert_a_new_database_works(
    db_path: Path, keys: Keys, caplog: pytest.LogCaptureFixture
) -> str:
    with EnquiryStore(db_path, keys.sealer) as store:
        assert store.available, store.problems
        assert store.count() == 0
        assert store.save(new_key(), "t", PERSONAL).new
        assert store.integrity_ok()
        (problem,) = store.problems
    loud = [
        r
        for r in caplog.records
        if r.name == "kiosk.enquiries.store" and r.levelno >= logging.ERROR
    ]
    assert [(r.levelno, r.getMessage()) for r in loud] == [(logging.ERROR, problem)]
    assert "DAMAGED" in problem
    return problem


@pytest.mark.parametrize("with_shm", [True, False], ids=["with-shm", "shm-to-be-made"])
def test_a_damaged_database_with_a_live_wal_is_kept_as_found(
    db_path: Path, keys: Keys, caplog: pytest.LogCaptureFixture, with_shm: bool
) -> None:
    """The checks run read-only: the -wal is set aside as found, not folded in and deleted."""
    late = _crashed_with_a_live_wal(db_path, keys, with_shm=with_shm)
    main_before = db_path.read_bytes()
    wal_before = Path(f"{db_path}-wal").read_bytes()
    caplog.set_level(logging.INFO, logger="kiosk.enquiries.store")

    problem = _assert_a_new_database_works(db_path, keys, caplog)

    main, aside = _set_aside_files(db_path)
    assert main.read_bytes() == main_before
    assert Path(f"{main}-wal").read_bytes() == wal_before
    assert {p.name for p in aside} <= {f"{main.name}{s}" for s in ("", "-wal", "-shm")}
    assert str(main) in problem and "-wal" in problem
    # What was kept still holds the late enquiries, with their -wal beside it.
    repair = db_path.parent.parent / "repair" / db_path.name
    repair.parent.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{main}{suffix}", f"{repair}{suffix}")
    conn = sqlite3.connect(repair)
    try:
        keys_found = {r[0] for r in conn.execute("SELECT form_key FROM enquiries WHERE id > 40")}
    finally:
        conn.close()
    assert keys_found == set(late)


def test_a_damaged_database_that_cannot_be_read_read_only_is_copied_first(
    db_path: Path, keys: Keys, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When SQLite will not read the file read-only, a copy as found is kept before opening it."""
    _crashed_with_a_live_wal(db_path, keys, with_shm=True)
    found = {s: Path(f"{db_path}{s}").read_bytes() for s in ("", "-wal", "-shm")}
    caplog.set_level(logging.INFO, logger="kiosk.enquiries.store")

    def refuse(path: Path, timeout: float) -> sqlite3.Connection:
        exc = sqlite3.OperationalError("unable to open database file")
        exc.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN
        raise exc

    monkeypatch.setattr(database_module, "connect_read_only", refuse)
    problem = _assert_a_new_database_works(db_path, keys, caplog)

    main, aside = _set_aside_files(db_path)
    for suffix, data in found.items():
        assert Path(f"{main}{suffix}").read_bytes() == data, suffix
    # The files as the read-write open left them are kept too, never deleted.
    assert Path(f"{main}.as-opened") in aside
    assert f"{main}.as-opened" in problem
    assert not [p for p in db_path.parent.iterdir() if ".before-open-" in p.name]


def test_the_copy_as_found_is_kept_when_the_damaged_file_cannot_be_moved(
    db_path: Path, keys: Keys, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _crashed_with_a_live_wal(db_path, keys, with_shm=True)
    found = {s: Path(f"{db_path}{s}").read_bytes() for s in ("", "-wal")}

    def refuse(path: Path, timeout: float) -> sqlite3.Connection:
        exc = sqlite3.OperationalError("attempt to write a readonly database")
        exc.sqlite_errorcode = sqlite3.SQLITE_READONLY
        raise exc

    def no_rename(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(database_module, "connect_read_only", refuse)
    monkeypatch.setattr("kiosk.enquiries.database.os.rename", no_rename)
    with EnquiryStore(db_path, keys.sealer) as store:
        assert not store.available
        (problem,) = store.problems
    assert any(r.levelno == logging.CRITICAL for r in caplog.records)
    (copy,) = [p for p in db_path.parent.iterdir() if p.name.endswith("Z")]
    assert ".before-open-" in copy.name
    assert f"A copy of it as found is at {copy}." in problem
    for suffix, data in found.items():
        assert Path(f"{copy}{suffix}").read_bytes() == data, suffix


def _hot_journal_with_a_damaged_page(db_path: Path, keys: Keys) -> None:
    """A rollback-mode database cut off mid-transaction (a hot -journal), one page damaged.

    SQLite refuses to read this read-only (the journal must be rolled back
    first), so the store has to open it read-write. The cut-off transaction
    writes only to a table of its own (made last, so its root is the last
    page) and page 1: the enquiries' pages are not in the journal, and the
    damage to one of them survives the rollback.
    """
    live = db_path.parent.parent / "live" / db_path.name
    with EnquiryStore(live, keys.sealer) as store:
        for n in range(40):
            store.save(new_key(), "t", {**PERSONAL, "message": "m" * (50 * n)})
    conn = sqlite3.connect(live, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("CREATE TABLE scratch (x BLOB)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute("PRAGMA cache_size = 1")  # spill: the journal and the file are written
        conn.execute("BEGIN IMMEDIATE")
        for _ in range(20):
            conn.execute("INSERT INTO scratch VALUES (randomblob(3000))")
        db_path.parent.mkdir(parents=True)
        for suffix in ("", "-journal"):
            shutil.copyfile(f"{live}{suffix}", f"{db_path}{suffix}")
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert Path(f"{db_path}-journal").stat().st_size > 0
    raw = bytearray(db_path.read_bytes())
    _scribble(raw, pages - 1, size)
    db_path.write_bytes(bytes(raw))


def test_a_damaged_database_with_a_hot_journal_is_kept_as_found(
    db_path: Path, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    _hot_journal_with_a_damaged_page(db_path, keys)
    found = {s: Path(f"{db_path}{s}").read_bytes() for s in ("", "-journal")}
    caplog.set_level(logging.INFO, logger="kiosk.enquiries.store")

    _assert_a_new_database_works(db_path, keys, caplog)

    main, _aside = _set_aside_files(db_path)
    for suffix, data in found.items():
        assert Path(f"{main}{suffix}").read_bytes() == data, suffix
    assert Path(f"{main}.as-opened").is_file()  # rolled back by SQLite, kept too


def test_a_healthy_database_with_a_live_wal_is_opened_with_nothing_lost(
    db_path: Path, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    """The usual restart after a power cut: checked read-only, then opened, every enquiry there."""
    live = db_path.parent.parent / "live" / db_path.name
    with EnquiryStore(live, keys.sealer) as store:
        _save_some(store)
        db_path.parent.mkdir(parents=True)
        for suffix in ("", "-wal", "-shm"):
            shutil.copyfile(f"{live}{suffix}", f"{db_path}{suffix}")
    caplog.set_level(logging.INFO, logger="kiosk.enquiries.store")
    with EnquiryStore(db_path, keys.sealer) as store:
        assert store.available
        assert store.problems == []
        _intact(store, keys, 3)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


# -- faults -------------------------------------------------------------------------


def _save_some(store: EnquiryStore, n: int = 3) -> list[Saved]:
    return [store.save(new_key(), "t", {**PERSONAL, "name": f"Person {i}"}) for i in range(n)]


def _intact(store: EnquiryStore, keys: Keys, n: int) -> None:
    assert store.count() == n
    names = [p["name"] for p in opened_all(store, keys.opener)]
    assert names[:3] == ["Person 0", "Person 1", "Person 2"][: min(n, 3)]
    assert store.integrity_ok()


def test_full_disk_on_a_real_small_file_system(tmpfs: Path, keys: Keys) -> None:
    path = tmpfs / "enquiries.sqlite3"
    store = EnquiryStore(path, keys.sealer)
    try:
        assert store.available, store.problems
        _save_some(store)
        filler = fill(tmpfs)
        with pytest.raises(StoreError) as caught:
            store.save(new_key(), "t", {**PERSONAL, "message": "m" * 400})
        assert caught.value.reason == "full"
        assert "full" in str(caught.value)
        _intact(store, keys, 3)

        filler.unlink()
        assert store.save(new_key(), "t", PERSONAL).new
        _intact(store, keys, 4)
    finally:
        store.close()
    assert len(raw_rows(path)) == 4


def test_full_database_via_max_page_count(faults: Faults, db_path: Path, keys: Keys) -> None:
    with EnquiryStore(db_path, keys.sealer) as store:
        _save_some(store)
        (conn,) = faults.connections
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError) as caught:
            for n in range(200):
                store.save(new_key(), "t", {**PERSONAL, "message": "m" * 400 + str(n)})
        assert caught.value.reason == "full"
        saved_before = store.count()
        assert saved_before >= 3
        _intact(store, keys, saved_before)

        conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        assert store.save(new_key(), "t", PERSONAL).new
        assert store.count() == saved_before + 1


# What SQLite or the OS may raise, and what the patient is told.
BOUNDARY = [
    pytest.param(
        lambda: sqlite3.OperationalError("database or disk is full"), "full", id="sqlite-full"
    ),
    pytest.param(lambda: OSError(errno.ENOSPC, "No space left"), "full", id="enospc"),
    pytest.param(
        lambda: sqlite3.OperationalError("attempt to write a readonly database"),
        "read-only",
        id="sqlite-readonly",
    ),
    pytest.param(lambda: OSError(errno.EROFS, "Read-only file system"), "read-only", id="erofs"),
    pytest.param(lambda: sqlite3.OperationalError("database is locked"), "locked", id="locked"),
    pytest.param(lambda: sqlite3.OperationalError("database table is busy"), "locked", id="busy"),
    pytest.param(lambda: sqlite3.DatabaseError("nobody foresaw this"), "failed", id="other"),
]


@pytest.mark.parametrize(("make", "reason"), BOUNDARY)
@pytest.mark.parametrize("where", ["INSERT INTO enquiries", "COMMIT"], ids=["insert", "commit"])
def test_errors_at_the_boundary_map_to_a_reason_and_lose_nothing(
    faults: Faults,
    db_path: Path,
    keys: Keys,
    make: Callable[[], BaseException],
    reason: str,
    where: str,
) -> None:
    with EnquiryStore(db_path, keys.sealer) as store:
        _save_some(store)
        faults.raise_on[where] = make
        with pytest.raises(StoreError) as caught:
            store.save(new_key(), "t", PERSONAL)
        assert caught.value.reason == reason
        faults.raise_on.clear()
        _intact(store, keys, 3)  # rolled back: the failed one is not there
        assert store.save(new_key(), "t", PERSONAL).new
        _intact(store, keys, 4)


# Every read goes through EnquiryStore._reading: (what it does, the statement it
# runs, the words its StoreError starts with).
READS = [
    pytest.param(
        lambda s: s.enquiries(), "FROM enquiries", "The enquiries could not be read", id="enquiries"
    ),
    pytest.param(lambda s: s.get(1), "FROM enquiries", "The enquiry could not be read", id="get"),
    pytest.param(
        lambda s: s.counts(), "FROM enquiries", "The enquiries could not be counted", id="counts"
    ),
    pytest.param(
        lambda s: s.count("new"), "FROM enquiries", "The enquiries could not be counted", id="count"
    ),
    pytest.param(
        lambda s: s.purgeable(0),
        "FROM enquiries",
        "The enquiries could not be counted",
        id="purgeable",
    ),
    pytest.param(
        lambda s: s.weekly_counts(2),
        "FROM enquiries",
        "The enquiries could not be counted",
        id="weekly",
    ),
    pytest.param(
        lambda s: s.pragmas(),
        "PRAGMA user_version",
        "The database settings could not be read",
        id="pragmas",
    ),
    pytest.param(
        lambda s: s.purge(0),
        "PRAGMA secure_delete = ON",
        "Old enquiries were not deleted",
        id="purge",
    ),
]


@pytest.mark.parametrize(("make", "reason"), BOUNDARY)
@pytest.mark.parametrize(("read", "statement", "words"), READS)
def test_read_errors_map_to_a_reason_and_the_next_read_works(
    faults: Faults,
    db_path: Path,
    keys: Keys,
    read: Callable[[EnquiryStore], object],
    statement: str,
    words: str,
    make: Callable[[], BaseException],
    reason: str,
) -> None:
    """A read that fails is a StoreError with the reason a save would give, saying what
    was not done (no SQLite or OS exception escapes); the next read works."""
    with EnquiryStore(db_path, keys.sealer) as store:
        _save_some(store)
        faults.raise_on[statement] = make
        with pytest.raises(StoreError) as caught:
            read(store)
        assert caught.value.reason == reason
        assert str(caught.value).startswith(words + " (")
        faults.raise_on.clear()
        read(store)
        _intact(store, keys, 3)


def test_a_damaged_page_met_while_reading_drops_the_connection(
    faults: Faults, db_path: Path, keys: Keys
) -> None:
    """SQLITE_CORRUPT mid-read: "failed", and the next read reopens (and so rechecks)
    the file instead of going on with a connection that may be damaged."""

    def corrupt() -> BaseException:
        exc = sqlite3.DatabaseError("database disk image is malformed")
        exc.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
        return exc

    with EnquiryStore(db_path, keys.sealer) as store:
        _save_some(store)
        faults.raise_on["FROM enquiries"] = corrupt
        with pytest.raises(StoreError) as caught:
            store.enquiries()
        assert caught.value.reason == "failed"
        assert "malformed" in str(caught.value)
        assert not store.available
        faults.raise_on.clear()
        assert len(store.enquiries()) == 3
        assert store.available and len(faults.connections) == 2


def test_read_only_file_system_then_writable_again(tmpfs: Path, keys: Keys) -> None:
    path = tmpfs / "enquiries.sqlite3"
    with EnquiryStore(path, keys.sealer) as first:
        _save_some(first)
    remount(tmpfs, "ro")
    store = EnquiryStore(path, keys.sealer)
    try:
        assert not store.available
        assert store.problems
        with pytest.raises(StoreError) as caught:
            store.save(new_key(), "t", PERSONAL)
        assert caught.value.reason == "read-only"
        remount(tmpfs, "rw")
        assert store.save(new_key(), "t", PERSONAL).new  # the next save tries again
        assert store.available
        _intact(store, keys, 4)
    finally:
        store.close()


def test_a_new_database_on_a_read_only_file_system(tmpfs: Path, keys: Keys) -> None:
    remount(tmpfs, "ro")
    store = EnquiryStore(tmpfs / "enquiries.sqlite3", keys.sealer)
    try:
        assert not store.available
        assert any("cannot be written" in p for p in store.problems)
        with pytest.raises(StoreError) as caught:
            store.save(new_key(), "t", PERSONAL)
        assert caught.value.reason == "read-only"
        remount(tmpfs, "rw")
        assert store.save(new_key(), "t", PERSONAL).new
    finally:
        store.close()


def test_read_only_connection_via_query_only(faults: Faults, db_path: Path, keys: Keys) -> None:
    """SQLite's own SQLITE_READONLY, everywhere: the store reopens and carries on."""
    with EnquiryStore(db_path, keys.sealer) as store:
        _save_some(store)
        faults.connections[0].execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError) as caught:
            store.save(new_key(), "t", PERSONAL)
        assert caught.value.reason == "read-only"
        assert "SQLITE_READONLY" in str(caught.value)
        assert store.save(new_key(), "t", PERSONAL).new  # a fresh connection
        assert len(faults.connections) == 2
        _intact(store, keys, 4)


def test_a_folder_that_cannot_be_made_then_can(tmp_path: Path, keys: Keys) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the data folder should be")
    store = EnquiryStore(blocker / "enquiries.sqlite3", keys.sealer)
    try:
        assert not store.available
        assert store.problems
        with pytest.raises(StoreError) as caught:
            store.save(new_key(), "t", PERSONAL)
        assert caught.value.reason == "unavailable"
        blocker.unlink()
        assert store.save(new_key(), "t", PERSONAL).new
        assert store.available
    finally:
        store.close()


def test_locked_by_another_connection_then_released(db_path: Path, keys: Keys) -> None:
    with EnquiryStore(db_path, keys.sealer, busy_timeout=0.1) as store:
        _save_some(store)
        other = sqlite3.connect(db_path, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            other.execute(
                "INSERT INTO enquiries (form_key, created_at, topic, key_id, sealed)"
                " VALUES ('other', 'x', 't', 'k', x'00')"
            )
            started = time.monotonic()
            with pytest.raises(StoreError) as caught:
                store.save(new_key(), "t", PERSONAL)
            waited = time.monotonic() - started
            assert caught.value.reason == "locked"
            assert 0.05 <= waited < 1.5  # the busy timeout, not forever
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert store.save(new_key(), "t", PERSONAL).new
        _intact(store, keys, 4)


@dataclass
class FlakySealer:
    real: Sealer
    fail: bool = True
    calls: int = 0

    @property
    def key_id(self) -> str:
        return self.real.key_id

    def seal(self, plaintext: bytes) -> bytes:
        self.calls += 1
        if self.fail:
            raise RuntimeError(f"boom while sealing {plaintext!r}")
        return self.real.seal(plaintext)


def test_an_exception_in_the_sealer_saves_nothing(db_path: Path, keys: Keys) -> None:
    sealer = FlakySealer(keys.sealer, fail=False)
    with EnquiryStore(db_path, sealer) as store:  # type: ignore[arg-type]
        _save_some(store)
        sealer.fail = True
        with pytest.raises(StoreError) as caught:
            store.save(new_key(), "t", PERSONAL)
        assert caught.value.reason == "failed"
        assert sealer.calls == 4
        # Not chained: the sealer's message (which here holds the plaintext) stays out.
        assert caught.value.__suppress_context__
        assert caught.value.__cause__ is None
        assert "Ana" not in str(caught.value)
        _intact(store, keys, 3)
        sealer.fail = False
        assert store.save(new_key(), "t", PERSONAL).new
        _intact(store, keys, 4)


def test_a_closed_store_says_so(store: EnquiryStore) -> None:
    store.save(new_key(), "t", PERSONAL)
    assert store.integrity_ok()
    store.close()
    assert not store.available
    assert not store.integrity_ok()
    with pytest.raises(StoreError) as caught:
        store.save(new_key(), "t", PERSONAL)
    assert caught.value.reason == "unavailable"
    store.close()  # twice is fine


# -- enquiries sealed to a key this kiosk no longer has -------------------------------


def _other_keys(tmp_path: Path, name: str) -> Sealer:
    ring, _code = KeyRing.create(tmp_path / name / "k.json", tmp_path / name / "r.txt", kdf=FAST)
    return ring.sealer()


def _files(folder: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir())}


def test_foreign_key_ids_counts_enquiries_sealed_to_other_keys(
    db_path: Path, keys: Keys, tmp_path: Path
) -> None:
    """After new keys were made next to an old database: how many the new key cannot open."""
    old_key, older_key = _other_keys(tmp_path, "old"), _other_keys(tmp_path, "older")
    with EnquiryStore(db_path, older_key) as store:
        _save_some(store, 2)
    with EnquiryStore(db_path, old_key) as store:
        _save_some(store, 3)
    new = keys.sealer.key_id
    main_before = db_path.read_bytes()
    assert foreign_key_ids(db_path, new) == {old_key.key_id: 3, older_key.key_id: 2}
    assert foreign_key_ids(db_path, old_key.key_id) == {older_key.key_id: 2}
    # Read-only: SQLite may make the empty -wal and -shm a WAL file is read
    # with, but the database itself is not changed.
    assert db_path.read_bytes() == main_before
    assert Path(f"{db_path}-wal").stat().st_size == 0

    # While the kiosk holds the file, enquiries still only in the -wal count too,
    # and the peek changes nothing (read-only: no checkpoint, no -wal deleted).
    with EnquiryStore(db_path, keys.sealer) as store:
        _save_some(store, 4)
        wal = Path(f"{db_path}-wal")
        assert wal.stat().st_size > 0
        main_before, wal_before = db_path.read_bytes(), wal.read_bytes()
        assert foreign_key_ids(db_path, old_key.key_id) == {older_key.key_id: 2, new: 4}
        assert foreign_key_ids(db_path, new) == {old_key.key_id: 3, older_key.key_id: 2}
        assert (db_path.read_bytes(), wal.read_bytes()) == (main_before, wal_before)
        assert store.save(new_key(), "t", PERSONAL).new  # and the store carries on


def test_foreign_key_ids_is_empty_for_a_database_of_one_key(
    store: EnquiryStore, db_path: Path, keys: Keys
) -> None:
    _save_some(store)
    assert foreign_key_ids(db_path, keys.sealer.key_id) == {}


def _nothing(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)


def _empty_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")


def _no_enquiries_table(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE unrelated (x)")
    conn.commit()
    conn.close()


def _garbage(db_path: Path) -> None:
    """SQLite's header, then noise; its write and read versions say "rollback
    journal" (1). Random there, one file in about 300 said "WAL" (2): SQLite
    then reads it as a WAL database and makes its -wal and -shm beside it,
    even to read, and this test failed once in a while."""
    db_path.parent.mkdir(parents=True)
    noise = bytearray(os.urandom(4096 * 3))
    noise[2:4] = b"\x01\x01"  # header bytes 18 and 19
    db_path.write_bytes(b"SQLite format 3\x00" + bytes(noise))


def _folder(db_path: Path) -> None:
    (db_path / "inside").mkdir(parents=True)


@pytest.mark.parametrize("make", [_nothing, _empty_file, _no_enquiries_table, _garbage, _folder])
def test_foreign_key_ids_never_raises_and_never_writes(
    db_path: Path, keys: Keys, make: Callable[[Path], None]
) -> None:
    """Missing, empty, foreign or damaged: ``{}``, and nothing made or changed."""
    make(db_path)
    before = _files(db_path.parent)
    assert foreign_key_ids(db_path, keys.sealer.key_id) == {}
    assert _files(db_path.parent) == before


def test_foreign_key_ids_on_a_damaged_database_changes_nothing(
    db_path: Path, keys: Keys, tmp_path: Path
) -> None:
    """A page scribbled over: whatever can be counted, or {}; never an exception or a write."""
    _crashed_with_a_live_wal(db_path, keys, with_shm=True)
    before = {s: Path(f"{db_path}{s}").read_bytes() for s in ("", "-wal")}
    found = foreign_key_ids(db_path, _other_keys(tmp_path, "new").key_id)
    assert found in ({}, {keys.sealer.key_id: 43})
    assert {s: Path(f"{db_path}{s}").read_bytes() for s in ("", "-wal")} == before


# -- no personal data anywhere in the clear -------------------------------------------


def files_holding(folder: Path, token: str) -> list[Path]:
    needles = [token.encode("utf-8"), token.encode("utf-16-le")]
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and any(n in path.read_bytes() for n in needles)
    ]


def test_the_canary_is_found_nowhere(
    keys: Keys, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    token = "Zyxwvu" + uuid.uuid4().hex
    paths = Paths.resolve()
    paths.ensure()
    caplog.set_level(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    logging_setup.configure(paths.log_file, level=logging.DEBUG)
    personal = {**PERSONAL, "name": token, "message": f"call {token} please"}
    errors: list[str] = []
    try:
        with EnquiryStore(paths.store_file, keys.sealer, busy_timeout=0.05) as store:
            key = new_key()
            store.save(key, "t", personal)
            store.save(key, "t", personal)  # the idempotent path
            # Failures on the way, with the token in flight.
            other = sqlite3.connect(paths.store_file, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            try:
                with pytest.raises(StoreError) as locked:
                    store.save(new_key(), "t", personal)
                errors.append(str(locked.value))
            finally:
                other.execute("ROLLBACK")
                other.close()
            with pytest.raises(StoreError) as bad:
                store.save(new_key(), "t", {**personal, "n": 1})  # type: ignore[dict-item]
            errors.append(str(bad.value))
            for n in range(30):
                store.save(new_key(), "t", {**personal, "message": token * n})
            errors.extend(store.problems)
            assert open_personal(keys.opener, store.enquiries()[-1]) == personal
            # While open: the -wal and -shm files are there, and are searched too.
            assert Path(f"{paths.store_file}-wal").stat().st_size > 0
            assert Path(f"{paths.store_file}-shm").exists()
            assert files_holding(paths.data_dir, token) == []
        logging.getLogger("kiosk").info("closing the log after the canary")
    finally:
        for handler in list(root.handlers):
            if getattr(handler, "_kiosk", False):
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)

    assert paths.log_file.read_text(encoding="utf-8")  # the log was written to
    assert files_holding(paths.data_dir, token) == []
    assert all(token not in e for e in errors)
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in str(record.args)
        assert token not in (record.exc_text or "")
    # The search itself works: a file that does hold the token is found.
    control = tmp_path / "control"
    control.mkdir()
    (control / "x.bin").write_bytes(b"\x00" + token.encode("utf-16-le"))
    assert files_holding(control, token) == [control / "x.bin"]


# -- the file taken away under the running kiosk ----------------------------------


def _remove_database(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def _rescued(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob(f"{db_path.name}.rescued-*"))


def test_a_database_deleted_while_open_keeps_the_next_enquiry_and_the_old_ones(
    store: EnquiryStore, db_path: Path, keys: Keys
) -> None:
    """An admin tidying up (or a sync tool) deletes the database while the kiosk
    runs: the open file would take the next enquiry, and a "Thank you", into a
    file no folder holds any more. The store notices before saving: the old
    enquiries are copied aside, still sealed, and the new one goes to a new file
    at the path."""
    store.save(new_key(), "ketamine", PERSONAL)
    _remove_database(db_path)

    saved = store.save(new_key(), "ketamine", {**PERSONAL, "name": "After"})

    assert saved.new is True
    assert [open_personal(keys.opener, row)["name"] for row in store.enquiries()] == ["After"]
    assert len(raw_rows(db_path)) == 1  # on disk, at the path the kiosk uses
    (rescue,) = _rescued(db_path)
    assert PERSONAL["name"].encode() not in rescue.read_bytes()  # still sealed
    assert rescue.stat().st_mode & 0o777 == 0o600
    with EnquiryStore(rescue, keys.sealer) as kept:  # a whole enquiry database
        assert [open_personal(keys.opener, row) for row in kept.enquiries()] == [PERSONAL]
    assert any("deleted, moved or replaced" in p and str(rescue) in p for p in store.problems)


def test_a_database_moved_while_open_is_not_written_to_any_more(
    store: EnquiryStore, db_path: Path
) -> None:
    store.save(new_key(), "ketamine", PERSONAL)
    moved = db_path.with_name("moved.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").rename(f"{moved}{suffix}")

    store.save(new_key(), "ketamine", PERSONAL)

    assert len(raw_rows(db_path)) == 1  # the new one, where the kiosk keeps them
    assert len(raw_rows(moved)) == 1  # the moved file as it was taken
    assert len(_rescued(db_path)) == 1


def test_a_database_replaced_while_open_is_opened_again(
    store: EnquiryStore, db_path: Path, keys: Keys
) -> None:
    """A restore puts an older copy in place: it is used from then on, and what
    only the open file had is copied aside."""
    store.save(new_key(), "ketamine", {**PERSONAL, "name": "In the copy"})
    copy = db_path.with_name("copy.sqlite3")
    backup = sqlite3.connect(copy)
    store._connection().backup(backup)
    backup.close()
    store.save(new_key(), "ketamine", {**PERSONAL, "name": "Only in the open file"})
    _remove_database(db_path)
    copy.rename(db_path)

    store.save(new_key(), "ketamine", {**PERSONAL, "name": "After the restore"})

    names = [open_personal(keys.opener, row)["name"] for row in store.enquiries()]
    assert names == ["After the restore", "In the copy"]
    (rescue,) = _rescued(db_path)
    assert len(raw_rows(rescue)) == 2


def test_an_unchanged_database_is_not_copied(store: EnquiryStore, db_path: Path) -> None:
    for _ in range(3):
        store.save(new_key(), "ketamine", PERSONAL)
    assert _rescued(db_path) == []
    assert store.problems == []


# -- a second connection in the same process -------------------------------------------

_OTHER_PROCESS_SAVES = """
import sys
from pathlib import Path
from kiosk.enquiries.keys import Sealer
from kiosk.enquiries.store import EnquiryStore
store = EnquiryStore(Path(sys.argv[1]), Sealer(bytes.fromhex(sys.argv[2])))
store.save("from-another-process", "ketamine", {"name": "Other"})
store.close()
"""


def test_a_second_connection_here_keeps_the_first_ones_locks(
    store: EnquiryStore, db_path: Path, keys: Keys
) -> None:
    """The office link's sender opens the store's file a second time in the kiosk's
    process. Its header check opened and closed the file with plain Python,
    which on POSIX drops every lock the process holds on it, the store's
    connection's too: another process (``kiosk export``) closing then took the
    database for unused and deleted its -wal under the store's feet, and an
    enquiry was lost (found by an office review)."""
    store.save(new_key(), "ketamine", PERSONAL)
    second = DatabaseFile(db_path, 2.0, lambda message, level: None).open()
    assert second.execute("SELECT count(*) FROM enquiries").fetchone() == (1,)
    subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS_SAVES, str(db_path), keys.sealer.public_key.hex()],
        check=True,
        timeout=60,
    )
    # The other process saw this one's lock: it left the -wal for us.
    assert Path(f"{db_path}-wal").exists()
    store.save(new_key(), "ketamine", PERSONAL)
    close_database(second)
    store.close()
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute("SELECT count(*) FROM enquiries").fetchone() == (3,)
    check.close()
