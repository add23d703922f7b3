"""Pictures are read as the kind their names say, and none over the size the
kiosk shows is decoded (kiosk/ui/pictures.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.content import load_library
from kiosk.content.pictures import MAX_PICTURE_SIDE
from kiosk.ui.patient.page import PageDocument
from kiosk.ui.pictures import read_picture
from tests.conftest import MakeWindow, png_bytes, write_page

# An SVG that draws a file from elsewhere on the disk: what a ".png" must never be read as.
_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="20" height="20"><image xlink:href="{target}" width="20" height="20"/></svg>'
)


def _jpeg_bytes() -> bytes:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "JPEG")  # type: ignore[call-overload]  # the stubs lack (QIODevice, str)
    return bytes(data.data())


def test_a_picture_of_its_named_kind_is_read(tmp_path: Path) -> None:
    png = tmp_path / "fine.png"
    png.write_bytes(png_bytes(MAX_PICTURE_SIDE, 2))
    jpeg = tmp_path / "photo.jpg"
    jpeg.write_bytes(_jpeg_bytes())
    assert read_picture(png).size().toTuple() == (MAX_PICTURE_SIDE, 2)
    assert read_picture(jpeg).size().toTuple() == (8, 8)


def test_another_kind_under_a_pictures_name_is_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "outside.png"
    secret.write_bytes(png_bytes(20, 20))
    svg = tmp_path / "diagram.png"
    svg.write_text(_SVG.format(target=secret), encoding="utf-8")
    renamed = tmp_path / "photo.png"
    renamed.write_bytes(_jpeg_bytes())
    assert not QImage(str(svg)).isNull()  # what Qt alone does: reads it as an SVG
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.pictures"):
        assert read_picture(svg).isNull()
        assert read_picture(renamed).isNull()
    assert "cannot be read as png" in caplog.text


def test_a_picture_too_big_is_not_decoded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    wide = tmp_path / "wide.png"
    wide.write_bytes(png_bytes(MAX_PICTURE_SIDE + 1, 2))
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.pictures"):
        assert read_picture(wide).isNull()
    assert f"{MAX_PICTURE_SIDE + 1}x2 pixels, over {MAX_PICTURE_SIDE}" in caplog.text


def test_a_page_shows_nothing_where_its_picture_is_too_big(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    """The loader reads no picture's pixels (start-up): a picture too big reaches
    the page, which shows its text and nothing in the picture's place, not Qt's
    broken-file icon, and decodes none of it."""
    content = tmp_path / "content"
    folder = content / "t"
    (folder / "images").mkdir(parents=True)
    (folder / "topic.toml").write_text('title = "Tea"\n', encoding="utf-8")
    (folder / "images" / "huge.png").write_bytes(png_bytes(8000, 8000))
    (folder / "images" / "small.png").write_bytes(png_bytes(30, 20))
    write_page(
        folder, "01-a.md", "A", 1, "Before. ![Huge](images/huge.png) ![Small](images/small.png)"
    )
    window = make_window(library=load_library(content))
    window.show_page("t/01-a")
    QApplication.processEvents()
    document = window.page.body.document()
    assert isinstance(document, PageDocument) and document.rendered is not None
    kind = QTextDocument.ResourceType.ImageResource.value
    images: dict[str, QImage] = {}
    for name in document.rendered.images:
        loaded = document.loadResource(kind, name)
        assert isinstance(loaded, QImage)
        images[name] = loaded
    (huge,) = [image for name, image in images.items() if "huge" in name]
    (small,) = [image for name, image in images.items() if "small" in name]
    assert huge.size().toTuple() == (1, 1) and huge.pixelColor(0, 0).alpha() == 0
    assert small.size().toTuple() == (30, 20)
    assert "Before." in window.page.body.toPlainText()


def _shown_picture_widths(document: QTextDocument) -> list[float]:
    widths = []
    block = document.begin()
    while block.isValid():
        pieces = block.begin()
        while not pieces.atEnd():
            shape = pieces.fragment().charFormat()
            pieces += 1
            if shape.isImageFormat():
                widths.append(shape.toImageFormat().width())
        block = block.next()
    return widths


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_a_wide_picture_fits_the_text_and_the_page_opens_at_its_top(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, size: tuple[int, int]
) -> None:
    """1600 px wide (what the admin's guide calls plenty): it was drawn at its
    own size and cut off at the right of the text. And a page with a picture at
    its top opened scrolled down the first time it was shown: QTextEdit's
    first show scrolled to the foot of the cursor's line, the picture."""
    content = tmp_path / "content"
    folder = content / "t"
    (folder / "images").mkdir(parents=True)
    (folder / "topic.toml").write_text('title = "Tea"\n', encoding="utf-8")
    (folder / "images" / "room.png").write_bytes(png_bytes(1600, 900))
    (folder / "images" / "small.png").write_bytes(png_bytes(200, 100))
    body = "Some words.\n\n" * 30 + "![Small](images/small.png)"
    write_page(folder, "01-a.md", "A", 1, body, extra="picture: images/room.png\n")
    window = make_window(size, library=load_library(content))
    window.show_page("t/01-a")
    QApplication.processEvents()
    page = window.page.body
    assert page.verticalScrollBar().value() == 0
    room, small = _shown_picture_widths(page.document())
    room_width = page.viewport().width() - 2 * page.document().documentMargin()
    assert room == pytest.approx(room_width, abs=1)  # as wide as the text, no wider
    assert small == 200  # a small one at its own size
    layout = page.document().documentLayout()
    assert layout.documentSize().width() <= page.viewport().width() + 1
