"""The office app's crisis alerts banner and Kiosks view against a real PostgreSQL:
an alert shows red with its sound from the moment the window opens, Acknowledge
(signed in) is audited and stops it; each kiosk's health and the page views the
kiosks sent, summed."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtMultimedia import QSoundEffect
from PySide6.QtWidgets import QAbstractButton, QTableWidget
from pytestqt.qtbot import QtBot

from kiosk.office import admin, published
from kiosk.office.heartbeat import KioskFacts
from kiosk.page_views import PageViews
from kiosk.ui.office import words as w
from kiosk.ui.office.alerts import ago
from kiosk.ui.office.window import OfficeWindow
from tests.office.conftest import Clinic, Tablet, enrolled_tablet
from tests.office.test_app import PIN, sign_in

#: Qt's audio back-end on a machine with no sound card (CI) says so; the banner's
#: sound is checked by what was asked of it, not by ear.
pytestmark = pytest.mark.qt_log_ignore(
    "Couldn't (load|resolve)", "PulseAudio", "QSoundEffect", "pipewire"
)


@pytest.fixture
def office(clinic: Clinic, settings: QSettings, qtbot: QtBot) -> Iterator[OfficeWindow]:
    """Ana may sign in; the window is open on the sign-in page, listening."""
    clinic.add_staff("Ana", PIN)
    window = OfficeWindow(clinic.admin_url, settings=settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def raise_alert(tablet: Tablet, key: str) -> None:
    with psycopg.connect(**tablet.link.connect_args()) as conn:
        conn.execute("INSERT INTO alerts (alert_key) VALUES (%s)", (key,))


def test_an_alert_sounds_until_a_member_acknowledges_it_and_that_is_audited(
    office: OfficeWindow, tablet: Tablet, clinic: Clinic, qtbot: QtBot
) -> None:
    banner = office.alerts
    assert not banner.isVisible() and not banner.sounding
    raise_alert(tablet, "help-1")
    # Before anyone signs in: an office left on the sign-in page is told too.
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    ((alert_id, (label, ack)),) = banner.rows.items()
    assert label.text() == w.ALERT_LINE.format(kiosk="Lobby", ago=w.JUST_NOW)
    assert banner.sounding
    assert banner.sound.loopCount() == QSoundEffect.Loop.Infinite.value
    assert not ack.isEnabled() and banner.message.text() == w.SIGN_IN_TO_ACKNOWLEDGE
    sign_in(qtbot, office)
    assert ack.isEnabled() and ack.text() == ack.accessibleName() == w.ACKNOWLEDGE
    ack.click()
    assert not banner.isVisible() and not banner.sounding
    with clinic.connect() as conn:
        entry = conn.execute(
            "SELECT actor, action, subject FROM audit ORDER BY id DESC LIMIT 1"
        ).fetchone()
        acknowledged = conn.execute("SELECT acknowledged_by FROM alerts").fetchone()
    assert entry == ("Ana", "alert-acknowledged", str(alert_id))
    assert acknowledged == ("Ana",)


def test_the_alert_sound_is_a_short_wav_shipped_with_the_app(office: OfficeWindow) -> None:
    path = Path(office.alerts.sound.source().toLocalFile())
    with wave.open(str(path)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 0.5 <= seconds <= 2.0


def test_how_long_ago_is_said_in_minutes_and_hours() -> None:
    now = datetime(2026, 1, 1, 12, 0)
    assert ago(now - timedelta(seconds=30), now) == w.JUST_NOW
    assert ago(now - timedelta(minutes=3, seconds=5), now) == "3 min ago"
    assert ago(now - timedelta(minutes=125), now) == "2 h 5 min ago"


def counted(data_dir: Path, views: dict[str, int]) -> PageViews:
    counts = PageViews(data_dir / "page-views.sqlite3")
    for page, n in views.items():
        for _ in range(n):
            counts.record(page)
    return counts


def beat(tablet: Tablet, counts: PageViews) -> None:
    facts = KioskFacts(
        version="1.4.0",
        data_dir=tablet.data_dir,
        content_fingerprint=lambda: published.running(1234567),
        page_views=counts.counts_since,
    )
    sender = tablet.sender(facts=facts, heartbeat_s=0.0)
    try:
        assert sender.beat_if_due()
    finally:
        sender.stop()


def texts(table: QTableWidget) -> list[list[str]]:
    """Each row's words: an item's text, or a button's (the "Show me" column)."""

    def text(r: int, c: int) -> str:
        item = table.item(r, c)
        if item is not None:
            return item.text()
        cell = table.cellWidget(r, c)
        assert isinstance(cell, QAbstractButton), (r, c)
        return cell.text()

    return [[text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_kiosks_view_shows_health_and_page_views_summed_over_kiosks(
    office: OfficeWindow, clinic: Clinic, tablet: Tablet, tmp_path: Path, qtbot: QtBot
) -> None:
    lobby = counted(tablet.data_dir, {"ketamine/01": 3, "ketamine/02": 1})
    beat(tablet, lobby)
    lobby.record("ketamine/01")
    beat(tablet, lobby)  # today's count set again, not added twice
    upstairs = enrolled_tablet(clinic, tmp_path / "upstairs", "Upstairs")
    upstairs.store.close()
    with counted(upstairs.data_dir, {"ketamine/01": 2}) as upstairs_counts:
        beat(upstairs, upstairs_counts)
    enrolled_tablet(clinic, tmp_path / "garden", "Garden").store.close()  # never beat
    with clinic.connect() as conn:
        # Upstairs went quiet ten minutes ago; a count from 40 days ago is out of range.
        conn.execute(
            "UPDATE heartbeats SET received_at = now() - interval '10 minutes' WHERE kiosk = %s",
            (upstairs.link.role,),
        )
        conn.execute(
            "INSERT INTO page_views (kiosk, day, page, views)"
            " VALUES (%s, current_date - 40, 'ketamine/01', 100)",
            (tablet.link.role,),
        )
    sign_in(qtbot, office)
    office.views.buttons["kiosks"].click()
    assert office.stack.currentWidget() is office.kiosks
    rows = {cells[0]: cells for cells in texts(office.kiosks.health)}
    assert rows["Lobby"][1:6] == ["Green", "Working.", "1.4.0", "revision 1234567", "0"]
    assert rows["Lobby"][6] != w.NOT_KNOWN  # free disk
    assert rows["Upstairs"][1:3] == ["Red", "No heartbeat for 10 minutes."]
    assert rows["Garden"][1:3] == ["Red", "No heartbeat has ever come from this kiosk."]
    assert rows["Garden"][3:] == [w.NOT_KNOWN] * 6 + [w.LOOK]
    assert texts(office.kiosks.views) == [["ketamine/01", "6"], ["ketamine/02", "1"]]
    office.views.buttons["enquiries"].click()
    assert office.stack.currentWidget() is office.inbox
    lobby.close()


def test_the_kiosks_view_names_a_missing_and_an_altered_row_in_red(
    office: OfficeWindow, clinic: Clinic, tablet: Tablet, qtbot: QtBot
) -> None:
    tablet.save(3)
    assert tablet.send() == 3
    sign_in(qtbot, office)
    page = office.kiosks
    with qtbot.waitSignal(page.receipts_shown, timeout=10_000):
        office.views.buttons["kiosks"].click()
    assert [r.text() for r in page.receipts] == ["kiosk Lobby: 3 received, none missing"]
    assert page.receipts[0].styleSheet() == ""
    assert office.session is not None and office.session.verified._kiosks  # kept for next time
    with clinic.connect() as conn:  # what someone with the server's keys could do
        conn.execute("DELETE FROM enquiries WHERE seq = 2")
        conn.execute("UPDATE enquiries SET topic = 'altered' WHERE seq = 3")
    with qtbot.waitSignal(page.receipts_shown, timeout=10_000):
        page.refresh()
    (line,) = page.receipts
    assert line.text() == (
        "kiosk Lobby: 2 received, 1 missing (number 2);"
        " 1 altered or not signed by the kiosk (number 3)"
    )
    assert "b3261e" in line.styleSheet()  # red words
    office.sign_out()
    assert page.receipts == [] and page.health.rowCount() == 0


def test_a_kiosk_sets_its_own_page_views_and_still_reads_none(
    clinic: Clinic, tablet: Tablet
) -> None:
    with psycopg.connect(**tablet.link.connect_args()) as conn:
        conn.execute(
            "SELECT kiosk_page_views(%s::date[], %s::text[], %s::integer[])",
            ([date.today()], ["p"], [4]),
        )
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM page_views")
    with clinic.connect() as conn:
        rows = conn.execute("SELECT kiosk, page, views FROM page_views").fetchall()
    assert rows == [(tablet.link.role, "p", 4)]


def test_a_database_from_an_older_version_still_takes_the_heartbeat(
    clinic: Clinic, tablet: Tablet, caplog: pytest.LogCaptureFixture
) -> None:
    with clinic.connect() as conn:
        conn.execute("DROP FUNCTION kiosk_page_views(date[], text[], integer[])")
    counts = counted(tablet.data_dir, {"ketamine/01": 2})
    facts = KioskFacts(version="1.4.0", data_dir=tablet.data_dir, page_views=counts.counts_since)
    sender = tablet.sender(facts=facts, heartbeat_s=0.0)
    try:
        assert sender.beat_if_due() and sender.last_beat_ok
        assert "run 'kiosk office init'" in caplog.text
        with clinic.connect() as conn:
            assert conn.execute("SELECT count(*) FROM heartbeats").fetchone() == (1,)
            admin.init(conn)  # the administrator runs it again
        counts.record("ketamine/01")
        assert sender.beat_if_due()
    finally:
        sender.stop()
        counts.close()
    with clinic.connect() as conn:
        assert conn.execute("SELECT page, views FROM page_views").fetchall() == [("ketamine/01", 3)]
