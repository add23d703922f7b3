"""A test stuck in a deadlock ends, with every thread's stack, instead of
holding the whole run (pyproject.toml: faulthandler_timeout)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STUCK = """
import threading


def test_stuck_in_c() -> None:
    lock = threading.Lock()
    lock.acquire()
    lock.acquire()  # never returns: blocked in C, as in a deadlock between threads
"""


def test_the_suite_ends_a_stuck_test_after_ten_minutes() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    settings = options["ini_options"]
    assert settings["faulthandler_timeout"] == 600
    assert settings["faulthandler_exit_on_timeout"] is True


def test_a_test_stuck_in_c_is_ended_with_its_stack(tmp_path: Path) -> None:
    """CI once hung at 99%: the GUI thread waited for the GIL, and the speech
    thread holding it waited for a mutex the GUI thread held. No Python code
    ran (no timer, no signal handler). With the project's settings, but 2 s
    for the 600, such a test ends its process and says where it was."""
    stuck = tmp_path / "stuck_test.py"
    stuck.write_text(STUCK, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "faulthandler_timeout=2",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            str(stuck),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    said = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Timeout (0:00:02)!" in said
    assert 'stuck_test.py", line 8 in test_stuck_in_c' in said
