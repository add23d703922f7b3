"""The plain-Python modules of the start come before PySide6 (kiosk/ui/startup.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.ui.startup import PLAIN_MODULES

# In a fresh interpreter, as ``kiosk run`` starts: the plain modules, then the
# user interface built (no event loop: what comes before the first paint).
_PROBE = """
import inspect, json, sys
from pathlib import Path
from kiosk.ui.startup import import_plain_modules
import_plain_modules()
qt_then = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6")))
before = set(sys.modules)
from kiosk.paths import Paths
from kiosk.ui.app import build
build(Paths.resolve(Path(sys.argv[1])))
late = []
for name in sorted(set(sys.modules) - before):
    module = sys.modules[name]
    if not name.startswith("kiosk"):
        continue
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        continue
    if "PySide6" not in source:
        late.append(name)
print(json.dumps({"qt_then": qt_then, "late": late}))
"""


def _probe(data_dir: Path) -> dict[str, list[str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_SPEECH_ENGINE="off")
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    ).stdout
    result: dict[str, list[str]] = json.loads(out.strip().splitlines()[-1])
    return result


def test_plain_modules_bring_no_qt_and_cover_the_start(tmp_path: Path) -> None:
    """Importing them brings no PySide6 (else they would not be ahead of it), and
    every kiosk module without Qt that the build imports is among them: one
    added to the start later, and not listed, would pay PySide's source check."""
    result = _probe(tmp_path / "data")
    assert result["qt_then"] == []
    assert result["late"] == []
    assert all(name in PLAIN_MODULES for name in ("kiosk.config", "kiosk.content"))
