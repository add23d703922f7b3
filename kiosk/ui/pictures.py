"""The content's pictures read as the kind their names say, and no bigger than
the kiosk shows (``kiosk.content.pictures.MAX_PICTURE_SIDE``).

Qt reads a picture file by its content, whatever its name: an SVG saved as
".png" would be drawn as an SVG, and an SVG can draw any file of the disk. The
loader leaves such a file out already (``content_matches_suffix``); reading
each picture as its suffix's kind only, here, holds even for a file changed
since. A picture's size is read from its header before anything is decoded:
one too big (8000 x 8000 takes seconds and 256 MB on the screen's thread) is
not decoded at all.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QImage, QImageReader

from kiosk.content.pictures import MAX_PICTURE_SIDE

log = logging.getLogger(__name__)

#: Qt's name for each picture kind the content may use, by suffix.
_FORMATS = {
    ".png": b"png",
    ".jpg": b"jpeg",
    ".jpeg": b"jpeg",
    ".gif": b"gif",
    ".webp": b"webp",
    ".bmp": b"bmp",
}


def read_picture(path: Path) -> QImage:
    """The picture at ``path``, or a null QImage (logged) when it is not of the
    kind its suffix says, cannot be read, or is over ``MAX_PICTURE_SIDE`` on a side."""
    kind = _FORMATS.get(path.suffix.lower())
    if kind is None:
        log.warning("picture %s: not a kind of picture the kiosk shows", path)
        return QImage()
    reader = QImageReader(str(path), kind)
    reader.setAutoDetectImageFormat(False)  # the suffix's kind, never the content's
    reader.setDecideFormatFromContent(False)
    size = reader.size()  # from the header: nothing decoded yet
    if not size.isValid():
        log.warning(
            "picture %s: cannot be read as %s (%s)", path, kind.decode(), reader.errorString()
        )
        return QImage()
    if max(size.width(), size.height()) > MAX_PICTURE_SIDE:
        log.warning(
            "picture %s: %dx%d pixels, over %d on a side; not shown",
            path,
            size.width(),
            size.height(),
            MAX_PICTURE_SIDE,
        )
        return QImage()
    image = reader.read()
    if image.isNull():
        log.warning(
            "picture %s: cannot be read as %s (%s)", path, kind.decode(), reader.errorString()
        )
    return image
