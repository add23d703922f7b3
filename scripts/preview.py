"""Open the kiosk on a chosen screen, for screenshots and design review.

    python scripts/preview.py [home|page:N|request|crisis|idle|notice] [--text-scale F]

Runs like ``kiosk run`` (fullscreen, kiosk mode) with a throwaway data folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.config import Config
from kiosk.content import load_library
from kiosk.paths import Paths
from kiosk.ui import strings
from kiosk.ui.theme import style_sheet
from kiosk.ui.window import KioskWindow


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("screen", nargs="?", default="home")
    parser.add_argument("--text-scale", type=float, default=1.0)
    parser.add_argument("--content", type=Path, default=None)
    parser.add_argument("--clinic", default="Riverside Mental Health Clinic")
    args = parser.parse_args()
    paths = Paths.resolve(Path(tempfile.mkdtemp()), args.content)
    config = replace(
        Config(), clinic_name=args.clinic, clinic_phone="(555) 010-0199", text_scale=args.text_scale
    )
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(style_sheet(config))
    window = KioskWindow(config, load_library(paths.content_dir))
    window.start()

    def go() -> None:
        screen = args.screen
        if screen.startswith("page:"):
            topic = window.library.topics[0]
            window.show_page(topic.pages[int(screen.split(":")[1]) - 1].key)
        elif screen == "request":
            window.show_request()
        elif screen == "crisis":
            window.show_crisis()
        elif screen == "idle":
            window.show_page(window.library.topics[0].pages[2].key)
            window.on_idle_warning(12)
        elif screen == "notice":
            window.show_notice(strings.APOLOGY)

    QTimer.singleShot(300, go)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
