"""The office app (``kiosk office app``) against a real PostgreSQL: sign-in, the inbox,
marking an outcome (audited), a new enquiry arriving live, accessible names."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.enquiries.keys import KdfParams
from kiosk.office import admin
from kiosk.ui.office.window import OfficeWindow
from tests.office.conftest import Clinic, Tablet

PIN = "246813"


@pytest.fixture
def office(clinic: Clinic, tablet: Tablet, qtbot: QtBot) -> Iterator[OfficeWindow]:
    """Ana may sign in; the Lobby kiosk has sent one enquiry; the window is open."""
    with clinic.connect() as conn:
        admin.staff_add(
            conn, "Ana", PIN, clinic.opener(), by="recovery-code", kdf=KdfParams.fast_for_tests()
        )
    tablet.save(1)
    assert tablet.send() == 1
    window = OfficeWindow(clinic.admin_url)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.sign_out()


def sign_in(window: OfficeWindow, pin: str = PIN) -> None:
    window.sign_in_page.name.setText("Ana")
    window.sign_in_page.pin.setText(pin)
    window.sign_in_page.button.click()


def cell(window: OfficeWindow, row: int, column: int) -> str:
    model = window.inbox.model
    return str(model.data(model.index(row, column)))


def rows(window: OfficeWindow) -> int:
    return window.inbox.model.rowCount()


def test_the_right_pin_shows_the_inbox_decrypted(office: OfficeWindow) -> None:
    sign_in(office)
    assert office.stack.currentWidget() is office.inbox
    assert rows(office) == 1
    assert cell(office, 0, 0) == "Patient form-0"
    assert cell(office, 0, 3) == "Lobby"
    assert cell(office, 0, 5) == "New"
    assert "(1 new)" in office.windowTitle()
    assert office.sign_in_page.pin.text() == ""  # the PIN is not kept in the field


def test_a_wrong_pin_says_so_and_shows_nothing(office: OfficeWindow) -> None:
    sign_in(office, "135799")
    assert office.stack.currentWidget() is office.sign_in_page
    assert office.sign_in_page.message.text() == "Wrong PIN."
    assert office.session is None
    assert rows(office) == 0
    assert "new" not in office.windowTitle()


def test_marking_contacted_changes_the_row_and_is_audited(
    office: OfficeWindow, clinic: Clinic
) -> None:
    sign_in(office)
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


def test_a_new_enquiry_shows_without_a_restart(
    office: OfficeWindow, tablet: Tablet, qtbot: QtBot
) -> None:
    sign_in(office)
    tablet.save(1, prefix="later")
    assert tablet.send() == 1
    qtbot.waitUntil(lambda: rows(office) == 2, timeout=5000)
    assert cell(office, 0, 0) == "Patient later-0"  # newest first
    assert "(2 new)" in office.windowTitle()


def test_every_control_is_named_as_it_is_labelled(office: OfficeWindow) -> None:
    sign_in(office)
    office.inbox.table.selectRow(0)
    buttons = office.findChildren(QPushButton)
    assert len(buttons) >= 6
    for widget in buttons:
        assert widget.accessibleName() == widget.text()
    # The line edits inside date and number boxes are theirs: the boxes are named.
    edits = [
        e for e in office.findChildren(QLineEdit) if not isinstance(e.parent(), QAbstractSpinBox)
    ]
    labelled = {label.buddy(): label.text() for label in office.findChildren(QLabel)}
    assert len(edits) == 3  # name, PIN, search
    for edit in edits:
        assert edit.accessibleName() == labelled[edit]


def test_the_database_unreachable_is_said(clinic: Clinic, qtbot: QtBot) -> None:
    window = OfficeWindow(clinic.admin_url.replace(clinic.db, "no_such_db"), listen=False)
    qtbot.addWidget(window)
    sign_in(window)
    assert window.sign_in_page.message.text().startswith("The office database cannot be reached")
    assert window.session is None


def test_the_app_subcommand_parses_without_qt_or_psycopg() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from kiosk.cli import build_parser;"
        "a = build_parser().parse_args(['office', 'app', '--db', 'postgresql://x/y']);"
        "assert a.office_command == 'app' and a.db == 'postgresql://x/y';"
        "assert 'psycopg' not in sys.modules and 'PySide6' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


_ = psycopg  # the fixture's connections are psycopg's
