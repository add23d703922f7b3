"""Issue 18 point 3: the PIN lock fails closed. On a real full disk (a small
tmpfs), where the wrong-PIN count cannot be written, every sign-in is refused
before any PIN is checked: the same answer and exit status for a right PIN and
a wrong one, in words that say why; once there is room, sign-in works again."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk import cli
from kiosk.enquiries.keys import KeyRing
from kiosk.staff import cli as staff_cli
from kiosk.staff import commands
from kiosk.staff.accounts import MAX_FAILURES, SignInPaused, StaffAccounts, WrongPin
from kiosk.staff.cli import ExitStatus
from tests.disks import fill
from tests.staff.conftest import ALICE_PIN, FAST, FakeClock

WRONG = "111222"


@pytest.fixture
def on_tmpfs(tmpfs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder on the small disk, with keys and Alice's account."""
    data = tmpfs / "data"
    data.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    _ring, code = KeyRing.create(data / "enquiry-keys.json", data / "RECOVERY-CODE.txt", kdf=FAST)
    StaffAccounts(data / "staff.json", data / "enquiry-keys.json", kdf=FAST).add(
        "Alice", ALICE_PIN, recovery_code=code
    )
    return data


def _accounts(data: Path, clock: FakeClock) -> StaffAccounts:
    return StaffAccounts(data / "staff.json", data / "enquiry-keys.json", kdf=FAST, clock=clock)


def test_a_full_disk_pauses_every_sign_in(on_tmpfs: Path, tmpfs: Path) -> None:
    clock = FakeClock()
    accounts = _accounts(on_tmpfs, clock)
    before = (on_tmpfs / "staff.json").read_bytes()
    filler = fill(tmpfs)
    answers = []
    for pin in [WRONG] * (MAX_FAILURES * 2) + [ALICE_PIN]:
        with pytest.raises(SignInPaused) as paused:
            accounts.sign_in("Alice", pin)
        answers.append(paused.value.message)
        clock.advance(1)
    assert len(set(answers)) == 1
    assert answers[0].startswith("Sign-in is paused: the kiosk's disk is full.")
    assert (on_tmpfs / "staff.json").read_bytes() == before
    filler.unlink()
    with pytest.raises(WrongPin):
        accounts.sign_in("Alice", WRONG)  # counted again
    assert json.loads((on_tmpfs / "staff.json").read_text())["failures"]["count"] == 1
    clock.advance(5)
    assert accounts.sign_in("Alice", ALICE_PIN).name == "Alice"
    assert json.loads((on_tmpfs / "staff.json").read_text())["failures"]["count"] == 0


def test_a_wrong_pin_is_counted_before_it_is_checked(on_tmpfs: Path) -> None:
    """A sign-in killed while argon2id runs has already counted the attempt."""
    clock = FakeClock()
    accounts = _accounts(on_tmpfs, clock)
    seen: list[int] = []
    real = accounts._pin_matches

    def spy(account: Any, secret: bytes) -> bool:  # what is on disk while the PIN is being checked
        seen.append(json.loads((on_tmpfs / "staff.json").read_text())["failures"]["count"])
        return real(account, secret)

    accounts._pin_matches = spy  # type: ignore[method-assign]
    accounts.sign_in("Alice", ALICE_PIN)
    assert seen == [1]


def _exit_status(
    pin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"Alice\n{pin}\n"))
    capsys.readouterr()
    args = cli.build_parser().parse_args(["enquiries", "list"])
    assert args.command in staff_cli.COMMANDS
    code = commands.run(args, kdf=FAST, clock=FakeClock())
    return code, capsys.readouterr().err


def test_the_command_line_answers_alike_for_right_and_wrong_pins(
    on_tmpfs: Path, tmpfs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(tmpfs)
    right = _exit_status(ALICE_PIN, monkeypatch, capsys)
    wrong = _exit_status(WRONG, monkeypatch, capsys)
    assert right[0] == wrong[0] == ExitStatus.LOCKED
    assert "Sign-in is paused: the kiosk's disk is full" in right[1]
    assert right[1] == wrong[1]
