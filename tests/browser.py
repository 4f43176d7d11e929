"""Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe).

Stdlib only: the browser reads JSON commands, each ending in a NUL byte, on its fd 3 and writes
replies and events on its fd 4. Nothing is downloaded and no port is opened. Used by the browser
tests and by bench/screenshot.py.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--disable-features=Translate,MediaRouter,OptimizationHints", "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    """The browser could not be started, or did not answer in time."""


def find_chromium() -> str | None:
    """The path of a Chromium-family browser on PATH (or $CHROMIUM), else None."""
    env = os.environ.get("CHROMIUM")
    if env and shutil.which(env):
        return shutil.which(env)
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _high_fd(fd: int) -> int:
    import fcntl

    new = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return new


class Browser:
    """One headless browser with one page; events are kept for inspection (console, network)."""

    def __init__(self, executable: str | None = None, width: int = 1280, height: int = 900,
                 timeout: float = 30.0) -> None:
        exe = executable or find_chromium()
        if exe is None:
            raise BrowserError("no chromium found on PATH")
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self._next = 0
        self._buf = b""
        self._profile = tempfile.TemporaryDirectory(prefix="claimcheck-chromium-")
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        to_child_r, from_child_w = _high_fd(to_child_r), _high_fd(from_child_w)

        def wire() -> None:  # in the child: fd 3 = commands in, fd 4 = replies out
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self._proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={self._profile.name}", f"--window-size={width},{height}",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, pass_fds=(3, 4), close_fds=True,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._out = to_child_w
        self._in = from_child_r
        try:
            target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.call(f"{domain}.enable")
            # No smooth scrolling: positions are final as soon as a script has scrolled.
            self.call("Emulation.setEmulatedMedia",
                      {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
            self.call("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        except BaseException:
            self.close()
            raise

    # -- protocol

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send a command and wait for its reply; events that arrive meanwhile are kept."""
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        want = self._next
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == want:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def call(self, method: str, params: dict | None = None) -> dict:
        """A command to the page's session."""
        return self.send(method, params, self.session)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("the browser did not answer in time")
            ready, _, _ = select.select([self._in], [], [], left)
            if ready:
                chunk = os.read(self._in, 1 << 16)
                if not chunk:
                    raise BrowserError("the browser closed the pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def wait_for(self, method: str, timeout: float | None = None) -> dict:
        """Wait for an event (one already received counts)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for ev in self.events:
                if ev.get("method") == method and not ev.get("_seen"):
                    ev["_seen"] = True
                    return ev
            msg = self._read(deadline)
            if "method" in msg:
                self.events.append(msg)

    # -- page

    def open(self, url: str) -> None:
        """Navigate and wait for the load event."""
        for blank_first in (True, False):  # via about:blank, so a new #fragment is a fresh load too
            for ev in self.events:
                ev["_seen"] = True
            self.call("Page.navigate", {"url": "about:blank" if blank_first else url})
            self.wait_for("Page.loadEventFired")

    def eval(self, expression: str) -> Any:
        """Evaluate JavaScript in the page; the value as JSON. A thrown error raises BrowserError."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:60]}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (pressed and released) in the middle of the element."""
        box = self.eval(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center', behavior: 'instant'}});"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent",
                      {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1})

    def screenshot(self, full_page: bool = True) -> bytes:
        """A PNG of the page (the whole length when `full_page`)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        return base64.b64decode(self.call("Page.captureScreenshot", params)["data"])

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (CSP violations among them)."""
        out = []
        for ev in self.events:
            p = ev.get("params", {})
            if ev.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif ev.get("method") == "Runtime.exceptionThrown":
                details = p.get("exceptionDetails", {})
                out.append(details.get("exception", {}).get("description") or details.get("text", ""))
            elif ev.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", ""))
        return out

    def requests(self) -> list[str]:
        """Every URL the page asked the network stack for (the page itself included)."""
        return [ev["params"]["request"]["url"] for ev in self.events
                if ev.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        try:
            if self._proc.poll() is None:
                try:
                    self.send("Browser.close")
                except (BrowserError, OSError):
                    pass
                try:
                    self._proc.wait(5)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait(5)
        finally:
            for fd in (getattr(self, "_out", None), getattr(self, "_in", None)):
                if fd is not None:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
