"""The kiosk starts PySide6 without its import hook (kiosk/ui/startup.py)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from tests.ui.kiosk_process import run_script

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"

# In a fresh interpreter: PySide6 imported by import_pyside, then a kiosk
# module imported after it. Is it Python's own import, and did PySide look at
# the module (its feature check reads the source, which linecache then keeps)?
_AFTER_PYSIDE = """
import builtins, json, linecache, sys
from kiosk.ui.startup import import_pyside

taken_out = import_pyside()
again = import_pyside()
import kiosk.ui.window  # Qt widgets: a module PySide's hook would look at
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel("works")
feature = sys.modules.get("shibokensupport.feature")
print(json.dumps({
    "taken_out": taken_out,
    "again": again,
    "python_import": builtins.__import__ is getattr(builtins, "__orig_import__", None),
    "looked_at": "kiosk.ui.window" in getattr(feature, "pyside_feature_dict", {}),
    "source_kept": any(name.endswith("window.py") for name in linecache.cache),
    "label": label.text(),
}))
"""

# ``kiosk run`` as main.py starts it, its window replaced by one that reports
# which import is in place when the user interface is imported.
_KIOSK_RUN = """
import builtins, json, sys, types

ui = types.ModuleType("kiosk.ui.app")

def run(paths, windowed=False):
    print(json.dumps({
        "pyside_in": "PySide6.QtCore" in sys.modules,
        "python_import": builtins.__import__ is getattr(builtins, "__orig_import__", None),
    }))
    return 0

ui.run = run
sys.modules["kiosk.ui.app"] = ui
from kiosk.cli import main
sys.exit(main(["--data-dir", sys.argv[1], "run"]))
"""


def test_import_pyside_puts_pythons_own_import_back(tmp_path: Path) -> None:
    found = json.loads(run_script(_AFTER_PYSIDE, tmp_path / "data").strip().splitlines()[-1])
    assert found["taken_out"] is True
    assert found["again"] is False  # nothing left to take out
    assert found["python_import"] is True
    assert found["looked_at"] is False
    assert found["source_kept"] is False
    assert found["label"] == "works"  # PySide6 itself as before


def test_kiosk_run_imports_its_window_without_the_hook(tmp_path: Path) -> None:
    found = json.loads(run_script(_KIOSK_RUN, tmp_path / "data").strip().splitlines()[-1])
    assert found == {"pyside_in": True, "python_import": True}


def test_no_kiosk_module_asks_for_a_pyside_feature() -> None:
    """Without the hook a ``from __feature__ import`` fails: none may rely on it."""
    asking = []
    for path in sorted(KIOSK.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module == "__feature__":
                names = ["__feature__"]
            if "__feature__" in names:
                asking.append(str(path.relative_to(KIOSK)))
    assert asking == []
