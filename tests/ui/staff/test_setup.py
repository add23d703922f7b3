"""The first staff account, made on the tablet: the recovery code typed on the
on-screen keys, a name, a PIN twice; a wrong code refused and counted in the
same device-wide count as a terminal's ``kiosk staff add`` (checked with a
real second process); the audit entries the terminal writes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from kiosk.staff.accounts import DELAYS, MAX_FAILURES, WrongRecoveryCode
from kiosk.staff.cli import ExitStatus
from kiosk.staff.commands import RECOVERY_ACTOR
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.i18n import strings
from kiosk.ui.staff import setup as setup_screen
from kiosk.ui.staff.fields import TextEntry
from kiosk.ui.staff.mode import StaffMode
from kiosk.ui.staff.setup import CODE, DONE, NAME, PIN, SetupScreen
from kiosk.ui.window import KioskWindow
from tests.ui.helpers import find_button, tap
from tests.ui.staff.conftest import MakeStaff, StaffEnv

NEW_PIN = "135792"
WRONG_CODE = "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"


def type_keys(qtbot: QtBot, setup: SetupScreen, keyboard_owner: TextEntry, text: str) -> None:
    """Tap each character's key, found by its accessible name as a screen reader
    would; "123" and "ABC" switch pages when the character is on the other one."""
    keyboard = keyboard_owner.keyboard
    for char in text:
        for _attempt in range(2):
            keys = [
                b
                for b in keyboard.findChildren(QAbstractButton)
                if b.isVisible() and b.accessibleName() == char
            ]
            if keys:
                tap(qtbot, keys[0])
                break
            switch = [
                b
                for b in keyboard.findChildren(QAbstractButton)
                if b.isVisible()
                and b.accessibleName() in (strings.KEY_NUMBERS, strings.KEY_LETTERS)
            ]
            tap(qtbot, switch[0])
            QApplication.processEvents()
        else:
            raise AssertionError(f"no key for {char!r}")


def open_setup(
    make_staff: MakeStaff, staff_env: StaffEnv
) -> tuple[KioskWindow, StaffMode, SetupScreen]:
    staff_env.paths.staff_file.unlink()
    window, mode = make_staff()
    mode.open_pad()
    assert mode.pad is None and mode.setup is not None
    return window, mode, mode.setup


def fill_in(qtbot: QtBot, setup: SetupScreen, code: str, name: str = "Maria") -> None:
    """The code (lower case, no dashes: as a person might), a name, the PIN twice."""
    type_keys(qtbot, setup, setup.code, code.replace("-", "").lower())
    tap(qtbot, find_button(setup, strings.KEY_NEXT))
    assert setup.step == NAME, setup.message.text()
    if setup.name.text() != name:  # kept after a wrong code: only the code is asked again
        type_keys(qtbot, setup, setup.name, name)
    tap(qtbot, find_button(setup, strings.KEY_NEXT))
    assert setup.step == PIN, setup.message.text()
    for pad in (setup.pin, setup.pin_again):
        for digit in NEW_PIN:
            tap(qtbot, pad.digit_buttons[digit])
        tap(qtbot, pad.ok_button)


def finish(qtbot: QtBot, setup: SetupScreen) -> None:
    qtbot.waitUntil(lambda: not setup.worker.busy, timeout=10_000)


def test_the_first_account_is_made_with_the_code_typed_on_screen(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Code typed on the on-screen keys (case and dashes ignored), a name, a PIN
    twice: the account exists, the log says so as the terminal would, and Sign in
    opens the pad at that name's PIN."""
    _window, mode, setup = open_setup(make_staff, staff_env)
    assert find_button(setup, s.CANCEL)
    fill_in(qtbot, setup, staff_env.code)
    finish(qtbot, setup)
    assert setup.step == DONE
    assert setup.finished_text.text() == s.SETUP_DONE.format(name="Maria")
    assert staff_env.accounts.names() == ["Maria"]
    assert staff_env.actions()[-1] == (RECOVERY_ACTOR, "staff-add", {"name": "Maria"})
    assert setup.code.text() == ""  # the code is forgotten once used
    tap(qtbot, find_button(setup, s.SIGN_IN))
    assert mode.setup is None and mode.pad is not None
    assert mode.pad.pin_title.text() == s.PIN_TITLE.format(name="Maria")
    assert staff_env.accounts.sign_in("Maria", NEW_PIN).name == "Maria"


def test_a_code_of_the_wrong_shape_is_refused_before_any_work(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Too short: refused at once, written down (not what was typed), nothing counted."""
    _window, _mode, setup = open_setup(make_staff, staff_env)
    type_keys(qtbot, setup, setup.code, "abc123")
    tap(qtbot, find_button(setup, strings.KEY_NEXT))
    assert setup.step == CODE
    assert setup.message.text() == s.SETUP_NOT_A_CODE
    assert staff_env.actions()[-1] == (
        RECOVERY_ACTOR,
        "sign-in-failed",
        {"reason": "not a recovery code"},
    )
    assert "abc123" not in staff_env.paths.audit_file.read_text(encoding="utf-8").lower()
    assert staff_env.accounts.wait_seconds() == 0


def test_a_wrong_code_is_refused_counted_and_waits(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """A code that does not open the keys: no account, back to the code with the
    wait counting down; counted in the staff file as a wrong PIN is; audited."""
    _window, _mode, setup = open_setup(make_staff, staff_env)
    fill_in(qtbot, setup, WRONG_CODE)
    finish(qtbot, setup)
    assert staff_env.accounts.names() == []
    assert setup.step == CODE and setup.code.text() == ""
    assert setup.waiting
    assert setup.message.text() == s.SETUP_WRONG_CODE.format(wait="1 second")
    assert not setup.code.isEnabled()  # nothing to type until the wait is over
    assert staff_env.actions()[-1] == (
        RECOVERY_ACTOR,
        "sign-in-failed",
        {"reason": "wrong recovery code", "failures": 1},
    )
    state = json.loads(staff_env.paths.staff_file.read_text(encoding="utf-8"))
    assert state["failures"]["count"] == 1
    staff_env.clock.advance(max(DELAYS))
    qtbot.waitUntil(lambda: not setup.waiting, timeout=5_000)
    assert setup.message.text() == s.SETUP_TRY_AGAIN
    assert setup.code.isEnabled()


def _cli_add(staff_env: StaffEnv, code: str) -> subprocess.CompletedProcess[str]:
    """``kiosk staff add Bob`` in another process, answers on stdin."""
    program = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            program,
            "staff",
            "add",
            "Bob",
            "--data-dir",
            str(staff_env.paths.data_dir),
        ],
        input=f"{code}\n{NEW_PIN}\n{NEW_PIN}\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_lock_is_shared_with_the_terminal(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """One count for the device: a wrong code in a terminal counts on the tablet,
    and after the fifth wrong try, made on the tablet, a terminal is locked out too,
    even with the right code."""
    _window, _mode, setup = open_setup(make_staff, staff_env)
    wrong = _cli_add(staff_env, WRONG_CODE)
    assert wrong.returncode == ExitStatus.WRONG_PIN, wrong.stderr
    staff_env.clock.advance(max(DELAYS))
    fill_in(qtbot, setup, WRONG_CODE)
    finish(qtbot, setup)
    assert staff_env.actions()[-1][2] == {"reason": "wrong recovery code", "failures": 2}
    for _ in range(MAX_FAILURES - 3):  # the 3rd and 4th, as from anywhere else
        staff_env.clock.advance(max(DELAYS))
        with pytest.raises(WrongRecoveryCode):
            staff_env.accounts.add("X", NEW_PIN, recovery_code=WRONG_CODE)
    staff_env.clock.advance(max(DELAYS))
    setup.open()  # as if opened again: the wait is over, a fresh try
    fill_in(qtbot, setup, WRONG_CODE)
    finish(qtbot, setup)
    assert staff_env.actions()[-1][2] == {"reason": "wrong recovery code", "failures": 5}
    assert setup.message.text() == s.SETUP_LOCKED.format(wait="5 min")
    locked = _cli_add(staff_env, staff_env.code)
    assert locked.returncode == ExitStatus.LOCKED, locked.stderr
    assert "locked" in locked.stderr
    assert staff_env.accounts.names() == []


def test_the_actor_is_the_terminals() -> None:
    """The set-up screen writes the recovery code's entries under the terminal's actor."""
    assert setup_screen.RECOVERY_ACTOR == RECOVERY_ACTOR
    from kiosk.staff.accounts import UNKNOWN_NAME
    from kiosk.ui.staff.tabs import log

    assert log.RECOVERY_ACTOR == RECOVERY_ACTOR and log.UNKNOWN_NAME == UNKNOWN_NAME


def test_a_patient_reset_closes_set_up_and_forgets_the_code(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    window, mode, setup = open_setup(make_staff, staff_env)
    type_keys(qtbot, setup, setup.code, "abcd")
    window.reset()
    assert mode.setup is None
    assert setup.code.text() == ""
