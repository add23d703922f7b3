"""A kiosk that is not enrolled never loads the PostgreSQL driver; an enrolled one
seals to the clinic's key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.enquiries.keys import KdfParams
from kiosk.enquiries.opener import StoreOpener
from kiosk.paths import Paths
from kiosk.ui.app import Kiosk, _LinkStarted, _start_office_link, _start_staff_mode, _Stores
from tests.conftest import MakeWindow
from tests.office.conftest import Clinic, Tablet
from tests.office.test_faults import office_rows

NOT_ENROLLED = """
import sys
from pathlib import Path
import kiosk.cli, kiosk.ui.app
from kiosk.enquiries.keys import KdfParams
from kiosk.enquiries.opener import StoreOpener
from kiosk.paths import Paths
kiosk.cli.build_parser()
store = StoreOpener(Paths.resolve(Path(sys.argv[1])), kdf=KdfParams.fast_for_tests()).get()
store.save("k1", "ketamine", {"name": "x"})
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("psycopg", "psycopg_binary"))
print(",".join(loaded) or "none")
"""


def test_a_kiosk_that_is_not_enrolled_never_imports_psycopg(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", NOT_ENROLLED, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "none"


def test_an_enrolled_kiosk_seals_to_the_clinic_key(tablet: Tablet) -> None:
    tablet.store.close()
    opener = StoreOpener(Paths.resolve(tablet.data_dir), kdf=KdfParams.fast_for_tests())
    store = opener.get()
    assert store is not None
    store.save("after-enrolment", "ketamine", {"name": "x"})
    (row,) = store.enquiries()
    assert row.key_id == tablet.link.key_id
    opener.close()


def test_an_enrolled_kiosk_starts_its_sender_a_moment_after_the_first_paint_and_sends(
    make_window: MakeWindow, qapp: QApplication, qtbot: QtBot, tablet: Tablet, clinic: Clinic
) -> None:
    """What ``app.build`` runs after the first paint: the sender made a moment later
    (``OFFICE_LINK_DELAY_MS``; here shorter) on a thread of its own (psycopg's import
    is not the GUI thread's), then sending what was saved."""
    tablet.save(2)
    paths = Paths.resolve(tablet.data_dir)
    stores = _Stores(paths)
    kiosk = Kiosk(qapp, make_window(), None, None, stores)  # type: ignore[arg-type]
    _start_staff_mode(kiosk, paths)  # as build() does: before the office link
    assert kiosk.staff is not None and kiosk.staff._office_link is not None
    assert kiosk.staff._office_link() is None  # no sender yet: the panel shows no line
    _start_office_link(kiosk, paths, delay_ms=600)
    try:
        qtbot.wait(200)
        early = kiosk.sender  # a local: asserted on itself, mypy would take it as None below
        assert early is None  # not yet: the first taps come first
        qtbot.waitUntil(lambda: kiosk.sender is not None, timeout=10_000)
        assert kiosk.sender is not None
        sender = kiosk.sender
        qtbot.waitUntil(lambda: sender.status.state == "sent", timeout=10_000)
        shown = kiosk.staff._office_link()  # what the panel's line reads
        assert shown is not None and shown.state == "sent"
        # A patient's Send wakes the sender (sent at once, not at its next look).
        woken: list[bool] = []
        sender.wake = lambda: woken.append(True)  # type: ignore[method-assign]
        kiosk.window.request_saved.disconnect()
        _LinkStarted(kiosk).started.emit(sender)  # the wiring again, to the spy
        kiosk.window.request_saved.emit()
        assert woken == [True]
    finally:
        kiosk.staff.shutdown()
        if kiosk.page_views is not None:
            kiosk.page_views.close()
        if kiosk.sender is not None:
            kiosk.sender.stop()
        stores.close()
    assert [k for _, k in office_rows(clinic)] == ["form-0", "form-1"]
