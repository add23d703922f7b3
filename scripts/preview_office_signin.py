"""Open the office app on a chosen screen, for a look without a database.

    python scripts/preview_office_signin.py SCREEN [--save OUT.png]

SCREEN: signin, signin-wait (a wrong PIN: the countdown), signin-locked (five
wrong PINs), signin-idle (after the idle lock) or inbox (empty, the chime box).
The window points at a database that does not exist: nothing is signed in.
"""

from __future__ import annotations

import argparse
import sys
import tempfile

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.staff.accounts import WRONG_PIN
from kiosk.ui.office import words as w
from kiosk.ui.office.window import OfficeWindow

SCREENS = ("signin", "signin-wait", "signin-locked", "signin-idle", "inbox")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("screen", nargs="?", default="signin", choices=SCREENS)
    parser.add_argument("--save", metavar="OUT.png")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    settings = QSettings(f"{tempfile.mkdtemp()}/office.ini", QSettings.Format.IniFormat)
    window = OfficeWindow("postgresql://preview.invalid/clinic", listen=False, settings=settings)
    page = window.sign_in_page
    page.name.setText("Ana")
    if args.screen == "signin-wait":
        page.wait(WRONG_PIN, 4)
    elif args.screen == "signin-locked":
        page.wait(f"{WRONG_PIN} {w.TOO_MANY}", 300)
    elif args.screen == "signin-idle":
        page.show_locked(w.AUTO_LOCKED.format(idle="5 minutes"))
    elif args.screen == "inbox":
        window.stack.setCurrentWidget(window.inbox)
        window.setWindowTitle(w.TITLE_NEW.format(new=3))
    window.show()
    if args.save:
        QTimer.singleShot(500, lambda: (window.grab().save(args.save), app.quit()))
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
