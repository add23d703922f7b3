"""The soak (issue 14, point 7): three kiosks, each a real process with its own data
folder, enrolment and SQLite outbox, each saving 2,000 enquiries (a tenth with
``KIOSK_TEST_ROUNDS=fast``) while its sender sends them, and the server is killed
(a crash, no shutdown) and started again twice. Every enquiry a kiosk acknowledged
(committed on the tablet) is in the office exactly once, numbered 1 to N with no
gap, and every signature verifies.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from kiosk.office import inbox
from tests.conftest import stress_rounds
from tests.office.conftest import Clinic, enrolled_tablet
from tests.office.pg import Cluster

KIOSKS = ("Lobby", "Upstairs", "Annex")
PER_KIOSK = stress_rounds(2000)  # a tenth in make test-fast

KIOSK_PROCESS = """
import sqlite3, sys, time
from contextlib import closing
from pathlib import Path
from kiosk.enquiries.keys import Sealer
from kiosk.enquiries.store import EnquiryStore
from kiosk.office.link import load
from kiosk.office.outbox import Sender

data, count, name = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
link = load(data)
assert link is not None
path = data / "enquiries.sqlite3"
store = EnquiryStore(path, Sealer(link.public_key))
sender = Sender(link, path, poll_s=0.05, initial_backoff_s=0.05, max_backoff_s=0.5)
sender.start()
for i in range(count):
    key = f"{name}-{i}"
    store.save(key, "ketamine", {"name": f"Patient {i}", "phone": "555-0100"})
    print(key, flush=True)  # acknowledged: the patient's Send committed on the tablet
    sender.wake()
deadline = time.monotonic() + 120
with closing(sqlite3.connect(path)) as db:
    while db.execute("SELECT count(*) FROM enquiries WHERE sent_at IS NULL").fetchone()[0]:
        if time.monotonic() > deadline:
            sys.exit("the outbox did not empty: " + sender.status.message)
        time.sleep(0.05)
sender.stop()
store.close()
"""


def _committed(pg: Cluster, db: str) -> int:
    try:
        with psycopg.connect(pg.dsn(db), autocommit=True) as conn:
            row = conn.execute("SELECT count(*) FROM enquiries").fetchone()
    except psycopg.OperationalError:
        return 0
    return int(str(row[0])) if row else 0


@pytest.mark.slow
def test_three_kiosks_through_two_server_crashes_every_enquiry_once_and_verified(
    pg: Cluster, clinic: Clinic, tmp_path: Path
) -> None:
    started = time.monotonic()
    children: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    for name in KIOSKS:
        tablet = enrolled_tablet(clinic, tmp_path / name, name)
        tablet.store.close()
        acks = tmp_path / f"{name}.acks"
        with acks.open("wb") as out:
            child = subprocess.Popen(
                [sys.executable, "-c", KIOSK_PROCESS, str(tablet.data_dir), str(PER_KIOSK), name],
                stdout=out,
            )
        children[name] = (child, acks)
    total = PER_KIOSK * len(KIOSKS)
    try:
        for fraction in (0.25, 0.6):
            deadline = time.monotonic() + 60
            while _committed(pg, clinic.db) < total * fraction:
                assert time.monotonic() < deadline, "the kiosks stopped sending"
                assert all(c.poll() in (None, 0) for c, _ in children.values())
                time.sleep(0.05)
            pg.stop("immediate")
            time.sleep(1.0)  # the kiosks keep saving, and retry against no server
            pg.start()
        for child, _ in children.values():
            assert child.wait(timeout=150) == 0
    finally:
        for child, _ in children.values():
            if child.poll() is None:
                child.kill()
                child.wait()
    with clinic.connect() as conn:
        rows = conn.execute(
            "SELECT k.name, e.seq, e.form_key FROM enquiries e JOIN kiosks k ON k.role = e.kiosk"
        ).fetchall()
        receipts = inbox.verify_kiosks(conn)
    copies = Counter(str(key) for _, _, key in rows)
    assert [key for key, n in copies.items() if n > 1] == []
    for name, (_, acks) in children.items():
        acknowledged = acks.read_text().split()
        assert len(acknowledged) == PER_KIOSK
        arrived = sorted((int(seq), str(key)) for kiosk, seq, key in rows if kiosk == name)
        assert sorted(k for _, k in arrived) == sorted(acknowledged)
        assert [s for s, _ in arrived] == list(range(1, PER_KIOSK + 1))
    assert sorted(r.summary() for r in receipts) == sorted(
        f"kiosk {name}: {PER_KIOSK:,} received, none missing" for name in KIOSKS
    )
    print(f"soak: {total} enquiries, 2 server crashes, {time.monotonic() - started:.1f} s")
