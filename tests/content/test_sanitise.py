"""Hostile Markdown never reaches the screen: each case asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import Page, load_library
from tests.conftest import png_bytes, write_page

PNG = png_bytes()


def render(tmp_path: Path, body: str) -> tuple[Page, list[str]]:
    topic = tmp_path / "content" / "t"
    (topic / "img").mkdir(parents=True)
    (topic / "img" / "ok.png").write_bytes(PNG)
    write_page(topic, "01-first.md", "First", 1, body)
    write_page(topic, "02-second.md", "Second", 2)
    (topic / "topic.toml").write_text('title = "T"\norder = 1\n', encoding="utf-8")
    library = load_library(tmp_path / "content")
    page = library.page("t/01-first")
    assert page is not None
    # Problems found at load, then those the page's render found (on first use).
    return page, [str(p) for p in library.render_all()]


@pytest.mark.parametrize(
    ("body", "gone", "kept"),
    [
        ("Hi <script>alert('x')</script>there", ["script", "alert"], ["Hi", "there"]),
        ("<style>p { color: red }</style>Text", ["style", "color: red"], ["Text"]),
        (
            '<iframe src="https://evil.example">inner</iframe>After',
            ["iframe", "evil", "inner"],
            ["After"],
        ),
        ('<img src="img/ok.png" onerror="alert(1)">', ["onerror", "alert"], []),
        ('<b onclick="steal()">Bold</b>', ["onclick", "steal"], ["<b>Bold</b>"]),
        ('<p style="position:fixed">Styled</p>', ["style=", "position"], ["Styled"]),
        ('<object data="x.swf">o</object><embed src="y">', ["object", "embed", "swf"], []),
        ('<form action="http://x"><input name="a"></form>', ["form", "input", "action"], []),
        ("<!-- secret comment -->Visible", ["secret"], ["Visible"]),
    ],
)
def test_raw_html_is_cleaned(tmp_path: Path, body: str, gone: list[str], kept: list[str]) -> None:
    """Scripts, styles, iframes, event attributes and forms are dropped."""
    page, _ = render(tmp_path, body)
    for text in gone:
        assert text not in page.html
    for text in kept:
        assert text in page.html


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](file:///etc/passwd)",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="file:///etc/passwd">click</a>',
        '<a href="https://example.org">click</a>',
    ],
)
def test_dangerous_links_become_text(tmp_path: Path, link: str) -> None:
    """javascript:, file: and data: links, in Markdown or raw HTML, lose their target."""
    page, _ = render(tmp_path, f"Before {link} after")
    assert "click" in page.html
    assert "href" not in page.html
    for scheme in ("javascript", "file:", "data:", "https:"):
        assert scheme not in page.html.lower()


def test_web_link_is_shown_as_text_with_its_address(tmp_path: Path) -> None:
    """A web link is readable (where it goes) but not a link."""
    page, _ = render(tmp_path, "See [the FDA](https://www.fda.gov/drugs).")
    assert "href" not in page.html
    assert "the FDA (www.fda.gov/drugs)" in page.plain_text


def test_link_to_another_page_moves_inside_the_kiosk(tmp_path: Path) -> None:
    """A relative link to a page becomes an internal kiosk link."""
    page, _ = render(tmp_path, "Go to [the second page](02-second.md).")
    assert '<a href="kiosk:page/t/02-second">the second page</a>' in page.html


def test_link_to_a_missing_page_is_text_and_reported(tmp_path: Path) -> None:
    """A link to a page that does not exist is shown as text, with a warning."""
    page, problems = render(tmp_path, "Go to [nowhere](03-missing.md).")
    assert "href" not in page.html
    assert any(
        '01-first.md:6: warning: link to "03-missing.md": no such page' in p for p in problems
    )


@pytest.mark.parametrize(
    "src",
    [
        "../../../etc/secret.png",
        "/etc/secret.png",
        "file:///etc/secret.png",
        "http://example.org/x.png",
        "img/../../outside.png",
        "C:/Windows/x.png",
        "//server/share/x.png",
    ],
)
def test_pictures_from_outside_the_content_folder_are_dropped(tmp_path: Path, src: str) -> None:
    """`..`, absolute paths, file: and http: pictures never load; the page still shows."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "secret.png").write_bytes(PNG)
    page, problems = render(tmp_path, f"Text ![pic]({src}) more")
    assert "<img" not in page.html
    assert dict(page.images) == {}
    assert "Text" in page.html and "more" in page.html
    assert any("picture" in p and "left out" in p for p in problems)


def test_raw_img_tag_cannot_smuggle_a_path(tmp_path: Path) -> None:
    """A raw <img> with any src is dropped unless the loader verified that picture."""
    page, _ = render(tmp_path, '<img src="/etc/passwd"> <img src="kiosk:image/../../x.png">')
    assert "<img" not in page.html


def test_picture_inside_the_content_folder_is_kept(tmp_path: Path) -> None:
    """A picture beside the page is shown, by a name the UI resolves."""
    page, problems = render(tmp_path, "![A calm room](img/ok.png)")
    assert problems == []
    assert '<img alt="A calm room" src="kiosk:image/t/img/ok.png">' in page.html
    assert (
        page.images["kiosk:image/t/img/ok.png"]
        == (tmp_path / "content" / "t" / "img" / "ok.png").resolve()
    )


def test_generic_attributes_are_dropped(tmp_path: Path) -> None:
    """lang/title/dir survive a default Ammonia; Qt would make title a tooltip."""
    page, _ = render(tmp_path, '<p lang="en" title="tip" dir="rtl" id="x">Text</p>')
    assert "<p>Text</p>" in page.html


def test_an_img_whose_alt_mentions_src_is_still_dropped(tmp_path: Path) -> None:
    """A picture without a verified source never draws a broken-image icon."""
    page, _ = render(tmp_path, '<img alt="q src=x" src="/etc/passwd">')
    assert "<img" not in page.html


def test_warnings_have_no_control_characters(tmp_path: Path) -> None:
    """Python-Markdown's placeholders never leak into a message a person reads."""
    _, problems = render(tmp_path, "Mail <me@example.org> and [odd](a\\\\b.md) link")
    assert problems
    for problem in problems:
        assert not any(ord(ch) < 32 for ch in problem), repr(problem)
