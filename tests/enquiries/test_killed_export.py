"""Issue 18 point 5: a killed export leaves nothing readable for long. Its
``.kiosk-export-*.part`` (patients' names in the clear) is removed at the next
start, at the next export to any folder the kiosk exported to, and by
``kiosk purge``. Real exports killed with SIGKILL in a child process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kiosk.enquiries.export import ExportOptions, export_to_folder
from kiosk.enquiries.keys import KeyRing
from kiosk.enquiries.leftovers import ExportPlaces
from kiosk.enquiries.store import EnquiryStore

from .conftest import Keys, save

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("killed_export_child.py")


def _killed_export(data: Path, folder: Path) -> list[Path]:
    data.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, str(CHILD), str(data), str(folder)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    parts = sorted(folder.glob(".kiosk-export-*.part*"))
    assert parts, "the killed export left nothing to find"
    return parts


def test_the_next_export_to_another_folder_removes_it(tmp_path: Path) -> None:
    data, usb = tmp_path / "data", tmp_path / "usb"
    parts = _killed_export(data, usb)
    assert b"Patient Canary" in b"".join(p.read_bytes() for p in parts if p.is_file())
    ring = KeyRing.load(data / "enquiry-keys.json")
    code = (data / "code-for-the-test").read_text(encoding="utf-8")
    with EnquiryStore(data / "enquiries.sqlite3", ring.sealer()) as store:
        export_to_folder(store, ring.unlock(code), tmp_path / "exports", "csv", make_folder=True)
    assert not list(usb.iterdir())
    assert str(usb) in (data / "export-folders.json").read_text()


def test_purge_and_start_sweep_remove_it(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", tmp_path / "exports"
    _killed_export(data, folder)
    assert ExportPlaces(data).sweep() >= 1
    assert not list(folder.iterdir())


def test_a_sweep_leaves_a_running_export_alone(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    save(store)
    places = ExportPlaces(store.path.parent)
    seen: list[int] = []

    def progress(done: int, _total: int) -> None:
        if done == 0:  # the temporary file is being written now
            seen.append(places.sweep())
            seen.append(len(list(folder.glob(".kiosk-export-*.part"))))

    export_to_folder(store, keys.opener, folder, "csv", ExportOptions(progress=progress))
    assert seen == [0, 1]


def test_the_kiosk_removes_it_at_start(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", tmp_path / "exports"
    _killed_export(data, folder)
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data)],
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and list(folder.iterdir()):
            assert proc.poll() is None, "the kiosk stopped"
            time.sleep(0.1)
        assert not list(folder.iterdir())
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        finally:
            proc.kill()
