"""Checking a content folder for the clinic's admin: ``kiosk check-content``.

The checker loads the folder with the kiosk's own loader (so it finds exactly
what the running kiosk would leave out), renders every page as the kiosk would
on first show (links to no page, pictures refused, empty pages), then adds what
only an admin needs to hear about: pictures too big for a tablet, raw HTML the
sanitiser will drop, each page's reading level (the clinic's text and its "In
short" apart: Flesch-Kincaid grade in English, INFLESZ and Fernández-Huerta
reading ease in Spanish), pages that need a clinician's review, and wording
that safe-messaging guidance advises against.

Every problem is a ``Problem``: ``file:line: error|warning|info: message``. What
each severity means, and every message, is in docs/authoring.md ("Check your
changes", "Every message, and what to do"); a new check follows it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from kiosk.content.in_short import BOX_CLASS, IN_SHORT_KEY, MAX_POINTS, MIN_POINTS
from kiosk.content.loader import TOPIC_FILE, Loader, PageSource, topic_key_line
from kiosk.content.model import (
    TRANSLATION_LANGUAGES,
    Page,
    Problem,
    Topic,
    split_language,
)
from kiosk.content.pictures import MAX_PICTURE_SIDE, mask_code
from kiosk.content.render import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, DROP_WITH_CONTENT

#: Reading level above which a page, or its "In short", gets a warning
#: (Flesch-Kincaid grade; NIH asks for 8 or lower, AMA for 6).
READING_GRADE_AIM = 8.0
#: What a part of a page is: the clinic's text, or its "In short" box.
TEXT = "text"
IN_SHORT = "In short"
#: Pictures bigger than this (bytes) get a warning; wider or taller than
#: ``MAX_PICTURE_SIDE`` (pixels) an error: the kiosk does not show them.
MAX_PICTURE_BYTES = 2 * 1024 * 1024

_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?/?>")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=[\"'\u201d\u2019)\]]*(?:\s|$))")
_ENDS_A_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class ReadingLevel:
    """A page's Flesch-Kincaid grade, on the text the screen shows (``part``:
    the clinic's text, ``TEXT``, or its "In short", ``IN_SHORT``)."""

    path: Path
    grade: float
    words: int
    sentences: int
    syllables: int
    part: str = TEXT

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words


@dataclass(frozen=True)
class ReadingEase:
    """A Spanish page's reading ease (0 hard to 100 easy): the INFLESZ scale's
    Szigriszt-Pazos score and its band, and the Fernández-Huerta score."""

    path: Path
    inflesz: float
    fernandez_huerta: float
    words: int
    sentences: int
    syllables: int
    part: str = TEXT

    @property
    def band(self) -> str:
        """The INFLESZ band (Barrio-Cantalejo et al., 2008), in English."""
        for floor, name in INFLESZ_BANDS:
            if self.inflesz >= floor:
                return name
        return INFLESZ_BANDS[-1][1]


#: (lowest score, name) of each INFLESZ band, easiest first.
INFLESZ_BANDS = (
    (80.0, "very easy"),
    (65.0, "quite easy"),
    (55.0, "normal"),
    (40.0, "somewhat hard"),
    (float("-inf"), "very hard"),
)


@dataclass(frozen=True)
class ContentReport:
    """What ``kiosk check-content`` prints."""

    root: Path
    #: Sorted by file, then line.
    problems: tuple[Problem, ...]
    #: One per page shown that has words, in file order.
    levels: tuple[ReadingLevel, ...]
    page_files: int
    pages_shown: int
    topic_folders: int
    #: Translation files found (``name.es.md``, and any other language suffix).
    translation_files: int = 0
    #: Translations shown, by language code.
    translations_shown: tuple[tuple[str, int], ...] = ()
    #: Translations marked ``translation: draft``.
    drafts: tuple[Path, ...] = ()
    #: Pages no clinician has reviewed, and pages whose review date has passed.
    not_reviewed: tuple[Path, ...] = ()
    review_due: tuple[Path, ...] = ()
    #: The Spanish pages' reading ease (text and "In short"), in file order.
    eases: tuple[ReadingEase, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def check_content(root: Path) -> list[Problem]:
    """Every problem in the content folder ``root``, by file then line."""
    return list(check(root).problems)


def check(root: Path, today: date | None = None) -> ContentReport:
    """Check the content folder ``root``: problems, reading levels and counts;
    a review date before ``today`` (default: today) has passed."""
    today = today or date.today()
    loader = Loader(root)  # no report: nothing is logged, everything is returned
    library = loader.load()
    problems = list(library.render_all())
    sources = {source.key: source for source in loader.sources}
    topics = {topic.topic_id: topic for topic in library.topics}
    levels: list[ReadingLevel] = []
    eases: list[ReadingEase] = []
    drafts = []
    not_reviewed: list[Path] = []
    review_due: list[Path] = []
    shown: dict[str, int] = {}
    for source, page in zip(loader.translation_sources, library.translations, strict=True):
        problems.extend(_raw_html(source))
        problems.extend(_page_pictures(page))
        problems.extend(_in_short_points(source, page))
        problems.extend(safe_messaging(page, source.text, topics[page.topic_id]))
        for part, blocks in _parts(page):
            ease = reading_ease(page.source, blocks, part)
            if ease is not None:
                eases.append(ease)
        shown[page.language] = shown.get(page.language, 0) + 1
        if page.translation == "draft":
            drafts.append(page.source)
            problems.append(
                Problem(
                    page.source,
                    source.header.values.get("translation", (None, None))[1],
                    "info",
                    "draft translation: have it reviewed (by a qualified medical translator), "
                    'then write "translation: reviewed"',
                )
            )
    for page in library.pages:
        source = sources[page.key]
        problems.extend(_raw_html(source))
        problems.extend(_page_pictures(page))
        problems.extend(_in_short_points(source, page))
        problems.extend(safe_messaging(page, source.text, topics[page.topic_id]))
        review = _review(source, page, today)
        if review is not None:
            problems.append(review)
            (not_reviewed if not page.reviewed_by else review_due).append(page.source)
        for part, blocks in _parts(page):
            level = reading_level_of(page.source, blocks, part)
            if level is None:
                continue
            levels.append(level)
            if level.grade > READING_GRADE_AIM:
                problems.append(_hard_to_read(source, level))
    for topic in library.topics:
        if topic.cover is not None:
            toml = loader.root / topic.topic_id / TOPIC_FILE
            text = toml.read_text(encoding="utf-8-sig", errors="replace")
            value = _toml_string(text, "cover") or topic.cover.name
            problems.extend(_picture_size(toml, topic_key_line(text, "cover"), value, topic.cover))
    return ContentReport(
        root=loader.root,
        problems=tuple(_sorted(problems)),
        # Sorted by file; a page's text before its "In short" (a stable sort).
        levels=tuple(sorted(levels, key=lambda level: level.path.parts)),
        page_files=len(loader.page_files),
        pages_shown=len(library.pages),
        topic_folders=len(loader.topic_folders),
        translation_files=len(loader.translation_files),
        translations_shown=tuple(sorted(shown.items())),
        drafts=tuple(drafts),
        not_reviewed=tuple(not_reviewed),
        review_due=tuple(review_due),
        eases=tuple(sorted(eases, key=lambda ease: _file_order(ease.path))),
    )


def _hard_to_read(source: PageSource, level: ReadingLevel) -> Problem:
    numbers = (
        f"(now {level.words_per_sentence:.0f} words a sentence, "
        f"{level.syllables_per_word:.1f} syllables a word)"
    )
    if level.part == IN_SHORT:
        return Problem(
            source.path,
            _header_line(source, IN_SHORT_KEY),
            "warning",
            f'"In short" reads at grade {level.grade:.1f}, above {READING_GRADE_AIM:g}: '
            f"its points are the page in plain words, so use short sentences and "
            f"everyday words {numbers}",
        )
    return Problem(
        source.path,
        _first_text_line(source),  # where the text to simplify starts
        "warning",
        f"reading level is grade {level.grade:.1f}, above "
        f"{READING_GRADE_AIM:g}: use shorter sentences and everyday words {numbers}",
    )


def _header_line(source: PageSource, key: str) -> int | None:
    return source.header.values.get(key, (None, None))[1]


# Clinical review -----------------------------------------------------------


def _review(source: PageSource, page: Page, today: date) -> Problem | None:
    """A page no clinician has reviewed, or whose review date has passed."""
    if not page.reviewed_by:
        return Problem(
            page.source,
            _header_line(source, "reviewed_by"),
            "warning",
            "no clinical review yet: have a clinician check the page, then write "
            '"reviewed_by: <name>" and "review_by: <date>" (the next review) in its header',
        )
    if page.review_by is not None and page.review_by < today:
        return Problem(
            page.source,
            _header_line(source, "review_by"),
            "warning",
            f"the clinical review was due on {page.review_by.isoformat()}: have a clinician "
            'check the page again, then change "reviewed_by" and "review_by"',
        )
    return None


# "In short" ----------------------------------------------------------------


def _in_short_points(source: PageSource, page: Page) -> list[Problem]:
    count = len(page.in_short)
    if IN_SHORT_KEY not in source.header.values or MIN_POINTS <= count <= MAX_POINTS:
        return []
    return [
        Problem(
            page.source,
            _header_line(source, IN_SHORT_KEY),
            "warning",
            f'"In short" has {count} points: write {MIN_POINTS} to {MAX_POINTS}, '
            'each on a line "- ..." below "in_short:"',
        )
    ]


def _parts(page: Page) -> list[tuple[str, list[Block]]]:
    """The words a patient reads, as blocks: the clinic's text, then "In short"."""
    parts = [(TEXT, text_blocks(page.html))]
    if page.in_short:
        parts.append((IN_SHORT, [Block(point) for point in page.in_short]))
    return parts


# Safe messaging --------------------------------------------------------------

#: Wording that safe-messaging guidance (the 988 Lifeline's messaging
#: framework; reportingonsuicide.org) advises against: (pattern, what to say).
SAFE_MESSAGING: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\bcommit(?:s|ted|ting)?\s+suicide\b", re.IGNORECASE),
        'write "died by suicide" or "took their own life": "committed" makes suicide '
        "sound like a crime (safe-messaging guidance)",
    ),
    (
        re.compile(
            r"\b(?:un)?successful\s+suicide\b|\bfailed\s+suicide\b|\bcompleted\s+suicide\b",
            re.IGNORECASE,
        ),
        'write "died by suicide" or "a suicide attempt": calling a suicide a success or a '
        "failure is what safe-messaging guidance advises against",
    ),
    (
        re.compile(r"\bepidemic\b", re.IGNORECASE),
        'write "rising rates" or "a serious public health problem": sensational words '
        "are what safe-messaging guidance advises against",
    ),
)
#: A sentence naming suicide (English or Spanish) ...
_SUICIDE = re.compile(r"\bsuicid\w*|\bkill(?:s|ed|ing)?\s+\w+sel(?:f|ves)\b", re.IGNORECASE)
#: ... and a method: the details safe-messaging guidance says to leave out.
_METHOD = re.compile(
    r"\b(?:overdos\w*|sobredosis|hang(?:s|ed|ing)?|ahorc\w*|guns?|firearms?|armas?|"
    r"pills?|pastillas|tablets|jump(?:s|ed|ing)?|poison\w*|veneno|rope|bridges?|"
    r"wrists?|slit|cuts?|cutting)\b",
    re.IGNORECASE,
)
_CRISIS_LINE = re.compile(r"(?<!\d)988(?!\d)")


def safe_messaging(page: Page, source_text: str, topic: Topic) -> list[Problem]:
    """Warnings for wording safe-messaging guidance advises against, and, in a
    topic marked ``mental_health = true``, an error for a page that names
    suicide without the 988 line (its text and "In short" together)."""
    text = "\n".join((*page.in_short, page.plain_text))
    problems = []
    for pattern, advice in SAFE_MESSAGING:
        for match in pattern.finditer(text):
            problems.append(
                Problem(
                    page.source,
                    _line_of_match(source_text, pattern, match.group(0)),
                    "warning",
                    f'says "{match.group(0)}": {advice}',
                )
            )
    for sentence in _SENTENCE_END.split(text.replace("\n", " . ")):
        method = _METHOD.search(sentence)
        if method is not None and _SUICIDE.search(sentence):
            problems.append(
                Problem(
                    page.source,
                    _line_of_match(source_text, _METHOD, method.group(0)),
                    "warning",
                    f'names a method of suicide ("{method.group(0)}"): leave out how; '
                    "details of a method can lead someone at risk to copy it "
                    "(safe-messaging guidance)",
                )
            )
    named = _SUICIDE.search(text)
    if topic.mental_health and named is not None and not _CRISIS_LINE.search(text):
        problems.append(
            Problem(
                page.source,
                _line_of_match(source_text, _SUICIDE, named.group(0)),
                "error",
                f'names suicide ("{named.group(0)}") but not the 988 Suicide & Crisis '
                'Lifeline: add "If you are in crisis, call or text 988 (Suicide & Crisis '
                'Lifeline)." (the topic is marked mental_health)',
            )
        )
    return problems


def _line_of_match(text: str, pattern: re.Pattern[str], found: str) -> int | None:
    """The line of the page file where ``found`` (a match of ``pattern``) is."""
    for number, line in enumerate(text.split("\n"), start=1):
        for match in pattern.finditer(line):
            if match.group(0).lower() == found.lower():
                return number
    return None


def _first_text_line(source: PageSource) -> int:
    body = source.header.body
    return source.header.body_line + body[: len(body) - len(body.lstrip())].count("\n")


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    """By file, then line (a problem with no line first); the same problem once.
    A translation's lines come right after its English page's."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (_file_order(p.path), p.line or 0))


def _file_order(path: Path) -> tuple[str, ...]:
    """``t/01-a.md`` -> ``("t", "01-a.md", "")``; ``t/01-a.es.md`` -> ``("t", "01-a.md", "es")``."""
    if path.suffix == ".md":
        stem, code = split_language(path.stem)
        if code is not None:
            return (*path.parts[:-1], f"{stem}.md", code)
    return (*path.parts, "")


def _toml_string(text: str, key: str) -> str | None:
    match = re.search(rf"""^\s*{re.escape(key)}\s*=\s*(["'])(.*?)\1""", text, re.MULTILINE)
    return match.group(2) if match else None


# Raw HTML ------------------------------------------------------------------


def _raw_html(source: PageSource) -> list[Problem]:
    """Raw HTML tags the sanitiser drops (or strips attributes from), by line."""
    problems = []
    first = source.header.body_line
    body = mask_code(source.header.body)
    # Over the whole body, not line by line: a tag's attributes may run onto
    # the next lines (<iframe\n src=...>), and the sanitiser drops it all the same.
    for match in _TAG.finditer(body):
        message = _raw_html_message(match.group(1).lower(), match.group(2) or "")
        if message:
            line = first + body.count("\n", 0, match.start())
            problems.append(Problem(source.path, line, "warning", message))
    return problems


def _raw_html_message(tag: str, attributes: str) -> str | None:
    if tag == "a":
        return (
            "raw HTML link <a> is shown as plain text; write links in Markdown: "
            "[words to tap](02-other-page.md)"
        )
    if tag == "img":
        return (
            "raw HTML picture <img> is not shown; write pictures in Markdown: "
            "![what it shows](images/picture.jpg)"
        )
    if tag in DROP_WITH_CONTENT:
        return f"raw HTML <{tag}> is not shown, nor anything inside it; remove it"
    if tag not in ALLOWED_TAGS:
        return (
            f"raw HTML <{tag}> is dropped (the text inside it still shows); "
            "use Markdown instead, or remove it"
        )
    allowed = ALLOWED_ATTRIBUTES.get(tag, set())
    dropped = [name for name in _ATTRIBUTE.findall(attributes) if name.lower() not in allowed]
    if not dropped:
        return None
    names = ", ".join(f'"{name}"' for name in dict.fromkeys(dropped))
    if len(dropped) == 1:
        return f"attribute {names} of <{tag}> is dropped; remove it"
    return f"attributes {names} of <{tag}> are dropped; remove them"


# Pictures ------------------------------------------------------------------


def _page_pictures(page: Page) -> list[Problem]:
    problems = []
    for line, src, file in page.body.get().pictures:
        problems.extend(_picture_size(page.source, line, src, file))
    return problems


def _picture_size(path: Path, line: int | None, src: str, file: Path) -> list[Problem]:
    import imagesize  # type: ignore[import-untyped]  # only when there is a picture

    problems = []
    try:
        size = file.stat().st_size
    except OSError:
        return []
    if size > MAX_PICTURE_BYTES:
        problems.append(
            Problem(
                path,
                line,
                "warning",
                f'picture "{src}" is {size / (1024 * 1024):.1f} MB; save it smaller than '
                f"{MAX_PICTURE_BYTES // (1024 * 1024)} MB (about 1600 pixels wide, as JPEG)",
            )
        )
    try:
        width, height = imagesize.get(str(file))
    except (OSError, ValueError):
        width = height = -1
    if width < 0 or height < 0:
        if file.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp"}:
            problems.append(
                Problem(
                    path,
                    line,
                    "warning",
                    f'picture "{src}" cannot be read as a {file.suffix[1:].upper()} picture; '
                    "save it again as PNG or JPEG",
                )
            )
    elif max(width, height) > MAX_PICTURE_SIDE:
        problems.append(
            Problem(
                path,
                line,
                "error",
                f'picture "{src}" is {width}x{height} pixels, and the kiosk shows none over '
                f"{MAX_PICTURE_SIDE} on a side: make it smaller (about 1600 wide is plenty)",
            )
        )
    return problems


# Reading level -------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, table cell or list item of a page, as text."""

    text: str
    item: bool = False


class _Blocks(HTMLParser):
    """A page's HTML as blocks of text, without its "In short" box."""

    STARTS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "td", "th", "pre", "br"})

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._item = False
        self._skip = 0  # tables deep inside the "In short" box

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(Block(text, self._item))
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and (self._skip or (BOX_CLASS in (dict(attrs).get("class") or ""))):
            self._skip += 1
        if tag in self.STARTS:
            self._flush()
            self._item = tag == "li"

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._skip:
            self._skip -= 1
        if tag in self.STARTS or tag in {"ul", "ol", "table"}:
            self._flush()
            self._item = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)


def text_blocks(html: str) -> list[Block]:
    """The clinic's text of a rendered page (``Page.html``), block by block."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


def sentences_of(blocks: Sequence[Block]) -> list[list[str]]:
    """The words of each sentence, as a reader meets them.

    A sentence ends at ``.``, ``!`` or ``?`` followed by a space, or at the end
    of a paragraph, heading or list item that ends one. List items that are not
    sentences (no end mark) are parts of one: the lead-in before them when it
    ends with ":" ("The side effects are:" dizziness, nausea), else the list's
    first item; an item that ends with a full stop is a sentence of its own.
    Numbers are not words.
    """
    sentences: list[list[str]] = []
    open_sentence = False  # the last sentence goes on into the next list item
    for block in blocks:
        found = [words for words in map(_WORD.findall, _SENTENCE_END.split(block.text)) if words]
        if not found:
            continue
        complete = bool(_ENDS_A_SENTENCE.search(block.text))
        if block.item and not complete and open_sentence and len(found) == 1:
            sentences[-1].extend(found[0])
            continue
        sentences.extend(found)
        open_sentence = (block.item and not complete) or block.text.rstrip().endswith(":")
    return sentences


def reading_level(path: Path, text: str) -> ReadingLevel | None:
    """The Flesch-Kincaid grade of plain ``text``, a paragraph a line."""
    return reading_level_of(path, [Block(line) for line in text.split("\n")])


def reading_level_of(path: Path, blocks: Sequence[Block], part: str = TEXT) -> ReadingLevel | None:
    """The Flesch-Kincaid grade of ``blocks`` (the words a patient sees), or None
    if they have no words: 0.39 * words/sentences + 11.8 * syllables/words - 15.59."""
    sentences = sentences_of(blocks)
    words = sum(len(sentence) for sentence in sentences)
    if not words:
        return None
    syllables = sum(count_syllables(word) for sentence in sentences for word in sentence)
    grade = 0.39 * words / len(sentences) + 11.8 * syllables / words - 15.59
    return ReadingLevel(path, round(grade, 1), words, len(sentences), syllables, part)


def reading_ease(path: Path, blocks: Sequence[Block], part: str = TEXT) -> ReadingEase | None:
    """A Spanish text's reading ease, or None if it has no words:
    INFLESZ (Szigriszt-Pazos) 206.835 - 62.3 * syllables/words - words/sentences;
    Fernández-Huerta 206.84 - 60 * syllables/words - 1.02 * words/sentences."""
    sentences = sentences_of(blocks)
    words = sum(len(sentence) for sentence in sentences)
    if not words:
        return None
    syllables = sum(spanish_syllables(word) for sentence in sentences for word in sentence)
    per_word, per_sentence = syllables / words, words / len(sentences)
    return ReadingEase(
        path,
        round(206.835 - 62.3 * per_word - per_sentence, 1),
        round(206.84 - 60 * per_word - 1.02 * per_sentence, 1),
        words,
        len(sentences),
        syllables,
        part,
    )


_ES_STRONG = frozenset("aeoáéóíú")  # í, ú: an accent breaks a diphthong (dí-a)
_ES_VOWELS = frozenset("aeiouáéíóúü")


@functools.lru_cache(maxsize=8192)
def spanish_syllables(word: str) -> int:
    """Syllables in a Spanish word, by its vowels: a run of vowels is one
    syllable (a diphthong: "cau-sa", "tra-ta-mien-to") unless two strong vowels
    meet ("le-er", "a-ho-ra" is split by its h anyway) or an accent breaks it
    ("dí-a"). The u of "que", "qui", "gue", "gui" is silent; a final y is a vowel
    ("muy", "hoy")."""
    lower = word.lower()
    lower = re.sub(r"(?<=[qg])u(?=[eiéí])", "", lower)
    if lower.endswith("y"):
        lower = lower[:-1] + "i"
    count = 0
    run: list[str] = []
    for letter in lower + " ":
        if letter in _ES_VOWELS:
            run.append(letter)
            continue
        if run:
            count += max(1, sum(1 for vowel in run if vowel in _ES_STRONG))
            run = []
    return max(1, count)


@functools.cache
def _hyphenator() -> object:
    import pyphen  # type: ignore[import-untyped]  # only when checking content

    return pyphen.Pyphen(lang="en_US")


@functools.lru_cache(maxsize=8192)
def count_syllables(word: str) -> int:
    """Syllables in an English word: the hyphenation dictionary's count (pyphen),
    or the vowel groups when that is more: the dictionary leaves out breaks
    next to a single letter ("o-ver", "i-de-a")."""
    parts = [part for part in word.lower().replace("\u2019", "'").split("-") if part]
    if len(parts) > 1:  # "well-tolerated": each part on its own
        return sum(count_syllables(part) for part in parts)
    lower = parts[0] if parts else word.lower()
    hyphenated = len(_hyphenator().positions(lower)) + 1  # type: ignore[attr-defined]
    return max(hyphenated, _vowel_groups(lower))


def _vowel_groups(word: str) -> int:
    """Syllables by vowel groups, with the common exceptions of English."""
    count = 0
    for match in _VOWEL_GROUP.finditer(word):
        count += 1
        run, before = match.group(0), word[: match.start()]
        if run[:2] in _SPLIT_PAIRS and not before.endswith(("q", "t", "s", "c", "g", "x")):
            count += 1  # ra-di-o, vi-de-o, u-su-al (not -tion, -sion, -cial, qua-)
        elif run == "ea" and match.end() == len(word):
            count += 1  # i-de-a, ar-e-a
    if count > 1 and (
        (word.endswith("e") and not word.endswith(("le", "ee", "ye")))
        or (word.endswith("es") and not word.endswith(_SOUNDED_ES))
        or (word.endswith("ed") and not word.endswith(("ted", "ded")))
    ):
        count -= 1  # a silent e: "make", "makes", "used"
    if count > 1 and _SILENT_E_SUFFIX.search(word):
        count -= 1  # safe-ly, state-ment
    return max(1, count)


_SPLIT_PAIRS = ("ia", "io", "eo", "ua", "uo", "iu")
_SOUNDED_ES = ("ses", "xes", "zes", "ches", "shes", "ces", "ges")
_SILENT_E_SUFFIX = re.compile(r"[^aeiouy]e(?:ly|ment|ness|ful|less)$")


# Printing ------------------------------------------------------------------


def relative(path: Path, root: Path) -> str:
    """``path`` as the CLI prints it: relative to the content folder."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        return str(path)
    return str(path) if rel == Path() else rel.as_posix()


def format_problem(problem: Problem, root: Path) -> str:
    where = relative(problem.path, root)
    if problem.line:
        where += f":{problem.line}"
    return f"{where}: {problem.severity}: {problem.message}"


def format_level(level: ReadingLevel, root: Path) -> str:
    """The page's reading level; below grade 1 (the formula has no floor, and very
    short plain sentences come out at "grade -2.2") it says so, not a negative grade."""
    what = '"In short" reading level' if level.part == IN_SHORT else "reading level"
    grade = f"grade {level.grade:.1f}" if level.grade >= 1 else "below grade 1"
    return (
        f"{relative(level.path, root)}: info: {what} {grade} "
        f"({_count(level.words, 'word')}, {_count(level.sentences, 'sentence')})"
    )


def format_ease(ease: ReadingEase, root: Path) -> str:
    what = '"In short" reading ease' if ease.part == IN_SHORT else "reading ease"
    return (
        f"{relative(ease.path, root)}: info: {what} INFLESZ {ease.inflesz:.1f} ({ease.band}), "
        f"Fernández-Huerta {ease.fernandez_huerta:.1f} "
        f"({_count(ease.words, 'word')}, {_count(ease.sentences, 'sentence')})"
    )


def summary(report: ContentReport) -> str:
    """``9 pages in 1 topic: 0 errors, 2 warnings``; with translations, a line
    before it: ``9 translations: 9 in Spanish; 9 drafts for the clinic to review``;
    first, the pages that need a clinical review, one a line."""
    left_out = report.page_files - report.pages_shown
    last = (
        f"{_count(report.page_files, 'page')} in {_count(report.topic_folders, 'topic')}"
        + (f" ({left_out} left out)" if left_out else "")
        + f": {_count(len(report.errors), 'error')}, {_count(len(report.warnings), 'warning')}"
    )
    review = _review_summary(report)
    if not report.translation_files:
        return f"{review}\n{last}" if review else last
    shown = sum(count for _code, count in report.translations_shown)
    left_out = report.translation_files - shown
    by_language = ", ".join(
        f"{count} in {TRANSLATION_LANGUAGES.get(code, code)}"
        for code, count in report.translations_shown
    )
    translations = (
        _count(report.translation_files, "translation")
        + (f" ({left_out} left out)" if left_out else "")
        + (f": {by_language}" if by_language else "")
        + (
            f"; {_count(len(report.drafts), 'draft')} for the clinic to review"
            if report.drafts
            else ""
        )
    )
    return "\n".join(line for line in (review, translations, last) if line)


def _review_summary(report: ContentReport) -> str:
    """``2 pages need a clinical review:`` and the pages, one a line."""
    pages = report.not_reviewed + report.review_due
    if not pages:
        return ""
    head = (
        f"{_count(len(pages), 'page')} {'needs' if len(pages) == 1 else 'need'} "
        f"a clinical review ({len(report.not_reviewed)} not reviewed, "
        f"{len(report.review_due)} past their review date):"
    )
    return "\n".join([head, *(f"  {relative(path, report.root)}" for path in pages)])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


__all__ = [
    "MAX_PICTURE_BYTES",
    "MAX_PICTURE_SIDE",
    "READING_GRADE_AIM",
    "SAFE_MESSAGING",
    "Block",
    "ContentReport",
    "ReadingEase",
    "ReadingLevel",
    "check",
    "check_content",
    "count_syllables",
    "format_ease",
    "format_level",
    "format_problem",
    "reading_ease",
    "reading_level",
    "reading_level_of",
    "safe_messaging",
    "sentences_of",
    "spanish_syllables",
    "summary",
    "text_blocks",
]
