"""The office's look at a kiosk's screen, on a real window (issue 16, point 4): a
canary typed into the form gives no picture at all, only the screen's name; every
screen with fields blanks to the same pixels with and without a canary in them (the
OCR-free check that no canary pixel survives); the home screen, with no fields, is the
window's own rendering (the staff panel: tests/office/test_look.py)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.enquiries.store import EnquiryStore
from kiosk.ui.patient.request import CHECK_STEP, RequestScreen
from kiosk.ui.remote_look import (
    BAR,
    Look,
    RemoteLook,
    blanked,
    look,
)
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow
from tests.ui.helpers import find_button, tap
from tests.ui.patient.test_request import type_by_taps

#: Typed into every field; if any of its pixels survived, the pictures would differ.
CANARY = {
    "name": "Zebulon Canarywood",
    "phone": "8015550199",
    "email": "canary@example.org",
    "message": "Canary canary canary",
}


def _picture(shown: Look) -> QImage:
    assert shown.picture is not None
    image = QImage.fromData(shown.picture)
    assert not image.isNull()
    return image


def _same(a: QImage, b: QImage) -> bool:
    """Pixel for pixel (the formats may differ: a PNG comes back without alpha)."""
    return a.convertToFormat(QImage.Format.Format_RGB32) == b.convertToFormat(
        QImage.Format.Format_RGB32
    )


@pytest.fixture
def window(make_window: MakeWindow, store: EnquiryStore) -> KioskWindow:
    return make_window(store=store)


def test_the_blanked_home_screen_is_the_windows_own_rendering(window: KioskWindow) -> None:
    shown = look(window, None)
    assert shown.screen == "home"
    own = window.grab().toImage()
    assert _same(blanked(window), own)
    assert _same(_picture(shown), own)  # the PNG sent is that picture


def _fill(form: RequestScreen, text: dict[str, str]) -> None:
    form.name_edit.setText(text["name"])
    form.phone_edit.setText(text["phone"])
    form.email_edit.setText(text["email"])
    form.message_edit.setPlainText(text["message"])


def _form_at(qtbot: QtBot, window: KioskWindow, step: int, text: dict[str, str]) -> RequestScreen:
    """The form at ``step`` with ``text`` in its fields (a call asked for: the phone's
    field shows), the keyboard open on step 1's name."""
    form = window.request
    form.wipe()
    window.show_request()
    form.methods.set_value("call")
    form.consent.setChecked(True)
    _fill(form, text)
    form.go_to(step)
    if step == 0:
        tap(qtbot, form.name_edit)
        assert form.keyboard is not None and form.keyboard.isVisible()
    qtbot.wait(50)  # the scroll bar's gutter follows the new height on the next pass
    return form


EMPTY = dict.fromkeys(CANARY, "")


#: Other text, a line in each field as the canary's: the check page says back what was
#: typed, and an empty answer there is a line shorter (a layout, not a canary's pixels).
OTHER = {
    "name": "Ann Other",
    "phone": "8015550123",
    "email": "ann@example.com",
    "message": "Hello there",
}


@pytest.mark.parametrize("step", range(CHECK_STEP + 1))
def test_every_step_of_the_form_blanks_to_the_same_pixels_with_and_without_a_canary(
    qtbot: QtBot, window: KioskWindow, step: int
) -> None:
    pictures = {}
    for name, text in (("empty", EMPTY), ("other", OTHER), ("canary", CANARY)):
        _form_at(qtbot, window, step, text)
        pictures[name] = (blanked(window), window.grab().toImage())
    canary, canary_bare = pictures["canary"]
    # The canary is on screen (the test can fail): unblanked, the pictures differ.
    assert not _same(canary_bare, pictures["other"][1])
    assert _same(canary, pictures["other"][0])
    if step != CHECK_STEP:
        assert not _same(canary_bare, pictures["empty"][1])
        assert _same(canary, pictures["empty"][0])
    # And the bars are there.
    grid = {canary.pixel(x, y) for x in range(0, 1280, 8) for y in range(0, 800, 8)}
    assert BAR.rgb() in grid


def test_the_thank_you_blanks_to_the_same_pixels_whatever_was_sent(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, config: Config
) -> None:
    """The thank-you says the patient's number back: barred, the same for any number."""
    window = make_window(store=store, cfg=replace(config, thank_you_seconds=60))
    pictures = []
    # A first thank-you, not compared: the tick's large glyph is drawn a shade
    # differently on its edges the first time (whatever the words).
    for text in (OTHER, CANARY, OTHER):
        window.reset()  # each from a new patient's kiosk: the focus where a reset leaves it
        form = _form_at(qtbot, window, CHECK_STEP, text)
        form.send()
        assert form.views.currentWidget() is form.thanks_view
        assert "(801)" in form.thanks_text.text()
        # Where the focus lands after Send is not the test's concern: on the window.
        window.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.wait(50)
        pictures.append((blanked(window), window.grab().toImage()))
    (first, first_bare), (second, second_bare) = pictures[1:]
    assert not _same(first_bare, second_bare)
    assert _same(first, second)


def test_typing_in_the_form_gives_no_picture_only_the_screens_name(
    qtbot: QtBot, window: KioskWindow
) -> None:
    tap(qtbot, find_button(window, "Request information"))
    form = window.request
    assert look(window, None) == Look("request form, step 1 of 4", look(window, None).picture)
    assert look(window, None).picture is not None  # nothing typed yet: a picture
    tap(qtbot, form.name_edit)
    assert form.keyboard is not None
    type_by_taps(qtbot, form.keyboard, "Zeb")
    assert look(window, None) == Look(
        "request form, step 1 of 4 (a patient is typing: no picture)", None
    )
    tap(qtbot, form.keyboard.key("Next"))  # step 2: the name typed on step 1 still counts
    assert look(window, None) == Look(
        "request form, step 2 of 4 (a patient is typing: no picture)", None
    )
    window.show_crisis()  # crisis help over the form: still no picture
    assert look(window, None) == Look(
        "request form, step 2 of 4, with crisis help open (a patient is typing: no picture)",
        None,
    )


def test_a_page_and_an_overlay_are_named(window: KioskWindow) -> None:
    topic = window.library.topics[0]
    window.show_page(topic.pages[0].key)
    assert look(window, None).screen == f"page: {topic.pages[0].title}"
    window.show_display()
    assert look(window, None).screen == (
        f"page: {topic.pages[0].title}, with text size and contrast open"
    )


def test_the_sender_thread_gets_the_look_from_the_gui_thread(
    qtbot: QtBot, window: KioskWindow
) -> None:
    remote = RemoteLook(window, lambda: None)
    taken: list[Look | None] = []
    worker = threading.Thread(target=lambda: taken.append(remote.take(timeout_s=10)))
    worker.start()
    qtbot.waitUntil(lambda: bool(taken), timeout=10_000)  # the GUI thread answers meanwhile
    worker.join()
    assert taken[0] is not None and taken[0].screen == "home"
    assert _same(_picture(taken[0]), window.grab().toImage())
    # No GUI thread to answer (the loop not running): None after the wait, no hang.
    assert remote.take(timeout_s=0.1) is None
