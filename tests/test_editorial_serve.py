"""`serve`: the HTTP side in-process, and the whole edit-reload loop in headless Chromium."""
from __future__ import annotations

import http.client
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

from conftest import ROOT, SITES, TODAY, build
from generator.devserver import DevHTTPServer, DevRequestHandler, ServeState, error_page, inject, reload_script
from generator.diagnostics import Diagnostic
from generator.pipeline import BuildReport

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
    """The dev server's request handler on a free port, over a finished build."""
    state = ServeState(editorial_output, report=BuildReport([]), generation=1)
    handler = type("Handler", (DevRequestHandler,), {"state": state})
    server = DevHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state, server.server_address[1]
    state.stop()
    server.shutdown()
    server.server_close()


def raw_get(port: int, path: str) -> tuple[int, bytes, dict]:
    """A GET that sends `path` exactly as written (no client-side normalisation of '..')."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, dict(response.getheaders())


def test_pages_carry_the_reload_script(dev_server):
    _state, port = dev_server
    status, body, headers = raw_get(port, ARTICLE_URL)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    soup = BeautifulSoup(body, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Khai mạc giải bóng chuyền công nhân"
    assert "EventSource" in soup.find_all("script")[-1].string


@pytest.mark.parametrize("path", ["/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/../../../../etc/hosts",
                                  "/media/..%2f..%2f..%2fetc/passwd", "/%00"])
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


def test_broken_build_shows_the_error_page_for_pages_but_serves_files(dev_server):
    state, port = dev_server
    problem = Diagnostic(ARTICLE, 3, "error", "'date' is not a valid date: '2026-02-30'", "write it as YYYY-MM-DD")
    state.publish(BuildReport([problem]))
    status, body, _ = raw_get(port, ARTICLE_URL)
    assert status == 500
    items = BeautifulSoup(body, "html.parser").select("ul.diagnostics li")
    assert [" ".join(li.get_text(" ").split()) for li in items] == [
        f"{ARTICLE}:3 lỗi : 'date' is not a valid date: '2026-02-30' write it as YYYY-MM-DD"]
    assert raw_get(port, "/media/anh/hoi-nghi.jpg")[0] == 200


def test_event_stream_announces_each_build(dev_server):
    state, port = dev_server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/__livereload")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.readline() == b"retry: 500\n"
    assert response.readline() == b"data: 1\n"
    response.readline()
    state.publish(BuildReport([]))
    assert response.readline() == b"data: 2\n"
    connection.close()


def test_error_page_escapes_messages():
    page = error_page(BuildReport([Diagnostic("a.md", 1, "error", "<script>x</script>")]), 7)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("li").get_text() .count("<script>") == 1
    assert len(soup.find_all("script")) == 1 and 'seen="7"' in soup.find("script").string


def test_inject_puts_script_before_body_end():
    assert inject(b"<html><body><p>x</p></body></html>", "<s>") == b"<html><body><p>x</p><s></body></html>"
    assert inject(b"<p>x</p>", reload_script(1)).startswith(b"<p>x</p><script>")


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


@pytest.mark.browser
def test_serve_reloads_on_save_shows_errors_and_recovers(browser, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "editorial", site, ignore=shutil.ignore_patterns(".cache"))
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as sink:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site),
                                    "--port", str(port), "--today", TODAY.isoformat()],
                                   stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/", process, log)
        page = browser.new_page()
        page.goto(base + ARTICLE_URL)
        assert page.locator("h1").inner_text() == "Khai mạc giải bóng chuyền công nhân"
        source = site / ARTICLE
        good = source.read_text(encoding="utf-8")

        # 1. Save an edit: the open tab reloads by itself and shows it.
        with page.expect_event("load", timeout=10_000):
            started = time.monotonic()
            source.write_text(good.replace("Mười hai đội bóng", "Mười sáu đội bóng"), encoding="utf-8")
        reload_seconds = time.monotonic() - started
        assert "Mười sáu đội bóng" in page.locator("main").inner_text()
        print(f"reload after save: {reload_seconds:.2f} s")

        # 2. Break the front matter: the tab shows the error page naming file and line.
        with page.expect_event("load", timeout=10_000):
            source.write_text(good.replace("date: 2026-04-02 15:00", "date: 2026-02-30 15:00"), encoding="utf-8")
        assert page.locator("h1").inner_text().startswith("Bản dựng bị lỗi")
        problems = page.locator("ul.diagnostics li").all_inner_texts()
        assert any(p.startswith(f"{ARTICLE}:3") and "'date' is not a valid date" in p for p in problems), problems

        # 3. Fix it: the article comes back.
        with page.expect_event("load", timeout=10_000):
            source.write_text(good, encoding="utf-8")
        assert page.locator("h1").inner_text() == "Khai mạc giải bóng chuyền công nhân"
        assert "Mười hai đội bóng" in page.locator("main").inner_text()
        assert process.poll() is None, "the server stopped"
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    output = log.read_text()
    assert "Traceback" not in output, output
