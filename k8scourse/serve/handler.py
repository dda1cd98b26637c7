"""The HTTP request handler: reads a request, routes it (health, /version, discovery, OpenAPI or a
resource), and writes the JSON, text or chunked stream kube-apiserver would write.

Created by `http.server.ThreadingHTTPServer` for each connection of a `k8scourse.serve.server.Server`;
everything it answers comes from `discovery`, `openapi`, `resources` and `streams`. Errors become
Status objects with their HTTP code; anything unexpected is a 500 InternalError Status, never a
dropped connection.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import select
import socket
import traceback
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from ..api.errors import ApiError, K8sError, bad_request_error, internal_error
from . import discovery, streams
from .request import Reply, Request, not_found_path, status_reply
from .routes import Discovery, Route, UnknownPath, parse

if TYPE_CHECKING:
    from .server import Server

HEALTH_PATHS = ("/healthz", "/readyz", "/livez")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm holds the body back
    # until the client's delayed ACK (about 40 ms per request on a kept-alive connection).
    disable_nagle_algorithm = True
    server_version = "k8scourse"
    sys_version = ""

    @property
    def app(self) -> Server:
        return self.server.app  # type: ignore[attr-defined]

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The Date header in the cluster's time: clients (kubectl describe, the official-client backend)
        measure ages against it, and the simulated clock is not the machine's."""
        if timestamp is not None:
            return super().date_time_string(timestamp)
        with self.app.lock:
            now = self.app.backend.current_time()
        return email.utils.format_datetime(now.astimezone(datetime.UTC), usegmt=True)

    # --- http.server entry points -----------------------------------------------------------------
    def handle(self) -> None:
        """Serve the connection's requests; a client that hangs up mid-way is no error of the server's."""
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        if self.app.verbose:
            super().log_message(format, *args)

    # --- one request ------------------------------------------------------------------------------
    def _read_request(self) -> Request:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return Request.build(self.command, self.path, dict(self.headers.items()), body)

    def _handle(self) -> None:
        self._streaming = False
        try:
            req = self._read_request()
            reply = self._dispatch(req)
        except ApiError as exc:
            reply = status_reply(exc)
        except K8sError as exc:
            reply = status_reply(bad_request_error(str(exc)))
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception as exc:  # noqa: BLE001 - a request must always get an answer
            if self.app.verbose:
                traceback.print_exc()
            reply = status_reply(internal_error(f"{type(exc).__name__}: {exc}"))
        if reply is not None and not self._streaming:
            self._send(reply)

    def _dispatch(self, req: Request) -> Reply | None:
        path = req.path.rstrip("/") or "/"
        if path in HEALTH_PATHS:
            return Reply(200, "ok", "text/plain; charset=utf-8")
        if path == "/version":
            return Reply(200, discovery.version_info())
        if path.startswith("/openapi/"):
            return self.app.openapi_reply(path)
        try:
            target = parse(self.app.registry, path)
        except UnknownPath:
            raise not_found_path() from None
        if isinstance(target, Discovery):
            return self._discovery(target, req)
        return self._resource(target, req)

    def _discovery(self, target: Discovery, req: Request) -> Reply:
        registry = self.app.registry
        if target.version is None and target.group is None:
            if discovery.AGGREGATED_V2.split(";as=")[0] in req.headers.get("accept", ""):
                return Reply(200, discovery.aggregated(registry, target.legacy), discovery.AGGREGATED_V2)
            if target.legacy:
                return Reply(200, discovery.api_versions(f"{self.app.host}:{self.app.port}"))
            return Reply(200, discovery.api_group_list(registry))
        if target.version is None:
            doc = discovery.api_group(registry, target.group or "")
            if doc is None:
                raise not_found_path()
            return Reply(200, doc)
        return Reply(200, discovery.resource_list(registry, target.group or "", target.version))

    def _resource(self, route: Route, req: Request) -> Reply | None:
        if req.method == "GET" and route.collection and req.flag("watch"):
            self._stream(streams.watch, route, req)
            return None
        if req.method == "GET" and route.name and req.param("watch") is not None and req.flag("watch"):
            raise bad_request_error("watch is only served on collections; use a fieldSelector of metadata.name")
        if route.subresource == "log" and req.method == "GET":
            if req.flag("follow"):
                self._stream(streams.follow_logs, route, req)
                return None
            with self.app.lock:
                text = self.app.backend.logs(route.namespace or "default", route.name or "",
                                             tail=req.int_param("tailLines"), **streams.log_options(req))
            return Reply(200, text, "text/plain")
        return self.app.resources.handle(route, req)

    # --- writing ----------------------------------------------------------------------------------
    def _send(self, reply: Reply) -> None:
        body = reply.encoded()
        try:
            self.send_response(reply.code)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache, private")
            for warning in reply.warnings:
                self.send_header("Warning", f'299 - {json.dumps(warning)}')
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _stream(self, func: Any, route: Route, req: Request) -> None:
        writer = _Chunks(self)
        try:
            func(self.app, route, req, writer)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self._streaming = writer.started


class _Chunks:
    """Chunked transfer encoding on the handler's connection (streams.ChunkedWriter)."""

    def __init__(self, handler: Handler):
        self.handler = handler
        self.started = False

    def start(self, content_type: str) -> None:
        h = self.handler
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("Cache-Control", "no-cache, private")
        # The connection closes when the stream ends (`end`): say so, or a client returns it to its pool and
        # its next request races the close ("Remote end closed connection without response").
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.flush()
        self.started = True

    def write(self, data: bytes) -> None:
        if not data:
            return
        self.handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.handler.wfile.flush()

    def closed(self) -> bool:
        """Whether the client has hung up (its socket reads as end-of-file)."""
        sock = self.handler.connection
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def end(self) -> None:
        try:
            self.handler.wfile.write(b"0\r\n\r\n")
            self.handler.wfile.flush()
        except OSError:
            pass
        self.handler.close_connection = True
