"""Faults of the server itself, against the real one: its disk full, a restart in the
middle of a batch, an hour away (on an injected clock). Every enquiry the tablet
saved arrives exactly once, and the kiosk says what is wrong, in words.
"""

from __future__ import annotations

import logging
import os
import pwd
import secrets
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from kiosk.office import heartbeat, inbox
from kiosk.office.outbox import Sender
from tests.office.conftest import Clinic, Tablet
from tests.office.pg import Cluster, free_port
from tests.office.proxy import Proxy
from tests.office.test_faults import office_rows, unsent


def superuser(pg: Cluster, db: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(pg.dsn(db), autocommit=True)


def wait_for(what: str, done: object, timeout: float = 30.0) -> None:
    assert callable(done)
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


# -- the server's disk is full ---------------------------------------------------------


def _fill(folder: Path) -> Path:
    """Write a file in ``folder`` until its filesystem has no block left."""
    filler = folder / "filler"
    with suppress(OSError), filler.open("wb") as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    with suppress(OSError), filler.open("ab") as out:
        while True:
            out.write(b"\0" * 512)
            out.flush()
    return filler


@pytest.fixture
def small_tablespace(pg: Cluster, clinic: Clinic) -> Iterator[Path]:
    """The clinic's enquiries table moved to a tablespace on a 4 MiB tmpfs (a real
    filesystem that fills up; the WAL and the other tables stay where they were, as on
    a server whose data disk is full but which is still up). Mounting needs root."""
    if os.geteuid() != 0:
        pytest.skip("a full disk is a small tmpfs mounted for the test: that needs root")
    folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"a small tmpfs could not be mounted here: {mounted.stderr.strip()}")
    name = f"full_{secrets.token_hex(4)}"
    try:
        if pg.run_as:
            user = pwd.getpwnam(pg.run_as)
            os.chown(folder, user.pw_uid, user.pw_gid)
        with superuser(pg, "postgres") as conn:
            conn.execute(f"CREATE TABLESPACE {name} LOCATION '{folder}'".encode())
        with superuser(pg, clinic.db) as conn:
            conn.execute(f"ALTER TABLE enquiries SET TABLESPACE {name}".encode())
        yield folder
    finally:
        with suppress(psycopg.Error), superuser(pg, clinic.db) as conn:
            conn.execute("ALTER TABLE enquiries SET TABLESPACE pg_default")
        with suppress(psycopg.Error), superuser(pg, "postgres") as conn:
            conn.execute(f"DROP TABLESPACE IF EXISTS {name}".encode())
        subprocess.run(["umount", "-l", str(folder)], check=False)
        with suppress(OSError):
            folder.rmdir()


def test_a_full_server_disk_keeps_rows_unsent_says_so_and_sends_them_once_there_is_room(
    pg: Cluster,
    clinic: Clinic,
    tablet: Tablet,
    small_tablespace: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    facts = heartbeat.KioskFacts(version="test", data_dir=tablet.data_dir)
    sender = tablet.sender(facts=facts, heartbeat_s=0.0)
    keys = tablet.save(40)
    filler = _fill(small_tablespace)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.office.outbox"):
            for _ in range(3):
                sender.step()
        assert sender.status.state == "full", sender.status.message
        assert "disk is full" in sender.status.message
        said = [r.getMessage() for r in caplog.records]
        assert sum("disk is full" in m for m in said) == 1, said  # once, not per retry
        assert unsent(tablet) == 40
        assert office_rows(clinic) == []
        with clinic.connect() as conn:
            (error,) = conn.execute(
                "SELECT last_error FROM heartbeats ORDER BY id DESC LIMIT 1"
            ).fetchone() or (None,)
        assert error is not None and "disk is full" in str(error)

        filler.unlink()  # room again
        while sender.step() == 0.0 or unsent(tablet):
            pass
        back = sender.status  # (a new name: mypy keeps the narrowing of the one above)
        assert back.state == "sent", back.message
    finally:
        sender.stop()
    assert office_rows(clinic) == [(n, k) for n, k in enumerate(keys, start=1)]
    assert unsent(tablet) == 0
    with clinic.connect() as conn:
        (health,) = inbox.kiosk_health(conn)
    assert health.health == "green", health.reason


# -- restarted in the middle of a batch -----------------------------------------------

SLOW_INSERTS = """
CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END $$;
CREATE TRIGGER slow_insert BEFORE INSERT ON enquiries
    FOR EACH ROW EXECUTE FUNCTION slow_insert();
"""


def test_a_server_killed_in_the_middle_of_a_batch_loses_nothing_and_duplicates_nothing(
    pg: Cluster, clinic: Clinic, tablet: Tablet
) -> None:
    """Batches of 500, each row slowed by 2 ms on the server (a second a batch): the
    server is killed (no shutdown, a crash) while the second batch is being inserted,
    then started again."""
    with superuser(pg, clinic.db) as conn:
        conn.execute(SLOW_INSERTS.encode())
    keys = tablet.save(1200)
    sender = tablet.sender(batch=500, poll_s=0.05, initial_backoff_s=0.05, max_backoff_s=0.2)

    def committed() -> int:
        with superuser(pg, clinic.db) as conn:
            row = conn.execute("SELECT count(*) FROM enquiries").fetchone()
        return int(str(row[0])) if row else 0

    def inserting() -> bool:
        with superuser(pg, "postgres") as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kiosk Lobby'"
                " AND state = 'active' AND query LIKE 'INSERT INTO enquiries%'"
            ).fetchone()
        return bool(row and int(str(row[0])))

    sender.start()
    try:
        wait_for("the first batch", lambda: committed() >= 500)
        wait_for("the second batch under way", inserting)
        time.sleep(0.2)
        pg.stop("immediate")
        assert 0 < unsent(tablet) <= 700
        time.sleep(0.5)  # a few retries against no server
        assert sender.status.state == "waiting", sender.status.message
        pg.start()
        wait_for("everything sent", lambda: unsent(tablet) == 0, timeout=60)
    finally:
        sender.stop()
    rows = office_rows(clinic)
    assert [s for s, _ in rows] == list(range(1, 1201))
    assert [k for _, k in rows] == keys
    with clinic.connect() as conn:
        (receipt,) = inbox.verify_kiosks(conn)
    assert receipt.summary() == "kiosk Lobby: 1,200 received, none missing"


# -- away for an hour ------------------------------------------------------------------


def test_a_server_away_for_an_hour_backs_off_to_a_minute_and_sends_everything_once_after(
    clinic: Clinic, tablet: Tablet, caplog: pytest.LogCaptureFixture
) -> None:
    """The server's port answers nothing for an hour of an injected clock: the retries
    space out to one a minute, never longer; the log says it once; the patient's Send
    stays a local commit; when the server is back it all arrives, once."""
    port = free_port()  # nothing listens here until the proxy starts
    link = replace(tablet.link, server=clinic.pg.server_url(clinic.db, port=port))
    now = [0.0]
    sender = Sender(link, tablet.data_dir / "enquiries.sqlite3", clock=lambda: now[0])
    keys: list[str] = []
    delays: list[float] = []
    with caplog.at_level(logging.WARNING, logger="kiosk.office.outbox"):
        while now[0] < 3600.0:
            started = time.perf_counter()
            keys += tablet.save(1, f"minute-{int(now[0]) // 60}-{len(delays)}")
            assert time.perf_counter() - started < 0.5  # the Send: a local commit
            delay = sender.step()
            delays.append(delay)
            now[0] += delay
    assert delays[:7] == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0]
    assert max(delays) == 60.0 and set(delays[7:]) == {60.0}
    assert sender.status.state == "waiting"
    assert sum("cannot be reached" in r.getMessage() for r in caplog.records) == 1
    assert unsent(tablet) == len(keys) and office_rows(clinic) == []

    proxy = Proxy(clinic.pg.port, port=port)  # the server is back
    try:
        while unsent(tablet):
            sender.step()
    finally:
        sender.stop()
        proxy.stop()
    back = sender.status  # (a new name: mypy keeps the narrowing of the one above)
    assert back.state == "sent", back.message
    assert office_rows(clinic) == [(n, k) for n, k in enumerate(keys, start=1)]


def test_the_patients_send_does_not_wait_on_a_sender_retrying(
    clinic: Clinic, tablet: Tablet
) -> None:
    """The real thread retrying against a server that is not there: each Send (a save
    and a wake) stays a local commit."""
    link = replace(tablet.link, server=clinic.pg.server_url(clinic.db, port=free_port()))
    sender = Sender(
        link, tablet.data_dir / "enquiries.sqlite3", initial_backoff_s=0.01, max_backoff_s=0.05
    )
    sender.start()
    slowest = 0.0
    try:
        for n in range(30):
            started = time.perf_counter()
            tablet.save(1, f"send-{n}")
            sender.wake()
            slowest = max(slowest, time.perf_counter() - started)
            time.sleep(0.01)
    finally:
        sender.stop()
    assert slowest < 0.25, f"a Send took {slowest:.3f} s"
    assert sender.status.state == "waiting"
    assert unsent(tablet) == 30
