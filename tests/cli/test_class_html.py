"""`lynx class --html`: one self-contained page, checked as text (nothing fetched, learners' text escaped)
and in a real headless Chromium driven over the DevTools protocol: it loads with no console error and no
exception, a learner's <script> never runs, a click on a heading sorts the table, and a screenshot is
taken (saved beside the report, and under /tmp/lynx-test-shots/ to look at)."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kit import ENV, git, lynx, push_all

EVIL = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> & \x1b[31mred"
CHROME = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1800"]


@pytest.fixture(scope="module")
def report(template_for, tmp_path_factory):
    root = tmp_path_factory.mktemp("html")
    remotes = []
    for name, prediction in (("ana", "a crash at the loss"), ("bob", EVIL), ("cyd", None)):
        ws = root / name
        shutil.copytree(template_for(name), ws, symlinks=True)
        if prediction:
            assert lynx("break", "13-00", "--predict", prediction, cwd=ws).returncode == 0
            assert lynx("fix", "--apply", cwd=ws).returncode == 0
            assert lynx("done", "--calibration", "n" if name == "bob" else "y", cwd=ws).returncode == 0
        push_all(ws, root / f"{name}.git")
        remotes += ["--remote", str(root / f"{name}.git")]
    # a learner who renamed themselves, in their own repository, to something that looks like markup
    mal = root / "mal"
    shutil.copytree(template_for("mal"), mal, symlinks=True)
    toml = (mal / "lynx.toml").read_text().replace('learner = "mal"', 'learner = "<b>mallory & co"')
    (mal / "lynx.toml").write_text(toml)
    git("mv", "learners/mal", "learners/<b>mallory & co", cwd=mal)
    git("commit", "-q", "-am", "rename", cwd=mal)
    push_all(mal, root / "mal.git")
    remotes += ["--remote", str(root / "mal.git")]
    out = root / "out" / "report.html"
    r = lynx("class", "--html", str(out), *remotes, "--cache", str(root / "cache"), cwd=root)
    assert r.returncode == 0, r.stderr
    assert "report.html" in r.stdout
    return out


def test_the_page_is_self_contained_and_escapes_what_learners_wrote(report):
    page = report.read_text(encoding="utf-8")
    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "script" and "src" in a or tag == "link" or (tag in ("img", "iframe", "object", "embed") and a.get("src")):
                found.append((tag, a))

    Tags().feed(page)
    assert not found  # no <script src>, no stylesheet, no image: nothing is fetched
    assert "url(" not in page and "@import" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<b>mallory" not in page and "&lt;b&gt;mallory &amp; co" in page
    assert "\x1b" not in page
    assert page.count('<article id="learner-') == 4 and '<table class="sortable" id="class-table">' in page


class DevTools:
    """Just enough of the Chrome DevTools Protocol: commands, and the events they raise."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.events: list[dict] = []
        self.n = 0

    def send(self, method: str, **params) -> dict:
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv(timeout=60))
            if msg.get("id") == self.n:
                assert "error" not in msg, msg
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e in self.events:
                if e.get("method") == method:
                    return e
            try:
                self.events.append(json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic()))))
            except TimeoutError:
                break
        raise AssertionError(f"no {method} event")

    def eval(self, expression: str):
        got = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return got["result"].get("value")


@pytest.fixture
def chromium(tmp_path):
    if CHROME is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium; .ci/run installs it)")
    proc = subprocess.Popen([CHROME, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--remote-debugging-port=0",
                             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    port = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and port is None:
        line = proc.stderr.readline()
        m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line or "")
        port = int(m.group(1)) if m else None
        if not line and proc.poll() is not None:
            break
    if port is None:
        proc.kill()
        pytest.fail("Chromium did not start its DevTools endpoint")
    try:
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page = next(p for p in pages if p.get("type") == "page")
        from websockets.sync.client import connect

        with connect(page["webSocketDebuggerUrl"], max_size=64 * 2**20, open_timeout=30) as ws:
            yield DevTools(ws)
    finally:
        proc.kill()
        proc.wait()


def test_the_report_in_headless_chromium(report, chromium):
    tools = chromium
    for domain in ("Page", "Runtime", "Log"):
        tools.send(f"{domain}.enable")
    tools.send("Page.navigate", url=report.as_uri())
    tools.wait_for("Page.loadEventFired")
    errors = [e for e in tools.events if e.get("method") == "Runtime.exceptionThrown"
              or (e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") in ("error", "assert"))
              or (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")]
    assert not errors, errors
    assert tools.eval("window.__pwned === undefined") is True  # bob's <script> and onerror never ran
    names = "Array.from(document.querySelectorAll('#class-table tbody tr td:first-child')).map(td => td.textContent)"
    before = tools.eval(names)
    assert len(before) == 4 and "<b>mallory & co" in before and tools.eval("document.querySelectorAll('b').length") == 0
    # a real click (mouse events at the heading's place) on "Name", twice: ascending, then descending
    box = tools.eval("(() => { const r = document.querySelector('#class-table th').getBoundingClientRect();"
                     " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
    for _ in range(2):
        for kind in ("mousePressed", "mouseReleased"):
            tools.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
    after = tools.eval(names)
    assert after == sorted(before, key=str.lower, reverse=True) and after != before
    assert tools.eval("document.querySelector('#class-table th').getAttribute('aria-sort')") == "descending"
    shot = base64.b64decode(tools.send("Page.captureScreenshot", format="png")["data"])
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 10_000
    report.with_suffix(".png").write_bytes(shot)
    keep = Path("/tmp/lynx-test-shots")
    keep.mkdir(exist_ok=True)
    (keep / "class-report.png").write_bytes(shot)
