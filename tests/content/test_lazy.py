"""Pages are rendered when first shown, not at load; once; never crashing the kiosk."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from kiosk.content import load_library
from kiosk.content.pictures import find_pictures
from kiosk.content.render import Renderer
from tests.conftest import png_bytes, write_page


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The body of every page rendered, in order."""
    seen: list[str] = []
    original = Renderer.render

    def counting(self: Renderer, body: str, context: object) -> str:
        seen.append(body)
        return original(self, body, context)  # type: ignore[arg-type]

    monkeypatch.setattr(Renderer, "render", counting)
    return seen


def test_loading_renders_nothing(content_copy: Path, renders: list[str]) -> None:
    """Start-up reads headers only: no Markdown, whatever the number of pages."""
    for n in range(10, 60):
        write_page(content_copy / "more", f"{n:02d}.md", f"Page {n}", n, f"Text of page {n}.")
    library = load_library(content_copy)
    assert sum(len(t.pages) for t in library.topics) == 59
    assert renders == []
    assert not any(page.body.rendered for page in library.pages)


def test_first_use_renders_once(content_copy: Path, renders: list[str]) -> None:
    """html, plain_text and images come from one render, kept for next time."""
    library = load_library(content_copy)
    page = library.pages[1]
    assert "<p>Ketamine is a treatment" in page.html
    assert "Ketamine is a treatment" in page.plain_text
    assert dict(page.images) == {}
    assert page.html == page.html
    assert len(renders) == 1
    assert page.body.rendered
    assert not library.pages[2].body.rendered


def test_one_render_when_two_threads_ask_at_once(
    content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = Renderer.render
    gate = threading.Event()

    def slow(self: Renderer, body: str, context: object) -> str:
        calls.append(1)
        gate.wait(1)
        return original(self, body, context)  # type: ignore[arg-type]

    monkeypatch.setattr(Renderer, "render", slow)
    page = load_library(content_copy).pages[0]
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(page.html)) for _ in range(2)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1
    assert results[0] == results[1]


def test_render_problems_are_logged_on_first_show(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A link to no page is found (and logged) when its page is first rendered."""
    root = tmp_path / "c"
    page_file = write_page(root / "t", "01.md", "A", 1, "See [B](02-b.md).")
    (root / "t" / "topic.toml").write_text('title = "T"\norder = 1\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kiosk.content"):
        library = load_library(root)
        assert caplog.messages == []
        (page,) = library.pages
        assert "href" not in page.html
    expected = f'content: {page_file}:6: warning: link to "02-b.md": no such page; shown as text'
    assert caplog.messages == [expected]
    assert [str(p) for p in page.problems] == [expected.removeprefix("content: ")]
    page.html  # noqa: B018  # a second look logs nothing more
    assert len(caplog.messages) == 1


def test_a_page_that_fails_to_render_shows_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected failure at first show: the text, escaped, and an error in the log."""
    root = tmp_path / "c"
    page_file = write_page(root / "t", "01.md", "A", 1, "First <b>para</b>.\n\nSecond para.")

    def broken(self: Renderer, body: str, context: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(Renderer, "render", broken)
    (page,) = load_library(root).pages
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="kiosk.content"):
        assert page.html == "<p>First &lt;b&gt;para&lt;/b&gt;.</p><p>Second para.</p>"
    assert page.plain_text == "First <b>para</b>.\n\nSecond para."
    assert dict(page.images) == {}
    assert caplog.messages == [
        f"content: {page_file}: error: could not be shown (RuntimeError: boom); "
        "shown as plain text instead"
    ]


def test_a_picture_removed_after_load_does_not_break_the_page(tmp_path: Path) -> None:
    """Checked at load, gone at first show (a sync tool): the page shows, as
    formatted text, without the picture; never raw Markdown, never a crash."""
    root = tmp_path / "c"
    topic = root / "t"
    (topic / "img").mkdir(parents=True)
    (topic / "img" / "a.png").write_bytes(png_bytes())
    page_file = write_page(
        topic, "01.md", "A", 1, "## The room\n\nLook at **our** room:\n\n![A room](img/a.png)"
    )
    (page,) = load_library(root).pages
    (topic / "img" / "a.png").unlink()
    assert "<img" not in page.html
    assert "<strong>our</strong>" in page.html and "<h2>The room</h2>" in page.html
    assert "**" not in page.plain_text and "##" not in page.plain_text
    assert [str(p) for p in page.problems] == [
        f'{page_file}:10: warning: picture "img/a.png" not found; left out'
    ]


def test_the_fallback_for_a_page_that_cannot_render_shows_words_not_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.content import render

    root = tmp_path / "c"
    write_page(root / "t", "01.md", "A", 1, "## Title\n\nSee **this** [page](02.md).\n\n- one")
    write_page(root / "t", "02.md", "B", 2)
    page = load_library(root).page("t/01")
    assert page is not None

    def boom(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(render.Renderer, "render", boom)
    assert page.plain_text == "Title\n\nSee this page.\n\none"
    assert "**" not in page.html and "](" not in page.html


def test_links_to_pages_left_out_are_decided_at_load(tmp_path: Path) -> None:
    """Which pages show is known before any render, across topics too."""
    root = tmp_path / "c"
    write_page(root / "a", "01.md", "A", 1, "To [B](../b/01.md) and [C](../c/01.md).")
    write_page(root / "b", "01.md", "B", 1, "Fine.")
    write_page(root / "c", "01.md", "C", 1, "![gone](missing.png)")
    library = load_library(root)
    page = library.page("a/01")
    assert page is not None
    assert '<a href="kiosk:page/b/01">B</a>' in page.html
    assert "C" in page.plain_text and "kiosk:page/c/01" not in page.html


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("![a](x.png)", ["x.png"]),
        ('![a](x.png "A title")', ["x.png"]),
        ("![a](<my picture.png>)", ["my picture.png"]),
        ("![a [nested]](x.png)", ["x.png"]),
        ("- item ![a](x.png)\n- ![b](y.png)", ["x.png", "y.png"]),
        ("![a][Ref]\n\n[ref]: x.png", ["x.png"]),
        ("![ref]\n\n[ref]: <x.png>", ["x.png"]),
        ("![a][nope]", []),
        ("`![a](x.png)`", []),
        ("``code ![a](x.png) `here` ``", []),
        ("Text\n\n    ![a](x.png)\n", []),
        ("- item\n\n    ![a](x.png)\n", ["x.png"]),
        ("\n\n- item\n\n    ![a](x.png)\n", ["x.png"]),
        ("\n    ![a](x.png)\n", []),
        ("\\![a](x.png)", []),
        ("[a link](x.md) and ![b](y.png)", ["y.png"]),
    ],
)
def test_pictures_are_found_without_rendering(body: str, found: list[str]) -> None:
    """The load's cheap scan finds what Markdown will show as a picture."""
    assert find_pictures(body) == found


@pytest.mark.parametrize(
    "body",
    [
        "![a](x.png)",
        '![a](x.png "A title")',
        "![a][Ref]\n\n[ref]: x.png",
        "![ref]\n\n[ref]: <x.png>",
        "- item\n\n    ![a](x.png)\n",
    ],
)
def test_the_scan_and_the_render_agree(tmp_path: Path, body: str) -> None:
    """What the scan calls a picture, the render shows as one (so a page the
    load admits never finds a missing picture at first show)."""
    root = tmp_path / "c"
    (root / "t").mkdir(parents=True)
    (root / "t" / "x.png").write_bytes(png_bytes())
    write_page(root / "t", "01.md", "A", 1, body)
    (page,) = load_library(root).pages
    assert list(page.images) == ["kiosk:image/t/x.png"]
    (root / "t" / "x.png").unlink()
    assert load_library(root).pages == ()


@pytest.mark.parametrize(
    "body",
    ["`![a](x.png)`", "Text\n\n    ![a](x.png)\n", "\\![a](x.png)", "![a][nope]"],
)
def test_what_the_scan_skips_the_render_does_not_show(tmp_path: Path, body: str) -> None:
    root = tmp_path / "c"
    write_page(root / "t", "01.md", "A", 1, body)  # no x.png anywhere
    (page,) = load_library(root).pages
    assert "<img" not in page.html
    assert not any("picture" in problem.message for problem in page.problems)


def test_loading_unchanged_files_again_gives_an_equal_library(content_copy: Path) -> None:
    """Live reload compares libraries: equal when the files are, rendered or not."""
    first = load_library(content_copy)
    first.pages[0].html  # noqa: B018  # one rendered, the other not: still equal
    assert load_library(content_copy) == first
    page = content_copy / "ketamine-and-depression" / "02-what-is-ketamine.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    changed = load_library(content_copy)
    assert changed != first
    assert changed.pages[0] == first.pages[0]
    assert changed.pages[1] != first.pages[1]
