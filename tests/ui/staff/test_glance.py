"""The panel at a glance (issue 13): rows with the name, the phone as the clinic
writes it, how and when, the topic, a badge and Mark contacted; filters; the
log in plain words with the raw entry a tap away; the chart's scale; staff
added and removed from the panel; a PIN pad that lists no names."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.staff.accounts import WrongPin
from kiosk.staff.audit import AuditEntry
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.i18n import strings
from kiosk.ui.staff.tabs.enquiries import phone_for_staff
from kiosk.ui.staff.tabs.kiosk import KioskTab
from kiosk.ui.staff.tabs.log import LogTab, in_words
from kiosk.ui.staff.tabs.staff import StaffTab
from kiosk.ui.staff.tabs.summary import BarChart, scale
from kiosk.ui.widgets import BREAK, plain_text
from tests.ui.helpers import find_button, tap, visible_buttons
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv
from tests.ui.staff.test_panel import all_texts, flush, open_panel, tab

NEW_PIN = "135792"


def test_a_row_says_who_how_and_when(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    enquiry = staff_env.save(
        "Maria Soto",
        phone="+18015550111",
        method="text",
        best_time="evening",
        topic="ketamine-and-depression",
    )
    _window, mode = make_staff()
    row = open_panel(mode, staff_env).enquiries.list.rows[0]
    assert row.name.text() == "Maria Soto"
    assert row.name.font().bold()
    assert row.badge.text() == "New" and row.badge.property("status") == "new"
    assert plain_text(row.contact.text()) == "(801) 555-0111 · Text message, evening"
    # Its reference first: the number "Enquiry 4 marked as contacted." names.
    assert plain_text(row.topic.text()).startswith(
        f"Enquiry {enquiry} · Ketamine and depression · received "
    )
    assert row.contacted_button.isVisible()


@pytest.mark.parametrize(
    ("stored", "region", "shown"),
    [
        ("+18015550111", "US", "(801) 555-0111"),
        ("+442079460958", "GB", "020 7946 0958"),
        ("+442079460958", "US", "+44 20 7946 0958"),  # another country's: international
        ("not a number", "US", "not a number"),
        ("", "US", ""),
    ],
)
def test_phone_numbers_as_the_clinic_writes_them(stored: str, region: str, shown: str) -> None:
    assert phone_for_staff(stored, region) == shown


def test_mark_contacted_on_the_row(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Mark contacted on the row: the status changes (logged), the row's badge and
    the counts follow, and the button goes."""
    enquiry = staff_env.save("Call Me")
    _window, mode = make_staff()
    listing = open_panel(mode, staff_env).enquiries.list
    tap(qtbot, listing.rows[0].contacted_button)
    stored = staff_env.store.get(enquiry)
    assert stored is not None and stored.status == "contacted"
    assert ("Ana", "contacted", {"enquiry": enquiry}) in staff_env.actions()
    QApplication.processEvents()
    row = listing.rows[0]
    assert row.badge.text() == "Contacted" and not row.contacted_button.isVisible()
    assert listing.count_contacted.text() == "Contacted: 1"


def test_a_slip_on_mark_contacted_can_be_undone(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """On the "New" filter one tap on Mark contacted took the enquiry out of the
    list for good, a slip included: Undo puts its status back (logged), and it
    is in the list again; a lock or a new filter forgets the Undo."""
    enquiry = staff_env.save("Call Me")
    staff_env.save("Someone Else")
    _window, mode = make_staff()
    listing = open_panel(mode, staff_env).enquiries.list
    tap(qtbot, find_button(listing, "New: 2"))
    QApplication.processEvents()
    row = next(r for r in listing.rows if r.property("enquiry_id") == enquiry)
    # The number the message below names is on the row that was tapped.
    assert plain_text(row.topic.text()).startswith(f"Enquiry {enquiry} · ")
    tap(qtbot, row.contacted_button)
    QApplication.processEvents()
    assert enquiry not in [r.property("enquiry_id") for r in listing.rows]
    assert listing.undo_text.text() == s.MARKED_CONTACTED_ROW.format(id=enquiry)
    tap(qtbot, find_button(listing, s.UNDO))
    stored = staff_env.store.get(enquiry)
    assert stored is not None and stored.status == "new"
    assert ("Ana", "contacted-undone", {"enquiry": enquiry, "status": "new"}) in (
        staff_env.actions()
    )
    assert enquiry in [r.property("enquiry_id") for r in listing.rows]
    assert listing.count_new.text() == "New: 2"
    assert listing.undo_text.text() == s.UNDONE.format(id=enquiry, status="new")
    assert not listing.undo_button.isVisible()  # one undo, for the last tap
    QApplication.processEvents()  # the rows read again show on the next pass
    row = next(r for r in listing.rows if r.property("enquiry_id") == enquiry)
    tap(qtbot, row.contacted_button)
    assert listing.undo_button.isVisible()
    tap(qtbot, find_button(listing, "All: 2"))
    assert not listing.undo_button.isVisible()


def test_the_counts_are_filters(make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot) -> None:
    """Checkable and exclusive: one is chosen (All at first), and the list shows
    only what it names; a filter with nothing in it says so."""
    new = staff_env.save("New One")
    done = staff_env.save("Done One")
    staff_env.store.set_status([done], "contacted")
    _window, mode = make_staff()
    listing = open_panel(mode, staff_env).enquiries.list
    filters = listing.filters
    assert all(choice.isCheckable() for choice in filters.values())
    assert filters["all"].isChecked() and filters["all"].text() == "All: 2"
    assert len(listing.rows) == 2
    tap(qtbot, find_button(listing, "New: 1"))
    assert filters["new"].isChecked() and not filters["all"].isChecked()
    assert [r.property("enquiry_id") for r in listing.rows] == [new]
    tap(qtbot, find_button(listing, "Exported: 0"))
    assert listing.rows == []
    assert listing.note.text() == s.FILTER_EMPTY.format(status="exported")
    tap(qtbot, find_button(listing, "Contacted: 1"))
    assert [r.property("enquiry_id") for r in listing.rows] == [done]
    assert sum(choice.isChecked() for choice in filters.values()) == 1


def _entry(actor: str, action: str, **details: str | int) -> AuditEntry:
    return AuditEntry(1, "2026-12-04T10:00:00+00:00", actor, action, details, "", "")


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (
            _entry("Maria", "sign-in-failed", reason="wrong PIN", failures=1),
            "Maria: wrong PIN (1 of 5)",
        ),
        (
            _entry("Sam", "export", count=8, path="/media/k/KINGSTON/e.csv", drive="KINGSTON"),
            "Sam exported 8 enquiries to USB drive KINGSTON",
        ),
        (
            _entry("Sam", "export", count=1, path="/srv/exports/enquiries-2026-12-04.csv"),
            "Sam exported 1 enquiry to file enquiries-2026-12-04.csv",
        ),
        (_entry("Ana", "sign-in"), "Ana signed in"),
        (_entry("Ana", "view", enquiry=12), "Ana opened enquiry 12"),
        (
            _entry("recovery-code", "staff-add", name="Maria"),
            "The recovery code added Maria as staff",
        ),
        (
            _entry("recovery-code", "sign-in-failed", reason="wrong recovery code", failures=2),
            "The recovery code: wrong recovery code (2 of 5)",
        ),
        (
            _entry("(unknown name)", "sign-in-failed", reason="too soon"),
            "An unknown name: tried again too soon",
        ),
        (_entry("Ana", "something-new", x=1), "Ana · something-new"),
    ],
)
def test_the_log_in_plain_words(entry: AuditEntry, words: str) -> None:
    assert in_words(entry) == words


def test_the_raw_entry_is_one_tap_away(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    mode._audit("Maria", "sign-in-failed", reason="wrong PIN", failures=1)
    log_tab = tab(qtbot, panel, s.TAB_LOG)
    assert isinstance(log_tab, LogTab)
    entry = log_tab.entries[0]
    assert entry.words.text().endswith(" · Maria: wrong PIN (1 of 5)")
    assert not entry.raw.isVisible()
    tap(qtbot, entry.raw_button)
    assert entry.raw.isVisible()
    assert '"reason": "wrong PIN"' in entry.raw.text()
    tap(qtbot, entry.raw_button)
    assert not entry.raw.isVisible()


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0, [0, 1, 2, 3, 4]),
        (1, [0, 1, 2, 3, 4]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (23, [0, 5, 10, 15, 20, 25]),
        (180, [0, 50, 100, 150, 200]),
    ],
)
def test_the_scale_starts_at_zero_in_whole_numbers(largest: int, ticks: list[int]) -> None:
    top, step = scale(largest)
    assert list(range(0, top + 1, step)) == ticks


def test_one_enquiry_is_not_a_full_width_bar(qtbot: QtBot) -> None:
    chart = BarChart("Enquiries per week")
    qtbot.addWidget(chart)
    chart.set_bars([("01 Dec", 1), ("08 Dec", 0)])
    assert chart.ticks() == [0, 1, 2, 3, 4]  # one enquiry is a quarter of the scale


def test_add_a_member_from_the_panel(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Name, then the new member's PIN twice: added (audited as Ana's doing)."""
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    staff = tab(qtbot, panel, s.TAB_STAFF)
    assert isinstance(staff, StaffTab)
    tap(qtbot, find_button(staff, s.STAFF_ADD))
    staff.name.field.setText("Sam Lee")
    tap(qtbot, find_button(staff, strings.KEY_NEXT))  # the keyboard's Next
    assert staff.pin.prompt.text() == s.STAFF_PIN_PROMPT.format(name="Sam Lee")
    for digit in NEW_PIN:
        tap(qtbot, staff.pin.digit_buttons[digit])
    tap(qtbot, staff.pin.ok_button)
    for digit in "135790":  # not the same
        tap(qtbot, staff.pin_again.digit_buttons[digit])
    tap(qtbot, staff.pin_again.ok_button)
    assert staff.pin.typed == 0 and staff._messages[0].text() == s.PINS_DIFFER
    for pad in (staff.pin, staff.pin_again):
        for digit in NEW_PIN:
            tap(qtbot, pad.digit_buttons[digit])
        tap(qtbot, pad.ok_button)
    qtbot.waitUntil(lambda: not staff.worker.busy, timeout=10_000)
    assert staff_env.accounts.names() == ["Ana", "Sam Lee"]
    assert ("Ana", "staff-add", {"name": "Sam Lee"}) in staff_env.actions()
    assert staff.result.text() == s.STAFF_ADDED.format(name="Sam Lee")
    assert set(staff.remove_buttons) == {"Ana", "Sam Lee"}
    assert staff_env.accounts.sign_in("Sam Lee", NEW_PIN).name == "Sam Lee"


def test_a_forgotten_pin_is_renewed_on_the_tablet(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Sam forgot their PIN: with Ana signed in, "New PIN" beside Sam's name
    takes Sam's new PIN twice (no terminal, no recovery code); the old one no
    longer works, and the log says Ana did it."""
    session = staff_env.accounts.sign_in("Ana", PIN)
    staff_env.accounts.add("Sam", NEW_PIN, by=session)
    _window, mode = make_staff()
    staff = tab(qtbot, open_panel(mode, staff_env), s.TAB_STAFF)
    assert isinstance(staff, StaffTab)
    renew = [b for b in visible_buttons(staff) if b.property("member") == "Sam"]
    tap(qtbot, next(b for b in renew if b.text() == s.STAFF_NEW_PIN))
    assert staff.pin.isVisible()
    assert staff.pin.prompt.text() == s.STAFF_PIN_PROMPT.format(name="Sam")
    for pad in (staff.pin, staff.pin_again):
        for digit in "864219":
            tap(qtbot, pad.digit_buttons[digit])
        tap(qtbot, pad.ok_button)
    qtbot.waitUntil(lambda: not staff.worker.busy, timeout=10_000)
    QApplication.processEvents()
    assert staff.result.text() == s.STAFF_PIN_CHANGED.format(name="Sam")
    assert ("Ana", "staff-reset-pin", {"name": "Sam"}) in staff_env.actions()
    assert staff_env.accounts.names() == ["Ana", "Sam"]  # nobody added
    assert staff_env.accounts.sign_in("Sam", "864219").name == "Sam"
    with pytest.raises(WrongPin):
        staff_env.accounts.sign_in("Sam", NEW_PIN)


def test_a_pin_that_breaks_a_rule_is_refused_at_once(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    _window, mode = make_staff()
    staff = tab(qtbot, open_panel(mode, staff_env), s.TAB_STAFF)
    assert isinstance(staff, StaffTab)
    staff.start_adding()
    staff.name.field.setText("Sam")
    staff.next_step()
    for digit in "123456":
        staff.pin.add_digit(digit)
    staff.next_step()
    assert "too easy to guess" in staff._messages[0].text()
    assert staff.currentIndex() == 2 and staff.pin.typed == 0


def test_remove_a_member_asks_first(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    session = staff_env.accounts.sign_in("Ana", PIN)
    staff_env.accounts.add("Sam", NEW_PIN, by=session)
    _window, mode = make_staff()
    staff = tab(qtbot, open_panel(mode, staff_env), s.TAB_STAFF)
    assert isinstance(staff, StaffTab)
    tap(qtbot, staff.remove_buttons["Sam"])
    assert staff.confirm_text.text() == s.STAFF_REMOVE_CONFIRM.format(name="Sam")
    tap(qtbot, find_button(staff, s.STAFF_REMOVE_NO))
    assert staff_env.accounts.names() == ["Ana", "Sam"]
    tap(qtbot, staff.remove_buttons["Sam"])
    tap(qtbot, find_button(staff, s.STAFF_REMOVE_YES))
    QApplication.processEvents()  # the list of members is made again
    assert staff_env.accounts.names() == ["Ana"]
    assert ("Ana", "staff-remove", {"name": "Sam"}) in staff_env.actions()
    # The last one: said why not, and no way to confirm.
    tap(qtbot, staff.remove_buttons["Ana"])
    assert staff.confirm_text.text() == s.STAFF_REMOVE_LAST.format(name="Ana")
    assert not staff.remove_yes.isVisible()


def test_removing_oneself_asks_and_locks(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    session = staff_env.accounts.sign_in("Ana", PIN)
    staff_env.accounts.add("Sam", NEW_PIN, by=session)
    window, mode = make_staff()
    staff = tab(qtbot, open_panel(mode, staff_env), s.TAB_STAFF)
    assert isinstance(staff, StaffTab)
    tap(qtbot, staff.remove_buttons["Ana"])
    assert staff.confirm_text.text() == s.STAFF_REMOVE_SELF
    tap(qtbot, find_button(staff, s.STAFF_REMOVE_YES))
    flush()
    assert staff_env.accounts.names() == ["Sam"]
    assert mode.panel is None and window.current_screen == "home"


def test_a_pad_that_lists_no_names(
    make_staff: MakeStaff, staff_env: StaffEnv, staff_config: Config, qtbot: QtBot
) -> None:
    """[staff] show_names = false: no name anywhere on the pad; the name is typed,
    then the PIN; a name nobody has fails like a wrong PIN."""
    _window, mode = make_staff(cfg=replace(staff_config, staff_show_names=False))
    mode.open_pad()
    pad = mode.pad
    assert pad is not None
    assert pad.name_buttons == []
    assert not any("Ana" in text for text in all_texts())
    assert pad.name_entry is not None
    keyboard = pad.name_entry.keyboard
    for char in "Ana":
        tap(qtbot, keyboard.key(char))
        QApplication.processEvents()
    tap(qtbot, find_button(pad, strings.KEY_NEXT))  # the keyboard's Next
    assert pad.pin_title.text() == s.PIN_TITLE.format(name="Ana")
    for digit in PIN:
        tap(qtbot, pad.digit_buttons[digit])
    tap(qtbot, pad.sign_in_button)
    qtbot.waitUntil(lambda: mode.panel is not None, timeout=10_000)
    assert mode.session is not None and mode.session.name == "Ana"


def test_leave_kiosk_mode_says_what_happens(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """The deploy units now really leave: no "desktop", no "may start again"."""
    _window, mode = make_staff()
    kiosk = tab(qtbot, open_panel(mode, staff_env), s.TAB_KIOSK)
    assert isinstance(kiosk, KioskTab)
    tap(qtbot, find_button(kiosk, s.EXIT))
    assert kiosk.exit_text.text() == (
        "Leave kiosk mode? The kiosk closes and the sign-in screen shows. "
        "It starts again when the machine restarts."
    )


def _cut(label: QLabel) -> list[str]:
    """The pieces of a wrapped label's text wider than the label: what it
    cannot break, and so cuts at its edge."""
    metrics = label.fontMetrics()
    room = label.contentsRect().width()
    pieces = label.text().replace(BREAK, " ").split()
    return [piece for piece in pieces if metrics.horizontalAdvance(piece) > room]


LONG_EMAIL = "jonathan.christopherson.williams@gmail.com"
LONG_WORD = "Pleasecallmebackaftersixbecauseiamatworkallday" * 2


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_a_long_address_or_word_wraps_in_the_list_and_the_enquiry(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """Found by a front-desk review: "jonathan.christopherson.williams@gmail.com"
    showed as "jonathan.christopherson.williams@gma" in the enquiry (portrait)
    and in the list: the panel is the tablet's only place to read it. It wraps
    after its "@" and dots now, as the patient's "Check your answers" does;
    the phone number and the time stay whole."""
    staff_env.save(
        "Jonathan Christopherson-Williams",
        email=LONG_EMAIL,
        method="email",
        message=LONG_WORD,
        topic="ketamine-and-depression",
    )
    _window, mode = make_staff(size)
    panel = open_panel(mode, staff_env)
    row = panel.enquiries.list.rows[0]
    QApplication.processEvents()
    assert _cut(row.contact) == [] and _cut(row.name) == [] and _cut(row.topic) == []
    assert LONG_EMAIL in plain_text(row.contact.text())
    assert LONG_EMAIL in row.accessibleName()  # read whole, without the marks
    tap(qtbot, row.open_button)
    detail = panel.enquiries.detail
    qtbot.waitUntil(lambda: "email" in detail.values, timeout=2000)
    QApplication.processEvents()
    for key in ("name", "email", "message", "phone", "received"):
        assert _cut(detail.values[key]) == [], key
    assert plain_text(detail.values["email"].text()) == LONG_EMAIL
    assert plain_text(detail.values["message"].text()) == LONG_WORD
    assert "\u00a0" in detail.values["phone"].text()  # "(801) 555-0100" never split


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_mark_contacted_moves_nothing_under_the_finger(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """Found by a front-desk review: "Enquiry 5 marked as contacted. / Undo"
    came in above the list and pushed it down about 86 px, so the next tap on
    the same spot, working down the list, opened the next enquiry (and logged
    a view). The notice is under the list: the rows stay where they were, and
    the next row's Mark contacted comes to where the last one was."""
    for n in range(4):
        staff_env.save(f"Person {n}")
    window, mode = make_staff(size)
    listing = open_panel(mode, staff_env).enquiries.list
    tap(qtbot, find_button(listing, "New: 4"))
    qtbot.wait(100)  # the rows laid out, as a person sees them before tapping
    first, second = listing.rows[0], listing.rows[1]
    spot = first.contacted_button.mapToGlobal(first.contacted_button.rect().center())
    area_top = listing.area.mapToGlobal(listing.area.rect().topLeft()).y()
    tap(qtbot, first.contacted_button)
    qtbot.waitUntil(listing.undo_button.isVisible, timeout=2000)
    qtbot.wait(100)
    assert listing.area.mapToGlobal(listing.area.rect().topLeft()).y() == area_top
    notice_top = listing.undo_text.mapToGlobal(listing.undo_text.rect().topLeft()).y()
    assert notice_top >= area_top + listing.area.height()  # under the list
    # Under the finger now: the next row's own Mark contacted, not its Open.
    under = window.childAt(window.mapFromGlobal(spot))
    assert under is second.contacted_button, under


def test_the_staff_lock_warns_before_it_ends_and_a_touch_resumes(qapp: QApplication) -> None:
    """Staff mode's idle lock (``Inactivity``) with a warning: ``warning`` with
    the seconds left when there are ``warn_ms`` to go, ``resumed`` at a touch
    after it, and ``expired`` only after a whole ``timeout_ms`` untouched."""
    from kiosk.ui.staff.common import Inactivity

    now = [100.0]
    lock = Inactivity(10_000, warn_ms=3_000, clock=lambda: now[0])
    said: list[object] = []
    lock.warning.connect(lambda seconds: said.append(seconds))
    lock.resumed.connect(lambda: said.append("resumed"))
    lock.expired.connect(lambda: said.append("expired"))
    lock.start()
    try:
        assert lock._timer.interval() == 7_000  # first to the warning's time
        now[0] += 7.0
        lock.on_timeout()
        assert said == [3] and lock.warned
        now[0] += 1.0
        lock.touch()
        assert said == [3, "resumed"] and not lock.warned
        now[0] += 2.0
        lock.on_timeout()  # due when it was warned: the touch since counts
        assert said == [3, "resumed"]
        now[0] += 5.0
        lock.on_timeout()
        assert said == [3, "resumed", 3]
        now[0] += 3.0
        lock.on_timeout()
        assert said == [3, "resumed", 3, "expired"]
    finally:
        lock.stop()
