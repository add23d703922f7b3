"""Open the office app signed in over a throwaway PostgreSQL, for screenshots and review.

    python scripts/preview_office.py [SCREEN] [--quit-after S]

SCREEN: inbox (the list, the first enquiry chosen), search (a phone number
searched for), filtered (contacted ones from one kiosk), note (the first enquiry
marked "No answer" with a note, as the app seals it), kiosks (their health and
receipts: the rows here are not signed, so each kiosk's line is red), revisions
(three published, Lobby's report of one rolled back, in red) or publish (the
form open, with the problems of a page broken on purpose). The database is
made as the office tests make it (tests/office/pg.py: Debian's PostgreSQL)
with 300 enquiries from two kiosks, topics titled by a heartbeat; it is
stopped and removed when the window closes or after ``--quit-after`` seconds.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.office_inbox import PIN, clinic, fill
from kiosk.office import admin
from kiosk.ui.office import words as w
from kiosk.ui.office.window import OfficeWindow
from tests.office.pg import start_cluster

TITLES = (
    '{"ketamine-and-depression": "Ketamine and depression", "psilocybin-therapy": "Psilocybin"}'
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "screen",
        nargs="?",
        default="inbox",
        choices=("inbox", "search", "filtered", "note", "kiosks", "revisions", "publish"),
    )
    parser.add_argument("--quit-after", type=float, default=0.0)
    args = parser.parse_args()
    import psycopg  # the driver, as the office app has it

    cluster = start_cluster()
    try:
        url = cluster.dsn(cluster.create_database())
        with psycopg.connect(url) as conn:
            roles = clinic(conn, cluster.ca_file.read_text(), "Ana")
            fill(conn, roles, admin.clinic_ring(conn).sealer(), 300)
            conn.execute(
                "UPDATE enquiries SET status = 'contacted', status_at = now() WHERE id % 7 = 0"
            )
            conn.execute(
                "INSERT INTO heartbeats (kiosk, sent_at, version, content_fingerprint,"
                " outbox_depth, uptime_s, topics) SELECT role, now(), '1', '', 0, 1, %s"
                " FROM kiosks",
                (TITLES,),
            )
            if args.screen in ("revisions", "publish"):
                _publish_some(conn)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        settings = QSettings(str(cluster.root / "office.ini"), QSettings.Format.IniFormat)
        window = OfficeWindow(url, listen=False, settings=settings)
        window.sign_in_page.name.setText("Ana")
        window.sign_in_page.pin.setText(PIN)
        window.show()  # as `kiosk office app` opens it: sized to the screen
        window.sign_in_page.button.click()
        while window.sign_in_page.checking:  # the PIN is checked on a worker
            app.processEvents()
        page = window.inbox
        if args.screen == "search":
            page.search.setText("801 555-01")
            page.apply()
        elif args.screen == "filtered":
            page.status.setCurrentIndex(page.status.findData("contacted"))
            page.kiosk.setCurrentIndex(page.kiosk.findText("Lobby"))
        page.table.selectRow(0)
        if args.screen == "note":
            page.detail.note.setText("Left a voicemail; she prefers a call after 5 pm")
            page.detail.outcomes["no_answer"].click()
        if args.screen in ("kiosks", "revisions"):
            window.show_view(args.screen)
        if args.screen == "publish":
            _open_form(window, cluster.root)
        if args.quit_after:
            QTimer.singleShot(int(args.quit_after * 1000), app.quit)
        # Killed (the screenshot tool's way to close it): quit, so the cluster is removed.
        # Python handles a signal only between Qt's calls: a timer gives it the chance.
        signal.signal(signal.SIGTERM, lambda *_: app.quit())
        ticks = QTimer()
        ticks.start(200)
        ticks.timeout.connect(lambda: None)
        code = int(app.exec())
        window.sign_out()
        return code
    finally:
        cluster.cleanup()


def _publish_some(conn: Any) -> None:
    """Three revisions of the shipped content (Lobby first, then all), and what the
    kiosks reported: written as the owner here (the kiosks are not real tablets)."""
    from kiosk.office import publish
    from kiosk.paths import shipped_content_dir

    admin.set_group(conn, "Lobby", "Lobby")
    key = admin.publishing_key(conn, admin.member_by_pin(conn, "Ana", PIN).opener)
    payload = publish.prepare(shipped_content_dir(), None)
    for targets, note in (
        ([publish.ALL], "The shipped pages"),
        ([publish.ALL], "Spring opening hours"),
        (["Lobby"], "New page on aftercare; page 03 reworded"),
    ):
        publish.publish(conn, payload, key, by="Ana", targets=targets, note=note)
    conn.execute(
        "INSERT INTO kiosk_revisions (kiosk, revision, state, reason)"
        " SELECT role, 2, 'applied', '' FROM kiosks"
    )
    conn.execute(
        "INSERT INTO kiosk_revisions (kiosk, revision, state, reason)"
        " SELECT role, 3, 'rolled_back', 'page 03 failed to render' FROM kiosks"
        " WHERE name = 'Lobby'"
    )
    conn.commit()


def _open_form(window: OfficeWindow, scratch: Path) -> None:
    """The Revisions view with the publish form open on a copy of the shipped content
    with one page broken, its problems shown as "Check and publish" shows them."""
    import shutil

    from kiosk.office import publish
    from kiosk.paths import shipped_content_dir

    content = scratch / "content"
    shutil.copytree(shipped_content_dir(), content)
    page = content / "ketamine-and-depression" / "03-how-does-ketamine-work.md"
    page.write_text(page.read_text().replace("order: 3\n", "order: 3\ntile: sideways\n"))
    window.show_view("revisions")
    window.revisions.show_form()
    form = window.revisions.form
    form.folder.setText(str(content))
    form.note.setText("Aftercare page")
    form.message.setText(w.PUBLISH_REFUSED)
    form.show_problems(publish.problems_of(content, None))


if __name__ == "__main__":
    sys.exit(main())
