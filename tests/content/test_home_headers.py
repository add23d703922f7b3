"""A page's home headers: ``tile: tile|footer`` and ``icon:`` (issue 11 point 2),
as the loader reads them and as ``kiosk check-content`` reports them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import load_library
from kiosk.content.model import FOOTER, TILE
from kiosk.paths import icon_dir, shipped_content_dir
from tests.conftest import png_bytes
from tests.content.test_check import REVIEWED, clean, lines, run


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return clean(tmp_path / "content")


def _header(root: Path, name: str, extra: str) -> Path:
    """Page ``name`` of the clean library with ``extra`` lines in its header
    (after title and order: line 4 on)."""
    path = root / "t" / name
    text = path.read_text(encoding="utf-8")
    head, _sep, rest = text.partition(REVIEWED)
    path.write_text(head + extra + REVIEWED + rest, encoding="utf-8")
    return path


def test_tile_and_footer_are_accepted(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _header(root, "02-b.md", "tile: footer\n")
    _header(root, "03-c.md", "tile: tile\n")
    assert lines(root) == []
    code, _out = run(["check-content", "--strict", str(root)], capsys)
    assert code == 0
    pages = load_library(root).topics[0].pages
    assert [p.tile for p in pages] == [TILE, FOOTER, TILE]


def test_another_tile_value_is_an_error_at_its_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _header(root, "02-b.md", "tile: fotter\n")
    assert lines(root) == [
        't/02-b.md:6: error: "tile" must be "tile" or "footer", got "fotter"; '
        'did you mean "footer"?; shown as a tile'
    ]
    code, _out = run(["check-content", str(root)], capsys)
    assert code == 1  # rejected, not only with --strict
    assert load_library(root).page("t/02-b").tile == TILE  # type: ignore[union-attr]


def test_a_builtin_icon_and_a_picture(root: Path) -> None:
    _header(root, "01-a.md", "icon: heart\n")
    _header(root, "03-c.md", "icon: images/ok.png\n")
    assert lines(root) == []
    pages = load_library(root).topics[0].pages
    assert pages[0].icon == icon_dir() / "heart.svg"
    assert pages[1].icon is None  # none named: home's default
    assert pages[2].icon == (root / "t" / "images" / "ok.png").resolve()


def test_an_icon_that_is_not_there_is_a_clear_warning(root: Path) -> None:
    _header(root, "01-a.md", "icon: hart\n")
    _header(root, "03-c.md", "icon: images/gone.png\n")
    found = lines(root)
    assert len(found) == 2
    assert found[0].startswith(
        't/01-a.md:4: warning: icon "hart" is not a built-in icon; did you mean "heart"?; '
        "the tile shows the default icon (built-in icons: book, brain,"
    )
    assert found[1] == (
        't/03-c.md:4: warning: icon picture "images/gone.png" not found; '
        "the tile shows the default icon"
    )
    pages = load_library(root).topics[0].pages
    assert pages[0].icon is None and pages[2].icon is None  # the page still shows


def test_an_icon_from_outside_the_content_folder_is_refused(root: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(png_bytes())
    _header(root, "01-a.md", "icon: ../../outside.png\n")
    assert lines(root) == [
        't/01-a.md:4: warning: icon picture "../../outside.png" may not use ".."; left out'
    ]


def test_a_translation_takes_them_from_its_english_page(root: Path) -> None:
    _header(root, "02-b.md", "tile: footer\nicon: heart\n")
    (root / "t" / "02-b.es.md").write_text(
        "---\ntitle: Be\ntranslation: draft\ntile: tile\n---\n\nLa página B.\n", encoding="utf-8"
    )
    found = [line for line in lines(root) if "02-b.es.md" in line and "warning" in line]
    assert found == ['t/02-b.es.md:4: warning: "tile" comes from the English page; ignored']
    spanish = load_library(root).translated("es").page("t/02-b")
    assert spanish is not None and spanish.title == "Be"
    assert (spanish.tile, spanish.icon) == (FOOTER, icon_dir() / "heart.svg")


def test_the_shipped_content_marks_its_footer_pages() -> None:
    pages = load_library(shipped_content_dir()).topics[0].pages
    assert [p.page_id for p in pages if p.tile == FOOTER] == [
        "07-conclusion",
        "09-about-this-information",
    ]
    assert all(p.icon is not None and p.icon.is_file() for p in pages if p.tile == TILE)
