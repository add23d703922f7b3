"""Translated pages (``name.es.md``): loaded beside the English pages, shown in
a language's view, the English page (marked) where a translation is missing or
broken; the shipped Spanish drafts; the checker's lines about translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import cli
from kiosk.content import Library, load_library
from kiosk.content.check import check, summary
from kiosk.content.model import split_language
from kiosk.content.render import Renderer
from tests.conftest import png_bytes, write_page
from tests.content.test_check import REVIEWED, lines


def write_translation(
    folder: Path, name: str, title: str, body: str = "Un texto.", extra: str = ""
) -> Path:
    """A translation file: only a title is needed; the order is the English page's."""
    path = folder / name
    path.write_text(
        f"---\ntitle: {title}\ntranslation: draft\n{extra}---\n\n{body}\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A topic of three English pages; the first two translated into Spanish."""
    root = tmp_path / "content"
    topic = root / "t"
    write_page(topic, "01-a.md", "Alpha", 1, "Read [the beta page](02-b.md) next.", REVIEWED)
    write_page(topic, "02-b.md", "Beta", 2, "Beta text.", REVIEWED)
    write_page(topic, "03-c.md", "Gamma", 3, "Gamma text.", REVIEWED)
    (topic / "topic.toml").write_text(
        'title = "Tea"\norder = 1\nsummary = "All about tea."\n\n'
        '[es]\ntitle = "Té"\nsummary = "Todo sobre el té."\n',
        encoding="utf-8",
    )
    write_translation(topic, "01-a.es.md", "Alfa", "Lea [la página beta](02-b.md) después.")
    write_translation(topic, "02-b.es.md", "Beta en español", "Texto beta.")
    return root


def spanish(library: Library) -> Library:
    view = library.translated("es")
    assert view.language == "es"
    return view


# The model ----------------------------------------------------------------------


def test_a_language_view_has_the_translations_and_marks_the_english_ones(root: Path) -> None:
    """Each page in Spanish where it has a translation; else English, marked fallback."""
    library = load_library(root)
    assert library.problems == ()
    assert library.languages == ("es",)
    view = spanish(library)
    got = [(p.key, p.title, p.language, p.fallback, p.translation) for p in view.pages]
    assert got == [
        ("t/01-a", "Alfa", "es", False, "draft"),
        ("t/02-b", "Beta en español", "es", False, "draft"),
        ("t/03-c", "Gamma", "en", True, None),
    ]
    # The English library is untouched: no page in it is a fallback.
    assert [(p.title, p.language, p.fallback) for p in library.pages] == [
        ("Alpha", "en", False),
        ("Beta", "en", False),
        ("Gamma", "en", False),
    ]


def test_english_is_the_library_itself_and_views_are_kept(root: Path) -> None:
    """ "en" gives back the library as loaded (from a view too); a view is built once."""
    library = load_library(root)
    view = library.translated("es")
    assert library.translated("en") is library
    assert view.translated("en") is library
    assert view.translated("es") is view
    assert library.translated("es") is view


def test_an_unknown_language_is_refused(root: Path) -> None:
    with pytest.raises(ValueError, match="'fr'"):
        load_library(root).translated("fr")


def test_topic_title_and_summary_in_spanish(root: Path) -> None:
    """topic.toml's [es] table; a topic without one keeps its English words."""
    write_page(root / "u", "01.md", "Uno", 1)
    (root / "u" / "topic.toml").write_text('title = "Umbrellas"\norder = 2\n', encoding="utf-8")
    library = load_library(root)
    assert library.problems == ()
    assert [(t.title, t.summary) for t in library.topics] == [
        ("Tea", "All about tea."),
        ("Umbrellas", ""),
    ]
    assert [(t.title, t.summary) for t in spanish(library).topics] == [
        ("Té", "Todo sobre el té."),
        ("Umbrellas", ""),
    ]


def test_a_translation_takes_the_english_order(root: Path) -> None:
    """An order in a translation's header does not move it: pages keep one order."""
    write_translation(root / "t", "02-b.es.md", "Beta", extra="order: 9\n")
    view = spanish(load_library(root))
    assert [p.key for p in view.pages] == ["t/01-a", "t/02-b", "t/03-c"]
    page = view.page("t/02-b")
    assert page is not None and page.order == 2


def test_links_in_a_spanish_page_go_to_the_spanish_view(root: Path) -> None:
    """Keys are shared: a link (to the English or the Spanish file name) names the
    key, and the Spanish view finds the Spanish page under it."""
    write_translation(root / "t", "03-c.es.md", "Gama", "Vuelva a [beta](02-b.es.md).")
    view = spanish(load_library(root))
    alpha, _beta, gamma = view.pages
    assert 'href="kiosk:page/t/02-b"' in alpha.html
    assert 'href="kiosk:page/t/02-b"' in gamma.html
    target = view.page("t/02-b")
    assert target is not None
    assert (target.title, target.language) == ("Beta en español", "es")
    assert alpha.problems == () and gamma.problems == ()


def test_a_translation_goes_through_the_same_sanitiser(root: Path) -> None:
    """Raw HTML and web links are treated as in an English page."""
    write_translation(
        root / "t",
        "03-c.es.md",
        "Gama",
        "<script>alert(1)</script>Hola [web](https://example.org) <b>sí</b>.",
    )
    page = spanish(load_library(root)).page("t/03-c")
    assert page is not None
    assert "script" not in page.html and "alert" not in page.html
    assert "href" not in page.html and "example.org" in page.plain_text


def test_translations_are_rendered_on_first_use_only(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading and building a view render nothing; a fallback shares the English
    page's body, so a page is rendered once whichever view shows it."""
    seen: list[str] = []
    original = Renderer.render

    def counting(self: Renderer, body: str, context: object) -> str:
        seen.append(body)
        return original(self, body, context)  # type: ignore[arg-type]

    monkeypatch.setattr(Renderer, "render", counting)
    library = load_library(root)
    view = spanish(library)
    assert seen == []
    assert not any(page.body.rendered for page in library.pages + library.translations)
    fallback = view.page("t/03-c")
    assert fallback is not None and fallback.fallback
    assert fallback.body is library.pages[2].body
    assert "Gamma text." in fallback.html and "Gamma text." in library.pages[2].html
    assert len(seen) == 1


def test_a_library_loaded_again_equals_the_one_on_screen(root: Path) -> None:
    """Live reload compares libraries: translations count, and views compare too."""
    first, second = load_library(root), load_library(root)
    assert first == second and hash(first) == hash(second)
    assert first.translated("es") == second.translated("es")
    write_translation(root / "t", "02-b.es.md", "Beta cambiada")
    third = load_library(root)
    assert third != first
    assert third.translated("es") != first.translated("es")


def test_language_suffixes() -> None:
    """Two letters (or a region) after the last dot; other dotted names are pages."""
    assert split_language("03-how-it-works.es") == ("03-how-it-works", "es")
    assert split_language("03-how-it-works.es-MX") == ("03-how-it-works", "es-MX")
    assert split_language("03-how-it-works") == ("03-how-it-works", None)
    assert split_language("notes.v2") == ("notes.v2", None)
    assert split_language("notes.draft") == ("notes.draft", None)


def test_a_dotted_name_that_is_no_language_is_still_a_page(root: Path) -> None:
    write_page(root / "t", "04-notes.v2.md", "Notes", 4)
    library = load_library(root)
    assert library.problems == ()
    assert library.pages[-1].key == "t/04-notes.v2"


# A broken translation: reported, and the English page shows ----------------------


def test_a_broken_translation_is_an_error_and_the_english_page_shows(root: Path) -> None:
    (root / "t" / "02-b.es.md").write_text("Sin cabecera.\n", encoding="utf-8")
    library = load_library(root)
    assert [str(p.path.name) + ": " + p.message for p in library.errors] == [
        '02-b.es.md: the page must start with a metadata header: a line "---", '
        '"title: ...", "order: ...", then "---"; the English page shows instead'
    ]
    page = spanish(library).page("t/02-b")
    assert page is not None
    assert (page.title, page.language, page.fallback) == ("Beta", "en", True)
    assert [line for line in lines(root) if ": info: " not in line] == [
        't/02-b.es.md:1: error: the page must start with a metadata header: a line "---", '
        '"title: ...", "order: ...", then "---"; the English page shows instead'
    ]


def test_broken_translations_line_by_line(root: Path) -> None:
    """Each cheap check an English page has, with the English page shown instead."""
    topic = root / "t"
    (topic / "01-a.es.md").write_bytes(b"---\ntitle: Alfa\n---\n\nCaf\xe9\n")
    (topic / "02-b.es.md").write_text("---\nsummary: x\n---\n\nTexto.\n", encoding="utf-8")
    write_translation(topic, "03-c.es.md", "Gama", "![Sala](images/sala.png)")
    errors = [line for line in lines(root) if ": error: " in line]
    assert errors == [
        "t/01-a.es.md:5: error: is not valid UTF-8 text (save it as UTF-8); "
        "the English page shows instead",
        't/02-b.es.md:1: error: the metadata header has no "title"; the English page shows instead',
        't/03-c.es.md:6: error: picture "images/sala.png" not found; '
        "the English page shows instead",
    ]
    view = spanish(load_library(root))
    assert [p.fallback for p in view.pages] == [True, True, True]
    assert cli.main(["check-content", str(root)]) == 1


def test_a_translation_with_its_own_picture(root: Path) -> None:
    """A picture in a translation is checked and shown like one in a page."""
    (root / "t" / "images").mkdir()
    (root / "t" / "images" / "sala.png").write_bytes(png_bytes())
    write_translation(root / "t", "03-c.es.md", "Gama", "![Sala](images/sala.png)")
    page = spanish(load_library(root)).page("t/03-c")
    assert page is not None and not page.fallback
    assert list(page.images.values()) == [(root / "t" / "images" / "sala.png").resolve()]


# What the checker says about translations ----------------------------------------


def test_a_translation_without_an_english_page(root: Path) -> None:
    write_translation(root / "t", "04-d.es.md", "Delta")
    assert [line for line in lines(root) if "04-d" in line] == [
        't/04-d.es.md: warning: no English page "04-d.md" for this translation; left out'
    ]
    assert [p.key for p in spanish(load_library(root)).pages] == ["t/01-a", "t/02-b", "t/03-c"]


def test_a_translation_whose_english_page_is_left_out(root: Path) -> None:
    (root / "t" / "02-b.md").write_text("no header\n", encoding="utf-8")
    assert [line for line in lines(root) if line.startswith("t/02-b")] == [
        't/02-b.md:1: error: the page must start with a metadata header: a line "---", '
        '"title: ...", "order: ...", then "---"; page left out',
        't/02-b.es.md: warning: the English page "02-b.md" is left out, so this translation is too',
    ]


def test_an_unknown_language_suffix(root: Path) -> None:
    write_page(root / "t", "01-a.fr.md", "Alpha", 1)
    write_page(root / "t", "02-b.ES.md", "Beta", 2)
    write_page(root / "t", "03-c.en.md", "Gamma", 3)
    assert [line for line in lines(root) if ": warning: " in line] == [
        't/01-a.fr.md: warning: ".fr" is not a language the kiosk offers (Spanish: ".es"); '
        "left out",
        't/02-b.ES.md: warning: ".ES" is not a language the kiosk offers (Spanish: ".es"); '
        "left out",
        't/03-c.en.md: warning: pages in English need no language suffix: name it "03-c.md"; '
        "left out",
    ]
    library = load_library(root)
    assert [p.key for p in library.pages] == ["t/01-a", "t/02-b", "t/03-c"]


def test_translation_values_are_checked(root: Path) -> None:
    """Only "draft" or "reviewed"; another value is taken as a draft. The key
    means nothing in an English page."""
    topic = root / "t"
    (topic / "01-a.es.md").write_text(
        "---\ntitle: Alfa\ntranslation: final\n---\n\nTexto.\n", encoding="utf-8"
    )
    write_page(topic, "03-c.md", "Gamma", 3, "Text.", "translation: reviewed\n")
    problems = [line for line in lines(root) if ": warning: " in line]
    assert problems == [
        't/01-a.es.md:3: warning: "translation" must be "draft" or "reviewed", got "final"; '
        'taken as "draft"',
        't/03-c.md:4: warning: "translation" is only for translated pages (name.es.md); ignored',
    ]
    view = spanish(load_library(root))
    assert [p.translation for p in view.pages] == ["draft", "draft", None]


def test_a_reviewed_translation_is_not_listed_as_a_draft(root: Path) -> None:
    (root / "t" / "02-b.es.md").write_text(
        "---\ntitle: Beta\ntranslation: reviewed\n---\n\nTexto.\n", encoding="utf-8"
    )
    assert [line for line in lines(root) if ": info: " in line] == [
        "t/01-a.es.md:3: info: draft translation: have it reviewed (by a qualified medical "
        'translator), then write "translation: reviewed"'
    ]
    assert summary(check(root)).split("\n") == [
        "2 translations: 2 in Spanish; 1 draft for the clinic to review",
        "3 pages in 1 topic: 0 errors, 0 warnings",
    ]


def test_topic_translation_problems(root: Path) -> None:
    (root / "t" / "topic.toml").write_text(
        'title = "Tea"\norder = 1\n\n[es]\ntitle = "Té"\norder = 2\nsummary = 3\n',
        encoding="utf-8",
    )
    assert [line for line in lines(root) if ": info: " not in line] == [
        't/topic.toml:6: warning: unknown key "order" in [es], ignored; [es] takes only '
        "title and summary (other keys go above [es])",
        't/topic.toml:7: error: "summary" in [es] must be text; ignored',
    ]
    (topic,) = spanish(load_library(root)).topics
    assert (topic.title, topic.order) == ("Té", 1)


def test_a_topic_translation_that_is_not_a_table(root: Path) -> None:
    (root / "t" / "topic.toml").write_text('title = "Tea"\nes = "Té"\n', encoding="utf-8")
    assert [line for line in lines(root) if "topic.toml" in line] == [
        't/topic.toml:2: error: "es" must be a table: a line [es], then title and summary; ignored'
    ]


def test_a_long_topic_translation_is_cut_short(root: Path) -> None:
    (root / "t" / "topic.toml").write_text(
        f'title = "Tea"\n[es]\ntitle = "{"T" * 130}"\n', encoding="utf-8"
    )
    assert [line for line in lines(root) if "topic.toml" in line] == [
        't/topic.toml:3: warning: "title" in [es] is longer than 120 characters; cut short'
    ]
    (topic,) = spanish(load_library(root)).topics
    assert topic.title == "T" * 120


def test_the_checker_lists_drafts_as_notes_not_warnings(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Drafts are info lines after their English page's lines, and a summary line;
    --strict does not fail on them (they are what the clinic chose to show)."""
    assert cli.main(["check-content", "--strict", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "t/01-a.es.md:3: info: draft translation: have it reviewed (by a qualified medical "
        'translator), then write "translation: reviewed"',
        "t/02-b.es.md:3: info: draft translation: have it reviewed (by a qualified medical "
        'translator), then write "translation: reviewed"',
    ]
    assert out[-2:] == [
        "2 translations: 2 in Spanish; 2 drafts for the clinic to review",
        "3 pages in 1 topic: 0 errors, 0 warnings",
    ]
    # Reading levels are for the English pages only (the formula is for English).
    assert [line for line in out if "reading level" in line and ".es.md" in line] == []


def test_translations_left_out_are_counted(root: Path) -> None:
    write_page(root / "t", "01-a.fr.md", "Alpha", 1)
    assert summary(check(root)).split("\n")[0] == (
        "3 translations (1 left out): 2 in Spanish; 2 drafts for the clinic to review"
    )


def test_a_library_without_translations_has_the_same_summary(tmp_path: Path) -> None:
    write_page(tmp_path / "t", "01.md", "One", 1, "Fine text here.", REVIEWED)
    (tmp_path / "t" / "topic.toml").write_text('title = "T"\n', encoding="utf-8")
    library = load_library(tmp_path)
    assert library.languages == ()
    assert [p.fallback for p in library.translated("es").pages] == [True]
    assert summary(check(tmp_path)) == "1 page in 1 topic: 0 errors, 0 warnings"


# The shipped Spanish content ------------------------------------------------------


def test_shipped_content_loads_in_both_languages(shipped_library: Library) -> None:
    """No problems in English or Spanish, rendered or not; every page translated."""
    assert shipped_library.problems == ()
    assert shipped_library.languages == ("es",)
    assert shipped_library.render_all() == ()
    view = shipped_library.translated("es")
    english = shipped_library.pages
    assert [p.key for p in view.pages] == [p.key for p in english]
    for page, original in zip(view.pages, english, strict=True):
        assert (page.language, page.fallback, page.translation) == ("es", False, "draft")
        assert page.source.name == original.source.name.replace(".md", ".es.md")
        assert page.title != original.title and page.summary
        assert page.plain_text.strip()
    (topic,) = view.topics
    assert (topic.title, topic.summary) == (
        "La ketamina y la depresión",
        "La ketamina y cómo puede ayudar con la depresión grave.",
    )


def test_shipped_spanish_crisis_help_names_988_in_spanish(shipped_library: Library) -> None:
    """The disclaimer and crisis lines in Spanish: 988's Spanish option, 911, Crisis Text Line."""
    page = shipped_library.translated("es").page(
        "ketamine-and-depression/09-about-this-information"
    )
    assert page is not None
    text = page.plain_text
    assert "No sustituye la consulta con un profesional de la salud" in text
    assert "Spravato" in text and "REMS" in text and "FDA" in text
    assert "llame al 988 y oprima el 2" in text
    assert "envíe AYUDA por mensaje de texto al 988" in text
    assert "AYUDA por mensaje de texto al 741741" in text
    assert "llame al 911" in text


def test_shipped_translations_are_marked_draft_and_keep_to_markdown(
    shipped_library: Library,
) -> None:
    """Each file says "translation: draft" in its header; no web links or raw HTML;
    the same pictures and lists as its English page."""
    for page in shipped_library.translations:
        source = page.source.read_text(encoding="utf-8")
        header = source.split("---")[1]
        assert "translation: draft" in header.splitlines(), page.source
        assert "<" not in source and "http" not in source, page.source
        english = shipped_library.page(page.key)
        assert english is not None
        assert dict(page.images) == dict(english.images)
        assert page.html.count("<li>") == english.html.count("<li>"), page.source


def test_shipped_check_lists_the_spanish_drafts(capsys: pytest.CaptureFixture[str]) -> None:
    """`kiosk check-content`: nine draft notes and the translations' summary line."""
    assert cli.main(["check-content"]) == 0
    out = capsys.readouterr().out.splitlines()
    drafts = [line for line in out if ": info: draft translation" in line]
    assert len(drafts) == 9 and all(".es.md:4:" in line for line in drafts)
    assert out[-2] == "9 translations: 9 in Spanish; 9 drafts for the clinic to review"
