"""``kiosk office app --db URL``: the QApplication and the office window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from kiosk.office.cli import LOCK_AFTER_MINUTES
from kiosk.ui.office import words as w
from kiosk.ui.office.window import OfficeWindow


def run(url: str, lock_after_minutes: float = LOCK_AFTER_MINUTES) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(w.APP_TITLE)
    window = OfficeWindow(url, lock_after_s=lock_after_minutes * 60)
    window.show()
    return int(app.exec())
