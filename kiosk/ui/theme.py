"""The app-wide style sheet: the files in ``resources/theme/`` (``STYLE_FILES``)
with the clinic's colours and the text-size factor filled in.

Two things a patient can change from the "Aa" card also land here: the text
size (``TEXT_SIZES``: about 20, 26 and 32 pt body text) and the contrast. High
contrast is a theme of its own: fixed colours (``HIGH_CONTRAST``, every text
pair at least 7:1, WCAG AAA) in place of the clinic's, plus its own style
sheet (``high-contrast.qss``: thicker borders, a focus ring no one can miss).
"""

from __future__ import annotations

from string import Template

from kiosk.config import Config, contrast_ratio
from kiosk.paths import theme_dir

BODY_PT = 20.0  # ADA 707.7.2: about 20 pt on a kiosk, never under 18
SMALL_PT = 18.0
TITLE_PT = 24.0
HEADING_PT = 30.0


def _mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way towards ``other``."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(x + (y - x) * amount) for x, y in zip(a, b, strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mixed)


#: WCAG 1.4.11 Non-text Contrast: what shows where a control is (a text box's
#: edge) at least 3:1 against the colours beside it.
NON_TEXT = 3.0


def _outline(background: str, surface: str, text: str) -> str:
    """The lightest grey between the background and the text that stands 3:1
    from both the background and the surface: a text box's edge is all that
    shows where it is (the text colour itself, at least 4.5:1 from both, is
    the last resort)."""
    for step in range(50, 101, 5):
        colour = _mix(background, text, step / 100)
        if min(contrast_ratio(colour, background), contrast_ratio(colour, surface)) >= NON_TEXT:
            return colour
    return text


#: The patient's text sizes: the body text's factor over 20 pt. "default" is
#: the clinic's own ``[text] scale`` (1.0 to 1.2).
TEXT_SIZES: dict[str, float | None] = {"default": None, "large": 1.3, "largest": 1.6}
DEFAULT_SIZE = "default"
CONTRASTS = ("standard", "high")
DEFAULT_CONTRAST = "standard"

#: The high-contrast theme's colours: white and yellow on black. Every pair in
#: ``text_pairs`` is at least 7:1 (tests compute them all).
HIGH_CONTRAST = {
    "primary": "#ffff00",
    "primary_dark": "#c8c800",
    "accent": "#ff9d7a",
    "accent_dark": "#ffc4ad",
    "background": "#000000",
    "surface": "#000000",
    "text": "#ffffff",
    "on_primary": "#000000",
    "on_accent": "#000000",
    # "Need help now?" on the yellow bar: deep red with white words (the peach
    # accent, right for text on black, fades into yellow). 7.4:1, and 6.9:1
    # against the bar.
    "urgent": "#b00000",
    "on_urgent": "#ffffff",
    "border": "#ffffff",
    "muted": "#ffffff",
    "outline": "#ffffff",
    "disabled_bg": "#000000",
    "disabled_text": "#c8c8c8",
    "focus": "#00ffff",
    "highlight": "#ffff00",
    "on_highlight": "#000000",
}
AAA_TEXT = 7.0


def text_factor(config: Config, size: str = DEFAULT_SIZE) -> float:
    """The body text's factor over 20 pt for one of ``TEXT_SIZES``."""
    factor = TEXT_SIZES[size]
    return config.text_scale if factor is None else max(factor, config.text_scale)


def _grown(base: float, factor: float, share: float) -> str:
    """``base`` pt grown by ``share`` of the body text's growth: buttons and
    headings grow less than the reading text, so a bar of buttons still fits
    an 800 px wide screen at the largest size."""
    return f"{base * (1 + (factor - 1) * share):.1f}"


def colours(config: Config, contrast: str = DEFAULT_CONTRAST) -> dict[str, str]:
    """The theme's named colours: the clinic's, or the high-contrast theme's."""
    if contrast == "high":
        return dict(HIGH_CONTRAST)
    c = config.colours
    return {
        "primary": c.primary,
        "primary_dark": _mix(c.primary, "#000000", 0.25),
        "accent": c.accent,
        "accent_dark": _mix(c.accent, "#000000", 0.25),
        "background": c.background,
        "surface": c.surface,
        "text": c.text,
        "on_primary": "#ffffff",
        "on_accent": "#ffffff",
        "urgent": c.accent,  # the crisis button: the clinic's accent on its bar
        "on_urgent": "#ffffff",
        "border": _mix(c.background, c.text, 0.18),
        "muted": _mix(c.background, c.text, 0.35),
        "outline": _outline(c.background, c.surface, c.text),
        "disabled_bg": _mix(c.background, c.text, 0.12),
        "disabled_text": _mix(c.background, c.text, 0.55),
        "focus": c.text,  # the focus ring: the darkest colour there is
        "highlight": _mix(c.background, c.accent, 0.3),
        "on_highlight": c.text,
    }


#: Every pair of colours the theme draws text in: (text, background, where).
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("text", "background", "body text"),
    ("text", "surface", "text on tiles and cards"),
    ("primary", "surface", "titles on tiles, quiet buttons"),
    ("primary", "background", "page titles, links"),
    ("accent", "surface", "the crisis card's title"),
    ("accent_dark", "surface", "mistakes in the form"),
    ("on_primary", "primary", "button labels, the clinic's name, the consent tick, a pressed key"),
    ("on_primary", "primary_dark", "a button while pressed"),
    ("on_accent", "accent", '"Need help now?"'),
    ("on_urgent", "urgent", '"Need help now?" on the bar'),
    ("background", "text", "notices"),
    ("on_highlight", "highlight", "the word being read aloud"),
)

#: What shows where a control is, with no words to show it: (colour, beside, where).
#: Each pair at least ``NON_TEXT`` (3:1) in both themes.
NON_TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("outline", "surface", "a text box's edge, against its inside"),
    ("outline", "background", "a text box's edge, against the form"),
    ("outline", "background", "the scroll bar, where there is more to scroll"),
    ("primary", "surface", "the consent box's edge"),
    ("focus", "surface", "the focus ring on tiles and cards"),
)


def theme_values(
    config: Config, size: str = DEFAULT_SIZE, contrast: str = DEFAULT_CONTRAST
) -> dict[str, str]:
    factor = text_factor(config, size)
    return {
        **colours(config, contrast),
        "body_pt": f"{BODY_PT * factor:.1f}",
        "button_pt": _grown(BODY_PT, factor, 0.5),
        # Keys have a fixed size (60 px tall, ten to a row): their labels grow
        # as the buttons do, up to what still fits "Mayús" on a portrait screen.
        "key_pt": f"{min(float(_grown(BODY_PT, factor, 0.5)), 24.0):.1f}",
        # The top bar's buttons grow least: two of them share a portrait row.
        "bar_pt": _grown(BODY_PT, factor, 0.25),
        "small_pt": f"{SMALL_PT * factor:.1f}",
        "title_pt": _grown(TITLE_PT, factor, 0.6),
        "heading_pt": _grown(HEADING_PT, factor, 0.6),
        # A file path for url(): forward slashes work on every platform.
        # The tick is drawn in on_primary: white on the clinic's colour, black
        # on high contrast's yellow.
        "check_mark": (
            theme_dir() / ("check-dark.svg" if contrast == "high" else "check.svg")
        ).as_posix(),
    }


STYLE_FILES = ("kiosk.qss", "form.qss", "keyboard.qss", "staff.qss", "focus.qss")
HIGH_CONTRAST_FILE = "high-contrast.qss"


def style_sheet(config: Config, size: str = DEFAULT_SIZE, contrast: str = DEFAULT_CONTRAST) -> str:
    """All of the theme's style files, in order, with the values filled in; the
    high-contrast theme adds its own sheet last."""
    values = theme_values(config, size, contrast)
    names = STYLE_FILES + ((HIGH_CONTRAST_FILE,) if contrast == "high" else ())
    parts = []
    for name in names:
        path = theme_dir() / name
        if path.exists():
            parts.append(Template(path.read_text(encoding="utf-8")).substitute(values))
    return "\n".join(parts)


def document_css(config: Config, contrast: str = DEFAULT_CONTRAST) -> str:
    """Default CSS for page bodies in Qt's rich-text engine (a CSS 2.1 subset)."""
    c = colours(config, contrast)
    return (
        f"p, li {{ line-height: 140%; color: {c['text']}; }}"
        "p { margin-top: 0px; margin-bottom: 18px; }"
        "li { margin-bottom: 8px; }"
        f"h1, h2, h3, h4 {{ color: {c['primary']}; margin-top: 12px; margin-bottom: 12px; }}"
        f"a {{ color: {c['primary']}; text-decoration: underline; font-weight: 600; }}"
        "img { margin: 12px; }"
        # "In short" (kiosk.content.in_short): a one-cell table, the only box
        # Qt's rich text draws with a background and a border.
        f".in-short {{ background-color: {c['surface']}; border-width: 2px; "
        f"border-style: solid; border-color: {c['primary']}; "
        "border-collapse: collapse; margin-bottom: 24px; }"
        f".in-short td {{ background-color: {c['surface']}; }}"  # collapsed: the cell paints
        f".in-short-heading {{ color: {c['primary']}; font-weight: 700; margin-bottom: 8px; }}"
    )
