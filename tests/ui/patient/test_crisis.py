"""Crisis help that acts: QR codes a patient scans with their own phone to call
or text 988, 911 in words, the clinic's own line; and "Need help now?" keeps
its urgency in high contrast."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace

import pytest
import zxingcpp
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config, contrast_ratio
from kiosk.content import Library
from kiosk.ui.i18n import strings
from kiosk.ui.patient.home import qr_pixmap
from kiosk.ui.patient.overlays import (
    CALL_988,
    TEXT_988,
    CrisisOverlay,
    QrAction,
    crisis_qr_file,
)
from kiosk.ui.window import KioskWindow
from tests.conftest import SCREEN_SIZES, MakeWindow
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
    assert not card.more_below.isVisible()  # nothing below: no cue
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
    # The codes are below the first screenful: "More below" says so (the scroll
    # bar alone was the only hint), over the foot of the card's text.
    cue = card.more_below
    assert cue.isVisible() and cue.label.text().startswith(strings.MORE_BELOW)
    view = card.body_area.viewport()
    foot = QRect(view.mapTo(card, QPoint(0, 0)), view.size())
    assert foot.contains(QRect(cue.mapTo(card, QPoint(0, 0)), cue.size()))
    bar.setValue(bar.maximum())  # the last thing, the second code, can be scrolled to
    assert card.text_qr.visibleRegion().boundingRect().height() == card.text_qr.height()
    assert not cue.isVisible()  # at the end: nothing more below
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


# -- the first screenful, "Get a staff member" and its answer (review r2) -----------------


class _Office:
    """The office link as the card sees it: offered while ``up``; the test answers."""

    timeout_s = 20.0

    def __init__(self) -> None:
        self.up = True
        self.raised: list[Callable[[bool], None]] = []

    def available(self) -> bool:
        return self.up

    def start(self, done: Callable[[bool], None]) -> None:
        self.raised.append(done)

    def cancel(self) -> None:
        """Nothing to stop."""


def _in_view(card: CrisisOverlay, widget: QWidget) -> bool:
    """Whether all of ``widget`` is inside the card's scrolling viewport as it is now."""
    viewport = card.body_area.viewport()
    rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return widget.isVisible() and viewport.rect().contains(rect)


def _answer(card: CrisisOverlay, office: _Office, acknowledged: bool) -> None:
    office.raised[-1](acknowledged)  # from the link's thread, queued to the card
    QApplication.processEvents()


@pytest.mark.parametrize("scale", [1.0, 1.2])  # the config's text.scale range, both ends
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("text_size", ["default", "large", "largest"])
@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_988_911_and_get_a_staff_member_are_in_the_first_screenful(
    make_window: MakeWindow,
    config: Config,
    size: tuple[int, int],
    text_size: str,
    language: str,
    scale: float,
) -> None:
    """When the card opens, the 988 line, the 911 line and "Get a staff member"
    (an enrolled kiosk) are whole in its viewport; the QR codes come after them."""
    window = make_window(size, cfg=replace(config, text_scale=scale))
    window.set_language(language)
    window.set_text_size(text_size)
    window.crisis.set_alerter(_Office())
    card = _open(window)
    assert "988" in card.body.text() and "911" in card.emergency.text()
    assert card.body_area.verticalScrollBar().value() == 0
    for line in (card.body, card.emergency, card.front_desk, card.staff_button):
        assert _in_view(card, line), (line.objectName(), text_size, language)
    assert visible_label(card.staff_button) == strings.CRISIS_GET_STAFF
    first_code = min(action.mapTo(card, QPoint(0, 0)).y() for action in _actions(card))
    assert first_code > card.staff_button.mapTo(card, QPoint(0, 0)).y()


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_answer_is_scrolled_into_view(
    make_window: MakeWindow, qtbot: QtBot, language: str
) -> None:
    """Largest text at 1280x800 (the card scrolls): after the tap, "Trying to
    reach…", then "could not reach", each whole in view; never "told"."""
    window = make_window((1280, 800))
    window.set_language(language)
    window.set_text_size("largest")
    office = _Office()
    window.crisis.set_alerter(office)
    card = _open(window)
    assert card.body_area.verticalScrollBar().maximum() > 0
    assert not _in_view(card, card.alert_status)  # nothing to say yet
    tap(qtbot, find_button(card, strings.CRISIS_GET_STAFF))
    assert card.alert_status.text() == strings.CRISIS_ALERT_WAITING
    qtbot.waitUntil(lambda: _in_view(card, card.alert_status), timeout=2000)
    card.body_area.verticalScrollBar().setValue(0)  # scrolled back up meanwhile
    _answer(card, office, False)
    assert card.alert_status.text() == strings.CRISIS_ALERT_FAILED
    qtbot.waitUntil(lambda: _in_view(card, card.alert_status), timeout=2000)
    assert strings.CRISIS_ALERT_TOLD not in card.spoken()


def test_after_could_not_reach_the_patient_can_try_again(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """The button comes back after "could not reach" (also after closing and
    reopening the card), while the link is up; a second try raises a second
    alert, and only an acknowledgement says anyone was told."""
    window = make_window((1280, 800))
    office = _Office()
    window.crisis.set_alerter(office)
    card = _open(window)
    tap(qtbot, find_button(card, strings.CRISIS_GET_STAFF))
    assert strings.CRISIS_GET_STAFF not in [visible_label(b) for b in visible_buttons(card)]
    _answer(card, office, False)
    assert card.alert_status.text() == strings.CRISIS_ALERT_FAILED
    assert find_button(card, strings.CRISIS_GET_STAFF).accessibleName() == (
        strings.CRISIS_GET_STAFF
    )
    tap(qtbot, find_button(card, strings.CLOSE))
    card = _open(window)
    assert card.alert_status.text() == strings.CRISIS_ALERT_FAILED  # still true: not reached
    tap(qtbot, find_button(card, strings.CRISIS_GET_STAFF))
    assert len(office.raised) == 2
    assert card.alert_status.text() == strings.CRISIS_ALERT_WAITING
    _answer(card, office, True)
    assert card.alert_status.text() == strings.CRISIS_ALERT_TOLD
    assert strings.CRISIS_GET_STAFF not in [visible_label(b) for b in visible_buttons(card)]
    # Not reached again, and then the link goes down: no button to offer.
    card.forget_alert()  # the next patient (app.build connects it to the reset)
    assert card.alert_status.text() == ""
    tap(qtbot, find_button(card, strings.CRISIS_GET_STAFF))
    _answer(card, office, False)
    office.up = False
    tap(qtbot, find_button(card, strings.CLOSE))
    card = _open(window)
    assert [visible_label(b) for b in visible_buttons(card)] == [strings.CLOSE]
    assert card.alert_status.text() == strings.CRISIS_ALERT_FAILED


# -- "Need help now?" within reach over the other cards (review r2) -----------------------


def _finger_lands_on(window: KioskWindow, widget: QWidget) -> bool:
    """Whether what is under ``widget``'s middle, in the window, is ``widget`` (not a scrim)."""
    under = window.childAt(widget.mapTo(window, widget.rect().center()))
    return under is not None and (under is widget or widget.isAncestorOf(under))


def _click_through_window(window: KioskWindow, widget: QWidget) -> None:
    """A finger on the screen where ``widget`` is: Qt finds what is under it."""
    where = widget.mapTo(window, widget.rect().center())
    handle = window.windowHandle()
    assert handle is not None
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    QApplication.processEvents()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_need_help_can_be_tapped_over_the_text_size_card(
    make_window: MakeWindow, size: tuple[int, int], language: str
) -> None:
    window = make_window(size)
    window.set_language(language)
    window.set_text_size("largest")
    window.show_display()
    QApplication.processEvents()
    assert window.display.isVisible()
    help_button = window.bar.help_button
    assert _finger_lands_on(window, help_button)
    _click_through_window(window, help_button)
    assert window.crisis.isVisible()
    assert window.open_overlays()[-1] is window.crisis  # on top
    find_button(window.crisis, strings.CLOSE).click()
    assert window.display.isVisible()  # where the patient was


def test_need_help_can_be_tapped_over_are_you_still_there(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """The countdown ends: opening crisis help counts as a touch, not as walking away."""
    window = make_window((1280, 800), idle_ms=150, countdown_s=2, tick_ms=1000)
    window.set_text_size("largest")
    window.show_page(shipped_library.topics[0].pages[2].key)
    with qtbot.waitSignal(window.idle.warning, timeout=2000):
        pass
    assert window.idle_overlay.isVisible()
    help_button = window.bar.help_button
    assert _finger_lands_on(window, help_button)
    resets: list[bool] = []
    window.was_reset.connect(lambda: resets.append(True))
    window.idle.idle_ms = 60_000  # from the tap on, the clock's usual minute or more
    with qtbot.waitSignal(window.idle.resumed, timeout=1000):
        _click_through_window(window, help_button)
    assert window.crisis.isVisible()
    assert not window.idle_overlay.isVisible()
    assert window.current_screen.startswith("page:")
    qtbot.wait(2500)  # longer than the countdown was
    assert resets == []  # the countdown did not run on under the card


def test_opening_crisis_help_by_itself_counts_as_a_touch(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """However it is opened (a keypad, speech control): the countdown stops."""
    window = make_window((1280, 800), idle_ms=150, countdown_s=30, tick_ms=1000)
    window.show_page(shipped_library.topics[0].pages[2].key)
    with qtbot.waitSignal(window.idle.warning, timeout=2000):
        pass
    with qtbot.waitSignal(window.idle.resumed, timeout=1000):
        window.show_crisis()
    assert not window.idle_overlay.isVisible()
    assert window.crisis.isVisible()
