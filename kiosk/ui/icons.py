"""Icons for home's tiles and cards: the built-in SVGs in ``resources/icons/``
(drawn in black, shown in a theme colour) and pictures a page names.

Home is on the first paint, so each icon is drawn once per size, colour and
pixel ratio and kept (``_CACHE``); a restyle to high contrast draws the few
it needs again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.paths import icon_dir
from kiosk.ui.pictures import read_picture

#: A page's tile without an ``icon:`` of its own.
DEFAULT_ICON = "page"

_CACHE: dict[tuple[Path, int, str, float], QPixmap] = {}


def builtin(name: str) -> Path:
    """The file of the built-in icon ``name`` (``icons/<name>.svg``)."""
    return icon_dir() / f"{name}.svg"


def icon_pixmap(path: Path, px: int, colour: str, ratio: float = 1.0) -> QPixmap:
    """``path`` drawn ``px`` logical pixels square at the screen's pixel ratio:
    an SVG in ``colour`` (its shapes keep their alpha, the colour replaces
    black), a picture as it is, scaled to fit. A file that cannot be drawn
    gives an empty pixmap (the loader checked it exists; it may have gone since)."""
    key = (path, px, colour, ratio)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    side = max(1, round(px * ratio))
    if path.suffix.lower() == ".svg":
        pixmap = _tinted_svg(path, side, colour)
    else:
        pixmap = QPixmap.fromImage(read_picture(path))
        if not pixmap.isNull():
            pixmap = pixmap.scaled(
                side,
                side,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
    pixmap.setDevicePixelRatio(ratio)
    _CACHE[key] = pixmap
    return pixmap


def _tinted_svg(path: Path, side: int, colour: str) -> QPixmap:
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        return QPixmap()
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    # Keep the drawing's coverage, take the theme's colour.
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(image.rect(), QColor(colour))
    painter.end()
    return QPixmap.fromImage(image)
