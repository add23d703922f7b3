"""Issue 12: "In short", clinical review marks, reading level by sentence as a
reader meets it, Spanish reading ease, and the safe-messaging checks. Each rule
has a failing and a passing example, in the words docs/authoring.md lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.content import Library, load_library
from kiosk.content.check import (
    Block,
    check,
    count_syllables,
    reading_ease,
    reading_level_of,
    sentences_of,
    spanish_syllables,
    summary,
)
from kiosk.content.in_short import HEADINGS, box_html
from kiosk.content.model import DEFAULT_LANGUAGE, TRANSLATION_LANGUAGES
from tests.conftest import write_page
from tests.content.test_check import REVIEWED, lines

MENTAL_HEALTH = 'title = "Mind"\norder = 1\nmental_health = true\n'


def one_page(root: Path, body: str = "A plain page.", extra: str = REVIEWED) -> Path:
    path = write_page(root / "t", "01-a.md", "A", 1, body, extra)
    toml = root / "t" / "topic.toml"
    if not toml.exists():
        toml.write_text('title = "T"\norder = 1\n', encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "content"


# Clinical review --------------------------------------------------------------


def test_a_page_with_no_reviewer_is_a_warning_and_listed(root: Path) -> None:
    one_page(root, extra="reviewed_by:\n")
    assert lines(root, review=True) == [
        "t/01-a.md:4: warning: no clinical review yet: have a clinician check the page, then "
        'write "reviewed_by: <name>" and "review_by: <date>" (the next review) in its header'
    ]
    assert summary(check(root)).split("\n") == [
        "1 page needs a clinical review (1 not reviewed, 0 past their review date):",
        "  t/01-a.md",
        "1 page in 1 topic: 0 errors, 1 warning",
    ]
    library = load_library(root)
    assert [p.page_id for p in library.needing_review(date(2026, 1, 1))] == ["01-a"]


def test_a_reviewed_page_is_not(root: Path) -> None:
    one_page(root)
    assert lines(root, review=True) == []
    assert summary(check(root)) == "1 page in 1 topic: 0 errors, 0 warnings"
    (page,) = load_library(root).pages
    assert (page.reviewed_by, page.review_by) == ("Dr Lee", date(2099, 1, 1))
    assert load_library(root).needing_review(date(2026, 1, 1)) == ()


def test_a_passed_review_date_is_a_warning(root: Path) -> None:
    one_page(root, extra="reviewed_by: Dr Lee\nreview_by: 2026-03-01\n")
    report = check(root, today=date(2026, 3, 2))
    assert [p.message for p in report.problems] == [
        "the clinical review was due on 2026-03-01: have a clinician check the page again, "
        'then change "reviewed_by" and "review_by"'
    ]
    assert report.problems[0].line == 5
    assert summary(report).split("\n")[0] == (
        "1 page needs a clinical review (0 not reviewed, 1 past their review date):"
    )
    # On the day itself it is not yet past.
    assert check(root, today=date(2026, 3, 1)).problems == ()
    library = load_library(root)
    assert library.needing_review(date(2026, 3, 1)) == ()
    assert len(library.needing_review(date(2026, 3, 2))) == 1


def test_a_review_date_that_is_not_a_date(root: Path) -> None:
    one_page(root, extra="reviewed_by: Dr Lee\nreview_by: next June\n")
    assert lines(root) == [
        't/01-a.md:5: warning: "review_by" must be a date like 2027-06-30, got "next June"; ignored'
    ]


def test_the_shipped_pages_are_marked_not_reviewed(shipped_library: Library) -> None:
    pages = shipped_library.pages
    assert [p.reviewed_by for p in pages] == [""] * len(pages)
    assert shipped_library.needing_review(date.today()) == pages


# "In short" --------------------------------------------------------------------

SHORT = "in_short:\n- Tea is a drink.\n- It is made with hot water.\n"


def test_in_short_is_a_box_above_the_text_and_escaped(root: Path) -> None:
    one_page(root, "The clinic's text.", REVIEWED + SHORT + "- Use <b>cups</b> & saucers.\n")
    (page,) = load_library(root).pages
    assert page.in_short == (
        "Tea is a drink.",
        "It is made with hot water.",
        "Use <b>cups</b> & saucers.",
    )
    assert page.html.startswith('<table class="in-short"')
    assert page.html.index("In short") < page.html.index("<p>The clinic")
    assert "&lt;b&gt;cups&lt;/b&gt; &amp; saucers" in page.html
    assert "<b>cups" not in page.html
    # plain_text is the clinic's text only: the checker grades the two apart.
    assert page.plain_text == "The clinic's text."


def test_in_short_heading_is_in_the_pages_language() -> None:
    assert set(HEADINGS) == {DEFAULT_LANGUAGE, *TRANSLATION_LANGUAGES}
    assert "En resumen" in box_html(("Uno.", "Dos."), "es")
    assert "In short" in box_html(("One.", "Two."), "en")
    assert box_html((), "en") == ""


@pytest.mark.parametrize("count", [1, 5])
def test_in_short_needs_two_to_four_points(root: Path, count: int) -> None:
    points = "".join(f"- Point {n}.\n" for n in range(count))
    one_page(root, extra=REVIEWED + "in_short:\n" + points)
    assert lines(root) == [
        f't/01-a.md:6: warning: "In short" has {count} points: write 2 to 4, each on a line '
        '"- ..." below "in_short:"'
    ]


def test_in_short_with_two_to_four_points_is_fine(root: Path) -> None:
    one_page(root, extra=REVIEWED + SHORT)
    assert lines(root) == []


HARD_POINTS = (
    "in_short:\n"
    "- Ketamine therapy is an adequate treatment for severe depression that has not "
    "responded to other treatments.\n"
    "- Continued research is being done around long term effects and its efficacy with "
    "other psychiatric disorders.\n"
)


def test_in_short_above_grade_8_is_a_warning_and_fails_strict(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_page(root, extra=REVIEWED + HARD_POINTS)
    (line,) = lines(root)
    assert line.startswith('t/01-a.md:6: warning: "In short" reads at grade ')
    assert "above 8: its points are the page in plain words" in line
    assert cli.main(["check-content", str(root)]) == 0
    assert cli.main(["check-content", "--strict", str(root)]) == 1
    out = capsys.readouterr().out
    assert "t/01-a.md: info: reading level below grade 1 (" in out
    assert 't/01-a.md: info: "In short" reading level grade' in out


def test_in_short_at_grade_8_or_lower_passes_strict(root: Path) -> None:
    one_page(root, extra=REVIEWED + SHORT)
    assert cli.main(["check-content", "--strict", str(root)]) == 0


def test_listen_reads_in_short_first(root: Path) -> None:
    """The document's text (what Listen reads) starts with the box."""
    from PySide6.QtGui import QTextDocument

    one_page(root, "The clinic's text.", REVIEWED + SHORT)
    (page,) = load_library(root).pages
    document = QTextDocument()
    document.setHtml(page.html)
    text = document.toPlainText()
    assert text.lstrip().startswith("In short")  # after the table's own line break
    assert text.index("It is made with hot water.") < text.index("The clinic's text.")


# Reading level: sentences as a reader meets them ---------------------------------


def test_a_list_of_fragments_is_one_sentence_with_its_lead_in() -> None:
    blocks = [
        Block("The most common side effects are:"),
        Block("dizziness", item=True),
        Block("nausea", item=True),
        Block("vomiting", item=True),
        Block("These are mild."),
    ]
    assert sentences_of(blocks) == [
        ["The", "most", "common", "side", "effects", "are", "dizziness", "nausea", "vomiting"],
        ["These", "are", "mild"],
    ]


def test_list_items_that_are_sentences_count_one_each() -> None:
    blocks = [
        Block("Before you come:"),
        Block("Eat lightly.", True),
        Block("Bring a friend.", True),
    ]
    assert len(sentences_of(blocks)) == 3
    # The old count (each item a sentence) made a fragment list read easier than it is.
    fragments = [Block("Routes are:"), *(Block(w, True) for w in ("intravenous", "oral", "nasal"))]
    assert len(sentences_of(fragments)) == 1


#: Three shipped "In short" boxes counted by hand: (page, words, sentences,
#: syllables, grade), each word's syllables in the comment.
HAND_COUNTS = [
    # De-pres-sion is an ill-ness (7). It can make dai-ly life hard (7). Some peo-ple
    # are not helped by the u-su-al care (12). Ke-ta-mine may help some of them (8).
    ("01-ketamine-and-depression", 25, 4, 34, 2.9),
    # Ke-ta-mine works in a dif-fer-ent way from most de-pres-sion drugs (16). No one
    # knows yet just how it works in the brain (11). It may help brain cells make new links (8).
    ("03-how-does-ketamine-work", 29, 3, 35, 2.4),
    # Ke-ta-mine looks like a hope-ful choice for bad de-pres-sion (14). Work with a team
    # that knows how to give it safe-ly (12). Ask us if you want to learn more (8).
    ("07-conclusion", 28, 3, 34, 2.4),
]


@pytest.mark.parametrize(("page_id", "words", "sentences", "syllables", "grade"), HAND_COUNTS)
def test_flesch_kincaid_matches_a_hand_count(
    shipped_library: Library, page_id: str, words: int, sentences: int, syllables: int, grade: float
) -> None:
    page = shipped_library.page(f"ketamine-and-depression/{page_id}")
    assert page is not None
    level = reading_level_of(page.source, [Block(p) for p in page.in_short], "In short")
    assert level is not None
    assert (level.words, level.sentences, level.syllables) == (words, sentences, syllables)
    expected = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    assert level.grade == round(expected, 1) == grade


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("depresión", 3),
        ("una", 2),  # u-na: hyphenation dictionaries leave this one whole
        ("enfermedad", 4),
        ("diaria", 2),  # dia-ria: diphthongs
        ("día", 2),  # dí-a: the accent breaks it
        ("que", 1),  # the u is silent
        ("guerra", 2),
        ("muy", 1),
        ("ayuda", 3),
        ("leer", 2),  # two strong vowels
        ("ketamina", 4),
    ],
)
def test_spanish_syllables(word: str, count: int) -> None:
    assert spanish_syllables(word) == count


def test_spanish_reading_ease_matches_a_reference(
    shipped_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The formulas and the word and sentence counts against textstat's
    (the same syllables given to both: textstat counts Spanish syllables by
    hyphenation, which leaves "u-na" whole, so ours are counted by hand above)."""
    textstat = pytest.importorskip("textstat")
    textstat.set_lang("es")
    monkeypatch.setattr(
        "kiosk.content.check.spanish_syllables", lambda word: textstat.syllable_count(word)
    )
    for page in shipped_library.translations[:3]:
        text = " ".join(page.in_short)
        ease = reading_ease(page.source, [Block(p) for p in page.in_short])
        assert ease is not None
        assert ease.inflesz == pytest.approx(textstat.szigriszt_pazos(text), abs=0.1)
        assert ease.fernandez_huerta == pytest.approx(textstat.fernandez_huerta(text), abs=0.1)


def test_spanish_pages_get_reading_ease_not_a_grade(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_page(root, "Un texto.", REVIEWED)
    (root / "t" / "01-a.es.md").write_text(
        "---\ntitle: A\n" + SHORT.replace("Tea is a drink.", "El té es una bebida.") + "---\n\n"
        "La ketamina puede ayudar a algunas personas. Es un medicamento.\n",
        encoding="utf-8",
    )
    assert cli.main(["check-content", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    ease = [line for line in out if "reading ease" in line]
    assert ease[0].startswith("t/01-a.es.md: info: reading ease INFLESZ ")
    assert "Fernández-Huerta" in ease[0] and "(10 words, 2 sentences)" in ease[0]
    assert ease[1].startswith('t/01-a.es.md: info: "In short" reading ease INFLESZ ')
    assert not [line for line in out if ".es.md" in line and "grade" in line]
    # Counted by hand: la(1) ke-ta-mi-na(4) pue-de(2) a-yu-dar(3) a(1) al-gu-nas(3)
    # per-so-nas(3); es(1) un(1) me-di-ca-men-to(5): 24 syllables, 10 words, 2 sentences.
    report = check(root)
    (text, _short) = report.eases
    assert (text.words, text.sentences, text.syllables) == (10, 2, 24)
    assert text.inflesz == round(206.835 - 62.3 * 24 / 10 - 10 / 2, 1) == 52.3
    assert text.band == "somewhat hard"


def test_english_syllables_are_unchanged() -> None:
    assert count_syllables("ketamine") == 3


# Safe messaging --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("Her uncle committed suicide last year.", "committed suicide"),
        ("He commits suicide in the film.", "commits suicide"),
        ("It was a successful suicide attempt.", "successful suicide"),
        ("After a failed suicide attempt, he got help.", "failed suicide"),
        ("Depression is an epidemic.", "epidemic"),
    ],
)
def test_wording_safe_messaging_advises_against(root: Path, sentence: str, said: str) -> None:
    one_page(root, sentence + " Call or text 988.")
    (line,) = lines(root)
    assert line.startswith(f't/01-a.md:8: warning: says "{said}": write ')


@pytest.mark.parametrize(
    "sentence",
    [
        "Her uncle died by suicide last year. Call or text 988.",
        "After a suicide attempt, he got help. Call or text 988.",
        "Rates of depression are rising.",
        "We commit to suicide prevention. Call or text 988.",
    ],
)
def test_wording_safe_messaging_suggests_passes(root: Path, sentence: str) -> None:
    one_page(root, sentence)
    assert lines(root) == []


def test_a_method_of_suicide_is_a_warning(root: Path) -> None:
    one_page(root, "He died by suicide after an overdose of pills. Call or text 988.")
    (line,) = lines(root)
    assert line == (
        't/01-a.md:8: warning: names a method of suicide ("overdose"): leave out how; details '
        "of a method can lead someone at risk to copy it (safe-messaging guidance)"
    )


def test_a_method_in_another_sentence_is_not(root: Path) -> None:
    one_page(root, "Suicide can be prevented. Call or text 988. Take your pills as prescribed.")
    assert lines(root) == []


def test_naming_suicide_without_988_in_a_mental_health_topic_is_an_error(root: Path) -> None:
    one_page(root, "Depression raises the risk of suicide.")
    (root / "t" / "topic.toml").write_text(MENTAL_HEALTH, encoding="utf-8")
    assert lines(root) == [
        't/01-a.md:8: error: names suicide ("suicide") but not the 988 Suicide & Crisis '
        'Lifeline: add "If you are in crisis, call or text 988 (Suicide & Crisis Lifeline)." '
        "(the topic is marked mental_health)"
    ]
    assert cli.main(["check-content", str(root)]) == 1
    # The kiosk still shows it: crisis help is on every screen.
    assert len(load_library(root).pages) == 1


def test_naming_suicide_with_988_passes(root: Path) -> None:
    one_page(root, "Depression raises the risk of suicide.\n\nIf you are in crisis, call 988.")
    (root / "t" / "topic.toml").write_text(MENTAL_HEALTH, encoding="utf-8")
    assert lines(root) == []


def test_a_spanish_page_naming_suicide_needs_988_too(root: Path) -> None:
    one_page(root, "A plain page.")
    (root / "t" / "topic.toml").write_text(MENTAL_HEALTH, encoding="utf-8")
    (root / "t" / "01-a.es.md").write_text(
        "---\ntitle: A\n---\n\nLa depresión aumenta el riesgo de suicidio.\n", encoding="utf-8"
    )
    assert [line.split(": ", 2)[1] for line in lines(root) if ": info: " not in line] == ["error"]


def test_outside_a_mental_health_topic_988_is_not_required(root: Path) -> None:
    one_page(root, "Depression raises the risk of suicide.")
    assert lines(root) == []


def test_mental_health_must_be_true_or_false(root: Path) -> None:
    one_page(root)
    (root / "t" / "topic.toml").write_text('title = "T"\nmental_health = "yes"\n', "utf-8")
    assert lines(root) == ['t/topic.toml:2: error: "mental_health" must be true or false; ignored']
    assert load_library(root).topics[0].mental_health is False


def test_the_shipped_topic_is_marked_mental_health(shipped_library: Library) -> None:
    assert shipped_library.topics[0].mental_health is True
