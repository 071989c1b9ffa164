"""The chain map in a real browser: headless Chromium, offline, driven over the DevTools
protocol (``--remote-debugging-pipe``: NUL-separated JSON on fds 3 and 4, no extra
package needed).

Each page is loaded from ``file://`` with the network emulated offline and every host
name unresolvable; the tests record every request the page makes, every console error
and exception, and every dialog, and read the drawn graph from the page.

Without Chromium these tests skip, except under CI (``CI`` set), where they fail:
``scripts/test.sh`` installs Debian's ``chromium``.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

import chainmap
import chainmap.viz as viz  # noqa: E402
from tests.test_viz import HOME, HOSTILE, big_dataset, hostile_dataset

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--no-default-browser-check",
         "--mute-audio", "--window-size=1400,900",
         "--host-resolver-rules=MAP * ~NOTFOUND"]
TIMEOUT = 60.0
OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


class Browser:
    """A headless Chromium and a minimal DevTools-protocol client over its pipe."""

    def __init__(self, profile: Path, log: Path) -> None:
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        # keep the child's ends above 4 so that moving them to 3 and 4 cannot clobber them
        child_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def wire_pipe() -> None:  # in the child: fd 3 reads commands, fd 4 writes replies
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)

        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
            preexec_fn=wire_pipe, close_fds=False)
        os.close(child_r)
        os.close(child_w)
        self._out = os.fdopen(to_chrome_w, "wb", buffering=0)
        self._in = from_chrome_r
        self._next_id = 0
        self._replies: queue.Queue = queue.Queue()
        self.events: list[dict] = []
        self.parents: dict[str, str | None] = {}  # child session -> the session it is under
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._in, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                self._replies.put(None)
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                self._replies.put(json.loads(raw))

    def _pump(self, timeout: float) -> dict | None:
        try:
            message = self._replies.get(timeout=timeout)
        except queue.Empty:
            return None
        if message is None:
            raise RuntimeError("Chromium closed the DevTools pipe")
        if "method" in message:
            self.events.append(message)
            if message["method"] == "Page.javascriptDialogOpening":  # never leave it blocking
                self._send("Page.handleJavaScriptDialog", {"accept": False},
                           message.get("sessionId"))
            elif message["method"] == "Target.attachedToTarget":  # an iframe (or worker)
                child = message["params"]["sessionId"]
                self.parents[child] = message.get("sessionId")
                for method in ("Runtime.enable", "Network.enable", "Log.enable"):
                    self._send(method, None, child)
                self._send("Network.emulateNetworkConditions", OFFLINE, child)
                self._send("Runtime.runIfWaitingForDebugger", None, child)
        return message

    def _send(self, method: str, params: dict | None, session: str | None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._out.write(json.dumps(message).encode() + b"\0")
        return self._next_id

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = TIMEOUT) -> dict:
        wanted = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._pump(deadline - time.monotonic())
            if message is not None and message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
        raise TimeoutError(f"no reply to {method} in {timeout}s")

    def wait_event(self, method: str, session: str, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            for event in self.events[seen:]:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            seen = len(self.events)
            self._pump(min(0.2, max(deadline - time.monotonic(), 0.01)))
        raise TimeoutError(f"no {method} in {timeout}s")

    def close(self) -> None:
        try:
            self._send("Browser.close", None, None)
            self.proc.wait(timeout=15)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=15)
        finally:
            self._out.close()
            self._log.close()


class Page:
    """One tab with the network offline, recording requests, errors and dialogs."""

    def __init__(self, browser: Browser) -> None:
        self.b = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget",
                                    {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Network.enable", "Log.enable"):
            self.send(method)
        self.send("Network.emulateNetworkConditions", OFFLINE)
        # iframes (the notebook view's is sandboxed, so out of process) are paused until
        # the browser has set them up like this page
        self.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True,
                                           "flatten": True})
        self.start = len(browser.events)

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.b.send(method, params, self.session)

    def open(self, path: Path) -> float:
        """Load ``path``; return the seconds until the load event."""
        self.start = len(self.b.events)
        began = time.monotonic()
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        self.b.wait_event("Page.loadEventFired", self.session)
        return time.monotonic() - began

    def js(self, expression: str):
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": True})
        if "exceptionDetails" in reply:
            raise AssertionError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    @property
    def sessions(self) -> set[str]:
        """This page's session and those of its frames."""
        out = {self.session}
        for _ in range(5):
            out |= {c for c, parent in self.b.parents.items() if parent in out}
        return out

    def _events(self, *methods: str) -> list[dict]:
        sessions = self.sessions
        return [e["params"] for e in self.b.events[self.start:]
                if e.get("sessionId") in sessions and e["method"] in methods]

    @property
    def requests(self) -> list[str]:
        return [p["request"]["url"] for p in self._events("Network.requestWillBeSent")]

    @property
    def errors(self) -> list[str]:
        out = [f"console.{p['type']}: {p['args']}" for p in
               self._events("Runtime.consoleAPICalled") if p["type"] in ("error", "assert")]
        out += [f"exception: {p['exceptionDetails']}" for p in
                self._events("Runtime.exceptionThrown")]
        out += [f"log {p['entry']['source']}: {p['entry']['text']}" for p in
                self._events("Log.entryAdded") if p["entry"]["level"] == "error"]
        return out

    @property
    def dialogs(self) -> list[str]:
        return [p["message"] for p in self._events("Page.javascriptDialogOpening")]

    def drawn(self) -> dict:
        """What the page drew, after two animation frames."""
        return self.js("""
            new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
              const net = window.chainmap && window.chainmap.network;
              const canvas = document.querySelector('#chainmap canvas');
              let painted = 0;
              if (canvas) {
                const px = canvas.getContext('2d')
                  .getImageData(0, 0, canvas.width, canvas.height).data;
                for (let i = 3; i < px.length; i += 4) { if (px[i] !== 0) { painted++; } }
              }
              done({
                nodes: net ? net.body.data.nodes.length : -1,
                edges: net ? net.body.data.edges.length : -1,
                bodyNodes: net ? net.body.nodeIndices.length : -1,
                painted: painted,
                title: document.title,
                markup: document.querySelectorAll('img, svg, a, iframe, object, embed').length,
                scripts: document.scripts.length,
              });
            })))""")

    def hover(self, node_id: str) -> str:
        """Move the mouse onto ``node_id``; return the tooltip's text ('' if none)."""
        x, y = self.js(f"""(() => {{
            const net = window.chainmap.network, id = {json.dumps(node_id)};
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.getElementById('chainmap').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }})()""")
        for dx in (0, 1, 0):
            self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + dx, "y": y})
            time.sleep(0.3)
        return self.js("""(() => {
            const tip = document.querySelector('div.vis-tooltip');
            if (!tip || tip.style.visibility === 'hidden') { return ''; }
            if (tip.querySelector('img, svg, a, script, iframe')) { return 'MARKUP'; }
            return tip.innerText;
        })()""")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI is set: the browser tests must "
                        "run (scripts/test.sh installs Debian's chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); "
                    "the browser tests of the chain map are skipped")
    folder = tmp_path_factory.mktemp("chromium")
    b = Browser(folder / "profile", folder / "chromium.log")
    try:
        b.send("Browser.getVersion", timeout=TIMEOUT)
    except Exception:
        b.close()
        raise
    yield b
    b.close()


@pytest.fixture
def page(browser):
    p = Page(browser)
    yield p
    try:
        browser.send("Target.closeTarget", {"targetId": browser.send(
            "Target.getTargetInfo", {}, p.session)["targetInfo"]["targetId"]})
    except Exception:
        pass


def assert_clean(page: Page, path: Path) -> None:
    """Only the file itself was requested; no console error; no dialog."""
    here = path.resolve().as_uri()
    assert page.requests and set(page.requests) <= {here}, page.requests
    assert page.errors == []
    assert page.dialogs == []


@pytest.fixture(scope="module")
def sample():
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, chainmap.sample_path())
    yield ws
    ws.close()


def test_sample_map_draws_every_node_offline(page, sample, tmp_path):
    report = chainmap.gaps(sample, "智能家电", home=HOME)
    local = {f for fs in report["local_firms"] for f in fs}
    cands = {f for c in report.loc[report["status"] != "covered", "candidates"] for f in c[:3]}
    net = viz.chain_map(sample, "智能家电", home=HOME, firms=True)
    path = viz.write_map(net, tmp_path / "map.html")
    page.open(path)
    drawn = page.drawn()
    assert drawn["nodes"] == drawn["bodyNodes"] == len(report) + len(local) + len(cands)
    assert drawn["edges"] == net.num_edges()
    assert drawn["painted"] > 1000  # the canvas shows something
    assert drawn["title"] == net.title and drawn["markup"] == 0
    assert page.hover("p:capacitor").startswith("电容器 · Capacitor\n状态 status: 弱链 weak")
    assert_clean(page, path)


def test_products_only_map(page, sample, tmp_path):
    path = viz.write_map(viz.chain_map(sample, "生物医药", home=HOME), tmp_path / "bio.html")
    page.open(path)
    report = chainmap.gaps(sample, "生物医药", home=HOME)
    assert page.drawn()["nodes"] == len(report)
    assert_clean(page, path)


def test_hostile_names_do_not_run(page, tmp_path):
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, hostile_dataset(tmp_path / "evil"))
    net = viz.chain_map(ws, "evil", home=HOME, firms=True, date="2025-01-01")
    path = viz.write_map(net, tmp_path / "evil.html")
    page.open(path)
    time.sleep(0.3)  # give an onerror/onload handler the chance it must not get
    drawn = page.drawn()
    assert drawn["nodes"] == 8 and drawn["title"] == net.title  # not 'pwned'
    assert drawn["markup"] == 0 and drawn["scripts"] == 3
    for node_id, name in (("p:raw", HOSTILE[0]), ("p:<b>mid</b>", HOSTILE[2]),
                          ("f:x4", HOSTILE[3])):
        tip = page.hover(node_id)
        assert tip.startswith(name), (node_id, tip)  # shown as text, not markup
    assert page.js("document.title") == net.title
    assert_clean(page, path)


def test_five_thousand_firms_open_in_a_few_seconds(page, tmp_path):
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, big_dataset(tmp_path / "big", n_firms=5000))
    net = viz.chain_map(ws, "big", home=HOME, firms=True)
    assert net.aggregated
    path = viz.write_map(net, tmp_path / "big.html")
    seconds = page.open(path)
    drawn = page.drawn()
    assert seconds < 10
    assert drawn["nodes"] == net.num_nodes() == 60 + 50 + 15
    assert_clean(page, path)


def test_notebook_iframe_renders(page, sample, tmp_path):
    """The Jupyter view (a sandboxed srcdoc iframe) draws too, and requests nothing."""
    net = viz.chain_map(sample, "智能家电", home=HOME)
    path = tmp_path / "notebook.html"
    path.write_text(f"<!DOCTYPE html><html><body>{net._repr_html_()}</body></html>",
                    encoding="utf-8")
    page.open(path)
    frames = [c for c, parent in page.b.parents.items() if parent == page.session]
    assert len(frames) == 1
    expression = ("new Promise(done => requestAnimationFrame(() => done(window.chainmap ? "
                  "window.chainmap.network.body.data.nodes.length : -1)))")
    reply = page.b.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                             "awaitPromise": True}, frames[0])
    assert reply["result"]["value"] == 32
    assert page.js("document.title") == ""  # the frame cannot reach the notebook's page
    assert set(page.requests) <= {path.resolve().as_uri(), "about:srcdoc"}
    assert page.errors == [] and page.dialogs == []
