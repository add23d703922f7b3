"""Idle: "Are you still there?", "I'm still here", and a reset that forgets everything."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.content import Library
from tests.conftest import MakeWindow, Timings
from tests.ui.helpers import find_button, tap

FAST: Timings = {"idle_ms": 150, "countdown_s": 3, "tick_ms": 40}


def test_warning_then_reset_forgets_everything(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """After the idle time a countdown shows; when it runs out the kiosk is home, at the top."""
    window = make_window((1280, 500), **FAST)
    pages = shipped_library.topics[0].pages
    tap(qtbot, find_button(window, pages[0].title))
    window.show_page(pages[5].key)
    bar = window.page.body.verticalScrollBar()
    bar.setValue(bar.maximum())
    window.home.scroll_area.verticalScrollBar().setValue(40)
    tap(qtbot, find_button(window, "Need help now?"))
    with qtbot.waitSignal(window.idle.warning, timeout=2000):
        pass
    assert window.idle_overlay.isVisible()
    assert "3 seconds" in window.idle_overlay.body.text()
    qtbot.waitUntil(lambda: "2 seconds" in window.idle_overlay.body.text(), timeout=2000)
    with qtbot.waitSignal(window.was_reset, timeout=2000):
        pass
    assert window.current_screen == "home"
    assert not window.idle_overlay.isVisible()
    assert not window.crisis.isVisible()
    assert window.home.scroll_area.verticalScrollBar().value() == 0
    assert window.page.body.toPlainText() == ""
    assert window.page.title.text() == ""
    assert window.is_pristine()
    assert not window.idle.armed  # nothing ticks until the next touch


def test_still_here_keeps_the_page(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Tapping "I'm still here" hides the warning and keeps the patient where they were."""
    window = make_window(**FAST)
    page = shipped_library.topics[0].pages[2]
    tap(qtbot, find_button(window, page.title))
    with qtbot.waitSignal(window.idle.warning, timeout=2000):
        pass
    tap(qtbot, find_button(window, "I'm still here"))
    assert not window.idle_overlay.isVisible()
    assert window.current_screen == f"page:{page.key}"
    assert window.idle.armed  # the clock starts again


def test_any_touch_restarts_the_idle_clock(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Taps more often than the idle time keep the warning away."""
    window = make_window(idle_ms=800, countdown_s=3, tick_ms=40)
    tap(qtbot, find_button(window, shipped_library.topics[0].pages[0].title))
    warnings: list[int] = []
    window.idle.warning.connect(warnings.append)
    for _ in range(12):  # 1.2 s of taps, 0.1 s apart: longer than the idle time
        qtbot.wait(100)
        tap(qtbot, window.page.title)
    assert warnings == []
    qtbot.waitUntil(lambda: bool(warnings), timeout=2000)


def test_a_touch_during_the_countdown_dismisses_it(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Touching anywhere during the countdown counts as "still here"."""
    window = make_window(**FAST)
    tap(qtbot, find_button(window, shipped_library.topics[0].pages[1].title))
    with qtbot.waitSignal(window.idle.warning, timeout=2000):
        pass
    with qtbot.waitSignal(window.idle.resumed, timeout=1000):
        tap(qtbot, window.idle_overlay.title)
    assert not window.idle_overlay.isVisible()
    assert window.current_screen.startswith("page:")


def test_untouched_home_does_not_warn(make_window: MakeWindow, qtbot: QtBot) -> None:
    """Nobody to ask on a pristine home screen: no warning, and no timer left running."""
    window = make_window(**FAST)
    warnings: list[int] = []
    window.idle.warning.connect(warnings.append)
    tap(qtbot, window.home.welcome)
    qtbot.waitUntil(lambda: not window.idle.armed, timeout=2000)
    assert warnings == []


def test_going_home_is_not_forgetting(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Read a page, tap Home, walk away: the kiosk still warns and resets (privacy)."""
    window = make_window(**FAST)
    tap(qtbot, find_button(window, shipped_library.topics[0].pages[6].title))
    tap(qtbot, find_button(window, "Home"))
    assert window.current_screen == "home"
    assert not window.is_pristine()
    with qtbot.waitSignal(window.was_reset, timeout=3000):
        pass
    assert window.is_pristine()
    assert window.page.body.toPlainText() == ""


def test_no_focus_ring_tells_the_next_patient_what_was_read(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """A tap cannot give a control focus; a reset clears focus a keypad left behind."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractButton

    window = make_window(**FAST)
    for control in window.findChildren(QAbstractButton):
        assert not control.focusPolicy() & Qt.FocusPolicy.ClickFocus, control.objectName()
    tile = find_button(window, shipped_library.topics[0].pages[6].title)
    tile.setFocus()  # as a keypad accessory would
    assert window.focusWidget() is tile
    window.reset()
    assert window.focusWidget() in (None, window)  # the window itself draws no ring
    assert not any(c.hasFocus() for c in window.findChildren(QAbstractButton))


def test_the_warning_over_crisis_help_dims_all_of_it(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Crisis help covers the bar too; "Are you still there?" over it covered
    only the screens below the bar, and the crisis card's top stayed bright
    above the dimmed rest. Over crisis help it covers the whole window, on top;
    elsewhere the screens only ("Need help now?" stays within reach)."""
    window = make_window((1280, 800), **FAST)
    window.show_page(shipped_library.topics[0].pages[1].key)
    tap(qtbot, find_button(window, "Need help now?"))
    with qtbot.waitSignal(window.idle.warning, timeout=2000):
        pass
    warning = window.idle_overlay
    assert warning.geometry() == window.rect()
    siblings = [w for w in window.children() if w in (warning, window.crisis)]
    assert siblings.index(warning) > siblings.index(window.crisis)  # drawn over it
    tap(qtbot, find_button(warning, "I'm still here"))
    assert window.crisis.isVisible()  # the patient was there: crisis help stays
    tap(qtbot, find_button(window.crisis, "Close"))
    with qtbot.waitSignal(window.idle.warning, timeout=2000):
        pass
    assert warning.geometry() == window.stack.geometry()  # below the bar again
