"""A small TCP proxy the tests can cut: every connection through it dies at ``stop()``."""

from __future__ import annotations

import socket
import threading
from contextlib import suppress


class Proxy:
    def __init__(self, target_port: int, port: int = 0) -> None:
        self.target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", port))
        self.port = int(self._listener.getsockname()[1])
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = False
        #: Bytes the server sent to clients through the proxy (what a kiosk downloaded).
        self.to_clients = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._stopped:
                    client.close()
                    server.close()
                    return
                self._sockets += [client, server]
            for a, b, down in ((client, server, False), (server, client, True)):
                threading.Thread(target=self._pipe, args=(a, b, down), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, down: bool) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
                if down:
                    with self._lock:
                        self.to_clients += len(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def stop(self) -> None:
        """Cut every connection, as a network that went away (RST, no goodbye)."""
        with self._lock:
            self._stopped = True
            sockets, self._sockets = self._sockets, []
        # shutdown wakes the accept() blocked in the other thread; close alone would
        # leave the port listening until it returned.
        with suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for sock in sockets:
            with suppress(OSError):
                sock.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                sock.close()
