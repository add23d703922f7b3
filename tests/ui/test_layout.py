"""At 1280x800, 800x1280 and 1920x1080, on every screen: targets at least 48 x 48 px,
8 px apart, nothing cut off or overlapping, text at least 18 pt, names = labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QTextCursor, QTextTable
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.content import Library
from kiosk.content.in_short import HEADINGS
from kiosk.ui.i18n import strings
from kiosk.ui.patient.keypad import KeypadHelp, PrivacyScreen
from kiosk.ui.topbar import ClinicName
from kiosk.ui.window import KioskWindow
from tests.conftest import SCREEN_SIZES, MakeWindow
from tests.ui.helpers import (
    assert_apart,
    assert_text_fits,
    bounds,
    rect_in,
    visible_buttons,
    visible_label,
    whole_and_seen,
)

SCALES = [1.0, 1.2]  # the config's text.scale range, both ends
MIN_TARGET = 48
MIN_GAP = 8
MIN_PT = 18

SCREENS = [
    "home",
    "first page",
    "in short",
    "long page",
    "last page",
    "request",
    "request contact",
    "request details",
    "request check",
    "request typing",
    "request accents",
    "request mistakes",
    "thank you",
    "leave form",
    "crisis",
    "crisis alert",
    "crisis not reached",
    "idle",
    "text size",
    "keypad help",
    "privacy screen",
]

#: The patient's choices that change the layout: (config scale, text size,
#: contrast, language). Spanish runs longer than English; high contrast draws
#: thicker borders.
VARIANTS = {
    "largest": (1.0, "largest", "standard", "en"),
    "large-es": (1.0, "large", "standard", "es"),
    "largest-high-es": (1.0, "largest", "high", "es"),
    "high": (1.0, "default", "high", "en"),
    "large-high": (1.0, "large", "high", "en"),
    "es": (1.0, "default", "standard", "es"),
}


class OfficeAway:
    """The office link as the card sees it, for its layout only: offered, never answers
    (tests/office/test_alert.py has the real one)."""

    timeout_s = 20.0

    def available(self) -> bool:
        return True

    def start(self, done: Callable[[bool], None]) -> None:
        """Nothing is sent: the test gives the answer."""

    def cancel(self) -> None:
        """Nothing to stop."""


def _open(window: KioskWindow, screen: str, library: Library) -> QWidget:
    """Put the window on ``screen``; return the widget whose controls the patient sees."""
    pages = library.topics[0].pages
    if screen == "first page":
        window.show_page(pages[0].key)
    elif screen == "in short":
        window.show_page(pages[4].key)  # the longest "In short" box: four points
    elif screen == "long page":
        window.show_page(pages[5].key)
    elif screen == "last page":
        window.show_page(pages[-1].key)
    elif screen == "request":
        window.show_request()
    elif screen in ("request contact", "request details", "request check"):
        window.show_request()
        form = window.request
        form.name_edit.setText("Ana López")
        form.methods.set_value("text")
        form.phone_edit.setText("8015550100")
        form.go_to(("request contact", "request details", "request check").index(screen) + 1)
    elif screen == "request typing":
        window.show_request()
        window.request.go_to(2)
        window.request.message_edit.setFocus()
    elif screen == "request accents":
        window.show_request()
        window.request.name_edit.setFocus()
        keyboard = window.request.keyboard
        assert keyboard is not None
        keyboard.key("áé").click()
    elif screen == "request mistakes":
        window.show_request()
        window.request.send()  # every step's mistakes: the bar lists three
    elif screen == "thank you":
        window.show_request()
        form = window.request
        form.thanks_text.setText(strings.THANK_YOU_TEXT.format(phone="(801) 555-0100"))
        form.thanks_when.setText(strings.THANK_YOU_WHEN.format(reply_time="within one working day"))
        form.views.setCurrentWidget(form.thanks_view)
    elif screen == "leave form":
        window.show_request()
        window.request.name_edit.setText("Ana")
        window.request.leave()
        return window.request.leave_overlay
    elif screen == "crisis":
        window.show_crisis()
        return window.crisis
    elif screen in ("crisis alert", "crisis not reached"):
        # An enrolled kiosk's card: "Get a staff member", then its longest answer.
        window.crisis.set_alerter(OfficeAway())
        window.show_crisis()
        if screen == "crisis not reached":
            window.crisis.get_staff()
            window.crisis._answer(window.crisis._alert_number, False)
        return window.crisis
    elif screen == "idle":
        window.show_page(pages[2].key)
        window.on_idle_warning(15)
        return window.idle_overlay
    elif screen == "text size":
        window.show_display()
        return window.display
    elif screen == "keypad help":
        card = window.findChild(KeypadHelp) or KeypadHelp(window, cover=window.stack)
        card.open()
        return card
    elif screen == "privacy screen":  # over the form: its one line above the keyboard
        window.show_request()
        window.request.name_edit.setFocus()
        privacy = window.findChild(PrivacyScreen) or PrivacyScreen(window, ended=lambda: None)
        privacy.turn_on()
    return window


def _check_controls(window: QWidget, root: QWidget) -> None:
    """Every visible control: >= 48 x 48, >= 8 px from the next, inside the window,
    not clipped, and its accessible name is its visible label."""
    buttons = visible_buttons(root)
    assert buttons, "every screen has something to tap"
    rects: dict[QWidget, QRect] = {}
    for b in buttons:
        label = visible_label(b)
        assert label, f"{b.objectName()} has no visible label"
        assert b.accessibleName() == label
        assert b.width() >= MIN_TARGET and b.height() >= MIN_TARGET, (label, b.size())
        seen = whole_and_seen(window, b, label)
        if not seen.isEmpty():  # scrolled out of sight: not next to anything on screen
            rects[b] = seen
    assert_apart(rects, MIN_GAP)


def _check_text(window: KioskWindow, root: QWidget) -> None:
    """Every visible text is at least 18 pt, and each label has the room its text needs."""
    labels = [w for w in root.findChildren(QLabel) if w.isVisible() and w.text()]
    assert labels
    for label in labels:
        assert label.font().pointSizeF() >= MIN_PT, (label.objectName(), label.font())
        if isinstance(label, ClinicName):
            assert label.is_whole(), label.text()  # smaller or on two lines, never cut
            continue
        assert_text_fits(window, label)
    body = window.page.body
    if body.isVisible():
        assert body.font().pointSizeF() >= 20
        _check_in_short(body)


def _check_pictures(window: QWidget, root: QWidget) -> None:
    """Every picture shown (the crisis card's QR codes, a logo) whole: a code
    cut short does not scan."""
    for label in root.findChildren(QLabel):
        pixmap = label.pixmap()
        if not label.isVisible() or pixmap.isNull():
            continue
        assert label.width() >= pixmap.width() and label.height() >= pixmap.height(), (
            label.objectName(),
            label.size(),
            pixmap.size(),
        )
        assert bounds(window, label).contains(rect_in(window, label)), label.objectName()


def _check_in_short(body: QTextBrowser) -> None:
    """A page's "In short" box is the document's first frame, as wide as the
    text and no wider than the view (no sideways scrolling), its text as large
    as the body's."""
    tables = [f for f in body.document().rootFrame().childFrames() if isinstance(f, QTextTable)]
    if not tables:
        return
    box = tables[0]
    assert box.firstPosition() <= 2  # above the clinic's text
    width = body.document().documentLayout().frameBoundingRect(box).width()
    assert width <= body.viewport().width() + 1, (width, body.viewport().width())
    assert body.document().size().width() <= body.viewport().width() + 1
    cursor = QTextCursor(box.cellAt(0, 0).firstCursorPosition())
    assert cursor.block().text() in HEADINGS.values()
    assert cursor.charFormat().fontPointSize() in (0.0, body.font().pointSizeF())


def _back_to_start(window: KioskWindow) -> None:
    """Undo what ``_open`` did, short of ``reset()`` (which would also undo the
    patient's choices, and restyle): overlays closed, the form wiped (its
    mistakes, thank-you and "Leave this form?" with it), no focus, home."""
    window.idle_overlay.hide()
    window.crisis.hide()
    window.crisis.set_alerter(None)
    window.display.hide()
    for card in window.findChildren(KeypadHelp):
        card.hide()
    for privacy in window.findChildren(PrivacyScreen):
        privacy.turn_off()
    if window._request is not None:
        window._request.wipe()
    window.page.reset()
    focused = window.focusWidget()
    if focused is not None:
        focused.clearFocus()
    window.show_home()
    QApplication.processEvents()


def _check_every_screen(
    window: KioskWindow, library: Library, extra: Callable[[KioskWindow], None] | None = None
) -> int:
    """Each of SCREENS in turn in the one window (a new window, style sheet and
    request form for each would cost most of the suite's time): open it, check
    it, go back. Returns how many screens were checked."""
    checked = 0
    for screen in SCREENS:
        root = _open(window, screen, library)
        QApplication.processEvents()
        try:
            _check_controls(window, root)
            _check_text(window, root)
            _check_pictures(window, root)
            if extra is not None:
                extra(window)
        except AssertionError as failure:
            raise AssertionError(f"on the {screen!r} screen: {failure}") from failure
        checked += 1
        _back_to_start(window)
    return checked


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_at_every_size(
    make_window: MakeWindow,
    qtbot: QtBot,
    shipped_library: Library,
    config: Config,
    size: tuple[int, int],
    scale: float,
) -> None:
    """Controls large, apart, whole and named; text large and not cut off: on each
    screen, at each reference size, at both ends of the allowed text sizes."""
    window = make_window(size, cfg=replace(config, text_scale=scale))
    assert _check_every_screen(window, shipped_library) == len(SCREENS)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_at_every_patient_choice(
    make_window: MakeWindow,
    qtbot: QtBot,
    config: Config,
    size: tuple[int, int],
    variant: str,
) -> None:
    """The same rules at the patient's larger text sizes (26 and 32 pt body
    text), in high contrast and in Spanish."""
    scale, text_size, contrast, language = VARIANTS[variant]
    window = make_window(size, cfg=replace(config, text_scale=scale))
    window.set_language(language)
    window.set_text_size(text_size)
    window.set_contrast(contrast)
    qtbot.wait(50)  # new tiles and relabelled buttons settle over a few passes of the loop
    expected = {"default": 20.0, "large": 26.0, "largest": 32.0}[text_size]

    def body_size(window: KioskWindow) -> None:
        body = window.page.body
        if body.isVisible():
            assert body.font().pointSizeF() == pytest.approx(expected, abs=0.1)

    assert _check_every_screen(window, window._view, body_size) == len(SCREENS)
    # The choices held on every screen: nothing above went back to the defaults.
    assert (window.language, window.text_size, window.contrast) == (
        language,
        text_size,
        contrast,
    )


def test_clinic_name_is_not_elided_on_the_reference_screens(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """A typical clinic name is shown whole at every reference size."""
    for size in SCREEN_SIZES:
        window = make_window(size)
        window.show_page(shipped_library.topics[0].pages[0].key)
        QApplication.processEvents()
        assert window.clinic_name.text() == window.clinic_name.full_text() == "Riverside Clinic"
        # Left open for the harness to close: closing the active window and then
        # restyling the application crashes Qt on the offscreen platform.


def test_content_text_is_never_interpreted_as_markup(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """A title or summary with markup (even <img src=...>) shows as typed, everywhere."""
    from PySide6.QtCore import Qt

    from kiosk.content import load_library
    from tests.conftest import write_page

    root = tmp_path / "c"
    title = '<img src="/etc/passwd.png"> <font color=red>Odd</font>'
    write_page(root / "t", "01.md", title, 1)
    write_page(root / "t", "02.md", "Plain", 2)
    window = make_window(library=load_library(root))
    window.show_page("t/01")
    QApplication.processEvents()
    ours = (window.crisis.body, window.crisis.more)  # the crisis card's rich text is ours
    labels = [w for w in window.findChildren(QLabel) if w not in ours]
    assert labels
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert window.page.title.text() == title
    window.show_home()
    tile_titles = [t.label_text() for t in window.home.tiles]
    assert title in tile_titles


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("count", [10, 11, 12, 30])
def test_a_long_topic_still_fits_a_portrait_screen(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path, config: Config, count: int, scale: float
) -> None:
    """With many pages, Previous / Home / Next stay whole and on screen at 800 px wide."""
    from kiosk.content import load_library
    from tests.conftest import write_page

    root = tmp_path / "c"
    for n in range(1, count + 1):
        write_page(root / "t", f"{n:02d}.md", f"Page {n}", n)
    window = make_window(
        (800, 1280), library=load_library(root), cfg=replace(config, text_scale=scale)
    )
    window.show_page(f"t/{count // 2:02d}")
    QApplication.processEvents()
    assert window.width() == 800
    assert window.page.progress.text() == f"{count // 2} of {count}"
    _check_controls(window, window)


@pytest.mark.parametrize("language", ["en", "es"])
def test_in_short_box_is_above_the_text_on_a_portrait_screen(
    make_window: MakeWindow, qtbot: QtBot, language: str
) -> None:
    """The box is there (so the layout checks above had one to check), headed in
    the page's language, and fits 800 px across."""
    window = make_window((800, 1280))
    window.set_language(language)
    window.show_page(window._view.topics[0].pages[4].key)
    QApplication.processEvents()
    body = window.page.body
    frames = body.document().rootFrame().childFrames()
    assert frames and isinstance(frames[0], QTextTable)
    _check_in_short(body)
    heading = {"en": "In short", "es": "En resumen"}[language]
    assert body.document().toPlainText().lstrip().startswith(heading)
