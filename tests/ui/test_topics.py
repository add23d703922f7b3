"""More than one topic: home shows the topics (with a cover and a summary);
pages link across topics; it all fits every reference screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.content import Library, load_library
from tests.conftest import SCREEN_SIZES, MakeWindow, png_bytes, write_page
from tests.ui.helpers import find_button, tap
from tests.ui.test_layout import SCALES, _check_controls, _check_text


@pytest.fixture
def two_topics(tmp_path: Path) -> Library:
    root = tmp_path / "content"
    first = root / "ketamine"
    second = root / "tms"
    (first / "images").mkdir(parents=True)
    second.mkdir(parents=True)
    (first / "images" / "cover.png").write_bytes(png_bytes(120, 120))
    (first / "topic.toml").write_text(
        'title = "Ketamine and depression"\norder = 1\n'
        'summary = "What it is and how it helps"\ncover = "images/cover.png"\n',
        encoding="utf-8",
    )
    (second / "topic.toml").write_text(
        'title = "TMS therapy"\norder = 2\nsummary = "Magnetic stimulation, explained"\n',
        encoding="utf-8",
    )
    write_page(first, "01.md", "What is ketamine?", 1, "See also [TMS](../tms/01.md).")
    write_page(first, "02.md", "How it works", 2)
    write_page(second, "01.md", "What is TMS?", 1, "Back to [ketamine](../ketamine/02.md).")
    library = load_library(root)
    assert not library.errors, library.errors
    return library


def test_home_shows_the_topics_with_cover_and_summary(
    make_window: MakeWindow, qtbot: QtBot, two_topics: Library
) -> None:
    window = make_window(library=two_topics)
    titles = [t.label_text() for t in window.home.tiles]
    assert titles == ["Ketamine and depression", "TMS therapy"]
    first, second = window.home.tiles
    assert first.cover is not None and not first.cover.pixmap().isNull()
    assert second.cover is None
    assert first.accessibleDescription() == "What it is and how it helps"
    tap(qtbot, find_button(window, "TMS therapy"))
    assert window.current_screen == "page:tms/01"


def test_links_cross_topics(make_window: MakeWindow, qtbot: QtBot, two_topics: Library) -> None:
    window = make_window(library=two_topics)
    window.show_page("ketamine/01")
    window.page.body.anchorClicked.emit(QUrl("kiosk:page/tms/01"))
    assert window.current_screen == "page:tms/01"
    assert window.page.progress.text() == "1 of 1"  # now within the TMS topic
    page = two_topics.page("tms/01")
    assert page is not None
    html = page.html
    assert "kiosk:page/ketamine/02" in html


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("size", SCREEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_topic_home_fits_every_screen(
    make_window: MakeWindow,
    two_topics: Library,
    config: Config,
    size: tuple[int, int],
    scale: float,
) -> None:
    from dataclasses import replace

    window = make_window(size, library=two_topics, cfg=replace(config, text_scale=scale))
    QApplication.processEvents()
    _check_controls(window, window)
    _check_text(window, window)


def test_a_very_long_topic_builds_its_tiles_after_the_first_screenful(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """200 pages: 24 tiles at once, the rest on the next passes of the event
    loop; all of them end up there, in order, and work; a newer library
    replaces a half-built one cleanly."""
    from kiosk.ui.patient.home import FIRST_TILES

    root = tmp_path / "long"
    for n in range(1, 201):
        write_page(root / "t", f"{n:03d}.md", f"Page {n}", n)
    library = load_library(root)
    window = make_window(library=library)
    qtbot.waitUntil(lambda: len(window.home.tiles) == 200, timeout=5000)
    assert [t.label_text() for t in window.home.tiles] == [f"Page {n}" for n in range(1, 201)]
    window.home.tiles[149].click()
    assert window.current_screen == "page:t/150"
    window.show_home()
    window.set_library(library)
    assert len(window.home.tiles) == FIRST_TILES  # the rest are still to come
    window.set_library(load_library(root))  # and a reload lands meanwhile
    qtbot.waitUntil(lambda: len(window.home.tiles) == 200, timeout=5000)
    QApplication.processEvents()
    assert len(window.home.tiles) == 200  # no tiles left over from the first one
