"""The staff panel's office link line (issue 14 point 6): none on a kiosk that is
not enrolled; on an enrolled one, how the link is doing in words, read again
while the panel is open. Against a real sender and PostgreSQL:
tests/office/test_staff_link.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.staff.panel import OFFICE_LINK_MS, StaffPanel, office_link_text
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv

# A fixed "now" (the words' only clock), at noon local time: the times below are today.
NOW = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class LinkStatus:
    """The fields of ``kiosk.office.outbox.SendStatus`` the panel reads (the UI's tests
    do not load the sender and psycopg)."""

    state: str = "sent"
    reason: str = ""
    since: datetime | None = None
    unsent: int = 0
    oldest_unsent: datetime | None = None
    last_sent_at: datetime | None = None


def ago(**kwargs: float) -> datetime:
    return (NOW - timedelta(**kwargs)).astimezone(UTC)


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (LinkStatus(last_sent_at=ago(minutes=78)), "Office link: all sent, last at 10:42."),
        (LinkStatus(), "Office link: working; nothing sent yet."),
        (
            LinkStatus(unsent=3, oldest_unsent=ago(minutes=12, seconds=30)),
            "Office link: 3 enquiries waiting to be sent, the oldest for 12 min.",
        ),
        (
            LinkStatus("waiting", "not-answering", ago(minutes=90), 1, ago(seconds=40)),
            "Office link: cannot reach the server since 10:30 (the server is not answering)."
            " 1 enquiry waiting to be sent, for 40 seconds.",
        ),
        (
            LinkStatus("waiting", "timeout", ago(hours=3, minutes=5), 2, ago(hours=3, minutes=5)),
            "Office link: cannot reach the server since 08:55 (no answer in time)."
            " 2 enquiries waiting to be sent, the oldest for 3 h 5 min.",
        ),
        (
            LinkStatus("refused", "revoked", ago(minutes=1)),
            "Office link: the server refused this kiosk (its access was revoked)."
            " Ask the clinic's administrator to enrol it again.",
        ),
        (
            LinkStatus("full", "full", ago(minutes=30), 5, ago(days=2, hours=1)),
            "Office link: the server's disk is full since 11:30. Ask the clinic's"
            " administrator to make room. 5 enquiries waiting to be sent, the oldest for 2 days.",
        ),
        (LinkStatus("starting", since=ago(seconds=1)), "Office link: starting…"),
    ],
    ids=["sent", "none yet", "sending", "away", "timeout", "revoked", "full", "starting"],
)
def test_the_office_link_in_words(status: LinkStatus, words: str) -> None:
    assert office_link_text(status, NOW) == words


def test_a_time_before_today_names_the_day() -> None:
    yesterday = ago(days=1)
    words = office_link_text(LinkStatus(last_sent_at=yesterday), NOW)
    assert words == f"Office link: all sent, last at {yesterday.astimezone():%a %d %b} 12:00."


def open_panel(
    make_staff: MakeStaff, staff_env: StaffEnv, link: list[LinkStatus | None] | None
) -> StaffPanel:
    _, mode = make_staff(office_link=(lambda: link[-1]) if link is not None else None)
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    assert mode.panel is not None
    return mode.panel


def test_a_kiosk_not_enrolled_shows_no_office_link(
    make_staff: MakeStaff, staff_env: StaffEnv
) -> None:
    panel = open_panel(make_staff, staff_env, None)
    assert panel.office_link.isHidden() and panel.office_link.text() == ""
    panel.update_office_link()  # what the timer does
    assert panel.office_link.isHidden()


def test_the_line_follows_the_sender_while_the_panel_is_open(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Not started yet (no line), then all sent, then the kiosk revoked: each shown
    within the timer's period (at most 5 s), the trouble as a banner."""
    assert OFFICE_LINK_MS <= 5_000
    link: list[LinkStatus | None] = [None]
    panel = open_panel(make_staff, staff_env, link)
    line = panel.office_link
    assert line.isHidden()
    sent = LinkStatus(last_sent_at=datetime.now(UTC))
    link.append(sent)
    qtbot.waitUntil(lambda: line.isVisible(), timeout=OFFICE_LINK_MS + 1_000)
    assert line.text().startswith("Office link: all sent, last at ")
    assert line.property("trouble") is False
    link.append(replace(sent, state="refused", reason="revoked", since=datetime.now(UTC)))
    qtbot.waitUntil(lambda: "refused this kiosk" in line.text(), timeout=OFFICE_LINK_MS + 1_000)
    assert line.property("trouble") is True
    panel.show_tab("log")
    assert line.isVisible()  # over every tab
