"""Every page is reached by tapping and by swiping; turning a page starts at its top."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Library, load_library
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow, write_page
from tests.ui.helpers import find_button, swipe, tap


def current_key(window: KioskWindow) -> str:
    """The key of the page on screen (there is one)."""
    page = window.current_page
    assert page is not None
    return page.key


def test_every_page_reached_by_tapping_next(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """From the first tile, Next walks every page in order; Next is off on the last."""
    window = make_window()
    pages = shipped_library.topics[0].pages
    tap(qtbot, find_button(window, pages[0].title))
    seen = [current_key(window)]
    for _ in pages[1:]:
        tap(qtbot, find_button(window, "Next"))
        seen.append(current_key(window))
    assert seen == [p.key for p in pages]
    assert not find_button(window, "Next").isEnabled()
    assert window.page.progress.text() == f"{len(pages)} of {len(pages)}"
    assert window.page.dots.position() == (len(pages) - 1, len(pages))


def test_every_page_reached_from_its_home_tile(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Each tile on home opens its page; Home goes back."""
    window = make_window()
    for index, page in enumerate(shipped_library.topics[0].pages):
        tap(qtbot, find_button(window, page.title))
        assert window.current_screen == f"page:{page.key}"
        assert window.page.title.text() == page.title
        assert window.page.progress.text() == f"{index + 1} of 9"
        tap(qtbot, find_button(window, "Home"))
        assert window.current_screen == "home"


def test_every_page_reached_by_swiping(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """A one-finger swipe left turns to the next page, right to the previous."""
    window = make_window()
    pages = shipped_library.topics[0].pages
    tap(qtbot, find_button(window, pages[0].title))
    viewport = window.page.body.viewport()
    for page in pages[1:]:
        swipe(viewport, -300)
        assert current_key(window) == page.key
    swipe(viewport, -300)  # nothing after the last page
    assert current_key(window) == pages[-1].key
    for page in reversed(pages[:-1]):
        swipe(viewport, 300)
        assert current_key(window) == page.key


def test_a_vertical_drag_scrolls_and_does_not_turn(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Dragging up reads on: the page scrolls, it does not turn, no text is selected."""
    window = make_window((800, 1280))
    window.show_page(shipped_library.topics[0].pages[5].key)
    window.resize(800, 600)  # make the long page scroll
    qtbot.wait(50)
    bar = window.page.body.verticalScrollBar()
    assert bar.maximum() > 0
    swipe(window.page.body.viewport(), 20, -200)
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=2000)
    assert current_key(window) == shipped_library.topics[0].pages[5].key
    body = window.page.body
    assert not body.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    # Even if the text were selectable, a drag is the scroller's, never a selection.
    body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    bar.setValue(0)
    swipe(body.viewport(), 60, 150)
    assert not body.textCursor().hasSelection()


def test_turning_a_page_starts_at_its_top(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """After scrolling down a page, the next page opens at its top."""
    window = make_window((1280, 500))
    pages = shipped_library.topics[0].pages
    window.show_page(pages[5].key)
    bar = window.page.body.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    tap(qtbot, find_button(window, "Next"))
    assert current_key(window) == pages[6].key
    assert bar.value() == 0
    tap(qtbot, find_button(window, "Previous"))
    assert bar.value() == 0


def test_slow_sideways_drag_is_not_a_swipe(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """A finger resting and wandering sideways for seconds does not turn the page."""
    window = make_window()
    pages = shipped_library.topics[0].pages
    window.show_page(pages[2].key)
    swipe(window.page.body.viewport(), -300, steps=10, ms_per_step=150)
    assert current_key(window) == pages[2].key


def test_request_and_crisis_from_every_screen(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """ "Need help now?" and "Request information" are one tap away everywhere."""
    window = make_window()
    for screen in ("home", "page", "request"):
        if screen == "page":
            window.show_page(shipped_library.topics[0].pages[3].key)
        elif screen == "request":
            window.show_request()
        tap(qtbot, find_button(window, "Need help now?"))
        assert window.crisis.isVisible()
        crisis = window.crisis
        assert "988" in crisis.body.text() and "911" in crisis.emergency.text()
        assert crisis.emergency.isVisible() and crisis.call_qr.isVisible()
        tap(qtbot, find_button(window, "Close"))
        assert not window.crisis.isVisible()
        if screen != "request":
            tap(qtbot, find_button(window, "Request information"))
            assert window.current_screen == "request"
            tap(qtbot, find_button(window, "Home"))


def test_link_to_another_page_moves_inside_the_kiosk(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Tapping an internal link opens that page in the kiosk."""
    root = tmp_path / "c"
    write_page(root / "t", "01-a.md", "Alpha", 1, "Read [the beta page](02-b.md) next.")
    write_page(root / "t", "02-b.md", "Beta", 2)
    write_page(root / "t", "03-c.md", "Gamma", 3)
    library = load_library(root)
    window = make_window(library=library)
    window.show_page("t/01-a")
    browser = window.page.body
    rect = None
    doc = browser.document()
    block = doc.begin()
    while block.isValid() and rect is None:
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isAnchor():
                cursor = browser.textCursor()
                cursor.setPosition(fragment.position() + 2)
                rect = browser.cursorRect(cursor)
                break
            it += 1
        block = block.next()
    assert rect is not None
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current_screen == "page:t/02-b", timeout=2000)


@pytest.mark.parametrize("count", [2, 3])
def test_several_topics_show_topic_tiles(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path, count: int
) -> None:
    """With more than one topic, home shows the topics; a tile opens its first page."""
    root = tmp_path / "c"
    for n in range(count):
        write_page(root / f"topic{n}", "01.md", f"First of {n}", 1)
        write_page(root / f"topic{n}", "02.md", f"Second of {n}", 2)
        (root / f"topic{n}" / "topic.toml").write_text(
            f'title = "Topic {n}"\norder = {n}\nsummary = "About {n}"\n', encoding="utf-8"
        )
    window = make_window(library=load_library(root))
    tap(qtbot, find_button(window, f"Topic {count - 1}"))
    assert window.current_screen == f"page:topic{count - 1}/01"
    assert window.page.progress.text() == "1 of 2"


def _touch_drag(qapp: QApplication, widget: QWidget, dx: int, dy: int = 0, steps: int = 8) -> None:
    """A real finger: QTouchEvents from a touch-screen device, as a tablet sends them."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    device = QTest.createTouchDevice()
    start = widget.rect().center()
    QTest.touchEvent(widget, device).press(0, start, widget).commit()
    for i in range(1, steps + 1):
        QTest.qWait(15)
        point = start + QPoint(dx * i // steps, dy * i // steps)
        QTest.touchEvent(widget, device).move(0, point, widget).commit()
    QTest.touchEvent(widget, device).release(0, start + QPoint(dx, dy), widget).commit()
    qapp.processEvents()


def test_a_real_touch_swipe_turns_the_page(
    make_window: MakeWindow, qtbot: QtBot, qapp: QApplication, shipped_library: Library
) -> None:
    """Touch-screen events (not mouse) swipe too: Qt turns unhandled touches into mouse."""
    window = make_window()
    pages = shipped_library.topics[0].pages
    window.show_page(pages[3].key)
    _touch_drag(qapp, window.page.body.viewport(), -300)
    qtbot.waitUntil(lambda: current_key(window) == pages[4].key, timeout=2000)
    _touch_drag(qapp, window.page.body.viewport(), 300)
    qtbot.waitUntil(lambda: current_key(window) == pages[3].key, timeout=2000)


def test_a_real_touch_tap_presses_a_button(
    make_window: MakeWindow, qtbot: QtBot, qapp: QApplication, shipped_library: Library
) -> None:
    """A finger's tap on a tile opens its page."""
    from PySide6.QtTest import QTest

    window = make_window()
    tile = find_button(window, shipped_library.topics[0].pages[1].title)
    device = QTest.createTouchDevice()
    QTest.touchEvent(tile, device).press(0, tile.rect().center(), tile).commit()
    QTest.touchEvent(tile, device).release(0, tile.rect().center(), tile).commit()
    qtbot.waitUntil(lambda: window.current_screen.startswith("page:"), timeout=2000)
    assert current_key(window) == shipped_library.topics[0].pages[1].key


def test_a_verified_picture_shows_and_nothing_else_loads(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """The page's own picture reaches the screen; a file: or absolute source never loads."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument

    from tests.conftest import png_bytes

    root = tmp_path / "c"
    (root / "t" / "img").mkdir(parents=True)
    (root / "t" / "img" / "room.png").write_bytes(png_bytes(5, 4))
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes(7, 7))
    write_page(root / "t", "01.md", "Pictures", 1, "![Our room](img/room.png)")
    window = make_window(library=load_library(root))
    window.show_page("t/01")
    browser = window.page.body  # the page's document loads its pictures
    image_kind = QTextDocument.ResourceType.ImageResource.value
    shown = browser.document().loadResource(image_kind, QUrl("kiosk:image/t/img/room.png"))
    assert isinstance(shown, QImage) and (shown.width(), shown.height()) == (5, 4)
    for name in (QUrl.fromLocalFile(str(secret)), QUrl(str(secret)), QUrl("img/room.png")):
        assert browser.document().loadResource(image_kind, name) is None
    window.reset()
    assert browser.document().loadResource(image_kind, QUrl("kiosk:image/t/img/room.png")) is None


def test_a_tap_on_a_coasting_page_only_stops_it(
    make_window: MakeWindow, qtbot: QtBot, qapp: QApplication, shipped_library: Library
) -> None:
    """After a flick the text coasts; a tap stops it and is not a tap on what is below."""
    from PySide6.QtCore import QEvent, QObject

    window = make_window((800, 600))
    window.show_page(shipped_library.topics[0].pages[5].key)
    viewport = window.page.body.viewport()

    class Presses(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.MouseButtonPress:
                Presses.count += 1
            return False

    # Installed first, so it runs after TouchScroller: it sees only what passes.
    spy = Presses()
    viewport.removeEventFilter(window.page.scroller)
    viewport.installEventFilter(spy)
    viewport.installEventFilter(window.page.scroller)
    swipe(viewport, 0, -250, steps=4, ms_per_step=10)  # a quick flick up
    qtbot.waitUntil(lambda: window.page.scroller.scrolling, timeout=2000)
    passed_before = Presses.count
    tap(qtbot, viewport)
    assert Presses.count == passed_before  # the press stopped the fling, nothing else
    assert not window.page.scroller.scrolling
    tap(qtbot, viewport)  # once still, a tap passes through as usual
    assert Presses.count == passed_before + 1
    viewport.removeEventFilter(spy)


def test_home_scrolls_when_the_finger_lands_on_a_tile(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Tiles cover most of home: a drag that starts on one scrolls, and opens nothing."""
    window = make_window((800, 560))
    bar = window.home.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0
    tile = window.home.tiles[4]
    swipe(tile, 0, -160, steps=8, ms_per_step=40, live=True)
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=2000)
    assert window.current_screen == "home"
    assert not tile.isDown()


def test_a_tap_on_coasting_home_opens_nothing(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """A tap that stops the home list coasting does not open the tile under it."""
    window = make_window((800, 560))
    swipe(window.home.tiles[6], 0, -200, steps=4, ms_per_step=10)  # a quick flick
    qtbot.waitUntil(lambda: window.home.scroller.scrolling, timeout=2000)
    tap(qtbot, window.home.tiles[4])
    assert window.current_screen == "home"
    assert not window.home.scroller.scrolling
    tap(qtbot, window.home.tiles[4])  # when still, a tap opens it
    assert window.current_screen == f"page:{shipped_library.topics[0].pages[4].key}"


def test_page_style_survives_turns_and_resets(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """The page text's style sheet is set once and still applies after a reset."""
    from kiosk.ui.theme import document_css

    window = make_window()
    window.show_page(shipped_library.topics[0].pages[2].key)
    window.reset()
    window.show_page(shipped_library.topics[0].pages[3].key)
    css = window.page.body.document().defaultStyleSheet()
    assert css == document_css(window.config)
    assert "line-height: 140%" in css


def _uniform(widget: QWidget) -> bool:
    """Every pixel of ``widget`` the same colour: nothing drawn on its background."""
    image = widget.grab().toImage()
    first = image.pixel(0, 0)
    return all(
        image.pixel(x, y) == first for y in range(image.height()) for x in range(image.width())
    )


def test_a_page_keeps_its_texts_width_whether_or_not_it_scrolls(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """The scroll bar keeps its place on a page too short to scroll, disabled
    and drawn as nothing: a bar that came and went with the page's length
    changed the width the text is laid out at, so a turn from a short page to
    a long one laid the text out twice (the slowest page turns)."""
    root = tmp_path / "c"
    write_page(root / "t", "01-a.md", "Short", 1, "One line.")
    write_page(root / "t", "02-b.md", "Long", 2, "\n\n".join(["A paragraph of text."] * 80))
    write_page(root / "t", "03-c.md", "Short again", 3)
    window = make_window(library=load_library(root))
    window.show_page("t/01-a")
    QApplication.processEvents()
    body = window.page.body
    bar = body.verticalScrollBar()

    class Resizes(QObject):
        seen = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:
                Resizes.seen += 1
            return False

    spy = Resizes(body)
    body.viewport().installEventFilter(spy)
    widths, enabled, blank = [], [], []
    for key in ("t/02-b", "t/01-a", "t/02-b", "t/03-c"):
        window.show_page(key)
        QApplication.processEvents()
        widths.append(body.document().textWidth())
        enabled.append(bar.isEnabled())
        blank.append(_uniform(bar))
    assert Resizes.seen == 0  # the text's room never changed
    assert len(set(widths)) == 1
    assert bar.isVisible()
    assert enabled == [True, False, True, False]
    assert blank == [False, True, False, True]  # a handle only where there is more to see
