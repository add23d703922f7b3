"""The office commands end to end: ``kiosk office ...`` and ``kiosk enrol`` on a tablet
that already holds enquiries (sealed again to the clinic key with a staff PIN)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import psycopg
import pytest

from kiosk.cli import main
from kiosk.enquiries.keys import KdfParams, KeyRing
from kiosk.enquiries.store import EnquiryStore, open_personal
from kiosk.office import admin
from kiosk.office.link import load
from kiosk.paths import Paths
from kiosk.staff.accounts import StaffAccounts
from tests.office.pg import Cluster

PIN = "246813"


def kiosk(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(list(argv))


def test_init_enrol_staff_and_a_tablet_with_enquiries_from_before(
    pg: Cluster,
    clinic_db: str,
    data_tmpdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = pg.dsn(clinic_db)
    assert kiosk(monkeypatch, "office", "init", "--db", url) == 0
    out = capsys.readouterr().out
    code = re.search(r"\n    (\S+)\n", out)
    assert code, out
    assert (
        kiosk(
            monkeypatch,
            "office",
            "staff",
            "add",
            "Ana",
            "--db",
            url,
            stdin=f"{code.group(1)}\n{PIN}\n{PIN}\n",
        )
        == 0
    )
    assert (
        kiosk(monkeypatch, "office", "enrol-kiosk", "Lobby", "--db", url, stdin=f"Ana\n{PIN}\n")
        == 0
    )
    token = next(
        line for line in capsys.readouterr().out.splitlines() if line.startswith("KIOSK1.")
    )

    # A tablet that has been in use: its own key, a staff member, two enquiries.
    paths = Paths.resolve(data_tmpdir)
    ring, _ = KeyRing.create(paths.keys_file, paths.recovery_file, kdf=KdfParams.fast_for_tests())
    tablet_code = paths.recovery_file.read_text().split("\n")[2].strip()
    StaffAccounts(paths.staff_file, paths.keys_file, kdf=KdfParams.fast_for_tests()).add(
        "Tess", PIN, recovery_code=tablet_code
    )
    with EnquiryStore(paths.store_file, ring.sealer()) as store:
        store.save("before-1", "ketamine", {"name": "Early Patient"})
    assert (
        kiosk(
            monkeypatch,
            "enrol",
            "--server",
            pg.server_url(clinic_db),
            "--token",
            token,
            stdin=f"Tess\n{PIN}\n",
        )
        == 0
    )
    assert "1 enquiries sealed to the clinic key" in capsys.readouterr().out
    link = load(data_tmpdir)
    assert link is not None
    with EnquiryStore(paths.store_file, ring.sealer()) as store:
        (row,) = store.enquiries()
    assert row.key_id == link.key_id
    with psycopg.connect(url) as conn:
        opened = open_personal(admin.opener_by_pin(conn, "Ana", PIN), row)
    assert opened == {"name": "Early Patient"}


def test_the_staff_commands_audit_a_member_by_name_and_never_what_else_was_typed(
    pg: Cluster,
    clinic_db: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A PIN typed into "Staff name:" by mistake is refused and leaves no trace in the
    audit log; a member typed in another case is audited as the account spells it."""
    url = pg.dsn(clinic_db)
    with psycopg.connect(url) as conn:
        code = admin.init(conn, kdf=KdfParams.fast_for_tests()).recovery_code
    assert code is not None
    add = ("office", "staff", "add", "--db", url)
    assert kiosk(monkeypatch, *add, "Ana", stdin=f"{code}\n{PIN}\n{PIN}\n") == 0
    typed_pin = "802461"
    refused = kiosk(monkeypatch, *add, "Bea", stdin=f"{typed_pin}\n{PIN}\n")
    assert refused != 0
    with psycopg.connect(url) as conn:  # the wait after a wrong PIN, over
        conn.execute("UPDATE office_signin SET last_failure_at = now() - interval '1 minute'")
    assert kiosk(monkeypatch, *add, "Cal", stdin=f"  ana \n{PIN}\n{PIN}\n{PIN}\n") == 0
    capsys.readouterr()
    with psycopg.connect(url) as conn:
        entries = conn.execute("SELECT actor, action, subject, detail::text FROM audit").fetchall()
        added_by = conn.execute("SELECT added_by FROM office_staff WHERE name = 'Cal'").fetchone()
    assert typed_pin not in repr(entries)
    assert ("(unknown name)", "sign-in-failed") in [(e[0], e[1]) for e in entries]
    assert ("Ana", "staff-add", "Cal") in [e[:3] for e in entries]
    assert added_by == ("Ana",)
