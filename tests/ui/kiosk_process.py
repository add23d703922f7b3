"""The kiosk as systemd runs it: a process of its own (``main.py``) on Qt's
offscreen platform, logging to standard error, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.enquiries.keys import KdfParams
from kiosk.enquiries.opener import StoreOpener
from kiosk.paths import Paths

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Stopped:
    """How a kiosk process ended: its log before and after the SIGTERM, its exit code."""

    before: str
    after: str
    code: int


def first_run(data: Path) -> None:
    """The kiosk's first run (keys, recovery code, database) done here, with a
    fast key derivation: the kiosk process then starts as on any later day."""
    opener = StoreOpener(Paths.resolve(data), kdf=KdfParams.fast_for_tests())
    assert opener.get() is not None
    opener.close()


def kiosk_env(**extra: str) -> dict[str, str]:
    """This environment with no display but Qt's offscreen platform."""
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def stop_at(data: Path, line: str, env: dict[str, str] | None = None) -> Stopped:
    """Start the kiosk on ``data`` and send it SIGTERM as soon as it logs a
    line containing ``line`` (or ends its log, or a minute has passed)."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data)],
        env=env or kiosk_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            lines.append(proc.stderr.readline())
            if not lines[-1] or line in lines[-1]:
                break
        proc.send_signal(signal.SIGTERM)
        _, after = proc.communicate(timeout=20)
    finally:
        proc.kill()
        proc.stderr.close()
    return Stopped("".join(lines), after, proc.wait())


def run_script(script: str, data: Path) -> str:
    """Run ``script`` (Python that builds a kiosk with ``kiosk.ui.app.build`` on
    ``sys.argv[1]`` and prints what it finds) in a process of its own, without
    speech: what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", script, str(data)],
        env=kiosk_env(KIOSK_SPEECH_ENGINE="off"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout
