"""'Show me this kiosk's screen' against the real PostgreSQL and a real window (issue
16, point 4): the kiosk's sender answers within seconds; the server holds only the
sealed picture (neither the kiosk's role nor the office's reads it without the clinic
key); a patient typing gives the office the screen's name only, and no canary
anywhere; the staff panel gives its name only; every look audited, never its picture;
Cancel and no answer stop the request; one real kiosk process answers end to end."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.enquiries.keys import Sealer
from kiosk.office import audit, look
from kiosk.office.outbox import Sender
from kiosk.ui.office.look import PNG_MAGIC, LookDialog
from kiosk.ui.office.session import Session
from kiosk.ui.remote_look import STAFF_PANEL, RemoteLook, staff_screen
from tests.conftest import MakeWindow
from tests.office.conftest import Clinic, Tablet
from tests.office.test_signin import front_desk
from tests.ui.helpers import find_button, tap
from tests.ui.kiosk_process import ROOT, first_run, kiosk_env
from tests.ui.patient.test_request import type_by_taps
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv

CANARY = "Zebulon Canarywood"


def answering(tablet: Tablet, remote: RemoteLook) -> Sender:
    """The kiosk's sender, answering looks as ``kiosk.ui.app`` wires it (quicker)."""
    looks = look.Looks(remote.take, Sealer(tablet.link.public_key), poll_s=0.1)
    sender = tablet.sender(poll_s=0.05, looks=looks)
    sender.start()
    return sender


@pytest.fixture
def desk(clinic: Clinic) -> Iterator[Session]:
    """A front desk's session: the office's login (``<db>_office``), Ana's clinic key."""
    conn = psycopg.connect(front_desk(clinic), autocommit=True)
    yield Session(conn, "Ana", clinic.opener())
    conn.close()


def wait_answer(qtbot: QtBot, desk: Session, request: int) -> look.Answer:
    found: list[look.Answer] = []

    def answered() -> bool:
        got = look.answer(desk.conn, request, desk.actor)
        if got is not None:
            found.append(got)
        return bool(found)

    qtbot.waitUntil(answered, timeout=15_000)
    return found[0]


def audit_rows(clinic: Clinic) -> list[tuple[Any, ...]]:
    with clinic.connect() as conn:
        return conn.execute(
            "SELECT actor, action, subject, detail FROM audit WHERE action LIKE 'screen-look%'"
            " ORDER BY id"
        ).fetchall()


def test_the_office_sees_the_kiosks_screen_sealed_opened_and_audited(
    qtbot: QtBot, make_window: MakeWindow, clinic: Clinic, tablet: Tablet, desk: Session
) -> None:
    window = make_window()
    sender = answering(tablet, RemoteLook(window, lambda: None))
    try:
        dialog = LookDialog(desk, "Lobby", poll_ms=100)
        qtbot.addWidget(dialog)
        assert dialog.waiting and "Asking kiosk Lobby for its screen" in dialog.status.text()
        started = time.monotonic()
        qtbot.waitUntil(lambda: dialog.answer is not None, timeout=15_000)
        assert time.monotonic() - started < 5  # within a few seconds
    finally:
        sender.stop()
    assert dialog.status.text().startswith("home, at ")
    # The picture, scaled to the office's screen (Qt's offscreen one: 800x600).
    shown = dialog.picture.pixmap()
    assert not shown.isNull() and shown.width() <= 800 * 8 // 10
    assert abs(shown.width() / shown.height() - window.width() / window.height()) < 0.01
    # The server holds sealed bytes only: the office's login reads them, not the picture.
    row = desk.conn.execute("SELECT picture_sealed FROM screen_requests").fetchone()
    assert row is not None
    sealed = bytes(row[0])
    assert PNG_MAGIC not in sealed and desk.opener.open(sealed).startswith(PNG_MAGIC)
    opened = QImage.fromData(desk.opener.open(sealed))
    assert opened.convertToFormat(QImage.Format.Format_RGB32) == window.grab().toImage()
    # The kiosk's login reads no row at all.
    with (
        psycopg.connect(**tablet.link.connect_args()) as kiosk,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        kiosk.execute("SELECT picture_sealed FROM screen_requests")
    assert audit_rows(clinic) == [
        ("Ana", "screen-look-asked", "Lobby", {"request": 1}),
        ("Ana", "screen-look-answered", "Lobby", {"request": 1, "screen": "home", "picture": True}),
    ]
    with clinic.connect() as conn:
        assert audit.verify(conn).intact


def test_a_patient_typing_gives_the_office_the_screens_name_and_no_picture(
    qtbot: QtBot, make_window: MakeWindow, clinic: Clinic, tablet: Tablet, desk: Session
) -> None:
    window = make_window()
    tap(qtbot, find_button(window, "Request information"))
    form = window.request
    tap(qtbot, form.name_edit)
    assert form.keyboard is not None
    type_by_taps(qtbot, form.keyboard, CANARY)
    sender = answering(tablet, RemoteLook(window, lambda: None))
    try:
        found = wait_answer(qtbot, desk, look.ask(desk.conn, "Lobby", desk.actor))
    finally:
        sender.stop()
    assert found.screen == "request form, step 1 of 4 (a patient is typing: no picture)"
    assert found.picture_sealed is None
    with clinic.connect() as conn:
        everything = conn.execute(
            "SELECT string_agg(r::text, ' ') FROM screen_requests r"
        ).fetchone()
        logged = conn.execute("SELECT string_agg(a::text, ' ') FROM audit a").fetchone()
    assert everything is not None and logged is not None
    assert "Zebulon" not in str(everything[0]) and "Zebulon" not in str(logged[0])
    assert audit_rows(clinic)[-1][3] == {
        "request": 1,
        "screen": "request form, step 1 of 4 (a patient is typing: no picture)",
        "picture": False,
    }


def test_the_staff_panel_gives_the_office_its_name_and_no_picture(
    qtbot: QtBot,
    make_staff: MakeStaff,
    staff_env: StaffEnv,
    clinic: Clinic,
    tablet: Tablet,
    desk: Session,
) -> None:
    window, mode = make_staff()
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    sender = answering(tablet, RemoteLook(window, lambda: staff_screen(mode)))
    try:
        found = wait_answer(qtbot, desk, look.ask(desk.conn, "Lobby", desk.actor))
    finally:
        sender.stop()
        mode.lock()
    assert (found.screen, found.picture_sealed) == (STAFF_PANEL, None)


def _kiosk_sees(tablet: Tablet) -> object:
    with psycopg.connect(**tablet.link.connect_args(), autocommit=True) as kiosk:
        row = kiosk.execute("SELECT kiosk_screen_request()").fetchone()
    return row[0] if row else None


def test_cancel_and_no_answer_close_the_request_and_are_audited(
    qtbot: QtBot, clinic: Clinic, tablet: Tablet, desk: Session
) -> None:
    """No sender runs: the kiosk sees the request open, then closed once cancelled."""
    dialog = LookDialog(desk, "Lobby", poll_ms=100)
    qtbot.addWidget(dialog)
    assert _kiosk_sees(tablet) == 1
    dialog.cancel_button.click()
    assert not dialog.waiting and _kiosk_sees(tablet) is None
    late = LookDialog(desk, "Lobby", wait_s=2, poll_ms=100)
    qtbot.addWidget(late)
    qtbot.waitUntil(lambda: not late.waiting, timeout=5_000)
    assert late.status.text() == (
        "Kiosk Lobby did not answer within 2 s: it may be off, or away from the network."
    )
    assert late.close_button.isVisible() or not late.isVisible()
    assert _kiosk_sees(tablet) is None
    assert [(a, d.get("why")) for _, a, _, d in audit_rows(clinic)] == [
        ("screen-look-asked", None),
        ("screen-look-cancelled", "cancelled"),
        ("screen-look-asked", None),
        ("screen-look-cancelled", "no answer"),
    ]


def test_a_real_kiosk_process_answers_a_look_end_to_end(
    qtbot: QtBot, clinic: Clinic, tablet: Tablet, desk: Session, tmp_path: Path
) -> None:
    tablet.store.close()
    first_run(tablet.data_dir)
    log = tmp_path / "kiosk.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tablet.data_dir)],
            env=kiosk_env(KIOSK_SPEECH_ENGINE="off"),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 60
        while "office link: sending to" not in log.read_text():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        found = wait_answer(qtbot, desk, look.ask(desk.conn, "Lobby", desk.actor))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        finally:
            proc.kill()
    assert found.screen == "home"
    assert found.picture_sealed is not None
    image = QImage.fromData(desk.opener.open(found.picture_sealed))
    assert not image.isNull() and image.width() > 0
    assert "office look: answered request 1 (home, a picture)" in log.read_text()
