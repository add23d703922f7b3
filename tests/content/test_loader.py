"""A broken page is left out and reported; the rest of the library still shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import load_library
from kiosk.content.loader import TOPIC_KEYS
from tests.conftest import png_bytes, write_page
from tests.content.test_check import assert_documented


def _titles(root: Path) -> list[str]:
    library = load_library(root)
    return [p.title for t in library.topics for p in t.pages]


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("No header at all.\n", "must start with a metadata header", 1),
        ("---\ntitle: X\norder: 1\n", 'no closing "---"', 1),
        ("---\ntitle: X\n---\n\nBody\n", 'no "order"', 1),
        ("---\norder: 1\n---\n\nBody\n", 'no "title"', 1),
        ("---\ntitle: X\norder: first\n---\n\nBody\n", '"order" must be a whole number', 3),
        ("---\ntitle:\norder: 1\n---\n\nBody\n", '"title" is empty', 2),
        ("---\ntitle: X\ntitle: Y\norder: 1\n---\n", '"title" is given twice', 3),
        ("---\ntitle X\norder: 1\n---\n", 'is not "key: value"', 2),
        # The closing "---" deleted: the first sentence of the text is not blamed alone.
        (
            "---\ntitle: X\norder: 1\n\nKetamine is a treatment.\n",
            'is not "key: value" (is the line "---" that ends the header missing after line 3?)',
            5,
        ),
        (
            "---\ntitle: X\norder: 1\nKetamine is a medicine that doctors have used for years.\n",
            "the header missing after line 3?",
            4,
        ),
        # ... after the header's last line, not above a heading the header skips
        (
            "---\ntitle: X\norder: 1\nin_short:\n- One\n\n## Before you come\n\nBring a list.\n",
            "the header missing after line 5?",
            9,
        ),
        # A key with no ":" is told so, not blamed on the "---".
        (
            "---\ntitle: X\norder: 1\nsummary The cost of treatment and what insurance pays\n---\n",
            'is not "key: value" (is the ":" after "summary" missing?)',
            4,
        ),
    ],
)
def test_bad_metadata_leaves_the_page_out(
    content_copy: Path, content: str, message: str, line: int
) -> None:
    """Each kind of bad header: the page is left out, the others still show."""
    bad = content_copy / "ketamine-and-depression" / "05-benefits-of-ketamine-therapy.md"
    bad.write_text(content, encoding="utf-8")
    library = load_library(content_copy)
    titles = [p.title for t in library.topics for p in t.pages]
    assert len(titles) == 8
    assert "What are the benefits of ketamine therapy?" not in titles
    (error,) = library.errors
    assert str(error).startswith(f"{bad}:{line}: error: ")
    assert message in error.message
    assert error.message.endswith("page left out")


@pytest.mark.parametrize(
    "content",
    [
        "---\ntitle: X\n\norder 1\n---\n\nBody\n",  # a blank line between keys; "---" there
        "---\nKetamine is a medicine that doctors have used for years.\n",  # no key read yet
    ],
)
def test_no_closing_hint_where_the_closing_line_is_not_the_trouble(
    content_copy: Path, content: str
) -> None:
    bad = content_copy / "ketamine-and-depression" / "05-benefits-of-ketamine-therapy.md"
    bad.write_text(content, encoding="utf-8")
    (error,) = load_library(content_copy).errors
    assert 'is not "key: value"' in error.message
    assert "ends the header" not in error.message


def test_invalid_utf8_leaves_the_page_out(content_copy: Path) -> None:
    """A page saved in another encoding is reported with its line and left out."""
    bad = content_copy / "ketamine-and-depression" / "02-what-is-ketamine.md"
    bad.write_bytes(b"---\ntitle: Caf\xe9\norder: 2\n---\n\nText\n")
    library = load_library(content_copy)
    assert len(library.topics[0].pages) == 8
    (error,) = library.errors
    assert str(error) == (
        f"{bad}:2: error: is not valid UTF-8 text (save it as UTF-8); page left out"
    )


def test_missing_picture_leaves_the_page_out(content_copy: Path) -> None:
    """A page whose picture is missing is not shown half-broken."""
    topic = content_copy / "ketamine-and-depression"
    page = write_page(topic, "10-pictures.md", "Pictures", 10, "![Our room](img/room.png)")
    library = load_library(content_copy)
    assert [p.title for p in library.topics[0].pages][-1] == "About this information"
    (error,) = library.errors
    assert str(error) == f'{page}:6: error: picture "img/room.png" not found; page left out'


def test_a_picture_named_in_other_capitals_is_pointed_out(content_copy: Path) -> None:
    """ "images/Room.png" with "images/room.png" on disk: found on the admin's
    Windows or Mac, not on the kiosk's Linux. The message names the file there;
    a folder in other capitals likewise; a name a letter off gets a "did you
    mean", but not another numbered picture ("photo2.png" for "photo1.png")."""
    topic = content_copy / "ketamine-and-depression"
    (topic / "images").mkdir()
    (topic / "images" / "room.png").write_bytes(png_bytes())
    (topic / "images" / "photo2.png").write_bytes(png_bytes())
    page = write_page(topic, "10-pictures.md", "Pictures", 10, "![Our room](images/Room.png)")

    def error_for(src: str) -> str:
        page.write_text(
            page.read_text(encoding="utf-8").split("![")[0] + f"![Our room]({src})\n",
            encoding="utf-8",
        )
        (error,) = load_library(content_copy).errors
        assert_documented(str(error))
        return str(error)

    assert error_for("images/Room.png") == (
        f'{page}:6: error: picture "images/Room.png" not found (the file is "room.png" '
        "there: a name must match in capitals too); page left out"
    )
    assert '(the folder is "images" there: a name must match in capitals too)' in error_for(
        "Images/room.png"
    )
    assert 'not found (did you mean "images/room.png"?)' in error_for("images/rooom.png")
    assert 'picture "images/photo1.png" not found; page left out' in error_for("images/photo1.png")
    assert 'picture "nowhere/x.png" not found; page left out' in error_for("nowhere/x.png")


def test_a_picture_whose_accents_are_stored_another_way_is_pointed_out(
    content_copy: Path,
) -> None:
    """A name saved on a Mac (decomposed accents) looks the same and is not."""
    import unicodedata

    topic = content_copy / "ketamine-and-depression"
    (topic / unicodedata.normalize("NFD", "sesión.png")).write_bytes(png_bytes())
    page = write_page(topic, "10-pictures.md", "Pictures", 10, "![Sala](sesión.png)")
    (error,) = load_library(content_copy).errors
    assert str(error) == (
        f'{page}:6: error: picture "sesión.png" not found (its file is there with its '
        "accents stored another way, as a Mac may save them: type the file's name "
        "again); page left out"
    )


def test_missing_header_picture_leaves_the_page_out(content_copy: Path) -> None:
    """The same for the picture named in the metadata header."""
    topic = content_copy / "ketamine-and-depression"
    page = write_page(topic, "10-pictures.md", "Pictures", 10, extra="picture: img/x.jpg\n")
    library = load_library(content_copy)
    assert len(library.topics[0].pages) == 9
    assert [str(e) for e in library.errors] == [
        f'{page}:4: error: picture "img/x.jpg" not found; page left out'
    ]


def test_unknown_key_and_duplicate_order_are_warnings(content_copy: Path) -> None:
    """Mistakes that do not stop a page are warned about, and the page shows."""
    topic = content_copy / "ketamine-and-depression"
    page = write_page(topic, "10-extra.md", "Extra", 9, extra="sumary: typo\n")
    library = load_library(content_copy)
    assert library.page("ketamine-and-depression/10-extra") is not None
    warnings = [str(p) for p in library.problems]
    assert f'{page}:4: warning: unknown key "sumary", ignored; did you mean "summary"?' in warnings
    assert f"{page}:3: warning: order 9 is also used by 09-about-this-information.md" in warnings


def test_every_page_broken_shows_nothing_but_reports_it(tmp_path: Path) -> None:
    """With no page to show, the library is empty and says why (the UI shows a calm note)."""
    topic = tmp_path / "c" / "t"
    topic.mkdir(parents=True)
    (topic / "01.md").write_text("no header", encoding="utf-8")
    library = load_library(tmp_path / "c")
    assert library.topics == ()
    assert any("no topic has a page" in str(p) for p in library.errors)


def test_missing_content_folder_is_reported(tmp_path: Path) -> None:
    """A wrong --content path is an error, not a crash."""
    library = load_library(tmp_path / "nowhere")
    assert library.topics == ()
    assert "does not exist" in str(library.errors[0])


def test_topic_metadata_and_order(tmp_path: Path) -> None:
    """Topics are sorted by their order; a bad topic.toml key is reported, not fatal."""
    root = tmp_path / "c"
    write_page(root / "b-topic", "01.md", "B page", 1)
    write_page(root / "a-topic", "01.md", "A page", 1)
    (root / "b-topic" / "topic.toml").write_text('title = "Bee"\norder = 1\n', encoding="utf-8")
    (root / "a-topic" / "topic.toml").write_text(
        'title = "Ay"\norder = "two"\nsumary = "x"\n', encoding="utf-8"
    )
    library = load_library(root)
    assert [t.title for t in library.topics] == ["Bee", "Ay"]
    problems = [str(p) for p in library.problems]
    assert (
        f'{root / "a-topic" / "topic.toml"}:2: error: "order" must be a whole number; ignored'
        in problems
    )
    assert any('unknown key "sumary"' in p and "did you mean" in p for p in problems)


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    """Editors' and sync tools' leftovers (.swp, _drafts) are not pages."""
    root = tmp_path / "c"
    write_page(root / "t", "01.md", "Real", 1)
    write_page(root / "t", ".01.md.swp.md", "Swap", 2)
    write_page(root / "_drafts", "01.md", "Draft", 1)
    assert _titles(root) == ["Real"]


@pytest.mark.parametrize("src", ["img/ok%00.png", "loop/pic.png"])
def test_an_impossible_picture_path_does_not_stop_the_library(tmp_path: Path, src: str) -> None:
    """A NUL byte or a symlink loop in one page: a warning, never a crash."""
    root = tmp_path / "c"
    topic = root / "t"
    write_page(topic, "01.md", "Odd", 1, f"Look ![x]({src}) here.")
    write_page(topic, "02.md", "Fine", 2)
    (topic / "loop").mkdir()
    (topic / "loop" / "pic.png").symlink_to(topic / "loop" / "pic.png")
    library = load_library(root)
    assert [p.title for p in library.topics[0].pages] == ["Odd", "Fine"]
    assert "<img" not in library.topics[0].pages[0].html


def test_links_outside_the_content_folder_are_left_out(tmp_path: Path) -> None:
    """A page or topic that is a symlink to somewhere else is not shown."""
    outside = tmp_path / "outside"
    write_page(outside, "01.md", "Secret page", 1)
    root = tmp_path / "c"
    write_page(root / "t", "01.md", "Real", 1)
    (root / "t" / "02.md").symlink_to(outside / "01.md")
    (root / "linked-topic").symlink_to(outside)
    library = load_library(root)
    assert [p.title for t in library.topics for p in t.pages] == ["Real"]
    warned = [str(p) for p in library.problems if "outside the content folder" in str(p)]
    assert len(warned) == 2


def test_a_link_to_a_page_left_out_becomes_text(tmp_path: Path) -> None:
    """If the page a link points to cannot be shown, the link is not left dangling."""
    root = tmp_path / "c"
    write_page(root / "t", "01-a.md", "A", 1, "See [page B](02-b.md).")
    write_page(root / "t", "02-b.md", "B", 2, "![gone](img/missing.png)")
    library = load_library(root)
    page = library.page("t/01-a")
    assert page is not None and library.page("t/02-b") is None
    assert "href" not in page.html and "page B" in page.html
    # Found when the page is rendered (on first show), so it is the page's problem.
    assert any('link to "02-b.md": no such page' in str(p) for p in page.problems)


def test_every_topic_key_has_its_default_without_a_topic_toml(tmp_path: Path) -> None:
    """A topic with no topic.toml takes each key's default from TOPIC_KEYS (its title
    from the folder's name)."""
    root = tmp_path / "c"
    write_page(root / "tms-therapy", "01.md", "A page", 1)
    (topic,) = load_library(root).topics
    for key in TOPIC_KEYS:
        expected = "Tms therapy" if key.name == "title" else key.default
        assert getattr(topic, key.name) == expected, key.name


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("title = 2", '"title" must be text; ignored'),
        ('order = "two"', '"order" must be a whole number; ignored'),
        ("order = true", '"order" must be a whole number; ignored'),
        ("summary = [1]", '"summary" must be text; ignored'),
        ("cover = 3", '"cover" must be text; ignored'),
        ('title = "  "', '"title" is empty; the topic is called "T topic" until it has one'),
        (f'title = "{"x" * 121}"', '"title" is longer than 120 characters; cut short'),
        (f'summary = "{"x" * 201}"', '"summary" is longer than 200 characters; cut short'),
        ('cover = "nope.png"', 'cover picture "nope.png" not found; left out'),
        ('covers = "a.png"', 'unknown key "covers", ignored; did you mean "cover"?'),
    ],
)
def test_each_topic_key_is_checked_by_its_row(tmp_path: Path, line: str, message: str) -> None:
    """A value of the wrong kind, or one its check refuses, is one problem on its line,
    in the words the admin's guide lists; the topic still shows."""
    root = tmp_path / "c"
    write_page(root / "t-topic", "01.md", "A page", 1)
    meta = root / "t-topic" / "topic.toml"
    meta.write_text(f'title = "T"\n{line}\n' if "title" not in line else f"{line}\n", "utf-8")
    library = load_library(root)
    assert len(library.topics) == 1
    at = 1 if "title" in line else 2
    assert f"{meta}:{at}: " in "\n".join(str(p) for p in library.problems)
    assert [p.message for p in library.problems if p.line == at] == [message]


def test_a_long_title_and_summary_are_cut_short(tmp_path: Path) -> None:
    root = tmp_path / "c"
    write_page(root / "t", "01.md", "A page", 1)
    (root / "t" / "topic.toml").write_text(
        f'title = " {"T" * 130} "\nsummary = "{"s" * 250}"\norder = 4\n', encoding="utf-8"
    )
    (topic,) = load_library(root).topics
    assert (topic.title, topic.summary, topic.order) == ("T" * 120, "s" * 200, 4)


def test_the_admins_guide_names_every_topic_key() -> None:
    """docs/authoring.md lists the topic keys that TOPIC_KEYS reads, no more, no fewer."""
    guide = (Path(__file__).parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8")
    listed = guide.split("Topic keys: ", 1)[1].split(".", 1)[0]
    assert [name.strip("` ") for name in listed.split(",")] == [k.name for k in TOPIC_KEYS]


def test_quotes_around_a_header_value_are_not_shown(tmp_path: Path) -> None:
    """topic.toml needs quotes, a page's header does not: written anyway, they
    showed on screen around the title."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "topic.toml").write_text('title = "Tea"\n', encoding="utf-8")
    write_page(folder, "01-a.md", '"Costs: what to expect"', 1, extra="summary: 'What it costs'\n")
    write_page(folder, "02-b.md", 'Say "hello"', 2)
    (first, second) = load_library(tmp_path).topics[0].pages
    assert (first.title, first.summary) == ("Costs: what to expect", "What it costs")
    assert second.title == 'Say "hello"'  # quotes inside a title stay


def test_a_topics_own_folder_given_for_the_content_says_so(content_copy: Path) -> None:
    """check-content pointed at a topic's folder (pages in it, not in folders
    of their own): the error asks whether it is one, and names the folder above."""
    topic = content_copy / "ketamine-and-depression"
    library = load_library(topic)
    (error,) = [p for p in library.errors if "no topic has a page" in p.message]
    assert "is it one topic's folder?" in error.message
    assert f'the one above it, "{content_copy}"' in error.message
    assert_documented(str(error))
    # A content folder that is only empty says nothing of the kind,
    empty = content_copy.parent / "empty"
    empty.mkdir()
    (error,) = load_library(empty).errors
    assert "topic's folder" not in error.message
    # nor one with a README.md beside topic folders whose pages are all broken.
    for page in topic.glob("*.md"):
        page.write_text("no header", encoding="utf-8")
    (content_copy / "README.md").write_text("# Our content\n", encoding="utf-8")
    (error,) = [p for p in load_library(content_copy).errors if "no topic has" in p.message]
    assert "topic's folder" not in error.message
