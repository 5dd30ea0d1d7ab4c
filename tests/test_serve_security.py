"""`serve` answers only the hosts it is bound to, and its livereload websocket only its own pages.

A web page from anywhere could otherwise read what the editor previews (drafts included): by DNS
rebinding (a name of the attacker's that first points at the attacker's server, then at 127.0.0.1:
the browser sends `Host: that-name`), or by opening the livereload websocket from another origin.
"""
from __future__ import annotations

import asyncio
import http.client
import json
import logging
import subprocess
import sys
import time

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

import generator.serve_hosts as serve_hosts
from conftest import ROOT, SITES, TODAY
from test_editorial_serve import dev_server, editorial_output, run_async  # noqa: F401 - fixtures: one dev server set-up
from generator.pipeline import BuildReport

ARTICLE_URL = "/hoat-dong-cong-doan/khai-mac-giai-bong-chuyen-cong-nhan/"
ARTICLE_TITLE = "Khai mạc giải bóng chuyền công nhân".encode()
HELLO = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}


def request(port: int, path: str, host: str, method: str = "GET", address: str = "127.0.0.1"):
    """One request to `address:port` with exactly this Host header: (status, body, headers)."""
    connection = http.client.HTTPConnection(address, port, timeout=10)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host)
    if method == "POST":
        connection.putheader("Content-Length", "0")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, {name.lower(): value for name, value in response.getheaders()}


async def connect(port: int, host: str | None = None, origin: str | None = None):
    """livereload's websocket, as a tab would open it, with these Host and Origin headers."""
    headers = {name: value for name, value in (("Host", host), ("Origin", origin)) if value is not None}
    return await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers=headers,
                                               request_timeout=10, connect_timeout=10))


async def say_hello(tab) -> dict | None:
    """livereload.js's first message; the server's answer (None when the connection is gone)."""
    await tab.write_message(json.dumps(HELLO))
    answer = await asyncio.wait_for(tab.read_message(), 10)
    return None if answer is None else json.loads(answer)


async def refused(port: int, host: str | None = None, origin: str | None = None) -> int | None:
    """The HTTP status the websocket upgrade was refused with, or None when it connected."""
    try:
        tab = await connect(port, host, origin)
    except HTTPClientError as exc:
        return exc.code
    tab.close()
    return None


# -- plain HTTP: every route checks the Host header ------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
@pytest.mark.parametrize("path", ["/", ARTICLE_URL, "/livereload.js", "/media/anh/hoi-nghi.jpg"])
def test_a_foreign_host_is_refused_on_every_route(dev_server, path, method):
    _state, port = dev_server
    status, body, headers = request(port, path, "evil.example", method)
    assert status == 403
    assert headers["content-type"] == "text/plain; charset=utf-8"
    if method == "HEAD":
        assert body == b""
    else:
        assert body.decode("utf-8").startswith("403: tên máy không được phép")
    assert ARTICLE_TITLE not in body and b"LiveReload" not in body


@pytest.mark.parametrize("host", ["evil.example:{port}", "EVIL.example", "localhost.evil.example:{port}",
                                  "127.0.0.1.nip.io:{port}", "localhost:{port}.evil.example"])
def test_rebinding_names_that_look_local_are_refused(dev_server, host):
    _state, port = dev_server
    status, body, _ = request(port, ARTICLE_URL, host.format(port=port))
    assert status in (400, 403)            # 400: tornado itself rejects a malformed Host
    assert ARTICLE_TITLE not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "localhost.:{port}",
                                  "[::1]:{port}", "127.0.0.1"])
def test_the_local_names_are_served(dev_server, host):
    _state, port = dev_server
    status, body, _ = request(port, ARTICLE_URL, host.format(port=port))
    assert status == 200 and ARTICLE_TITLE in body
    status, script, _ = request(port, "/livereload.js", host.format(port=port))
    assert status == 200 and b"LiveReload" in script


# -- livereload's websocket -------------------------------------------------------------------------

def test_the_websocket_upgrade_checks_the_host_too(dev_server):
    _state, port = dev_server
    assert run_async(lambda: refused(port, host="evil.example")) == 403
    assert run_async(lambda: refused(port, host=f"evil.example:{port}", origin=f"http://evil.example:{port}")) == 403


@pytest.mark.parametrize("origin", ["http://evil.example", "http://evil.example:{port}", "http://127.0.0.1:1",
                                    "http://localhost:{port}", "null", "file://"])
def test_the_websocket_refuses_other_origins(dev_server, origin):
    """Same origin only: the Host the tab asked for, port included (localhost is another origin
    than 127.0.0.1)."""
    _state, port = dev_server
    assert run_async(lambda: refused(port, host=f"127.0.0.1:{port}", origin=origin.format(port=port))) == 403


@pytest.mark.parametrize("host, origin", [("127.0.0.1:{port}", "http://127.0.0.1:{port}"),
                                          ("localhost:{port}", "http://localhost:{port}"),
                                          ("localhost:{port}", "http://LOCALHOST:{port}"),
                                          ("127.0.0.1:{port}", None)])
def test_the_websocket_accepts_its_own_pages_and_non_browser_clients(dev_server, host, origin):
    _state, port = dev_server

    async def scenario():
        tab = await connect(port, host.format(port=port), origin and origin.format(port=port))
        answer = await say_hello(tab)
        tab.close()
        return answer

    answer = run_async(scenario)
    assert answer is not None and answer["command"] == "hello"
    assert "http://livereload.com/protocols/official-7" in answer["protocols"]


@pytest.mark.parametrize("message", ["not json{", "", "[1, 2]", "null", "42", '"hello"', "{}",
                                     '{"url": "/"}', b"\xff\xfe binary"])
def test_a_malformed_message_is_ignored_without_a_traceback(dev_server, message, capfd, caplog):
    """livereload's handler would raise on these (tornado then logs a traceback and drops the
    connection): the tab stays connected, still gets answers and reloads."""
    state, port = dev_server
    url = f"http://127.0.0.1:{port}{ARTICLE_URL}"
    caplog.set_level(logging.DEBUG)

    async def scenario():
        tab = await connect(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}")
        await tab.write_message(message, binary=isinstance(message, bytes))
        hello = await say_hello(tab)
        await tab.write_message(json.dumps({"command": "info", "url": url, "plugins": {}}))
        await say_hello(tab)                     # answered in order: the info made the tab a waiter
        state.publish(BuildReport([]))           # DevServer.start listens: the tabs reload
        reload = await asyncio.wait_for(tab.read_message(), 10)
        tab.close()
        return hello, reload and json.loads(reload)

    hello, reload = run_async(scenario)
    assert hello is not None and hello["command"] == "hello"
    assert reload is not None and reload["command"] == "reload"
    time.sleep(0.1)                              # anything the server thread would still log
    err = capfd.readouterr().err
    assert "Traceback" not in err, err
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info], \
        [r.getMessage() for r in caplog.records]
    assert [r.levelno for r in caplog.records if r.name == "generator.devhttp"] == [logging.DEBUG]


# -- `python build.py serve --host ...` ---------------------------------------------------------------

@pytest.mark.slow
def test_serve_answers_the_host_it_was_given(tmp_path):
    """--host 127.0.0.2 (a loopback address that is not among the local names): that address is
    served, a foreign name is not."""
    port = _free_port("127.0.0.2")
    log = tmp_path / "serve.log"
    with open(log, "w") as sink:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(SITES / "editorial"),
                                    "--output", str(tmp_path / "out"), "--host", "127.0.0.2", "--port", str(port),
                                    "--today", TODAY.isoformat()],
                                   stdout=sink, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                status, body, _ = request(port, ARTICLE_URL, f"127.0.0.2:{port}", address="127.0.0.2")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"serve did not answer:\n{log.read_text()}")
                time.sleep(0.1)
        assert status == 200 and ARTICLE_TITLE in body
        assert request(port, ARTICLE_URL, f"localhost:{port}", address="127.0.0.2")[0] == 200
        assert request(port, ARTICLE_URL, f"evil.example:{port}", address="127.0.0.2")[0] == 403
        assert request(port, ARTICLE_URL, f"127.0.0.3:{port}", address="127.0.0.2")[0] == 403
    finally:
        process.terminate()
        process.wait(30)


def _free_port(address: str) -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


# -- the pure functions ------------------------------------------------------------------------------

LOCAL = ["127.0.0.1", "localhost", "[::1]"]


def test_allowed_hosts_are_the_local_names_and_the_bind_host():
    assert serve_hosts.allowed_hosts("127.0.0.1") == frozenset(LOCAL)
    assert serve_hosts.allowed_hosts("localhost") == frozenset(LOCAL)
    assert serve_hosts.allowed_hosts("::1") == frozenset(LOCAL)
    assert serve_hosts.allowed_hosts("MyBox.Lan.") == frozenset(LOCAL + ["mybox.lan"])
    assert serve_hosts.allowed_hosts("192.168.1.7") == frozenset(LOCAL + ["192.168.1.7"])
    assert serve_hosts.allowed_hosts("fe80::0:1") == frozenset(LOCAL + ["[fe80::1]"])
    assert serve_hosts.allowed_hosts("mybox.lan", bound=["192.168.1.7", "fe80::1"]) == frozenset(
        LOCAL + ["mybox.lan", "192.168.1.7", "[fe80::1]"])


@pytest.mark.parametrize("header, expected", [
    ("127.0.0.1", True), ("127.0.0.1:8000", True), ("127.0.0.1.", True), ("127.0.0.1:", True),
    ("localhost", True), ("localhost:8000", True), ("LOCALHOST:8000", True), ("LocalHost.:8000", True),
    ("[::1]", True), ("[::1]:8000", True), ("[0:0:0:0:0:0:0:1]:8000", True), ("[::1].:8000", False),
    ("mybox.lan:8000", True), ("MYBOX.LAN.:8000", True),
    ("::1", False), ("::1:8000", False), ("[::1]8000", False), ("[::1", False), ("localhost:80a", False),
    ("localhost:8000:8000", False), ("", False), (" ", False), (".", False), ("localhost..", False),
    ("evil.example", False), ("evil.example:8000", False), ("localhost.evil.example", False),
    ("127.0.0.1.evil.example:8000", False), ("mybox.lan.evil.example", False), ("127.0.0.2", False),
    ("user@localhost", False), ("localhost,evil.example", False), ("192.168.1.7:8000", False),
    ("[fe80::1]:8000", False),
])
def test_host_allowed(header, expected):
    assert serve_hosts.host_allowed(header, serve_hosts.allowed_hosts("mybox.lan")) is expected


def test_a_wildcard_bind_accepts_the_machines_name_and_any_address_but_no_other_name():
    """--host 0.0.0.0 or ::: the machine is reached by its name or any of its addresses; a DNS
    name can be rebound, an address cannot."""
    for wildcard in ("0.0.0.0", "::", ""):
        allowed = serve_hosts.allowed_hosts(wildcard, machine_name="MyBox")
        assert {"mybox", "mybox.local"} <= allowed
        for header in ("192.168.1.7:8000", "[fe80::1]:8000", "MyBox:8000", "mybox.local.:8000", "localhost:8000"):
            assert serve_hosts.host_allowed(header, allowed), header
        for header in ("evil.example:8000", "mybox.evil.example", "192.168.1.7.nip.io:8000", "[evil]:8000"):
            assert not serve_hosts.host_allowed(header, allowed), header


@pytest.mark.parametrize("origin, host, expected", [
    ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
    ("http://LOCALHOST:8000", "localhost:8000", True),
    ("http://localhost.:8000", "localhost:8000", True),
    ("http://[::1]:8000", "[::1]:8000", True),
    ("http://127.0.0.1", "127.0.0.1", True),
    ("http://127.0.0.1:80", "127.0.0.1", True),
    ("http://localhost:8000", "127.0.0.1:8000", False),
    ("http://127.0.0.1:8001", "127.0.0.1:8000", False),
    ("http://evil.example:8000", "127.0.0.1:8000", False),
    ("https://127.0.0.1", "127.0.0.1", False),
    ("null", "127.0.0.1:8000", False),
    ("file://", "127.0.0.1:8000", False),
    ("", "127.0.0.1:8000", False),
])
def test_same_origin(origin, host, expected):
    assert serve_hosts.same_origin(origin, host) is expected
