"""Crash safety: SIGKILL the saving process 200 times (20 in
``make test-fast``); no acknowledged enquiry is lost.

``crash_child.py`` saves enquiries in a loop and prints each form key only
after ``save()`` returned (COMMIT done). The parent kills it at a random
moment after it has started acknowledging, again and again on the same
database file. Afterwards every acknowledged key must be in the database, the
database must pass ``integrity_check``, and no run may have found it damaged.

Set ``KIOSK_CRASH_SEED`` to replay a run's kill timings.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import nacl
import pytest

import kiosk
from kiosk.enquiries.keys import KdfParams, KeyRing
from kiosk.enquiries.store import EnquiryStore
from tests.conftest import stress_rounds

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = stress_rounds(200)  # 20 in make test-fast
MAX_DELAY = 0.03  # seconds after the first acknowledgement; the child saves ~1 per ms here
WATCHDOG = 30.0  # a child that never acknowledges is killed, and the test fails


def child_env() -> dict[str, str]:
    """Just enough for the child: it runs with ``-S`` (no site import, ~30 ms less a start)."""
    roots = [
        str(Path(kiosk.__file__).resolve().parent.parent),
        str(Path(nacl.__file__).resolve().parent.parent),  # nacl and _cffi_backend
    ]
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(roots))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_and_kill(
    command: list[str], env: dict[str, str], delay: float, stderr_file: Path
) -> tuple[list[str], int]:
    """Start the child, wait for its first acknowledgement, sleep ``delay``, SIGKILL it.

    Returns the acknowledged keys (complete lines only: a line cut by the
    kill was never acknowledged) and the exit status.
    """
    with stderr_file.open("wb") as stderr:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=env)
    watchdog = threading.Timer(WATCHDOG, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        if first.endswith(b"\n"):
            time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.stdout.close()
        status = proc.wait()
    finally:
        watchdog.cancel()
    lines = (first + rest).split(b"\n")
    return [line.decode("ascii") for line in lines[:-1]], status


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_enquiry(tmp_path: Path) -> None:
    seed = int(os.environ.get("KIOSK_CRASH_SEED") or secrets.randbits(32))
    rng = random.Random(seed)
    folder = tmp_path / "data"
    keys_file = folder / "enquiry-keys.json"
    KeyRing.create(keys_file, folder / "RECOVERY-CODE.txt", kdf=KdfParams.fast_for_tests())
    database = folder / "enquiries.sqlite3"
    command = [sys.executable, "-S", str(CHILD), str(database), str(keys_file)]
    env = child_env()
    stderr_file = tmp_path / "child-stderr.txt"

    acknowledged: list[str] = []
    started = time.monotonic()
    for run in range(KILLS):
        keys, status = run_and_kill(command, env, rng.uniform(0, MAX_DELAY), stderr_file)
        where = f"run {run} (KIOSK_CRASH_SEED={seed})"
        assert keys, f"{where}: the child acknowledged nothing: {stderr_file.read_text()}"
        assert status == -signal.SIGKILL, f"{where}: exit {status}: {stderr_file.read_text()}"
        acknowledged.extend(keys)
    elapsed = time.monotonic() - started

    assert not list(folder.glob("*.corrupt-*")), "a restart after a kill found the file damaged"
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in conn.execute("SELECT form_key FROM enquiries")}
    finally:
        conn.close()
    lost = [key for key in acknowledged if key not in stored]
    assert lost == [], f"{len(lost)} acknowledged enquiries lost (KIOSK_CRASH_SEED={seed})"
    assert len(acknowledged) >= KILLS
    with EnquiryStore(database, KeyRing.load(keys_file).sealer()) as store:
        assert store.available
        assert store.problems == []
        assert store.count() == len(stored)
    print(f"{KILLS} kills, {len(acknowledged)} acknowledged, {elapsed:.1f} s, seed {seed}")
