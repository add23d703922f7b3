"""The office app (``kiosk office app``) against a real PostgreSQL: sign-in (off the
GUI thread, the tablet's lock and words, audited), the inbox, marking an outcome
(audited), a new enquiry arriving live (title, chime), the idle lock, accessible
names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import psycopg
import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
)
from pytestqt.qtbot import QtBot

from kiosk.office import admin
from kiosk.office.trouble import Trouble
from kiosk.staff.accounts import DELAYS, MAX_FAILURES, UNKNOWN_NAME, WrongPin
from kiosk.ui.office import words as w
from kiosk.ui.office.chime import chime_file
from kiosk.ui.office.window import OfficeWindow
from tests.office.conftest import Clinic, Tablet
from tests.staff.conftest import FakeClock

PIN = "246813"
WRONG_PIN = "That name and PIN do not match."


@pytest.fixture
def staffed(clinic: Clinic, tablet: Tablet) -> Clinic:
    """Ana may sign in; the Lobby kiosk has sent one enquiry."""
    clinic.add_staff("Ana", PIN)
    tablet.save(1)
    assert tablet.send() == 1
    return clinic


def open_window(qtbot: QtBot, clinic: Clinic, settings: QSettings, **kwargs: Any) -> OfficeWindow:
    window = OfficeWindow(clinic.admin_url, settings=settings, **kwargs)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def office(staffed: Clinic, settings: QSettings, qtbot: QtBot) -> Iterator[OfficeWindow]:
    """The window open on the sign-in page."""
    window = open_window(qtbot, staffed, settings)
    yield window
    QThreadPool.globalInstance().waitForDone(10_000)
    window.sign_out()


def sign_in(qtbot: QtBot, window: OfficeWindow, pin: str = PIN, name: str = "Ana") -> None:
    window.sign_in_page.name.setText(name)
    window.sign_in_page.pin.setText(pin)
    with qtbot.waitSignal(window.sign_in_page.checked, timeout=10_000):
        window.sign_in_page.button.click()


def audit_tail(clinic: Clinic, n: int) -> list[tuple[Any, ...]]:
    with clinic.connect() as conn:
        rows = conn.execute(
            "SELECT actor, action, detail FROM audit ORDER BY id DESC LIMIT %s", (n,)
        ).fetchall()
    return rows[::-1]


def shown_text(window: OfficeWindow) -> str:
    """Every word the window holds in a label, a field or a table cell."""
    parts = [label.text() for label in window.findChildren(QLabel)]
    parts += [edit.text() for edit in window.findChildren(QLineEdit)]
    for table in window.findChildren(QTableView):
        model = table.model()
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                parts.append(str(model.data(model.index(r, c)) or ""))
    return "\n".join(parts)


def cell(window: OfficeWindow, row: int, column: int) -> str:
    model = window.inbox.model
    return str(model.data(model.index(row, column)))


def rows(window: OfficeWindow) -> int:
    return window.inbox.model.rowCount()


def test_the_right_pin_shows_the_inbox_decrypted(
    office: OfficeWindow, staffed: Clinic, qtbot: QtBot
) -> None:
    sign_in(qtbot, office)
    assert office.stack.currentWidget() is office.inbox
    assert rows(office) == 1
    assert cell(office, 0, 0) == "Patient form-0"
    assert cell(office, 0, 3) == "Lobby"
    assert cell(office, 0, 5) == "New"
    assert office.windowTitle() == "Inbox (1 new) - Clinic office"
    assert office.inbox.shown.text() == "1 enquiry"  # not "1 enquiries"
    assert office.sign_in_page.pin.text() == ""  # the PIN is not kept in the field
    assert audit_tail(staffed, 1) == [("Ana", "sign-in", {})]


def test_the_pin_is_checked_off_the_gui_thread(office: OfficeWindow, qtbot: QtBot) -> None:
    page = office.sign_in_page
    page.name.setText("Ana")
    page.pin.setText(PIN)
    page.button.click()
    # The click returned before the check ended: the window goes on painting.
    assert page.checking
    assert not page.button.isEnabled()
    assert page.message.text() == "Checking…"
    assert office.session is None
    qtbot.waitUntil(lambda: office.session is not None, timeout=10_000)
    assert page.button.isEnabled()


def test_a_wrong_pin_waits_with_a_countdown_and_shows_nothing(
    office: OfficeWindow, staffed: Clinic, qtbot: QtBot
) -> None:
    page = office.sign_in_page
    sign_in(qtbot, office, "135799")
    assert office.stack.currentWidget() is page
    assert page.message.text() == f"{WRONG_PIN} Try again in 1 second."
    assert not page.button.isEnabled()
    assert office.session is None
    assert rows(office) == 0
    assert "new" not in office.windowTitle()
    qtbot.waitUntil(page.button.isEnabled, timeout=3000)
    assert page.message.text() == f"{WRONG_PIN} You can try again now."
    assert audit_tail(staffed, 1) == [
        ("Ana", "sign-in-failed", {"reason": "wrong PIN", "failures": 1})
    ]


def test_an_unknown_name_reads_as_a_wrong_pin_and_is_not_written_down(
    office: OfficeWindow, staffed: Clinic, qtbot: QtBot
) -> None:
    sign_in(qtbot, office, PIN, name="Zed")
    assert office.sign_in_page.message.text() == f"{WRONG_PIN} Try again in 1 second."
    assert audit_tail(staffed, 1) == [
        (UNKNOWN_NAME, "sign-in-failed", {"reason": "wrong PIN", "failures": 1})
    ]


def test_a_locked_office_counts_down_in_minutes(
    staffed: Clinic, settings: QSettings, qtbot: QtBot
) -> None:
    """Five wrong PINs from another office PC: here even the right one waits."""
    clock = FakeClock()
    with staffed.connect() as conn:
        for _ in range(MAX_FAILURES):
            with pytest.raises(WrongPin):
                admin.sign_in(conn, "Ana", "135799", clock=clock)
            clock.advance(max(DELAYS))
    window = open_window(qtbot, staffed, settings, clock=clock)
    sign_in(qtbot, window)
    assert window.session is None
    assert window.sign_in_page.message.text() == (
        "Too many wrong PINs: sign-in is locked. Try again in 5 minutes."
    )
    assert not window.sign_in_page.button.isEnabled()
    window.sign_in_page.button.click()  # disabled: nothing is checked
    assert not window.sign_in_page.checking
    actor, action, detail = audit_tail(staffed, 1)[0]
    assert (actor, action) == ("Ana", "sign-in-locked")
    assert 280 <= detail["seconds_left"] <= 300


def test_idle_locks_and_forgets_every_opened_row(
    staffed: Clinic, settings: QSettings, qtbot: QtBot
) -> None:
    window = open_window(qtbot, staffed, settings, lock_after_s=0.5, listen=False)
    sign_in(qtbot, window)
    window.inbox.table.selectRow(0)
    assert "Patient form-0" in shown_text(window)
    qtbot.waitUntil(lambda: window.session is None, timeout=5000)
    assert window.stack.currentWidget() is window.sign_in_page
    assert rows(window) == 0
    assert "Patient form-0" not in shown_text(window)
    assert "555-0100" not in shown_text(window)
    assert window.windowTitle() == "Clinic office"
    assert window.sign_in_page.message.text() == "Locked after 1 second without use: sign in again."
    assert audit_tail(staffed, 1) == [("Ana", "sign-out", {"why": "idle"})]


def test_use_keeps_the_window_open(staffed: Clinic, settings: QSettings, qtbot: QtBot) -> None:
    window = open_window(qtbot, staffed, settings, lock_after_s=1.0, listen=False)
    sign_in(qtbot, window)
    for _ in range(6):  # 1.5 s in all, a key pressed every quarter second
        qtbot.wait(250)
        qtbot.keyClick(window.inbox.table, "a")
    assert window.session is not None
    window.sign_out()
    assert audit_tail(staffed, 1) == [("Ana", "sign-out", {"why": "signed out"})]


def test_marking_contacted_changes_the_row_and_is_audited(
    office: OfficeWindow, clinic: Clinic, qtbot: QtBot
) -> None:
    sign_in(qtbot, office)
    office.inbox.table.selectRow(0)
    assert office.inbox.detail.values["name"].text() == "Patient form-0"
    office.inbox.detail.outcomes["contacted"].click()
    assert cell(office, 0, 5) == "Contacted"
    assert office.inbox.detail.message.text() == "Marked Contacted."
    assert not office.inbox.detail.outcomes["contacted"].isEnabled()
    assert "(0 new)" in office.windowTitle()
    with clinic.connect() as conn:
        entry = conn.execute(
            "SELECT actor, action, detail FROM audit ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert entry == ("Ana", "status", {"from": "new", "to": "contacted"})


def test_a_note_goes_sealed_is_shown_opened_and_never_audited(
    office: OfficeWindow, clinic: Clinic, qtbot: QtBot
) -> None:
    note = "Left a voicemail; call after 5"
    sign_in(qtbot, office)
    office.inbox.table.selectRow(0)
    detail = office.inbox.detail
    assert detail.latest_note.text() == "None yet"
    assert detail.note.maxLength() == 500
    detail.note.setText(note)
    detail.outcomes["no_answer"].click()
    assert detail.message.text() == "Marked No answer."
    assert detail.latest_note.text() == note  # opened here, from the row as reread
    assert detail.note.text() == ""  # sent: the box is ready for the next call
    with clinic.connect() as conn:
        row = conn.execute("SELECT note_sealed, enquiries::text FROM enquiries").fetchone()
        audit_text = conn.execute("SELECT string_agg(detail::text, ' ') FROM audit").fetchone()
    assert row is not None and audit_text is not None
    sealed, whole_row = bytes(row[0]), str(row[1])
    assert note.encode() not in sealed and "voicemail" not in whole_row
    assert clinic.opener().open(sealed).decode() == note  # sealed to the clinic key
    assert "voicemail" not in str(audit_text[0])
    assert audit_tail(clinic, 1) == [
        ("Ana", "status", {"from": "new", "to": "no_answer", "note": "sealed"})
    ]
    # Another outcome without a note keeps the last one; signing out forgets it.
    detail.outcomes["contacted"].click()
    assert detail.latest_note.text() == note
    office.sign_out()
    assert note not in shown_text(office)


def test_a_new_enquiry_shows_without_a_restart_in_silence(
    office: OfficeWindow, tablet: Tablet, qtbot: QtBot
) -> None:
    assert not office.inbox.chime.isChecked()  # off unless asked for
    sign_in(qtbot, office)
    tablet.save(1, prefix="later")
    assert tablet.send() == 1
    qtbot.waitUntil(lambda: rows(office) == 2, timeout=5000)
    assert cell(office, 0, 0) == "Patient later-0"  # newest first
    assert office.windowTitle() == "Inbox (2 new) - Clinic office"
    assert office.chime is None  # never made, so never played


# A test machine has no sound card: Qt Multimedia says so (libva, PulseAudio) and the
# effect's status is Error; on a PC with a speaker it loads (checked below).
@pytest.mark.qt_log_ignore(
    "Couldn't (load|resolve) va", "PulseAudioService", "QSoundEffect: playback of this format"
)
def test_the_chime_plays_for_a_new_enquiry_when_ticked(
    staffed: Clinic, tablet: Tablet, settings: QSettings, qtbot: QtBot
) -> None:
    first = open_window(qtbot, staffed, settings, listen=False)
    assert first.chime is None  # off: Qt Multimedia not even loaded
    first.inbox.chime.setChecked(True)
    first.close()
    window = open_window(qtbot, staffed, settings)  # remembered on this PC
    assert window.inbox.chime.isChecked()
    chime = window.chime
    assert chime is not None
    assert isinstance(chime.effect, QSoundEffect)
    assert chime.effect.source() == chime_file()
    plays: list[None] = []
    chime.played.connect(lambda: plays.append(None))
    sign_in(qtbot, window)
    qtbot.wait(500)  # the listener's first refresh: nothing new, no chime
    assert plays == []
    tablet.save(1, prefix="later")
    assert tablet.send() == 1
    qtbot.waitUntil(lambda: len(plays) == 1, timeout=5000)
    assert window.windowTitle() == "Inbox (2 new) - Clinic office"
    if QMediaDevices.audioOutputs():  # a PC with a speaker: the WAV loaded
        assert chime.effect.isLoaded()
    window.inbox.chime.setChecked(False)
    tablet.save(1, prefix="third")
    assert tablet.send() == 1
    qtbot.waitUntil(lambda: window.windowTitle() == "Inbox (3 new) - Clinic office", timeout=5000)
    assert len(plays) == 1  # unticked: silent
    window.sign_out()


def test_every_control_is_named_as_it_is_labelled(office: OfficeWindow, qtbot: QtBot) -> None:
    sign_in(qtbot, office)
    office.inbox.table.selectRow(0)
    buttons = office.findChildren(QPushButton)
    assert len(buttons) >= 6
    for widget in buttons:
        assert widget.accessibleName() == widget.text()
    boxes = office.findChildren(QCheckBox)
    assert [box.accessibleName() for box in boxes] == ["Chime for new enquiries"]
    # The line edits inside date and number boxes are theirs: the boxes are named.
    edits = [
        e for e in office.findChildren(QLineEdit) if not isinstance(e.parent(), QAbstractSpinBox)
    ]
    labelled = {label.buddy(): label.text() for label in office.findChildren(QLabel)}
    # name, PIN, search, the outcome's note; publishing's folder, settings, note, PIN;
    # sending a revision again: the PIN
    assert len(edits) == 9
    for edit in edits:
        assert edit.accessibleName() == labelled[edit]


def test_the_database_unreachable_is_said(
    clinic: Clinic, settings: QSettings, qtbot: QtBot
) -> None:
    window = OfficeWindow(
        clinic.admin_url.replace(clinic.db, "no_such_db"), listen=False, settings=settings
    )
    qtbot.addWidget(window)
    sign_in(qtbot, window)
    said = window.sign_in_page.message.text()
    assert said.startswith(f"The office database cannot be reached. {w.DB_TROUBLE['no-database']}")
    assert said.endswith('database "no_such_db" does not exist).')
    assert window.session is None


def test_a_refused_login_is_said_in_words_then_in_the_servers(
    clinic: Clinic, settings: QSettings, qtbot: QtBot
) -> None:
    """The front desk reads what went wrong and what to do first, not the driver's
    "connection failed: … FATAL: password authentication failed for user …" alone;
    the server's words follow for whoever looks after it."""
    url = clinic.pg.dsn(clinic.db, password="changed-since")
    window = OfficeWindow(url, listen=False, settings=settings)
    qtbot.addWidget(window)
    sign_in(qtbot, window)
    said = window.sign_in_page.message.text()
    assert said.startswith(f"The office database cannot be reached. {w.DB_TROUBLE['login']} ")
    assert "If it goes on, tell whoever looks after the office server" in said
    assert "password authentication failed" in said
    assert window.session is None


def test_every_trouble_has_words_for_the_front_desk() -> None:
    assert set(w.DB_TROUBLE) == set(get_args(Trouble))
    assert all(words.endswith(".") and words[0].isupper() for words in w.DB_TROUBLE.values())


def test_a_connection_lost_mid_session_signs_out_saying_so(
    office: OfficeWindow, staffed: Clinic, qtbot: QtBot
) -> None:
    """The server went away during a session: "Contacted" saved nothing and said
    nothing, search showed nothing, and the list kept its old count, until staff
    happened to sign out. Now the next action signs out, saying why, and the
    decrypted rows leave memory with the session; signing in again works."""
    sign_in(qtbot, office)
    assert rows(office) == 1
    assert office.session is not None
    office.session.conn.close()  # as a server restart or a network cut leaves it
    office.inbox.table.selectRow(0)
    office.inbox.detail.outcomes["contacted"].click()
    qtbot.waitUntil(lambda: office.session is None, timeout=5000)
    assert office.stack.currentWidget() is office.sign_in_page
    assert office.sign_in_page.message.text() == w.CONNECTION_LOST
    assert rows(office) == 0
    sign_in(qtbot, office)
    assert office.session is not None and rows(office) == 1
    assert cell(office, 0, 5) == "New"  # nothing was changed while the link was down


def test_the_app_subcommand_parses_without_qt_or_psycopg() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from kiosk.cli import build_parser;"
        "a = build_parser().parse_args(['office', 'app', '--db', 'postgresql://x/y']);"
        "assert a.office_command == 'app' and a.db == 'postgresql://x/y';"
        "assert a.lock_after == 5;"
        "b = build_parser().parse_args(['office', 'app', '--lock-after', '15']);"
        "assert b.lock_after == 15;"
        "assert 'psycopg' not in sys.modules and 'PySide6' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


_ = psycopg  # the fixture's connections are psycopg's


def test_a_phone_number_reads_as_people_write_it() -> None:
    """Stored as "+18015550100", it was shown so: hard to read out or dial."""
    from kiosk.ui.office.session import Row

    row = Row(enquiry=None, personal={"method": "call", "phone": "+18015550100"})  # type: ignore[arg-type]
    assert row.contact == "Phone call: +1 801-555-0100"
    typed = Row(enquiry=None, personal={"method": "text", "phone": "555-0100"})  # type: ignore[arg-type]
    assert typed.contact == "Text message: 555-0100"  # not a whole number: as it came


def test_counts_read_as_people_say_them() -> None:
    assert [w.enquiries(n) for n in (0, 1, 2, 1200)] == [
        "0 enquiries",
        "1 enquiry",
        "2 enquiries",
        "1,200 enquiries",
    ]
    assert w.PURGED.format(enquiries=w.enquiries(1, "old")) == "1 old enquiry deleted."
    assert w.PURGED.format(enquiries=w.enquiries(3, "old")) == "3 old enquiries deleted."
