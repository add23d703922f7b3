"""Leaving kiosk mode on purpose: a flag file in the data folder that the
session wrappers read, and the exit status the app ends with.

The exit status alone cannot say "do not start me again": cage 0.1.x (Debian
12's and Ubuntu 24.04's) exits 0 whatever the app returned, and xinit does
the same. So the app writes this flag just before it exits, and what started
it honours the flag: resources/deploy/clinic-kiosk-session on Linux (the
systemd units), kiosk-launch.pyw and kiosk-keepalive.pyw on Windows. Each of
those deletes the flag before it starts the kiosk, so a flag never outlives
the session that wrote it (a reboot, or IT starting the kiosk again, clears it).
"""

from __future__ import annotations

import argparse
import ctypes
import sys
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from kiosk.paths import default_data_dir
from kiosk.support.files import write_atomic

#: The exit status when staff leave kiosk mode (EX_TEMPFAIL). Where nothing
#: sits between the kiosk and what started it (Windows), it still says so;
#: the units' RestartPreventExitStatus= and SuccessExitStatus= name it, since
#: clinic-kiosk-session ends with it when the flag is there.
LEFT_KIOSK_MODE = 75

#: The flag's file name in the data folder; clinic-kiosk-session names it too.
FLAG_NAME = "left-kiosk-mode"


def flag_file(data_dir: Path) -> Path:
    return data_dir / FLAG_NAME


def mark_left(data_dir: Path) -> None:
    """Write the flag (atomically, mode 0600): staff left kiosk mode just now."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    write_atomic(flag_file(data_dir), f"left kiosk mode at {when}\n".encode())


def clear(data_dir: Path) -> None:
    """Delete the flag, if there is one (before the kiosk is started)."""
    with suppress(FileNotFoundError):
        flag_file(data_dir).unlink()


def was_left(data_dir: Path) -> bool:
    return flag_file(data_dir).is_file()


def data_dir_in(arguments: list[str]) -> Path:
    """The data folder a `kiosk` command line uses: its --data-dir, else the
    default (``KIOSK_DATA_DIR``, else the user's data folder), as the kiosk
    itself resolves it (kiosk.paths.Paths.resolve)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir", type=Path, default=None)
    known, _ = parser.parse_known_args(arguments)
    folder: Path = known.data_dir or default_data_dir()
    return folder.expanduser().resolve()


def sign_out_windows() -> None:
    """Sign the current Windows user out (ExitWindowsEx, EWX_LOGOFF): the
    sign-in screen shows, since the kiosk's set-up does not force automatic
    sign-in after a sign-out. Does nothing elsewhere."""
    if sys.platform == "win32":
        ewx_logoff = 0
        ctypes.windll.user32.ExitWindowsEx(ewx_logoff, 0)
