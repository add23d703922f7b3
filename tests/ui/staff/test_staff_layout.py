"""The staff screens follow the kiosk's touch rules at 1280x800, 800x1280 and
1920x1080: controls at least 48 x 48 px and 8 px apart, whole, named as they
read; text at least 18 pt and not cut off; PIN keys at least 72 px."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.enquiries.drives import Drive
from kiosk.staff.accounts import WrongPin
from kiosk.ui.staff.pinpad import PinPad
from kiosk.ui.staff.setup import DONE
from kiosk.ui.staff.tabs.export import ExportTab
from kiosk.ui.window import KioskWindow
from tests.conftest import SCREEN_SIZES
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv
from tests.ui.staff.test_office_link import LinkStatus, ago
from tests.ui.test_layout import _check_controls, _check_text

PAD_SCREENS = ["names", "digits", "wrong", "no accounts"]
PANEL_SCREENS = [
    "list",
    "detail",
    "export",
    "exported",
    "purge",
    "summary",
    "log",
    "kiosk",
    "staff",
]


def _check(window: KioskWindow, root: QWidget, screen: str) -> None:
    # Rows added to a shown list are shown on the next pass of the event loop,
    # and the list's layout makes room for them on the pass after; on a busy
    # machine a word-wrapped label may need more passes. Wait until a pass
    # moves nothing (at most 50), rather than a fixed count.
    def geometry() -> list[QRect]:
        return [w.geometry() for w in root.findChildren(QWidget) if w.isVisible()]

    before: list[QRect] = []
    for _ in range(50):
        QApplication.processEvents()
        after = geometry()
        if after == before:
            break
        before = after
    try:
        _check_controls(window, root)
        _check_text(window, root)
    except AssertionError as exc:
        raise AssertionError(f"on {screen!r}: {exc}") from exc


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pin_pad_at_every_size(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """The PIN pad (names, digits, a wrong PIN, no accounts): large, apart, whole
    and named; digit keys at least 72 px."""
    window, mode = make_staff(size)
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    _check(window, pad, "names")
    pad.choose("Ana")
    for digit in "2468":
        pad.add_digit(digit)
    _check(window, pad, "digits")
    for key in pad.digit_buttons.values():
        assert key.height() >= 72 and key.width() >= 72, key.size()
    with pytest.raises(WrongPin) as wrong:
        staff_env.accounts.sign_in("Ana", "135799")
    pad._attempt = 7  # as if the pad had sent it (the check is tested on its own)
    pad.on_checked(7, wrong.value)
    assert pad.message.text() == "Wrong PIN. Try again in 1 second."
    _check(window, pad, "wrong")
    mode.close_pad()
    staff_env.paths.staff_file.unlink()
    mode.open_pad()
    assert mode.pad is None  # "Set up staff access" instead: below
    mode.close_setup()
    pad = PinPad(window, mode.service)
    pad.open()
    _check(window, pad, "no accounts")
    pad.dispose()


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_typed_name_pad_at_every_size(
    make_staff: MakeStaff, staff_config: Config, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """[staff] show_names = false: the name typed on the on-screen keyboard."""
    window, mode = make_staff(size, cfg=replace(staff_config, staff_show_names=False))
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    assert pad.name_entry is not None and not pad.name_buttons
    _check(window, pad, "typed name")


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_set_up_staff_access_at_every_size(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """Each step of "Set up staff access": the code, a wrong code's wait, the
    name, the PIN, the PIN again, done."""
    staff_env.paths.staff_file.unlink()
    window, mode = make_staff(size)
    mode.open_pad()
    setup = mode.setup
    assert setup is not None
    setup.code.field.setText("0000-0000-0000-0000-0000-000")
    setup.next_step()
    _check(window, setup, "not a code")
    setup.code.field.setText(staff_env.code)
    setup.next_step()
    setup.name.field.setText("Ana")
    _check(window, setup, "name")
    setup.next_step()
    for digit in "2468":
        setup.pin.add_digit(digit)
    _check(window, setup, "PIN")
    for digit in "10":
        setup.pin.add_digit(digit)
    setup.next_step()
    _check(window, setup, "PIN again")
    for digit in PIN:
        setup.pin_again.add_digit(digit)
    setup.next_step()
    setup.worker.finish_now()
    assert setup.step == DONE
    _check(window, setup, "done")


def _seed(staff_env: StaffEnv) -> None:
    for n in range(8):
        staff_env.save(
            f"Person Number {n}",
            days_ago=100 - n * 10,
            message="A longer message, so that the field wraps onto a second line. " * 3,
        )
    staff_env.mark([1, 2], "exported", days_ago=95)


@pytest.mark.parametrize(
    ("size", "scale"),
    [(size, 1.0) for size in SCREEN_SIZES] + [(size, 1.2) for size in SCREEN_SIZES],
    ids=lambda v: f"{v[0]}x{v[1]}" if isinstance(v, tuple) else f"scale {v}",
)
def test_panel_at_every_size(
    make_staff: MakeStaff,
    staff_env: StaffEnv,
    staff_config: Config,
    qtbot: QtBot,
    tmp_path: Path,
    size: tuple[int, int],
    scale: float,
) -> None:
    """Every tab of the panel: controls large, apart, whole and named; text large
    and not cut off; at both ends of the clinic's text scale. The office link's
    longest line (revoked, with what waits) over every tab."""
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    _seed(staff_env)
    window, mode = make_staff(
        size,
        cfg=replace(staff_config, text_scale=scale),
        drives=lambda: [Drive("KINGSTON", stick, 14_200_000_000)],
        office_link=lambda: LinkStatus("refused", "revoked", ago(hours=2), 12, ago(hours=30)),
    )
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    panel = mode.panel
    assert panel is not None
    assert panel.office_link.isVisible()
    _check(window, panel, "list")
    panel.enquiries.open_enquiry(panel.enquiries.list.rows[0].property("enquiry_id"))
    _check(window, panel, "detail")
    panel.show_tab("export")
    export = panel.tab("export")
    assert isinstance(export, ExportTab)
    _check(window, panel, "export")
    export.export()
    _check(window, panel, "exported")
    export.ask_purge()
    assert export.confirming
    _check(window, panel, "purge")
    for key in ("summary", "log", "kiosk", "staff"):
        panel.show_tab(key)
        _check(window, panel, key)
    panel.show_tab("log")
    panel.log_tab.entries[0].raw_button.setChecked(True)
    _check(window, panel, "raw entry")
    staff = panel.staff_tab
    panel.show_tab("staff")  # (the log's tab was left showing: these were never seen)
    staff.ask_remove("Ana")
    assert staff.confirm_text.isVisible()  # "the last one cannot be removed here"
    _check(window, panel, "remove the last one")
    staff.start_adding()
    staff.name.field.setText("Sam Lee")
    _check(window, panel, "add: name")
    staff.next_step()
    assert staff.pin.isVisible()  # the step checked is the PIN's
    _check(window, panel, "add: PIN")
    panel.show_tab("enquiries")
    panel.enquiries.list.set_filter("exported")
    _check(window, panel, "filtered")
