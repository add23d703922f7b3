"""Make the crisis card's QR codes: resources/qr/tel-988.png and sms-988.png.

    python scripts/crisis_qr.py

They never change, so the kiosk ships them as pictures instead of loading a QR
encoder when the card is built (tests/ui/patient/test_crisis.py checks that
each file is exactly what segno makes today and that it reads back as its
target).
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication

from kiosk.ui.patient.home import qr_pixmap
from kiosk.ui.patient.overlays import CALL_988, TEXT_988, QrAction, crisis_qr_file


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    for target in (CALL_988, TEXT_988):
        path = crisis_qr_file(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not qr_pixmap(target, QrAction.QR_PX).save(str(path), "PNG"):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
