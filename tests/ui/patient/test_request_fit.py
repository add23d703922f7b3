"""The request form and its thank-you fit the screen at every size, text size
and language: a mistake is scrolled into view with its message, clear of the
bar; a long email address wraps and is never cut; the thank-you's Done is on
screen and its phone number on one line; step 1 opens with its name box in
view. On a real window, by taps."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.enquiries.store import EnquiryStore
from kiosk.ui.i18n import strings
from kiosk.ui.patient.request import RequestScreen
from kiosk.ui.widgets import BREAK
from kiosk.ui.window import KioskWindow
from tests.conftest import SCREEN_SIZES, MakeWindow
from tests.ui.helpers import find_button, tap

LONG_EMAIL = "margarita.hernandez.gonzalez@example.com"
SIZES = [pytest.param(size, id=f"{size[0]}x{size[1]}") for size in SCREEN_SIZES]


def _window(
    make_window: MakeWindow,
    store: EnquiryStore,
    size: tuple[int, int],
    text_size: str = "largest",
    language: str = "es",
) -> KioskWindow:
    window = make_window(size, store=store)
    window.set_language(language)
    window.set_text_size(text_size)
    return window


def _open(qtbot: QtBot, window: KioskWindow) -> RequestScreen:
    tap(qtbot, find_button(window, strings.REQUEST_INFO))
    assert window.current_screen == "request"
    QApplication.processEvents()
    return window.request


def _on_screen(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _in_view(form: RequestScreen, widget: QWidget) -> bool:
    """Wholly inside the visible part of the scrolling form (so above the bar)."""
    viewport = form.scroll_area.viewport()
    seen = QRect(viewport.mapTo(form, QPoint(0, 0)), viewport.size())
    return seen.contains(_on_screen(form, widget))


def _scrolled_to_end(form: RequestScreen) -> None:
    """Where a patient who read to the end of the step left it."""
    bar = form.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()


def _assert_mistake_in_view(qtbot: QtBot, form: RequestScreen, key: str) -> None:
    field = form.fields[key]
    assert field.error.isVisible() and field.error.text()
    for widget in (field.label, field.control, field.error):
        if widget.isVisible():  # the consent box says its own words
            assert _in_view(form, widget), (key, widget.objectName())
    bar_top = _on_screen(form, form.bottom).top()
    assert _on_screen(form, field).bottom() < bar_top
    qtbot.wait(20)  # the second pass (after the layout settles) keeps it there
    assert _in_view(form, field.error) and _in_view(form, field.control)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("text_size", ["default", "large", "largest"])
def test_continue_on_an_empty_name_shows_the_box_and_its_message(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, text_size: str, language: str
) -> None:
    window = _window(make_window, store, (1280, 800), text_size, language)
    form = _open(qtbot, window)
    _scrolled_to_end(form)
    tap(qtbot, form.continue_button)
    assert form.step == 0
    _assert_mistake_in_view(qtbot, form, "name")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("text_size", ["default", "largest"])
def test_the_check_step_opens_with_the_consent_box_in_view(
    qtbot: QtBot,
    make_window: MakeWindow,
    store: EnquiryStore,
    size: tuple[int, int],
    language: str,
    text_size: str,
) -> None:
    """Arriving at "Check your answers" with every step filled in, the box Send
    needs ticked is on screen without scrolling: below the answers, it was out
    of sight at every size, and each patient's first Send came back with
    "1 thing to fix"."""
    window = _window(make_window, store, size, text_size, language)
    form = _open(qtbot, window)
    _fill(form)
    form.consent.setChecked(False)  # as a patient arrives: not yet ticked
    form.message_edit.setPlainText("¿Cuánto dura cada sesión? " * 12)
    for _step in range(3):
        tap(qtbot, form.continue_button)
    assert form.step == 3
    QApplication.processEvents()
    assert form.scroll_area.verticalScrollBar().value() == 0
    assert _in_view(form, form.consent)
    tap(qtbot, form.consent)
    assert form.consent.isChecked()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("text_size", ["default", "largest"])
def test_continue_with_a_bad_phone_shows_the_box_and_its_message(
    qtbot: QtBot,
    make_window: MakeWindow,
    store: EnquiryStore,
    size: tuple[int, int],
    text_size: str,
) -> None:
    window = _window(make_window, store, size, text_size)
    form = _open(qtbot, window)
    form.name_edit.setText("Ana López")
    tap(qtbot, form.continue_button)
    assert form.step == 1
    tap(qtbot, form.methods.button_for("text"))
    form.phone_edit.setText("12")
    form.scroll_area.verticalScrollBar().setValue(0)  # scrolled back up to the choices
    tap(qtbot, form.continue_button)
    assert form.step == 1
    _assert_mistake_in_view(qtbot, form, "phone")


def test_send_with_mistakes_shows_the_first_one_on_its_step(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore
) -> None:
    window = _window(make_window, store, (1280, 800))
    form = _open(qtbot, window)
    form.name_edit.setText("Ana López")
    form.methods.set_value("email")
    form.email_edit.setText(LONG_EMAIL)
    form.go_to(3)
    _scrolled_to_end(form)
    tap(qtbot, form.send_button)  # consent not given
    assert form.views.currentWidget() is form.form_view and form.step == 3
    _assert_mistake_in_view(qtbot, form, "consent")
    form.name_edit.setText("")
    form.consent.setChecked(True)
    _scrolled_to_end(form)
    tap(qtbot, form.send_button)  # the name gone: back to step 1, at the name
    assert form.step == 0
    _assert_mistake_in_view(qtbot, form, "name")


def _lines(label: QLabel) -> list[str]:
    """The lines ``label`` shows its text on, laid out as Qt lays out a
    word-wrapped label of its width."""
    layout = QTextLayout(label.text(), label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    width = label.contentsRect().width()
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(line)
    layout.endLayout()
    text = label.text()
    return [text[line.textStart() : line.textStart() + line.textLength()] for line in lines]


def _fits(window: QWidget, label: QLabel) -> None:
    """Every line no wider than the label, the label tall enough for them, and
    wholly inside the window."""
    width = label.contentsRect().width()
    metrics = label.fontMetrics()
    for line in _lines(label):
        assert metrics.horizontalAdvance(line.rstrip()) <= width, (line, width)
    assert label.height() >= label.heightForWidth(label.width()), label.text()
    assert QRect(window.rect()).contains(_on_screen(window, label)), label.text()


def _fill(form: RequestScreen, method: str = "email") -> None:
    form.name_edit.setText("Margarita Hernández González")
    form.methods.set_value(method)
    form.email_edit.setText(LONG_EMAIL)
    form.phone_edit.setText("8015550100")
    form.consent.setChecked(True)


@pytest.mark.parametrize("size", SIZES)
def test_a_long_email_address_wraps_and_is_never_cut(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, size: tuple[int, int]
) -> None:
    window = _window(make_window, store, size)
    form = _open(qtbot, window)
    _fill(form)
    form.go_to(3)
    answer = form.answers["method"].answer
    form.scroll_area.ensureWidgetVisible(answer)
    QApplication.processEvents()
    assert answer.text().replace(BREAK, "").endswith(LONG_EMAIL)
    _fits(window, answer)
    tap(qtbot, form.send_button)
    assert form.views.currentWidget() is form.thanks_view
    QApplication.processEvents()
    said = form.thanks_text
    assert LONG_EMAIL in said.text().replace(BREAK, "")
    _fits(window, said)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("text_size", ["default", "large", "largest"])
def test_the_thank_you_fits_with_done_on_screen_and_the_number_on_one_line(
    qtbot: QtBot,
    make_window: MakeWindow,
    store: EnquiryStore,
    size: tuple[int, int],
    language: str,
    text_size: str,
) -> None:
    window = _window(make_window, store, size, text_size, language)
    form = _open(qtbot, window)
    _fill(form, "text")
    form.go_to(3)
    tap(qtbot, form.send_button)
    assert form.views.currentWidget() is form.thanks_view
    QApplication.processEvents()
    done = form.done_button
    assert QRect(window.rect()).contains(_on_screen(window, done))
    viewport = form.thanks_view.viewport()
    assert QRect(viewport.rect()).contains(_on_screen(viewport, done))
    number = [line for line in _lines(form.thanks_text) if "555" in line]
    assert len(number) == 1 and "(801)" in number[0], _lines(form.thanks_text)
    for label in (form.thanks_title, form.thanks_text, form.thanks_when, form.thanks_back):
        _fits(window, label)
    tap(qtbot, done)


def test_the_tick_shrinks_only_while_it_must(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore
) -> None:
    window = _window(make_window, store, (1280, 800), "largest", "es")
    form = _open(qtbot, window)
    _fill(form, "text")
    form.go_to(3)
    tap(qtbot, form.send_button)
    tick = form.thanks_tick
    assert tick.styleSheet() or tick.isHidden(), "at Largest on 1280x800 the tick gives way"
    shrunk = QFontMetrics(tick.font()).height() if tick.isVisible() else 0
    window.set_text_size("default")  # the patient's "Aa" while the thank-you shows
    qtbot.waitUntil(lambda: not tick.styleSheet() and tick.isVisible())
    assert QFontMetrics(tick.font()).height() > shrunk
    window.resize(800, 1280)  # and room to spare: it stays at its full size
    qtbot.wait(20)
    assert not tick.styleSheet() and tick.isVisible()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("text_size", ["default", "large", "largest"])
def test_step_one_opens_with_the_privacy_line_and_the_name_box_in_view(
    qtbot: QtBot,
    make_window: MakeWindow,
    store: EnquiryStore,
    size: tuple[int, int],
    language: str,
    text_size: str,
) -> None:
    window = _window(make_window, store, size, text_size, language)
    form = _open(qtbot, window)
    name = form.fields["name"]
    assert _in_view(form, name.label) and _in_view(form, form.name_edit)
    privacy = form.findChild(QLabel, "privacyNote")
    assert privacy is not None and _in_view(form, privacy)
    # Before the first field, as the patient reads.
    assert _on_screen(form, privacy).bottom() < _on_screen(form, name).top()
