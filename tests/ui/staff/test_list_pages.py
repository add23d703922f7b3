"""The enquiry list a page at a time (issue 19 point 3): the store is asked for
one page (``EnquiryStore.page``, never every row), only the rows added are
decrypted, and "Show more" appends the next page without rebuilding the rows
already there; filters page the same way; Mark contacted changes one row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.enquiries.keys import Opener
from kiosk.enquiries.store import EnquiryStore, StoredEnquiry, open_personal
from kiosk.ui.staff.mode import StaffMode
from kiosk.ui.staff.tabs.enquiries import PAGE_ROWS, EnquiryList
from tests.ui.helpers import find_button, tap
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv


class Spy:
    """What the list asked of the store, and how many rows it decrypted."""

    def __init__(self) -> None:
        self.pages: list[tuple[str | None, int | None, int]] = []
        self.opened: list[int] = []

    def last(self) -> tuple[str | None, int | None, int]:
        return self.pages[-1]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch, staff_env: StaffEnv) -> Spy:
    seen = Spy()
    store = staff_env.store
    page = store.page

    def paged(
        status: str | None = None, *, before_id: int | None = None, limit: int = 50
    ) -> list[StoredEnquiry]:
        seen.pages.append((status, before_id, limit))
        return page(status, before_id=before_id, limit=limit)

    def every_row(*_a: Any, **_k: Any) -> list[StoredEnquiry]:
        raise AssertionError("the list read every enquiry")

    monkeypatch.setattr(store, "page", paged)
    monkeypatch.setattr(store, "enquiries", every_row)

    def counted(opener: Opener, stored: StoredEnquiry) -> dict[str, str]:
        seen.opened.append(stored.id)
        return open_personal(opener, stored)

    monkeypatch.setattr("kiosk.ui.staff.tabs.enquiries.open_personal", counted)
    return seen


def saved(
    store: EnquiryStore, count: int, *, status: Callable[[int], str] = lambda n: "new"
) -> list[int]:
    """``count`` enquiries named "Person n", oldest first; their ids."""
    ids = []
    for n in range(count):
        personal = {"name": f"Person {n}", "phone": "+18015550100", "method": "call"}
        ids.append(store.save(f"form-{n}", "", personal).id)
    by_status: dict[str, list[int]] = {}
    for n, enquiry in enumerate(ids):
        by_status.setdefault(status(n), []).append(enquiry)
    for name, chosen in by_status.items():
        if name != "new":
            store.set_status(chosen, name)
    return ids


def open_list(mode: StaffMode, staff_env: StaffEnv) -> EnquiryList:
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    assert mode.panel is not None
    QApplication.processEvents()
    return mode.panel.enquiries.list


def ids_of(listing: EnquiryList) -> list[int]:
    return [row.property("enquiry_id") for row in listing.rows]


def test_120_show_50_then_100_then_120(
    make_staff: MakeStaff, staff_env: StaffEnv, spy: Spy, qtbot: QtBot
) -> None:
    """Each "Show more" reads the next page after the last id shown, decrypts only
    its rows and appends them: the rows before are the same widgets, in order,
    no id twice; at the end "Show more" goes."""
    ids = saved(staff_env.store, 120)
    newest_first = ids[::-1]
    _window, mode = make_staff()
    listing = open_list(mode, staff_env)
    assert ids_of(listing) == newest_first[:50]
    assert spy.pages == [(None, None, PAGE_ROWS + 1)]
    assert sorted(spy.opened) == sorted(newest_first[:50])
    assert listing.more_button.isVisible() and listing.more_button.text() == "Show 50 more"
    first = listing.rows

    spy.opened.clear()
    tap(qtbot, find_button(listing, "Show 50 more"))
    assert ids_of(listing) == newest_first[:100]
    assert listing.rows[:50] == first  # the same objects: nothing rebuilt
    assert all(a is b for a, b in zip(listing.rows, first, strict=False))
    assert spy.last() == (None, newest_first[49], PAGE_ROWS + 1)
    assert sorted(spy.opened) == sorted(newest_first[50:100])
    second = listing.rows

    spy.opened.clear()
    tap(qtbot, find_button(listing, "Show 20 more"))
    assert ids_of(listing) == newest_first
    assert len(set(ids_of(listing))) == 120
    assert all(a is b for a, b in zip(listing.rows, second, strict=False))
    assert sorted(spy.opened) == sorted(newest_first[100:])
    assert len(spy.pages) == 3
    QApplication.processEvents()
    assert not listing.more_button.isVisible()
    assert all(row.isVisible() for row in listing.rows)


def test_exactly_a_page_has_no_show_more(
    make_staff: MakeStaff, staff_env: StaffEnv, spy: Spy, qtbot: QtBot
) -> None:
    """50 enquiries: one page, and no "Show more" (the row past the page says so)."""
    saved(staff_env.store, PAGE_ROWS)
    _window, mode = make_staff()
    listing = open_list(mode, staff_env)
    assert len(listing.rows) == PAGE_ROWS
    assert not listing.more_button.isVisible()


def test_filters_page_too(
    make_staff: MakeStaff, staff_env: StaffEnv, spy: Spy, qtbot: QtBot
) -> None:
    """A filter reads its first page by status; "Show more" the next, by status too."""
    ids = saved(staff_env.store, 130, status=lambda n: "contacted" if n % 2 else "new")
    contacted = [i for n, i in enumerate(ids) if n % 2][::-1]  # 65, newest first
    _window, mode = make_staff()
    listing = open_list(mode, staff_env)
    tap(qtbot, find_button(listing, "Contacted: 65"))
    assert ids_of(listing) == contacted[:50]
    assert spy.last() == ("contacted", None, PAGE_ROWS + 1)
    first = listing.rows
    tap(qtbot, find_button(listing, "Show 15 more"))
    assert ids_of(listing) == contacted
    assert all(a is b for a, b in zip(listing.rows, first, strict=False))
    assert spy.last() == ("contacted", contacted[49], PAGE_ROWS + 1)
    assert all(row.property("status") == "contacted" for row in listing.rows)
    QApplication.processEvents()
    assert not listing.more_button.isVisible()
    tap(qtbot, find_button(listing, "All: 130"))
    assert ids_of(listing) == ids[::-1][:50]


def test_mark_contacted_changes_that_row_only(
    make_staff: MakeStaff, staff_env: StaffEnv, spy: Spy, qtbot: QtBot
) -> None:
    """On the second page: that row is made again in its place, the others stay
    the same widgets and the pages shown stay shown; under "New" it leaves."""
    ids = saved(staff_env.store, 70)
    _window, mode = make_staff()
    listing = open_list(mode, staff_env)
    tap(qtbot, find_button(listing, "Show 20 more"))
    QApplication.processEvents()  # rows added to a shown list show on the next pass
    before = listing.rows
    target = before[60]
    tap(qtbot, target.contacted_button)
    after = listing.rows
    assert ids_of(listing) == ids[::-1]
    assert after[60] is not target and after[60].badge.text() == "Contacted"
    assert all(a is b for n, (a, b) in enumerate(zip(after, before, strict=True)) if n != 60)
    assert listing.count_contacted.text() == "Contacted: 1"

    tap(qtbot, find_button(listing, "New: 69"))
    QApplication.processEvents()
    new_rows = listing.rows
    tap(qtbot, new_rows[3].contacted_button)
    assert ids_of(listing) == [r.property("enquiry_id") for n, r in enumerate(new_rows) if n != 3]
    assert listing.count_new.text() == "New: 68"
    assert listing.more_button.text() == "Show 19 more"
    tap(qtbot, find_button(listing, "Show 19 more"))
    new_ids = [i for i in ids[::-1] if i != after[60].property("enquiry_id")]
    assert ids_of(listing) == [i for i in new_ids if i != new_rows[3].property("enquiry_id")]
