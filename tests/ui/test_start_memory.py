"""What the running kiosk keeps in memory after its start: not the source of
the modules it imported (PySide's import hook reads each one through
``inspect``, and ``linecache`` would keep it; the kiosk starts without the
hook: kiosk/ui/startup.py)."""

from __future__ import annotations

from pathlib import Path

from tests.ui.kiosk_process import run_script

RUNNING_KIOSK = """
import linecache, sys
from pathlib import Path
from kiosk.ui.startup import import_pyside
import_pyside()  # as ``kiosk run`` starts
from PySide6.QtCore import QTimer
from kiosk.paths import Paths
from kiosk.ui.app import build

kiosk = build(Paths.resolve(Path(sys.argv[1])))

def check():
    if kiosk.window._request is None or kiosk.staff is None:  # after the first paint: not yet
        QTimer.singleShot(50, check)
        return
    print(*linecache.cache)
    kiosk.app.exit(0)

QTimer.singleShot(0, check)
kiosk.app.exec()
"""


def test_the_started_kiosk_keeps_no_source_lines(tmp_path: Path) -> None:
    kept = run_script(RUNNING_KIOSK, tmp_path / "data").split()
    # Only the few modules PySide6's own import brings after its hook is in
    # (before the kiosk can take it out); none of the kiosk's, none imported since.
    assert [name for name in kept if "/kiosk/" in name] == []
    assert len(kept) < 5, kept
