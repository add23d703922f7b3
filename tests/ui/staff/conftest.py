"""Fixtures for staff mode: real staff, keys, audit and enquiry files in the
test's data folder (fast key derivation), a real window, a fake wall clock
for the wrong-PIN delays."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

from kiosk.config import Config
from kiosk.enquiries.keys import KdfParams, KeyRing
from kiosk.enquiries.store import EnquiryStore
from kiosk.page_views import PageViews
from kiosk.paths import Paths
from kiosk.staff.accounts import StaffAccounts
from kiosk.staff.audit import AuditLog
from tests.conftest import MakeWindow

if TYPE_CHECKING:
    # Only for the annotations: the fixture imports staff mode when used.
    from pytestqt.qtbot import QtBot

    from kiosk.enquiries.drives import Drive
    from kiosk.ui.reload import LiveReload
    from kiosk.ui.staff.context import OfficeLinkStatus
    from kiosk.ui.staff.mode import StaffMode
    from kiosk.ui.window import KioskWindow

PIN = "246810"
OTHER_PIN = "975319"


class FakeClock:
    """Wall-clock time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class StaffEnv:
    paths: Paths
    ring: KeyRing
    code: str
    clock: FakeClock
    accounts: StaffAccounts
    audit: AuditLog
    store: EnquiryStore
    page_views: PageViews

    def save(self, name: str, *, topic: str = "", days_ago: float = 0, **fields: str) -> int:
        """One enquiry as the form saves it (``days_ago``: received that long ago)."""
        personal = {
            "name": name,
            "phone": fields.get("phone", "+18015550100"),
            "email": fields.get("email", ""),
            "method": fields.get("method", "call"),
            "best_time": fields.get("best_time", "morning"),
            "message": fields.get("message", ""),
        }
        when = datetime.now(UTC) - timedelta(days=days_ago)
        store = EnquiryStore(self.paths.store_file, self.ring.sealer(), clock=lambda: when)
        try:
            return store.save(f"form-{name}-{days_ago}-{time.monotonic_ns()}", topic, personal).id
        finally:
            store.close()

    def mark(self, ids: list[int], status: str, *, days_ago: float = 0) -> None:
        """Set the status as staff did ``days_ago`` (the retention counts from then)."""
        when = datetime.now(UTC) - timedelta(days=days_ago)
        store = EnquiryStore(self.paths.store_file, self.ring.sealer(), clock=lambda: when)
        try:
            store.set_status(ids, status)
        finally:
            store.close()

    def actions(self) -> list[tuple[str, str, dict[str, str | int]]]:
        """Every audit entry, oldest first: (actor, action, details)."""
        return [(e.actor, e.action, e.details) for e in reversed(self.audit.latest(1000))]


@pytest.fixture
def staff_env(data_tmpdir: Path, keyring: tuple[KeyRing, str]) -> Iterator[StaffEnv]:
    ring, code = keyring
    paths = Paths.resolve(data_tmpdir, None, data_tmpdir / "kiosk.toml")
    clock = FakeClock()
    accounts = StaffAccounts(
        paths.staff_file, paths.keys_file, kdf=KdfParams.fast_for_tests(), clock=clock
    )
    accounts.add("Ana", PIN, recovery_code=code)
    store = EnquiryStore(paths.store_file, ring.sealer(), busy_timeout=0.2)
    views = PageViews(paths.stats_file)
    env = StaffEnv(paths, ring, code, clock, accounts, AuditLog(paths.audit_file), store, views)
    yield env
    views.close()
    store.close()


@pytest.fixture
def staff_config(config: Config) -> Config:
    return replace(config, staff_hold_seconds=1, staff_lock_seconds=120)


class MakeStaff(Protocol):
    """The ``make_staff`` fixture: a kiosk window and its staff mode (``mode.quits``
    counts the times staff mode quit the kiosk)."""

    def __call__(
        self,
        size: tuple[int, int] = ...,
        *,
        cfg: Config | None = ...,
        drives: Callable[[], list[Drive]] = ...,
        pad_idle_ms: int = ...,
        tick_ms: int = ...,
        reload: LiveReload | None = ...,
        office_link: Callable[[], OfficeLinkStatus | None] | None = ...,
    ) -> tuple[KioskWindow, StaffMode]: ...


@pytest.fixture
def make_staff(
    make_window: MakeWindow, staff_env: StaffEnv, staff_config: Config, qtbot: QtBot
) -> Iterator[MakeStaff]:
    """A real kiosk window with staff mode wired in as ``app.build`` does."""
    from kiosk.ui.staff.mode import StaffMode

    made: list[StaffMode] = []
    quits: list[int] = []

    def make(
        size: tuple[int, int] = (1280, 800),
        *,
        cfg: Config | None = None,
        drives: Callable[[], list[Drive]] = list,
        pad_idle_ms: int = 30_000,
        tick_ms: int = 20,
        reload: LiveReload | None = None,
        office_link: Callable[[], OfficeLinkStatus | None] | None = None,
    ) -> tuple[KioskWindow, StaffMode]:
        window = make_window(size, cfg=cfg or staff_config, store=staff_env.store)
        mode = StaffMode(
            window,
            staff_env.paths,
            stores=lambda: staff_env.store,
            reload=lambda: reload,
            page_views=staff_env.page_views,
            accounts=staff_env.accounts,
            audit_log=staff_env.audit,
            drives=drives,
            quit_app=lambda: quits.append(1),
            pad_idle_ms=pad_idle_ms,
            tick_ms=tick_ms,
            office_link=office_link,
        )
        mode.quits = quits  # type: ignore[attr-defined]
        made.append(mode)
        return window, mode

    yield make
    for mode in made:
        mode.shutdown()
