"""Touch exploration on the real window: in audio mode a finger speaks what is
under it and a double tap chooses; a single tap chooses nothing; off, touch is as
it always was."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Library
from kiosk.ui.i18n import strings
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow
from tests.ui.helpers import find_button, tap
from tests.ui.patient.keypad_support import RecordingVoice, keypad_on, mock_audio

_LEFT = Qt.MouseButton.LeftButton
_NONE = Qt.KeyboardModifier.NoModifier


def _middle(window: KioskWindow, widget: QWidget) -> QPoint:
    return widget.mapTo(window, widget.rect().center())


def _finger_down(window: KioskWindow, at: QPoint) -> None:
    QTest.mousePress(window, _LEFT, _NONE, at)


def _finger_to(window: KioskWindow, at: QPoint) -> None:
    # QTest.mouseMove sends no buttons; a finger moving is a move with one down.
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    target = window.childAt(at) or window
    local = QPointF(target.mapFrom(window, at))
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        local,
        QPointF(window.mapToGlobal(at)),
        Qt.MouseButton.NoButton,
        _LEFT,
        _NONE,
    )
    QApplication.sendEvent(target, event)


def test_off_a_tap_opens_a_tile_as_always(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    window = make_window()
    voice = RecordingVoice(active=False)
    first = shipped_library.topics[0].pages[0]
    with keypad_on(window, voice):
        tap(qtbot, find_button(window, first.title))
        assert window.current_screen == f"page:{first.key}"
        assert voice.said == []
        window.reset()


def test_a_finger_speaks_what_is_under_it_and_a_double_tap_chooses(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Down on a tile: it takes the focus (which audio mode speaks); moved to the
    next tile, that one; back on the first, spoken again (it has the focus now);
    a tap opens nothing; a double tap opens the tile found."""
    window = make_window()
    voice = RecordingVoice()
    pages = shipped_library.topics[0].pages
    first, second = (find_button(window, page.title) for page in pages[:2])
    with keypad_on(window, voice) as (_keypad, explorer):
        _finger_down(window, _middle(window, first))
        assert first.hasFocus() and explorer.found is first
        _finger_to(window, _middle(window, second))
        assert second.hasFocus() and explorer.found is second
        QTest.mouseRelease(window, _LEFT, _NONE, _middle(window, second))
        _finger_down(window, _middle(window, first))  # the focus moves: audio mode says it
        QTest.mouseRelease(window, _LEFT, _NONE, _middle(window, first))
        assert window.current_screen == "home"  # one tap: nothing chosen
        voice.said.clear()
        _finger_down(window, _middle(window, first))  # already focused: said here
        assert voice.said == [first.accessibleName()]
        QTest.mouseRelease(window, _LEFT, _NONE, _middle(window, first))
        QTest.mouseDClick(window, _LEFT, _NONE, _middle(window, first))
        assert window.current_screen == f"page:{pages[0].key}"
        window.reset()


def test_real_touches_explore_and_a_double_tap_chooses(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """With the touch screen's own events (Qt makes mouse events of them): the
    finger on "Need help now?" focuses it; two quick taps open crisis help."""
    window = make_window()
    device = QTest.createTouchDevice(QPointingDevice.DeviceType.TouchScreen)
    voice = RecordingVoice()
    helper = window.bar.help_button
    at = _middle(window, helper)
    with keypad_on(window, voice):
        QTest.touchEvent(window, device).press(0, at, window).commit()
        QTest.touchEvent(window, device).move(0, at + QPoint(2, 0), window).commit()
        QTest.touchEvent(window, device).release(0, at + QPoint(2, 0), window).commit()
        QApplication.processEvents()
        assert helper.hasFocus()
        assert not window.crisis.isVisible()
        for _ in range(2):
            QTest.touchEvent(window, device).press(0, at, window).commit()
            QTest.touchEvent(window, device).release(0, at, window).commit()
        qtbot.waitUntil(window.crisis.isVisible, timeout=2000)
        window.reset()


def test_the_on_screen_keys_are_explored_and_typed_with_the_box_keeping_the_focus(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    voice = RecordingVoice()
    with keypad_on(window, voice):
        window.show_request()
        form = window.request
        form.name_edit.setFocus()
        keyboard = form.keyboard
        assert keyboard is not None and keyboard.isVisible()
        key = keyboard.key("Q")
        voice.said.clear()
        _finger_down(window, _middle(window, key))
        assert voice.said == ["Q"] and form.name_edit.hasFocus()
        QTest.mouseRelease(window, _LEFT, _NONE, _middle(window, key))
        assert form.name_edit.text() == ""  # a tap types nothing
        voice.said.clear()
        QTest.mouseDClick(window, _LEFT, _NONE, _middle(window, key))
        assert form.name_edit.text() == "Q" and form.name_edit.hasFocus()
        assert voice.said[-1] == "capital Q"  # what was typed, said
        # A symbol by its name; a page key by what it shows; Delete as itself.
        for label, said, text in (
            (strings.KEY_NUMBERS, strings.KEY_NUMBERS_SPOKEN, "Q"),
            ("-", "dash", "Q-"),
            (strings.KEY_DELETE, strings.KEY_DELETE, "Q"),
        ):
            # A double tap: the finger lands (the key found and said), lifts,
            # and taps again (QTest's double click alone is only the second).
            at = _middle(window, keyboard.key(label))
            _finger_down(window, at)
            QTest.mouseRelease(window, _LEFT, _NONE, at)
            QTest.mouseDClick(window, _LEFT, _NONE, at)
            assert voice.said[-1] == said and form.name_edit.text() == text
        window.reset()


def test_the_privacy_screen_lets_the_finger_through(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    voice = RecordingVoice()
    with keypad_on(window, voice) as (keypad, explorer):
        keypad.toggle_privacy()
        assert keypad.privacy.isVisible()
        helper = window.bar.help_button
        _finger_down(window, _middle(window, helper))
        assert explorer.found is helper and helper.hasFocus()
        QTest.mouseRelease(window, _LEFT, _NONE, _middle(window, helper))
        window.reset()


def test_a_finger_exploring_restarts_the_idle_clock(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    with keypad_on(window, RecordingVoice()):
        window.idle.sleep()
        _finger_down(window, _middle(window, window.bar.help_button))
        assert window.idle.armed
        QTest.mouseRelease(window, _LEFT, _NONE, _middle(window, window.bar.help_button))
        window.reset()


def test_a_quick_flick_sideways_moves_on_as_tab_does(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """The welcome's "swipe to move": a flick right goes to the control after the
    one focused before the finger came down, a flick left back; a slow slide
    sideways only explores."""
    window = make_window()
    voice = RecordingVoice()
    tile = find_button(window, shipped_library.topics[0].pages[1].title)
    tile.setFocus()
    QTest.keyClick(tile, Qt.Key.Key_Tab)
    after = window.focusWidget()
    assert after is not None and after is not tile
    tile.setFocus()
    start = _middle(window, window.home.tiles[0])
    with keypad_on(window, voice):
        for dx, expected in ((200, after), (-200, tile)):
            QTest.mousePress(window, _LEFT, _NONE, start, 20)
            _finger_to(window, start + QPoint(dx // 2, 0))
            QTest.mouseRelease(window, _LEFT, _NONE, start + QPoint(dx, 0), 100)
            assert window.focusWidget() is expected, dx
        QTest.mousePress(window, _LEFT, _NONE, start, 20)
        QTest.mouseRelease(window, _LEFT, _NONE, start + QPoint(200, 0), 1500)  # slow
        assert window.focusWidget() is window.home.tiles[0]  # what the finger came down on
        window.reset()


def test_staff_modes_hold_on_the_name_works_in_audio_mode_under_the_privacy_screen(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """How staff get the screen back: the hold on the clinic's name reaches it
    (the name takes touches itself; the black screen takes none)."""
    from kiosk.ui.staff.entry import HoldGesture

    window = make_window()
    gesture = HoldGesture(window.clinic_name, 100)
    with keypad_on(window, RecordingVoice()) as (keypad, _explorer):
        keypad.toggle_privacy()
        at = _middle(window, window.clinic_name)
        assert window.childAt(at) is window.clinic_name
        with qtbot.waitSignal(gesture.triggered, timeout=2000):
            QTest.mousePress(window.clinic_name, _LEFT, _NONE, window.clinic_name.rect().center())
        QTest.mouseRelease(window.clinic_name, _LEFT, _NONE, window.clinic_name.rect().center())
        gesture.uninstall()
        window.reset()


def _more_than(said: list[str], count: int) -> bool:
    return len(said) > count


def test_a_finger_is_heard_after_a_page_has_been_read(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """Found in review: once a page was read, a finger on Next, Home or
    "Need help now?" moved the focus and said nothing (audio mode told the
    patient's focus moves from the screen's by counting presses and taps, and
    touch exploration takes every tap before it could count it): a patient
    by touch alone was stranded."""
    window = make_window()
    audio, said = mock_audio(window)
    audio.set_active(True)
    page = window.library.topics[0].pages[0]
    with keypad_on(window, audio):
        window.show_page(page.key)
        qtbot.waitUntil(lambda: any(s.startswith(page.title) for s in said), timeout=10_000)
        # While it is read (a finger stops it), and after.
        for label in ("Next", "Home"):
            target = find_button(window, label)
            before = len(said)
            _finger_down(window, _middle(window, target))
            QTest.mouseRelease(window, _LEFT, _NONE, _middle(window, target))
            qtbot.waitUntil(partial(_more_than, said, before), timeout=5000)
            assert said[-1].startswith(f"{label}, "), said[before:]
            assert window.current_screen == f"page:{page.key}"  # explored, not pressed
        window.reset()


def test_audio_mode_with_no_engine_leaves_taps_alone(make_window: MakeWindow, qtbot: QtBot) -> None:
    """Found in review: with no speech engine (none installed, or it never
    answers), a kiosk set to "always" took every tap to explore and said
    nothing: a dead screen for everyone. Without an engine, a tap is a tap."""
    from kiosk.ui.patient.audio import AudioMode

    window = make_window()
    audio = AudioMode(window)
    audio.follow(window)
    audio.set_active(True)  # on, but no engine came
    assert audio.active and not audio.audible
    first = window.library.topics[0].pages[0]
    with keypad_on(window, audio) as (keypad, _explorer):
        tap(qtbot, find_button(window, first.title))
        assert window.current_screen == f"page:{first.key}"
        keypad.toggle_privacy()  # nothing to listen to: the screen stays on
        assert not keypad.privacy.on
        window.reset()
