"""The config file: every key optional, a bad key falls back and is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import SETTINGS, Config, example_toml, load_config, parse_config
from kiosk.paths import resource_dir

HERE = Path("kiosk.toml")


def test_missing_file_is_all_defaults(tmp_path: Path) -> None:
    """No config file at all: the kiosk runs on defaults and reports nothing."""
    config, problems = load_config(tmp_path / "kiosk.toml")
    assert config == Config()
    assert problems == []


def test_good_values_are_used() -> None:
    """Every section's keys reach the Config."""
    text = """
[clinic]
name = "Riverside Clinic"
phone = "(555) 010-0199"
region = "MX"
[colours]
primary = "#204060"
[idle]
seconds = 120
countdown_seconds = 20
[text]
scale = 1.15
[form]
keyboard = "system"
thank_you_seconds = 15
"""
    config, problems = parse_config(text, HERE)
    assert problems == []
    assert config.clinic_name == "Riverside Clinic"
    assert config.clinic_phone == "(555) 010-0199"
    assert config.colours.primary == "#204060"
    assert config.colours.accent == Config().colours.accent
    assert (config.idle_seconds, config.countdown_seconds) == (120, 20)
    assert config.text_scale == pytest.approx(1.15)
    assert (config.region, config.keyboard, config.thank_you_seconds) == ("MX", "system", 15)


@pytest.mark.parametrize(
    ("text", "key", "line", "reason", "attr"),
    [
        ("[clinic]\nname = 3\n", "clinic.name", 2, "must be text in quotes", "clinic_name"),
        ('[clinic]\n\nname = ""\n', "clinic.name", 3, "must not be empty", "clinic_name"),
        ("[idle]\nseconds = 2\n", "idle.seconds", 2, "between 10 and 600", "idle_seconds"),
        # an hour: a form left half-filled would stay on screen that long
        ("[idle]\nseconds = 3600\n", "idle.seconds", 2, "between 10 and 600", "idle_seconds"),
        # shown backwards, or on two lines
        (
            '[clinic]\nname = "Riverside \\u202eCinilC"\n',
            "clinic.name",
            2,
            "one line",
            "clinic_name",
        ),
        ('[clinic]\nphone = "555\\u2028 0199"\n', "clinic.phone", 2, "one line", "clinic_phone"),
        # saved into the home screen's contact card, a number no phone can dial
        (
            '[clinic]\nphone = "call us!"\n',
            "clinic.phone",
            2,
            "phone number with its digits",
            "clinic_phone",
        ),
        ('[idle]\nseconds = "90"\n', "idle.seconds", 2, "whole number", "idle_seconds"),
        ("[idle]\nseconds = true\n", "idle.seconds", 2, "whole number", "idle_seconds"),
        (
            "[idle]\ncountdown_seconds = 15\n",  # WCAG 2.2.1: 20 s to say "I'm still here"
            "idle.countdown_seconds",
            2,
            "between 20 and 120",
            "countdown_seconds",
        ),
        ("[text]\nscale = 0.9\n", "text.scale", 2, "between 1 and 1.2", "text_scale"),
        ('[colours]\nprimary = "teal"\n', "colours.primary", 2, "must be a colour", "colours"),
        ('[clinic]\nregion = "USA"\n', "clinic.region", 2, "two-letter country code", "region"),
        ('[form]\nkeyboard = "os"\n', "form.keyboard", 2, '"built-in" or "system"', "keyboard"),
        (
            "[form]\nthank_you_seconds = 1\n",
            "form.thank_you_seconds",
            2,
            "between 12",
            "thank_you_seconds",
        ),
    ],
)
def test_bad_key_falls_back_to_its_default(
    text: str, key: str, line: int, reason: str, attr: str
) -> None:
    """A bad value keeps the default and names the key, the line and the reason."""
    config, problems = parse_config(text, HERE)
    assert getattr(config, attr) == getattr(Config(), attr)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.key, problem.line) == (key, line)
    assert reason in problem.message
    assert "using the default" in problem.message
    assert str(problem).startswith(f"kiosk.toml:{line}: [{key}]")


def test_one_bad_key_does_not_spoil_the_others() -> None:
    """Good keys around a bad one are still used."""
    config, problems = parse_config('[clinic]\nname = "A"\nphone = 5\nwebsite = "a.org"\n', HERE)
    assert (config.clinic_name, config.clinic_website) == ("A", "a.org")
    assert [p.key for p in problems] == ["clinic.phone"]


def test_unknown_key_suggests_the_known_one() -> None:
    """A typo in a key name is reported with a suggestion, not silently ignored."""
    _config, problems = parse_config('[clinic]\nnmae = "A"\n[idel]\nseconds = 60\n', HERE)
    messages = [str(p) for p in problems]
    assert messages == [
        'kiosk.toml:2: [clinic.nmae] unknown key, ignored; did you mean "name"?',
        'kiosk.toml:3: [idel] unknown section, ignored; did you mean "[idle]"?',
    ]


def test_a_broken_line_costs_only_that_line() -> None:
    """A missing quote: that line is ignored with its number; the other keys still count."""
    text = '[clinic]\nname = "Riverside"\nphone = "unclosed\n[idle]\nseconds = 120\n'
    config, problems = parse_config(text, HERE)
    assert (config.clinic_name, config.idle_seconds) == ("Riverside", 120)
    assert config.clinic_phone == Config().clinic_phone
    assert [(p.line, "this line is ignored" in p.message) for p in problems] == [(3, True)]
    assert "not valid TOML" in problems[0].message


def test_a_key_given_twice_keeps_the_first() -> None:
    """Uncommenting a key that is already set: the second one is reported and ignored."""
    text = '[clinic]\nname = "First"\nwelcome = "Hello."\nname = "Second"\n'
    config, problems = parse_config(text, HERE)
    assert (config.clinic_name, config.welcome) == ("First", "Hello.")
    assert [p.line for p in problems] == [4]


def test_hopeless_toml_is_all_defaults() -> None:
    """Something that is not TOML at all: defaults, and one clear problem at a time."""
    text = "\n".join(f"this is not toml {n}" for n in range(30))
    config, problems = parse_config(text, HERE)
    assert config == Config()
    assert "using all defaults" in problems[-1].message


def test_not_utf8_is_all_defaults_with_its_line(tmp_path: Path) -> None:
    """A file saved in a legacy encoding is reported with the line of the bad byte."""
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b'[clinic]\nname = "Caf\xe9"\n')
    config, problems = load_config(path)
    assert config == Config()
    assert problems[0].line == 2
    assert "UTF-8" in problems[0].message


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    """A folder where the file should be: defaults, and a reason."""
    path = tmp_path / "kiosk.toml"
    path.mkdir()
    config, problems = load_config(path)
    assert config == Config()
    assert "cannot be read" in problems[0].message


def test_example_config_documents_every_key() -> None:
    """The shipped example names every key and, uncommented, gives the defaults."""
    text = example_toml()
    for setting in SETTINGS:
        assert f"# {setting.key} = " in text
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and "=" in line else line for line in text.splitlines()
    )
    config, problems = parse_config(uncommented, HERE)
    assert problems == []
    assert config == Config()


def test_shipped_example_is_up_to_date() -> None:
    """resources/kiosk.example.toml is what example_toml() writes today."""
    assert (resource_dir() / "kiosk.example.toml").read_text(encoding="utf-8") == example_toml()


@pytest.mark.parametrize("odd", ["\u2028", "\x85"])
def test_line_separator_characters_inside_a_string_are_said_on_their_line(odd: str) -> None:
    """U+2028 and NEL are allowed in TOML strings, and a name with one would
    show on two lines: said on its own line (they must not throw the line
    count out), and the default used."""
    config, problems = parse_config(f'\n[clinic]\nname = "River{odd}side"\n', HERE)
    (problem,) = problems
    assert (problem.line, problem.key) == (3, "clinic.name")
    assert "one line" in problem.message
    assert config.clinic_name == Config().clinic_name


def test_an_unclosed_multi_line_string_is_said_once() -> None:
    """When skipping a line cannot help, one problem names the first error, not a trail."""
    text = '[clinic]\nname = "A"\nwelcome = """never closed\n[text]\nscale = 1.1\n'
    config, problems = parse_config(text, HERE)
    assert config == Config()
    (problem,) = problems
    assert "using all defaults" in problem.message
    assert "Unterminated string" in problem.message


def test_the_default_colours_pass_wcag_aa_for_every_text_pair() -> None:
    from kiosk.config import TEXT_PAIRS, Colours, contrast_ratio

    colours = Colours()
    for fore, back, where in TEXT_PAIRS:
        fore_value = "#ffffff" if fore == "white" else getattr(colours, fore)
        assert contrast_ratio(fore_value, getattr(colours, back)) >= 4.5, where


def test_contrast_ratio_matches_wcag_examples() -> None:
    from kiosk.config import contrast_ratio

    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_a_colour_pair_below_aa_falls_back_to_the_default_and_is_reported() -> None:
    text = '[colours]\nbackground = "#f6f3ee"\ntext = "#aaaaaa"\naccent = "#2a7ab0"\n'
    config, problems = parse_config(text, HERE)
    assert config.colours.text == Config().colours.text
    assert config.colours.accent == "#2a7ab0"  # a good choice is kept
    assert [str(p) for p in problems] == [
        "kiosk.toml:3: [colours.text] #aaaaaa on #f6f3ee (body text) has a contrast of "
        "2.1:1, below the 4.5:1 that WCAG AA asks for; using the default '#1b1f22'"
    ]


def test_a_contrast_just_short_of_aa_is_not_rounded_up_to_it() -> None:
    """#777777 on white is 4.48:1: the message said "a contrast of 4.5:1, below
    the 4.5:1 that WCAG AA asks for"."""
    _config, problems = parse_config('[colours]\ntext = "#777777"\nbackground = "#ffffff"\n', HERE)
    messages = [p.message for p in problems if p.key == "colours.text"]
    assert len(messages) == 1
    assert "has a contrast of 4.47:1, below the 4.5:1" in messages[0]


def test_a_pale_primary_is_caught_where_white_labels_sit_on_it() -> None:
    config, problems = parse_config('[colours]\nprimary = "#9fd3c7"\n', HERE)
    assert config.colours.primary == Config().colours.primary
    assert len(problems) == 1 and problems[0].key == "colours.primary"
    assert "4.5:1" in problems[0].message


def test_branding_keys() -> None:
    text = (
        '[clinic]\nhours = "Mon-Fri 8am-5pm"\nlogo = "logo.png"\n'
        '[crisis]\ntext = """Call 988.\n\nOr tell the front desk."""\n'
    )
    config, problems = parse_config(text, HERE)
    assert problems == []
    assert (config.clinic_hours, config.logo) == ("Mon-Fri 8am-5pm", "logo.png")
    assert config.crisis_text == "Call 988.\n\nOr tell the front desk."
    _config, problems = parse_config('[clinic]\nlogo = "logo.gif"\n', HERE)
    assert "must name a .png, .jpg or .svg picture" in problems[0].message


def test_crisis_front_desk_is_one_line_of_the_clinics_own() -> None:
    """[crisis] front_desk: the clinic's line on the crisis card; an empty,
    multi-line or overlong one is reported, and the default line shown."""
    config, problems = parse_config('[crisis]\nfront_desk = "Ask for Dana at the desk."\n', HERE)
    assert problems == [] and config.crisis_front_desk == "Ask for Dana at the desk."
    for value, reason in (
        ('""', "must not be empty"),
        ('"""one\ntwo"""', "one line"),
        (f'"{"x" * 161}"', "at most 160 characters"),
    ):
        config, problems = parse_config(f"[crisis]\nfront_desk = {value}\n", HERE)
        assert config.crisis_front_desk == "Please tell the front desk."
        assert len(problems) == 1 and problems[0].key == "crisis.front_desk"
        assert reason in problems[0].message


def test_show_names_is_true_or_false() -> None:
    """[staff] show_names takes TOML's true/false; anything else is refused, the default kept."""
    config, problems = parse_config("[staff]\nshow_names = false\n", HERE)
    assert problems == [] and config.staff_show_names is False
    config, problems = parse_config('[staff]\nshow_names = "no"\n', HERE)
    assert config.staff_show_names is True
    assert "true or false" in problems[0].message
    config, problems = parse_config("[staff]\nshow_names = 0\n", HERE)
    assert config.staff_show_names is True and problems


def test_the_countdown_leaves_at_least_20_seconds_to_say_still_here() -> None:
    """WCAG 2.2.1 (Extend): warned before the reset, a patient has at least
    20 seconds to tap "I'm still here"; a shorter countdown is refused."""
    assert Config().countdown_seconds >= 20
    config, problems = parse_config("[idle]\ncountdown_seconds = 19\n", HERE)
    assert config.countdown_seconds == Config().countdown_seconds
    assert [p.key for p in problems] == ["idle.countdown_seconds"]
    config, problems = parse_config("[idle]\ncountdown_seconds = 20\n", HERE)
    assert (config.countdown_seconds, problems) == (20, [])


@pytest.mark.parametrize(
    "phone",
    ["(555) 010-0199", "1-800-FLOWERS", "(555) 123-4567 ext. 21", "+44 20 7946 0958", "911"],
)
def test_a_phone_number_as_clinics_write_it_is_taken(phone: str) -> None:
    """The digits check refuses only what has none to dial (see "call us!" above)."""
    config, problems = parse_config(f'[clinic]\nphone = "{phone}"\n', HERE)
    assert problems == []
    assert config.clinic_phone == phone


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[clinic]\nphone = 5551234567\n", "got the number 5551234567: write it in double quotes"),
        # The "+" is TOML's sign: the advice does not echo the number without it.
        ("[clinic]\nphone = +15551234567\n", "got the number 15551234567: write it in double"),
        ('[idle]\nseconds = "90"\n', 'got the text "90": write it without the quotes'),
        ('[idle]\nseconds = "1.5"\n', 'got the text "1.5"'),
        ('[idle]\nseconds = "nan"\n', 'got the text "nan"'),
        ("[clinic]\nname = 2027-06-30\n", "got the date or time 2027-06-30"),
        ("[idle]\nseconds = 12.5\n", "got the number 12.5"),
        ("[idle]\nseconds = true\n", "got true"),
        ('[clinic]\nname = ["A", "B"]\n', "got a list in [ ]"),
    ],
)
def test_a_value_of_the_wrong_kind_is_said_in_the_files_words(text: str, said: str) -> None:
    """Not Python's type names ("got int 5551234567", "got str '90'")."""
    _config, problems = parse_config(text, HERE)
    (problem,) = problems
    assert problem.message.startswith("must be ")
    assert said in problem.message
    assert " int " not in problem.message and " str " not in problem.message
    if '"' in text.split("=")[1] and "quotes" not in said:
        assert "without the quotes" not in problem.message  # "1.5", "nan": not whole numbers
