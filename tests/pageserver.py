"""A real HTTP server on 127.0.0.1 (random port, in a thread) serving pages and every failure the
fetcher must survive. Tests never touch any other address."""

from __future__ import annotations

import sys
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SLOW_SECONDS = 3.0


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-body (a size cap or a timeout doing its job) is expected here:
    no traceback on stderr, where the tests look for the tool's own messages."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            super().handle_error(request, client_address)


class PageServer:
    """Routes: /pages/NAME -> `pages[NAME]` (bytes, content type); failures by path (see `_route`)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str]] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.in_flight = 0
        self.max_in_flight = 0
        self.user_agents: set[str] = set()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with server._lock:
                    server.hits[self.path] += 1
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    server.user_agents.add(self.headers.get("User-Agent", ""))
                try:
                    server._route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (too large, timed out): what the test wants
                finally:
                    with server._lock:
                        server.in_flight -= 1

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, name: str, body: bytes | str, content_type: str = "text/html; charset=utf-8") -> str:
        """Serve `body` at /pages/NAME; returns its URL."""
        self.pages[name] = (body.encode() if isinstance(body, str) else body, content_type)
        return self.url(f"/pages/{name}")

    def add_dir(self, folder: Path, pattern: str = "*.html") -> list[str]:
        return [self.add(p.name, p.read_bytes()) for p in sorted(folder.glob(pattern))]

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes = b"", content_type: str = "text/html",
              headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def _route(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path.startswith("/pages/") and path[7:] in self.pages:
            body, ctype = self.pages[path[7:]]
            time.sleep(0.02)  # long enough for overlapping requests to show up in max_in_flight
            self._send(h, 200, body, ctype)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(h, 200, b"<html><body><p>late</p></body></html>")
        elif path == "/drip":  # headers at once, then one byte every 0.2 s: only a total deadline stops it
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(100):
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(0.2)
        elif path == "/loop":
            self._send(h, 302, headers={"Location": "/loop"})
        elif path.startswith("/hops/"):
            n = int(path.split("/")[2])
            target = f"/hops/{n - 1}" if n > 0 else "/pages/" + next(iter(sorted(self.pages)))
            self._send(h, 301, headers={"Location": target})
        elif path == "/big":  # 50 MB, no Content-Length: only a streamed cap stops it
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            chunk = b"<p>" + b"x" * 65_000 + b"</p>"
            for _ in range(50_000_000 // len(chunk)):
                h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            h.wfile.write(b"0\r\n\r\n")
        elif path == "/big-declared":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(50_000_000))
            h.end_headers()
        elif path == "/pdf":
            self._send(h, 200, b"%PDF-1.7\n" + b"0" * 2000, "application/pdf")
        elif path.startswith("/status/"):
            self._send(h, int(path.split("/")[2]), b"<html><body>error</body></html>")
        else:
            self._send(h, 404, b"not found")

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def refused_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a port just bound and released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing"
