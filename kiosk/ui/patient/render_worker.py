"""Pages' bodies rendered on worker threads, so the GUI thread never runs Markdown.

``PageBody.get()`` runs Python-Markdown and the sanitiser the first time a
page is asked for. ``kiosk.content.budget`` keeps every page it knows to be
slow away from Markdown; this is the second line: a render the budget did
not foresee runs here, and the page screen gives up on it after
``RENDER_BUDGET_MS`` (``page.PageScreen``) while the idle reset, taps and
SIGTERM go on working.

Python cannot stop a thread: a render past its budget runs on until it ends,
its result unused on screen (kept in its ``PageBody``, so the page shows
when next opened). Meanwhile it holds the library's one Markdown, so a page
asked for after it waits too (within its own budget). The threads are
daemons, so one that never ends does not hold up the kiosk's exit. Nor can a
thread's memory be capped: only a child process could be (docs/internals.md).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.content.model import PageBody, Rendered


class _Finished(QObject):
    """One render's "done", sent from its thread by a sender of its own, which
    lives as long as the thread needs it. Sent as the renderer's own signal, it
    raced the renderer's deletion on the GUI thread (a window closed, or a page
    screen made again, while a slow page rendered on) and could crash the
    process; Qt undoes this sender's connection when the renderer goes."""

    done = Signal(object, object)


class BodyRenderer(QObject):
    """Renders pages' bodies on daemon threads, one thread for each body at a time.

    Signals:
        rendered(object, object): a body (``PageBody``) and its ``Future``,
            done; sent on the GUI thread, whoever is still waiting for it.
    """

    rendered = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # id(body) -> (the body, its future): a body asked for again while its
        # render runs gets the same future, not a second thread waiting on it.
        self._running: dict[int, tuple[PageBody, Future[Rendered]]] = {}
        self._guard = threading.Lock()

    def render(self, body: PageBody) -> Future[Rendered]:
        """The body's result, now (``body.rendered``) or when its worker is done."""
        if body.rendered:
            ready: Future[Rendered] = Future()
            ready.set_result(body.get())
            return ready
        with self._guard:
            running = self._running.get(id(body))
            if running is not None:
                return running[1]
            future: Future[Rendered] = Future()
            self._running[id(body)] = (body, future)
        finished = _Finished()  # no parent: the thread's to send, then let go
        finished.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

        def work() -> None:
            # body.get() never raises (the loader returns a fallback itself);
            # anything else still reaches the future, never the thread's top.
            try:
                future.set_result(body.get())
            except BaseException as exc:
                future.set_exception(exc)
            # The renderer deleted meanwhile (its page screen made again, or the
            # window closed): the connection is gone and nobody is waiting; the
            # result stays in the body, for the page's next showing.
            finished.done.emit(body, future)

        threading.Thread(target=work, name="page-render", daemon=True).start()
        return future

    def busy(self) -> int:
        """How many bodies are being rendered (tests, and the log)."""
        with self._guard:
            return len(self._running)

    def _on_done(self, body: PageBody, future: Future[Rendered]) -> None:
        with self._guard:
            self._running.pop(id(body), None)
        self.rendered.emit(body, future)
