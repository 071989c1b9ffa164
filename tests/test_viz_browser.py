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


# -- a map people can read (issue 11) ----------------------------------------------------
MEASURE = """(() => {
  const net = window.chainmap.network, scale = net.getScale();
  const nodes = window.chainmap.data.nodes;
  const size = kinds => Math.min(...nodes.filter(n => kinds.includes(n.kind))
                                        .map(n => n.font.size * scale));
  const r = document.getElementById('chainmap').getBoundingClientRect();
  let left = Infinity, right = -Infinity;
  for (const n of nodes) {
    const p = net.canvasToDOM({x: n.x, y: n.y});
    if (p.x >= 0 && p.x <= r.width) { left = Math.min(left, p.x); right = Math.max(right, p.x); }
  }
  return {scale: scale, product: size(['product']),
          firm: size(['local', 'candidate', 'local-group', 'candidate-group']),
          left: left, right: right, width: r.width, viewport: window.innerWidth};
})()"""

# edges (as vis-network draws them) that pass through a node other than their ends
CROSSINGS = """(() => {
  const net = window.chainmap.network, out = [], ids = net.body.nodeIndices, box = {};
  ids.forEach(id => { const n = net.body.nodes[id];
    box[id] = [n.x - n.shape.width / 2, n.y - n.shape.height / 2,
               n.x + n.shape.width / 2, n.y + n.shape.height / 2]; });
  net.body.edgeIndices.forEach(eid => {
    const e = net.body.edges[eid];
    const via = e.edgeType.getViaNode ? e.edgeType.getViaNode() : undefined;
    for (let k = 1; k < 60; k++) {
      const p = e.edgeType.getPoint(k / 60, via);
      for (const id of ids) {
        const b = box[id];
        if (id !== e.fromId && id !== e.toId && p.x > b[0] && p.x < b[2] && p.y > b[1]
            && p.y < b[3]) { out.push([e.fromId, e.toId, id]); return; }
      }
    }
  });
  return out;
})()"""


def open_1400(page: Page, path: Path) -> None:
    page.send("Emulation.setDeviceMetricsOverride",
              {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    page.open(path)
    page.drawn()


def click(page: Page, node_id: str) -> None:
    x, y = page.js(f"""(() => {{
        const net = window.chainmap.network, id = {json.dumps(node_id)};
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('chainmap').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
    }})()""")
    for kind in ("mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                               "clickCount": 1})
    time.sleep(0.4)


def card(page: Page) -> dict:
    return page.js("""(() => {
        const c = document.getElementById('chainmap-card');
        return {shown: !c.hidden, text: c.innerText,
                heading: (c.querySelector('h2') || {}).textContent,
                markup: c.querySelectorAll('img, svg, a, script, iframe, b, i').length};
    })()""")


@pytest.mark.parametrize("firms", [False, True], ids=["products", "firms"])
def test_opening_view_is_readable_and_fills_the_width(page, sample, tmp_path, firms):
    net = viz.chain_map(sample, "智能家电", home=HOME, firms=firms)
    path = viz.write_map(net, tmp_path / "map.html")
    open_1400(page, path)
    m = page.js(MEASURE)
    assert m["viewport"] == 1400
    assert m["product"] >= 12, m  # label px at the opening zoom
    if firms:
        assert m["firm"] >= 11, m
    assert m["right"] - m["left"] >= 0.8 * m["width"], m  # node centres span the width
    assert page.js(CROSSINGS) == [] or len(page.js(CROSSINGS)) <= 1  # one cyclic edge left
    assert_clean(page, path)


def test_labels_have_contrast():
    def luminance(colour: str) -> float:
        rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for font in (viz.PRODUCT_FONT, viz.FIRM_FONT, {"color": "#1f4e79"}, {"color": "#4b2a70"}):
        assert (1.05) / (luminance(font["color"]) + 0.05) >= 7  # WCAG AAA on white


def test_search_highlights_neighbours_and_clears(page, sample, tmp_path):
    net = viz.chain_map(sample, "智能家电", home=HOME, firms=True)
    path = viz.write_map(net, tmp_path / "map.html")
    open_1400(page, path)
    neighbours = {e["from"] for e in net.edges if e["to"] == "p:capacitor"} | \
        {e["to"] for e in net.edges if e["from"] == "p:capacitor"} | {"p:capacitor"}
    far = next(n["id"] for n in net.nodes if n["id"] not in neighbours)
    for query in ("电容器", "Capacitor", "capacitor"):
        page.js(f"(() => {{ const b = document.getElementById('chainmap-search'); "
                f"b.value = {json.dumps(query)}; "
                "b.dispatchEvent(new Event('input')); })()")
        lit = page.js("Object.keys(window.chainmap.lit() || {})")
        assert set(lit) == neighbours, query
        dimmed = page.js(f"window.chainmap.nodes.get({json.dumps(far)}).font.color")
        assert dimmed == "#c4c4c4"
        assert page.js("document.getElementById('chainmap-found').textContent") == "1 个匹配 found"
    # a firm, by its full name; Enter shows its card
    page.js("""(() => { const b = document.getElementById('chainmap-search');
        b.value = '安徽皓月电气有限公司'; b.focus(); })()""")
    page.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Enter", "code": "Enter",
                                         "windowsVirtualKeyCode": 13})
    time.sleep(0.3)
    assert set(page.js("Object.keys(window.chainmap.lit())")) >= {"f:haoyue", "p:capacitor"}
    shown = card(page)
    assert shown["shown"] and shown["heading"] == "安徽皓月电气有限公司"
    assert "生产 makes" in shown["text"] and "电容器" in shown["text"]
    # cleared: everything back at full strength
    page.js("""(() => { const b = document.getElementById('chainmap-search');
        b.value = ''; b.dispatchEvent(new Event('input')); })()""")
    assert page.js("window.chainmap.lit()") is None
    assert page.js(f"window.chainmap.nodes.get({json.dumps(far)}).font.color") in (
        viz.PRODUCT_FONT["color"], viz.FIRM_FONT["color"])
    assert page.js("window.chainmap.search('没有这个')") == []
    assert page.js("document.getElementById('chainmap-found').textContent") == "无匹配 no match"
    assert_clean(page, path)


def test_click_shows_the_card(page, sample, tmp_path):
    net = viz.chain_map(sample, "智能家电", home=HOME, firms=True)
    path = viz.write_map(net, tmp_path / "map.html")
    open_1400(page, path)
    assert card(page)["shown"] is False
    click(page, "p:capacitor")
    shown = card(page)
    assert shown["shown"] and shown["heading"] == "电容器"
    for text in ("Capacitor", "capacitor", "中游 midstream", "弱链 weak", "安徽皓月电气有限公司",
                 "1. 宁波余姚电容器有限公司"):
        assert text in shown["text"], text
    click(page, "f:haoyue")
    shown = card(page)
    assert shown["heading"] == "安徽皓月电气有限公司" and "地区 region" in shown["text"]
    assert_clean(page, path)


def test_hostile_names_stay_text_in_cards_and_search(page, tmp_path):
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, hostile_dataset(tmp_path / "evil"))
    net = viz.chain_map(ws, "evil", home=HOME, firms=True, date="2025-01-01")
    path = viz.write_map(net, tmp_path / "evil.html")
    open_1400(page, path)
    for node_id, name in (("p:raw", HOSTILE[0]), ("p:<b>mid</b>", HOSTILE[2]),
                          ("f:x4", HOSTILE[3])):
        page.js(f"window.chainmap.showCard({json.dumps(node_id)})")
        shown = card(page)
        assert shown["heading"] == name and shown["markup"] == 0, (node_id, shown)
        assert page.js(f"window.chainmap.search({json.dumps(name)}, true)")
        assert card(page)["markup"] == 0
    time.sleep(0.3)
    assert page.js("document.title") == net.title and page.drawn()["scripts"] == 3
    assert_clean(page, path)
