"""The tactile keypad on the real window: the number pad moves and chooses through
keyboard navigation, the help key, the speech keys, the on-screen keyboard walked
key by key, hardware keys typing, and the privacy screen."""

from __future__ import annotations

import operator
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.exceptions import TimeoutError as WaitTimeout
from pytestqt.qtbot import QtBot

from kiosk.content import Library
from kiosk.enquiries.store import EnquiryStore
from kiosk.ui import i18n
from kiosk.ui.i18n import strings
from kiosk.ui.patient.keyboard import Key, spoken_character
from kiosk.ui.patient.keypad import KEYPAD_CURSOR, Command, Keypad, command_for
from tests.conftest import MakeWindow
from tests.ui.patient.keypad_support import PAD, RecordingVoice, keypad_on, mock_audio, press

_K = Qt.Key


def _focus_by_pad(window: QWidget, label: str, limit: int = 40, key: Qt.Key = _K.Key_2) -> None:
    """Keypad 2 (down), or ``key``, until ``label`` has the focus."""
    for _ in range(limit):
        focused = window.focusWidget()
        if focused is not None and focused.accessibleName() == label:
            return
        press(window, key, PAD)
    raise AssertionError(f"{label!r} never took the focus; last: {window.focusWidget()}")


def test_number_pad_keys_and_num_lock_off_keys_mean_the_same() -> None:
    """8/2/4/6/5 and what the same keys send with Num Lock off; digits of the
    main row are not commands (they type)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    def command(key: Qt.Key, modifier: Qt.KeyboardModifier = PAD) -> Command | None:
        return command_for(QKeyEvent(QEvent.Type.KeyPress, key, modifier))

    pairs = [(_K.Key_8, _K.Key_Up), (_K.Key_2, _K.Key_Down), (_K.Key_4, _K.Key_Left)]
    pairs += [(_K.Key_6, _K.Key_Right), (_K.Key_5, _K.Key_Clear), (_K.Key_0, _K.Key_Insert)]
    pairs += [(_K.Key_7, _K.Key_Home), (_K.Key_9, _K.Key_PageUp), (_K.Key_Period, _K.Key_Delete)]
    for digit, other in pairs:
        assert command(digit) is command(other) is not None, digit
    assert command(_K.Key_8, Qt.KeyboardModifier.NoModifier) is None
    assert command(_K.Key_Slash, Qt.KeyboardModifier.NoModifier) is None
    assert command(_K.Key_F1, Qt.KeyboardModifier.NoModifier) is Command.HELP
    assert command(_K.Key_F1, Qt.KeyboardModifier.ControlModifier) is None


def test_the_number_pad_walks_the_same_way_as_the_arrows(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """Keypad 8 retraces the arrow keys' steps and keypad 2 and 6 take them again:
    the very controls keyboard navigation moves through."""
    window = make_window()
    with keypad_on(window, RecordingVoice()):
        by_arrows: list[QWidget | None] = []
        for _ in range(4):
            press(window, _K.Key_Down)
            by_arrows.append(window.focusWidget())
        assert len(set(by_arrows)) == 4
        back: list[QWidget | None] = []
        for key in (_K.Key_8, _K.Key_Up, _K.Key_4):  # Num Lock on, off; left is back too
            press(window, key, PAD)
            back.append(window.focusWidget())
        assert back == by_arrows[-2::-1]
        forward: list[QWidget | None] = []
        for key in (_K.Key_2, _K.Key_6, _K.Key_Right):
            press(window, key, PAD)
            forward.append(window.focusWidget())
        assert forward == by_arrows[1:]
        window.reset()


def test_the_number_pad_opens_a_page_and_the_crisis_card(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library
) -> None:
    """5 chooses what has the focus: a tile opens its page; on the page, "Need
    help now?" opens crisis help with the focus inside it; 5 on Close shuts it."""
    window = make_window()
    first = shipped_library.topics[0].pages[0]
    with keypad_on(window, RecordingVoice()):
        _focus_by_pad(window, first.title)
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(lambda: window.current_screen == f"page:{first.key}", timeout=2000)
        # In a page's text 8 and 2 scroll it, as the arrows do; 6 moves on.
        _focus_by_pad(window, strings.NEED_HELP, key=_K.Key_6)
        press(window, _K.Key_Clear, PAD)  # the 5 with Num Lock off
        qtbot.waitUntil(window.crisis.isVisible, timeout=2000)
        press(window, _K.Key_2, PAD)
        assert window.crisis.isAncestorOf(window.focusWidget())
        _focus_by_pad(window, strings.CLOSE)
        press(window, _K.Key_Enter, PAD)
        qtbot.waitUntil(lambda: not window.crisis.isVisible(), timeout=2000)
        window.reset()


def test_the_help_key_speaks_and_shows_the_keys_and_any_key_closes_it(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    voice = RecordingVoice()
    with keypad_on(window, voice) as (keypad, _explorer):
        for key, modifier in (
            (_K.Key_Asterisk, PAD),
            (_K.Key_F1, Qt.KeyboardModifier.NoModifier),
            (_K.Key_Help, Qt.KeyboardModifier.NoModifier),
        ):
            voice.said.clear()
            press(window, key, modifier)
            card = keypad.help_card
            assert card.isVisible()
            assert voice.said == [f"{strings.KEYPAD_HELP_TITLE}. {strings.KEYPAD_HELP}"]
            assert card.close_button.accessibleName() == card.close_button.text() == "Close"
            focused = window.focusWidget()
            press(window, _K.Key_2, PAD)  # closes the card, and does nothing more
            assert not card.isVisible()
            assert window.focusWidget() is focused
        press(window, _K.Key_F1)
        voice.active = False  # (in audio mode a tap only speaks: test_explore.py)
        QTest.mouseClick(keypad.help_card.close_button, Qt.MouseButton.LeftButton)
        assert not keypad.help_card.isVisible()  # a finger closes it too
        window.reset()


def test_the_speech_keys_call_the_voice_and_any_other_key_interrupts(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    voice = RecordingVoice()
    with keypad_on(window, voice):
        keys = [
            (_K.Key_0, PAD, "repeat"),
            (_K.Key_7, PAD, "slower"),
            (_K.Key_9, PAD, "faster"),
            (_K.Key_Minus, PAD, "quieter"),
            (_K.Key_Plus, PAD, "louder"),
            (_K.Key_VolumeUp, Qt.KeyboardModifier.NoModifier, "louder"),
            (_K.Key_VolumeDown, Qt.KeyboardModifier.NoModifier, "quieter"),
        ]
        for key, modifier, call in keys:
            voice.calls.clear()
            press(window, key, modifier)
            # Rate and volume change how what is being said sounds, not whether.
            expected = (
                [call] if call in ("slower", "faster", "quieter", "louder") else ["stop", call]
            )
            assert voice.calls == expected, key
        voice.calls.clear()
        press(window, _K.Key_Period, PAD)  # stop speaking, and nothing else
        assert voice.calls == ["stop"]
        voice.calls.clear()
        press(window, _K.Key_A)  # any key at all
        assert voice.calls[:1] == ["stop"] and set(voice.calls) == {"stop"}
        window.reset()


def _walk_to(window: QWidget, keypad: Keypad, label: str) -> None:
    """From wherever the keypad is on the keyboard, to the key labelled ``label``
    (the rows of a QWERTY keyboard: down, then right along the row)."""
    _off_the_keys(window, keypad)
    press(window, _K.Key_2, PAD)  # from the box onto the keyboard
    for _ in range(4):
        for _ in range(12):
            if _keypad_key(window).label_text().lower() == label.lower():
                return
            press(window, _K.Key_6, PAD)
        press(window, _K.Key_2, PAD)
        for _ in range(12):
            press(window, _K.Key_4, PAD)
    raise AssertionError(f"no key {label!r}")


def _off_the_keys(window: QWidget, keypad: Keypad) -> None:
    """Keypad 8 until the keypad is back in the box."""
    for _ in range(6):
        if keypad.walk.key is None:
            return
        press(window, _K.Key_8, PAD)
    raise AssertionError("the keypad never left the keys")


def _keypad_key(window: QWidget) -> Key:
    marked = [k for k in window.findChildren(Key) if k.isVisible() and k.property(KEYPAD_CURSOR)]
    assert len(marked) == 1, marked
    return marked[0]


def test_the_on_screen_keyboard_types_a_name_by_keypad(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """Down from the name box goes onto the keys; the moves go from key to key,
    each spoken; 5 types the key (the box keeps the focus); Up from the top row
    goes back to the box."""
    window = make_window(lockdown=True)
    voice = RecordingVoice()
    with keypad_on(window, voice) as (keypad, _explorer):
        window.show_request()
        form = window.request
        form.name_edit.setFocus()
        assert form.keyboard is not None and form.keyboard.isVisible()
        press(window, _K.Key_2, PAD)
        assert _keypad_key(window).label_text() == "Q"  # a name starts with a capital
        assert voice.said[-1] == "Q"
        press(window, _K.Key_6, PAD)
        assert voice.said[-1] == "W"
        press(window, _K.Key_2, PAD)  # the row below, the key nearest below W
        assert _keypad_key(window).label_text() in ("A", "S")
        for letter, said in (("A", "capital A"), ("l", "l")):
            _walk_to(window, keypad, letter)
            press(window, _K.Key_5, PAD)
            assert voice.said[-1] == said
        assert form.name_edit.text() == "Al"
        assert form.name_edit.hasFocus()
        _off_the_keys(window, keypad)
        assert not any(k.property(KEYPAD_CURSOR) for k in window.findChildren(Key))
        assert voice.said[-1] == form.name_edit.accessibleName()
        window.reset()


def test_symbol_keys_and_capitals_are_said_by_name(make_window: MakeWindow, qtbot: QtBot) -> None:
    """A speech engine says nothing for "." and may say "minus" for "-": on the
    e-mail keyboard the keys are said by name as the keypad lands on them and as
    they type ("at sign", "dot"), capitals as "capital A", in Spanish too; the
    keys' accessible names stay their labels."""
    window = make_window(lockdown=True)
    audio, spoken = mock_audio(window)
    audio.set_active(True)
    with keypad_on(window, audio) as (keypad, _explorer):
        window.show_request()
        form = window.request
        form.go_to(1)
        qtbot.mouseClick(form.methods.button_for("email"), Qt.MouseButton.LeftButton)
        form.email_edit.setFocus()
        keyboard = form.keyboard
        assert keyboard is not None and keyboard.isVisible()
        keys = {k.label_text(): k for k in keyboard.findChildren(Key) if k.isVisible()}
        assert keys["@"].accessibleName() == "@"
        assert audio.describe(keys["@"]) == f"at sign, {strings.ROLE_BUTTON}"
        assert audio.describe(keys["a"]) == f"a, {strings.ROLE_BUTTON}"
        done = strings.KEY_DONE
        assert audio.describe(keys[done]) == f"{done}, {strings.ROLE_BUTTON}"
        for label, name in (("@", "at sign"), (".", "dot"), ("-", "dash")):
            _walk_to(window, keypad, label)
            spoken.clear()
            press(window, _K.Key_5, PAD)
            qtbot.waitUntil(partial(operator.contains, spoken, name), timeout=5000)
        assert form.email_edit.text() == "@.-"
        window.reset()
    assert spoken_character("A") == "capital A" and spoken_character("é") == "é"
    i18n.use("es")
    try:
        assert spoken_character("@") == "arroba"
        assert spoken_character("Á") == "Á mayúscula"
    finally:
        i18n.use(i18n.DEFAULT)


def test_hardware_keys_type_straight_into_the_box(make_window: MakeWindow, qtbot: QtBot) -> None:
    """With the lockdown, keyboard navigation and the keypad all listening, a
    keyboard's letters and main-row digits type; the number pad's 4 and 6 move
    the cursor, Up and Down go out of the box."""
    window = make_window(lockdown=True)
    with keypad_on(window, RecordingVoice()):
        window.show_request()
        form = window.request
        form.name_edit.setFocus()
        QTest.keyClicks(form.name_edit, "Ana Lopez 12")
        assert form.name_edit.text() == "Ana Lopez 12"
        press(window, _K.Key_4, PAD)
        assert form.name_edit.cursorPosition() == len("Ana Lopez 1")
        press(window, _K.Key_8, PAD)  # out of a one-line box, back the way Tab came
        assert not form.name_edit.hasFocus()
        window.reset()


def test_the_privacy_screen_covers_the_window_while_the_keys_work_under_it(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window((800, 1280))
    voice = RecordingVoice()
    with keypad_on(window, voice) as (keypad, _explorer):
        window.show_request()
        form = window.request
        form.name_edit.setFocus()
        press(window, _K.Key_Slash, PAD)
        privacy = keypad.privacy
        assert privacy.isVisible() and privacy.geometry() == window.rect()
        assert voice.said[-1] == strings.PRIVACY_SCREEN_ON
        assert privacy not in window.open_overlays()
        # On top of everything, and staying there when a card opens.
        window.show_crisis()
        stacked = [w for w in window.children() if isinstance(w, QWidget) and w.isVisible()]
        assert stacked[-1] is privacy
        window.crisis.hide()
        # The form still takes the keys; a finger goes through it.
        form.name_edit.setFocus()
        QTest.keyClicks(window.focusWidget(), "Ana")
        assert form.name_edit.text() == "Ana"
        assert window.childAt(window.rect().center()) is not privacy
        # The idle reset brings the screen back.
        window.reset()
        assert not privacy.isVisible()
        # The key again does, too.
        press(window, _K.Key_Slash, PAD)
        assert privacy.isVisible()
        press(window, _K.Key_Slash, PAD)
        assert not privacy.isVisible() and voice.said[-1] == strings.PRIVACY_SCREEN_OFF
        # A staff screen raised over it ends it.
        press(window, _K.Key_Slash, PAD)
        staff = QWidget(window)
        staff.show()
        staff.raise_()
        assert not privacy.isVisible()
        staff.deleteLater()
        window.reset()


def test_no_privacy_screen_without_audio_mode(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    voice = RecordingVoice(active=False)
    with keypad_on(window, voice) as (keypad, _explorer):
        press(window, _K.Key_Slash, PAD)
        assert not keypad.privacy.isVisible()
        QApplication.processEvents()
        window.reset()


# -- the walk with the real audio mode and Qt's mock speech engine ---------------------


def test_a_keypad_walk_from_home_to_the_thank_you_heard_all_the_way(
    make_window: MakeWindow, qtbot: QtBot, shipped_library: Library, store: EnquiryStore
) -> None:
    """Audio mode on (the welcome), then by the number pad alone: a tile, its page
    read, crisis help read and closed, "Request information", a name typed on the
    on-screen keyboard key by key, the other steps, Send, the thank-you: what is
    said checked at each step."""
    window = make_window(store=store, lockdown=True)
    audio, spoken = mock_audio(window)

    def heard(*words: str) -> None:
        """Each of ``words`` in one thing said since the last check (a page is read
        once its text is laid out on a worker: a loaded machine takes seconds)."""
        try:
            qtbot.waitUntil(
                lambda: any(all(w in said for w in words) for said in spoken), timeout=10_000
            )
        except WaitTimeout:
            raise AssertionError(f"never heard {words}; heard {spoken}") from None
        spoken.clear()

    audio.set_active(True)
    heard(strings.AUDIO_WELCOME)
    first = shipped_library.topics[0].pages[0]
    with keypad_on(window, audio) as (keypad, _explorer):
        _focus_by_pad(window, first.title)
        heard(first.title, strings.ROLE_BUTTON)
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(lambda: window.current_screen == f"page:{first.key}", timeout=2000)
        heard(first.title)  # the page read aloud, its title first
        press(window, _K.Key_0, PAD)  # again
        heard(first.title)
        _focus_by_pad(window, strings.NEED_HELP, key=_K.Key_6)
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(window.crisis.isVisible, timeout=2000)
        heard(strings.CRISIS_TITLE, "988", strings.CRISIS_EMERGENCY)
        _focus_by_pad(window, strings.CLOSE)  # (opened from the keys: the focus in it)
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(lambda: not window.crisis.isVisible(), timeout=2000)
        _focus_by_pad(window, strings.REQUEST_INFO, key=_K.Key_4)
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(lambda: window.current_screen == "request", timeout=2000)
        heard(strings.STEP_OF.format(index=1, count=4))
        form = window.request
        _focus_by_pad(window, strings.FIELD_NAME)
        heard(strings.FIELD_NAME, strings.ROLE_TEXT_BOX)
        for letter in "Al":
            _walk_to(window, keypad, letter)
            press(window, _K.Key_5, PAD)
            heard(letter)
        assert form.name_edit.text() == "Al"
        _off_the_keys(window, keypad)
        heard(strings.FIELD_NAME, "Al")
        press(window, _K.Key_5, PAD)  # Enter in the step's last box: Continue
        qtbot.waitUntil(lambda: form.step == 1, timeout=2000)
        heard(strings.STEP_OF.format(index=2, count=4))
        _focus_by_pad(window, "Text")
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(lambda: form.methods.value() == "text", timeout=2000)
        _focus_by_pad(window, strings.FIELD_PHONE)
        QTest.keyClicks(window.focusWidget(), "8015550100")  # the main row types
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(lambda: form.step == 2, timeout=2000)
        heard(strings.STEP_OF.format(index=3, count=4))
        # In the message box 4 and 6 move its cursor: its keyboard's Next goes on.
        _focus_by_pad(window, form.message_edit.accessibleName(), key=_K.Key_6)
        _walk_to(window, keypad, strings.KEY_NEXT)
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(lambda: form.step == 3, timeout=2000)
        heard(strings.STEP_OF.format(index=4, count=4))
        _focus_by_pad(window, strings.CONSENT)
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(form.consent.isChecked, timeout=2000)
        _focus_by_pad(window, strings.SEND)
        press(window, _K.Key_5, PAD)
        qtbot.waitUntil(lambda: form.views.currentWidget() is form.thanks_view, timeout=3000)
        heard(strings.THANK_YOU_TITLE)
        assert store.count() == 1
        window.reset()


def test_a_key_the_keypad_takes_still_restarts_the_idle_clock(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """The keypad sees a key before the idle clock does, and takes some (help,
    the speech keys): the clock is told of those itself."""
    window = make_window()
    with keypad_on(window, RecordingVoice()):
        for key in (_K.Key_Asterisk, _K.Key_Minus, _K.Key_8):  # help; then any key closes it
            window.idle.sleep()
            assert not window.idle.armed
            press(window, key, PAD)
            assert window.idle.armed, key
        window.reset()


def test_the_pages_listen_pause_and_resume_by_keypad_do_what_they_say(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    """Found in review: choosing Pause stopped the reading (the key's "interrupt"
    came first, then the buttons' swap was taken for the patient's move), and
    Listen stopped after a word; 7/9 and -/+ stopped the reading too."""
    from kiosk.ui.patient.speech import SpeechState

    window = make_window()
    audio, _said = mock_audio(window)
    audio.set_active(True)
    controls = window.page.read_aloud.controls

    def reading() -> SpeechState:
        return window.page.read_aloud.state

    with keypad_on(window, audio):
        window.show_page(window.library.topics[0].pages[1].key)
        qtbot.waitUntil(lambda: reading() == SpeechState.SPEAKING, timeout=10_000)
        press(window, _K.Key_Period, PAD)  # stop
        qtbot.waitUntil(lambda: reading() == SpeechState.IDLE, timeout=5000)
        controls.listen_button.setFocus()
        qtbot.waitUntil(controls.listen_button.hasFocus, timeout=2000)
        press(window, _K.Key_5, PAD)  # Listen
        qtbot.waitUntil(controls.pause_button.hasFocus, timeout=5000)
        qtbot.wait(300)  # a word or two: still reading
        assert reading() == SpeechState.SPEAKING
        for key in (_K.Key_7, _K.Key_9, _K.Key_Minus, _K.Key_Plus):  # rate and volume
            press(window, key, PAD)
            assert reading() == SpeechState.SPEAKING, key
        press(window, _K.Key_5, PAD)  # Pause
        qtbot.waitUntil(lambda: reading() == SpeechState.PAUSED, timeout=5000)
        qtbot.wait(100)
        assert reading() == SpeechState.PAUSED and controls.resume_button.hasFocus()
        press(window, _K.Key_5, PAD)  # Resume
        qtbot.waitUntil(lambda: reading() == SpeechState.SPEAKING, timeout=5000)
        qtbot.wait(100)
        assert reading() == SpeechState.SPEAKING and controls.pause_button.hasFocus()
        window.reset()


def test_send_from_the_keys_keeps_the_focus_on_the_form(
    make_window: MakeWindow, qtbot: QtBot, store: EnquiryStore
) -> None:
    """Found in review: Send turns itself off while it works, and Qt moved the focus
    on, to the bar's "Need help now?": the next 5 (Send again, the patient
    thought) opened crisis help. The focus comes back to Send after a mistake,
    and goes to Done on the thank-you."""
    from tests.ui.patient.test_request import fill_by_taps, open_form

    window = make_window(store=store)
    form = open_form(qtbot, window)
    fill_by_taps(qtbot, form, name="Al")
    form.consent.setChecked(False)  # a mistake to fix
    with keypad_on(window, RecordingVoice()):
        form.send_button.setFocus()
        press(window, _K.Key_5, PAD)
        assert form.views.currentWidget() is form.form_view and store.count() == 0
        assert window.focusWidget() is form.send_button
        press(window, _K.Key_5, PAD)  # again: still the form, never crisis help
        assert not window.crisis.isVisible()
        form.consent.setChecked(True)
        form.send_button.setFocus()
        qtbot.wait(600)  # a person's pace: not a bounce of the last press
        press(window, _K.Key_5, PAD)
        assert form.views.currentWidget() is form.thanks_view and store.count() == 1
        assert window.focusWidget() is form.done_button
        window.reset()


def test_continue_and_back_from_the_keys_put_the_focus_on_the_new_step(
    make_window: MakeWindow, qtbot: QtBot, store: EnquiryStore
) -> None:
    """Found in review: Continue and Back hid the step holding the focus, so
    it was lost and the next key began again at the top bar. From the keys, the
    new step's first control has it; a tap leaves no focus ring."""
    from tests.ui.patient.test_request import open_form

    window = make_window(store=store)
    form = open_form(qtbot, window)
    form.name_edit.setText("Al")
    form.close_keyboard()
    for button, step in ((form.continue_button, 1), (form.back_button, 0)):
        button.setFocus()
        qtbot.waitUntil(button.hasFocus, timeout=2000)
        QTest.keyClick(button, _K.Key_Space)
        assert form.step == step
        focused = window.focusWidget()
        assert focused is not None and form.panels[step].isAncestorOf(focused), focused
    form.close_keyboard()
    form.continue_button.click()  # a tap: no focus given
    assert form.step == 1
    focused = window.focusWidget()
    assert focused is None or not form.panels[1].isAncestorOf(focused)
    window.reset()


def test_leave_this_form_from_the_keys_takes_the_focus(
    make_window: MakeWindow, qtbot: QtBot, store: EnquiryStore
) -> None:
    """Found in review: "Leave this form?" opened from the keys had no focus, so
    its two choices were not reached by the next key. From the keys it takes
    the focus; from a tap it does not (no focus ring for the next patient)."""
    from tests.ui.patient.test_request import open_form

    window = make_window(store=store)
    form = open_form(qtbot, window)
    form.name_edit.setText("Al")
    form.close_keyboard()
    form.home_button.setFocus()
    qtbot.waitUntil(form.home_button.hasFocus, timeout=2000)
    QTest.keyClick(form.home_button, _K.Key_Space)
    card = form.leave_overlay
    qtbot.waitUntil(card.isVisible, timeout=2000)
    focused = window.focusWidget()
    assert focused is not None and card.isAncestorOf(focused), focused
    card.hide()
    window.setFocus()
    form.home_button.click()  # a tap
    qtbot.waitUntil(card.isVisible, timeout=2000)
    focused = window.focusWidget()
    assert focused is None or not card.isAncestorOf(focused)
    window.reset()
