"""Home as a guide (issue 11 point 2): Start here, tiles with summaries and
icons, footer links, read ticks and "Continue" (forgotten at the reset), the
clinic's details in sight, the clinic's name never cut off."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.content import Library
from kiosk.content.model import FOOTER
from kiosk.ui.patient.home import PORTRAIT_DETAILS_SHARE, PageTile
from kiosk.ui.window import KioskWindow
from tests.conftest import SCREEN_SIZES, MakeWindow
from tests.ui.helpers import find_button, tap


def _page_tiles(window: KioskWindow) -> list[PageTile]:
    tiles = [t for t in window.home.tiles if isinstance(t, PageTile)]
    assert len(tiles) == len(window.home.tiles)
    return tiles


def test_start_here_opens_the_first_page(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    window = make_window()
    start = find_button(window, "Start here")
    assert start.accessibleName() == "Start here"
    tap(qtbot, start)
    assert window.current_screen == f"page:{shipped_library.topics[0].pages[0].key}"


def test_tiles_show_summaries_and_icons(make_window: MakeWindow, shipped_library: Library) -> None:
    window = make_window()
    for tile in _page_tiles(window):
        summary = tile.findChild(QWidget, "tileSummary")
        assert summary is not None and summary.isVisible()
        assert summary.text() == tile.page.summary != ""  # type: ignore[attr-defined]
        assert tile.picture.isVisible() and not tile.picture.pixmap().isNull()
    # The shipped pages name their icons: no two tiles look alike.
    icons = [tile.page.icon for tile in _page_tiles(window)]
    assert None not in icons and len(set(icons)) == len(icons)


def test_footer_pages_are_links_not_tiles(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    window = make_window()
    footer = [p for p in shipped_library.topics[0].pages if p.tile == FOOTER]
    assert [p.title for p in footer] == ["Conclusion", "About this information"]
    assert [link.text() for link in window.home.links] == [p.title for p in footer]
    assert not {t.label_text() for t in window.home.tiles} & {p.title for p in footer}
    lowest_tile = max(t.geometry().bottom() for t in window.home.tiles)
    for link in window.home.links:
        assert link.geometry().top() > lowest_tile  # under the tiles
        assert link.height() < window.home.tiles[0].height()  # small
    tap(qtbot, find_button(window, "About this information"))
    assert window.current_screen == f"page:{footer[1].key}"


def test_footer_links_one_under_another_line_up_at_the_left(make_window: MakeWindow) -> None:
    """Portrait at the largest text: the links stack, each as wide as its words
    and at the left (stretched to the longest, "Conclusion" sat centred under
    "About this information", its tap area running on past its words)."""
    window = make_window((800, 1280))
    window.set_text_size("largest")
    QApplication.processEvents()
    first, second = window.home.links
    assert first.geometry().top() < second.geometry().top()  # one under the other
    assert first.geometry().left() == second.geometry().left()
    for link in (first, second):
        assert link.width() == link.sizeHint().width(), link.text()


def test_a_page_read_gets_a_tick_and_continue_appears_until_the_reset(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    window = make_window()
    pages = shipped_library.topics[0].pages
    assert not window.home.continue_card.isVisible()
    assert not any(t.tick.isVisible() for t in _page_tiles(window))
    tap(qtbot, window.home.tiles[1])  # "What is ketamine?"
    window.show_next()  # "How does ketamine work?"
    window.show_home()
    QApplication.processEvents()
    ticked = [t.page.key for t in _page_tiles(window) if t.tick.isVisible()]
    assert ticked == [pages[1].key, pages[2].key]
    assert "You have read this page." in window.home.tiles[1].accessibleDescription()
    card = find_button(window, "Continue where you left off")
    assert card.accessibleDescription() == pages[2].title
    tap(qtbot, card)
    assert window.current_screen == f"page:{pages[2].key}"

    window.reset()  # the idle reset: the next patient sees none of it
    QApplication.processEvents()
    assert window.current_screen == "home"
    assert not window.home.continue_card.isVisible()
    assert not any(t.tick.isVisible() for t in _page_tiles(window))
    assert not any("read" in t.accessibleDescription() for t in window.home.tiles)
    window.show_home()  # home again without a page: still nothing to continue
    assert not window.home.continue_card.isVisible()


def test_continue_is_not_there_before_any_page(make_window: MakeWindow) -> None:
    window = make_window()
    window.show_request()
    window.show_home()
    assert not window.home.continue_card.isVisible()


def test_ticks_follow_the_language(make_window: MakeWindow, shipped_library: Library) -> None:
    """Tiles are built again in Spanish: the page read keeps its tick."""
    window = make_window()
    window.show_page(shipped_library.topics[0].pages[3].key)
    window.show_home()
    window.set_language("es")
    QApplication.processEvents()
    ticked = [t.page.key for t in _page_tiles(window) if t.tick.isVisible()]
    assert ticked == [shipped_library.topics[0].pages[3].key]
    assert window.home.continue_card.accessibleDescription() == "¿Qué es la terapia con ketamina?"


def _visible_rect(window: QWidget, widget: QWidget) -> QRect:
    """The part of ``widget`` the patient sees: inside the window and, in a
    scroll area, inside its view."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    seen = rect.intersected(window.rect())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            view = parent.viewport()
            seen = seen.intersected(QRect(view.mapTo(window, view.rect().topLeft()), view.size()))
        parent = parent.parentWidget()
    return seen


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_phone_hours_and_qr_are_in_sight_without_scrolling(
    make_window: MakeWindow, config: Config, size: tuple[int, int]
) -> None:
    branded = replace(
        config,
        clinic_hours="Mon-Fri 8am-5pm, Sat 9am-noon",
        clinic_website="riverside-clinic.example/ketamine",
    )
    window = make_window(size, cfg=branded)
    QApplication.processEvents()
    info = window.home.info
    assert info.qr is not None and info.qr_caption is not None
    for widget in (*info.lines, info.qr, info.qr_caption):
        assert widget.isVisible()
        assert _visible_rect(window, widget) == QRect(
            widget.mapTo(window, widget.rect().topLeft()), widget.size()
        ), widget.objectName()
    assert window.home.info_area.verticalScrollBar().maximum() == 0  # nothing hidden below
    assert find_button(window, "Request information").isVisible()


@pytest.mark.parametrize(
    ("text_size", "language", "branded"),
    [("default", "en", False), ("largest", "es", False), ("largest", "en", True)],
    ids=["default", "es", "hours-and-website"],
)
def test_in_portrait_the_clinics_card_leaves_the_topics_room(
    qtbot: QtBot,
    make_window: MakeWindow,
    config: Config,
    text_size: str,
    language: str,
    branded: bool,
) -> None:
    """Portrait: the card below the tiles is as tall as its code, the code's
    caption beside it (under the lines); under the code it took five lines
    at Largest in Spanish, and the card squeezed the topics to one and a bit.
    With the clinic's hours and website too, at Largest, it took half of home
    and no tile showed: it is capped (``PORTRAIT_DETAILS_SHARE``) and scrolls."""
    if branded:
        config = replace(
            config,
            clinic_hours="Mon-Fri 8am-5pm, Sat 9am-noon",
            clinic_website="riverside-clinic.example/ketamine",
        )
    window = make_window((800, 1280), cfg=config)
    window.set_language(language)
    window.set_text_size(text_size)
    home = window.home
    qtbot.waitUntil(lambda: len(_page_tiles(window)) >= 2)
    QApplication.processEvents()
    info = home.info
    assert info.qr is not None and info.qr_caption is not None
    qr = QRect(info.qr.mapTo(window, info.qr.rect().topLeft()), info.qr.size())
    caption = QRect(
        info.qr_caption.mapTo(window, info.qr_caption.rect().topLeft()), info.qr_caption.size()
    )
    lines = info.lines[0]
    if not branded:  # (with hours and a website, the lines are taller than the code)
        assert caption.right() < qr.left() and caption.top() < qr.bottom()  # beside the code
        assert lines.mapTo(window, lines.rect().bottomLeft()).y() <= caption.top()  # under them
        top = lines.mapTo(window, lines.rect().topLeft()).y()
        tallest = max(qr.height(), caption.bottom() - top)
        assert info.height() <= tallest + 2 * 16 + 8, (info.height(), tallest)
    assert home.info_area.height() <= home.height() * PORTRAIT_DETAILS_SHARE
    # "Start here" and the first topic's tile whole on screen, without scrolling.
    for widget in (home.start_card, _page_tiles(window)[0]):
        whole = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        assert _visible_rect(window, widget) == whole, widget.accessibleName()


def test_a_fade_shows_at_the_edge_only_while_there_is_more(make_window: MakeWindow) -> None:
    window = make_window((800, 1280))
    top, bottom = window.home.fades
    bar = window.home.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0  # the shipped topic is taller than the view
    assert bottom.isVisible() and not top.isVisible()
    view = window.home.scroll_area.viewport().geometry()
    assert bottom.geometry().bottom() == view.bottom()  # over the view's cut edge
    bar.setValue(bar.maximum())
    assert top.isVisible() and not bottom.isVisible()
    window.reset()
    assert bottom.isVisible() and not top.isVisible()


LONG_NAME = "Riverside Community Mental Health and Wellness Clinic of Greater Springfield"[:60]


@pytest.mark.parametrize("name", ["Riverside Clinic", LONG_NAME])
@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_clinic_name_is_never_elided(
    make_window: MakeWindow, config: Config, size: tuple[int, int], name: str
) -> None:
    """At every size and text size, in both languages, on home and on a page (whose
    bar has "Request information" too): smaller (not under 18 pt) or on two
    lines, whole."""
    window = make_window(size, cfg=replace(config, clinic_name=name))
    label = window.clinic_name
    page = window.library.topics[0].pages[0].key
    # The text size outermost: each change restyles the whole window (about 0.15 s),
    # a language or a screen costs little. Every combination still checked.
    for text_size, language, screen in itertools.product(
        ("default", "large", "largest"), ("en", "es"), ("home", "page")
    ):
        window.set_language(language)
        window.show_page(page) if screen == "page" else window.show_home()
        window.set_text_size(text_size)
        QApplication.processEvents()
        font, lines = label.fitted()
        assert label.is_whole(), (language, screen, text_size, lines)
        assert " ".join(lines) == name
        assert font.pointSizeF() >= 18
        assert len(lines) <= 2
        assert all(label.fontMetrics().boundingRect(line).width() > 0 for line in lines)
    if name == LONG_NAME and size[0] == 800:
        assert len(lines) == 2  # too long for one line at 18 pt on a portrait bar


@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_welcome_is_never_squeezed_beside_the_languages(
    make_window: MakeWindow, size: tuple[int, int]
) -> None:
    """Beside English / Español while the welcome keeps two lines; above it
    otherwise (large Spanish text once took six lines in a narrow column)."""
    window = make_window(size)
    home = window.home
    seen = set()
    for text_size in ("default", "large", "largest"):  # outermost: each restyles the window
        window.set_text_size(text_size)
        for language in ("en", "es"):
            window.set_language(language)
            QApplication.processEvents()
            welcome, languages = home.welcome.geometry(), home.languages.geometry()
            lines = welcome.height() / home.welcome.fontMetrics().lineSpacing()
            beside = languages.top() < welcome.bottom() and languages.left() > welcome.right()
            above = languages.bottom() < welcome.top()
            assert beside or above, (language, text_size)
            if beside:
                assert lines <= 2.5, (language, text_size, lines)
            else:  # the whole row is the welcome's, under the languages at its end
                assert welcome.right() >= languages.right() - 1, (language, text_size)
            seen.add("beside" if beside else "above")
            if language == "en" and text_size == "default":
                assert beside  # the usual look keeps one row
    if size == (1280, 800):
        assert seen == {"beside", "above"}
