"""`kiosk check-content` and `kiosk check-config`: each rule has a small broken
fixture and the exact line the admin reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.content import load_library
from kiosk.content.check import (
    check,
    check_content,
    count_syllables,
    format_problem,
    reading_level,
)
from kiosk.paths import shipped_content_dir
from tests.conftest import png_bytes, write_page

CLEAN_A = """A short first page. It has a few plain words.

- one thing
- another thing

[Next: page B](02-b.md)"""


#: A clinician's review, in a page's header (a page without one gets a warning).
REVIEWED = "reviewed_by: Dr Lee\nreview_by: 2099-01-01\n"
NOT_REVIEWED = "no clinical review yet"


def clean(root: Path) -> Path:
    """A small library with nothing wrong: a topic, three pages, a picture."""
    topic = root / "t"
    (topic / "images").mkdir(parents=True)
    (topic / "images" / "ok.png").write_bytes(png_bytes())
    (topic / "topic.toml").write_text(
        'title = "Tea"\norder = 1\nsummary = "All about tea."\n', encoding="utf-8"
    )
    write_page(topic, "01-a.md", "A", 1, CLEAN_A, REVIEWED)
    write_page(
        topic,
        "02-b.md",
        "B",
        2,
        "Page B is short too.",
        "picture: images/ok.png\npicture_text: A cup of tea\n" + REVIEWED,
    )
    write_page(topic, "03-c.md", "C", 3, "The last page. Go back to [page A](01-a.md).", REVIEWED)
    return root


GUIDE = " ".join(
    (Path(__file__).resolve().parents[2] / "docs" / "authoring.md").read_text("utf-8").split()
)


def assert_documented(line: str) -> None:
    """docs/authoring.md lists every message with its fix: each fixed run of
    words in ``line``'s message (between quoted values and numbers) is there."""
    message = line.split(": ", 2)[-1]
    # Brackets (a path, the TOML reader's words, which may hold brackets of their
    # own) are details, not the guide's words: innermost first.
    while re.search(r"\([^()]*\)", message):
        message = re.sub(r"\([^()]*\)", "\0", message)
    pieces = re.split(r'"[^"]*"|<[^>]*>|\b\d+x\d+\b|\b\d+(?:\.\d+)?\b|\0', message)
    for piece in pieces:
        words = " ".join(piece.replace("`", "").split()).strip(" ;,.:")
        if len(words.split()) >= 2:
            assert words in GUIDE, f"not in docs/authoring.md: {words!r} (from {line!r})"


def lines(root: Path, *, review: bool = False) -> list[str]:
    """The problem lines `kiosk check-content` prints, paths relative to ``root``
    (each one checked to be in the authoring guide); without ``review``, not the
    "no clinical review yet" warnings of pages a test writes without a reviewer
    (the review rules have tests of their own)."""
    report = check(root)
    printed = [format_problem(problem, report.root) for problem in report.problems]
    for line in printed:
        assert_documented(line)
    return [line for line in printed if review or NOT_REVIEWED not in line]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(argv)
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return clean(tmp_path / "content")


def test_a_clean_library_has_no_problems(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing wrong: reading levels and the summary only, exit 0 (strict too)."""
    assert check_content(root) == []
    code, out = run(["check-content", str(root)], capsys)
    assert code == 0
    assert out == [
        # Very short, plain sentences: grades -0.7, -1.8 and -2.2 by the formula,
        # which has no floor, said as "below grade 1", never as a negative grade.
        # The list ("- one thing", "- another thing") is one sentence, not two.
        "t/01-a.md: info: reading level below grade 1 (17 words, 4 sentences)",
        "t/02-b.md: info: reading level below grade 1 (5 words, 1 sentence)",
        "t/03-c.md: info: reading level below grade 1 (8 words, 2 sentences)",
        "3 pages in 1 topic: 0 errors, 0 warnings",
    ]
    assert cli.main(["check-content", "--strict", str(root)]) == 0


# Metadata -------------------------------------------------------------------


def test_page_key_with_the_wrong_type(root: Path) -> None:
    (root / "t" / "03-c.md").write_text(
        "---\ntitle: C\norder: third\n---\n\nText.\n", encoding="utf-8"
    )
    assert lines(root) == [
        't/03-c.md:3: error: "order" must be a whole number, got "third"; page left out'
    ]


def test_topic_key_with_the_wrong_type(root: Path) -> None:
    (root / "t" / "topic.toml").write_text('title = "Tea"\norder = "first"\n', encoding="utf-8")
    assert lines(root) == ['t/topic.toml:2: error: "order" must be a whole number; ignored']


def test_unknown_page_key_with_a_hint(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 3, "Text.", "sumary: Short.\n")
    assert lines(root) == [
        't/03-c.md:4: warning: unknown key "sumary", ignored; did you mean "summary"?'
    ]


def test_unknown_topic_key_with_a_hint(root: Path) -> None:
    (root / "t" / "topic.toml").write_text(
        'title = "Tea"\norder = 1\ncovr = "images/ok.png"\n', encoding="utf-8"
    )
    assert lines(root) == [
        't/topic.toml:3: warning: unknown key "covr", ignored; did you mean "cover"?'
    ]


def test_page_without_a_title(root: Path) -> None:
    (root / "t" / "03-c.md").write_text("---\norder: 3\n---\n\nText.\n", encoding="utf-8")
    assert lines(root) == ['t/03-c.md:1: error: the metadata header has no "title"; page left out']


def test_page_without_a_header(root: Path) -> None:
    (root / "t" / "03-c.md").write_text("Just text.\n", encoding="utf-8")
    assert lines(root) == [
        't/03-c.md:1: error: the page must start with a metadata header: a line "---", '
        '"title: ...", "order: ...", then "---"; page left out'
    ]


def test_topic_without_a_title(root: Path) -> None:
    (root / "t" / "topic.toml").write_text("order = 1\n", encoding="utf-8")
    assert lines(root) == [
        't/topic.toml: warning: has no "title"; the topic is called "T" until it has one'
    ]


def test_topic_without_topic_toml(root: Path) -> None:
    (root / "t" / "topic.toml").unlink()
    assert lines(root) == [
        't/topic.toml: warning: missing; the topic is called "T" until it has one'
    ]


def test_duplicate_page_orders_are_a_warning(root: Path) -> None:
    """Both pages show, in file-name order: a warning, not an error."""
    write_page(root / "t", "03-c.md", "C", 2)
    assert lines(root) == ["t/03-c.md:3: warning: order 2 is also used by 02-b.md"]
    assert cli.main(["check-content", str(root)]) == 0


def test_duplicate_topic_orders_are_a_warning(root: Path) -> None:
    write_page(root / "u", "01-x.md", "X", 1)
    (root / "u" / "topic.toml").write_text('title = "You"\norder = 1\n', encoding="utf-8")
    assert lines(root) == ['u/topic.toml:2: warning: order 1 is also used by the topic "t"']


# Links ----------------------------------------------------------------------


def test_link_to_a_page_that_does_not_exist(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 3, "See [the next page](04-d.md).")
    assert lines(root) == ['t/03-c.md:6: warning: link to "04-d.md": no such page; shown as text']


def test_links_across_topics(root: Path) -> None:
    """`../other-topic/01-x.md` works; a wrong one is reported on its line."""
    write_page(root / "u", "01-x.md", "X", 1)
    (root / "u" / "topic.toml").write_text('title = "You"\norder = 2\n', encoding="utf-8")
    write_page(root / "t", "03-c.md", "C", 3, "See [X](../u/01-x.md).\n\nAnd [Y](../u/02-y.md).")
    assert lines(root) == [
        't/03-c.md:8: warning: link to "../u/02-y.md": no such page; shown as text'
    ]
    assert check(root).errors == ()


def test_link_to_a_page_left_out(root: Path) -> None:
    """The page left out is the error; the link to it is a warning on its own line."""
    (root / "t" / "02-b.md").write_bytes(b"---\ntitle: B\norder: 2\n---\n\nCaf\xe9\n")
    assert lines(root) == [
        't/01-a.md:13: warning: link to "02-b.md": no such page; shown as text',
        "t/02-b.md:6: error: is not valid UTF-8 text (save it as UTF-8); page left out",
    ]


# Pictures -------------------------------------------------------------------


def test_missing_picture_in_the_text(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 3, "Our room:\n\n![The room](images/room.png)")
    assert lines(root) == ['t/03-c.md:8: error: picture "images/room.png" not found; page left out']


def test_missing_picture_in_the_header(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 3, extra="picture: images/room.jpg\n")
    assert lines(root) == ['t/03-c.md:4: error: picture "images/room.jpg" not found; page left out']


def test_missing_reference_style_picture(root: Path) -> None:
    """`![alt][ref]` with `[ref]: file` is a picture too, found without rendering."""
    write_page(root / "t", "03-c.md", "C", 3, "![The room][room]\n\n[room]: images/room.png")
    assert lines(root) == ['t/03-c.md:8: error: picture "images/room.png" not found; page left out']


def test_picture_syntax_in_code_is_not_a_picture(root: Path) -> None:
    """Markdown shows code as code: a missing "picture" inside it is no problem."""
    write_page(root / "t", "03-c.md", "C", 3, "Write `![text](images/x.png)` for a picture.")
    assert lines(root) == []


def test_missing_cover_picture(root: Path) -> None:
    (root / "t" / "topic.toml").write_text(
        'title = "Tea"\norder = 1\ncover = "images/cover.png"\n', encoding="utf-8"
    )
    assert lines(root) == [
        't/topic.toml:3: warning: cover picture "images/cover.png" not found; left out'
    ]


def test_picture_outside_the_content_folder(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 3, "Look: ![x](../../secret.png)")
    assert lines(root) == [
        't/03-c.md:6: warning: picture "../../secret.png" may not use ".."; left out'
    ]


def test_picture_over_2_mb(root: Path) -> None:
    (root / "t" / "images" / "big.png").write_bytes(png_bytes() + b"\0" * (5 * 1024 * 1024 // 2))
    write_page(root / "t", "03-c.md", "C", 3, "![A big one](images/big.png)")
    assert lines(root) == [
        't/03-c.md:6: warning: picture "images/big.png" is 2.5 MB; save it smaller than 2 MB '
        "(about 1600 pixels wide, as JPEG)"
    ]


def test_picture_over_4096_pixels(root: Path) -> None:
    (root / "t" / "images" / "wide.png").write_bytes(png_bytes(5000, 2))
    header = "picture: images/wide.png\npicture_text: A long corridor\n"
    write_page(root / "t", "03-c.md", "C", 3, "Wide.", header)
    assert lines(root) == [
        't/03-c.md:4: error: picture "images/wide.png" is 5000x2 pixels, and the kiosk shows '
        "none over 4096 on a side: make it smaller (about 1600 wide is plenty)"
    ]


def test_big_cover_picture(root: Path) -> None:
    (root / "t" / "images" / "tall.png").write_bytes(png_bytes(2, 4100))
    (root / "t" / "topic.toml").write_text(
        'title = "Tea"\norder = 1\ncover = "images/tall.png"\n', encoding="utf-8"
    )
    assert lines(root) == [
        't/topic.toml:3: error: picture "images/tall.png" is 2x4100 pixels, and the kiosk shows '
        "none over 4096 on a side: make it smaller (about 1600 wide is plenty)"
    ]


def test_picture_that_is_not_a_picture(root: Path) -> None:
    (root / "t" / "images" / "fake.png").write_text("not a picture", encoding="utf-8")
    write_page(root / "t", "03-c.md", "C", 3, "See: ![Fake](images/fake.png)")
    assert lines(root) == [
        't/03-c.md:6: warning: picture "images/fake.png" is not a PNG file inside, though its '
        "name says so; save it again as PNG; left out"
    ]


def test_an_svg_named_as_a_png_is_left_out(root: Path) -> None:
    """Qt reads a picture by its content: an SVG saved as ".png" would be drawn
    as an SVG, and an SVG can draw any file of the disk into the page."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="/etc/secret.png" width="10" height="10"/></svg>'
    )
    (root / "t" / "images" / "diagram.png").write_text(svg, encoding="utf-8")
    (root / "t" / "topic.toml").write_text(
        'title = "Tea"\norder = 1\ncover = "images/diagram.png"\n', encoding="utf-8"
    )
    write_page(root / "t", "03-c.md", "C", 3, "See: ![A diagram](images/diagram.png)")
    refused = "is not a PNG file inside, though its name says so; save it again as PNG; left out"
    assert lines(root) == [
        f't/03-c.md:6: warning: picture "images/diagram.png" {refused}',
        f't/topic.toml:3: warning: picture "images/diagram.png" {refused}',
    ]
    library = load_library(root)
    (page,) = [p for p in library.topics[0].pages if p.page_id == "03-c"]
    assert page.body.get().images == {}
    assert "diagram" not in page.body.get().html
    assert library.topics[0].cover is None


def test_a_picture_cut_short_cannot_be_read(root: Path) -> None:
    (root / "t" / "images" / "cut.png").write_bytes(png_bytes()[:12])
    write_page(root / "t", "03-c.md", "C", 3, "![Cut](images/cut.png)")
    assert lines(root) == [
        't/03-c.md:6: warning: picture "images/cut.png" cannot be read as a PNG picture; '
        "save it again as PNG or JPEG"
    ]


# Raw HTML, empty pages, UTF-8 ------------------------------------------------


def test_raw_html_that_will_be_dropped(root: Path) -> None:
    """Each tag the sanitiser drops, on its line; allowed tags without attributes pass."""
    body = "\n".join(
        [
            "Plain <b>bold</b> is fine.",  # line 6
            "<div>Boxed</div>",
            "<script>alert(1)</script>",
            '<p style="color: red" onclick="x()">Red</p>',
            '<a href="02-b.md">B</a> and <img src="images/ok.png">',
            "Code is fine: `<div>`",
        ]
    )
    write_page(root / "t", "03-c.md", "C", 3, body)
    assert lines(root) == [
        "t/03-c.md:7: warning: raw HTML <div> is dropped (the text inside it still shows); "
        "use Markdown instead, or remove it",
        "t/03-c.md:8: warning: raw HTML <script> is not shown, nor anything inside it; remove it",
        't/03-c.md:9: warning: attributes "style", "onclick" of <p> are dropped; remove them',
        "t/03-c.md:10: warning: raw HTML link <a> is shown as plain text; write links in "
        "Markdown: [words to tap](02-other-page.md)",
        "t/03-c.md:10: warning: raw HTML picture <img> is not shown; write pictures in "
        "Markdown: ![what it shows](images/picture.jpg)",
    ]


def test_raw_html_over_several_lines_is_found_on_its_first_line(root: Path) -> None:
    """A tag whose attributes run onto the next lines is dropped all the same."""
    body = 'The cat sat on the mat. We like it.\n\n<iframe\n  src="https://x.example">\n</iframe>'
    write_page(root / "t", "03-c.md", "C", 3, body)
    assert lines(root) == [
        "t/03-c.md:8: warning: raw HTML <iframe> is not shown, nor anything inside it; remove it",
    ]


def test_raw_html_single_attribute(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 3, '<b title="tip">Bold</b>')
    assert lines(root) == ['t/03-c.md:6: warning: attribute "title" of <b> is dropped; remove it']


def test_empty_page(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 3, "")
    assert lines(root) == [
        "t/03-c.md:5: warning: the page has no text; write some below the header, "
        "or remove the file"
    ]


def test_invalid_utf8_page(root: Path) -> None:
    (root / "t" / "03-c.md").write_bytes(b"---\ntitle: Caf\xe9\norder: 3\n---\n\nText.\n")
    assert lines(root) == [
        "t/03-c.md:2: error: is not valid UTF-8 text (save it as UTF-8); page left out"
    ]


def test_invalid_utf8_topic_file(root: Path) -> None:
    (root / "t" / "topic.toml").write_bytes(b'order = 1\ntitle = "Th\xe9"\n')
    assert lines(root) == [
        "t/topic.toml:2: error: is not valid UTF-8 text (save it as UTF-8); using defaults"
    ]


def test_invalid_toml_topic_file(root: Path) -> None:
    (root / "t" / "topic.toml").write_text('title = "Tea\norder = 1\n', encoding="utf-8")
    (line,) = lines(root)
    assert line == (
        "t/topic.toml:1: error: not valid TOML: a text in quotes is not closed on its line: "
        "end it with its quote mark (Illegal character '\\n', column 13); using defaults"
    )


def test_missing_content_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "nowhere"
    code, out = run(["check-content", str(folder)], capsys)
    assert code == 1
    assert out == [
        f"{folder}: error: the content folder does not exist",
        "0 pages in 0 topics: 1 error, 0 warnings",
    ]


# Reading level --------------------------------------------------------------


HARD = (
    "Ketamine therapy is a promising treatment option for other mental health conditions, "
    "such as post-traumatic stress disorder and chronic pain."
)


def test_reading_level_above_grade_8_is_a_warning(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 3, HARD)
    assert lines(root) == [
        "t/03-c.md:6: warning: reading level is grade 14.6, above 8: use shorter sentences and "
        "everyday words (now 20 words a sentence, 1.9 syllables a word)"
    ]
    report = check(root)
    (level,) = [lv for lv in report.levels if lv.path.name == "03-c.md"]
    # Counted by hand: 3+3+1+1+3+2+2+1+2+2+1+3+1+1+(1+3)+1+3+1+2+1 syllables.
    assert (level.words, level.sentences, level.syllables) == (20, 1, 38)
    # 0.39 * 20 / 1 + 11.8 * 38 / 20 - 15.59 = 14.63
    assert level.grade == 14.6


def test_reading_level_formula() -> None:
    """0.39 * words/sentences + 11.8 * syllables/words - 15.59, on visible words."""
    text = "The cat sat on the mat. It was a fine day!\nA list item"
    level = reading_level(Path("p.md"), text)
    assert level is not None
    assert (level.words, level.sentences) == (14, 3)
    syllables = sum(count_syllables(w.strip(".!")) for w in text.split())
    assert level.syllables == syllables == 15  # i-tem
    assert level.grade == round(0.39 * 14 / 3 + 11.8 * 15 / 14 - 15.59, 1) == -1.1
    assert reading_level(Path("p.md"), "988 911") is None  # numbers are not words


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("make", 1),
        ("used", 1),
        ("over", 2),  # the dictionary has no break here: vowel groups
        ("idea", 3),
        ("radio", 3),
        ("safely", 2),
        ("management", 3),
        ("station", 2),
        ("ketamine", 3),
        ("depression", 3),
        ("medication", 4),
        ("well-tolerated", 5),
    ],
)
def test_syllables(word: str, count: int) -> None:
    assert count_syllables(word) == count


def test_reading_level_is_on_the_text_shown_not_the_markdown(root: Path) -> None:
    """Markdown syntax, link targets and picture names are not words."""
    write_page(
        root / "t",
        "03-c.md",
        "C",
        3,
        "## Short\n\n**Bold** and [a link](01-a.md) here.\n\n![A picture](images/ok.png)",
    )
    report = check(root)
    (level,) = [lv for lv in report.levels if lv.path.name == "03-c.md"]
    assert (level.words, level.sentences) == (6, 2)


# Render failures and the shipped content ------------------------------------


def test_a_page_that_cannot_be_rendered_is_an_error(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kiosk shows it as plain text; the checker says so and fails."""
    from kiosk.content.render import Renderer

    original = Renderer.render

    def render(self: Renderer, body: str, context: object) -> str:
        if "last page" in body:
            raise RuntimeError("boom")
        return original(self, body, context)  # type: ignore[arg-type]

    monkeypatch.setattr(Renderer, "render", render)
    assert lines(root) == [
        "t/03-c.md: error: could not be shown (RuntimeError: boom); shown as plain text instead"
    ]
    assert cli.main(["check-content", str(root)]) == 1


def test_shipped_content_has_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    """What we ship: no errors; the article's reading level is above grade 8 on seven
    pages (their "In short" is not); no page has had its clinical review yet."""
    code, out = run(["check-content"], capsys)
    assert code == 0
    assert [line for line in out if ": error: " in line] == []
    reviews = [line for line in out if f": warning: {NOT_REVIEWED}" in line]
    assert len(reviews) == 9
    warnings = [line for line in out if ": warning: " in line and line not in reviews]
    assert [w.split(":")[0] for w in warnings] == [
        "ketamine-and-depression/01-ketamine-and-depression.md",
        "ketamine-and-depression/02-what-is-ketamine.md",
        "ketamine-and-depression/03-how-does-ketamine-work.md",
        "ketamine-and-depression/04-what-is-ketamine-therapy.md",
        "ketamine-and-depression/05-benefits-of-ketamine-therapy.md",
        "ketamine-and-depression/06-ketamine-for-depression.md",
        "ketamine-and-depression/07-conclusion.md",
    ]
    assert all("reading level is grade" in w for w in warnings)
    assert len([line for line in out if ": info: reading level grade" in line]) == 9
    in_short = [line for line in out if ': info: "In short" reading level grade' in line]
    assert len(in_short) == 7  # the article's pages
    for line in in_short:
        grade = float(line.split(" grade ")[1].split(" ")[0])
        assert grade <= 6, line  # the AMA's aim
    assert out[-1] == "9 pages in 1 topic: 0 errors, 16 warnings"
    assert out[-2] == "9 translations: 9 in Spanish; 9 drafts for the clinic to review"
    assert "9 pages need a clinical review (9 not reviewed, 0 past their review date):" in out
    assert cli.main(["check-content", "--strict", str(shipped_content_dir())]) == 1


def test_problems_are_sorted_by_file_then_line(root: Path) -> None:
    write_page(root / "t", "03-c.md", "C", 2, "<div>x</div>\n\nSee [gone](09.md).", "sumary: x\n")
    assert lines(root) == [
        "t/03-c.md:3: warning: order 2 is also used by 02-b.md",
        't/03-c.md:4: warning: unknown key "sumary", ignored; did you mean "summary"?',
        "t/03-c.md:7: warning: raw HTML <div> is dropped (the text inside it still shows); "
        "use Markdown instead, or remove it",
        't/03-c.md:9: warning: link to "09.md": no such page; shown as text',
    ]


# Exit codes ---------------------------------------------------------------


def test_exit_codes(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """0 without errors; 1 with errors; --strict fails on warnings too."""
    assert cli.main(["check-content", str(root)]) == 0
    write_page(root / "t", "03-c.md", "C", 3, "Text.", "sumary: x\n")
    assert cli.main(["check-content", str(root)]) == 0
    assert cli.main(["check-content", str(root), "--strict"]) == 1
    (root / "t" / "03-c.md").write_text("no header\n", encoding="utf-8")
    code, out = run(["check-content", str(root)], capsys)
    assert code == 1
    assert out[-1] == "3 pages in 1 topic (1 left out): 1 error, 0 warnings"


def test_content_option_before_the_command(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`kiosk --content DIR check-content` checks DIR too."""
    code, out = run(["--content", str(root), "check-content"], capsys)
    assert (code, out[-1]) == (0, "3 pages in 1 topic: 0 errors, 0 warnings")


# check-config -----------------------------------------------------------------


def test_check_config_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[clinic]\nname = "Riverside"\nnmae = "x"\n\n[idle]\nseconds = 5\n', encoding="utf-8"
    )
    code, out = run(["check-config", str(config)], capsys)
    assert code == 1
    assert out == [
        f'{config}:3: error: [clinic.nmae] unknown key, ignored; did you mean "name"?',
        f"{config}:6: error: [idle.seconds] must be between 10 and 600, got 5; "
        "using the default 90",
        "kiosk.toml: 2 errors",
    ]


def test_check_config_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[clinic]\nname = "Riverside"\n', encoding="utf-8")
    assert run(["check-config", str(config)], capsys) == (0, ["kiosk.toml: 0 errors"])


def test_check_config_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_bytes(b'[clinic]\nname = "Caf\xe9"\n')
    assert run(["check-config", str(config)], capsys) == (
        1,
        [
            f"{config}:2: error: is not UTF-8 text (save it as UTF-8); using all defaults",
            "kiosk.toml: 1 error",
        ],
    )


def test_check_config_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file named but not there is an error; no file in the data folder is all defaults."""
    named = tmp_path / "nope.toml"
    assert run(["check-config", str(named)], capsys) == (1, [f"{named}: error: no such file"])
    data = tmp_path / "data"  # KIOSK_DATA_DIR (tests/conftest.py)
    assert run(["check-config"], capsys) == (
        0,
        [f"{data.resolve() / 'kiosk.toml'}: no config file here; the kiosk uses every default"],
    )


def test_check_config_defaults_to_the_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "other-data"
    data.mkdir()
    (data / "kiosk.toml").write_text("[idle]\nseconds = 1\n", encoding="utf-8")
    code, out = run(["check-config", "--data-dir", str(data)], capsys)
    assert code == 1
    assert out[0].startswith(f"{data.resolve() / 'kiosk.toml'}:2: error: [idle.seconds] ")
    assert not (data / "logs").exists()  # checking creates nothing


def test_check_config_names_a_missing_or_broken_logo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[clinic]\nname = "Clinic"\nlogo = "logo.png"\n', encoding="utf-8")
    code, out = run(["check-config", str(config)], capsys)
    assert code == 1
    assert out[0] == (
        f'{config}:3: error: [clinic.logo] "logo.png" not found ({tmp_path / "logo.png"})'
    )
    assert_documented(out[0])
    (tmp_path / "logo.png").write_bytes(b"not a picture")
    code, out = run(["check-config", str(config)], capsys)
    assert out[0] == f'{config}:3: error: [clinic.logo] "logo.png" is not a PNG or JPEG picture'
    (tmp_path / "logo.png").write_bytes(png_bytes())
    code, out = run(["check-config", str(config)], capsys)
    assert code == 0 and out == ["kiosk.toml: 0 errors"]


def test_pages_named_so_they_are_not_read_are_said(root: Path) -> None:
    """Notepad's ".md.txt" and a ".MD" were skipped in silence: the admin saw
    nothing in check-content, and no page on screen."""
    folder = root / "t"
    (folder / "03-costs.md.txt").write_text("---\ntitle: Costs\norder: 3\n---\n\nText.\n")
    (folder / "04-upper.MD").write_text("---\ntitle: Upper\norder: 4\n---\n\nText.\n")
    (folder / "notes.txt").write_text("not a page")  # any other file: left alone
    assert lines(root) == [
        't/03-costs.md.txt: warning: not read as a page: a text editor added ".txt" to its '
        'name; rename it "03-costs.md"',
        't/04-upper.MD: warning: not read as a page: pages end in ".md", in small letters; '
        'rename it "04-upper.md"',
    ]


def test_a_topic_file_saved_as_txt_is_named(root: Path) -> None:
    (root / "t" / "topic.toml").rename(root / "t" / "topic.toml.txt")
    (message,) = [line for line in lines(root) if "topic.toml" in line]
    assert message.endswith(
        'missing; the topic is called "T" until it has one (there is a "topic.toml.txt": '
        'a text editor added ".txt"; rename it "topic.toml")'
    )


def test_a_picture_without_words_for_people_who_cannot_see_it(root: Path) -> None:
    """Screen readers and audio mode say a picture's description, or nothing: a
    page's "picture:" had no way to give one, and "![](...)" passed unremarked."""
    write_page(root / "t", "03-c.md", "C", 3, "See: ![](images/ok.png)", "picture: images/ok.png\n")
    said = "has no words for people who cannot see it: write what it shows between its "
    assert lines(root) == [
        f't/03-c.md:4: warning: picture "images/ok.png" {said}brackets, or for a page\'s '
        'picture, on a "picture_text:" line',
    ]
    write_page(
        root / "t",
        "03-c.md",
        "C",
        3,
        "See: ![A cup [of] tea](images/ok.png)",
        "picture: images/ok.png\npicture_text: The tea room [upstairs]\n",
    )
    assert lines(root) == []
    (page,) = [p for p in load_library(root).topics[0].pages if p.page_id == "03-c"]
    html = page.body.get().html
    assert 'alt="The tea room [upstairs]"' in html and 'alt="A cup [of] tea"' in html


@pytest.mark.parametrize(
    ("line", "fix"),
    [
        ('name = "Sunrise', "a text in quotes is not closed on its line"),
        ("name = Sunrise Clinic", 'after "=" comes text in double quotes'),
        ("[colours", "a section's name needs its closing bracket"),
        ('name = "A"\nname = "B"', "this setting is given twice: keep one"),
        ("[clinic]", "this section is given twice"),
        ("name", 'a setting is its name, "=" and a value'),
        ('name = "A" "B"', "one setting a line, and its value in one piece"),
        ('= "A"', "each line is a setting"),
    ],
)
def test_check_config_says_what_to_do_with_toml_that_does_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, fix: str
) -> None:
    """tomllib's words name the parser's view ("Invalid value (at line 2, column
    8)"); the clinic's admin reads first what to do, then those words, at the line."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[clinic]\nphone = "555-0100"\n{line}\n', encoding="utf-8")
    code, out = run(["check-config", str(config)], capsys)
    assert code == 1
    broken = len(line.split("\n")) + 2  # the snippet's last line
    assert out[0].startswith(f"{config}:{broken}: error: not valid TOML: {fix}")
    assert out[0].endswith("); this line is ignored")
    assert "(at line" not in out[0]  # the line is said once, before the message
    assert_documented(out[0])
