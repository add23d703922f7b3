"""The office's sign-in lock against a real PostgreSQL: the tablet's waits and
words (kiosk.staff.accounts.Tally), counted in ``office_signin`` per name and
for the whole office, shared by every connection, every outcome audited."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from kiosk.enquiries.keys import KdfParams
from kiosk.office import admin, audit
from kiosk.staff.accounts import (
    DELAYS,
    LOCK_SECONDS,
    MAX_FAILURES,
    UNKNOWN_NAME,
    Locked,
    StaffError,
    TooSoon,
    UnknownStaff,
    WrongPin,
)
from tests.office.conftest import Clinic
from tests.staff.conftest import FakeClock

ANA_PIN = "246813"
BOB_PIN = "975318"
WRONG = "135799"


@pytest.fixture
def staffed(clinic: Clinic) -> Clinic:
    """Ana and Bob are office staff."""
    for name, pin in (("Ana", ANA_PIN), ("Bob", BOB_PIN)):
        clinic.add_staff(name, pin)
    return clinic


@pytest.fixture
def conn(staffed: Clinic) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(staffed.admin_url, autocommit=True) as connection:
        yield connection


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def audit_rows(conn: psycopg.Connection[Any], since: int = 0) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT actor, action, detail FROM audit WHERE id > %s ORDER BY id", (since,)
    ).fetchall()


def last_audit_id(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()
    assert row is not None
    return int(row[0])


def test_the_right_pin_signs_in_and_is_audited(
    conn: psycopg.Connection[Any], clock: FakeClock
) -> None:
    before = last_audit_id(conn)
    signed = admin.sign_in(conn, "ana", ANA_PIN, clock=clock)  # any case, as on the tablet
    assert signed.name == "Ana"
    assert signed.opener.key_id == admin.clinic_ring(conn).key_id
    assert audit_rows(conn, before) == [("Ana", "sign-in", {})]


def test_waits_grow_then_sign_in_locks_for_five_minutes(
    conn: psycopg.Connection[Any], clock: FakeClock
) -> None:
    for n, delay in enumerate(DELAYS, start=1):
        with pytest.raises(WrongPin) as wrong:
            admin.sign_in(conn, "Ana", WRONG, clock=clock)
        assert (wrong.value.failures, wrong.value.wait_seconds) == (n, delay)
        with pytest.raises(TooSoon):  # even the right PIN is not checked during the wait
            admin.sign_in(conn, "Ana", ANA_PIN, clock=clock)
        clock.advance(delay)
    with pytest.raises(WrongPin) as fifth:
        admin.sign_in(conn, "Ana", WRONG, clock=clock)
    assert fifth.value.failures == MAX_FAILURES
    assert fifth.value.wait_seconds == LOCK_SECONDS
    assert "locked for 5 minutes" in fifth.value.message
    clock.advance(LOCK_SECONDS - 1)
    with pytest.raises(Locked) as locked:
        admin.sign_in(conn, "Ana", ANA_PIN, clock=clock)
    assert locked.value.seconds_left == pytest.approx(1)
    clock.advance(1)
    assert admin.sign_in(conn, "Ana", ANA_PIN, clock=clock).name == "Ana"
    # A sign-in clears the count: the next wrong PIN waits 1 s again.
    with pytest.raises(WrongPin) as again:
        admin.sign_in(conn, "Ana", WRONG, clock=clock)
    assert again.value.wait_seconds == DELAYS[0]


def test_an_unknown_name_reads_and_counts_as_a_wrong_pin(
    conn: psycopg.Connection[Any], clock: FakeClock
) -> None:
    before = last_audit_id(conn)
    with pytest.raises(WrongPin) as wrong_pin:
        admin.sign_in(conn, "Ana", WRONG, clock=clock)
    clock.advance(DELAYS[0])
    # Typed into the name field by mistake: it must not be written down anywhere.
    with pytest.raises(UnknownStaff) as unknown:
        admin.sign_in(conn, "864209", WRONG, clock=clock)
    assert unknown.value.failures == 2  # the office-wide count: across names
    # The same words but for the wait, which is the office's count's.
    assert wrong_pin.value.message.split(" Try")[0] == unknown.value.message.split(" Try")[0]
    assert unknown.value.message == "That name and PIN do not match. Try again in 2 seconds."
    entries = audit_rows(conn, before)
    assert [(e[0], e[1]) for e in entries] == [
        ("Ana", "sign-in-failed"),
        (UNKNOWN_NAME, "sign-in-failed"),
    ]
    stored = str(entries) + str(conn.execute("SELECT * FROM office_signin").fetchall())
    assert "864209" not in stored
    assert WRONG not in stored


def test_guessing_across_names_waits_for_the_whole_office(
    conn: psycopg.Connection[Any], clock: FakeClock
) -> None:
    with pytest.raises(WrongPin):
        admin.sign_in(conn, "Ana", WRONG, clock=clock)
    with pytest.raises(TooSoon):
        admin.sign_in(conn, "Bob", WRONG, clock=clock)
    with pytest.raises(TooSoon):
        admin.sign_in(conn, "Nobody", WRONG, clock=clock)


def test_a_name_stays_counted_when_others_sign_in_between(
    conn: psycopg.Connection[Any], clock: FakeClock
) -> None:
    """Bob's sign-ins clear the office's count, not Ana's: her guesser still locks."""
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(WrongPin):
            admin.sign_in(conn, "Ana", WRONG, clock=clock)
        clock.advance(max(DELAYS))
        admin.sign_in(conn, "Bob", BOB_PIN, clock=clock)
    with pytest.raises(WrongPin) as fifth:
        admin.sign_in(conn, "Ana", WRONG, clock=clock)
    assert fifth.value.wait_seconds == LOCK_SECONDS
    clock.advance(max(DELAYS))
    with pytest.raises(Locked):
        admin.sign_in(conn, "Ana", ANA_PIN, clock=clock)
    assert admin.sign_in(conn, "Bob", BOB_PIN, clock=clock).name == "Bob"


def test_the_count_is_shared_by_every_connection(staffed: Clinic, clock: FakeClock) -> None:
    """Another office PC, or the app restarted: a new connection sees the wait."""
    with psycopg.connect(staffed.admin_url, autocommit=True) as first, pytest.raises(WrongPin):
        admin.sign_in(first, "Ana", WRONG, clock=clock)
    with psycopg.connect(staffed.admin_url) as second:  # not autocommit: still committed
        with pytest.raises(TooSoon):
            admin.sign_in(second, "Ana", ANA_PIN, clock=clock)
        second.rollback()
    with psycopg.connect(staffed.admin_url, autocommit=True) as third:
        row = third.execute(
            "SELECT failures FROM office_signin WHERE name = %s", (admin.OFFICE_WIDE,)
        ).fetchone()
    assert row == (1,)


def test_two_apps_guessing_at_once_get_one_try(staffed: Clinic, clock: FakeClock) -> None:
    """Six connections try a wrong PIN at the same moment: the row lock lets one be
    checked; the others find its failure counted and wait."""
    with psycopg.connect(staffed.admin_url, autocommit=True) as conn:
        admin.sign_in(conn, "Ana", ANA_PIN, clock=clock)  # the rows exist: no insert to queue on
    clock.advance(max(DELAYS))
    tries = 6
    barrier = threading.Barrier(tries)
    outcomes: list[StaffError] = []
    lock = threading.Lock()

    def guess() -> None:
        with psycopg.connect(staffed.admin_url, autocommit=True) as conn:
            barrier.wait()
            try:
                admin.sign_in(conn, "Ana", WRONG, clock=clock)
            except StaffError as exc:
                with lock:
                    outcomes.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(type(o).__name__ for o in outcomes) == ["TooSoon"] * (tries - 1) + ["WrongPin"]
    with psycopg.connect(staffed.admin_url, autocommit=True) as conn:
        counts = conn.execute("SELECT failures FROM office_signin ORDER BY name").fetchall()
    assert counts == [(1,), (1,)]  # the office's and Ana's: one failure each


def test_the_staff_commands_sign_in_under_the_same_lock(
    conn: psycopg.Connection[Any], clock: FakeClock
) -> None:
    with pytest.raises(admin.OfficeError, match="That name and PIN do not match"):
        admin.opener_by_pin(conn, "Ana", WRONG)
    with pytest.raises(admin.OfficeError, match="before the next try"):
        admin.opener_by_pin(conn, "Ana", ANA_PIN)


def test_a_new_pin_clears_that_names_lock(staffed: Clinic, clock: FakeClock) -> None:
    with psycopg.connect(staffed.admin_url, autocommit=True) as conn:
        for _ in range(MAX_FAILURES):
            with pytest.raises(WrongPin):
                admin.sign_in(conn, "Ana", WRONG, clock=clock)
            clock.advance(max(DELAYS))
        admin.staff_reset_pin(
            conn,
            "Ana",
            "802461",
            staffed.opener(),
            by="recovery-code",
            kdf=KdfParams.fast_for_tests(),
        )
        # The office's own count still holds the lock; Ana's row is gone.
        rows = conn.execute("SELECT name FROM office_signin").fetchall()
    assert rows == [(admin.OFFICE_WIDE,)]


def front_desk(staffed: Clinic) -> str:
    """A front desk's login (a member of ``<db>_office``, nothing more); its URL."""
    login = f"frontdesk_{secrets.token_hex(3)}"
    with psycopg.connect(staffed.admin_url, autocommit=True) as conn:
        office = admin.roles_of(conn).office
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(login), sql.Literal("desk-pw"), sql.Identifier(office)
            )
        )
    return staffed.pg.dsn(staffed.db, user=login, password="desk-pw")


def test_the_front_desks_login_may_sign_in_and_count(staffed: Clinic, clock: FakeClock) -> None:
    """The grants of ``<db>_office`` are enough: count, lock, prune, audit (the chain
    intact)."""
    with psycopg.connect(front_desk(staffed), autocommit=True) as desk:
        with pytest.raises(WrongPin):
            admin.sign_in(desk, "Ana", WRONG, clock=clock)
        with pytest.raises(TooSoon):
            admin.sign_in(desk, "Ana", ANA_PIN, clock=clock)
        clock.advance(DELAYS[0])
        assert admin.sign_in(desk, "Ana", ANA_PIN, clock=clock).name == "Ana"
        admin.sign_out(desk, "Ana", "signed out")
        assert audit.verify(desk).intact
        actions = [a for _actor, a, _d in audit_rows(desk)][-4:]
    assert actions == ["sign-in-failed", "sign-in-failed", "sign-in", "sign-out"]


def test_a_name_idle_for_a_day_is_pruned_and_a_current_lock_is_kept(
    conn: psycopg.Connection[Any], clock: FakeClock
) -> None:
    """A typo's row (one wrong PIN) goes once a day has passed without another; a lock
    running now stays, and still refuses."""
    with pytest.raises(UnknownStaff):
        admin.sign_in(conn, "Anna", WRONG, clock=clock)  # a typo for Ana
    typo = admin.signin_row("Anna")

    def names() -> set[str]:
        return {str(r[0]) for r in conn.execute("SELECT name FROM office_signin")}

    assert typo in names()
    clock.advance(admin.IDLE_ROW_S - 1)
    admin.sign_in(conn, "Ana", ANA_PIN, clock=clock)  # under a day: kept
    assert typo in names()
    clock.advance(2)
    for _ in range(MAX_FAILURES):  # Bob's first try prunes the typo's row
        with pytest.raises(WrongPin):
            admin.sign_in(conn, "Bob", WRONG, clock=clock)
        clock.advance(max(DELAYS))
    assert typo not in names()
    bob = admin.signin_row("Bob")
    # Ana's row (signed in, nothing counted) is as good as none: pruned too.
    assert names() == {admin.OFFICE_WIDE, bob}
    with pytest.raises(Locked):  # Ana's try prunes again, with Bob's lock running
        admin.sign_in(conn, "Ana", ANA_PIN, clock=clock)
    assert bob in names()
    with pytest.raises(Locked):
        admin.sign_in(conn, "Bob", BOB_PIN, clock=clock)


def test_grants_from_before_pruning_still_sign_in(staffed: Clinic, clock: FakeClock) -> None:
    """A database whose ``init`` ran before the office could DELETE its rows: sign-in
    works as before, the idle row stays (until ``init`` runs again)."""
    with psycopg.connect(staffed.admin_url, autocommit=True) as conn:
        office = admin.roles_of(conn).office
        conn.execute(
            sql.SQL("REVOKE DELETE ON office_signin FROM {}").format(sql.Identifier(office))
        )
    with psycopg.connect(front_desk(staffed), autocommit=True) as desk:
        with pytest.raises(UnknownStaff):
            admin.sign_in(desk, "Anna", WRONG, clock=clock)
        clock.advance(admin.IDLE_ROW_S + 1)
        assert admin.sign_in(desk, "Ana", ANA_PIN, clock=clock).name == "Ana"
        rows = {str(r[0]) for r in desk.execute("SELECT name FROM office_signin")}
    assert admin.signin_row("Anna") in rows
