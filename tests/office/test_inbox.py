"""The office inbox against a real PostgreSQL: filters, search (opened here, never sent),
export with the tablet's writer, retention purge, topics by title, and the view."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.enquiries.export import ExportError
from kiosk.office import admin, audit, inbox
from kiosk.office.heartbeat import KioskFacts
from kiosk.ui.office.inbox import InboxPage
from kiosk.ui.office.session import PAGE_SIZE
from kiosk.ui.office.window import OfficeWindow
from tests.office.conftest import Clinic, Tablet, enrolled_tablet

Conn = psycopg.Connection[tuple[Any, ...]]
PEOPLE = (
    # (form key, topic, name, phone)
    ("f1", "ketamine", "Ana Lopez", "(801) 555-0100"),
    ("f2", "psilocybin", "Ben Ode", "801-555-0199"),
    ("f3", "ketamine", '=HYPERLINK("x")', "+1 435 555 0101"),
    ("f4", "", "Carla Ana", "435.555.0123"),
)


def _send(tablet: Tablet, people: tuple[tuple[str, str, str, str], ...]) -> None:
    for key, topic, name, phone in people:
        tablet.store.save(key, topic, {"name": name, "phone": phone, "method": "call"})
    assert tablet.send() == len(people)


@pytest.fixture
def sent(clinic: Clinic, tablet: Tablet, tmp_path: Path) -> Iterator[Conn]:
    """Lobby sent f1-f4; Upstairs sent u1; an admin connection (autocommit)."""
    _send(tablet, PEOPLE)
    upstairs = enrolled_tablet(clinic, tmp_path / "upstairs", "Upstairs")
    _send(upstairs, (("u1", "ketamine", "Dan Upstairs", "555 0000"),))
    upstairs.store.close()
    with psycopg.connect(clinic.admin_url, autocommit=True) as conn:
        yield conn


def _ids(conn: Conn, form_keys: str) -> list[int]:
    """The office ids of the enquiries named, newest first."""
    keys = form_keys.split()
    rows = conn.execute(
        "SELECT id FROM enquiries WHERE form_key = ANY(%s) ORDER BY id DESC", (keys,)
    ).fetchall()
    assert len(rows) == len(keys)
    return [int(i) for (i,) in rows]


def _page(conn: Conn, **filters: object) -> list[str]:
    got = inbox.page(conn, limit=100, filters=inbox.Filters(**filters))  # type: ignore[arg-type]
    return [e.form_key for e in got]


def test_filters_narrow_by_status_kiosk_topic_and_day(sent: Conn) -> None:
    conn = sent
    conn.execute("UPDATE enquiries SET status = 'contacted' WHERE form_key = 'f2'")
    # f1 arrived three days ago, f2 yesterday (this machine's days).
    today = date.today()
    for key, days in (("f1", 3), ("f2", 1)):
        noon = datetime.combine(today - timedelta(days=days), datetime.min.time()).astimezone()
        conn.execute(
            "UPDATE enquiries SET received_at = %s WHERE form_key = %s",
            (noon + timedelta(hours=12), key),
        )
    assert _page(conn) == ["u1", "f4", "f3", "f2", "f1"]
    assert _page(conn, status="contacted") == ["f2"]
    assert _page(conn, kiosk="Upstairs") == ["u1"]
    assert _page(conn, topic="ketamine") == ["u1", "f3", "f1"]
    assert _page(conn, topic="ketamine", kiosk="Lobby", status="new") == ["f3", "f1"]
    assert _page(conn, until=today - timedelta(days=1)) == ["f2", "f1"]
    assert _page(conn, since=today - timedelta(days=1), until=today - timedelta(days=1)) == ["f2"]
    assert _page(conn, since=today) == ["u1", "f4", "f3"]
    # Paged by id: the second page of two starts below the first's last.
    first = inbox.page(conn, limit=2, filters=inbox.Filters(kiosk="Lobby"))
    second = inbox.page(conn, limit=2, before_id=first[-1].id, filters=inbox.Filters(kiosk="Lobby"))
    assert [e.form_key for e in first + second] == ["f4", "f3", "f2", "f1"]
    assert inbox.kiosk_names(conn) == ["Lobby", "Upstairs"]
    assert inbox.topic_ids(conn) == ["", "ketamine", "psilocybin"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ana", "f4 f1"),  # any case, anywhere in the name
        ("801 555", "f2 f1"),  # the digits of the phone: "(801) 555-0100"
        ("5550101", "f3"),
        ("4355550123", "f4"),
        ("Ana 801", ""),  # letters: a name search, and no name has that
        ("nobody", ""),
    ],
)
def test_search_opens_rows_here_and_matches_name_or_phone_digits(
    sent: Conn, clinic: Clinic, text: str, found: str
) -> None:
    batches = list(inbox.search(sent, clinic.opener(), text, inbox.Filters(kiosk="Lobby"), batch=2))
    assert [looked for looked, _ in batches] == [2, 4]  # in batches, newest first
    got = [o.enquiry.form_key for _, batch in batches for o in batch]
    assert got == found.split()


def test_search_can_stop_after_a_batch(sent: Conn, clinic: Clinic) -> None:
    batches = inbox.search(sent, clinic.opener(), "a", batch=2)
    looked, _ = next(batches)
    batches.close()  # what the view's Stop does
    assert looked == 2


def test_the_search_text_never_reaches_the_server(sent: Conn, clinic: Clinic) -> None:
    """Every statement is logged while searching: the name searched for is not among them."""
    conn = sent
    conn.execute("SET log_statement = 'all'")
    conn.execute("SELECT 'search-log-marker'")
    found = [o for _, b in inbox.search(conn, clinic.opener(), "Lopez") for o in b]
    assert [o.personal["name"] for o in found] == ["Ana Lopez"]
    inbox.export(conn, clinic.opener(), clinic.pg.root / "x.csv", "csv", actor="Ana", text="Lopez")
    conn.execute("SELECT 'search-log-end'")
    log = clinic.pg.log_file.read_text(errors="replace")
    assert "search-log-marker" in log and "search-log-end" in log  # the log is on
    assert "Lopez" not in log[log.index("search-log-marker") :]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_export_writes_the_filtered_rows_inert_marks_new_only_and_audits(
    sent: Conn, clinic: Clinic, tmp_path: Path
) -> None:
    conn = sent
    conn.execute("UPDATE enquiries SET status = 'contacted' WHERE form_key = 'f3'")
    conn.execute(
        "INSERT INTO heartbeats (kiosk, sent_at, version, content_fingerprint, outbox_depth,"
        " uptime_s, topics) SELECT role, now(), '1', '', 0, 1, %s FROM kiosks WHERE name = 'Lobby'",
        ('{"ketamine": "Ketamine and depression"}',),
    )
    out = tmp_path / "calls.csv"
    result = inbox.export(
        conn,
        clinic.opener(),
        out,
        "csv",
        inbox.Filters(topic="ketamine"),
        actor="Ana",
        titles=inbox.topic_titles(conn),
    )
    rows = _read_csv(out)
    assert [r["Name"] for r in rows] == ["Ana Lopez", '\'=HYPERLINK("x")', "Dan Upstairs"]
    assert rows[0]["Topic"] == "Ketamine and depression"
    assert rows[0]["Phone"] == "(801) 555-0100"
    assert rows[1]["Phone"] == "'+1 435-555-0101"  # international, inert: the tablet's cells
    assert [r["Status"] for r in rows] == ["New", "Contacted", "New"]
    assert (result.count, result.marked) == (3, 2)
    statuses: dict[str, str] = dict(
        conn.execute("SELECT form_key, status FROM enquiries").fetchall()
    )
    assert statuses == {
        "f1": "exported",
        "f2": "new",  # not on the topic: not in the file
        "f3": "contacted",  # was not new: keeps its status
        "f4": "new",
        "u1": "exported",
    }
    entry = conn.execute("SELECT actor, action, subject, detail FROM audit ORDER BY id DESC")
    assert entry.fetchone() == (
        "Ana",
        "export",
        "calls.csv",
        {
            "format": "csv",
            "count": 3,
            "marked": 2,
            "skipped": 0,
            "filters": {"topic": "ketamine"},
            "searched": False,
        },
    )
    assert audit.verify(conn).intact


def test_export_xlsx_with_a_search_holds_only_the_matches(
    sent: Conn, clinic: Clinic, tmp_path: Path
) -> None:
    import openpyxl  # the test's reader only

    out = tmp_path / "calls.xlsx"
    result = inbox.export(sent, clinic.opener(), out, "xlsx", actor="Ana", text="801 555")
    assert result.count == 2
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    names = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Ana Lopez", "Ben Ode"]  # oldest first, as on the tablet
    assert zipfile.is_zipfile(out)


def test_an_export_that_cannot_be_written_marks_nothing(
    sent: Conn, clinic: Clinic, tmp_path: Path
) -> None:
    with pytest.raises(ExportError) as caught:
        inbox.export(sent, clinic.opener(), tmp_path / "gone" / "x.csv", "csv", actor="Ana")
    assert caught.value.reason == "missing"
    assert sent.execute("SELECT count(*) FROM enquiries WHERE status = 'new'").fetchone() == (5,)
    assert sent.execute("SELECT count(*) FROM audit WHERE action = 'export'").fetchone() == (0,)


def test_purge_deletes_only_old_enquiries_no_longer_new_and_is_audited(
    sent: Conn,
) -> None:
    conn = sent
    long_ago = datetime.now(UTC) - timedelta(days=100)
    conn.execute(
        "UPDATE enquiries SET received_at = %s WHERE form_key IN ('f1', 'f2', 'f3')", (long_ago,)
    )
    conn.execute(
        "UPDATE enquiries SET status = 'contacted', status_at = %s WHERE form_key = 'f1'",
        (long_ago,),
    )
    # Exported today, though it came long ago: it stays the whole retention period.
    conn.execute(
        "UPDATE enquiries SET status = 'exported', status_at = now() WHERE form_key = 'f2'"
    )
    # f3 is old but still new: nobody has seen it; never deleted.
    cutoff = inbox.retention_cutoff(90)
    assert inbox.purgeable(conn, cutoff) == 1
    assert inbox.purge(conn, cutoff, actor="Ana", days=90) == 1
    left = {k for (k,) in conn.execute("SELECT form_key FROM enquiries").fetchall()}
    assert left == {"f2", "f3", "f4", "u1"}
    entry = conn.execute("SELECT actor, action, detail FROM audit ORDER BY id DESC").fetchone()
    assert entry == ("Ana", "purge", {"days": 90, "deleted": 1})


def test_the_office_role_may_delete_enquiries_and_a_kiosk_may_not(
    sent: Conn, tablet: Tablet
) -> None:
    roles = admin.roles_of(sent)
    with sent.transaction(force_rollback=True):
        sent.execute(f'SET LOCAL ROLE "{roles.office}"'.encode())
        deleted = inbox.purge(sent, inbox.retention_cutoff(0), actor="Ana", days=0)
        assert deleted == 0  # none is old and not new; the grant let the DELETE run
        assert sent.execute("DELETE FROM enquiries WHERE form_key = 'f1'").rowcount == 1
    with (
        psycopg.connect(**tablet.link.connect_args()) as kiosk,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        kiosk.execute("DELETE FROM enquiries")
    assert sent.execute("SELECT count(*) FROM enquiries").fetchone() == (5,)


def test_topics_show_by_the_latest_title_a_kiosk_sent(sent: Conn, tablet: Tablet) -> None:
    assert inbox.topic_titles(sent) == {}  # no heartbeat yet: ids are shown
    titles = {"ketamine": "Ketamine and depression"}
    facts = KioskFacts(version="test", data_dir=tablet.data_dir, topic_titles=lambda: titles)
    sender = tablet.sender(facts=facts, heartbeat_s=0.0)
    try:
        assert sender.beat_if_due()
        titles = {"ketamine": "Ketamine for depression", "psilocybin": "Psilocybin therapy"}
        assert sender.beat_if_due()
    finally:
        sender.stop()
    assert inbox.topic_titles(sent) == {
        "ketamine": "Ketamine for depression",
        "psilocybin": "Psilocybin therapy",
    }
    beat = sent.execute("SELECT topics FROM heartbeats ORDER BY id DESC").fetchone()
    assert beat == ({"ketamine": "Ketamine for depression", "psilocybin": "Psilocybin therapy"},)


def test_count_follows_the_filters(sent: Conn) -> None:
    assert inbox.count(sent) == 5
    assert inbox.count(sent, inbox.Filters(kiosk="Lobby", topic="ketamine")) == 2


# -- the view ----------------------------------------------------------------------------------

PIN = "246813"


@pytest.fixture
def many(clinic: Clinic, tablet: Tablet) -> int:
    """Lobby sent 120 enquiries: form-0 … form-119, phones 555-0000 …; Ana may sign in."""
    clinic.add_staff("Ana", PIN)
    for i in range(120):
        tablet.store.save(f"form-{i}", "ketamine", {"name": f"Patient {i}", "phone": f"555-{i:04}"})
    sent = 0
    while n := tablet.send():
        sent += n
    return sent


@pytest.fixture
def view(clinic: Clinic, many: int, settings: QSettings, qtbot: QtBot) -> Iterator[InboxPage]:
    """The office window signed in as Ana (no listener: the tests refresh)."""
    window = OfficeWindow(clinic.admin_url, listen=False, settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.sign_in_page.name.setText("Ana")
    window.sign_in_page.pin.setText(PIN)
    with qtbot.waitSignal(window.sign_in_page.checked, timeout=10_000):
        window.sign_in_page.button.click()
    assert window.session is not None
    qtbot.waitExposed(window)
    yield window.inbox
    window.sign_out()


def _names(page: InboxPage) -> list[str]:
    model = page.model
    return [str(model.data(model.index(r, 0))) for r in range(model.rowCount())]


def test_the_list_opens_only_the_rows_on_screen_and_pages_as_it_scrolls(
    view: InboxPage, many: int, qtbot: QtBot
) -> None:
    assert many == 120
    assert view.model.rowCount() == PAGE_SIZE  # one page read, still sealed
    assert view.shown.text() == "120 enquiries"
    qtbot.waitUntil(lambda: bool(view.model.opened))  # painted
    on_screen = view.table.rowAt(view.table.viewport().height() - 1) + 1 or PAGE_SIZE
    assert 0 < len(view.model.opened) <= on_screen < PAGE_SIZE
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2 * PAGE_SIZE)  # the next page, by id
    assert len(view.model.opened) < 2 * on_screen + 2


def test_the_filters_bar_narrows_the_list(view: InboxPage, clinic: Clinic) -> None:
    with clinic.connect() as conn:
        conn.execute(
            "UPDATE enquiries SET status = 'contacted' WHERE form_key IN ('form-3', 'form-7')"
        )
    view.refresh()
    view.status.setCurrentIndex(view.status.findData("contacted"))
    assert _names(view) == ["Patient 7", "Patient 3"]
    assert view.shown.text() == "2 enquiries"
    view.status.setCurrentIndex(0)
    view.kiosk.setCurrentIndex(view.kiosk.findText("Lobby"))
    view.since.setDate(QDate.currentDate().addDays(1))
    assert _names(view) == []  # nothing came tomorrow
    view.since.setDate(QDate.currentDate())
    assert view.model.rowCount() == PAGE_SIZE


def test_searching_shows_matches_as_they_come_and_sends_nothing(
    view: InboxPage, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(view.searched, timeout=10_000):
        view.search.setText("555 0011")  # the phone's digits: 555-0011, not 555-0110
    assert _names(view) == ["Patient 11"]
    assert view.shown.text() == "1 found in 120"
    with qtbot.waitSignal(view.searched, timeout=10_000):
        view.search.setText("patient 11")  # any case: 11, 110-119
    assert _names(view) == [f"Patient {i}" for i in range(119, 109, -1)] + ["Patient 11"]
    view.search.clear()
    view.apply()
    assert view.model.rowCount() == PAGE_SIZE  # back to the list


def test_a_search_can_be_stopped(view: InboxPage, qtbot: QtBot) -> None:
    view.search.setText("Patient")
    with qtbot.waitSignal(view.searched, timeout=10_000):
        view.apply()
        assert view.stop.isEnabled()
        view.stop.click()
    assert view.shown.text().startswith("Search stopped")
    assert not view.stop.isEnabled()


def test_signing_out_forgets_the_search_and_every_opened_row(view: InboxPage, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.searched, timeout=10_000):
        view.search.setText("Patient 5")
    window = view.window()
    assert isinstance(window, OfficeWindow)
    window.sign_out()
    assert view.search.text() == ""
    assert view.model.opened == {} and view.model.rowCount() == 0


def test_export_from_the_view_writes_the_filtered_rows_and_updates_the_count(
    view: InboxPage, clinic: Clinic, qtbot: QtBot, tmp_path: Path
) -> None:
    with qtbot.waitSignal(view.searched, timeout=10_000):
        view.search.setText("Patient 10")  # 10, 100-109
    out = tmp_path / "calls.csv"
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view.export_to(out)
    assert [r["Name"] for r in _read_csv(out)] == ["Patient 10"] + [
        f"Patient {i}" for i in range(100, 110)
    ]
    assert view.message.text() == f"11 enquiries exported to {out}; 11 marked Exported."
    window = view.window()
    assert isinstance(window, OfficeWindow)
    assert "(109 new)" in window.windowTitle()
    with clinic.connect() as conn:
        assert conn.execute(
            "SELECT count(*) FROM enquiries WHERE status = 'exported'"
        ).fetchone() == (11,)


def test_export_to_a_missing_folder_says_so(view: InboxPage, qtbot: QtBot, tmp_path: Path) -> None:
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view.export_to(tmp_path / "gone" / "calls.xlsx")
    assert view.message.text().startswith("Nothing was exported: The folder")


def test_purge_asks_naming_the_count_then_deletes(view: InboxPage, clinic: Clinic) -> None:
    assert view.days.value() == Config().retention_days == 90  # the tablet's default
    with clinic.connect() as conn:
        conn.execute(
            "UPDATE enquiries SET status = 'contacted', status_at = now() - interval '91 days'"
            " WHERE form_key IN ('form-1', 'form-2', 'form-3')"
        )
    asked: list[str] = []

    def cancel(question: str) -> bool:
        asked.append(question)
        return False

    assert view.purge(confirm=cancel) == 0  # Cancel: nothing goes
    assert asked == [
        "Delete 3 enquiries whose status last changed more than 90 days ago? "
        "New ones are never deleted. This cannot be undone."
    ]
    assert view.purge(confirm=lambda q: True) == 3
    assert view.message.text() == "3 old enquiries deleted."
    assert view.shown.text() == "117 enquiries"
    assert view.purge(confirm=lambda q: True) == 0
    assert view.message.text().startswith("No enquiry is old enough")


def test_topics_show_as_titles_once_a_kiosk_has_told_them(view: InboxPage, clinic: Clinic) -> None:
    assert view.model.data(view.model.index(0, 2)) == "ketamine"  # the id, unknown yet
    with clinic.connect() as conn:
        conn.execute(
            "INSERT INTO heartbeats (kiosk, sent_at, version, content_fingerprint,"
            " outbox_depth, uptime_s, topics) SELECT role, now(), '1', '', 0, 1, %s FROM kiosks",
            ('{"ketamine": "Ketamine and depression"}',),
        )
    view.refresh()
    assert view.model.data(view.model.index(0, 2)) == "Ketamine and depression"
    assert view.topic.findText("Ketamine and depression") > 0


def test_every_filter_and_box_is_named_as_it_is_labelled(view: InboxPage) -> None:
    labelled = {label.buddy(): label.text() for label in view.findChildren(QLabel)}
    boxes = [view.status, view.kiosk, view.topic, view.since, view.until, view.search, view.days]
    for box in boxes:
        assert box.accessibleName() == labelled[box]
    assert view.since.text() == "Any day"
    for push in view.findChildren(QPushButton):
        assert push.accessibleName() == push.text()


def test_a_heartbeat_to_a_database_without_topics_still_goes(
    clinic: Clinic, tablet: Tablet
) -> None:
    """A kiosk upgraded before the database: its heartbeat goes, without the titles."""
    with clinic.connect() as conn:
        conn.execute("ALTER TABLE heartbeats DROP COLUMN topics")
    facts = KioskFacts(version="test", data_dir=tablet.data_dir, topic_titles=lambda: {"k": "K"})
    sender = tablet.sender(facts=facts, heartbeat_s=0.0)
    try:
        assert sender.beat_if_due()
    finally:
        sender.stop()
    with clinic.connect() as conn:
        assert conn.execute("SELECT version FROM heartbeats").fetchall() == [("test",)]


def test_a_refresh_keeps_the_chosen_enquiry_and_the_place(
    view: InboxPage, tablet: Tablet, qtbot: QtBot
) -> None:
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2 * PAGE_SIZE)
    view.table.selectRow(80)
    chosen = view.model.enquiries[80].id
    place = view.table.verticalScrollBar().value()
    assert place > 0
    tablet.store.save("late", "ketamine", {"name": "Late Patient", "phone": "555"})
    assert tablet.send() == 1
    view.refresh()  # what the listener does when it arrives
    assert _names(view)[0] == "Late Patient"
    assert view.model.rowCount() == 2 * PAGE_SIZE  # as many as were scrolled to
    (selected,) = view.table.selectionModel().selectedRows()
    assert view.model.enquiries[selected.row()].id == chosen
    assert view.detail.values["name"].text() == view.model.row(selected.row()).name
    assert view.table.verticalScrollBar().value() == place
