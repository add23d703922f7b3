"""Crisis help that acts: QR codes a patient scans with their own phone to call
or text 988, 911 in words, the clinic's own line; and "Need help now?" keeps
its urgency in high contrast."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest
import zxingcpp
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config, contrast_ratio
from kiosk.ui.patient.home import qr_pixmap
from kiosk.ui.patient.overlays import (
    CALL_988,
    TEXT_988,
    CrisisOverlay,
    QrAction,
    crisis_qr_file,
)
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow
from tests.ui.helpers import find_button, tap, visible_buttons, visible_label


def _open(window: KioskWindow) -> CrisisOverlay:
    window.show_crisis()
    QApplication.processEvents()
    return window.crisis


def _actions(card: CrisisOverlay) -> list[QrAction]:
    items = (card.action_row.itemAt(i) for i in range(card.action_row.count()))
    return [w for item in items if item is not None and isinstance(w := item.widget(), QrAction)]


def _decode(widget: QWidget) -> list[zxingcpp.Barcode]:
    """Every code a reader finds in what ``widget`` paints on the screen."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    rows = memoryview(image.constBits()).cast("B", (image.height(), image.bytesPerLine()))
    return zxingcpp.read_barcodes(rows)


def test_the_qr_codes_call_and_text_988_from_the_patients_phone(
    make_window: MakeWindow,
) -> None:
    """What the card paints decodes, as a full QR code (phones' cameras do not
    read Micro QR), to tel:988 and sms:988, each under the words that say so."""
    card = _open(make_window())
    found = {}
    for action in _actions(card):
        codes = _decode(action)
        assert len(codes) == 1, action.caption.text()
        assert codes[0].format == zxingcpp.BarcodeFormat.QRCode
        found[codes[0].text] = action.caption.text()
    assert found == {
        "tel:988": "Scan with your phone camera to call 988",
        "sms:988": "Scan with your phone camera to text 988",
    }


@pytest.mark.parametrize("target", [CALL_988, TEXT_988])
def test_the_shipped_codes_are_segnos_code_for_their_target(
    qapp: QApplication, target: str
) -> None:
    """The card shows pictures made once by scripts/crisis_qr.py: each is
    exactly what segno makes for its target today, pixel for pixel."""
    shipped = QImage(str(crisis_qr_file(target))).convertToFormat(QImage.Format.Format_RGB32)
    made = qr_pixmap(target, QrAction.QR_PX).toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert not shipped.isNull(), crisis_qr_file(target)
    assert shipped.size() == made.size() and shipped == made


def test_opening_crisis_help_loads_no_qr_encoder() -> None:
    """segno's import raises the kiosk's peak memory by about 10 MiB: the card
    shows shipped pictures instead (a fresh process: this one may have it)."""
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from kiosk.config import Config\n"
        "from kiosk.ui.patient.overlays import CrisisOverlay\n"
        "from PySide6.QtWidgets import QWidget\n"
        "app = QApplication([])\n"
        "host = QWidget()\n"
        "card = CrisisOverlay(host, Config())\n"
        "assert not card.call_qr.code.pixmap().isNull()\n"
        "print('segno' in sys.modules)\n"
    )
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False", out.stderr


def test_the_cards_actions_are_named_by_their_words(make_window: MakeWindow) -> None:
    """Names = labels, and the only button is Close: nothing on the card claims
    that someone was told."""
    card = _open(make_window())
    actions = _actions(card)
    assert len(actions) == 2
    for action in actions:
        assert action.isVisible() and action.caption.isVisible()
        assert action.accessibleName() == action.caption.text()
        assert action.code.accessibleName() == action.caption.text()
    assert [visible_label(b) for b in visible_buttons(card)] == ["Close"]
    assert card.close_button.accessibleName() == "Close"
    assert card.emergency.text() == "In an emergency, call 911 now."
    assert card.front_desk.text() == "Please tell the front desk."
    # 911 is words only: no code holds it.
    assert all("911" not in action.target for action in actions)


def test_the_front_desk_line_is_the_clinics_own(make_window: MakeWindow, config: Config) -> None:
    line = "Please tell the front desk, or call the nurse on extension 21. <b>"
    window = make_window(cfg=replace(config, crisis_front_desk=line))
    card = _open(window)
    assert card.front_desk.text() == line  # plain text: the "<b>" shows as typed
    window.apply_config(config)  # a reloaded config back to the default
    assert card.front_desk.text() == "Please tell the front desk."


@pytest.mark.parametrize("scale", [1.0, 1.2])
@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_card_fits_without_scrolling_at_the_default_text_size(
    make_window: MakeWindow, config: Config, size: tuple[int, int], scale: float
) -> None:
    card = _open(make_window(size, cfg=replace(config, text_scale=scale)))
    assert card.body_area.verticalScrollBar().maximum() == 0
    assert card.card.geometry().bottom() < card.height()
    # Landscape: the two codes side by side; portrait: one above the other.
    first, second = (action.geometry() for action in _actions(card))
    if size[0] > size[1]:
        assert first.top() == second.top() and first.right() < second.left()
    else:
        assert first.bottom() < second.top()


def test_at_the_largest_text_the_card_scrolls_and_close_stays(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window((1280, 800))
    window.set_text_size("largest")
    card = _open(window)
    bar = card.body_area.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())  # the last line can be scrolled to
    assert card.front_desk.visibleRegion().boundingRect().height() == card.front_desk.height()
    tap(qtbot, find_button(card, "Close"))
    assert not card.isVisible()


def _fill(widget: QWidget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def _hue_apart(one: QColor, other: QColor) -> float:
    apart = abs(one.hslHue() - other.hslHue()) % 360
    return min(apart, 360 - apart)


@pytest.mark.parametrize("contrast", ["standard", "high"])
def test_need_help_keeps_its_urgency_on_the_bar(make_window: MakeWindow, contrast: str) -> None:
    """A red button whose hue stands apart from the bar's; in high contrast it
    also stands out by lightness (WCAG's 3:1 for a control against what is
    around it): not the peach on yellow it once was."""
    window = make_window()
    window.set_contrast(contrast)
    QApplication.processEvents()
    button = window.bar.help_button
    fill = _fill(button, 10, button.height() // 2)  # inside the border, left of the words
    bar = _fill(window.bar, 4, 4)
    assert fill.hslHue() <= 15 or fill.hslHue() >= 345, fill.name()  # red
    assert _hue_apart(fill, bar) >= 60, (fill.name(), bar.name())
    if contrast == "high":
        assert contrast_ratio(fill.name(), bar.name()) >= 3.0, (fill.name(), bar.name())
