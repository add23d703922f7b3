"""``verify_kiosks`` with a ``VerifiedCache``: a repeated call verifies only the new
rows' signatures, and a row altered, removed or slipped in after it was verified is
still caught (the cache trusts only the fold of row digests it made itself)."""

from __future__ import annotations

import psycopg
import pytest

from kiosk.office import inbox
from tests.office.conftest import Clinic, Tablet


def superuser(clinic: Clinic) -> psycopg.Connection[tuple[object, ...]]:
    """The clinic's owner: the only login that can change a signed column."""
    return psycopg.connect(clinic.admin_url, autocommit=True)


@pytest.fixture
def sent(tablet: Tablet) -> Tablet:
    tablet.save(6)
    assert tablet.send() == 6
    return tablet


def check(clinic: Clinic, cache: inbox.VerifiedCache) -> inbox.KioskReceipt:
    with clinic.connect() as conn:
        (receipt,) = inbox.verify_kiosks(conn, cache)
    return receipt


def test_a_repeated_call_verifies_only_new_rows(clinic: Clinic, sent: Tablet) -> None:
    cache = inbox.VerifiedCache()
    assert check(clinic, cache).checked == 6
    again = check(clinic, cache)
    assert again.checked == 0
    assert again.summary() == "kiosk Lobby: 6 received, none missing"
    sent.save(3, "later")
    sent.send()
    newer = check(clinic, cache)
    assert newer.checked == 3
    assert newer.summary() == "kiosk Lobby: 9 received, none missing"


def test_a_row_altered_after_it_was_verified_is_still_caught(clinic: Clinic, sent: Tablet) -> None:
    cache = inbox.VerifiedCache()
    assert check(clinic, cache).bad_signatures == []
    with superuser(clinic) as conn:
        conn.execute("UPDATE enquiries SET topic = 'other' WHERE seq = 2")
    altered = check(clinic, cache)
    assert altered.bad_signatures == [2]
    assert altered.checked == 6  # the kiosk was verified again, whole
    # ...and stays named on the next call, which trusts the cache again.
    assert check(clinic, cache).bad_signatures == [2]


@pytest.mark.parametrize(
    "tamper",
    [
        # The sealed bytes and the signature swapped between two rows: each row's
        # pair is still a valid one, only not for that row's number and key.
        "UPDATE enquiries e SET sealed = o.sealed, signature = o.signature FROM enquiries o"
        " WHERE (e.seq, o.seq) IN ((3, 4), (4, 3)) AND e.kiosk = o.kiosk",
        "UPDATE enquiries SET sealed = sealed || '\\x00'::bytea WHERE seq = 3",
    ],
)
def test_sealed_bytes_changed_after_verification_are_caught(
    clinic: Clinic, sent: Tablet, tamper: str
) -> None:
    cache = inbox.VerifiedCache()
    check(clinic, cache)
    with superuser(clinic) as conn:
        conn.execute(tamper.encode())
    assert 3 in check(clinic, cache).bad_signatures


def test_a_verified_row_removed_is_named_missing(clinic: Clinic, sent: Tablet) -> None:
    cache = inbox.VerifiedCache()
    check(clinic, cache)
    with superuser(clinic) as conn:
        conn.execute("DELETE FROM enquiries WHERE seq = 5")
    receipt = check(clinic, cache)
    assert receipt.missing == [(5, 5)]
    assert receipt.summary().startswith("kiosk Lobby: 5 received, 1 missing (number 5)")
