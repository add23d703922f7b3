"""Issue 15, audio mode (kiosk/ui/patient/audio.py), end to end: a real window,
Qt's silent "mock" speech engine in the real speech thread (SpeechStarter),
headphones plugged through a fake ``pactl`` process, the keyboard through the
kiosk's own key navigation. What is spoken is checked twice: what audio mode
handed the engine (``spoken``) and the words the engine reports back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.enquiries.store import EnquiryStore
from kiosk.ui.i18n import strings
from kiosk.ui.patient import audio as audio_module
from kiosk.ui.patient.audio import (
    IDLE_STRETCH,
    MAX_RATE,
    MAX_VOLUME,
    MIN_RATE,
    MIN_VOLUME,
    AudioMode,
    Voice,
    Watch,
    start_audio,
)
from kiosk.ui.patient.speech import Reader, SpeechStarter, SpeechState, ThreadedReader
from kiosk.ui.widgets import Tile
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow
from tests.ui.patient.fake_pactl import FakePactl, on_path

WAIT_MS = 5000


@dataclass
class Ear:
    """What audio mode said (``said``) and the words the engine spoke on the
    voice channel (``words``) and the page's (``page_words``)."""

    audio: AudioMode
    voice: ThreadedReader
    page: ThreadedReader
    said: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    page_words: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.audio.spoken.connect(self.said.append)
        self.voice.word.connect(lambda start, length: self.words.append(self._word(start, length)))
        self.page.word.connect(
            lambda start, length: self.page_words.append(self._word(start, length))
        )

    def _word(self, start: int, length: int) -> str:
        return self.said[-1][start : start + length] if self.said else ""

    def next_said(self, qtbot: QtBot, act: Callable[[], None]) -> str:
        """Do ``act``; what audio mode says next (in one go)."""
        before = len(self.said)
        act()
        qtbot.waitUntil(lambda: len(self.said) > before, timeout=WAIT_MS)
        qtbot.wait(20)  # anything else said in the same pass would come now
        return self.said[-1]

    def engine_says(self, qtbot: QtBot, word: str) -> None:
        """The engine really spoke ``word`` (its first word, say) on the voice channel."""
        qtbot.waitUntil(lambda: word in self.words, timeout=WAIT_MS)


@dataclass
class Kiosk:
    window: KioskWindow
    audio: AudioMode
    watch: Watch | None
    starter: SpeechStarter
    ear: Ear


@pytest.fixture
def starter(qtbot: QtBot) -> Iterator[SpeechStarter]:
    """The speech thread with Qt's mock engine, as app.build starts it."""
    made = SpeechStarter(lambda: Reader.create("mock"), lambda: None)
    with qtbot.waitSignal(made.ready, timeout=WAIT_MS):
        made.start()
    yield made
    made.close()


@pytest.fixture
def pactl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakePactl:
    return on_path(tmp_path / "bin", monkeypatch)


def build(
    window: KioskWindow, starter: SpeechStarter, mode: str = audio_module.HEADPHONES
) -> Kiosk:
    """As kiosk.ui.app wires it: the page's reader, then audio mode."""
    assert starter.reader is not None and starter.voice is not None
    window.page.speech_found(starter.reader)
    audio, watch = start_audio(window, mode, None, lambda: starter.voice)
    audio.set_speaker(starter.voice)  # the engine answered before audio mode started
    return Kiosk(window, audio, watch, starter, Ear(audio, starter.voice, starter.reader))


@pytest.fixture
def kiosk(
    make_window: MakeWindow, starter: SpeechStarter, pactl: FakePactl, store: EnquiryStore
) -> Iterator[Kiosk]:
    built = build(make_window(store=store, idle_ms=2000, countdown_s=6, tick_ms=100), starter)
    yield built
    if built.watch is not None:
        built.watch.stop()


def plug(qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl) -> None:
    with qtbot.waitSignal(kiosk.audio.changed, timeout=WAIT_MS):
        pactl.plug(True)


def key(qtbot: QtBot, which: Qt.Key) -> None:
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    QTest.keyClick(target, which)


def said_more(ear: Ear, than: int) -> bool:
    return len(ear.said) > than


def reading(window: KioskWindow) -> SpeechState:
    """The page's reading, now (a function: each call asks again)."""
    return window.page.read_aloud.state


def tab_to(qtbot: QtBot, ear: Ear, wanted: Callable[[QWidget], bool], limit: int = 80) -> str:
    """Tab until ``wanted(focus)``; at each step where the focus ends up is
    spoken as ``describe`` says (a stop with nothing to say would be silent:
    there is none, ``test_every_tab_stop_on_the_patients_screens_has_something_to_say``).
    Already there: what was said last."""
    focus = QApplication.focusWidget()
    if focus is not None and wanted(focus):
        return ear.said[-1]
    for _ in range(limit):
        before = len(ear.said)
        key(qtbot, Qt.Key.Key_Tab)
        qtbot.wait(20)  # one pass of the event loop: the focus settles, speech goes
        focus = QApplication.focusWidget()
        assert focus is not None
        described = ear.audio.describe(focus)
        if not described:
            assert len(ear.said) == before
            continue
        qtbot.waitUntil(partial(said_more, ear, before), timeout=WAIT_MS)
        said = ear.said[-1]
        assert said.endswith(described), (said, described)
        if wanted(focus):
            return said
    raise AssertionError("never reached by Tab")


# -- the contract ---------------------------------------------------------------------
def test_audio_mode_is_a_voice() -> None:
    """The keypad and touch exploration take a ``Voice``: AudioMode is one."""
    voice: Voice = AudioMode()
    assert not voice.active


# -- headphones start it, unplugging ends it ---------------------------------------------
def test_headphones_start_the_welcome_and_unplugging_ends_it(
    qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl
) -> None:
    ear, window = kiosk.ear, kiosk.window
    assert not kiosk.audio.active and ear.said == []
    assert window.idle.limit_ms == window.idle.idle_ms
    plug(qtbot, kiosk, pactl)
    assert kiosk.audio.active
    assert ear.said == [strings.AUDIO_WELCOME]
    ear.engine_says(qtbot, "Audio")  # the engine speaks it, word by word
    assert window.idle.limit_ms == window.idle.idle_ms * IDLE_STRETCH
    with qtbot.waitSignal(kiosk.audio.changed, timeout=WAIT_MS) as ended:
        pactl.plug(False)
    assert ended.args == [False] and not kiosk.audio.active
    assert window.idle.limit_ms == window.idle.idle_ms
    count = len(ear.said)
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.wait(100)
    assert len(ear.said) == count  # nothing follows the focus any more
    qtbot.waitUntil(lambda: kiosk.ear.voice.state == SpeechState.IDLE, timeout=WAIT_MS)


def test_the_welcome_waits_for_the_engine(
    qtbot: QtBot, make_window: MakeWindow, starter: SpeechStarter
) -> None:
    """Headphones in (or "always") before the speech thread's engine answers: the
    welcome is said when it does."""
    window = make_window()
    audio, watch = start_audio(window, audio_module.ALWAYS, starter.ready, lambda: starter.voice)
    assert watch is None and audio.active
    said: list[str] = []
    audio.spoken.connect(said.append)
    assert said == []
    assert starter.reader is not None
    starter.ready.emit(starter.reader)  # as the engine's answer does
    assert said == [strings.AUDIO_WELCOME]


def test_off_never_starts(qtbot: QtBot, make_window: MakeWindow, starter: SpeechStarter) -> None:
    window = make_window()
    audio, watch = start_audio(window, audio_module.OFF, None, lambda: starter.voice)
    assert watch is None and not audio.active


# -- the walk: home, a page, crisis help, the form, the thank-you ----------------------------
def test_the_kiosk_by_keyboard_and_ear(qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl) -> None:
    ear, window, audio = kiosk.ear, kiosk.window, kiosk.audio
    plug(qtbot, kiosk, pactl)

    # Home: a tile says its title, that it is a button, and its summary.
    said = tab_to(qtbot, ear, lambda w: isinstance(w, Tile))
    tile = QApplication.focusWidget()
    assert isinstance(tile, Tile)
    assert said.startswith(f"{tile.accessibleName()}, {strings.ROLE_BUTTON}")
    ear.engine_says(qtbot, tile.accessibleName().split()[0])

    # Enter: the page's title and text, through the page's own reader.
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    page = window.current_page
    assert page is not None
    text = window.page.body.document().toPlainText()
    assert said.startswith(page.title) and text.strip() and text.strip()[:40] in said
    qtbot.waitUntil(lambda: bool(ear.page_words), timeout=WAIT_MS)
    assert ear.page_words[0] == page.title.split()[0]
    assert reading(window) == SpeechState.SPEAKING

    # A key moves on: the reading stops, the new focus is said.
    said = tab_to(qtbot, ear, lambda w: w is window.page.next_button)
    assert said == f"{strings.NEXT}, {strings.ROLE_BUTTON}"
    assert reading(window) == SpeechState.IDLE
    # Next: the next page is read.
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    following = window.current_page
    assert following is not None and following is not page
    assert said.startswith(following.title)

    # Crisis help: read first when opened, then the focused button.
    tab_to(qtbot, ear, lambda w: w is window.bar.help_button)
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    assert window.crisis.isVisible()
    assert said.startswith(window.crisis.spoken())
    assert "988" in said.split(".")[0]  # the crisis line comes first
    focus = QApplication.focusWidget()
    assert focus is not None and said.endswith(audio.describe(focus))
    tab_to(qtbot, ear, lambda w: w is window.crisis.close_button)
    ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    assert not window.crisis.isVisible()

    # The form: its step on entering; a mistake after Continue.
    tab_to(qtbot, ear, lambda w: w is window.bar.request_button)
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    form = window.request
    assert window.current_screen == "request"
    assert said.startswith(form.step_label.text()) and "1" in form.step_label.text()
    # The privacy sentences a sighted patient reads above the name box, heard.
    for words in (strings.REQUEST_INTRO, strings.PRIVACY_NOTE, strings.PRIVACY_MORE):
        assert words in said
    tab_to(qtbot, ear, lambda w: w is form.continue_button)
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    mistake = form.fields["name"].error.text()
    # Each announcement a sentence: not "1 thing to fix Your name Please enter…".
    assert mistake and said == f"{strings.things_to_fix(1)}. {strings.FIELD_NAME}. {mistake}"
    said = tab_to(qtbot, ear, lambda w: w is form.name_edit)
    assert said == f"{strings.FIELD_NAME}, {strings.ROLE_TEXT_BOX}, {strings.BLANK}, {mistake}"
    QTest.keyClicks(form.name_edit, "Ana Lopez")
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))  # the step's last box
    assert form.step == 1 and said.startswith(form.step_label.text())

    said = tab_to(qtbot, ear, lambda w: w is form.methods.button_for("call"))
    assert said.endswith(f"{strings.ROLE_BUTTON}, {strings.NOT_SELECTED}")
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))  # chosen: said so
    call = form.methods.button_for("call")
    assert (
        said == audio.describe(call) == f"{call.text()}, {strings.ROLE_BUTTON}, {strings.SELECTED}"
    )
    said = tab_to(qtbot, ear, lambda w: w is form.phone_edit)
    QTest.keyClicks(form.phone_edit, "8015550100")
    assert audio.describe(form.phone_edit).startswith(
        f"{strings.FIELD_PHONE}, {strings.ROLE_TEXT_BOX}, 801"
    )
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    assert form.step == 2 and said.startswith(form.step_label.text())
    tab_to(qtbot, ear, lambda w: w is form.continue_button)
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    assert form.step == 3 and said.startswith(form.step_label.text())
    assert strings.CHECK_TITLE in said and strings.PRIVACY_NOTE not in said

    said = tab_to(qtbot, ear, lambda w: w is form.consent)
    assert said.endswith(f"{strings.ROLE_CHECK_BOX}, {strings.NOT_CHECKED}")
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Space))
    assert form.consent.isChecked()
    assert said.endswith(f"{strings.ROLE_CHECK_BOX}, {strings.CHECKED}")
    tab_to(qtbot, ear, lambda w: w is form.send_button)
    said = ear.next_said(qtbot, lambda: key(qtbot, Qt.Key.Key_Return))
    assert said.startswith(form.thanks_title.text()), said
    assert strings.THANK_YOU_TITLE in said


# -- the speech controls -----------------------------------------------------------------
def test_repeat_interrupt_rate_and_volume(qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl) -> None:
    ear, audio = kiosk.ear, kiosk.audio
    plug(qtbot, kiosk, pactl)
    ear.engine_says(qtbot, "Audio")
    audio.stop()
    assert ear.voice.state == SpeechState.IDLE
    heard = len(ear.words)
    qtbot.wait(300)  # the mock speaks a word each 100 ms: none comes after the stop
    assert len(ear.words) == heard
    assert ear.next_said(qtbot, audio.repeat) == strings.AUDIO_WELCOME
    ear.words.clear()
    ear.engine_says(qtbot, "Audio")

    assert (audio.rate, audio.volume) == audio.defaults == (0.0, 0.5)  # the mock engine's own
    for _ in range(10):
        audio.faster()
        audio.louder()
    assert (audio.rate, audio.volume) == (MAX_RATE, MAX_VOLUME)  # bounded
    for _ in range(20):
        audio.slower()
        audio.quieter()
    assert (audio.rate, audio.volume) == (MIN_RATE, MIN_VOLUME)  # never silent
    audio.faster()
    assert audio.rate == MIN_RATE + audio_module.RATE_STEP
    # Each key says it worked, at the new rate or volume, or that it is at its end.
    assert ear.said[-1] == strings.SPEECH_FASTER
    audio.quieter()
    assert ear.said[-1] == strings.SPEECH_AT_LIMIT and audio.volume == MIN_VOLUME
    audio.louder()
    assert ear.said[-1] == strings.SPEECH_LOUDER
    audio.quieter()
    assert ear.said[-1] == strings.SPEECH_QUIETER and audio.volume == MIN_VOLUME
    # Applied in the speech thread, to its engine: the page's reading too.
    engine = kiosk.starter._host._reader  # the engine itself, in its thread
    assert engine is not None
    qtbot.waitUntil(
        lambda: (engine.rate, engine.volume) == (audio.rate, MIN_VOLUME),
        timeout=WAIT_MS,
    )

    # The idle reset: defaults again, nothing of this patient's left to repeat,
    # and the welcome for the next.
    said_before = list(ear.said)
    kiosk.window.reset()
    assert (audio.rate, audio.volume) == audio.defaults
    assert ear.said[-1] == strings.AUDIO_WELCOME
    assert ear.next_said(qtbot, audio.repeat) == strings.AUDIO_WELCOME
    assert not set(ear.said[len(said_before) :]) - {strings.AUDIO_WELCOME}
    qtbot.waitUntil(
        lambda: (engine.rate, engine.volume) == audio.defaults,
        timeout=WAIT_MS,
    )


def test_repeat_reads_the_page_again(qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl) -> None:
    plug(qtbot, kiosk, pactl)
    window = kiosk.window
    page = window.library.topics[0].pages[1]
    first = kiosk.ear.next_said(qtbot, lambda: window.show_page(page.key))
    assert first.startswith(page.title)
    kiosk.audio.stop()
    assert reading(window) == SpeechState.IDLE
    assert kiosk.ear.next_said(qtbot, kiosk.audio.repeat) == first
    assert reading(window) == SpeechState.SPEAKING


def test_a_reading_started_with_the_focus_on_listen_is_not_cut_short(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Starting a reading moves the focus from Listen to Pause (with a reader on
    the window's own thread, at once): that move is the screen's, not the
    patient's, so it neither stops the reading nor is announced (it once said
    "Listen, button" over the page, found by a loaded machine's CI run, and
    a review found Listen stopping after a word)."""
    from tests.ui.patient.keypad_support import mock_audio

    window = make_window()
    audio, said = mock_audio(window)
    audio.set_active(True)
    page = window.library.topics[0].pages[1]
    window.show_page(page.key)
    qtbot.waitUntil(lambda: any(s.startswith(page.title) for s in said), timeout=WAIT_MS)
    audio.stop()
    listen = window.page.read_aloud.controls.listen_button
    qtbot.waitUntil(listen.isVisible, timeout=WAIT_MS)
    before = len(said)
    listen.setFocus()  # the patient moves onto Listen: said
    qtbot.waitUntil(lambda: len(said) > before, timeout=WAIT_MS)
    assert said[-1] == f"{strings.LISTEN}, {strings.ROLE_BUTTON}"
    before = len(said)
    QTest.keyClick(listen, Qt.Key.Key_Space)  # and chooses it
    qtbot.waitUntil(lambda: not listen.hasFocus(), timeout=WAIT_MS)  # Pause has it
    qtbot.wait(100)  # passes of the event loop: a focus move taken for the patient's speaks
    assert said[before:] == []
    assert reading(window) == SpeechState.SPEAKING
    # Repeat, while the page is the last thing read, reads it again.
    audio.repeat()
    assert said[-1].startswith(page.title)
    window.reset()


def test_every_tab_stop_on_the_patients_screens_has_something_to_say(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """A Tab stop that audio mode describes as nothing is a stop a listening
    patient hears as silence (home's scrolling area was one): home, a page,
    each step of the form and crisis help have none."""
    window = make_window()
    audio = AudioMode(window)

    def silent_stops() -> list[str]:
        QApplication.processEvents()
        start: QWidget = window.focusWidget() or window
        found: list[str] = []
        widget = start
        for _ in range(200):
            following = widget.nextInFocusChain()
            if following is None or following is start:
                break
            widget = following
            tab_stop = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            stops = tab_stop and widget.isVisible() and widget.isEnabled()
            if stops and not audio.describe(widget):
                found.append(f"{type(widget).__name__} {widget.objectName()}")
        return found

    screens = {"home": silent_stops()}
    window.show_page(window.library.topics[0].pages[0].key)
    qtbot.waitUntil(lambda: window.current_screen.startswith("page:"), timeout=WAIT_MS)
    qtbot.wait(50)
    screens["page"] = silent_stops()
    window.show_request()
    for step in range(4):
        window.request.go_to(step)
        screens[f"request step {step + 1}"] = silent_stops()
    window.show_crisis()
    screens["crisis"] = silent_stops()
    assert screens == {name: [] for name in screens}
    window.reset()


def test_what_a_widget_is_called(qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl) -> None:
    """Name, kind, state, description, value: and not a hidden field's value."""
    audio, window = kiosk.audio, kiosk.window
    assert audio.describe(window.bar.help_button) == f"{strings.NEED_HELP}, {strings.ROLE_BUTTON}"
    form = window.request
    form.name_edit.setText("Ana")
    assert audio.describe(form.name_edit) == f"{strings.FIELD_NAME}, {strings.ROLE_TEXT_BOX}, Ana"
    form.name_edit.setEchoMode(form.name_edit.EchoMode.Password)
    assert audio.describe(form.name_edit) == (
        f"{strings.FIELD_NAME}, {strings.ROLE_TEXT_BOX}, {strings.BLANK}"
    )


def test_staff_screens_are_not_spoken(qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl) -> None:
    """A control over the screens that is not the patients' (staff mode's PIN
    pad is one): its digits are not said into headphones left plugged in."""
    plug(qtbot, kiosk, pactl)
    pad_key = QPushButton("7", kiosk.window)
    pad_key.show()
    count = len(kiosk.ear.said)
    pad_key.setFocus()
    qtbot.wait(50)
    assert pad_key.hasFocus() and len(kiosk.ear.said) == count
    kiosk.window.bar.help_button.setFocus()  # the patients' again: spoken
    qtbot.waitUntil(lambda: len(kiosk.ear.said) > count, timeout=WAIT_MS)
    assert kiosk.ear.said[-1] == f"{strings.NEED_HELP}, {strings.ROLE_BUTTON}"


def test_a_set_of_choices_is_entered_with_its_question(
    qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl
) -> None:
    """Found in review: step 2 said "Call, button, not selected" with no
    question. Into a set of choices, its question comes first; moving within
    it, the choice alone."""
    plug(qtbot, kiosk, pactl)
    window = kiosk.window
    window.show_request()
    qtbot.wait(50)  # "Step 1 of 4" said
    form = window.request
    form.go_to(1)
    qtbot.wait(50)  # "Step 2 of 4"
    question = form.methods.accessibleName()
    assert question
    first, second = form.methods.buttons()[:2]
    said = kiosk.ear.next_said(qtbot, first.setFocus)
    assert said.startswith(question) and said.endswith(kiosk.audio.describe(first)), said
    said = kiosk.ear.next_said(qtbot, second.setFocus)
    assert said == kiosk.audio.describe(second)
    window.reset()


def test_leaving_the_form_says_home_and_not_the_forms_first_step(
    qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl
) -> None:
    """Found in review: "Clear and go home" resets the form to step 1 on its
    way out, and "Step 1 of 4" was heard on home."""
    plug(qtbot, kiosk, pactl)
    window = kiosk.window
    window.show_request()
    form = window.request
    QTest.keyClicks(form.name_edit, "Ana")
    home = window.findChild(QPushButton, "requestHome")
    assert home is not None
    home.click()
    leave = window.findChild(QPushButton, "clearAndLeave")
    assert leave is not None
    qtbot.waitUntil(leave.isVisible, timeout=WAIT_MS)
    said = kiosk.ear.next_said(qtbot, leave.click)
    assert window.current_screen == "home"
    assert said.startswith(strings.HOME_SPOKEN), said
    assert strings.STEP_OF.format(index=1, count=4) not in said


def test_a_staff_keyboard_is_neither_explored_nor_walked_out_loud(
    qtbot: QtBot, kiosk: Kiosk, pactl: FakePactl
) -> None:
    """Found in review: a finger on staff set-up's recovery-code keyboard said
    "q, button", and the keypad's walk over it said each key and what it typed,
    into headphones left plugged in; and staff could not tap (a single tap
    explored). Staff screens are touched as ever, and nothing is said."""
    from PySide6.QtWidgets import QVBoxLayout

    from kiosk.ui.patient.keyboard import Key, KeyboardKind
    from kiosk.ui.patient.keypad import install
    from kiosk.ui.staff.fields import TextEntry
    from tests.ui.patient.keypad_support import PAD

    plug(qtbot, kiosk, pactl)
    window = kiosk.window
    staff = QWidget(window)  # over the screens, as staff mode's panel is
    staff.setGeometry(window.rect())
    entry = TextEntry("setupCode", KeyboardKind.TEXT, max_length=40)
    QVBoxLayout(staff).addWidget(entry)
    staff.show()
    staff.raise_()
    keypad = install(window, kiosk.audio)
    try:
        entry.field.setFocus()
        qtbot.waitUntil(entry.keyboard.isVisible, timeout=WAIT_MS)
        qtbot.wait(50)
        count = len(kiosk.ear.said)
        letter = next(
            k
            for k in entry.keyboard.findChildren(Key)
            if k.isVisible() and k.label_text().isalpha()
        )
        qtbot.mouseClick(letter, Qt.MouseButton.LeftButton)  # one tap types, as ever
        assert entry.field.text() == letter.label_text()
        for key in (Qt.Key.Key_2, Qt.Key.Key_6, Qt.Key.Key_5):
            QTest.keyClick(window.focusWidget() or window, key, PAD)
        qtbot.wait(100)
        assert kiosk.ear.said[count:] == []
    finally:
        keypad.uninstall()
        staff.deleteLater()


# -- timing: ten times the idle time, the warning and its countdown spoken ----------------
def test_idle_warning_and_countdown_are_spoken_then_all_is_reset(
    qtbot: QtBot, make_window: MakeWindow, starter: SpeechStarter
) -> None:
    window = make_window(idle_ms=100, countdown_s=11, tick_ms=100)
    kiosk = build(window, starter, audio_module.ALWAYS)
    ear, audio = kiosk.ear, kiosk.audio
    window.show_crisis()  # something a next patient could see: the warning is due
    qtbot.wait(50)
    audio.faster()
    audio.louder()
    window.idle.touch()
    qtbot.wait(600)  # six times the clinic's idle time: no warning yet in audio mode
    assert not window.idle_overlay.isVisible()
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: strings.still_there_body(11) in ear.said[-1], timeout=WAIT_MS)
    assert ear.said[-1].startswith(strings.STILL_THERE_TITLE)
    assert "?." not in ear.said[-1]  # "Are you still there? For your privacy…"
    qtbot.waitUntil(lambda: strings.still_there_body(10) in ear.said, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ear.said[-1] == "1", timeout=WAIT_MS)
    assert ear.said[-3:] == ["3", "2", "1"]
    assert strings.still_there_body(5) not in ear.said  # every 10 s: none cut off
    qtbot.waitUntil(lambda: not window.idle_overlay.isVisible(), timeout=WAIT_MS)
    assert (audio.rate, audio.volume) == audio.defaults
    assert audio.active  # the headphones are still in: the next patient may use them
    qtbot.waitUntil(lambda: ear.said[-1] == strings.AUDIO_WELCOME, timeout=WAIT_MS)  # for them


def test_the_thank_you_stays_ten_times_as_long_in_audio_mode(
    qtbot: QtBot,
    make_window: MakeWindow,
    starter: SpeechStarter,
    store: EnquiryStore,
    config: Config,
) -> None:
    """WCAG 2.2.1: the thank-you, which goes home by itself, is stretched as the
    idle time is (a patient listening to it may be slower); back to the clinic's
    seconds when audio mode ends."""
    from tests.ui.helpers import find_button, tap
    from tests.ui.patient.test_request import fill_by_taps, open_form

    window = make_window(store=store, cfg=replace(config, thank_you_seconds=1))
    kiosk = build(window, starter, audio_module.ALWAYS)
    for on, lasts_ms in ((True, 10_000), (False, 1000)):
        kiosk.audio.set_active(on)
        form = open_form(qtbot, window)
        fill_by_taps(qtbot, form, name="Al")
        tap(qtbot, find_button(window, strings.SEND))
        assert form.views.currentWidget() is form.thanks_view
        assert form._thanks_timer.interval() == lasts_ms
        if on:
            qtbot.wait(1500)  # past the clinic's second: still thanking
            assert window.current_screen == "request"
            window.reset()
        else:
            qtbot.waitUntil(lambda: window.current_screen == "home", timeout=WAIT_MS)
    assert store.count() == 2


def test_idle_time_goes_back_when_audio_mode_ends(
    qtbot: QtBot, make_window: MakeWindow, starter: SpeechStarter
) -> None:
    window = make_window(idle_ms=300, countdown_s=5, tick_ms=100)
    kiosk = build(window, starter, audio_module.ALWAYS)
    window.show_crisis()
    window.idle.touch()
    qtbot.wait(400)
    assert not window.idle_overlay.isVisible()  # stretched: 3 s
    kiosk.audio.set_active(False)  # the wait under way counts against 300 ms again
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=1000)
