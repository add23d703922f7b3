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
    assert kiosk(monkeypatch, "office", "enrol-kiosk", "Lobby", "--db", url) == 0
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
