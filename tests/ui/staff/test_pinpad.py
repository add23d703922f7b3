"""The PIN pad, driven by taps: names, digits as dots, the check off the GUI
thread, wrong PINs, the delay, the lock (also after a restart), the audit log."""

from __future__ import annotations

import json
import logging

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.enquiries.keys import KdfParams
from kiosk.staff.accounts import UNKNOWN_NAME, Locked, StaffAccounts
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.mode import StaffMode
from kiosk.ui.staff.panel import StaffPanel
from kiosk.ui.staff.pinpad import PinPad
from tests.ui.helpers import find_button, tap
from tests.ui.staff.conftest import OTHER_PIN, PIN, MakeStaff, StaffEnv

WRONG = "135799"


def type_pin(qtbot: QtBot, pad: PinPad, pin: str) -> None:
    for digit in pin:
        tap(qtbot, find_button(pad, digit))


def try_pin(qtbot: QtBot, mode: StaffMode, pin: str, name: str = "Ana") -> PinPad:
    """Open the pad if needed, choose ``name``, type ``pin``, tap Sign in, wait for the answer."""
    if mode.pad is None:
        mode.open_pad()
    pad = mode.pad
    assert pad is not None
    if pad.views.currentIndex() == 0:
        tap(qtbot, find_button(pad, name))
    type_pin(qtbot, pad, pin)
    tap(qtbot, find_button(pad, s.SIGN_IN))
    qtbot.waitUntil(lambda: not mode.service.busy and pad._attempt is None, timeout=5000)
    return pad


def test_a_right_pin_tapped_in_opens_the_panel(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Name, six digits, Sign in: the panel opens, the pad is gone, the audit log says who."""
    window, mode = make_staff()
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    assert [b.text() for b in pad.name_buttons] == ["Ana"]
    tap(qtbot, find_button(pad, "Ana"))
    assert pad.pin_title.text() == "PIN for Ana"
    assert not find_button(pad, s.SIGN_IN).isEnabled()  # nothing typed yet
    type_pin(qtbot, pad, PIN)
    tap(qtbot, find_button(pad, s.SIGN_IN))
    assert pad.message.text() == s.CHECKING  # the check runs on a worker thread
    qtbot.waitUntil(lambda: mode.panel is not None, timeout=5000)
    QApplication.sendPostedEvents(None, 0)
    assert mode.pad is None
    assert mode.panel is not None
    assert mode.panel.isVisible() and mode.panel.geometry() == window.rect()
    assert staff_env.actions() == [("Ana", "sign-in", {})]


def test_digits_show_as_dots_and_delete_takes_one_back(make_staff: MakeStaff, qtbot: QtBot) -> None:
    """The PIN is never on screen: dots only, and the count for a screen reader."""
    _window, mode = make_staff()
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    tap(qtbot, find_button(pad, "Ana"))
    type_pin(qtbot, pad, "2468")
    assert pad.typed == 4
    assert pad.dots.text() == "●" * 4
    assert pad.dots.accessibleName() == "4 digits typed"
    tap(qtbot, find_button(pad, s.DELETE))
    assert pad.typed == 3 and pad.dots.text() == "●" * 3
    texts = [w.text() for w in pad.findChildren(type(pad.dots)) if w.text()]
    assert not any("246" in t for t in texts)
    type_pin(qtbot, pad, "135791357")  # 12 digits: the most a PIN has
    assert pad.typed == 12
    assert not find_button(pad, "5").isEnabled()


def test_a_wrong_pin_says_so_with_the_wait_and_the_pad_waits(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """A wrong PIN: words and the wait, keys disabled until it is over; logged with the name."""
    _window, mode = make_staff()
    pad = try_pin(qtbot, mode, WRONG)
    assert pad.message.text() == "Wrong PIN. Try again in 1 second."
    assert pad.waiting
    assert not any(key.isEnabled() for key in pad.digit_buttons.values())
    assert staff_env.actions() == [
        ("Ana", "sign-in-failed", {"reason": "wrong PIN", "failures": 1})
    ]
    staff_env.clock.advance(1.1)
    qtbot.waitUntil(lambda: not pad.waiting, timeout=2000)
    assert pad.message.text() == s.WRONG_PIN_NOW
    assert all(key.isEnabled() for key in pad.digit_buttons.values())
    pad = try_pin(qtbot, mode, WRONG)
    assert pad.message.text() == "Wrong PIN. Try again in 2 seconds."
    assert mode.panel is None


def _fail_five_times(qtbot: QtBot, mode: StaffMode, staff_env: StaffEnv) -> PinPad:
    pad = None
    for failures, wait in enumerate((1, 2, 4, 8), start=1):
        pad = try_pin(qtbot, mode, WRONG)
        assert pad.waiting, failures
        staff_env.clock.advance(wait + 0.1)
        # (mypy cannot infer a lambda with a default argument)
        qtbot.waitUntil(lambda p=pad: not p.waiting, timeout=2000)  # type: ignore[misc]
    pad = try_pin(qtbot, mode, WRONG)
    return pad


def test_five_wrong_pins_lock_sign_in_with_a_live_countdown(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """The fifth wrong PIN locks for five minutes; the pad counts down in words."""
    _window, mode = make_staff()
    pad = _fail_five_times(qtbot, mode, staff_env)
    assert pad.message.text() == "Too many wrong PINs. Staff sign-in is locked for 5 min."
    staff_env.clock.advance(2)
    qtbot.waitUntil(lambda: "4 min 58 s" in pad.message.text(), timeout=2000)
    assert pad.message.text() == "Too many wrong PINs. Staff sign-in is locked for 4 min 58 s."
    assert not find_button(pad, "1").isEnabled()
    failed = [a for a in staff_env.actions() if a[1] == "sign-in-failed"]
    assert len(failed) == 5 and failed[-1][2] == {"reason": "locked", "failures": 5}
    staff_env.clock.advance(300)
    qtbot.waitUntil(lambda: not pad.waiting, timeout=2000)
    assert pad.message.text() == s.LOCKED_OVER
    try_pin(qtbot, mode, PIN)
    qtbot.waitUntil(lambda: mode.panel is not None, timeout=5000)


def test_the_lock_survives_a_restart(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """A new StaffAccounts on the same file (a restarted kiosk) still refuses; the pad says so."""
    window, mode = make_staff()
    _fail_five_times(qtbot, mode, staff_env)
    mode.close_pad()
    mode.shutdown()
    window.close()
    staff_env.clock.advance(30)  # the kiosk was off for half a minute
    restarted = StaffAccounts(
        staff_env.paths.staff_file,
        staff_env.paths.keys_file,
        kdf=KdfParams.fast_for_tests(),
        clock=staff_env.clock,
    )
    with pytest.raises(Locked):
        restarted.sign_in("Ana", PIN)
    staff_env.accounts = restarted
    _window2, mode2 = make_staff()
    assert mode2.accounts is restarted
    mode2.open_pad()
    pad = mode2.pad
    assert pad is not None
    assert pad.message.text() == "Too many wrong PINs. Staff sign-in is locked for 4 min 30 s."
    tap(qtbot, find_button(pad, "Ana"))
    assert not any(key.isEnabled() for key in pad.digit_buttons.values())
    assert not pad.sign_in_button.isEnabled()


def test_no_accounts_opens_set_up_staff_access(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """With no staff yet, the gesture opens "Set up staff access", not the pad."""
    staff_env.paths.staff_file.unlink()
    _window, mode = make_staff()
    mode.open_pad()
    assert mode.pad is None
    assert mode.setup is not None and mode.setup.isVisible()
    assert mode.setup.title.text() == s.SETUP_TITLE
    tap(qtbot, find_button(mode.setup, s.CANCEL))
    assert mode.setup is None


def test_an_account_gone_while_the_pad_is_open_is_said(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """The last account removed from a terminal while the pad shows: the pad says
    how to set up staff access, and Close."""
    _window, mode = make_staff()
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    staff_env.paths.staff_file.unlink()
    pad.show_names()
    assert pad.who.text() == s.NO_ACCOUNTS
    assert pad.name_buttons == []
    tap(qtbot, find_button(pad, s.CLOSE))
    assert mode.pad is None


def test_a_damaged_staff_file_is_said_not_shown_as_no_staff(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """A staff file that cannot be read: the pad shows the sentence; nobody can sign in."""
    staff_env.paths.staff_file.write_text("{not json", encoding="utf-8")
    _window, mode = make_staff()
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    assert "is damaged" in pad.message.text()
    assert pad.name_buttons == []


def test_cancel_and_other_name(make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot) -> None:
    """Other name goes back to the names, forgetting the digits; Cancel closes the pad."""
    first = staff_env.accounts.sign_in("Ana", PIN)
    staff_env.accounts.add("Ben", OTHER_PIN, by=first)
    window, mode = make_staff()
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    tap(qtbot, find_button(pad, "Ana"))
    type_pin(qtbot, pad, "12")
    tap(qtbot, find_button(pad, s.OTHER_NAME))
    assert pad.views.currentIndex() == 0 and pad.typed == 0
    tap(qtbot, find_button(pad, "Ben"))
    type_pin(qtbot, pad, OTHER_PIN)
    tap(qtbot, find_button(pad, s.CANCEL))
    assert mode.pad is None
    QApplication.sendPostedEvents(None, 0)
    qtbot.waitUntil(lambda: not window.findChildren(PinPad), timeout=1000)
    assert staff_env.actions() == []  # nothing was tried


def test_the_pad_closes_itself_after_30_seconds_untouched(
    make_staff: MakeStaff, qtbot: QtBot
) -> None:
    """Left open, the pad closes by itself (here after 300 ms)."""
    window, mode = make_staff(pad_idle_ms=300)
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    tap(qtbot, find_button(pad, "Ana"))
    qtbot.waitUntil(lambda: mode.pad is None, timeout=3000)
    qtbot.waitUntil(lambda: not window.findChildren(PinPad), timeout=1000)


def test_the_patient_reset_closes_the_pad(make_staff: MakeStaff, qtbot: QtBot) -> None:
    """The idle reset (or a recovery) closes an open pad."""
    window, mode = make_staff()
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    tap(qtbot, find_button(pad, "Ana"))
    type_pin(qtbot, pad, "12")
    window.reset()
    assert mode.pad is None
    qtbot.waitUntil(lambda: not window.findChildren(PinPad), timeout=1000)


def test_a_keyboard_types_digits_too(make_staff: MakeStaff, qtbot: QtBot) -> None:
    """At the front desk a keyboard works: digits and Backspace (Enter presses
    the focused button, as everywhere in the kiosk)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    _window, mode = make_staff()
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    tap(qtbot, find_button(pad, "Ana"))
    QTest.keyClicks(pad, PIN + "9")
    QTest.keyClick(pad, Qt.Key.Key_Backspace)
    assert pad.typed == len(PIN)
    tap(qtbot, find_button(pad, s.SIGN_IN))
    qtbot.waitUntil(lambda: mode.panel is not None, timeout=5000)


def test_no_pin_is_written_anywhere(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Neither the PIN tried nor the right one appears in the audit log or the staff file."""
    _window, mode = make_staff()
    try_pin(qtbot, mode, WRONG)
    staff_env.clock.advance(2)
    qtbot.waitUntil(lambda: not mode.pad.waiting, timeout=2000)  # type: ignore[union-attr]
    try_pin(qtbot, mode, PIN)
    qtbot.waitUntil(lambda: isinstance(mode.panel, StaffPanel), timeout=5000)
    for path in staff_env.paths.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PIN.encode() not in data and WRONG.encode() not in data, path
    entries = [json.loads(line) for line in staff_env.paths.audit_file.read_text().splitlines()]
    assert [e["action"] for e in entries] == ["sign-in-failed", "sign-in"]


def test_a_name_that_matches_no_account_is_logged_as_unknown(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A sign-in with a name no account has (one removed from a terminal while its
    button was on the pad; or anything else) is logged as "(unknown name)", never
    as typed; a real name keeps its own spelling."""
    caplog.set_level(logging.DEBUG)
    _window, mode = make_staff()
    for name in ("135791", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"):
        mode.service.start(name, "135791")
        qtbot.waitUntil(lambda: not mode.service.busy, timeout=5000)
        staff_env.clock.advance(60)
    mode.service.start("ana", WRONG)
    qtbot.waitUntil(lambda: not mode.service.busy, timeout=5000)
    assert [(a, b) for a, b, _d in staff_env.actions()] == [
        (UNKNOWN_NAME, "sign-in-failed"),
        (UNKNOWN_NAME, "sign-in-failed"),
        ("Ana", "sign-in-failed"),
    ]
    written = staff_env.paths.audit_file.read_text() + caplog.text
    if staff_env.paths.log_file.exists():
        written += staff_env.paths.log_file.read_text()
    assert "135791" not in written and "ABCD" not in written
