"""The clinic's settings, read from ``kiosk.toml``.

Every key is optional. A file that cannot be read, or a key with a bad value,
never stops the kiosk: what could not be read keeps its default, and each
problem is reported with the exact key, line and reason (``ConfigProblem``).
The table ``SETTINGS`` below is the one list of keys, their types, defaults and
documentation; ``resources/kiosk.example.toml`` shows them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kiosk.support.hints import did_you_mean, toml_problem
from kiosk.support.nesting import deepest_line, parser_failure

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_BROKEN_LINES = 10


@dataclass(frozen=True)
class Colours:
    primary: str = "#1d5c63"
    accent: str = "#b4442c"
    background: str = "#f6f3ee"
    surface: str = "#ffffff"
    text: str = "#1b1f22"


@dataclass(frozen=True)
class Config:
    """Everything the clinic can change without a programmer."""

    clinic_name: str = "Our Clinic"
    clinic_phone: str = ""
    clinic_website: str = ""
    clinic_hours: str = ""
    logo: str = ""  # a picture file; relative paths are from the config file's folder
    crisis_text: str = ""  # "" means the built-in text (988, Spanish, Crisis Text Line)
    crisis_front_desk: str = "Please tell the front desk."  # the default: in the patient's language
    welcome: str = "Welcome. Tap a topic to read more."
    colours: Colours = field(default_factory=Colours)
    idle_seconds: int = 90
    countdown_seconds: int = 20  # WCAG 2.2.1: at least 20 s to say "I'm still here"
    text_scale: float = 1.0
    region: str = "US"
    keyboard: str = "built-in"
    thank_you_seconds: int = 12
    reply_time: str = "within one working day"  # the default: in the patient's language
    staff_gesture: str = "hold-name"
    staff_hold_seconds: int = 3
    staff_lock_seconds: int = 120
    staff_show_names: bool = True
    export_folder: str = ""  # "" means the "exports" folder in the data folder
    retention_days: int = 90
    min_pin_length: int = 6  # digits in a new staff PIN (kiosk.staff.accounts.PIN_MIN..PIN_MAX)
    audio_mode: str = "headphones"  # what starts audio mode (kiosk/ui/patient/audio.py)


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with the config file, said so a person can fix it."""

    path: Path
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {self.message}"


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    attr: str  # attribute on Config, or "colours.<name>"
    kind: type
    doc: str
    check: Callable[[Any], str | None] = lambda _value: None


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not low <= value <= high:
            return f"must be between {low:g} and {high:g}, got {value!r}"
        return None

    return check


def _text(max_len: int, *, required: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if required and not value.strip():
            return "must not be empty"
        if len(value) > max_len:
            return f"must be at most {max_len} characters, got {len(value)}"
        if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in _NOT_IN_ONE_LINE for ch in value):
            return "must be one line without control characters"
        return None

    return check


def _dialable(value: str) -> str | None:
    """A phone number has digits: "call us!" went into the home screen's
    contact card, and a patient saved a number no phone can dial. At least 3
    (a vanity number such as "1-800-FLOWERS" has letters, and an extension
    "ext. 21" is fine); the full check by country is the enquiry form's."""
    if value and sum(ch.isdigit() for ch in value) < 3:
        return f'must be a phone number with its digits, got "{value}"'
    return None


#: Besides control characters (C0, DEL and C1, NEL among them): the line and
#: paragraph separators (a second line in a one-line field) and the text-direction
#: overrides and isolates (U+202E shows the clinic's name, or a phone number, backwards).
_NOT_IN_ONE_LINE = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _paragraphs(max_len: int) -> Callable[[Any], str | None]:
    """Text that may run over several lines (a TOML multi-line string)."""

    def check(value: Any) -> str | None:
        if len(value) > max_len:
            return f"must be at most {max_len} characters, got {len(value)}"
        if any(ord(ch) < 32 and ch != "\n" for ch in value):
            return "must be plain text without control characters"
        return None

    return check


def _picture_name(value: Any) -> str | None:
    if value and not value.lower().endswith((".png", ".jpg", ".jpeg", ".svg")):
        return f"must name a .png, .jpg or .svg picture, got {value!r}"
    return None


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value not in choices:
            options = " or ".join(f'"{c}"' for c in choices)
            return f"must be {options}, got {value!r}"
        return None

    return check


def _region(value: Any) -> str | None:
    import phonenumbers  # only when a config names a region

    if value not in phonenumbers.SUPPORTED_REGIONS:
        return f'must be a two-letter country code like "US" or "MX", got {value!r}'
    return None


def _colour(value: Any) -> str | None:
    if not HEX_COLOUR.match(value):
        return f'must be a colour like "#1d5c63", got {value!r}'
    return None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "clinic",
        "name",
        "clinic_name",
        str,
        "Shown at the top of every screen.",
        _text(60, required=True),
    ),
    Setting(
        "clinic",
        "phone",
        "clinic_phone",
        str,
        "The clinic's phone number, as shown.",
        lambda value: _text(40)(value) or _dialable(value),
    ),
    Setting(
        "clinic",
        "website",
        "clinic_website",
        str,
        "Shown as text and as a QR code to scan; never opened on the kiosk.",
        _text(100),
    ),
    Setting(
        "clinic",
        "hours",
        "clinic_hours",
        str,
        'Opening hours, one line, shown on the home screen ("Mon-Fri 8am-5pm").',
        _text(120),
    ),
    Setting(
        "clinic",
        "logo",
        "logo",
        str,
        "A logo (.png, .jpg or .svg) shown beside the clinic's name; a path relative "
        "to this file's folder, or absolute.",
        _picture_name,
    ),
    Setting(
        "clinic",
        "welcome",
        "welcome",
        str,
        "The one-line welcome on the home screen.",
        _text(120, required=True),
    ),
    Setting(
        "clinic",
        "region",
        "region",
        str,
        "Country of the clinic's phone numbers (two letters): numbers typed without "
        "a country code are read as from here.",
        _region,
    ),
    Setting("colours", "primary", "colours.primary", str, "Buttons and the top bar.", _colour),
    Setting("colours", "accent", "colours.accent", str, "Crisis help and highlights.", _colour),
    Setting("colours", "background", "colours.background", str, "Screen background.", _colour),
    Setting("colours", "surface", "colours.surface", str, "Tiles and cards.", _colour),
    Setting("colours", "text", "colours.text", str, "Body text.", _colour),
    Setting(
        "idle",
        "seconds",
        "idle_seconds",
        int,
        "Seconds without a touch before 'Are you still there?' (at most 10 minutes: a "
        "form left half-filled stays on screen that long).",
        _between(10, 600),
    ),
    Setting(
        "idle",
        "countdown_seconds",
        "countdown_seconds",
        int,
        "Seconds the countdown shows before the kiosk resets (at least 20: time to "
        'tap "I\'m still here", WCAG 2.2.1).',
        _between(20, 120),
    ),
    Setting(
        "audio",
        "mode",
        "audio_mode",
        str,
        "What starts audio mode (the kiosk spoken aloud, driven by keys, ten times the idle "
        'time): "headphones" (plugging them in), "always" (a kiosk with speakers in a '
        'private room) or "off". Read at start.',
        _one_of("headphones", "always", "off"),
    ),
    Setting(
        "text",
        "scale",
        "text_scale",
        float,
        "Text size factor: 1.0 is 20 pt body text, 1.2 is 24 pt (the most every "
        "screen is tested at).",
        _between(1.0, 1.2),
    ),
    Setting(
        "crisis",
        "text",
        "crisis_text",
        str,
        'The "Need help now?" card\'s words above its QR codes, in plain text; a blank '
        "line starts a new paragraph. Empty: the built-in text (988 Suicide & Crisis "
        "Lifeline, in Spanish too, Crisis Text Line).",
        _paragraphs(800),
    ),
    Setting(
        "crisis",
        "front_desk",
        "crisis_front_desk",
        str,
        'The clinic\'s own line on the "Need help now?" card, under the 988 QR codes '
        'and the 911 line, one line ("Please tell the front desk, or call the nurse on '
        'extension 21.").',
        _text(160, required=True),
    ),
    Setting(
        "form",
        "keyboard",
        "keyboard",
        str,
        'The request form\'s on-screen keyboard: "built-in", or "system" for a tablet '
        "that brings its own.",
        _one_of("built-in", "system"),
    ),
    Setting(
        "form",
        "thank_you_seconds",
        "thank_you_seconds",
        int,
        "Seconds the thank-you shows after a request is saved, before the kiosk goes home "
        "(at least 12: long enough to read; Done goes sooner).",
        _between(12, 120),
    ),
    Setting(
        "form",
        "reply_time",
        "reply_time",
        str,
        'When a patient can expect to hear from the clinic, as the thank-you ends "You can '
        'expect to hear from us ...": "within one working day", "by the end of the week".',
        _text(80, required=True),
    ),
    Setting(
        "staff",
        "gesture",
        "staff_gesture",
        str,
        'How staff open the PIN pad: "hold-name" (hold the clinic\'s name) or '
        '"corner-taps" (five taps in the top-left corner within three seconds).',
        _one_of("hold-name", "corner-taps"),
    ),
    Setting(
        "staff",
        "hold_seconds",
        "staff_hold_seconds",
        int,
        "Seconds to hold the clinic's name before the PIN pad opens.",
        _between(2, 10),
    ),
    Setting(
        "staff",
        "lock_seconds",
        "staff_lock_seconds",
        int,
        "Seconds without a touch before the staff panel locks itself.",
        _between(30, 900),
    ),
    Setting(
        "staff",
        "show_names",
        "staff_show_names",
        bool,
        "Whether the PIN pad lists the staff's names to tap; false: staff type their "
        "name (on the on-screen keyboard) before their PIN.",
        lambda _value: None,
    ),
    Setting(
        "staff",
        "export_folder",
        "export_folder",
        str,
        'Where exports are written when no USB drive is chosen; "" is the "exports" '
        "folder in the kiosk's data folder. Relative paths are from this file's folder.",
        _text(300),
    ),
    Setting(
        "staff",
        "retention_days",
        "retention_days",
        int,
        "Exported enquiries older than this many days can be deleted from the staff "
        "panel or with `kiosk purge`.",
        _between(1, 3650),
    ),
    Setting(
        "staff",
        "min_pin_length",
        "min_pin_length",
        int,
        "Digits a new staff PIN must have at least (6 to 12). Each digit makes guessing "
        "from a copy of the disk ten times longer; PINs set before keep working.",
        _between(6, 12),
    ),
)

_BY_SECTION: dict[str, dict[str, Setting]] = {}
for _setting in SETTINGS:
    _BY_SECTION.setdefault(_setting.section, {})[_setting.key] = _setting


def default_for(setting: Setting) -> Any:
    return _get(Config(), setting.attr)


def _get(config: Config, attr: str) -> Any:
    obj: Any = config
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _set(config: Config, attr: str, value: Any) -> Config:
    if attr.startswith("colours."):
        return replace(config, colours=replace(config.colours, **{attr.split(".", 1)[1]: value}))
    return replace(config, **{attr: value})


def line_of(text: str, section: str, key: str | None = None) -> int | None:
    """The 1-based line of ``[section]`` (or of ``key`` inside it) in a config
    file's ``text``: where a problem found later (a logo not there) is said."""
    current = ""
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    for number, line in enumerate(text.split("\n"), start=1):
        match = header.match(line)
        if match:
            current = match.group(1).strip().strip('"')
            if key is None and current == section:
                return number
            continue
        if (
            key is not None
            and current == section
            and re.match(rf'^\s*"?{re.escape(key)}"?\s*=', line)
        ):
            return number
        # Dotted keys at top level: clinic.name = "..."
        if (
            key is not None
            and current == ""
            and re.match(rf"^\s*{re.escape(section)}\s*\.\s*{re.escape(key)}\s*=", line)
        ):
            return number
    return None


def _kind_name(kind: type) -> str:
    return {
        str: "text in quotes",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
    }[kind]


def _coerce(value: Any, kind: type) -> Any:
    """The value as ``kind``, or raise TypeError. Whole numbers are fine for floats."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is bool and isinstance(value, bool):
        return value
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(f"must be {_kind_name(kind)}, got {_got(value, kind)}")
    return value


def _got(value: Any, kind: type) -> str:
    """What the file gave, in the words of someone editing it (not Python's
    "int 5551234567"), with the way to write it where that is plain."""
    import datetime  # only for a value of the wrong kind: words for it

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        # (not echoed in quotes: "+15551234567" reaches here as 15551234567)
        shown = f"the number {value}"
        return f"{shown}: write it in double quotes" if kind is str else shown
    if isinstance(value, str):
        shown = f'the text "{value}"'
        plain = value.strip().lstrip("+-")
        if (kind is int and plain.isdigit()) or (kind is float and _is_decimal(plain)):
            return f"{shown}: write it without the quotes"
        return shown
    if isinstance(value, datetime.date | datetime.time):
        return f"the date or time {value}"
    if isinstance(value, list):
        return "a list in [ ]"
    if isinstance(value, dict):
        return "a section of settings"
    return "a value of another kind"


def _is_decimal(text: str) -> bool:
    """ "1.5" or "2", not "nan" or "inf" (which float() takes too)."""
    whole, _dot, fraction = text.partition(".")
    return (whole + fraction).isdigit()


def _load_toml_skipping_broken_lines(
    text: str,
) -> tuple[dict[str, Any] | None, list[tuple[int, str]], tuple[int | None, str]]:
    """Parse TOML; a slip on one line (a missing quote, a key given twice) costs
    that line, not the clinic's name and colours: the line is set aside and the
    rest read again. Returns (data or None, the lines set aside with why, the
    first error). None when setting lines aside does not help (an unclosed
    multi-line string or array): then only the first error is worth telling.
    """
    import tomllib  # only when there is a config file to read

    lines = text.split("\n")
    skipped: list[tuple[int, str]] = []
    first_error: tuple[int | None, str] = (None, "")
    for _attempt in range(MAX_BROKEN_LINES + 1):
        try:
            return tomllib.loads("\n".join(lines) + "\n"), skipped, first_error
        except Exception as exc:
            # Not only TOMLDecodeError: tomllib recurses on nested arrays and
            # tables, so 3,000 "[" raise RecursionError. Whatever the parser
            # raises costs the line it happened on (for a RecursionError, the
            # line nested deepest), set aside like any other broken line.
            if isinstance(exc, tomllib.TOMLDecodeError):
                match = re.search(r"line (\d+)", str(exc))
                line, why = (int(match.group(1)) if match else None), str(exc)
            else:
                line, why = deepest_line("\n".join(lines)), parser_failure(exc)
            if not skipped:
                first_error = (line, why)
            if line is None or not 1 <= line <= len(lines) or lines[line - 1].startswith("#!"):
                break
            skipped.append((line, why))
            lines[line - 1] = "#!" + lines[line - 1]
    return None, skipped, first_error


def parse_config(text: str, path: Path) -> tuple[Config, list[ConfigProblem]]:
    """Read config text; return the config and every problem found in it."""
    problems: list[ConfigProblem] = []
    data, skipped, first_error = _load_toml_skipping_broken_lines(text)
    if data is None:
        first_line, why = first_error
        problems.append(
            ConfigProblem(path, first_line, "", f"{toml_problem(why)}; using all defaults")
        )
        return Config(), problems
    problems.extend(
        ConfigProblem(path, at, "", f"{toml_problem(error)}; this line is ignored")
        for at, error in skipped
    )

    config = Config()
    for section, values in data.items():
        known = _BY_SECTION.get(section)
        if known is None:
            extra = did_you_mean(section, _BY_SECTION, "[{}]")
            problems.append(
                ConfigProblem(
                    path, line_of(text, section), section, f"unknown section, ignored{extra}"
                )
            )
            continue
        if not isinstance(values, dict):
            problems.append(
                ConfigProblem(
                    path, None, section, "must be a section like [" + section + "]; ignored"
                )
            )
            continue
        for key, raw in values.items():
            setting = known.get(key)
            line = line_of(text, section, key)
            name = f"{section}.{key}"
            if setting is None:
                extra = did_you_mean(key, known)
                problems.append(ConfigProblem(path, line, name, f"unknown key, ignored{extra}"))
                continue
            try:
                value = _coerce(raw, setting.kind)
                reason = setting.check(value)
            except TypeError as exc:
                reason = str(exc)
            if reason is not None:
                problems.append(
                    ConfigProblem(
                        path, line, name, f"{reason}; using the default {default_for(setting)!r}"
                    )
                )
                continue
            config = _set(config, setting.attr, value)
    config, contrast = _check_contrast(config, text, path)
    return config, problems + contrast


# -- contrast -------------------------------------------------------------------
AA_TEXT = 4.5  # WCAG 2.x AA for body text
WHITE = "#ffffff"
#: Colour pairs the theme draws text in: (text colour, what it sits on, where).
#: "white" is the theme's fixed text colour on buttons and the top bar.
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("text", "background", "body text"),
    ("text", "surface", "text on tiles and cards"),
    ("primary", "surface", "titles on tiles and quiet buttons"),
    ("primary", "background", "page titles"),
    ("accent", "surface", "the crisis card's title"),
    ("white", "primary", "button labels and the clinic's name"),
    ("white", "accent", 'the "Need help now?" button'),
)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _ratio_text(ratio: float) -> str:
    """A contrast under AA as the message shows it: to one decimal, or to two
    (rounded down) where one would round it up to the 4.5 it falls short of."""
    shown = f"{ratio:.1f}"
    if float(shown) < AA_TEXT:
        return shown
    return f"{int(ratio * 100) / 100:.2f}"


def contrast_ratio(one: str, other: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours, 1.0 to 21.0."""
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _check_contrast(config: Config, text: str, path: Path) -> tuple[Config, list[ConfigProblem]]:
    """Each text colour pair at least 4.5:1; a failing pair's configured
    colours go back to their defaults (and the pairs are checked again)."""
    problems: list[ConfigProblem] = []
    defaults = Colours()
    for _round in range(len(TEXT_PAIRS)):
        colours = config.colours
        failing = None
        for fore, back, where in TEXT_PAIRS:
            fore_value = WHITE if fore == "white" else getattr(colours, fore)
            ratio = contrast_ratio(fore_value, getattr(colours, back))
            if ratio < AA_TEXT:
                failing = (fore, back, where, fore_value, ratio)
                break
        if failing is None:
            break
        fore, back, where, fore_value, ratio = failing
        changed = [
            name
            for name in (fore, back)
            if name != "white" and getattr(colours, name) != getattr(defaults, name)
        ]
        if not changed:  # only defaults left: nothing of the clinic's to undo
            break
        for name in changed:
            problems.append(
                ConfigProblem(
                    path,
                    line_of(text, "colours", name),
                    f"colours.{name}",
                    f"{fore_value} on {getattr(colours, back)} ({where}) has a contrast of "
                    f"{_ratio_text(ratio)}:1, below the {AA_TEXT}:1 that WCAG AA asks for; "
                    f"using the default {getattr(defaults, name)!r}",
                )
            )
            config = _set(config, f"colours.{name}", getattr(defaults, name))
    return config, problems


def unusable(problems: list[ConfigProblem]) -> list[ConfigProblem]:
    """The problems that keep a changed file out whole (not TOML, or not about one
    key): a bad value alone falls back to its default and the rest applies."""
    return [p for p in problems if "not valid TOML" in p.message or not p.key]


def load_config(path: Path) -> tuple[Config, list[ConfigProblem]]:
    """Read ``path``; a missing file is simply all defaults."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(), []
    except OSError as exc:
        return Config(), [
            ConfigProblem(path, None, "", f"cannot be read ({exc.strerror}); using all defaults")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Config(), [
            ConfigProblem(
                path, line, "", "is not UTF-8 text (save it as UTF-8); using all defaults"
            )
        ]
    return parse_config(text, path)


def example_toml() -> str:
    """A config file with every key commented out at its default: the documentation."""
    lines = ["# kiosk.toml: every key is optional; remove the # to change one.", ""]
    section = ""
    for setting in SETTINGS:
        if setting.section != section:
            section = setting.section
            lines += ["", f"[{section}]"] if lines[-1] else [f"[{section}]"]
        default = default_for(setting)
        if isinstance(default, bool):
            rendered = "true" if default else "false"  # TOML's spelling
        else:
            rendered = f'"{default}"' if isinstance(default, str) else repr(default)
        lines.append(f"# {setting.doc}")
        lines.append(f"# {setting.key} = {rendered}")
    return "\n".join(lines) + "\n"


__all__ = [
    "SETTINGS",
    "TEXT_PAIRS",
    "Colours",
    "Config",
    "ConfigProblem",
    "contrast_ratio",
    "example_toml",
    "load_config",
    "parse_config",
]
assert {f.name for f in fields(Colours)} == {
    s.attr.split(".", 1)[1] for s in SETTINGS if s.attr.startswith("colours.")
}
