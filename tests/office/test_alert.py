"""Crisis help's "Get a staff member" on a real kiosk window enrolled against the real
PostgreSQL: told only after the office acknowledged, "could not reach" otherwise, the
button only while the link's heartbeat goes through, and the kiosk still reads nothing
of anyone else's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
from pytestqt.qtbot import QtBot

from kiosk.office import inbox
from kiosk.office.alert import Alerter, raise_and_wait
from kiosk.office.heartbeat import KioskFacts
from kiosk.office.outbox import Sender
from kiosk.ui.app import _offer_staff_alerts
from kiosk.ui.i18n import strings
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow
from tests.office.conftest import Clinic, Tablet, enrolled_tablet
from tests.office.pg import free_port
from tests.ui.helpers import find_button, tap, visible_buttons, visible_label


def linked_sender(tablet: Tablet) -> Sender:
    """A sender whose heartbeat and last round went through (run here, not on its thread)."""
    sender = tablet.sender(facts=KioskFacts(version="0.1.0", data_dir=tablet.data_dir))
    assert sender.beat_if_due()
    sender.send_once()
    return sender


@pytest.fixture
def sender(tablet: Tablet) -> Iterator[Sender]:
    made = linked_sender(tablet)
    yield made
    made.stop()


def crisis_card(make_window: MakeWindow, alerter: Alerter | None) -> KioskWindow:
    window = make_window()
    window.crisis.set_alerter(alerter)
    window.show_crisis()
    return window


def open_alerts(clinic: Clinic) -> list[inbox.Alert]:
    with clinic.connect() as conn:
        return inbox.open_alerts(conn)


def test_the_tablet_says_told_only_after_the_office_acknowledged(
    make_window: MakeWindow, qtbot: QtBot, clinic: Clinic, sender: Sender
) -> None:
    window = make_window()
    _offer_staff_alerts(window, sender)  # as the running kiosk does once the sender runs
    window.show_crisis()
    card = window.crisis
    tap(qtbot, find_button(card, strings.CRISIS_GET_STAFF))
    # The tap returns at once: the alert goes out on its own thread.
    assert card.alert_status.text() == strings.CRISIS_ALERT_WAITING
    assert strings.CRISIS_GET_STAFF not in [visible_label(b) for b in visible_buttons(card)]
    qtbot.waitUntil(lambda: len(open_alerts(clinic)) == 1, timeout=5000)
    (alert,) = open_alerts(clinic)
    assert alert.kiosk == "Lobby"
    with clinic.connect() as conn:
        columns = [c.name for c in conn.execute("SELECT * FROM alerts LIMIT 0").description or []]
    assert columns == [
        "id",
        "kiosk",
        "alert_key",
        "raised_at",
        "acknowledged_at",
        "acknowledged_by",
    ]  # nothing about the patient
    qtbot.wait(1500)  # a poll or two, no answer yet: no claim either
    assert card.alert_status.text() == strings.CRISIS_ALERT_WAITING
    with clinic.connect() as conn:
        assert inbox.acknowledge(conn, alert.id, actor="Ana")
    qtbot.waitUntil(lambda: card.alert_status.text() == strings.CRISIS_ALERT_TOLD, timeout=5000)
    assert card.alert_status.isVisible()
    assert strings.CRISIS_ALERT_TOLD in card.spoken()
    # The next patient hears nothing of it, and is offered the button again.
    window.reset()
    window.show_crisis()
    assert not card.alert_status.isVisible()
    assert find_button(card, strings.CRISIS_GET_STAFF).isVisible()


def test_without_an_acknowledgement_it_says_the_front_desk_was_not_reached(
    make_window: MakeWindow, qtbot: QtBot, clinic: Clinic, sender: Sender
) -> None:
    window = crisis_card(make_window, Alerter(sender, timeout_s=1.5, poll_s=0.1))
    card = window.crisis
    tap(qtbot, find_button(card, strings.CRISIS_GET_STAFF))
    seen: list[str] = []

    def not_reached() -> bool:
        seen.append(card.alert_status.text())
        return seen[-1] == strings.CRISIS_ALERT_FAILED

    qtbot.waitUntil(not_reached, timeout=5000)
    assert strings.CRISIS_ALERT_TOLD not in seen
    assert len(open_alerts(clinic)) == 1  # it was raised; nobody answered
    # An acknowledgement after the deadline changes nothing on the tablet.
    with clinic.connect() as conn:
        assert inbox.acknowledge(conn, open_alerts(clinic)[0].id, actor="Ana")
    qtbot.wait(500)
    assert card.alert_status.text() == strings.CRISIS_ALERT_FAILED


def test_an_office_that_cannot_be_reached_is_said_at_once(tablet: Tablet) -> None:
    away = replace(tablet.link, server=f"postgresql://localhost:{free_port()}/nothing")
    assert raise_and_wait(away, "help-away", timeout_s=20) is False


def test_no_button_when_not_enrolled_or_the_last_heartbeat_failed(
    make_window: MakeWindow, tablet: Tablet
) -> None:
    window = crisis_card(make_window, None)
    labels = [visible_label(b) for b in visible_buttons(window.crisis)]
    assert labels == [strings.CLOSE]  # today's card
    away = replace(tablet.link, server=f"postgresql://localhost:{free_port()}/nothing")
    failing = Sender(
        away,
        tablet.data_dir / "enquiries.sqlite3",
        KioskFacts(version="0.1.0", data_dir=tablet.data_dir),
    )
    with pytest.raises(psycopg.Error):
        failing.beat_if_due()
    window.crisis.set_alerter(Alerter(failing))
    window.show_crisis()
    assert [visible_label(b) for b in visible_buttons(window.crisis)] == [strings.CLOSE]
    failing.stop()


def test_the_button_goes_when_the_link_goes_down(
    make_window: MakeWindow, qtbot: QtBot, clinic: Clinic, tablet: Tablet
) -> None:
    facts = KioskFacts(version="0.1.0", data_dir=tablet.data_dir)
    sender = tablet.sender(facts=facts, heartbeat_s=0.2, poll_s=0.1, initial_backoff_s=0.1)
    sender.start()
    alerter = Alerter(sender)
    try:
        qtbot.waitUntil(alerter.available, timeout=5000)
        window = crisis_card(make_window, alerter)
        assert window.crisis.staff_button.isVisible()
        window.crisis.hide()
        clinic.pg.stop()
        try:
            qtbot.waitUntil(lambda: not alerter.available(), timeout=10000)
            window.show_crisis()
            assert not window.crisis.staff_button.isVisible()
        finally:
            clinic.pg.start()
        # Back: the next heartbeat brings the button back.
        qtbot.waitUntil(alerter.available, timeout=10000)
        window.crisis.hide()
        window.show_crisis()
        assert window.crisis.staff_button.isVisible()
    finally:
        sender.stop()


def test_a_kiosk_learns_of_its_own_alert_only(
    clinic: Clinic, tablet: Tablet, tmp_path: Path
) -> None:
    upstairs = enrolled_tablet(clinic, tmp_path / "upstairs", "Upstairs")
    upstairs.store.close()
    with psycopg.connect(**tablet.link.connect_args()) as lobby:
        lobby.execute("INSERT INTO alerts (alert_key) VALUES ('lobby-1')")
        lobby.commit()
    with clinic.connect() as conn:
        (alert,) = inbox.open_alerts(conn)
        assert inbox.acknowledge(conn, alert.id, actor="Ana")
    with psycopg.connect(**upstairs.link.connect_args()) as other:
        assert other.execute("SELECT kiosk_alert_acknowledged('lobby-1')").fetchone() == (None,)
        for query in ("SELECT * FROM alerts", "SELECT acknowledged_at FROM alerts"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                other.execute(query.encode())
            other.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            other.execute("SELECT sealed FROM enquiries")
    with psycopg.connect(**tablet.link.connect_args()) as lobby:
        row = lobby.execute("SELECT kiosk_alert_acknowledged('lobby-1')").fetchone()
    assert row is not None and row[0] is not None
