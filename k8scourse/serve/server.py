"""The server: a simulated cluster behind `http.server.ThreadingHTTPServer`, one lock around the backend,
and a clock thread that moves simulated time on at wall time × speed.

Called by `k8scourse.serve.serve()` (and so by `Cluster.serve()` and `k8scourse serve`). The simulator
is not thread-safe: every backend call made by a request, the clock thread or `advance()`/`settle()`
holds `lock`. `changed` (a condition on that lock) is notified on every store write, so watches and
followed logs wake at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import openapi
from .handler import Handler
from .kubeconfig import write_kubeconfig
from .request import Reply, not_found_path
from .resources import Resources
from .routes import served_versions

TICK_SECONDS = 0.05  # how often the clock thread moves simulated time on


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: Server):
        self.app = app
        self.connections: set[socket.socket] = set()  # open client connections, closed on stop()
        self.connections_lock = threading.Lock()
        super().__init__(address, Handler)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.connections_lock:
                self.connections.discard(request)

    def close_connections(self) -> None:
        """End every open connection (kept-alive clients included): after stop() nothing answers."""
        with self.connections_lock:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class Server:
    """A running `k8scourse serve`: `url`, `kubeconfig`, `advance()`, `settle()`, `stop()`."""

    def __init__(self, backend: Any, *, host: str = "127.0.0.1", port: int = 0, kubeconfig: str | Path | None = None,
                 speed: float = 1.0, context: str = "k8scourse", verbose: bool = False):
        if speed < 0:
            raise ValueError(f"speed must be 0 (time moves only when asked) or more; got {speed!r}.")
        self.backend = backend
        self.registry = backend.registry
        self.speed = float(speed)
        self.verbose = verbose
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.stopping = False
        self.resources = Resources(self)
        self._openapi: dict[str, bytes] = {}
        self._http = _HTTPServer((host, port), self)
        self.host, self.port = self._http.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self.kubeconfig = write_kubeconfig(self.url, context, kubeconfig)
        self._subscribe()
        self._threads = [threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.1},
                                          name="k8scourse-serve", daemon=True)]
        if self.speed > 0:
            self._threads.append(threading.Thread(target=self._run_clock, name="k8scourse-clock", daemon=True))
        for thread in self._threads:
            thread.start()

    def __repr__(self) -> str:
        state = "stopped" if self.stopping else "serving"
        return f"<k8scourse serve {state} at {self.url}, kubeconfig {self.kubeconfig}>"

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- change notification ----------------------------------------------------------------------
    def _subscribe(self) -> None:
        store = getattr(getattr(self.backend, "api", None), "store", None)
        if store is not None:
            store.subscribe(self._notify)
            self._store = store

    def _notify(self, _event: Any) -> None:
        """Wake watches. Requests call the backend holding the lock (re-entered here at once); a caller
        that went around it gets a short wait, and watches poll anyway."""
        if self.lock.acquire(timeout=0.1):
            try:
                self.changed.notify_all()
            finally:
                self.lock.release()

    @property
    def locked_backend(self) -> LockedBackend:
        """The backend behind this server's lock, for callers in other threads (a notebook's Cluster)."""
        return LockedBackend(self.backend, self.lock)

    # --- time -------------------------------------------------------------------------------------
    def _run_clock(self) -> None:
        last = time.monotonic()
        while not self.stopping:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            with self.lock:
                self.backend.advance((now - last) * self.speed)
                self.changed.notify_all()
            last = now

    def advance(self, seconds: float) -> Any:
        """Let `seconds` of simulated time pass (holding the lock, so requests wait for it)."""
        with self.lock:
            report = self.backend.advance(seconds)
            self.changed.notify_all()
        return report

    def settle(self, timeout: float | None = None) -> Any:
        """Run simulated time until nothing is pending."""
        with self.lock:
            report = self.backend.settle(timeout)
            self.changed.notify_all()
        return report

    def react(self) -> None:
        """Run the work due now (after a request that went around the backend's verbs, e.g. a binding)."""
        clock = getattr(self.backend, "clock", None)
        if clock is not None:
            clock.run_due()

    # --- OpenAPI (built once, on first request) ---------------------------------------------------
    def openapi_reply(self, path: str) -> Reply:
        with self.lock:  # one build at a time; the documents never change
            if not self._openapi:
                self._build_openapi()
        key = path.removeprefix("/openapi/")
        body = self._openapi.get(key)
        if body is None:
            raise not_found_path()
        return Reply(200, body)

    def _build_openapi(self) -> None:
        docs = {"v2": openapi.encode(openapi.v2_document(self.registry))}
        hashes = {}
        for group, versions in served_versions(self.registry).items():
            for version in versions:
                path = openapi.v3_path(group, version)
                body = openapi.encode(openapi.v3_document(self.registry, group, version))
                docs[f"v3/{path}"] = body
                hashes[path] = openapi.document_hash(body)
        docs["v3"] = openapi.encode(openapi.v3_index(self.registry, hashes))
        self._openapi = docs

    # --- stopping ---------------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop serving: open watches and log streams end, the port is released."""
        if self.stopping:
            return
        self.stopping = True
        with self.lock:
            self.changed.notify_all()
        self._http.shutdown()
        self._http.server_close()
        self._http.close_connections()
        for thread in self._threads:
            thread.join(timeout=2)
        store = getattr(self, "_store", None)
        if store is not None:
            store.unsubscribe(self._notify)


class LockedBackend:
    """A backend whose method calls take the server's lock: the notebook and the requests take turns."""

    def __init__(self, backend: Any, lock: threading.RLock):
        self._backend = backend
        self._lock = lock

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._backend, name)
        if not callable(value):
            return value

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return value(*args, **kwargs)

        return locked


def serve(backend: Any, *, host: str = "127.0.0.1", port: int = 0, kubeconfig: str | Path | None = None,
          speed: float = 1.0, context: str = "k8scourse") -> Server:
    """Serve `backend` (a simulated cluster) as a Kubernetes REST API in background threads.

    Returns at once. `port=0` picks a free port; the kubeconfig for kubectl is written to `kubeconfig`
    (a temporary file when None). `speed` is how fast simulated time runs against wall time (0: only
    `Server.advance()`/`settle()` move it).
    """
    return Server(backend, host=host, port=port, kubeconfig=kubeconfig, speed=speed, context=context)
