"""Reaching every patient: text size, high contrast, Spanish, the keyboard alone.

Driven as a patient (or a switch accessory) would: taps on controls found by
their labels, or key presses only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Colours, Config, contrast_ratio
from kiosk.content import Library, load_library
from kiosk.enquiries.store import EnquiryStore
from kiosk.ui import i18n, theme
from kiosk.ui.i18n import strings
from tests.conftest import MakeWindow, Timings
from tests.ui.helpers import application, find_button, tap

# The kiosk's words in Spanish, by name.
ES = i18n.table("es")

FAST: Timings = {"idle_ms": 150, "countdown_s": 1, "tick_ms": 40}


def _pixel(widget: QWidget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


# -- text size ------------------------------------------------------------------


def test_the_aa_card_sets_three_text_sizes(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """ "Aa" on the bar opens the card; Large and Largest make the page's text
    about 26 and 32 pt; the choice shows as chosen, and stays across pages."""
    window = make_window()
    page = shipped_library.topics[0].pages[1]
    window.show_page(page.key)
    assert window.page.body.font().pointSizeF() == pytest.approx(20, abs=0.1)
    default_title = window.page.title.font().pointSizeF()
    tap(qtbot, find_button(window, "Aa"))
    assert window.display.isVisible()
    for label, points in (("Large", 26), ("Largest", 32), ("Default", 20)):
        choice = find_button(window.display, label)
        tap(qtbot, choice)
        assert choice.isChecked()
        assert window.page.body.font().pointSizeF() == pytest.approx(points, abs=0.1)
        if points > 20:
            assert window.page.title.font().pointSizeF() > default_title  # headings grow too
    tap(qtbot, find_button(window.display, "Largest"))
    tap(qtbot, find_button(window.display, "Close"))
    assert not window.display.isVisible()
    window.show_next()
    assert window.page.body.font().pointSizeF() == pytest.approx(32, abs=0.1)
    assert window.home.welcome.font().pointSizeF() > theme.TITLE_PT


def test_larger_text_means_fewer_tile_columns(make_window: MakeWindow, qtbot: QtBot) -> None:
    """Tiles reflow: three columns at 1920 px become two, then one."""
    window = make_window((1920, 1080))
    QApplication.processEvents()

    def columns() -> int:
        lefts = {tile.x() for tile in window.home.tiles}
        return len(lefts)

    assert columns() == 3
    window.set_text_size("large")
    QApplication.processEvents()
    assert columns() == 2
    window.set_text_size("largest")
    QApplication.processEvents()
    assert columns() == 1


# -- high contrast --------------------------------------------------------------


@pytest.mark.parametrize("fore,back,where", theme.TEXT_PAIRS)
def test_high_contrast_is_aaa_for_every_text_pair(fore: str, back: str, where: str) -> None:
    colours = theme.colours(Config(), "high")
    ratio = contrast_ratio(colours[fore], colours[back])
    assert ratio >= theme.AAA_TEXT, (where, ratio)


@pytest.mark.parametrize("fore,back,where", theme.TEXT_PAIRS)
def test_standard_theme_is_aa_for_every_text_pair(fore: str, back: str, where: str) -> None:
    colours = theme.colours(Config(), "standard")
    assert contrast_ratio(colours[fore], colours[back]) >= 4.5, where


@pytest.mark.parametrize("contrast", theme.CONTRASTS)
@pytest.mark.parametrize("fore,back,where", theme.NON_TEXT_PAIRS)
def test_what_shows_where_a_control_is_stands_3_to_1(
    fore: str, back: str, where: str, contrast: str
) -> None:
    """WCAG 1.4.11: a text box is found by its edge alone (it was 2.1:1 on the
    form's background, a pale grey line)."""
    colours = theme.colours(Config(), contrast)
    assert contrast_ratio(colours[fore], colours[back]) >= theme.NON_TEXT, (where, contrast)


def test_a_clinics_own_colours_still_give_text_boxes_a_3_to_1_edge() -> None:
    from dataclasses import replace

    for own in (
        Colours(background="#ffffff", surface="#f0f0f0", text="#595959"),  # grey text, 7:1
        Colours(background="#e8eef2", surface="#ffffff", text="#333333"),
        Colours(background="#202020", surface="#2e2e2e", text="#f0f0f0"),  # dark
    ):
        colours = theme.colours(replace(Config(), colours=own), "standard")
        for back in ("background", "surface"):
            assert contrast_ratio(colours["outline"], colours[back]) >= theme.NON_TEXT, own
    sheet = theme.style_sheet(Config())
    outline = theme.colours(Config())["outline"]
    assert f"border: 2px solid {outline};" in sheet  # the text boxes' edge


def test_high_contrast_repaints_the_whole_app(make_window: MakeWindow, qtbot: QtBot) -> None:
    """From the card: black background, white text, its own style sheet; back again."""
    window = make_window()
    background = QColor(Config().colours.background)
    assert _pixel(window.home, 4, window.home.height() // 2) == background
    tap(qtbot, find_button(window, "Aa"))
    tap(qtbot, find_button(window.display, "High contrast"))
    assert window.contrast == "high"
    sheet = application().styleSheet()
    assert "every control outlined" in sheet  # high-contrast.qss is in
    assert _pixel(window.home, 4, window.home.height() // 2) == QColor("#000000")
    assert window.home.welcome.palette().color(window.home.welcome.foregroundRole()) == QColor(
        "#ffffff"
    )
    tap(qtbot, find_button(window.display, "Standard"))
    assert "every control outlined" not in application().styleSheet()
    assert _pixel(window.home, 4, window.home.height() // 2) == background


def test_page_text_follows_the_contrast(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """The page body's own CSS (links, headings) switches with the theme."""
    window = make_window()
    window.show_page(shipped_library.topics[0].pages[0].key)
    window.set_contrast("high")
    css = window.page.body.document().defaultStyleSheet()
    assert theme.HIGH_CONTRAST["primary"] in css and theme.HIGH_CONTRAST["text"] in css
    window.set_contrast("standard")
    assert Config().colours.primary in window.page.body.document().defaultStyleSheet()


# -- Spanish --------------------------------------------------------------------


def test_espanol_switches_every_word_and_the_pages(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    window = make_window()
    tap(qtbot, find_button(window, "Español"))
    QApplication.processEvents()  # the new tiles show on the next pass of the event loop
    assert window.language == "es"
    spanish = shipped_library.translated("es")
    assert find_button(window, str(ES["NEED_HELP"])).accessibleName() == ES["NEED_HELP"]
    assert find_button(window, str(ES["REQUEST_INFO"]))
    assert window.home.disclaimer.text() == ES["DISCLAIMER"]
    titles = [tile.label_text() for tile in window.home.tiles]
    titles += [link.text() for link in window.home.links]
    assert sorted(titles) == sorted(page.title for page in spanish.topics[0].pages)
    tap(qtbot, window.home.tiles[0])
    assert window.page.title.text() == spanish.topics[0].pages[0].title
    assert find_button(window, str(ES["NEXT"]))
    assert not window.page.note.isVisible()  # the shipped pages are all translated
    # The crisis card names 988's Spanish option.
    tap(qtbot, find_button(window, str(ES["NEED_HELP"])))
    words = window.crisis.body.text() + window.crisis.more.text()
    assert "988" in window.crisis.body.text() and "<b>2</b>" in words
    tap(qtbot, find_button(window.crisis, str(ES["CLOSE"])))
    # The form, built again in Spanish, keyboard included.
    tap(qtbot, find_button(window, str(ES["REQUEST_INFO"])))
    form = window.request
    assert ES["SEND"] in [b.text() for b in form.findChildren(type(form.send_button))]
    form.name_edit.setFocus()
    QApplication.processEvents()
    assert form.keyboard is not None
    assert form.keyboard.key("Shift").text() == ES["KEY_SHIFT"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_two_choices_on_the_aa_card_share_a_name(
    make_window: MakeWindow, qtbot: QtBot, language: str
) -> None:
    """A patient (and a screen reader) tells the choices apart by their words:
    the text size's "Default" and the contrast's "Standard" were both "Normal"
    in Spanish."""
    window = make_window()
    window.set_language(language)
    tap(qtbot, find_button(window, "Aa"))
    shown = [b for b in window.display.findChildren(QAbstractButton) if b.isVisible()]
    labels = [b.text() for b in shown]
    names = [b.accessibleName() for b in shown]
    assert len(labels) >= 6  # three sizes, two contrasts, Close
    assert len(set(labels)) == len(labels), labels
    assert len(set(names)) == len(names), names


def test_a_page_without_translation_shows_in_english_with_a_note(
    make_window: MakeWindow, qtbot: QtBot, content_copy: Path
) -> None:
    topic = next(p for p in content_copy.iterdir() if p.is_dir())
    missing = sorted(topic.glob("*.es.md"))[2]
    missing.unlink()
    library = load_library(content_copy)
    window = make_window(library=library)
    window.set_language("es")
    QApplication.processEvents()
    english_title = library.topics[0].pages[2].title
    tap(qtbot, find_button(window, english_title))
    assert window.page.title.text() == english_title
    assert window.page.note.isVisible()
    assert window.page.note.text() == ES["NOT_TRANSLATED"]
    window.show_next()
    assert not window.page.note.isVisible()


# -- the idle reset puts everything back -----------------------------------------


def test_idle_reset_returns_size_contrast_and_language(
    make_window: MakeWindow, qtbot: QtBot, config: Config
) -> None:
    window = make_window(**FAST)
    tap(qtbot, find_button(window, "Español"))
    window.set_text_size("largest")
    window.set_contrast("high")
    QApplication.processEvents()
    tap(qtbot, window.home.tiles[1])
    with qtbot.waitSignal(window.was_reset, timeout=3000):
        pass
    assert (window.text_size, window.contrast, window.language) == ("default", "standard", "en")
    assert i18n.current() == "en" and strings.NEED_HELP == "Need help now?"
    assert window.bar.help_button.text() == "Need help now?"
    assert application().styleSheet() == theme.style_sheet(config)
    assert window.home.tiles[0].label_text() == (window.library.topics[0].pages[0].title)
    assert window.home.languages.value() == "en"
    assert window.is_pristine()


def test_an_untouched_choice_costs_no_restyle(make_window: MakeWindow, qtbot: QtBot) -> None:
    """Choosing what is already chosen changes nothing (no restyle, still pristine)."""
    window = make_window()
    sheet = application().styleSheet()
    window.set_text_size("default")
    window.set_contrast("standard")
    window.set_language("en")
    assert application().styleSheet() == sheet
    assert window.is_pristine()


# -- the keyboard alone -------------------------------------------------------------


def _press(
    window: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    target = window.focusWidget() or window
    QTest.keyClick(target, key, modifier)
    QApplication.processEvents()


def _focus_on(window: QWidget, label: str, key: Qt.Key = Qt.Key.Key_Tab, limit: int = 60) -> None:
    for _ in range(limit):
        focused = window.focusWidget()
        if focused is not None and focused.accessibleName() == label:
            return
        _press(window, key)
    raise AssertionError(f"{label!r} never took the focus; last: {window.focusWidget()}")


def test_keyboard_only_walk_through_every_page_to_the_request(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """Tab to the first tile, Enter; Next (reached with the arrow keys) on
    every page; then "Request information" from the bar."""
    window = make_window(lockdown=True)
    pages = shipped_library.topics[0].pages
    _focus_on(window, pages[0].title)
    _press(window, Qt.Key.Key_Return)  # pressed as if tapped: down, then up a moment later
    qtbot.waitUntil(lambda: window.current_screen == f"page:{pages[0].key}", timeout=2000)
    for page in pages[1:]:
        _focus_on(window, "Next", Qt.Key.Key_Right)
        _press(window, Qt.Key.Key_Enter)
        # (mypy cannot infer a lambda with a default argument)
        qtbot.waitUntil(lambda page=page: window.current_screen == f"page:{page.key}", timeout=2000)  # type: ignore[misc]
    _focus_on(window, "Request information", Qt.Key.Key_Left)
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen == "request", timeout=2000)
    # In the form, Enter in a field moves on; arrows move the cursor in the text.
    window.request.name_edit.setFocus()
    QTest.keyClicks(window.request.name_edit, "Ana")
    _press(window, Qt.Key.Key_Left)
    assert window.request.name_edit.hasFocus()
    assert window.request.name_edit.cursorPosition() == 2
    _press(window, Qt.Key.Key_Return)
    assert not window.request.name_edit.hasFocus()
    window.reset()


def test_an_open_overlay_keeps_the_keyboard_focus(make_window: MakeWindow, qtbot: QtBot) -> None:
    """Crisis help opened with Enter: Tab and arrows stay on its Close; Enter closes."""
    window = make_window()
    _focus_on(window, "Need help now?")
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.crisis.isVisible, timeout=1000)
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Down, Qt.Key.Key_Tab):
        _press(window, key)
        assert window.focusWidget() is window.crisis.close_button
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.crisis.isVisible(), timeout=1000)


def test_the_aa_card_works_from_the_keyboard(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    _focus_on(window, "Aa")
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.display.isVisible, timeout=1000)
    _focus_on(window, "Largest", Qt.Key.Key_Down, limit=10)
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.text_size == "largest", timeout=1000)
    _focus_on(window, "High contrast", Qt.Key.Key_Down, limit=10)
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.contrast == "high", timeout=1000)


def test_every_control_can_take_the_keyboard_focus(make_window: MakeWindow, qtbot: QtBot) -> None:
    """Home's controls are all in the Tab order, each named as labelled."""
    window = make_window()
    seen: list[str] = []
    for _ in range(40):
        _press(window, Qt.Key.Key_Tab)
        focused = window.focusWidget()
        if focused is not None and focused is not window:
            name = focused.accessibleName()
            if name in seen:
                break
            seen.append(name)
    expected = {"Need help now?", "Aa", "English", "Español", "Request information"}
    expected |= {tile.accessibleName() for tile in window.home.tiles}
    assert expected <= set(seen), expected - set(seen)


# -- read aloud on the page screen ----------------------------------------------------


def test_listen_reads_the_page_and_stops_on_page_change_and_reset(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """With Qt's mock engine: Listen on a page speaks and highlights a word of
    the page; turning the page stops it; so does the idle reset."""
    from kiosk.ui.patient.speech import Reader

    window = make_window()
    assert not window.page.listen.isVisibleTo(window.page)  # no engine: no control
    window.page.read_aloud.set_reader(Reader.create("mock", parent=window))
    pages = shipped_library.topics[0].pages
    window.show_page(pages[1].key)
    tap(qtbot, find_button(window, "Listen"))
    qtbot.waitUntil(lambda: window.page.read_aloud.highlighted() is not None, timeout=5000)
    span = window.page.read_aloud.highlighted()
    assert span is not None
    start, end = span
    word = window.page.body.toPlainText()[start:end]
    assert word.strip() and word in window.page.body.toPlainText()
    assert find_button(window, "Stop")
    window.show_next()
    assert window.page.read_aloud.state == "idle"
    assert window.page.read_aloud.highlighted() is None
    tap(qtbot, find_button(window, "Listen"))
    qtbot.waitUntil(lambda: window.page.read_aloud.state == "speaking", timeout=2000)
    window.reset()
    assert window.page.read_aloud.state == "idle"


# -- found in review: the form by keyboard, in Spanish, at the largest size -----------


def test_the_request_form_can_be_filled_in_and_sent_by_keyboard_alone(
    make_window: MakeWindow, qtbot: QtBot, store: EnquiryStore
) -> None:
    """Tab into each field and type; Tab on to a choice closes the on-screen
    keyboard and brings Send back; Enter chooses, ticks and sends."""
    window = make_window(store=store)
    _focus_on(window, "Request information")
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen == "request", timeout=2000)
    form = window.request
    assert form.keyboard is not None
    _focus_on(window, "Your name", limit=20)
    QTest.keyClicks(window.focusWidget(), "Ana Lopez")
    assert form.keyboard.isVisible() and not form.bottom.isVisible()
    _press(window, Qt.Key.Key_Return)  # Enter in the step's last field: Continue
    assert form.step == 1
    _focus_on(window, "Text", limit=20)
    assert not form.keyboard.isVisible() and form.bottom.isVisible()
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.methods.value() == "text", timeout=2000)
    _focus_on(window, strings.FIELD_PHONE, limit=20)
    QTest.keyClicks(window.focusWidget(), "8015550100")
    assert form.phone_edit.text() == "8015550100"
    _press(window, Qt.Key.Key_Return)
    assert form.step == 2
    _focus_on(window, strings.CONTINUE, limit=40)
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.step == 3, timeout=2000)
    _focus_on(window, strings.CONSENT, limit=40)
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(form.consent.isChecked, timeout=2000)
    _focus_on(window, strings.SEND, limit=20)
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.views.currentWidget() is form.thanks_view, timeout=3000)
    assert store.count() == 1
    window.reset()


def test_the_forms_mistakes_are_in_spanish(make_window: MakeWindow, qtbot: QtBot) -> None:
    from kiosk.enquiries.form import PROBLEMS

    window = make_window()
    window.set_language("es")
    window.show_request()
    window.request.send()
    shown = [f.error.text() for f in window.request.fields.values() if f.error.isVisible()]
    assert shown, "an empty form has mistakes to show"
    problems = ES["FORM_PROBLEMS"]
    assert isinstance(problems, dict)
    assert set(shown) <= set(problems.values())
    assert not set(shown) & set(PROBLEMS.values())


def test_every_form_message_has_a_name_in_the_catalogue() -> None:
    """The core's messages and the catalogue's English agree, name for name."""
    from kiosk.enquiries.form import PROBLEMS

    assert i18n.table(i18n.DEFAULT)["FORM_PROBLEMS"] == PROBLEMS


@pytest.mark.parametrize("text_size", ["large", "largest"])
def test_the_form_never_runs_off_a_portrait_screen(
    make_window: MakeWindow, qtbot: QtBot, text_size: str
) -> None:
    window = make_window((800, 1280))
    window.set_language("es")
    window.set_text_size(text_size)
    window.show_request()
    window.request.send()  # messages under the fields
    window.request.name_edit.setFocus()
    QApplication.processEvents()
    area = window.request.scroll_area
    content = area.widget()
    assert content is not None
    assert content.width() <= area.viewport().width()
    assert area.horizontalScrollBar().value() == 0


def _changed_share(before: QPixmap, after: QPixmap) -> float:
    """The share of pixels that visibly differ between two grabs of a control."""
    a, b = before.toImage(), after.toImage()
    assert a.size() == b.size()
    step = 2
    total = changed = 0
    for y in range(0, a.height(), step):
        for x in range(0, a.width(), step):
            total += 1
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            if abs(p.red() - q.red()) + abs(p.green() - q.green()) + abs(p.blue() - q.blue()) > 90:
                changed += 1
    return changed / total


@pytest.mark.parametrize("contrast", ["standard", "high"])
def test_keyboard_focus_is_plain_to_see_in_both_themes(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library, contrast: str
) -> None:
    """Each kind of button looks clearly different when it has the focus (the
    fill turns over, not just a border a shade away)."""
    window = make_window()
    window.set_contrast(contrast)
    window.show_page(shipped_library.topics[0].pages[1].key)
    QApplication.processEvents()
    for label in ("Next", "Previous", "Aa", "Request information", "Need help now?"):
        control = find_button(window, label)
        window.setFocus()
        QApplication.processEvents()
        before = control.grab()
        control.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        assert _changed_share(before, control.grab()) > 0.3, (contrast, label)
    window.show_home()
    QApplication.processEvents()
    tile = window.home.tiles[0]
    window.setFocus()
    QApplication.processEvents()
    before = tile.grab()
    tile.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert _changed_share(before, tile.grab()) > 0.03, contrast


def test_screen_reader_names_follow_the_language(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """The dots, and the groups of choices, are named in the patient's language."""
    window = make_window()
    window.set_language("es")
    window.show_page(shipped_library.topics[0].pages[1].key)
    assert window.page.dots.accessibleName() == str(ES["PAGE_OF_ACCESSIBLE"]).format(
        index=2, count=9
    )
    assert window.home.languages.accessibleName() == ES["LANGUAGE_LABEL"]
    assert window.display.sizes.accessibleName() == ES["TEXT_SIZE_LABEL"]
    assert window.display.contrasts.accessibleName() == ES["CONTRAST_LABEL"]


def test_listen_by_keyboard_keeps_the_focus_on_the_controls(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    from kiosk.ui.patient.speech import Reader

    window = make_window()
    window.page.read_aloud.set_reader(Reader.create("mock", parent=window))
    window.show_page(shipped_library.topics[0].pages[1].key)
    _focus_on(window, "Listen")
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.read_aloud.state == "speaking", timeout=3000)
    assert window.focusWidget().accessibleName() in ("Pause", "Stop")
    _focus_on(window, "Stop", Qt.Key.Key_Right, limit=5)
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.read_aloud.state == "idle", timeout=3000)
    assert window.focusWidget().accessibleName() == "Listen"


def test_an_english_page_in_the_spanish_kiosk_is_read_in_english(
    make_window: MakeWindow, qtbot: QtBot, content_copy: Path
) -> None:
    from kiosk.ui.patient.speech import Reader

    topic = next(p for p in content_copy.iterdir() if p.is_dir())
    sorted(topic.glob("*.es.md"))[2].unlink()
    library = load_library(content_copy)
    window = make_window(library=library)
    reader = Reader.create("mock", parent=window)
    assert reader is not None
    window.page.read_aloud.set_reader(reader)
    window.set_language("es")
    window.show_page(library.topics[0].pages[1].key)
    assert reader.locale_name().startswith("es") or reader.locale_name().startswith("en")
    window.show_page(library.topics[0].pages[2].key)  # no Spanish: shown and read in English
    assert reader.locale_name().startswith("en")


def test_the_topic_choices_come_before_the_message_in_the_tab_order(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    window.show_request()
    form = window.request
    form.go_to(2)  # best time, topic and message share the third step
    from kiosk.ui.keynav import focusable

    chain: list[QWidget] = []
    widget: QWidget = form.best_times.buttons()[-1]
    while len(chain) < len(form.topics.buttons()) + 1:
        following = widget.nextInFocusChain()
        assert following is not None  # the focus chain is a ring
        widget = following
        if focusable(widget):
            chain.append(widget)
    assert chain[:-1] == form.topics.buttons()
    assert chain[-1] is form.message_edit


def test_what_appears_without_the_focus_is_announced(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new page, a notice, an overlay and the form's verdict are said to a
    screen reader (QAccessibleAnnouncementEvent) when one is listening."""
    from PySide6.QtGui import QAccessible

    said: list[str] = []
    monkeypatch.setattr(QAccessible, "isActive", staticmethod(lambda: True))
    monkeypatch.setattr(
        QAccessible, "updateAccessibility", staticmethod(lambda event: said.append(event.message()))
    )
    window = make_window()
    page = shipped_library.topics[0].pages[1]
    window.show_page(page.key)
    assert said[-1] == f"{page.title}. Page 2 of 9"
    window.show_crisis()
    # Crisis help: its words as plain text (no markup read out), then what to do.
    # In the card's order: 988, 911 and the front desk first (its first screenful).
    assert said[-1].startswith(
        "Need help now? If you are in crisis, call or text 988 (Suicide & Crisis Lifeline). "
        "In an emergency, call 911 now. Please tell the front desk. "
        "988 also offers help in Spanish."
    )
    assert "<" not in said[-1]
    assert said[-1].endswith(
        "Scan with your phone camera to call 988 Scan with your phone camera to text 988"
    )
    window.crisis.hide()
    window.show_request()
    window.request.send()
    # The verdict, then which mistake comes first and why (audio mode speaks both).
    assert said[-2:] == ["3 things to fix", "Your name. Please enter your name."]


def test_an_overlay_opened_from_the_keyboard_takes_the_focus(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    _focus_on(window, "Aa")
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.display.isVisible, timeout=1000)
    assert window.display.isAncestorOf(window.focusWidget())


def test_the_clinics_own_crisis_text_keeps_the_spanish_lines(
    make_window: MakeWindow, qtbot: QtBot, config: Config
) -> None:
    """A clinic's crisis text is in its own language; a Spanish reader still gets
    988's Spanish option first, then the clinic's words."""
    from dataclasses import replace

    window = make_window(cfg=replace(config, crisis_text="Call our on-call nurse: 555-0100."))
    assert window.crisis.body.text() == "Call our on-call nurse: 555-0100."
    window.set_language("es")
    # 988's line in Spanish first (above 911), the rest of ours, then the clinic's.
    body, more = window.crisis.body.text(), window.crisis.more.text()
    assert str(ES["CRISIS_BODY"]).startswith(body) and "988" in body
    assert (body + more).startswith(str(ES["CRISIS_BODY"])) and more.endswith("555-0100.</p>")
    window.set_language("en")
    assert window.crisis.body.text() == "Call our on-call nurse: 555-0100."


@pytest.mark.parametrize("contrast", ["standard", "high"])
def test_an_overlays_text_sits_on_its_cards_colour(
    make_window: MakeWindow, qtbot: QtBot, contrast: str
) -> None:
    """The crisis card's scrolling text shows the card through it: no grey
    viewport behind white high-contrast text (found by looking at it)."""
    from collections import Counter

    window = make_window()
    window.set_text_size("largest")
    window.set_contrast(contrast)
    window.show_crisis()
    QApplication.processEvents()
    from PySide6.QtCore import QPoint, QRect

    area = window.crisis.body_area
    image = window.grab(QRect(area.mapTo(window, QPoint(0, 0)), area.size())).toImage()
    seen = Counter(
        image.pixelColor(x, y).name()
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
    )
    card = theme.colours(Config(), contrast)["surface"]
    assert seen.most_common(1)[0][0] == card, seen.most_common(3)


def test_tab_from_a_field_with_the_keyboard_open_reaches_the_forms_bar(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """The on-screen keyboard takes the bar's room while a field is focused;
    Tab from the field still reaches Continue (the bar comes back), and each
    visible control in order, as without the keyboard."""
    window = make_window()
    _focus_on(window, "Request information")
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen == "request", timeout=2000)
    form = window.request
    assert form.keyboard is not None
    _focus_on(window, "Your name", limit=20)
    assert form.keyboard.isVisible() and not form.bottom.isVisible()
    _press(window, Qt.Key.Key_Tab)
    reached = window.focusWidget()
    assert reached is not None and form.bottom.isAncestorOf(reached)
    assert form.bottom.isVisible() and not form.keyboard.isVisible()
    _focus_on(window, strings.CONTINUE, limit=5)
    # Backwards: from the bar into the field again, and the keyboard opens.
    _focus_on(window, "Your name", Qt.Key.Key_Backtab, limit=10)
    assert form.keyboard.isVisible()
    # The next step: from the phone field too.
    form.name_edit.setText("Ana Lopez")
    _press(window, Qt.Key.Key_Return)
    assert form.step == 1
    _focus_on(window, "Text", limit=20)
    _press(window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.methods.value() == "text", timeout=2000)
    _focus_on(window, strings.FIELD_PHONE, limit=20)
    assert form.keyboard.isVisible() and not form.bottom.isVisible()
    names = []
    for _ in range(6):
        _press(window, Qt.Key.Key_Tab)
        focused = window.focusWidget()
        assert focused is not None and focused.isVisible()
        names.append(focused.accessibleName())
    assert strings.BACK in names and strings.CONTINUE in names
    window.reset()
