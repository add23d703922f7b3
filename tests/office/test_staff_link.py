"""The staff panel's office link line against a real sender and PostgreSQL (issue 14
point 6): all sent; the server stopped, with what waits counted; the kiosk revoked as
``kiosk office revoke-kiosk`` does, said on the panel and once in the log."""

from __future__ import annotations

import logging
import time

import pytest
from pytestqt.qtbot import QtBot

from kiosk.office import admin
from kiosk.office.outbox import Sender
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.panel import OFFICE_LINK_MS, StaffPanel
from tests.office.conftest import Clinic, Tablet
from tests.office.pg import Cluster
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv

SHOWN_MS = OFFICE_LINK_MS + 10_000  # the panel's next look, after the sender's retries


def panel_for(make_staff: MakeStaff, staff_env: StaffEnv, sender: Sender) -> StaffPanel:
    """The panel, wired to the sender as ``kiosk.ui.app`` wires it."""
    _, mode = make_staff(office_link=lambda: sender.status)
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    assert mode.panel is not None
    return mode.panel


def all_sent(panel: StaffPanel) -> bool:
    return panel.office_link.text().startswith("Office link: all sent, last at ")


def running_sender(tablet: Tablet) -> Sender:
    sender = tablet.sender(poll_s=0.05, initial_backoff_s=0.05, max_backoff_s=0.2)
    sender.start()
    return sender


def test_a_revoked_kiosk_says_so_on_the_staff_panel_and_once_in_the_log(
    clinic: Clinic,
    tablet: Tablet,
    make_staff: MakeStaff,
    staff_env: StaffEnv,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    tablet.save(1, "before")
    sender = running_sender(tablet)
    try:
        panel = panel_for(make_staff, staff_env, sender)
        line = panel.office_link
        qtbot.waitUntil(lambda: all_sent(panel), timeout=SHOWN_MS)
        assert line.isVisible() and line.property("trouble") is False
        with caplog.at_level(logging.INFO, logger="kiosk.office.outbox"):
            with clinic.connect() as conn:
                admin.revoke_kiosk(conn, "Lobby")
            tablet.save(1, "after")
            sender.wake()  # as the patient's Send does
            qtbot.waitUntil(lambda: s.OFFICE_REVOKED in line.text(), timeout=SHOWN_MS)
            time.sleep(1.0)  # a few more refused rounds, at the sender's backoff
    finally:
        sender.stop()
    assert line.text().startswith(
        "Office link: the server refused this kiosk (its access was revoked). Ask the"
        " clinic's administrator to enrol it again. 1 enquiry waiting to be sent, for "
    )
    assert line.property("trouble") is True
    said = [r for r in caplog.records if "refused this kiosk" in r.getMessage()]
    assert len(said) == 1, [r.getMessage() for r in caplog.records]
    assert said[0].levelno == logging.ERROR
    assert "revoked" in said[0].getMessage() and "enrol" in said[0].getMessage()
    assert sender.status.state == "refused" and sender.status.reason == "revoked"


def test_the_server_stopped_shows_what_waits_and_since_when(
    pg: Cluster,
    tablet: Tablet,
    make_staff: MakeStaff,
    staff_env: StaffEnv,
    qtbot: QtBot,
) -> None:
    sender = running_sender(tablet)
    try:
        panel = panel_for(make_staff, staff_env, sender)
        line = panel.office_link
        qtbot.waitUntil(lambda: line.text() == s.OFFICE_NONE_SENT, timeout=SHOWN_MS)
        pg.stop()
        try:
            tablet.save(3, "while-away")
            sender.wake()
            qtbot.waitUntil(lambda: "3 enquiries waiting" in line.text(), timeout=SHOWN_MS)
            status = sender.status
            assert status.state == "waiting" and status.since is not None
            assert line.text().startswith(
                f"Office link: cannot reach the server since "
                f"{status.since.astimezone():%H:%M} (the server is not answering)."
                " 3 enquiries waiting to be sent, the oldest for "
            )
            assert line.property("trouble") is True
        finally:
            pg.start()
        qtbot.waitUntil(lambda: all_sent(panel), timeout=SHOWN_MS)  # back: all three went
        assert line.property("trouble") is False
    finally:
        sender.stop()
    assert sender.status.unsent == 0
