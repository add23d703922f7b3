"""The kiosk's numbers after its SQLite store was set aside (a damaged file moved to
``.corrupt-…`` and a new, empty one started): numbering goes on from where it was,
never 1 again (which the office's UNIQUE (kiosk, seq) refuses for ever), and the
office reports no gap that is not there.
"""

from __future__ import annotations

import logging
from pathlib import Path

import psycopg
import pytest

from kiosk.enquiries.keys import Sealer
from kiosk.enquiries.store import EnquiryStore
from kiosk.office import inbox
from tests.office.conftest import Clinic, Tablet, enrolled_tablet
from tests.office.test_faults import office_rows, unsent


def damage_store(tablet: Tablet) -> EnquiryStore:
    """Overwrite the tablet's store with bytes that are not a database; the store the
    kiosk opens next sets it aside and starts a new one."""
    tablet.store.close()
    path = tablet.data_dir / "enquiries.sqlite3"
    for companion in ("-wal", "-shm"):
        path.with_name(path.name + companion).unlink(missing_ok=True)
    path.write_bytes(b"this is not an SQLite database" * 100)
    return EnquiryStore(path, Sealer(tablet.link.public_key))


def test_numbering_goes_on_after_the_store_is_set_aside(
    clinic: Clinic, tablet: Tablet, caplog: pytest.LogCaptureFixture
) -> None:
    first = tablet.save(3, "before")
    assert tablet.send() == 3
    store = damage_store(tablet)
    try:
        with caplog.at_level(logging.ERROR):
            after = [f"after-{i}" for i in range(2)]
            for key in after:
                store.save(key, "ketamine", {"name": "P", "phone": "555-0100"})
        assert any("DAMAGED" in r.getMessage() for r in caplog.records)
        assert tablet.send() == 2
    finally:
        store.close()
    assert office_rows(clinic) == [(n, k) for n, k in enumerate(first + after, start=1)]
    assert unsent(tablet) == 0
    with clinic.connect() as conn:
        (receipt,) = inbox.verify_kiosks(conn)
    assert receipt.summary() == "kiosk Lobby: 5 received, none missing"


def test_numbers_given_but_lost_with_the_file_are_not_given_again(
    clinic: Clinic, tablet: Tablet
) -> None:
    """Rows numbered on the tablet but not yet sent when the file was damaged are the
    ones in the file set aside: their numbers stay theirs (the office names them
    missing, truly), and the new file's rows take the next ones."""
    tablet.save(2, "sent")
    assert tablet.send() == 2
    tablet.save(2, "stranded")
    sender = tablet.sender()
    try:
        sender.number()  # 3 and 4 given, then the file is damaged before they went
    finally:
        sender.stop()
    store = damage_store(tablet)
    try:
        store.save("new-0", "ketamine", {"name": "P", "phone": "555-0100"})
        assert tablet.send() == 1
    finally:
        store.close()
    assert office_rows(clinic) == [(1, "sent-0"), (2, "sent-1"), (5, "new-0")]
    with clinic.connect() as conn:
        (receipt,) = inbox.verify_kiosks(conn)
    assert receipt.missing == [(3, 4)] and receipt.bad_signatures == []


def test_kiosk_last_seq_tells_a_kiosk_its_own_highest_number_only(
    clinic: Clinic, tablet: Tablet, tmp_path: Path
) -> None:
    tablet.save(3)
    assert tablet.send() == 3
    other = enrolled_tablet(clinic, tmp_path / "upstairs", "Upstairs")
    other.store.close()
    for link, expected in ((tablet.link, 3), (other.link, 0)):
        with psycopg.connect(**link.connect_args()) as conn:
            assert conn.execute("SELECT kiosk_last_seq()").fetchone() == (expected,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT max(seq) FROM enquiries")


def test_a_long_gap_is_said_as_ranges_and_only_the_first_few() -> None:
    """A wall of numbers is unreadable: ranges, four of them, then how many more."""
    gaps = [(5, 9), (12, 12), (20, 1_019), (1_500, 1_500), (1_600, 1_639), (1_700, 1_700)]
    bad = [3, 4, 30_000, 1_041, 1_042, 1_043]
    receipt = inbox.KioskReceipt("Lobby", 2_000, gaps, bad)
    assert receipt.summary() == (
        "kiosk Lobby: 2,000 received, 1,048 missing (numbers 5-9, 12, 20-1,019, 1,500 and"
        " 41 more); 6 altered or not signed by the kiosk (numbers 3-4, 1,041-1,043 and"
        " 30,000)"
    )
    one = inbox.KioskReceipt("Lobby", 5, [(5, 5)], [])
    assert one.summary() == "kiosk Lobby: 5 received, 1 missing (number 5)"
