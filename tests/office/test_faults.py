"""Faults against the real server: away, cut, revoked, untrusted, killed, raced.

Every acknowledged enquiry arrives exactly once; nothing readable leaves the tablet.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
import trustme

from kiosk.office import admin, audit, inbox
from kiosk.office.admin import OfficeError
from kiosk.office.enrol import enrol
from kiosk.office.heartbeat import KioskFacts
from kiosk.office.link import link_file
from kiosk.office.outbox import Sender
from tests.office.conftest import Clinic, Tablet, enrolled_tablet
from tests.office.pg import Cluster
from tests.office.proxy import Proxy


def office_rows(clinic: Clinic) -> list[tuple[int, str]]:
    with clinic.connect() as conn:
        return [
            (int(r[0]), str(r[1]))
            for r in conn.execute("SELECT seq, form_key FROM enquiries ORDER BY seq").fetchall()
        ]


def unsent(tablet: Tablet) -> int:
    with closing(sqlite3.connect(tablet.data_dir / "enquiries.sqlite3")) as db:
        (n,) = db.execute("SELECT count(*) FROM enquiries WHERE sent_at IS NULL").fetchone()
    return int(n)


def test_server_away_rows_stay_unsent_and_go_after_restart(
    pg: Cluster, clinic: Clinic, tablet: Tablet
) -> None:
    sender = tablet.sender()
    try:
        keys = tablet.save(2)
        assert sender.send_once() == 2
        pg.stop()
        more = tablet.save(3, "while-away")
        with pytest.raises(psycopg.OperationalError):
            sender.send_once()
        sender._failed(psycopg.OperationalError("connection refused"))
        assert sender.status.state == "waiting"
        assert unsent(tablet) == 3
        pg.start()
        assert sender.send_once() == 3
    finally:
        sender.stop()
    assert [k for _, k in office_rows(clinic)] == keys + more
    assert unsent(tablet) == 0


def test_a_cut_connection_loses_nothing_and_sends_once(
    pg: Cluster, clinic: Clinic, tablet: Tablet
) -> None:
    proxy = Proxy(pg.port)
    link = replace(tablet.link, server=pg.server_url(clinic.db, port=proxy.port))
    sender = Sender(link, tablet.data_dir / "enquiries.sqlite3")
    try:
        tablet.save(2, "first")
        assert sender.send_once() == 2
        proxy.stop()
        tablet.save(2, "second")
        with pytest.raises(psycopg.OperationalError):
            sender.send_once()
        assert unsent(tablet) == 2
        proxy = Proxy(pg.port, port=proxy.port)
        assert sender.send_once() == 2
    finally:
        sender.stop()
        proxy.stop()
    assert [s for s, _ in office_rows(clinic)] == [1, 2, 3, 4]


def test_a_revoked_kiosk_is_told_in_words_and_keeps_its_rows(
    clinic: Clinic, tablet: Tablet, caplog: pytest.LogCaptureFixture
) -> None:
    with clinic.connect() as conn:
        admin.revoke_kiosk(conn, "Lobby")
    tablet.save(1)
    sender = tablet.sender(poll_s=0.05, initial_backoff_s=0.05)
    with caplog.at_level(logging.ERROR, logger="kiosk.office.outbox"):
        sender.start()
        deadline = time.monotonic() + 10
        while sender.status.state != "refused" and time.monotonic() < deadline:
            time.sleep(0.05)
        sender.stop()
    assert sender.status.state == "refused"
    assert "revoked" in sender.status.message
    assert sum("refused this kiosk" in r.getMessage() for r in caplog.records) == 1
    assert unsent(tablet) == 1
    with clinic.connect() as conn:
        (health,) = [h for h in inbox.kiosk_health(conn) if h.name == "Lobby"]
    assert health.health == "red" and "Revoked" in health.reason


def test_a_revoked_kiosk_with_nothing_to_send_stays_refused_and_says_it_once(
    clinic: Clinic, tablet: Tablet, caplog: pytest.LogCaptureFixture
) -> None:
    """Revoked while its connection is open and its outbox empty: the heartbeat's
    INSERT is refused, then the login; each round after asks the server before saying
    all is well, so the state never flips back to "sent" (nor the log to "working")."""
    now = [0.0]
    sender = tablet.sender(
        facts=KioskFacts(version="0.1.0", data_dir=tablet.data_dir), clock=lambda: now[0]
    )
    try:
        assert sender.step() == sender._poll_s and sender.status.state == "sent"
        with clinic.connect() as conn:
            admin.revoke_kiosk(conn, "Lobby")
        now[0] += 61.0  # a heartbeat is due
        with caplog.at_level(logging.INFO, logger="kiosk.office.outbox"):
            caplog.clear()  # "working" from the first step, if an earlier test let INFO through
            states = []
            for _ in range(5):
                sender.step()
                states.append(sender.status.state)
                now[0] += 61.0
    finally:
        sender.stop()
    assert states == ["refused"] * 5
    assert [r.getMessage()[:40] for r in caplog.records] == [
        "The office server refused this kiosk (pe"  # its INSERT: permission denied
    ]
    assert sender.status.reason == "revoked" and sender.status.unsent == 0


def test_a_server_with_another_ca_is_refused_and_nothing_is_sent(
    clinic: Clinic, tablet: Tablet, tmp_path: Path
) -> None:
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    sender = Sender(replace(tablet.link, ca_file=other_ca), tablet.data_dir / "enquiries.sqlite3")
    tablet.save(1)
    try:
        with pytest.raises(psycopg.OperationalError) as caught:
            sender.send_once()
        sender._failed(caught.value)
    finally:
        sender.stop()
    assert sender.status.state == "untrusted", sender.status.message
    assert office_rows(clinic) == []
    assert unsent(tablet) == 1


SENDER_SCRIPT = """
import sys, time
from pathlib import Path
from kiosk.office.link import load
from kiosk.office.outbox import Sender
data = Path(sys.argv[1])
sender = Sender(load(data), data / "enquiries.sqlite3", batch=1)
while sender.send_once():
    print("sent", flush=True)
"""


def test_a_sender_killed_mid_send_loses_nothing_and_duplicates_nothing(
    clinic: Clinic, tablet: Tablet
) -> None:
    keys = tablet.save(60)
    child = subprocess.Popen(
        [sys.executable, "-c", SENDER_SCRIPT, str(tablet.data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for _ in range(10):
        child.stdout.readline()
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert 0 < unsent(tablet) < 60
    assert tablet.send() > 0
    while tablet.send():
        pass
    rows = office_rows(clinic)
    assert [s for s, _ in rows] == list(range(1, 61))
    assert sorted(k for _, k in rows) == sorted(keys)
    with clinic.connect() as conn:
        (receipt,) = inbox.verify_kiosks(conn)
    assert receipt.summary() == "kiosk Lobby: 60 received, none missing"


def test_a_gap_and_an_altered_row_are_named(clinic: Clinic, tablet: Tablet) -> None:
    tablet.save(5)
    tablet.send()
    with clinic.connect() as conn:
        conn.execute("DELETE FROM enquiries WHERE seq IN (2, 3)")
        conn.execute("UPDATE enquiries SET topic = 'other' WHERE seq = 4")
        conn.commit()
        (receipt,) = inbox.verify_kiosks(conn)
    assert receipt.missing == [(2, 3)] and receipt.bad_signatures == [4]
    assert receipt.summary() == (
        "kiosk Lobby: 3 received, 2 missing (numbers 2-3); "
        "1 altered or not signed by the kiosk (number 4)"
    )


def test_two_offices_marking_one_enquiry_one_wins_both_audited(
    clinic: Clinic, tablet: Tablet
) -> None:
    tablet.save(1)
    tablet.send()
    with clinic.connect() as conn:
        (enquiry,) = inbox.page(conn)
    results: dict[str, inbox.StatusChange] = {}
    start = threading.Barrier(2)

    def mark(actor: str, status: str) -> None:
        with clinic.connect() as conn:
            start.wait()
            results[actor] = inbox.set_status(conn, enquiry.id, status, actor=actor, expected="new")

    threads = [
        threading.Thread(target=mark, args=("Ana", "contacted")),
        threading.Thread(target=mark, args=("Ben", "no_answer")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [a for a, r in results.items() if r.changed]
    assert len(winners) == 1
    (loser,) = {"Ana", "Ben"} - set(winners)
    assert results[loser].by == winners[0]
    with clinic.connect() as conn:
        (now,) = inbox.page(conn)
        actions = conn.execute(
            "SELECT actor, action FROM audit WHERE subject = %s", (str(enquiry.id),)
        ).fetchall()
        assert audit.verify(conn).intact
    assert now.status_by == winners[0]
    assert sorted(actions) == sorted([(winners[0], "status"), (loser, "status-refused")])


def test_a_revoked_tablet_linked_again_under_a_new_name_sends_what_it_kept_with_no_gap(
    clinic: Clinic, tablet: Tablet
) -> None:
    """docs/office.md's way back for a revoked tablet: its link file removed and
    ``kiosk enrol`` with a token for a new name. What it kept unsent arrives, once,
    under the new name; the new kiosk numbers from 1, so the office's check finds
    nothing missing (it went on from the old kiosk's numbers, and the office
    counted them all as missing from the new one)."""
    first = tablet.save(2, "before")
    assert tablet.send() == 2
    with clinic.connect() as conn:
        admin.revoke_kiosk(conn, "Lobby")
    kept = tablet.save(2, "kept")
    sender = tablet.sender()
    try:
        with pytest.raises(psycopg.OperationalError):
            sender.send_once()
    finally:
        sender.stop()
    assert unsent(tablet) == 2
    link_file(tablet.data_dir).unlink()
    again = enrolled_tablet(clinic, tablet.data_dir, "Lobby-2")
    try:
        assert again.send() == 2
        later = again.save(1, "later")
        assert again.send() == 1
    finally:
        again.store.close()
    assert unsent(tablet) == 0
    with clinic.connect() as conn:
        rows = conn.execute(
            "SELECT k.name, e.seq, e.form_key FROM enquiries e"
            " JOIN kiosks k ON k.role = e.kiosk ORDER BY e.id"
        ).fetchall()
        receipts = {r.name: r for r in inbox.verify_kiosks(conn)}
    assert rows == [
        ("Lobby", 1, first[0]),
        ("Lobby", 2, first[1]),
        ("Lobby-2", 1, kept[0]),
        ("Lobby-2", 2, kept[1]),
        ("Lobby-2", 3, later[0]),
    ]
    assert receipts["Lobby-2"].missing == [] and receipts["Lobby-2"].received == 3
    assert receipts["Lobby"].missing == [] and not receipts["Lobby-2"].bad_signatures
    assert receipts["Lobby-2"].summary() == "kiosk Lobby-2: 3 received, none missing"


def test_a_tablet_whose_store_is_busy_is_not_enrolled_and_says_why(
    clinic: Clinic, tablet: Tablet
) -> None:
    """Linking again needs the store for a moment (its old numbers taken off): held
    by another writer past the wait, ``kiosk enrol`` says so and enrols nothing,
    and the same token works once the store is free."""
    tablet.save(1)
    assert tablet.send() == 1
    link_file(tablet.data_dir).unlink()
    token = clinic.token("Lobby-2")
    url = clinic.pg.server_url(clinic.db)
    with closing(sqlite3.connect(tablet.data_dir / "enquiries.sqlite3")) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(OfficeError, match="could not be made ready for the new link"):
            enrol(tablet.data_dir, url, token)
        holder.rollback()
    assert not link_file(tablet.data_dir).exists()
    with closing(sqlite3.connect(tablet.data_dir / "enquiries.sqlite3")) as db:
        assert db.execute("SELECT seq FROM enquiries").fetchall() == [(1,)]
    link = enrol(tablet.data_dir, url, token)
    assert link.kiosk_name == "Lobby-2"
