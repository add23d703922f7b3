"""The app-wide style sheet: the files in ``resources/theme/`` (``STYLE_FILES``)
with the clinic's colours and the text-size factor filled in."""

from __future__ import annotations

from string import Template

from kiosk.config import Config
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


def theme_values(config: Config) -> dict[str, str]:
    c = config.colours
    scale = config.text_scale
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
        "border": _mix(c.background, c.text, 0.18),
        "muted": _mix(c.background, c.text, 0.35),
        "disabled_bg": _mix(c.background, c.text, 0.12),
        "disabled_text": _mix(c.background, c.text, 0.55),
        "body_pt": f"{BODY_PT * scale:.1f}",
        "button_pt": f"{BODY_PT * scale:.1f}",
        "small_pt": f"{SMALL_PT * scale:.1f}",
        "title_pt": f"{TITLE_PT * scale:.1f}",
        "heading_pt": f"{HEADING_PT * scale:.1f}",
        # A file path for url(): forward slashes work on every platform.
        "check_mark": (theme_dir() / "check.svg").as_posix(),
    }


STYLE_FILES = ("kiosk.qss", "form.qss", "keyboard.qss", "staff.qss")


def style_sheet(config: Config) -> str:
    """All of the theme's style files, in order, with the config's values filled in."""
    values = theme_values(config)
    parts = []
    for name in STYLE_FILES:
        path = theme_dir() / name
        if path.exists():
            parts.append(Template(path.read_text(encoding="utf-8")).substitute(values))
    return "\n".join(parts)


def document_css(config: Config) -> str:
    """Default CSS for page bodies in Qt's rich-text engine (a CSS 2.1 subset)."""
    c = config.colours
    return (
        f"p, li {{ line-height: 140%; color: {c.text}; }}"
        "p { margin-top: 0px; margin-bottom: 18px; }"
        "li { margin-bottom: 8px; }"
        f"h1, h2, h3, h4 {{ color: {c.primary}; margin-top: 12px; margin-bottom: 12px; }}"
        f"a {{ color: {c.primary}; text-decoration: underline; font-weight: 600; }}"
        "img { margin: 12px; }"
    )
