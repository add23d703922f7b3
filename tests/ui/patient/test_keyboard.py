"""The form's on-screen keyboard, driven the way a patient drives it: by tapping
keys found by their visible label."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
import shiboken6
from PySide6.QtCore import QRect, QRegularExpression, Qt
from PySide6.QtGui import QColor, QRegularExpressionValidator
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.ui import i18n
from kiosk.ui.metrics import KEYBOARD_BOTTOM
from kiosk.ui.patient.keyboard import KeyboardKind, OnScreenKeyboard
from kiosk.ui.theme import style_sheet, theme_values
from tests.conftest import SCREEN_SIZES
from tests.ui.helpers import find_button, tap, visible_buttons, visible_label

MIN_HEIGHT = 56
MIN_WIDTH = 48
MIN_GAP = 8  # the kiosk's rule for every screen (test_layout); the brief's floor is 6
MAX_KEYBOARD_HEIGHT = 300
MAX_KEYS_WIDTH = 1100
MIN_PT = 20


@dataclass
class Form:
    """A stand-in for the request form: a field above, the keyboard docked below."""

    window: QWidget
    field: QLineEdit  # or the QPlainTextEdit given to _form
    keyboard: OnScreenKeyboard


def _form(qtbot: QtBot, field: QWidget | None = None, size: tuple[int, int] = (1280, 800)) -> Form:
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    edit = field if field is not None else QLineEdit()
    layout.addWidget(edit)
    layout.addStretch(1)
    keyboard = OnScreenKeyboard()
    layout.addWidget(keyboard)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    edit.setFocus()
    QApplication.processEvents()
    return Form(window, edit, keyboard)  # type: ignore[arg-type]  # field: see Form


@pytest.fixture
def form(qtbot: QtBot) -> Form:
    return _form(qtbot)


def taps(qtbot: QtBot, keyboard: OnScreenKeyboard, *labels: str) -> None:
    """Tap each key by the label a patient reads on it."""
    for label in labels:
        tap(qtbot, find_button(keyboard, label))


def painted_text(button: QAbstractButton) -> str:
    """What a button paints: "&x" is a mnemonic (shows "x"), "&&" shows "&"."""
    return re.sub("&(&?)", lambda m: m.group(1), button.text())


def labels_shown(keyboard: OnScreenKeyboard) -> set[str]:
    return {visible_label(b) for b in visible_buttons(keyboard)}


def test_a_name_gets_its_capitals_by_itself(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.NAME)
    assert find_button(form.keyboard, "Shift").isChecked(), "a name starts with a capital"
    taps(qtbot, form.keyboard, "A", "n", "a", "Space", "L", "o", "p", "e", "z")
    assert form.field.text() == "Ana Lopez"
    # After a hyphen too, and only for the first letter of the word.
    taps(qtbot, form.keyboard, "-", "S", "o", "l")
    assert form.field.text() == "Ana Lopez-Sol"
    # Deleting back to the start of a word brings the capital back.
    taps(qtbot, form.keyboard, "Delete", "Delete", "Delete")
    assert form.field.text() == "Ana Lopez-"
    assert find_button(form.keyboard, "Shift").isChecked()
    assert "S" in labels_shown(form.keyboard) and "s" not in labels_shown(form.keyboard)


def test_a_name_with_an_accent(qtbot: QtBot, form: Form) -> None:
    """Spanish names: "áé" on the letters shows the accented letters (capitals
    at a word's start); one typed, the letters come back by themselves."""
    form.keyboard.set_target(form.field, KeyboardKind.NAME)
    taps(qtbot, form.keyboard, "áé")
    assert {"Á", "Ó", "Ñ"} <= labels_shown(form.keyboard)  # the start of a name
    assert "q" not in labels_shown(form.keyboard) and "Q" not in labels_shown(form.keyboard)
    taps(qtbot, form.keyboard, "ABC", "L", "áé")
    assert {"ó", "ñ"} <= labels_shown(form.keyboard)  # inside the word: small letters
    taps(qtbot, form.keyboard, "ó")
    assert "p" in labels_shown(form.keyboard), "the letters are back after one accent"
    assert "ñ" not in labels_shown(form.keyboard)
    taps(qtbot, form.keyboard, "p", "e", "z", "Space", "M", "u", "áé", "ñ", "o", "z")
    assert form.field.text() == "López Muñoz"


def test_accents_in_text_take_a_tapped_shift_along(qtbot: QtBot, form: Form) -> None:
    """Shift, then "áé": the capital (É); the Shift is spent by it, as by a letter."""
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    taps(qtbot, form.keyboard, "Shift", "áé")
    assert find_button(form.keyboard, "Shift").isChecked()
    taps(qtbot, form.keyboard, "É")
    assert form.field.text() == "É"
    assert {"q", "123", "áé"} <= labels_shown(form.keyboard)
    assert not find_button(form.keyboard, "Shift").isChecked()
    taps(qtbot, form.keyboard, "áé", "é", "t", "áé", "ç")
    assert form.field.text() == "Éétç"
    # The accents' Delete deletes, and stays on the accents (nothing was typed).
    taps(qtbot, form.keyboard, "áé", "Delete")
    assert form.field.text() == "Éét" and "ç" in labels_shown(form.keyboard)
    assert not find_button(form.keyboard, "Shift").isChecked()


def test_shift_is_one_shot_and_relabels_the_keys(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    shift = find_button(form.keyboard, "Shift")
    assert not shift.isChecked()
    assert "q" in labels_shown(form.keyboard), "TEXT has no auto-capitals"
    taps(qtbot, form.keyboard, "Shift")
    assert shift.isChecked()
    capital = find_button(form.keyboard, "Q")
    assert capital.accessibleName() == "Q"
    assert "q" not in labels_shown(form.keyboard)
    taps(qtbot, form.keyboard, "Q", "w")
    assert form.field.text() == "Qw"
    assert not shift.isChecked()
    assert capital.text() == capital.accessibleName() == "q", "the same key, relabelled"
    # Tapped twice, Shift is off again and types nothing.
    taps(qtbot, form.keyboard, "Shift", "Shift", "e")
    assert form.field.text() == "Qwe"


def test_numbers_and_symbols_page_and_back(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    taps(qtbot, form.keyboard, "123")
    shown = labels_shown(form.keyboard)
    assert set("0123456789") <= shown
    assert set("-'.,?!@#&()/:;\"") <= shown
    assert "q" not in shown and "Shift" not in shown
    ampersand = find_button(form.keyboard, "&")
    assert ampersand.accessibleName() == painted_text(ampersand) == "&", "not a mnemonic"
    taps(qtbot, form.keyboard, "1", "2", "&", "?", "Space")
    taps(qtbot, form.keyboard, "ABC", "o", "k")
    assert form.field.text() == "12&? ok"
    assert "123" in labels_shown(form.keyboard) and "1" not in labels_shown(form.keyboard)


def test_delete_removes_a_character_and_repeats_while_held(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    taps(qtbot, form.keyboard, "a", "b", "c", "d", "e", "f", "g", "h")
    taps(qtbot, form.keyboard, "Delete")
    assert form.field.text() == "abcdefg"
    delete = find_button(form.keyboard, "Delete")
    QTest.mousePress(delete, Qt.MouseButton.LeftButton, pos=delete.rect().center())
    qtbot.wait(900)
    QTest.mouseRelease(delete, Qt.MouseButton.LeftButton, pos=delete.rect().center())
    assert len(form.field.text()) <= len("abcdefg") - 2, "held, Delete keeps deleting"
    assert "abcdefg".startswith(form.field.text())


def test_keys_type_as_a_real_keyboard_so_undo_works(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    taps(qtbot, form.keyboard, "h", "i")
    assert form.field.text() == "hi" and form.field.isUndoAvailable()
    form.field.undo()
    assert form.field.text() == ""


def test_email_keys(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.EMAIL)
    assert not find_button(form.keyboard, "Shift").isChecked(), "no auto-capitals"
    assert {"@", ".", ".com", "-", "_"} <= labels_shown(form.keyboard)
    taps(qtbot, form.keyboard, "a", "n", "a", "_", "l", "@", "m", "-", "x", ".com")
    assert form.field.text() == "ana_l@m-x.com"
    taps(qtbot, form.keyboard, "123", "4", "2", "ABC", ".", "o", "r", "g")
    assert form.field.text() == "ana_l@m-x.com42.org"


def test_phone_keypad(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.PHONE)
    shown = labels_shown(form.keyboard)
    assert shown == set("0123456789+()-") | {"Space", "Delete", "Next", "Done"}
    taps(qtbot, form.keyboard, *"+1", "Space", *"(801)", "Space", *"555-0100")
    assert form.field.text() == "+1 (801) 555-0100"
    taps(qtbot, form.keyboard, "Delete")
    assert form.field.text() == "+1 (801) 555-010"


def test_typing_into_a_plain_text_edit(qtbot: QtBot) -> None:
    form = _form(qtbot, QPlainTextEdit())
    editor = form.field
    assert isinstance(editor, QPlainTextEdit)
    form.keyboard.set_target(editor, KeyboardKind.TEXT)
    taps(qtbot, form.keyboard, "Shift", "H", "i", ",", "Space", "y", "o", "u", "Delete")
    assert editor.toPlainText() == "Hi, yo"
    assert QApplication.focusWidget() is editor


def test_max_length_and_validators_apply(qtbot: QtBot, form: Form) -> None:
    form.field.setMaxLength(3)
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    taps(qtbot, form.keyboard, "a", "b", "c", "d", "e")
    assert form.field.text() == "abc"

    digits = QLineEdit()
    digits.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d*"), digits))
    layout = form.window.layout()
    assert layout is not None
    layout.addWidget(digits)
    form.keyboard.set_target(digits, KeyboardKind.PHONE)
    taps(qtbot, form.keyboard, "5", "(", "6", "Space", "7")
    assert digits.text() == "567"


def test_next_and_done_emit_their_signals(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.NAME)
    with (
        qtbot.waitSignal(form.keyboard.next_field, timeout=500),
        qtbot.assertNotEmitted(form.keyboard.done),
    ):
        taps(qtbot, form.keyboard, "Next")
    with (
        qtbot.waitSignal(form.keyboard.done, timeout=500),
        qtbot.assertNotEmitted(form.keyboard.next_field),
    ):
        taps(qtbot, form.keyboard, "Done")
    form.keyboard.set_target(form.field, KeyboardKind.PHONE)
    with qtbot.waitSignal(form.keyboard.done, timeout=500):
        taps(qtbot, form.keyboard, "Done")
    assert form.field.text() == ""


def _every_page(keyboard: OnScreenKeyboard, target: QWidget | None) -> Iterator[str]:
    """Show each page in turn (the keyboard left on it); yield its name."""
    for kind in KeyboardKind:
        keyboard.set_target(target, kind)
        yield kind.value
        if kind in (KeyboardKind.TEXT, KeyboardKind.NAME):
            keyboard.key("áé").click()
            yield f"{kind.value} áé"
            keyboard.reset()  # the letters again, whatever was tapped on the accents
            keyboard.set_target(target, kind)
        if kind is not KeyboardKind.PHONE:
            keyboard.key("123").click()
            yield f"{kind.value} 123"


def test_keys_never_take_focus_and_open_no_window(qtbot: QtBot, form: Form) -> None:
    windows = set(QApplication.topLevelWidgets())
    assert QApplication.focusWidget() is form.field
    assert not form.keyboard.isWindow()
    seen = 0
    for page in _every_page(form.keyboard, form.field):
        for key in visible_buttons(form.keyboard):
            seen += 1
            assert key.focusPolicy() == Qt.FocusPolicy.NoFocus, (page, visible_label(key))
        for label in ("Shift", "123", "ABC", "1", "Space", "Delete"):
            if label in labels_shown(form.keyboard):
                taps(qtbot, form.keyboard, label)
                assert QApplication.focusWidget() is form.field, (page, label)
    assert seen > 150
    assert form.keyboard.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert set(QApplication.topLevelWidgets()) == windows, "no popup, no separate window"


def test_reset_forgets_everything(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.NAME)
    taps(qtbot, form.keyboard, "B", "o", "Shift", "123")
    form.keyboard.reset()
    assert form.keyboard.target() is None
    assert form.keyboard.kind() is KeyboardKind.TEXT
    shown = labels_shown(form.keyboard)
    assert {"q", "Shift", "123", ",", "."} <= shown and "1" not in shown and "Q" not in shown
    assert not find_button(form.keyboard, "Shift").isChecked()
    taps(qtbot, form.keyboard, "a", "Space")
    assert form.field.text() == "Bo", "no target: the last patient's field gets nothing"


def test_same_kind_reuses_the_keys(qtbot: QtBot, form: Form) -> None:
    """Pages are built once: not again for Shift, a new field or a change of kind."""
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    key_q = form.keyboard.key("q")
    taps(qtbot, form.keyboard, "123")
    buttons = set(form.keyboard.findChildren(QPushButton))
    taps(qtbot, form.keyboard, "ABC", "Shift", "Shift")
    other = QLineEdit()
    form.keyboard.set_target(other, KeyboardKind.TEXT)
    form.keyboard.set_target(form.field, KeyboardKind.PHONE)
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    assert form.keyboard.key("q") is key_q
    phone_and_text = set(form.keyboard.findChildren(QPushButton))
    assert buttons < phone_and_text  # the phone page was added; nothing was rebuilt
    form.keyboard.set_target(form.field, KeyboardKind.PHONE)
    assert set(form.keyboard.findChildren(QPushButton)) == phone_and_text
    other.deleteLater()


def test_same_field_again_keeps_the_page(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    taps(qtbot, form.keyboard, "123")
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    assert "1" in labels_shown(form.keyboard)
    form.keyboard.set_target(QLineEdit(form.window), KeyboardKind.TEXT)
    assert "q" in labels_shown(form.keyboard), "a new field starts on the letters"


def test_taps_without_a_target_do_nothing_harmful(qtbot: QtBot, form: Form) -> None:
    form.field.setText("kept")
    pages = 0
    for _page in _every_page(form.keyboard, None):
        pages += 1
        assert form.keyboard.target() is None
        for label in sorted(labels_shown(form.keyboard) - {"123", "ABC", "áé", "Shift"}):
            if label not in labels_shown(form.keyboard):
                # An accent was tapped: the letters are back, and its Shift spent.
                taps(qtbot, form.keyboard, "áé")
            shown = labels_shown(form.keyboard)
            taps(qtbot, form.keyboard, label if label in shown else label.swapcase())
        if "Shift" in labels_shown(form.keyboard):
            taps(qtbot, form.keyboard, "Shift")
    assert pages == 9
    assert form.field.text() == "kept"

    # A field deleted while it was the target is forgotten, not typed into.
    doomed = QLineEdit(form.window)
    form.keyboard.set_target(doomed, KeyboardKind.TEXT)
    shiboken6.delete(doomed)
    assert not shiboken6.isValid(doomed)
    taps(qtbot, form.keyboard, "a", "Delete", "Shift", "B")
    assert form.keyboard.target() is None
    assert form.field.text() == "kept"


def test_a_disabled_target_gets_nothing(qtbot: QtBot, form: Form) -> None:
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    form.field.setEnabled(False)
    taps(qtbot, form.keyboard, "a", "b")
    assert form.field.text() == ""


# ---- sizes: at each reference screen, each page, both ends of the text size ----

#: Every page: a kind's first page, and the key tapped to reach another ("" for none).
PAGES = (
    [(kind, "") for kind in KeyboardKind]
    + [(kind, "123") for kind in KeyboardKind if kind is not KeyboardKind.PHONE]
    + [(kind, "áé") for kind in (KeyboardKind.TEXT, KeyboardKind.NAME)]
)


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    yield
    qapp.setStyleSheet("")


def _rect_in(root: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())


@pytest.mark.parametrize("scale", [1.0, 1.2])
@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("kind", "over"), PAGES, ids=lambda p: p.value if isinstance(p, KeyboardKind) else p
)
def test_keys_are_large_apart_named_and_whole(
    qtbot: QtBot,
    qapp: QApplication,
    styled: None,
    size: tuple[int, int],
    kind: KeyboardKind,
    over: str,
    scale: float,
) -> None:
    qapp.setStyleSheet(style_sheet(replace(Config(), text_scale=scale)))
    form = _form(qtbot, size=size)
    keyboard = form.keyboard
    keyboard.set_target(form.field, kind)
    if over:
        taps(qtbot, keyboard, over)
    QApplication.processEvents()

    assert keyboard.objectName() == "onScreenKeyboard"
    assert keyboard.height() <= MAX_KEYBOARD_HEIGHT, keyboard.height()
    assert keyboard.width() == size[0]
    keys = visible_buttons(keyboard)
    assert len(keys) >= 18
    area = keyboard.rect()
    rects: dict[QAbstractButton, QRect] = {}
    for key in keys:
        label = visible_label(key)
        assert label and key.accessibleName() == label == painted_text(key)
        assert key.height() >= MIN_HEIGHT and key.width() >= MIN_WIDTH, (label, key.size())
        assert key.minimumSizeHint().width() <= key.width(), f"{label!r} is cut off"
        assert key.minimumSizeHint().height() <= key.height(), f"{label!r} is cut off"
        # Keys grow with the text, by the theme's key size (never under 20 pt).
        key_pt = float(theme_values(Config(text_scale=scale))["key_pt"])
        assert key.font().pointSizeF() >= max(MIN_PT, key_pt) - 0.1, (label, key.font())
        rect = _rect_in(keyboard, key)
        assert area.contains(rect), (label, rect, area)
        rects[key] = rect
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        grown = ra.adjusted(-(MIN_GAP - 1), -(MIN_GAP - 1), MIN_GAP - 1, MIN_GAP - 1)
        assert not grown.intersects(rb), (visible_label(a), ra, visible_label(b), rb)
    # Never wider than MAX_KEYS_WIDTH, and centred.
    left = min(r.left() for r in rects.values())
    right = max(r.right() for r in rects.values())
    assert right - left + 1 <= MAX_KEYS_WIDTH
    assert abs(left - (area.right() - right)) <= 2, (left, right, area)


@pytest.mark.parametrize("contrast", ["standard", "high"])
def test_delete_does_not_look_like_next_or_done(
    qtbot: QtBot, qapp: QApplication, styled: None, contrast: str
) -> None:
    """Next and Done move on, filled in the clinic's colour; Delete (with Shift,
    123 and áé) is drawn quieter: another fill and another colour of words."""
    qapp.setStyleSheet(style_sheet(Config(), contrast=contrast))
    form = _form(qtbot)
    form.keyboard.set_target(form.field, KeyboardKind.TEXT)
    QApplication.processEvents()

    def fill(label: str) -> QColor:
        key = find_button(form.keyboard, label)
        return key.grab().toImage().pixelColor(8, key.height() // 2)  # inside the edge

    def words(label: str) -> QColor:
        key = find_button(form.keyboard, label)
        return key.palette().color(key.foregroundRole())

    assert fill("Next") == fill("Done") and words("Next") == words("Done")
    assert fill("Delete") != fill("Next"), fill("Delete").name()
    assert words("Delete") != words("Next"), words("Delete").name()
    assert fill("Delete") == fill("Shift") == fill("123") == fill("áé")


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_bottom_row_keeps_a_margin_under_it(
    qtbot: QtBot, qapp: QApplication, styled: None, size: tuple[int, int]
) -> None:
    """A hand resting on the tablet's edge is not on Space or Done."""
    qapp.setStyleSheet(style_sheet(Config()))
    form = _form(qtbot, size=size)
    for kind in KeyboardKind:
        form.keyboard.set_target(form.field, kind)
        QApplication.processEvents()
        lowest = max(
            _rect_in(form.keyboard, key).bottom() for key in visible_buttons(form.keyboard)
        )
        assert form.keyboard.height() - 1 - lowest >= KEYBOARD_BOTTOM, (kind, lowest)


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("kind", "over"), PAGES, ids=lambda p: p.value if isinstance(p, KeyboardKind) else p
)
def test_spanish_keys_are_whole_at_the_largest_text(
    qtbot: QtBot,
    qapp: QApplication,
    styled: None,
    size: tuple[int, int],
    kind: KeyboardKind,
    over: str,
) -> None:
    """The longest words are Spanish ("Espacio" on the two-unit space of the
    symbols' page was cut to "Espacic" on a portrait screen at Largest)."""
    i18n.use("es")
    try:
        qapp.setStyleSheet(style_sheet(Config(), size="largest"))
        form = _form(qtbot, size=size)
        keyboard = form.keyboard
        keyboard.set_target(form.field, kind)
        if over:
            taps(qtbot, keyboard, over)
        QApplication.processEvents()
        for key in visible_buttons(keyboard):
            label = visible_label(key)
            assert key.minimumSizeHint().width() <= key.width(), f"{label!r} is cut off"
    finally:
        i18n.use(i18n.DEFAULT)
