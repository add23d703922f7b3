"""Fixtures for the office link: a real PostgreSQL per test session (per xdist worker)
and a fresh database per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from kiosk.enquiries.keys import KdfParams, Opener, Sealer
from kiosk.enquiries.store import EnquiryStore
from kiosk.office import admin
from kiosk.office.enrol import enrol
from kiosk.office.link import Link
from kiosk.office.outbox import Sender
from tests.office.pg import Cluster, on_linux, start_cluster

# The staff panel's fixtures, for its office link line against a real sender
# (tests/office/test_staff_link.py).
from tests.ui.staff.conftest import make_staff, staff_config, staff_env  # noqa: F401

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def listener_hears_stop_soon(monkeypatch: pytest.MonkeyPatch) -> None:
    """The office app's listeners wait for notifications 50 ms at a time, not half a
    second: each sign-out and close (a window's stop() of one or two listeners) then
    returns at once, not up to a second later. What they hear is the same."""
    listener = sys.modules.get("kiosk.ui.office.listener")  # only where the app was imported
    if listener is not None:
        monkeypatch.setattr(listener, "WAIT_S", 0.05)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    if not on_linux():
        pytest.skip("the office tests run PostgreSQL from Debian's package: Linux only")
    try:
        cluster = start_cluster()
    except RuntimeError as exc:
        # On Linux a missing PostgreSQL is a failure, not a skip: CI installs it.
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.cleanup()


@pytest.fixture
def pg(pg_cluster: Cluster) -> Cluster:
    """The session's cluster, running (a test that stopped it and failed is healed here)."""
    if not pg_cluster.server_alive() and not pg_cluster.running():
        pg_cluster.start()
    return pg_cluster


@pytest.fixture(scope="session")
def schema_template(pg_cluster: Cluster) -> str:
    """The office schema migrated once per session (per xdist worker), copied for each
    ``clinic``; ``clinic_db`` stays empty, for the tests of migrating and init itself."""
    return pg_cluster.schema_template()


@pytest.fixture
def clinic_db(pg: Cluster) -> str:
    """A new, empty database for one test; its name."""
    return pg.create_database()


@dataclass(frozen=True)
class Clinic:
    """An office database after ``kiosk office init``: the admin's URL and the recovery code."""

    pg: Cluster
    db: str
    admin_url: str
    recovery_code: str
    key_id: str

    def connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.admin_url)

    def token(self, name: str) -> str:
        opener = self.opener()
        with self.connect() as conn:
            return admin.enrol_kiosk(conn, name, self.pg.ca_file.read_text(), opener).encode()

    def opener(self) -> Opener:
        with self.connect() as conn:
            return admin.opener_by_recovery(conn, self.recovery_code)

    def add_staff(self, name: str, pin: str) -> None:
        """An office staff member, added by recovery code (fast key slots, for tests)."""
        opener = self.opener()
        with self.connect() as conn:
            admin.staff_add(
                conn, name, pin, opener, by="recovery-code", kdf=KdfParams.fast_for_tests()
            )


@pytest.fixture
def clinic(pg: Cluster, schema_template: str) -> Clinic:
    """A new database after ``kiosk office init``: the schema copied from
    ``schema_template``, then init's roles, grants and clinic key, as on a new one."""
    db = pg.create_database(template=schema_template)
    url = pg.dsn(db)
    with psycopg.connect(url) as conn:
        result = admin.init(conn, kdf=KdfParams.fast_for_tests())
    assert result.recovery_code is not None
    return Clinic(pg, db, url, result.recovery_code, result.key_id)


@dataclass(frozen=True)
class Tablet:
    """An enrolled kiosk's data folder, its store (sealing to the clinic) and its link."""

    data_dir: Path
    link: Link
    store: EnquiryStore

    def save(self, n: int, prefix: str = "form") -> list[str]:
        keys = [f"{prefix}-{i}" for i in range(n)]
        for key in keys:
            self.store.save(key, "ketamine", {"name": f"Patient {key}", "phone": "555-0100"})
        return keys

    def sender(self, **kwargs: Any) -> Sender:
        return Sender(self.link, self.data_dir / "enquiries.sqlite3", **kwargs)

    def send(self) -> int:
        """One batch, by a sender made and stopped here."""
        sender = self.sender()
        try:
            return sender.send_once()
        finally:
            sender.stop()


def enrolled_tablet(clinic: Clinic, data_dir: Path, name: str = "Lobby") -> Tablet:
    link = enrol(data_dir, clinic.pg.server_url(clinic.db), clinic.token(name))
    store = EnquiryStore(data_dir / "enquiries.sqlite3", Sealer(link.public_key))
    return Tablet(data_dir, link, store)


@pytest.fixture
def tablet(clinic: Clinic, data_tmpdir: Path) -> Iterator[Tablet]:
    made = enrolled_tablet(clinic, data_tmpdir)
    yield made
    made.store.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """The office app's settings for this PC, in the test's folder (never the real
    ~/.config)."""
    from PySide6.QtCore import QSettings  # here: the core's office tests run without Qt

    return QSettings(str(tmp_path / "office.ini"), QSettings.Format.IniFormat)
