"""Open the kiosk on a chosen screen, for screenshots and design review.

    python scripts/preview.py SCREEN [--text-scale F]

SCREEN: home, home-read, home-scrolled, page:N, request, request:1..4 (a step
of the form, filled in so far), request-typing, keyboard-accents,
request-errors, request-empty (Continue on an empty step 1, scrolled to its
end), request-badphone (Continue with a bad number), request-failed,
request-leave, thanks, thanks-email (--email for a long address), crisis,
crisis-alert, crisis-told, crisis-unreached (an enrolled kiosk's card: its button,
then each answer), idle or notice; keypad-help (the keypad's help card),
keypad-walk (the form's keyboard with the keypad on a key), privacy (the privacy
screen over the form, in audio mode); staff screens (staff-pin, staff-panel, ...: see
scripts/preview_staff.py).

Runs like ``kiosk run`` (fullscreen, kiosk mode) with a throwaway data folder.
With ``--save OUT.png`` it saves a picture of the window and quits
(scripts/screens.py makes docs/screens/ that way).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.config import Config
from kiosk.content import load_library
from kiosk.paths import Paths
from kiosk.ui.i18n import strings
from kiosk.ui.theme import style_sheet
from kiosk.ui.window import KioskWindow


class _Answers:
    """The office link as crisis help sees it: offered, answering at once."""

    timeout_s = 20.0

    def __init__(self, acknowledged: bool) -> None:
        self.acknowledged = acknowledged

    def available(self) -> bool:
        return True

    def start(self, done: Callable[[bool], None]) -> None:
        done(self.acknowledged)

    def cancel(self) -> None:
        """Nothing to stop."""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("screen", nargs="?", default="home")
    parser.add_argument("--text-scale", type=float, default=1.0)
    parser.add_argument("--content", type=Path, default=None)
    parser.add_argument("--clinic", default="Riverside Mental Health Clinic")
    parser.add_argument("--branded", action="store_true", help="hours, website (QR), a logo")
    parser.add_argument("--size", default="default", help="default, large or largest")
    parser.add_argument("--contrast", default="standard", help="standard or high")
    parser.add_argument("--language", default="en", help="en or es")
    parser.add_argument("--email", default="ana.lopez@example.com", help="the address typed")
    parser.add_argument("--listen", action="store_true", help="read the page aloud (mock engine)")
    parser.add_argument(
        "--no-engine", action="store_true", help="no speech engine answered: Listen's place goes"
    )
    parser.add_argument(
        "--save", type=Path, default=None, help="save a picture of the window there and quit"
    )
    args = parser.parse_args()
    paths = Paths.resolve(Path(tempfile.mkdtemp()), args.content)
    config = replace(
        Config(), clinic_name=args.clinic, clinic_phone="(555) 010-0199", text_scale=args.text_scale
    )
    logo = None
    if args.branded:
        config = replace(
            config,
            clinic_hours="Mon-Fri 8am-5pm, Sat 9am-noon",
            clinic_website="riverside-clinic.example/ketamine",
        )
    app = QApplication(sys.argv[:1])
    if args.branded:
        from PySide6.QtGui import QColor, QPainter, QPixmap

        pixmap = QPixmap(160, 160)
        pixmap.fill(QColor("#ffffff"))
        painter = QPainter(pixmap)
        painter.setBrush(QColor("#b4442c"))
        painter.drawEllipse(20, 20, 120, 120)
        painter.end()
        logo = paths.data_dir / "logo.png"
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        pixmap.save(str(logo))
    app.setStyleSheet(style_sheet(config))
    from kiosk.enquiries.keys import KdfParams, KeyRing
    from kiosk.enquiries.store import EnquiryStore

    paths.ensure()
    ring, _code = KeyRing.create(
        paths.keys_file, paths.recovery_file, kdf=KdfParams.fast_for_tests()
    )
    store = EnquiryStore(paths.store_file, ring.sealer())
    window = KioskWindow(config, load_library(paths.content_dir), store=store, logo=logo)
    window.start()
    window.finish_building()  # as app.build does after the first paint (home's QR code)
    window.set_language(args.language)
    window.set_text_size(args.size)
    window.set_contrast(args.contrast)
    form = window.request
    if args.listen:
        from kiosk.ui.patient.speech import Reader

        window.page.read_aloud.set_reader(Reader.create("mock", parent=window))

    def fill_good_form(method: str = "text") -> None:
        window.show_request(window.library.topics[0].topic_id)
        form.name_edit.setText("Ana López")
        form.methods.set_value(method)
        form.phone_edit.setText("8015550100")
        form.email_edit.setText(args.email)
        form.message_edit.setPlainText("Can I bring my husband to the first appointment?")
        form.consent.setChecked(True)

    def go() -> None:
        screen = args.screen
        if screen.startswith("page:"):
            topic = window.library.topics[0]
            window.show_page(topic.pages[int(screen.split(":")[1]) - 1].key)
            if args.listen:
                window.page.read_aloud.read()
        elif screen == "request":
            window.show_request()
        elif screen.startswith("request:"):
            fill_good_form()
            form.go_to(int(screen.split(":")[1]) - 1)
        elif screen == "request-typing":
            window.show_request(window.library.topics[0].topic_id)
            form.name_edit.setText("Ana López")
            form.methods.set_value("text")
            form.go_to(1)
            form.phone_edit.setFocus()
            form.phone_edit.setText("(801) 555-01")
        elif screen == "keyboard-accents":
            window.show_request()
            form.name_edit.setFocus()
            form.name_edit.setText("Ana L")
            if form.keyboard is not None:
                form.keyboard.key("áé").click()
        elif screen == "request-errors":
            window.show_request()
            form.methods.set_value("email")
            form.email_edit.setText("ana@example")
            form.send()
        elif screen == "request-empty":
            window.show_request()
            bar = form.scroll_area.verticalScrollBar()
            bar.setValue(bar.maximum())
            form.next_step()
        elif screen == "request-badphone":
            window.show_request()
            form.name_edit.setText("Ana López")
            form.next_step()
            form.methods.set_value("text")
            form.phone_edit.setText("12")
            form.next_step()
        elif screen == "request-failed":
            fill_good_form()
            form.go_to(3)
            store.close()  # the next save fails as with a broken disk
            form.send()
            form.scroll_area.verticalScrollBar().setValue(10_000)
        elif screen == "request-leave":
            window.show_request()
            form.name_edit.setText("Ana López")
            form.leave()
        elif screen in ("thanks", "thanks-email"):
            fill_good_form("email" if screen == "thanks-email" else "text")
            form.send()
        elif screen == "home-read":  # two pages read, then home: ticks and "Continue"
            for page in window.library.topics[0].pages[1:3]:
                window.show_page(page.key)
            window.show_home()
        elif screen == "home-scrolled":  # home scrolled halfway: both fades
            bar = window.home.scroll_area.verticalScrollBar()
            bar.setValue(bar.maximum() // 2)
        elif screen == "crisis":
            window.show_crisis()
        elif screen.startswith("crisis-"):
            window.crisis.set_alerter(_Answers(screen == "crisis-told"))
            window.show_crisis()
            if screen != "crisis-alert":
                window.crisis.get_staff()
        elif screen == "display":
            window.show_display()
        elif screen == "idle":
            window.show_page(window.library.topics[0].pages[2].key)
            window.on_idle_warning(12)
        elif screen == "notice":
            window.show_notice(strings.APOLOGY)
        elif screen in ("keypad-help", "keypad-walk", "privacy"):
            keypad_screen(screen)
        elif screen.startswith("staff"):
            import preview_staff  # the PIN pad and the staff panel (scripts/preview_staff.py)

            kept.append(preview_staff.show(screen, window, paths, ring, _code))

    kept: list[object] = []

    def keypad_screen(screen: str) -> None:
        """The tactile keypad's screens, with audio mode on (silent: no engine)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeyEvent

        from kiosk.ui.patient.audio import AudioMode
        from kiosk.ui.patient.keypad import install

        audio = AudioMode(window)
        audio.set_active(True)
        keypad = install(window, audio).keypad
        kept.append(keypad)
        if screen == "keypad-help":
            keypad.show_help()
            return
        window.show_request()
        form.name_edit.setFocus()
        form.name_edit.setText("Ana L")
        if screen == "privacy":
            keypad.toggle_privacy()
            return
        pad = Qt.KeyboardModifier.KeypadModifier
        for key in (Qt.Key.Key_2, Qt.Key.Key_2, Qt.Key.Key_6, Qt.Key.Key_6):  # onto "d"
            event = QKeyEvent(QKeyEvent.Type.KeyPress, key, pad)
            QApplication.sendEvent(form.name_edit, event)
            QApplication.sendEvent(form.name_edit, QKeyEvent(QKeyEvent.Type.KeyRelease, key, pad))

    def save() -> None:
        assert args.save is not None
        app.processEvents()
        if not window.grab().save(str(args.save)):
            print(f"could not save {args.save}", file=sys.stderr)
            app.exit(1)
            return
        app.exit(0)  # (quit() asks the window, which refuses to close in kiosk mode)

    QTimer.singleShot(300, go)
    if args.no_engine and not args.listen:
        # As in the kiosk: the speech thread's "none" comes while a screen shows.
        QTimer.singleShot(600, lambda: window.page.speech_found(None))
    if args.save is not None:
        # Long enough for the deferred building and any fade-in to settle.
        QTimer.singleShot(1500, save)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
