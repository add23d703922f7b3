"""The kiosk's side of publishing, in one process, against the real PostgreSQL over
TLS: ``kiosk.office.apply.Updater`` fetching, verifying, refusing, unpacking,
rolling back and reporting; then live reload applying a revision at a safe moment
in a real window (``kiosk.ui.revisions``). The same with real kiosk processes is
``test_apply.py``."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import nacl.signing
import psycopg
import pytest
from pytestqt.qtbot import QtBot

from kiosk.content import Library, load_library
from kiosk.office import admin, publish, published
from kiosk.office.apply import NO_KEY, Staged, Updater, bad_signature, oversized
from kiosk.office.heartbeat import KioskFacts
from kiosk.office.outbox import Sender
from kiosk.office.revision import MAX_PAYLOAD_BYTES, pack, sha256_of
from kiosk.paths import Paths, shipped_content_dir
from tests.conftest import MakeWindow, png_bytes
from tests.office.conftest import Clinic, Tablet
from tests.office.pg import Cluster
from tests.office.proxy import Proxy

TOPIC = "ketamine-and-depression"
SHIPPED_TITLE = "Ketamine and depression"
PAGE = f"{TOPIC}/03-how-does-ketamine-work.md"
#: Passes the load (header and budget) but not the render: nested 30 deep in the HTML.
TOO_DEEP = "\n".join("    " * i + "- level" for i in range(30))


def content_titled(where: Path, title: str, *, extra_body: str = "") -> Path:
    """The shipped content with its topic retitled (what the heartbeat's topics tell
    the office: what the kiosk shows), and perhaps more text below page 03."""
    content = where / "content"
    shutil.copytree(shipped_content_dir(), content)
    topic = content / TOPIC / "topic.toml"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace(f'title = "{SHIPPED_TITLE}"', f'title = "{title}"', 1))
    if extra_body:
        page = content / PAGE
        page.write_text(f"{page.read_text(encoding='utf-8')}\n\n{extra_body}\n")
    return content


def titles(library: Library) -> list[str]:
    return [t.title for t in library.topics]


def publish_signed(
    clinic: Clinic, payload: bytes, key: nacl.signing.SigningKey | None = None, note: str = ""
) -> int:
    """Store ``payload`` signed with ``key`` (the clinic's publishing key by default),
    for every kiosk, without the office's check: what a kiosk must refuse by itself."""
    with clinic.connect() as conn:
        key = key or admin.publishing_key(conn, clinic.opener())
        return publish.publish(conn, payload, key, by="test", targets=[publish.ALL], note=note)


@dataclass
class Kiosk:
    """An updater on an enrolled tablet, with what it handed over."""

    tablet: Tablet
    updater: Updater
    staged: list[Staged] = field(default_factory=list)
    now: list[float] = field(default_factory=lambda: [0.0])

    def beat(self) -> None:
        """What the sender does after a heartbeat went through."""
        with psycopg.connect(**self.tablet.link.connect_args()) as conn:
            self.updater.after_beat(conn)

    @property
    def base(self) -> Paths:
        return self.updater.base


def make_kiosk(tablet: Tablet, *, with_key: bool = True) -> Kiosk:
    """``with_key`` False: a kiosk enrolled before publishing (no key in its link)."""
    staged: list[Staged] = []
    now = [0.0]
    updater = Updater(
        Paths.resolve(tablet.data_dir),
        tablet.link.publish_key if with_key else None,
        staged.append,
        clock=lambda: now[0],
    )
    return Kiosk(tablet, updater, staged, now)


@pytest.fixture
def kiosk(tablet: Tablet) -> Iterator[Kiosk]:
    yield make_kiosk(tablet)


def office_says(clinic: Clinic) -> list[tuple[int | None, str | None, str]]:
    with clinic.connect() as conn:
        return [(k.revision, k.state, k.reason) for k in publish.kiosk_revisions(conn)]


def test_a_signed_revision_is_checked_handed_over_shown_confirmed_and_reported(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path
) -> None:
    content = content_titled(tmp_path, "Published")
    number = publish_signed(clinic, pack(content, None), note="spring")
    kiosk.beat()
    assert kiosk.staged == [Staged(number, published.paths_for(kiosk.base, number))]
    shown = load_library(kiosk.staged[0].paths.content_dir)
    assert titles(shown) == ["Published"]
    assert office_says(clinic) == [(None, None, "")]  # nothing said before it is shown
    kiosk.beat()  # waiting for a safe moment: not handed over twice
    assert len(kiosk.staged) == 1
    kiosk.updater.on_screen(number, shown)
    state = published.read(kiosk.tablet.data_dir)
    assert (state.current, state.confirmed) == (number, False)
    kiosk.beat()  # its pages render; the heartbeat went: confirmed
    state = published.read(kiosk.tablet.data_dir)
    assert (state.current, state.confirmed, state.reports) == (number, True, ())
    assert office_says(clinic) == [(number, "applied", "")]
    kiosk.beat()  # nothing newer
    assert len(kiosk.staged) == 1


def test_a_tampered_or_wrongly_signed_revision_is_refused_never_unpacked(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    payload = pack(content_titled(tmp_path, "Tampered"), None)
    one = publish_signed(clinic, payload)
    flipped = bytes([payload[100] ^ 1])
    with clinic.connect() as conn:  # one byte changed after signing, its digest too
        conn.execute(
            "UPDATE revisions SET payload = overlay(payload PLACING %s FROM 101),"
            " sha256 = encode(sha256(overlay(payload PLACING %s FROM 101)), 'hex')"
            " WHERE number = %s",
            (flipped, flipped, one),
        )
    kiosk.beat()
    assert kiosk.staged == []
    assert office_says(clinic) == [(one, "refused", bad_signature(one))]
    two = publish_signed(clinic, payload, nacl.signing.SigningKey.generate())  # a wrong key
    with clinic.connect() as conn:  # and one whose bytes do not match its digest
        three = publish_signed(clinic, payload)
        conn.execute(
            "UPDATE revisions SET payload = payload || '\\x00'::bytea WHERE number = %s",
            (three,),
        )
    kiosk.beat()  # the newest first: three, then two at the next heartbeat
    kiosk.beat()
    assert kiosk.staged == []
    said = {n: (state, reason) for n, state, reason in office_says_all(clinic)}
    assert said[three] == ("refused", "its payload does not match its SHA-256")
    assert said[two] == ("refused", bad_signature(two))
    assert published.read(kiosk.tablet.data_dir).rejected == {one, two, three}
    assert not [p for p in published.published_dir(kiosk.tablet.data_dir).iterdir() if p.is_dir()]
    assert f"revision {one} refused: its signature does not verify" in caplog.text


def office_says_all(clinic: Clinic) -> list[tuple[int, str, str]]:
    with clinic.connect() as conn:
        rows = conn.execute("SELECT revision, state, reason FROM kiosk_revisions").fetchall()
    return [(int(n), str(s), str(r)) for n, s, r in rows]


def apply_and_confirm(kiosk: Kiosk, number: int) -> None:
    """Fetch ``number``, put it on screen, confirm it with the next heartbeat."""
    kiosk.beat()
    assert kiosk.staged[-1].number == number
    kiosk.updater.on_screen(number, load_library(kiosk.staged[-1].paths.content_dir))
    kiosk.beat()
    assert published.read(kiosk.tablet.data_dir).current == number


def test_an_old_revision_replayed_by_the_database_is_refused_under_any_number(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = publish_signed(clinic, pack(content_titled(tmp_path / "a", "Old"), None))
    apply_and_confirm(kiosk, old)
    new = publish_signed(clinic, pack(content_titled(tmp_path / "b", "New"), None))
    apply_and_confirm(kiosk, new)
    handed_over = len(kiosk.staged)

    # Whoever controls the database copies the old revision, payload and signature
    # as they are, under the next number: the signature covers the number.
    replay = new + 1
    with clinic.connect() as conn:
        conn.execute(
            "INSERT INTO revisions (number, sha256, payload, signature, note, published_by)"
            " SELECT %s, sha256, payload, signature, 'replayed', 'nobody' FROM revisions"
            " WHERE number = %s",
            (replay, old),
        )
        conn.execute(
            "INSERT INTO revision_targets (revision, target, targeted_by) VALUES (%s, '*', 'x')",
            (replay,),
        )
    kiosk.beat()
    assert len(kiosk.staged) == handed_over  # nothing handed over
    said = {n: (state, reason) for n, state, reason in office_says_all(clinic)}
    assert said[replay] == ("refused", bad_signature(replay))
    assert "signed for another number" in said[replay][1]
    state = published.read(kiosk.tablet.data_dir)
    assert (state.current, state.confirmed) == (new, True)
    assert not published.folder(kiosk.tablet.data_dir, replay).exists()

    # And the old revision served as itself (its signature good) to a kiosk that
    # runs a newer one: ignored and logged once; the office's record that the
    # kiosk applied it is left as it was.
    with clinic.connect() as conn:
        conn.execute(
            "CREATE OR REPLACE FUNCTION kiosk_next_revision(current integer)"
            " RETURNS TABLE (number integer, sha256 text, note text, payload bytea,"
            " signature bytea) LANGUAGE sql STABLE SECURITY DEFINER"
            " SET search_path = public, pg_temp AS $$"
            f" SELECT number, sha256, note, payload, signature FROM revisions WHERE number = {old}"
            " $$"
        )
    kiosk.beat()
    kiosk.beat()
    assert len(kiosk.staged) == handed_over
    assert published.read(kiosk.tablet.data_dir) == state
    assert {n: (s, r) for n, s, r in office_says_all(clinic)} == said
    assert said[old] == ("applied", "")
    stale = f"revision {old} refused: this kiosk already runs revision {new}"
    assert caplog.text.count(stale) == 1


def test_a_revision_larger_than_a_kiosk_takes_is_refused_before_it_is_downloaded(
    pg: Cluster, clinic: Clinic, kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    """Found in review: a kiosk downloaded a revision whole before it measured it.
    A server without migration 5's limit serving one a byte over: the kiosk asks
    its size first, refuses and reports it, and never fetches it (counted at a
    proxy between the kiosk and the server)."""
    big = bytes(MAX_PAYLOAD_BYTES + 1)
    with clinic.connect() as conn:
        conn.execute("ALTER TABLE revisions DROP CONSTRAINT revisions_payload_size")
        conn.execute(
            "INSERT INTO revisions (number, sha256, payload, signature, published_by)"
            " VALUES (1, %s, %s, %s, 'by hand')",
            (sha256_of(big), big, bytes(64)),
        )
        conn.execute(
            "INSERT INTO revision_targets (revision, target, targeted_by) VALUES (1, '*', 'x')"
        )
    proxy = Proxy(pg.port)
    link = replace(kiosk.tablet.link, server=pg.server_url(clinic.db, port=proxy.port))
    try:
        with caplog.at_level(logging.ERROR), psycopg.connect(**link.connect_args()) as conn:
            kiosk.updater.after_beat(conn)
            kiosk.updater.after_beat(conn)  # refused for good: not asked for again
    finally:
        proxy.stop()
    assert proxy.to_clients < 1_000_000
    assert kiosk.staged == []
    why = oversized(MAX_PAYLOAD_BYTES + 1)
    assert "not downloaded" in why
    assert office_says_all(clinic) == [(1, "refused", why)]
    assert caplog.text.count(f"revision 1 refused: {why}") == 1
    state = published.read(kiosk.tablet.data_dir)
    assert state.current is None and 1 in state.rejected


def test_a_report_on_a_revision_the_server_no_longer_has_is_dropped_not_retried_forever(
    clinic: Clinic, tablet: Tablet, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``kiosk_report_revision`` refuses a number with no revision (issue 16 review):
    a report waiting for one the owner deleted since is dropped, logged, and the
    reports after it still go (kept, it would fail every heartbeat's round)."""
    number = publish_signed(clinic, pack(content_titled(tmp_path, "Kept"), None))
    published.write(
        tablet.data_dir,
        published.State(
            rejected=frozenset({number, 99}),
            reports=(
                published.Report(99, "refused", "deleted since"),
                published.Report(number, "refused", "still there"),
            ),
        ),
    )
    kiosk = make_kiosk(tablet)
    with caplog.at_level(logging.WARNING):
        kiosk.beat()
    assert office_says_all(clinic) == [(number, "refused", "still there")]
    assert published.read(tablet.data_dir).reports == ()
    assert "revision 99: the office has no such revision now; its report (refused) dropped" in (
        caplog.text
    )


def test_a_kiosk_enrolled_without_a_publishing_key_refuses_and_says_re_enrol(
    clinic: Clinic, tablet: Tablet, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = make_kiosk(tablet, with_key=False)
    number = publish_signed(clinic, pack(content_titled(tmp_path, "New"), None))
    with caplog.at_level(logging.ERROR):
        old.beat()
        old.beat()
    assert old.staged == []
    assert caplog.text.count("re-enrol this kiosk to receive published content") == 1
    assert office_says_all(clinic) == [(number, "refused", NO_KEY)]


def test_content_with_errors_is_refused_by_the_kiosks_own_check(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path
) -> None:
    content = content_titled(tmp_path, "Broken")
    page = content / PAGE
    page.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    number = publish_signed(clinic, pack(content, None))
    kiosk.beat()
    assert kiosk.staged == []
    ((n, state, reason),) = office_says_all(clinic)
    assert (n, state) == (number, "refused")
    assert reason.startswith("its content has errors: ") and "03-how-does-ketamine-work" in reason


def test_a_page_that_fails_to_render_rolls_back_and_is_never_applied_again(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path
) -> None:
    good = publish_signed(clinic, pack(content_titled(tmp_path / "a", "Good"), None))
    kiosk.beat()
    kiosk.updater.on_screen(good, load_library(kiosk.staged[-1].paths.content_dir))
    kiosk.beat()
    bad_content = content_titled(tmp_path / "b", "Deep", extra_body=TOO_DEEP)
    bad = publish_signed(clinic, pack(bad_content, None))
    kiosk.beat()
    assert kiosk.staged[-1].number == bad  # it loads: handed over
    kiosk.updater.on_screen(bad, load_library(kiosk.staged[-1].paths.content_dir))
    kiosk.updater.tick()  # renders it: page 03 fails
    assert kiosk.staged[-1] == Staged(good, published.paths_for(kiosk.base, good))
    state = published.read(kiosk.tablet.data_dir)
    assert (state.current, state.confirmed, state.rejected) == (good, True, frozenset({bad}))
    kiosk.beat()  # told with the next heartbeat; not fetched again
    said = {n: (s, r) for n, s, r in office_says_all(clinic)}
    assert said[bad] == (
        "rolled_back",
        "page 03-how-does-ketamine-work failed to render: nested more than 24 deep;"
        " the page cannot be shown",
    )
    assert kiosk.staged[-1].number == good
    assert not published.folder(kiosk.tablet.data_dir, bad).exists()  # its folder dropped


def test_no_heartbeat_for_five_minutes_after_applying_rolls_back(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path
) -> None:
    number = publish_signed(clinic, pack(content_titled(tmp_path, "Offline"), None))
    kiosk.beat()
    kiosk.updater.on_screen(number, load_library(kiosk.staged[-1].paths.content_dir))
    kiosk.now[0] = 299.0
    kiosk.updater.tick()  # rendered, still waiting for a heartbeat
    assert published.read(kiosk.tablet.data_dir).current == number
    kiosk.now[0] = 301.0
    kiosk.updater.tick()
    assert kiosk.staged[-1] == Staged(None, kiosk.base)  # back to the kiosk's own content
    state = published.read(kiosk.tablet.data_dir)
    assert state.current is None and state.rejected == {number}
    kiosk.beat()  # the server back: told
    assert office_says_all(clinic) == [
        (number, "rolled_back", "no heartbeat went through for 5 minutes after applying")
    ]


def test_live_reload_applies_it_only_at_a_safe_moment(
    qtbot: QtBot, make_window: MakeWindow, clinic: Clinic, kiosk: Kiosk, tmp_path: Path
) -> None:
    from kiosk.ui.reload import LiveReload
    from kiosk.ui.revisions import RevisionSwitch

    window = make_window()
    reload = LiveReload(window, kiosk.base, settle_ms=40, restyle=lambda _c: None)
    switch = RevisionSwitch(reload)
    switch.updater = kiosk.updater
    kiosk.updater._hand_over = switch.hand_over  # the kiosk's wiring (kiosk.ui.app)
    number = publish_signed(clinic, pack(content_titled(tmp_path, "Safely"), None))
    first = window.library.pages[0]
    window.show_page(first.key)  # a patient reading
    kiosk.beat()
    qtbot.waitUntil(lambda: reload.pending, timeout=5000)
    assert titles(window.library) == [SHIPPED_TITLE]
    assert window.current_screen == f"page:{first.key}"
    assert published.read(kiosk.tablet.data_dir).current is None
    window.reset()  # the idle reset
    assert titles(window.library) == ["Safely"]
    assert published.read(kiosk.tablet.data_dir).current == number
    kiosk.beat()
    assert office_says_all(clinic) == [(number, "applied", "")]


@pytest.mark.parametrize(
    ("settings", "why"),
    [
        ("[clinic\n", "its settings cannot be read: "),
        ('[clinic]\nlogo = "logo.png"\n', "its settings name a logo it does not carry"),
        ('[staff]\nexport_folder = "exports"\n', "an export folder relative to the settings"),
    ],
)
def test_settings_the_kiosk_cannot_use_from_a_revision_are_refused(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path, settings: str, why: str
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(settings, encoding="utf-8")
    number = publish_signed(clinic, pack(content_titled(tmp_path, "Settings"), config))
    kiosk.beat()
    assert kiosk.staged == []
    ((n, state, reason),) = office_says_all(clinic)
    assert (n, state) == (number, "refused") and why in reason, reason


@pytest.mark.parametrize("where", ["absolute", "up"])
def test_a_logo_outside_the_revision_is_refused_even_where_the_tablet_has_the_file(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path, where: str
) -> None:
    """Found in review: a published logo path is read on the tablet, so
    "/home/…/picture.png" or "../../…" reached any file the kiosk can read."""
    outside = tmp_path / "elsewhere" / "picture.png"
    outside.parent.mkdir()
    outside.write_bytes(png_bytes())
    revision_dir = published.folder(kiosk.tablet.data_dir, 1)
    logo = str(outside) if where == "absolute" else os.path.relpath(outside, revision_dir)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[clinic]\nlogo = "{logo}"\n', encoding="utf-8")
    number = publish_signed(clinic, pack(content_titled(tmp_path, "Logo"), config))
    assert number == 1
    kiosk.beat()
    assert kiosk.staged == []
    ((n, state, reason),) = office_says_all(clinic)
    assert (n, state) == (number, "refused") and "a logo it does not carry" in reason, reason


@pytest.mark.parametrize("own", ["", "own-exports"])
def test_a_published_export_folder_other_than_the_tablets_own_is_refused(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path, own: str
) -> None:
    """Found in review: published settings could send exports (patients' names and
    numbers) to any absolute folder on the tablet: a share, a folder others read.
    Only the tablet's own export folder may be named; the kiosk keeps what it runs."""
    if own:
        kiosk.base.config_file.write_text(f'[staff]\nexport_folder = "{own}"\n')
    elsewhere = tmp_path / "shared" / "exports"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[staff]\nexport_folder = "{elsewhere}"\n', encoding="utf-8")
    number = publish_signed(clinic, pack(content_titled(tmp_path, "Exports"), config))
    kiosk.beat()
    assert kiosk.staged == []
    ((n, state, reason),) = office_says_all(clinic)
    assert (n, state) == (number, "refused"), reason
    assert f"an export folder ({elsewhere}) other than this kiosk's own" in reason
    assert published.read(kiosk.tablet.data_dir).current is None


def test_a_published_export_folder_that_is_the_tablets_own_is_applied(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path
) -> None:
    own = tmp_path / "own-exports"
    kiosk.base.config_file.write_text(f'[staff]\nexport_folder = "{own}"\n')
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[staff]\nexport_folder = "{own}"\n', encoding="utf-8")
    number = publish_signed(clinic, pack(content_titled(tmp_path, "Exports"), config))
    kiosk.beat()
    assert [s.number for s in kiosk.staged] == [number]


def test_settings_with_a_logo_inside_the_revision_are_applied(
    clinic: Clinic, kiosk: Kiosk, tmp_path: Path
) -> None:
    content = content_titled(tmp_path, "Logo")
    (content / "logo.png").write_bytes(png_bytes())
    config = tmp_path / "kiosk.toml"
    config.write_text('[clinic]\nname = "Hillside"\nlogo = "content/logo.png"\n')
    number = publish_signed(clinic, pack(content, config))
    kiosk.beat()
    (staged,) = kiosk.staged
    assert staged.number == number
    assert (
        staged.paths.config_file == published.folder(kiosk.tablet.data_dir, number) / "kiosk.toml"
    )
    assert staged.paths.logo_file("content/logo.png") == staged.paths.content_dir / "logo.png"


def test_an_offline_kiosk_gets_it_with_its_first_heartbeat_back(
    pg: Cluster, clinic: Clinic, kiosk: Kiosk, tmp_path: Path
) -> None:
    """Driven by the sender itself, as the kiosk runs it (a heartbeat each round
    here), through a TCP proxy cut while the revision is published."""
    proxy = Proxy(pg.port)
    link = replace(kiosk.tablet.link, server=pg.server_url(clinic.db, port=proxy.port))
    facts = KioskFacts(version="test", data_dir=kiosk.tablet.data_dir)
    sender = Sender(
        link,
        kiosk.tablet.data_dir / "enquiries.sqlite3",
        facts,
        heartbeat_s=0.0,
        revisions=kiosk.updater,
    )
    try:
        sender.step()
        assert sender.last_beat_ok and kiosk.staged == []
        proxy.stop()
        number = publish_signed(clinic, pack(content_titled(tmp_path, "Later"), None))
        sender.step()
        assert not sender.last_beat_ok and kiosk.staged == []
        proxy = Proxy(pg.port, port=proxy.port)
        sender.step()
        assert [s.number for s in kiosk.staged] == [number]
        kiosk.updater.on_screen(number, load_library(kiosk.staged[0].paths.content_dir))
        sender.step()  # rendered, confirmed and reported in the same round
    finally:
        sender.stop()
        proxy.stop()
    assert office_says_all(clinic) == [(number, "applied", "")]
