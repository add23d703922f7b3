"""The request form, used the way a patient uses it: by tapping, on a real
window, saving to a real (encrypted) SQLite store."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, NoReturn

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.content import Library
from kiosk.enquiries import form as enquiry
from kiosk.enquiries.keys import KeyRing
from kiosk.enquiries.store import EnquiryStore, Saved, StoreError, open_personal
from kiosk.ui.i18n import strings
from kiosk.ui.patient.keyboard import KeyboardKind, OnScreenKeyboard
from kiosk.ui.patient.request import RequestScreen
from kiosk.ui.widgets import BREAK
from kiosk.ui.window import KioskWindow
from tests.conftest import SCREEN_SIZES, MakeWindow, examples
from tests.ui.helpers import find_button, swipe, tap

NAME = "Ana López"
NO_BREAK_SPACE = "\u00a0"


def type_by_taps(qtbot: QtBot, keyboard: OnScreenKeyboard, text: str) -> None:
    """Type ``text`` by tapping the on-screen keys, switching pages as a person would."""
    for ch in text:
        label = "Space" if ch == " " else ch
        for switch in (None, "Shift", "123", "ABC", "Shift", "áé", "Shift"):
            if switch is not None:
                try:
                    tap(qtbot, keyboard.key(switch))
                except LookupError:
                    continue
            try:
                key = keyboard.key(label)
            except LookupError:
                continue
            if key.isVisible():
                tap(qtbot, key)
                break
        else:
            raise AssertionError(f"no key for {ch!r}")


def open_form(qtbot: QtBot, window: KioskWindow) -> RequestScreen:
    tap(qtbot, find_button(window, strings.REQUEST_INFO))
    assert window.current_screen == "request"
    return window.request


def fill_by_taps(
    qtbot: QtBot, form: RequestScreen, name: str = NAME, phone: str = "8015550100"
) -> None:
    """Every step as a patient goes through it, to the check page with consent ticked."""
    assert form.keyboard is not None
    assert form.step == 0
    tap(qtbot, form.name_edit)
    assert form.keyboard.isVisible() and form.keyboard.kind() is KeyboardKind.NAME
    type_by_taps(qtbot, form.keyboard, name)
    tap(qtbot, form.keyboard.key("Next"))  # the last box of the step: Continue
    assert form.step == 1 and not form.keyboard.isVisible()
    assert not form.phone_edit.isVisible()  # asked for once a choice needs it
    tap(qtbot, form.methods.button_for("call"))
    tap(qtbot, form.phone_edit)
    assert form.keyboard.kind() is KeyboardKind.PHONE
    type_by_taps(qtbot, form.keyboard, phone)
    tap(qtbot, form.keyboard.key("Done"))
    assert not form.keyboard.isVisible()
    tap(qtbot, form.continue_button)
    assert form.step == 2
    tap(qtbot, form.continue_button)
    assert form.step == 3
    tap(qtbot, form.consent)


@pytest.fixture
def window(make_window: MakeWindow, store: EnquiryStore) -> KioskWindow:
    return make_window(store=store)


def test_reached_from_home_and_from_every_page_with_the_topic_chosen(
    qtbot: QtBot, window: KioskWindow, shipped_library: Library
) -> None:
    form = open_form(qtbot, window)
    assert form.topics.value() == "_other"  # from home: no topic yet
    topic = shipped_library.topics[0]
    asked_in_text = 0
    for page in topic.pages:
        window.show_page(page.key)
        # The top bar's button, on every page (a page's last lines carry their own too).
        tap(qtbot, find_button(window.bar, strings.REQUEST_INFO))
        assert window.current_screen == "request"
        assert form.topics.value() == topic.topic_id
        assert form.topics.button_for(topic.topic_id).isChecked()
        # Each button in the page's text ([[request]], the end of the page) does the same.
        for index in range(len(window.page.body.slot_rows())):
            window.show_page(page.key)
            body = window.page.body
            row = body.slot_rows()[index]
            bar = body.verticalScrollBar()
            bar.setValue(bar.value() + row.y())  # scrolled up to it, as a reader would
            QApplication.processEvents()
            tap(qtbot, row.buttons[0])
            assert window.current_screen == "request"
            assert form.topics.value() == topic.topic_id
            asked_in_text += 1
    assert asked_in_text >= 2  # a [[request]] line, and the last page's own at its end


def test_a_request_typed_on_the_keyboard_is_saved_sealed_and_thanked(
    qtbot: QtBot,
    make_window: MakeWindow,
    store: EnquiryStore,
    keyring: tuple[KeyRing, str],
    config: Config,
) -> None:
    window = make_window(store=store, cfg=replace(config, thank_you_seconds=1))
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    assert form.name_edit.text() == NAME
    tap(qtbot, find_button(window, strings.SEND))
    # Thanked only once it is on disk: read with a separate connection.
    assert form.views.currentWidget() is form.thanks_view
    assert form.thanks_text.text() == f"We will call you at (801){NO_BREAK_SPACE}555-0100."
    with sqlite3.connect(store.path) as other:
        assert other.execute("SELECT count(*) FROM enquiries").fetchone() == (1,)
    ring, code = keyring
    stored = store.enquiries()[0]
    assert stored.topic == ""
    assert open_personal(ring.unlock(code), stored) == {
        "name": NAME,
        "phone": "+18015550100",
        "email": "",
        "method": "call",
        "best_time": "any",
        "message": "",
    }
    # A few seconds later: home, and the form wiped.
    qtbot.waitUntil(lambda: window.current_screen == "home", timeout=6000)
    assert form.name_edit.text() == "" and form.views.currentWidget() is form.form_view


@pytest.mark.parametrize(
    ("language", "own", "said"),
    [
        ("en", None, "You can expect to hear from us within one working day."),
        ("es", None, "Tendrá noticias nuestras en un plazo de un día laborable."),
        # A clinic's own words are shown as written, whatever the language.
        ("es", "by Friday", "Tendrá noticias nuestras by Friday."),
    ],
)
def test_the_thank_you_says_when_in_the_patients_language(
    qtbot: QtBot,
    make_window: MakeWindow,
    store: EnquiryStore,
    config: Config,
    language: str,
    own: str | None,
    said: str,
) -> None:
    cfg = config if own is None else replace(config, reply_time=own)
    window = make_window(store=store, cfg=cfg)
    window.set_language(language)
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    tap(qtbot, form.send_button)
    assert form.views.currentWidget() is form.thanks_view
    assert form.thanks_when.text() == said


def test_saved_is_said_once_when_the_request_is_on_disk(
    qtbot: QtBot, window: KioskWindow, store: EnquiryStore
) -> None:
    """The window's ``request_saved`` (the office link sends at once on it): after
    the commit, once; a second tap on Send for the same request is no new request."""
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    said: list[int] = []
    window.request_saved.connect(lambda: said.append(len(store.enquiries())))
    tap(qtbot, form.send_button)
    assert said == [1]  # emitted after the row was on disk
    form.send()  # the same form key again: already saved
    assert said == [1]


def _messages(form: RequestScreen) -> dict[str, str]:
    return {k: f.error.text() for k, f in form.fields.items() if f.error.isVisible()}


def test_mistakes_are_explained_in_words_next_to_their_fields(
    qtbot: QtBot, window: KioskWindow, store: EnquiryStore
) -> None:
    form = open_form(qtbot, window)
    tap(qtbot, find_button(window, strings.CONTINUE))
    assert form.step == 0 and _messages(form) == {"name": enquiry.NAME_MISSING}
    assert form.name_edit.accessibleDescription() == enquiry.NAME_MISSING
    assert form.fix_count.text() == "1 thing to fix"
    form.name_edit.setText("Ana")
    tap(qtbot, find_button(window, strings.CONTINUE))
    tap(qtbot, find_button(window, strings.CONTINUE))
    assert form.step == 1 and _messages(form) == {"method": enquiry.METHOD_MISSING}
    tap(qtbot, form.methods.button_for("text"))
    tap(qtbot, find_button(window, strings.CONTINUE))
    assert _messages(form) == {"phone": enquiry.METHOD_NEEDS_PHONE}  # under the box to fill
    form.methods.set_value("email")
    tap(qtbot, find_button(window, strings.CONTINUE))
    assert _messages(form) == {"email": enquiry.METHOD_NEEDS_EMAIL}
    form.email_edit.setText("ana@example.com")
    tap(qtbot, find_button(window, strings.CONTINUE))
    tap(qtbot, find_button(window, strings.CONTINUE))
    assert form.step == 3
    tap(qtbot, find_button(window, strings.SEND))
    assert _messages(form) == {"consent": enquiry.CONSENT_MISSING}
    assert store.count() == 0


def test_a_fixed_message_goes_at_once(qtbot: QtBot, window: KioskWindow) -> None:
    """The moment its cause is fixed, before any Continue or Send: the message,
    its red border, its line in the bar; the bar counts what is left."""
    form = open_form(qtbot, window)
    assert form.keyboard is not None
    form.send()  # from the first step: every mistake of the form at once
    assert form.step == 0
    assert form.shown_problems() == {
        "name": enquiry.NAME_MISSING,
        "method": enquiry.METHOD_MISSING,
        "consent": enquiry.CONSENT_MISSING,
    }
    assert form.fix_count.isVisible() and form.fix_count.text() == "3 things to fix"
    assert form.name_edit.property("invalid") is True
    tap(qtbot, form.name_edit)
    type_by_taps(qtbot, form.keyboard, "A")
    assert not form.fields["name"].error.isVisible()
    assert form.name_edit.property("invalid") is False
    assert not form.fix_items["name"].isVisibleTo(form)
    tap(qtbot, form.keyboard.key("Done"))
    assert form.fix_count.text() == "2 things to fix"
    # Each item of the bar goes to its field: here, the choices' step.
    tap(qtbot, find_button(window, strings.FIELD_METHOD))
    assert form.step == 1 and form.fields["method"].error.isVisible()
    tap(qtbot, form.methods.button_for("text"))  # the message said "choose": chosen
    assert not form.fields["method"].error.isVisible()
    assert form.fix_count.text() == "1 thing to fix"
    tap(qtbot, find_button(window, strings.FIX_CONSENT))
    assert form.step == 3 and form.fields["consent"].error.isVisible()
    tap(qtbot, form.consent)
    assert not form.fields["consent"].error.isVisible()
    assert not form.fix_count.isVisible() and form.shown_problems() == {}
    # A message that changes (a number begun, not finished) says the new problem.
    form.change("method")
    tap(qtbot, form.continue_button)
    assert form.fields["phone"].error.text() == enquiry.METHOD_NEEDS_PHONE
    form.phone_edit.setText("801")
    assert form.fields["phone"].error.text() == enquiry.PHONE_BAD
    form.phone_edit.setText("801 555 0100")
    assert not form.fields["phone"].error.isVisible() and not form.fix_count.isVisible()


def test_contact_choices_are_never_greyed_and_ask_only_what_they_need(
    qtbot: QtBot, window: KioskWindow
) -> None:
    form = open_form(qtbot, window)
    form.name_edit.setText("Ana")
    tap(qtbot, form.continue_button)
    call, text, email = (form.methods.button_for(m) for m in ("call", "text", "email"))
    assert all(b.isEnabled() and not b.isChecked() for b in (call, text, email))
    assert not form.phone_edit.isVisible() and not form.email_edit.isVisible()
    tap(qtbot, email)
    assert form.email_edit.isVisible() and not form.phone_edit.isVisible()
    form.email_edit.setText("ana@example.com")
    tap(qtbot, text)
    assert form.phone_edit.isVisible() and not form.email_edit.isVisible()
    form.phone_edit.setText("8015550100")
    # The detail not asked for is kept (a change of mind loses nothing) but not sent.
    assert form.email_edit.text() == "ana@example.com"
    assert form.form_input().email == "" and form.form_input().phone == "8015550100"
    tap(qtbot, email)
    assert form.email_edit.text() == "ana@example.com" and form.form_input().phone == ""


def test_back_keeps_what_was_typed_and_the_check_page_says_it_back(
    qtbot: QtBot, window: KioskWindow
) -> None:
    form = open_form(qtbot, window)
    assert form.keyboard is not None
    fill_by_taps(qtbot, form)
    assert form.step_label.text() == "Step 4 of 4"
    answers = {key: row.answer.text() for key, row in form.answers.items()}
    assert answers == {
        "name": NAME,
        # As the clinic's region writes a number, kept on one line.
        "method": f"Call: (801){NO_BREAK_SPACE}555-0100",
        "best_time": "Any time",
        "topic": strings.TOPIC_OTHER,
        "message": strings.NO_MESSAGE,
    }
    for step in (2, 1, 0):
        tap(qtbot, find_button(window, strings.BACK))
        assert form.step == step and form.step_label.text() == f"Step {step + 1} of 4"
    assert form.name_edit.text() == NAME and form.phone_edit.text() == "8015550100"
    assert form.methods.value() == "call" and form.consent.isChecked()
    # Change: that question, then Continue goes straight back to the check page.
    for _ in range(3):
        tap(qtbot, form.continue_button)
    assert form.step == 3
    tap(qtbot, form.answers["message"].change)
    assert form.step == 2 and QApplication.focusWidget() is form.message_edit
    type_by_taps(qtbot, form.keyboard, "Hi")
    tap(qtbot, form.keyboard.key("Done"))
    tap(qtbot, form.continue_button)
    assert form.step == 3 and form.answers["message"].answer.text() == "Hi"
    tap(qtbot, form.answers["name"].change)
    tap(qtbot, form.keyboard.key("Next"))
    assert form.step == 3  # straight back, not through the steps between


def test_the_message_counts_its_characters(qtbot: QtBot, window: KioskWindow) -> None:
    form = open_form(qtbot, window)
    form.message_edit.setPlainText("x" * 12)
    assert form.count_label.text() == "12 of 500 characters"
    form.message_edit.setPlainText("x" * 510)
    assert form.count_label.text() == "510 of 500 characters: 10 too many"


def test_a_double_tap_or_a_retry_saves_one_enquiry(
    qtbot: QtBot, window: KioskWindow, store: EnquiryStore
) -> None:
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    send = find_button(window, strings.SEND)
    qtbot.mouseDClick(send, Qt.MouseButton.LeftButton)
    form.send()  # and once more, as a retry would
    assert store.count() == 1
    # The same form key saved again (a retry after a lost answer) adds nothing.
    assert store.save(form.form_key, "", {"name": "x"}).new is False
    assert store.count() == 1


def _assert_failure_keeps_typing(qtbot: QtBot, window: KioskWindow, form: RequestScreen) -> None:
    tap(qtbot, find_button(window, strings.SEND))
    assert form.notice.isVisible() and form.notice.text() == strings.SAVE_FAILED
    assert form.views.currentWidget() is form.form_view and form.step == 3
    assert form.name_edit.text() == NAME  # the patient's typing is still there
    assert form.consent.isChecked()


def test_a_locked_database_says_so_keeps_the_typing_and_the_next_save_works(
    qtbot: QtBot, window: KioskWindow, store: EnquiryStore
) -> None:
    store.save(uuid.uuid4().hex, "", {"name": "earlier"})
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    blocker = sqlite3.connect(store.path, timeout=0, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        _assert_failure_keeps_typing(qtbot, window, form)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    tap(qtbot, find_button(window, strings.SEND))
    assert form.views.currentWidget() is form.thanks_view
    assert store.count() == 2  # the earlier one is still there, and one more


def test_a_database_deleted_under_the_kiosk_still_gets_the_thanked_enquiry(
    qtbot: QtBot, window: KioskWindow, store: EnquiryStore
) -> None:
    """An admin (or a sync tool) deletes the database while the kiosk runs: the
    patient who is thanked has their enquiry in a file at the kiosk's path, and
    the earlier ones are kept beside it (kiosk.enquiries.store)."""
    store.save(uuid.uuid4().hex, "", {"name": "earlier"})
    for suffix in ("", "-wal", "-shm"):
        store.path.with_name(store.path.name + suffix).unlink(missing_ok=True)
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    tap(qtbot, find_button(window, strings.SEND))
    assert form.views.currentWidget() is form.thanks_view
    with sqlite3.connect(store.path) as on_disk:
        assert on_disk.execute("SELECT count(*) FROM enquiries").fetchone() == (1,)
    on_disk.close()
    assert len(list(store.path.parent.glob(store.path.name + ".rescued-*"))) == 1


@pytest.mark.parametrize(
    "fault", [StoreError("full", "disk full"), RuntimeError("boom"), OSError(28, "No space")]
)
def test_any_fault_while_saving_says_so_and_keeps_the_typing(
    qtbot: QtBot,
    window: KioskWindow,
    store: EnquiryStore,
    monkeypatch: pytest.MonkeyPatch,
    fault: Exception,
) -> None:
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    real_save = store.save

    def failing(*args: object, **kwargs: object) -> NoReturn:
        raise fault

    monkeypatch.setattr(store, "save", failing)
    _assert_failure_keeps_typing(qtbot, window, form)
    monkeypatch.setattr(store, "save", real_save)
    tap(qtbot, find_button(window, strings.SEND))
    assert form.views.currentWidget() is form.thanks_view
    assert store.count() == 1


def test_without_a_store_the_form_says_it_cannot_save(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window(store=None)
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    tap(qtbot, find_button(window, strings.SEND))
    assert form.notice.text() == strings.SAVE_FAILED


def _everything_said(widget: QWidget) -> list[str]:
    texts = [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip()]
    if isinstance(widget, QLineEdit):
        texts.append(widget.text())
    if isinstance(widget, QPlainTextEdit):
        texts.append(widget.toPlainText())
    if isinstance(widget, QLabel | QAbstractButton):
        texts.append(widget.text())
    return texts


def _assert_nothing_remembers(window: KioskWindow, form: RequestScreen, *secrets: str) -> None:
    assert form.keyboard is not None
    for widget in [window, *window.findChildren(QWidget)]:
        said = [*_everything_said(widget), widget.whatsThis(), widget.statusTip()]
        # As read: without the places a long word may break, a number's
        # no-break spaces as spaces (else a secret would hide behind them).
        said = [text.replace(BREAK, "").replace(NO_BREAK_SPACE, " ") for text in said]
        for secret in secrets:
            assert not any(secret in t for t in said), (secret, widget.objectName())
        if isinstance(widget, QLineEdit):
            assert not widget.isUndoAvailable() and not widget.isRedoAvailable()
            assert widget.text() == ""
        if isinstance(widget, QPlainTextEdit):
            assert not widget.document().isUndoAvailable()
            assert not widget.document().isRedoAvailable()
    assert form.methods.value() == "" and not form.consent.isChecked()
    assert form.keyboard.target() is None and form.keyboard.kind() is KeyboardKind.TEXT
    assert not form.keyboard.isVisible()
    for page in form.keyboard._pages.values():  # the hidden pages too
        for key in page.keys:
            if key.label_text() == "Shift":
                assert not key.isChecked()
            elif len(key.label_text()) == 1 and key.label_text().isalpha():
                assert key.label_text().islower() or not key.label_text().isascii()
    clipboard = QGuiApplication.clipboard()
    for secret in secrets:
        assert secret not in clipboard.text()
        if clipboard.supportsSelection():
            assert secret not in clipboard.text(QClipboard.Mode.Selection)
    assert not any(f.error.isVisible() for f in form.fields.values())


SECRETS = {"name": "Zyxwvu Qrst", "phone": "8015550177", "email": "qwzx@example.com"}
MESSAGE_SECRET = "Plorkish"


def _fill_every_field(qtbot: QtBot, form: RequestScreen) -> None:
    assert form.keyboard is not None
    fill_by_taps(qtbot, form, name=SECRETS["name"], phone=SECRETS["phone"])
    tap(qtbot, form.answers["method"].change)  # a change of mind: an email too
    tap(qtbot, form.methods.button_for("email"))
    tap(qtbot, form.email_edit)
    type_by_taps(qtbot, form.keyboard, SECRETS["email"])
    tap(qtbot, form.keyboard.key("Next"))
    shown = form.answers["method"].answer.text().replace(BREAK, "")
    assert form.step == 3 and SECRETS["email"] in shown
    tap(qtbot, form.answers["message"].change)
    type_by_taps(qtbot, form.keyboard, f"Call me {MESSAGE_SECRET}")
    tap(qtbot, form.keyboard.key("Delete"))  # an undo history with a deletion in it
    form.name_edit.selectAll()
    form.name_edit.copy()  # a physical keyboard's Ctrl+C
    form.email_edit.selectAll()  # the X selection holds it too
    form.go_to(0)
    form.name_edit.setFocus()
    tap(qtbot, form.keyboard.key("Shift"))  # leaves the NAME page in capitals
    assert form.keyboard.key("Q").isChecked() is False  # capital labels showing


@pytest.mark.parametrize("how", ["idle expiry", "reset"])
def test_the_idle_reset_forgets_every_keystroke(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, how: str
) -> None:
    window = make_window(store=store, idle_ms=400, countdown_s=1, tick_ms=50)
    form = open_form(qtbot, window)
    _fill_every_field(qtbot, form)
    assert form.name_edit.isUndoAvailable()  # the walk below can fail
    if how == "reset":
        window.reset()
    else:
        qtbot.waitUntil(lambda: window.current_screen == "home", timeout=5000)
    _assert_nothing_remembers(window, form, *SECRETS.values(), "801) 555", MESSAGE_SECRET[:-1])
    assert window.current_screen == "home"
    assert form.step == 0 and all(not row.answer.text() for row in form.answers.values())


def test_the_thank_you_timeout_forgets_every_keystroke(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, config: Config
) -> None:
    window = make_window(store=store, cfg=replace(config, thank_you_seconds=1))
    form = open_form(qtbot, window)
    assert form.keyboard is not None
    _fill_every_field(qtbot, form)
    tap(qtbot, form.keyboard.key("Done"))
    form.go_to(3)
    tap(qtbot, find_button(window, strings.SEND))
    assert form.views.currentWidget() is form.thanks_view
    qtbot.waitUntil(lambda: window.current_screen == "home", timeout=6000)
    _assert_nothing_remembers(window, form, *SECRETS.values(), MESSAGE_SECRET[:-1])
    # A next patient gets a new form key: their request is a new enquiry.
    form2 = open_form(qtbot, window)
    fill_by_taps(qtbot, form2, name="Bea")
    tap(qtbot, find_button(window, strings.SEND))
    assert store.count() == 2


#: Each box to type in, and the step it is on.
TEXT_BOXES = (("name_edit", 0), ("phone_edit", 1), ("email_edit", 1), ("message_edit", 2))


def _go_to_box(form: RequestScreen, attr: str, step: int) -> QWidget:
    form.methods.set_value("email" if attr == "email_edit" else "text")
    form.go_to(step)
    edit: QWidget = getattr(form, attr)
    return edit


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_focused_field_stays_in_view_above_the_keyboard(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, size: tuple[int, int]
) -> None:
    window = make_window(size, store=store)
    form = open_form(qtbot, window)
    assert form.keyboard is not None
    viewport = form.scroll_area.viewport()
    for attr, step in TEXT_BOXES:
        edit = _go_to_box(form, attr, step)
        edit.setFocus()  # as a tap on it, or the keyboard's Next, would
        # (mypy cannot infer a lambda with a default argument)
        qtbot.waitUntil(lambda e=edit: _inside(viewport, e))  # type: ignore[misc]
        keyboard_top = form.keyboard.mapTo(window, form.keyboard.rect().topLeft()).y()
        bottom = edit.mapTo(window, edit.rect().bottomLeft()).y()
        assert form.keyboard.isVisible() and bottom < keyboard_top
        for key in form.keyboard.findChildren(QAbstractButton):
            if key.isVisible():
                assert key.width() >= 48 and key.height() >= 48, key.text()


def _inside(viewport: QWidget, widget: QWidget) -> bool:
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    return QRect(viewport.rect()).contains(QRect(top_left, widget.size()))


def test_the_system_keyboard_setting_leaves_the_built_in_one_out(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, config: Config
) -> None:
    window = make_window(store=store, cfg=replace(config, keyboard="system"))
    form = open_form(qtbot, window)
    tap(qtbot, form.name_edit)
    assert form.keyboard is None
    assert not window.findChildren(OnScreenKeyboard)
    assert form.name_edit.hasFocus() and form.continue_button.isVisible()


def _field_in_view(form: RequestScreen, edit: QWidget) -> bool:
    """The whole field (label, box and any message) inside the visible form."""
    field = next(f for f in form.fields.values() if f.control is edit)
    return _inside(form.scroll_area.viewport(), field)


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_typing_keeps_the_field_in_view_with_messages_showing(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, size: tuple[int, int]
) -> None:
    window = make_window(size, store=store)
    form = open_form(qtbot, window)
    assert form.keyboard is not None
    form.message_edit.setPlainText("x" * 600)  # too long: the message box has one too
    form.send()  # every message showing: taller fields
    for attr, step in TEXT_BOXES:
        edit = _go_to_box(form, attr, step)
        tap(qtbot, edit)
        assert QApplication.focusWidget() is edit
        # (mypy cannot infer a lambda with a default argument)
        qtbot.waitUntil(lambda e=edit: _field_in_view(form, e))  # type: ignore[misc]
    # Scrolled away by a finger while the keyboard is up, typing brings it back.
    form.scroll_area.verticalScrollBar().setValue(0)
    assert not _field_in_view(form, form.message_edit)
    type_by_taps(qtbot, form.keyboard, "hi")
    qtbot.waitUntil(lambda: _field_in_view(form, form.message_edit))
    assert "hi" in form.message_edit.toPlainText()


def test_turning_the_tablet_keeps_the_field_in_view(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore
) -> None:
    window = make_window((800, 1280), store=store)
    form = open_form(qtbot, window)
    assert form.keyboard is not None
    form.go_to(2)
    tap(qtbot, form.message_edit)
    assert QApplication.focusWidget() is form.message_edit
    qtbot.waitUntil(lambda: _field_in_view(form, form.message_edit))
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: _field_in_view(form, form.message_edit))
    keyboard_top = form.keyboard.mapTo(window, form.keyboard.rect().topLeft()).y()
    bottom = form.message_edit.mapTo(window, form.message_edit.rect().bottomLeft()).y()
    assert bottom < keyboard_top


def _controls_on_screen(form: RequestScreen) -> dict[QWidget, QPoint]:
    """Where each control the finger could tap next is, on screen: the form's
    boxes and buttons inside the visible part of the scrolling column."""
    viewport = form.scroll_area.viewport()
    seen = QRect(viewport.mapTo(form, QPoint(0, 0)), viewport.size())
    column = form.scroll_area.widget()
    assert column is not None
    where: dict[QWidget, QPoint] = {}
    for widget in column.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLineEdit | QPlainTextEdit) and widget.isVisible():
            place = QRect(widget.mapTo(form, QPoint(0, 0)), widget.size())
            if seen.intersects(place):
                where[widget] = place.topLeft()
    return where


def _moved(before: dict[QWidget, QPoint], after: dict[QWidget, QPoint]) -> dict[str, int]:
    """Each control on screen both times that moved more than 8 px, and by how much."""
    both = before.keys() & after.keys()
    assert both, "nothing stayed on screen to compare"
    moved = {w: (after[w] - before[w]).manhattanLength() for w in both}
    return {w.accessibleName() or w.objectName(): d for w, d in moved.items() if d > 8}


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_keyboard_coming_and_going_moves_nothing_under_the_finger(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, size: tuple[int, int]
) -> None:
    """Closing the keyboard with the form scrolled to its end (where the form
    used to jump back about 100 px), and opening it on a box above where it
    will be: no control on screen moves more than 8 px."""
    window = make_window(size, store=store)
    window.set_text_size("largest")  # the tallest form: it scrolls at every size
    form = open_form(qtbot, window)
    assert form.keyboard is not None
    form.go_to(2)
    tap(qtbot, form.message_edit)
    qtbot.waitUntil(lambda: _field_in_view(form, form.message_edit))
    bar = form.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())  # a finger scrolled to the end
    QApplication.processEvents()
    before = _controls_on_screen(form)
    tap(qtbot, form.keyboard.key("Done"))
    qtbot.wait(50)  # every layout pass the keyboard's going causes
    assert not form.keyboard.isVisible() and form.bottom.isVisible()
    assert _moved(before, _controls_on_screen(form)) == {}
    # Opening, on step 1: nothing moves, unless the keyboard would cover the
    # tapped box's field, which then moves just into view above it.
    form.go_to(0)
    QApplication.processEvents()
    before = _controls_on_screen(form)
    field = form.fields["name"]
    field_bottom = field.mapTo(form, QPoint(0, field.height())).y()
    tap(qtbot, form.name_edit)
    qtbot.wait(50)
    assert form.keyboard.isVisible()
    moved = _moved(before, _controls_on_screen(form))
    if moved:
        assert field_bottom > form.keyboard.y(), moved
        assert _field_in_view(form, form.name_edit)
    # The room held while the keyboard went is given back on scrolling up.
    form.go_to(2)
    tap(qtbot, form.message_edit)
    qtbot.waitUntil(lambda: _field_in_view(form, form.message_edit))
    bar.setValue(bar.maximum())
    tap(qtbot, form.keyboard.key("Done"))
    qtbot.wait(50)
    bar.setValue(0)
    assert form._reserve.height() == 0


def test_a_drag_that_starts_on_a_field_scrolls_and_opens_no_keyboard(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore
) -> None:
    window = make_window((1280, 800), store=store)
    window.set_text_size("largest")
    form = open_form(qtbot, window)
    assert form.keyboard is not None
    form.go_to(2)
    bar = form.scroll_area.verticalScrollBar()
    assert bar.maximum() > 100, "the step is taller than the screen"
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    start = bar.value()
    swipe(form.message_edit.viewport(), 0, 200, live=True)  # dragged down: the form scrolls up
    qtbot.wait(50)
    assert bar.value() < start - 50, (start, bar.value())
    assert not form.message_edit.hasFocus() and not form.keyboard.isVisible()
    # Step 1's name box, dragged: no focus either.
    form.go_to(0)
    swipe(form.name_edit, 0, -150, live=True)
    assert not form.name_edit.hasFocus() and not form.keyboard.isVisible()
    qtbot.waitUntil(lambda: not form.scroller.scrolling)  # a touch on a fling only stops it
    # A tap (a finger that wobbles a little) focuses, on the release.
    QTest.mousePress(form.name_edit, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert not form.name_edit.hasFocus()  # not on the press: it may become a drag
    QTest.mouseMove(form.name_edit, QPoint(24, 23))
    QTest.mouseRelease(form.name_edit, Qt.MouseButton.LeftButton, pos=QPoint(24, 23))
    assert form.name_edit.hasFocus() and form.keyboard.isVisible()


def test_a_save_that_committed_but_failed_to_answer_is_one_enquiry_on_retry(
    qtbot: QtBot, window: KioskWindow, store: EnquiryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit happened, then an error (say, the disk filled on the next
    write): the patient taps Send again and the form key makes it one row."""
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    real_save = store.save
    calls: list[Saved] = []

    def commit_then_fail(*args: Any, **kwargs: Any) -> Saved:  # store.save's
        saved = real_save(*args, **kwargs)
        calls.append(saved)
        if len(calls) == 1:
            raise StoreError("failed", "lost the answer")
        return saved

    monkeypatch.setattr(store, "save", commit_then_fail)
    tap(qtbot, find_button(window, strings.SEND))
    assert form.notice.text() == strings.SAVE_FAILED
    tap(qtbot, find_button(window, strings.SEND))
    assert form.views.currentWidget() is form.thanks_view
    assert store.count() == 1
    assert [c.new for c in calls] == [True, False]


def test_crisis_help_stays_open_when_the_thank_you_times_out(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore, config: Config
) -> None:
    window = make_window(store=store, cfg=replace(config, thank_you_seconds=1))
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form, name="Zyxwvu")
    tap(qtbot, find_button(window, strings.SEND))
    tap(qtbot, find_button(window, strings.NEED_HELP))
    assert window.crisis.isVisible()
    qtbot.waitUntil(lambda: window.current_screen == "home", timeout=6000)
    assert window.crisis.isVisible()  # not closed under a patient in crisis
    assert form.name_edit.text() == ""  # but the form is forgotten


def test_a_store_that_could_not_be_opened_at_start_is_tried_again_at_send(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore
) -> None:
    """No keys at start (a full or read-only disk): the kiosk runs, Send says it
    cannot save, and once the fault is gone the next Send saves."""
    available: list[EnquiryStore] = []
    window = make_window(store=None, open_store=lambda: available[0] if available else None)
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form)
    tap(qtbot, find_button(window, strings.SEND))
    assert form.notice.text() == strings.SAVE_FAILED
    available.append(store)  # the fault is gone
    tap(qtbot, find_button(window, strings.SEND))
    assert form.views.currentWidget() is form.thanks_view
    assert store.count() == 1


def test_home_from_a_form_with_typing_asks_before_clearing(
    qtbot: QtBot, window: KioskWindow
) -> None:
    form = open_form(qtbot, window)
    tap(qtbot, find_button(window, strings.HOME))  # nothing typed: straight home
    assert window.current_screen == "home"
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form, name="Zyxwvu")
    tap(qtbot, find_button(window, strings.HOME))
    assert form.leave_overlay.isVisible() and window.current_screen == "request"
    tap(qtbot, find_button(form.leave_overlay, strings.KEEP_WRITING))
    assert not form.leave_overlay.isVisible()
    assert form.name_edit.text() == "Zyxwvu"  # a Home tapped by mistake loses nothing
    tap(qtbot, find_button(window, strings.HOME))
    tap(qtbot, find_button(form.leave_overlay, strings.CLEAR_AND_LEAVE))
    assert window.current_screen == "home"
    assert form.name_edit.text() == "" and not form.name_edit.isUndoAvailable()
    assert not form.consent.isChecked()


def test_nothing_typed_reaches_the_log(
    qtbot: QtBot,
    window: KioskWindow,
    store: EnquiryStore,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sends that fail (locked, an exception quoting the name) and one that
    succeeds: no log record holds what was typed."""
    import logging

    caplog.set_level(logging.DEBUG)
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form, name="Zyxwvu Qrst", phone="8015550177")
    real_save = store.save

    def quoting(form_key: str, topic: str, personal: Mapping[str, str]) -> NoReturn:
        raise ValueError(f"bad value {personal['name']!r}")  # as a careless library might

    monkeypatch.setattr(store, "save", quoting)
    tap(qtbot, find_button(window, strings.SEND))
    monkeypatch.setattr(store, "save", real_save)
    tap(qtbot, find_button(window, strings.SEND))
    assert store.count() == 1
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "request not saved" in logged and "request 1 saved" in logged  # the log was seen
    for secret in ("Zyxwvu", "Qrst", "5550177", "555-0177"):
        assert secret not in logged


_HOSTILE = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(
            ["\x00", "\x1b", "\x1f", "\x85", "\r", "\n", "\t", "\u202e", "\u2066", "\u2028",
             "\u00a0", "\ufeff", "😀", "👩‍⚕️", "é", "李", "<b>", "=1+2", "'", "Ana"]
        ),
        max_size=12,
    ).map("".join),
)  # fmt: skip


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=_HOSTILE, message=_HOSTILE)
@example(name="Paste " * 1667, message="x")  # a 10,000-character paste
@example(name="\x1fAna\x85", message="\u2028hi\r")
def test_hostile_text_pasted_into_the_widgets_is_stored_as_shown_or_refused(
    qtbot: QtBot,
    window: KioskWindow,
    store: EnquiryStore,
    keyring: tuple[KeyRing, str],
    name: str,
    message: str,
) -> None:
    """Through the real widgets: what staff read back is exactly what the
    patient's fields showed (ends trimmed), or Send says what to fix."""
    window.reset()
    form = open_form(qtbot, window)
    form.name_edit.insert(name)  # as a paste lands
    form.phone_edit.insert("801 555 0100")
    form.methods.set_value("call")
    form.consent.setChecked(True)
    form.message_edit.insertPlainText(message)
    shown_name = form.name_edit.text()
    shown_message = form.message_edit.toPlainText()
    before = store.count()
    form.send()
    if form.views.currentWidget() is form.thanks_view:
        ring, code = keyring
        stored = open_personal(ring.unlock(code), store.enquiries()[0])
        assert stored["name"] == shown_name.strip(" \t\n")
        assert stored["message"] == shown_message.strip(" \t\n")
        assert store.count() == before + 1
    else:
        shown = [f.error.text() for f in form.fields.values() if f.error.isVisible()]
        assert shown, "refused without a message"
        assert form.fields["name"].error.isVisible() or form.fields["message"].error.isVisible()
        assert store.count() == before


def test_each_change_on_the_check_page_says_its_answer(
    qtbot: QtBot, make_window: MakeWindow, store: EnquiryStore
) -> None:
    """Found in review: a screen reader or audio mode said "Change, button, Your
    name", never "Ana": a patient who cannot see the page could not check it.
    The answers go with the reset, as everything typed does."""
    window = make_window(store=store)
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form, name="Al Bo", phone="8015550100")
    assert form.step == 3
    described = {key: row.change.accessibleDescription() for key, row in form.answers.items()}
    question = {key: row.question.text() for key, row in form.answers.items()}
    assert described["name"] == f"{question['name']}: Al Bo"
    assert described["method"].startswith(f"{question['method']}: ")
    assert described["method"].endswith("(801) 555-0100")  # no no-break spaces, no breaks
    assert described["message"] == f"{question['message']}: {strings.NO_MESSAGE}"
    window.reset()
    assert all(
        row.change.accessibleDescription() == question[key] for key, row in form.answers.items()
    )
