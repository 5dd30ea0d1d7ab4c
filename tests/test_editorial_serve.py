"""`serve`: the HTTP side in-process (site app, livereload's websocket), and the whole edit-reload
loop in headless Chromium."""
from __future__ import annotations

import asyncio
import http.client
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from livereload.handlers import LiveReloadHandler
from tornado.netutil import bind_sockets
from tornado.websocket import websocket_connect

from conftest import ROOT, SITES, TODAY, build
from generator.devhttp import RELOAD_SNIPPET, DevServer, error_page, inject
from generator.devserver import Builder, ServeState
from generator.diagnostics import Diagnostic
from generator.pipeline import BuildOptions, BuildReport

ARTICLE = "content/articles/2026/giai-bong-chuyen.md"
ARTICLE_URL = "/hoat-dong-cong-doan/khai-mac-giai-bong-chuyen-cong-nhan/"


@pytest.fixture(scope="module")
def editorial_output(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    shutil.copytree(SITES / "editorial", folder / "site", ignore=shutil.ignore_patterns(".cache"))
    out = folder / "output"
    report = build(folder / "site", out)
    assert report.ok, [d.format() for d in report.diagnostics]
    return out


@pytest.fixture
def dev_server(editorial_output):
    """The dev server's HTTP side (devhttp.DevServer) on a free port and a loop of its own, over a
    finished build."""
    state = ServeState(editorial_output, report=BuildReport([]), generation=1)
    sockets = bind_sockets(0, "127.0.0.1")
    running: dict = {}
    ready = threading.Event()

    async def main():
        server = DevServer(state, sockets)
        server.start()
        running["loop"], running["stop"] = asyncio.get_running_loop(), asyncio.Event()
        ready.set()
        await running["stop"].wait()
        await server.close()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10)
    yield state, sockets[0].getsockname()[1]
    state.stop()
    running["loop"].call_soon_threadsafe(running["stop"].set)
    thread.join(10)
    for sock in sockets:
        sock.close()


def raw_get(port: int, path: str) -> tuple[int, bytes, dict]:
    """A GET that sends `path` exactly as written (no client-side normalisation of '..')."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, dict(response.getheaders())


def test_pages_load_livereload_js(dev_server):
    _state, port = dev_server
    status, body, headers = raw_get(port, ARTICLE_URL)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    soup = BeautifulSoup(body, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Khai mạc giải bóng chuyền công nhân"
    assert str(soup.head.find_all("script")[-1]) == RELOAD_SNIPPET
    status, script, headers = raw_get(port, "/livereload.js")
    assert status == 200 and headers["Content-Type"] == "application/javascript"
    assert b"LiveReload" in script


@pytest.mark.parametrize("path", ["/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/../../../../etc/hosts",
                                  "/media/..%2f..%2f..%2fetc/passwd", "/%00", "/" + "x" * 5000])
def test_nothing_outside_the_output_folder_is_served(dev_server, path):
    _state, port = dev_server
    status, body, _ = raw_get(port, path)
    assert status == 404
    assert b"root:" not in body and b"localhost" not in body


def test_missing_page_gets_the_sites_404_page(dev_server):
    _state, port = dev_server
    status, body, _ = raw_get(port, "/khong-co-trang-nay/")
    assert status == 404
    assert (BeautifulSoup(body, "html.parser").find("h1").get_text(strip=True)
            == BeautifulSoup((dev_server[0].output / "404.html").read_bytes(), "html.parser").find("h1").get_text(strip=True))


def test_folder_without_slash_redirects(dev_server):
    _state, port = dev_server
    status, _, headers = raw_get(port, "/thoi-su")
    assert status == 302 and headers["Location"] == "/thoi-su/"


def test_head_sends_headers_only(dev_server):
    _state, port = dev_server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("HEAD", ARTICLE_URL)
    response = connection.getresponse()
    assert response.status == 200 and int(response.getheader("Content-Length")) > 1000
    assert response.read() == b""
    connection.close()


def test_broken_build_shows_the_error_page_for_pages_but_serves_files(dev_server):
    state, port = dev_server
    problem = Diagnostic(ARTICLE, 3, "error", "'date' is not a valid date: '2026-02-30'", "write it as YYYY-MM-DD")
    state.publish(BuildReport([problem]))
    status, body, _ = raw_get(port, ARTICLE_URL)
    assert status == 500
    soup = BeautifulSoup(body, "html.parser")
    assert [" ".join(li.get_text(" ").split()) for li in soup.select("ul.diagnostics li")] == [
        f"{ARTICLE}:3 lỗi : 'date' is not a valid date: '2026-02-30' write it as YYYY-MM-DD"]
    assert str(soup.find("script")) == RELOAD_SNIPPET
    assert raw_get(port, "/media/anh/hoi-nghi.jpg")[0] == 200


# -- livereload's websocket, spoken to as livereload.js does ---------------------------------------

HELLO = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}


async def open_tab(port: int, url: str):
    """Connect as livereload.js in a tab showing `url`: hello, then info."""
    socket_ = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await socket_.write_message(json.dumps(HELLO))
    assert json.loads(await socket_.read_message())["command"] == "hello"
    await socket_.write_message(json.dumps({"command": "info", "url": url, "plugins": {}}))
    return socket_


def run_async(scenario):
    """asyncio.run(scenario()) on a thread of its own: the session's Playwright (sync API) keeps an
    event loop running on the main thread."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = asyncio.run(scenario())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def next_message(socket_, seconds: float) -> dict | None:
    try:
        message = await asyncio.wait_for(socket_.read_message(), seconds)
    except asyncio.TimeoutError:
        return None
    return json.loads(message)


def test_open_tabs_are_told_to_reload_after_every_build(dev_server):
    state, port = dev_server
    url = f"http://127.0.0.1:{port}{ARTICLE_URL}"

    async def scenario():
        raw_get(port, ARTICLE_URL)
        tab = await open_tab(port, url)
        for _ in range(200):                    # until the server counts the tab among its waiters
            if LiveReloadHandler.waiters:
                break
            await asyncio.sleep(0.02)
        told = []
        for _ in range(3):                       # three builds in quick succession: no throttle
            state.publish(BuildReport([]))
            told.append(await next_message(tab, 10))
        tab.close()
        return told

    told = run_async(scenario)
    assert [m and (m["command"], m["path"]) for m in told] == [("reload", "*")] * 3


def test_tab_whose_page_predates_the_last_build_reloads_on_connecting(dev_server):
    """A build that ends while a page loads, before its livereload.js has connected, is not missed."""
    state, port = dev_server
    url = f"http://127.0.0.1:{port}{ARTICLE_URL}"

    async def scenario():
        raw_get(port, ARTICLE_URL)
        state.publish(BuildReport([]))           # no tab connected yet
        stale = await open_tab(port, url)
        first = await next_message(stale, 10)
        stale.close()
        raw_get(port, ARTICLE_URL)               # the reloaded page is current
        fresh = await open_tab(port, url)
        second = await next_message(fresh, 0.5)
        fresh.close()
        return first, second

    first, second = run_async(scenario)
    assert first is not None and first["command"] == "reload"
    assert second is None


def test_error_page_escapes_messages():
    page = error_page(BuildReport([Diagnostic("a.md", 1, "error", "<script>x</script>")]))
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("li").get_text().count("<script>") == 1
    assert not soup.find_all("script")


def test_inject_puts_the_snippet_before_head_end():
    assert inject(b"<html><head><title>x</title></head><body></body></html>", "<s>") == (
        b"<html><head><title>x</title><s></head><body></body></html>")
    assert inject(b"<p>x</p>").startswith(b"<p>x</p><script>")


def test_port_in_use_is_one_line_and_exit_status_2(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(SITES / "editorial"),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: cannot listen on 127.0.0.1:{port} (Address already in use); "
                                     "try another --port")


# -- rebuilds in one process (what `serve` keeps warm: documents, rolls, compiled templates) --------

ROLL = "content/honours/2026/cong-nhan-gioi-2026.yaml"
ROLL_URL = "vinh-danh/cong-nhan-gioi-2026/index.html"


def test_warm_rebuilds_see_every_edit_of_templates_and_rolls(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "editorial", site, ignore=shutil.ignore_patterns(".cache"))
    theme = site / "themes" / "probe"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: probe\nparent: congdoan\n", encoding="utf-8")
    template = theme / "templates" / "article.html"
    template.write_text('{% extends "congdoan/article.html" %}{% block main %}<p id="probe">một</p>{{ super() }}'
                        '{% endblock %}', encoding="utf-8")
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme: congdoan", "theme: probe"), encoding="utf-8")
    state = ServeState(tmp_path / "out")
    builder = Builder(site, BuildOptions(today=TODAY, jobs=1), state, "http://127.0.0.1:8000", quiet=True)

    def probe() -> str:
        return BeautifulSoup((state.output / ARTICLE_URL.strip("/") / "index.html").read_bytes(),
                             "html.parser").find(id="probe").get_text()

    assert builder.build().ok and probe() == "một"
    template.write_text(template.read_text(encoding="utf-8").replace("một", "hai"), encoding="utf-8")
    assert builder.build().ok and probe() == "hai"
    template.write_text(template.read_text(encoding="utf-8").replace("{% endblock %}", "{% endblok %}"),
                        encoding="utf-8")
    report = builder.build()
    assert [(d.path, d.line) for d in report.diagnostics if d.severity == "error"] == [
        ("themes/probe/templates/article.html", 1)]
    template.write_text(template.read_text(encoding="utf-8").replace("{% endblok %}", "{% endblock %}"),
                        encoding="utf-8")
    assert builder.build().ok and probe() == "hai"

    roll = site / ROLL
    roll.write_text(roll.read_text(encoding="utf-8").replace("Trần Văn Khải", "Trần Văn Khánh"), encoding="utf-8")
    assert builder.build().ok
    assert "Trần Văn Khánh" in (state.output / ROLL_URL).read_text(encoding="utf-8")
    roll.write_text(roll.read_text(encoding="utf-8").replace("year: 2026", "year: hai nghìn"), encoding="utf-8")
    assert [(d.path, d.line) for d in builder.build().diagnostics if d.severity == "error"] == [(ROLL, 3)]
    assert state.generation == 6 and state.broken


# -- the whole loop, in a real browser -------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"serve did not answer within {seconds} s:\n{log.read_text()}")


def start_serve(site: Path, tmp_path: Path) -> tuple[subprocess.Popen, str, Path]:
    """`build.py serve` of `site` on a free port, answering: (process, base URL, its log file)."""
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as sink:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site),
                                    "--port", str(port), "--today", TODAY.isoformat()],
                                   stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/", process, log)
    return process, base, log


def saved(page, write, seconds: float = 15) -> float:
    """Run `write` (a save) and wait for the tab to load the page again; the seconds it took.
    The generous bound only tells "the tab reloaded" from "it never did"."""
    with page.expect_event("load", timeout=seconds * 1000):
        started = time.monotonic()
        write()
    return time.monotonic() - started


@pytest.mark.browser
def test_serve_reloads_on_save_shows_errors_and_recovers(browser, tmp_path, record_property):
    """Save, break, fix in quick succession (livereload's own watcher ignores a change within ~3 s
    of its last reload: this sequence is what it used to swallow)."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "editorial", site, ignore=shutil.ignore_patterns(".cache"))
    process, base, log = start_serve(site, tmp_path)
    try:
        page = browser.new_page()
        sockets = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.goto(base + ARTICLE_URL)
        assert page.locator("h1").inner_text() == "Khai mạc giải bóng chuyền công nhân"
        source = site / ARTICLE
        good = source.read_text(encoding="utf-8")
        edited = good.replace("Mười hai đội bóng", "Mười sáu đội bóng")
        broken = good.replace("date: 2026-04-02 15:00", "date: 2026-02-30 15:00")

        # 1. Save an edit: the open tab reloads by itself and shows it.
        first = time.monotonic()
        save = saved(page, lambda: source.write_text(edited, encoding="utf-8"))
        assert "Mười sáu đội bóng" in page.locator("main").inner_text()

        # 2. Break the front matter: the tab shows the error page naming file and line.
        brk = saved(page, lambda: source.write_text(broken, encoding="utf-8"))
        assert page.locator("h1").inner_text().startswith("Bản dựng bị lỗi")
        problems = page.locator("ul.diagnostics li").all_inner_texts()
        assert any(p.startswith(f"{ARTICLE}:3") and "'date' is not a valid date" in p for p in problems), problems

        # 3. Fix it: the article comes back.
        fix = saved(page, lambda: source.write_text(good, encoding="utf-8"))
        sequence = time.monotonic() - first
        assert page.locator("h1").inner_text() == "Khai mạc giải bóng chuyền công nhân"
        assert "Mười hai đội bóng" in page.locator("main").inner_text()
        assert process.poll() is None, "the server stopped"
        assert sockets and all(url == base.replace("http:", "ws:") + "/livereload" for url in sockets), sockets
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    for name, value in (("save_to_reload_s", save), ("break_to_error_page_s", brk), ("fix_to_page_s", fix),
                        ("save_break_fix_s", sequence)):
        record_property(name, round(value, 3))
    print(f"save -> new text {save:.2f} s, break -> error page {brk:.2f} s, fix -> page {fix:.2f} s; "
          f"whole sequence {sequence:.2f} s")
    output = log.read_text()
    assert process.returncode == 0 and "Traceback" not in output, output
