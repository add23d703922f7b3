"""Issue 18 point 7: an entry with a key twice is refused (the hash is of one
reading, a reader may take the other); log, head and staff file deleted
together still leave the enquiries, and then ``kiosk audit verify`` says broken."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.enquiries.store import EnquiryStore
from kiosk.staff import commands
from kiosk.staff.audit import AuditLog, head_path, verify
from kiosk.staff.cli import ExitStatus

from .conftest import FAST, FakeClock


def _log(path: Path) -> AuditLog:
    audit = AuditLog(path, clock=FakeClock())
    audit.append("Alice", "sign-in")
    audit.append("Alice", "view", enquiry=12)
    return audit


@pytest.mark.parametrize("field", ["actor", "action", "seq", "details"])
def test_an_entry_with_a_key_twice_is_refused(data_tmpdir: Path, field: str) -> None:
    data_tmpdir.mkdir(parents=True, exist_ok=True)
    path = data_tmpdir / "audit.log"
    _log(path)
    assert verify(path).ok
    first, second = path.read_text(encoding="utf-8").splitlines(keepends=True)
    decoy = {"actor": '"Mallory"', "action": '"lock"', "seq": "7", "details": "{}"}[field]
    # json keeps the last value, so the hash still matches: only the duplicate tells
    doubled = first.replace(f'"{field}":', f'"{field}":{decoy},"{field}":', 1)
    assert doubled != first
    path.write_text(doubled + second, encoding="utf-8")
    check = verify(path)
    assert not check.ok and check.line == 1
    assert f'"{field}" twice' in check.message


def _verify_status(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``kiosk audit verify``: the exit status and all it said."""
    args = cli.build_parser().parse_args(["audit", "verify"])
    code = commands.run(args, kdf=FAST, clock=FakeClock())
    said = capsys.readouterr()
    return code, said.out + said.err


def test_no_log_but_enquiries_is_broken(
    store: EnquiryStore,
    data_tmpdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    path = data_tmpdir / "audit.log"
    _log(path)
    store.save("form-1", "", {"name": "Ana", "phone": "+18015550100"})
    # log, head and staff file deleted together (there is no staff file here)
    path.unlink()
    head_path(path).unlink()
    code, err = _verify_status(capsys)
    assert code == ExitStatus.FAILED
    assert "the kiosk holds 1 enquiry" in err
    path.write_text("", encoding="utf-8")  # emptied rather than deleted
    code, err = _verify_status(capsys)
    assert code == ExitStatus.FAILED and "is empty" in err


def test_no_log_and_no_enquiries_is_still_nothing_to_check(
    data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_tmpdir.mkdir(parents=True, exist_ok=True)
    code, said = _verify_status(capsys)
    assert code == ExitStatus.OK
    assert "no audit log yet" in said
