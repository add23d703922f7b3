"""What the running kiosk keeps in memory after its start: not the source of
the modules it imported (PySide's feature check reads each one through
``inspect``, and ``linecache`` would keep it)."""

from __future__ import annotations

from pathlib import Path

from tests.ui.kiosk_process import run_script

RUNNING_KIOSK = """
import linecache, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from kiosk.paths import Paths
from kiosk.ui.app import build

kiosk = build(Paths.resolve(Path(sys.argv[1])))

def check():
    if kiosk.window._request is None or kiosk.staff is None:  # after the first paint: not yet
        QTimer.singleShot(50, check)
        return
    print(sum("/kiosk/" in name for name in linecache.cache), len(linecache.cache))
    kiosk.app.exit(0)

QTimer.singleShot(0, check)
kiosk.app.exec()
"""


def test_the_started_kiosk_keeps_no_source_lines(tmp_path: Path) -> None:
    printed = run_script(RUNNING_KIOSK, tmp_path / "data")
    ours, every = (int(word) for word in printed.split())
    assert ours == 0, printed
    assert every < 5, printed  # a module imported since the last drop, at most
