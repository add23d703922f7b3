"""Issue 18 point 6: ``[staff] min_pin_length`` asks for longer new PINs; a PIN
set before keeps working, and the setting falls back like any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.staff.accounts import Refused, StaffAccounts
from tests.staff.conftest import ALICE_PIN, FAST, FakeClock


def test_the_setting_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[staff]\nmin_pin_length = 9\n", encoding="utf-8")
    assert load_config(path)[0].min_pin_length == 9
    path.write_text("[staff]\nmin_pin_length = 40\n", encoding="utf-8")
    config, problems = load_config(path)
    assert config.min_pin_length == 6 and problems[0].line == 2


def test_new_pins_must_be_as_long_old_ones_still_work(
    accounts: StaffAccounts, code: str, clock: FakeClock
) -> None:
    accounts.add("Alice", ALICE_PIN, recovery_code=code)  # 6 digits, before the policy
    longer = StaffAccounts(
        accounts.staff_file, accounts.keys_file, kdf=FAST, clock=clock, min_pin_length=9
    )
    with pytest.raises(Refused, match="9 to 12 digits"):
        longer.add("Bob", "730155", recovery_code=code)
    bob = "730155284"
    session = longer.sign_in("Alice", ALICE_PIN)
    longer.add("Bob", bob, by=session)
    assert longer.sign_in("Bob", bob).name == "Bob"
