"""Staff screens for ``scripts/preview.py``: the PIN pad and the staff panel.

    python scripts/preview.py staff-pin | staff-pin-digits | staff-pin-wrong |
        staff-pin-locked | staff-pin-typed | staff-panel | staff-panel-new |
        staff-detail | staff-export | staff-exported | staff-purge | staff-summary |
        staff-log | staff-log-raw | staff-kiosk | staff-staff | staff-staff-add |
        staff-staff-pin | staff-staff-remove | staff-setup (= staff-pin-empty) |
        staff-setup-wrong | staff-setup-name | staff-setup-pin | staff-setup-done |
        staff-link | staff-link-waiting | staff-link-revoked

The staff-link screens are the panel of an enrolled kiosk, its office link's line
from a sender's status made here (all sent; the server away with 3 waiting; the
kiosk revoked), without a server.

Makes staff accounts (fast key derivation: a preview, never a real kiosk),
a few enquiries and page views in the preview's throwaway data folder.
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.enquiries.drives import Drive
from kiosk.enquiries.keys import KdfParams, KeyRing
from kiosk.enquiries.store import EnquiryStore
from kiosk.office.outbox import SendStatus
from kiosk.page_views import PageViews
from kiosk.paths import Paths
from kiosk.staff.accounts import StaffAccounts, StaffError
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.window import KioskWindow

PIN = "246810"
PEOPLE = [
    ("Ana López", "+18015550100", "", "call", "morning", "Is it safe with my other medicines?"),
    ("Ben Okafor", "", "ben@example.com", "email", "any", ""),
    ("Chloé Martin", "+18015550111", "", "text", "evening", '=HYPERLINK("x") test'),
    (
        "Dmitri Ivanov",
        "+18015550122",
        "dmitri@example.org",
        "call",
        "afternoon",
        "How many visits?",
    ),
    ("Esther Cohen", "+18015550133", "", "call", "morning", ""),
]


def _seed(paths: Paths, ring: KeyRing, window: KioskWindow) -> None:
    topic = window.library.topics[0].topic_id
    now = datetime.now(UTC)
    people = list(enumerate(PEOPLE * 3))
    for n, (name, phone, email, method, best, message) in reversed(people):  # oldest first
        when = now - timedelta(days=n * 9, hours=n)
        # (mypy cannot infer a lambda with a default argument)
        store = EnquiryStore(paths.store_file, ring.sealer(), clock=lambda w=when: w)  # type: ignore[misc]
        personal = {
            "name": name,
            "phone": phone,
            "email": email,
            "method": method,
            "best_time": best,
            "message": message,
        }
        saved = store.save(f"preview-{n}", topic if n % 3 else "", personal)
        if n > 9:
            store.set_status([saved.id], "exported")
        elif n > 7:
            store.set_status([saved.id], "contacted")
        store.close()


def _link_status(screen: str) -> SendStatus | None:
    """The office sender's status a staff-link screen shows (None: not enrolled)."""
    if not screen.startswith("staff-link"):
        return None
    now = datetime.now(UTC)
    if screen == "staff-link":
        return SendStatus("sent", "", sent_total=12, last_sent_at=now - timedelta(minutes=3))
    if screen == "staff-link-revoked":
        return SendStatus(
            "refused",
            "",
            unsent=1,
            reason="revoked",
            since=now,
            oldest_unsent=now - timedelta(minutes=40),
        )
    return SendStatus(
        "waiting",
        "",
        unsent=3,
        reason="not-answering",
        since=now - timedelta(minutes=25),
        oldest_unsent=now - timedelta(minutes=12),
    )


def show(screen: str, window: KioskWindow, paths: Paths, ring: KeyRing, code: str) -> object:
    """Open staff ``screen`` in ``window``; returns what must be kept alive."""
    from kiosk.ui.staff.mode import StaffMode

    frozen = [time.time()]  # the wrong-PIN waits stand still for the picture
    accounts = StaffAccounts(
        paths.staff_file, paths.keys_file, kdf=KdfParams.fast_for_tests(), clock=lambda: frozen[0]
    )
    setup = screen == "staff-pin-empty" or screen.startswith("staff-setup")
    if not setup:
        accounts.add("Ana", PIN, recovery_code=code)
        first = accounts.sign_in("Ana", PIN)
        for name in ("Marcus", "Priya Raman"):
            accounts.add(name, PIN, by=first)
    _seed(paths, ring, window)
    views = PageViews(paths.stats_file)
    for index, page in enumerate(window.library.topics[0].pages):
        for _ in range(max(1, 12 - 2 * index)):
            views.record(page.key)
    store = EnquiryStore(paths.store_file, ring.sealer())

    def drives() -> list[Drive]:
        return [Drive("KINGSTON", Path("/media/kiosk/KINGSTON"), 14_200_000_000)]

    link = _link_status(screen)
    mode = StaffMode(
        window,
        paths,
        stores=lambda: store,
        page_views=views,
        accounts=accounts,
        drives=drives,
        quit_app=lambda: None,
        office_link=(lambda: link) if link is not None else None,
    )
    if screen == "staff-pin-typed":
        from dataclasses import replace

        window.apply_config(replace(window.config, staff_show_names=False))
    mode.open_pad()
    if setup:
        return _setup(screen, mode, code, frozen)
    pad = mode.pad
    assert pad is not None
    if screen == "staff-pin-typed":
        assert pad.name_entry is not None
        pad.name_entry.field.setText("Priya")
        return mode
    if screen == "staff-pin":
        return mode
    pad.choose("Ana")
    if screen == "staff-pin-digits":
        for digit in PIN[:4]:
            pad.add_digit(digit)
        return mode
    if screen in ("staff-pin-wrong", "staff-pin-locked"):
        tries = 3 if screen == "staff-pin-wrong" else 5
        for _ in range(tries):
            frozen[0] += 60
            with contextlib.suppress(StaffError):
                accounts.sign_in("Ana", "000000")
        frozen[0] += 2  # part of the wait has passed
        pad._check_wait()
        if screen == "staff-pin-wrong":
            pad._wait_text = s.WRONG_PIN_WAIT
            pad.on_tick()
        return mode
    session = accounts.sign_in("Ana", PIN)
    for actor, action, details in (
        ("Marcus", "sign-in-failed", {"reason": "wrong PIN", "failures": 1}),
        ("Marcus", "sign-in", {}),
        (
            "Marcus",
            "export",
            {
                "count": 4,
                "path": "/media/kiosk/KINGSTON/enquiries-2026-12-04.csv",
                "format": "csv",
                "scope": "new",
                "drive": "KINGSTON",
            },
        ),
        ("Marcus", "lock", {"reason": "idle"}),
        ("Ana", "sign-in", {}),
    ):
        mode._audit(actor, action, **details)
    mode.open_panel(session)
    panel = mode.panel
    assert panel is not None
    if screen == "staff-detail":
        panel.enquiries.open_enquiry(panel.enquiries.list.rows[2].property("enquiry_id"))
    elif screen in ("staff-export", "staff-exported", "staff-purge"):
        panel.show_tab("export")
        tab = panel.tab("export")
        if screen == "staff-exported":
            tab.export()  # type: ignore[attr-defined]
        elif screen == "staff-purge":
            tab.ask_purge()  # type: ignore[attr-defined]
    elif screen == "staff-summary":
        panel.show_tab("summary")
    elif screen == "staff-panel-new":
        panel.enquiries.list.set_filter("new")
    elif screen in ("staff-log", "staff-log-raw"):
        panel.show_tab("log")
        if screen == "staff-log-raw":
            panel.tab("log").entries[2].raw_button.setChecked(True)  # type: ignore[attr-defined]
    elif screen.startswith("staff-staff"):
        panel.show_tab("staff")
        tab = panel.tab("staff")
        if screen == "staff-staff-remove":
            tab.ask_remove("Marcus")  # type: ignore[attr-defined]
        elif screen in ("staff-staff-add", "staff-staff-pin"):
            tab.start_adding()  # type: ignore[attr-defined]
            tab.name.field.setText("Sam Lee")  # type: ignore[attr-defined]
            if screen == "staff-staff-pin":
                tab.next_step()  # type: ignore[attr-defined]
                for digit in "2581":
                    tab.pin.add_digit(digit)  # type: ignore[attr-defined]
    elif screen == "staff-kiosk":
        panel.show_tab("kiosk")
    return mode


def _setup(screen: str, mode: object, code: str, frozen: list[float]) -> object:
    """The "Set up staff access" screens (no account yet)."""
    setup = mode.setup  # type: ignore[attr-defined]
    assert setup is not None
    if screen == "staff-setup-wrong":
        setup.code.field.setText("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01")
        setup.next_step()
        setup.name.field.setText("Ana")
        setup.next_step()
        for entry in (setup.pin, setup.pin_again):
            for digit in "246810":
                entry.add_digit(digit)
            setup.next_step()
        setup.worker.finish_now()
        return mode
    if screen == "staff-setup":
        setup.code.field.setText("7KQD-2M9X-")
        return mode
    setup.code.field.setText(code)
    setup.next_step()
    if screen == "staff-setup-name":
        setup.name.field.setText("Ana Ló")
        return mode
    setup.name.field.setText("Ana López")
    setup.next_step()
    for digit in "2468":
        setup.pin.add_digit(digit)
    if screen == "staff-setup-done":
        setup.pin.add_digit("1")
        setup.pin.add_digit("0")
        setup.next_step()
        for digit in "246810":
            setup.pin_again.add_digit(digit)
        setup.next_step()
        setup.worker.finish_now()
    return mode
