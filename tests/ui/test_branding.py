"""The clinic's branding on screen: logo, phone, hours, website with a QR code,
its own crisis text; all of it fits every reference screen."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.ui.patient.home import contact_card
from tests.conftest import SCREEN_SIZES, MakeWindow, png_bytes
from tests.ui.test_layout import SCALES, _check_controls, _check_text


@pytest.fixture
def branded(config: Config) -> Config:
    return replace(
        config,
        clinic_phone="(555) 010-0199",
        clinic_hours="Mon-Fri 8am-5pm, Sat 9am-noon",
        clinic_website="riverside-clinic.example/ketamine",
    )


def test_home_shows_phone_hours_and_website_with_a_qr_code(
    make_window: MakeWindow, branded: Config
) -> None:
    window = make_window(cfg=branded)
    info = window.home.info
    assert info.isVisible()
    # (As read out: shown, the address may wrap after its dots and slashes,
    # the number never.)
    assert [line.accessibleName() or line.text() for line in info.lines] == [
        "Call us: (555) 010-0199",
        "Open: Mon-Fri 8am-5pm, Sat 9am-noon",
        "More online: riverside-clinic.example/ketamine",
    ]
    assert info.lines[2].accessibleName() == "More online: riverside-clinic.example/ketamine"
    assert info.qr is not None and not info.qr.pixmap().isNull()
    assert info.qr.pixmap().width() >= 100  # big enough to scan from a phone
    assert info.qr.accessibleName() == "QR code for (555) 010-0199"
    assert info.qr_caption is not None and info.qr_caption.text() == "Scan to save our number"
    # A contact card: a phone's camera offers to save the clinic's name and number.
    card = contact_card(branded.clinic_name, "(555) 010-0199", branded.clinic_website)
    assert "TEL;TYPE=WORK,VOICE:(555) 010-0199" in card.split("\r\n")
    assert "URL:https://riverside-clinic.example/ketamine" in card.split("\r\n")
    _assert_qr_holds(info.qr.pixmap(), card)


def test_without_a_phone_the_code_opens_the_website(
    make_window: MakeWindow, branded: Config
) -> None:
    window = make_window(cfg=replace(branded, clinic_phone=""))
    info = window.home.info
    assert info.qr is not None and info.qr_caption is not None
    assert info.qr_caption.text() == "Scan to open our website"
    _assert_qr_holds(info.qr.pixmap(), "https://riverside-clinic.example/ketamine")


def _assert_qr_holds(pixmap: QPixmap, text: str) -> None:
    """Every module of the drawn code is dark exactly where segno's code for
    ``text`` is: the picture holds that address (with its quiet zone)."""
    import segno

    from kiosk.ui.patient.home import QR_QUIET_ZONE

    code = segno.make(text, error="m")
    matrix = list(code.matrix_iter(border=QR_QUIET_ZONE))
    image = pixmap.toImage()
    scale = image.width() // len(matrix)
    assert scale >= 3 and image.width() == scale * len(matrix)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            pixel = image.pixelColor(column * scale + scale // 2, row * scale + scale // 2)
            assert (pixel.lightness() < 128) == bool(dark), (row, column)


def test_a_long_address_still_makes_a_scannable_code(
    make_window: MakeWindow, branded: Config
) -> None:
    from dataclasses import replace as dc_replace

    long = "riverside-clinic.example/patients/education/ketamine-therapy-for-depression-2026"
    window = make_window(cfg=dc_replace(branded, clinic_website=long))
    assert window.home.info.qr is not None
    card = contact_card(branded.clinic_name, branded.clinic_phone, long)
    _assert_qr_holds(window.home.info.qr.pixmap(), card)


def test_no_details_no_box(make_window: MakeWindow, config: Config) -> None:
    window = make_window(cfg=replace(config, clinic_phone="", clinic_website=""))
    assert not window.home.info.isVisible()
    assert not window.home.info_area.isVisible()


def test_with_no_details_request_information_stays_at_the_foot_of_its_column(
    make_window: MakeWindow, config: Config, qtbot: QtBot
) -> None:
    """Beside the topics, "Request information" sits at the column's foot, where
    it is under the clinic's details when there are some; with none it floated
    alone in the middle of an empty column."""
    bare = make_window(cfg=replace(config, clinic_phone="", clinic_website="", clinic_hours=""))
    full = make_window()
    for window in (bare, full):
        window.show()
        qtbot.waitUntil(window.home.side.isVisible)
    side, button = bare.home.side, bare.home.request_button
    assert button.geometry().bottom() == full.home.request_button.geometry().bottom()
    assert side.height() - button.geometry().bottom() < 40
    assert button.width() == full.home.request_button.width()


def test_the_logo_sits_beside_the_name(make_window: MakeWindow, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(200, 100))
    window = make_window(logo=logo)
    assert window.bar.logo.isVisible()
    assert window.bar.logo.pixmap().height() == 56
    assert window.bar.logo.accessibleName() == "Riverside Clinic"


def test_a_logo_that_does_not_load_is_left_out_and_logged(
    make_window: MakeWindow, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"not a picture")
    with caplog.at_level(logging.ERROR):
        window = make_window(logo=logo)
    assert not window.bar.logo.isVisible()
    assert any("could not be read" in r.getMessage() for r in caplog.records)
    assert window.clinic_name.isVisible()


def test_the_clinics_crisis_text_is_shown_as_plain_text(
    make_window: MakeWindow, config: Config
) -> None:
    text = "Call 988 <b>now</b>.\n\nOr tell the front desk."
    window = make_window(cfg=replace(config, crisis_text=text))
    window.show_crisis()
    assert window.crisis.body.textFormat() == Qt.TextFormat.PlainText
    assert window.crisis.body.text() == text


def test_without_crisis_text_the_built_in_988_text_shows(make_window: MakeWindow) -> None:
    window = make_window()
    window.show_crisis()
    assert "988" in window.crisis.body.text()


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_branded_home_fits_every_screen(
    make_window: MakeWindow, branded: Config, tmp_path: Path, size: tuple[int, int], scale: float
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(300, 100))
    window = make_window(size, cfg=replace(branded, text_scale=scale), logo=logo)
    QApplication.processEvents()
    _check_controls(window, window)
    _check_text(window, window)
    assert window.clinic_name.text() == window.clinic_name.full_text()
