"""Issue 18 point 2: a 0-byte enquiry database is damage, not a new database:
logged and set aside with its -wal (where its enquiries may be), like any
other damage. The empty file the store makes itself is new, and stays so
when the disk is full before SQLite writes to it."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest

from kiosk.enquiries.store import EnquiryStore
from tests.disks import fill
from tests.enquiries.conftest import PERSONAL, Keys


def test_an_empty_database_file_is_set_aside(
    tmp_path: Path, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "enquiries.sqlite3"
    path.write_bytes(b"")
    (tmp_path / "enquiries.sqlite3-wal").write_bytes(b"what was left of the enquiries")
    with (
        caplog.at_level(logging.WARNING),
        EnquiryStore(path, keys.ring.sealer()) as store,
    ):
        assert store.available
        assert store.save(uuid.uuid4().hex, "t", PERSONAL).new
    aside = sorted(p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name)
    assert len(aside) == 2 and aside[0].startswith("enquiries.sqlite3.corrupt-")
    assert any(name.endswith("-wal") for name in aside)
    assert any("0 bytes" in message for message in caplog.messages)


def test_the_empty_file_the_store_made_on_a_full_disk_is_not_damage(
    tmpfs: Path, keys: Keys
) -> None:
    path = tmpfs / "enquiries.sqlite3"
    filler = fill(tmpfs)
    store = EnquiryStore(path, keys.ring.sealer())
    try:
        assert not store.available
        assert not store.ready()  # asked again: still full, nothing set aside
        filler.unlink()
        assert store.ready()
        assert not [p for p in tmpfs.iterdir() if ".corrupt-" in p.name]
    finally:
        store.close()
