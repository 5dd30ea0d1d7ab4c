"""Shared fixtures: building fixture sites, serving an output folder, a headless Chromium."""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from generator.pipeline import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Fixed "today" for reproducible fixture builds.
TODAY = dt.date(2026, 11, 22)


def _remove_fixture_caches() -> None:
    for cache in SITES.glob("*/.cache"):
        shutil.rmtree(cache, ignore_errors=True)


# A few tests build tests/sites/* in place, which leaves a build cache (.cache/) in the fixture
# folder: it is removed before and after the run, so no run starts from the caches an earlier
# run (perhaps of older code) left behind. With pytest-xdist (`-n 2`), only the controlling
# process does it, before the workers start and after they have all finished.
def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):
        _remove_fixture_caches()


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):
        _remove_fixture_caches()


def build(site_dir: Path, output: Path, **options):
    """Build a site folder; returns the BuildReport."""
    options.setdefault("today", TODAY)
    return build_site(site_dir, BuildOptions(output=output, **options))


@pytest.fixture
def copy_site(tmp_path):
    """Copy a fixture site from tests/sites/<name> into tmp_path and return its folder."""
    def _copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SITES / name, target)
        return target
    return _copy


@pytest.fixture(scope="session")
def discovery_output(tmp_path_factory) -> Path:
    """tests/sites/discovery built once from a copy (feeds, search and metadata tests read it)."""
    site = tmp_path_factory.mktemp("site") / "discovery"
    shutil.copytree(SITES / "discovery", site)
    out = tmp_path_factory.mktemp("out") / "output"
    report = build(site, out)
    assert report.ok, "\n".join(d.format() for d in report.diagnostics)
    return out


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The bundled sample site (repo root) built once per test session."""
    out = tmp_path_factory.mktemp("sample") / "output"
    report = build(ROOT, out)
    assert report.ok, "\n".join(d.format() for d in report.diagnostics)
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    base_path = "/"

    def log_message(self, *args):  # keep test output clean
        pass

    def translate_path(self, path):
        if not path.startswith(self.base_path):
            return str(Path(self.directory) / "__outside_base__")
        return super().translate_path("/" + path[len(self.base_path):])

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def serve_folder(folder: Path, base_path: str = "/"):
    """Serve `folder` under `base_path` on a free port; returns (base_url, stop)."""
    handler = type("Handler", (_Handler,), {"base_path": base_path})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    return url, lambda: (server.shutdown(), server.server_close())


@pytest.fixture
def served():
    stops = []

    def _serve(folder: Path, base_path: str = "/") -> str:
        url, stop = serve_folder(folder, base_path)
        stops.append(stop)
        return url
    yield _serve
    for stop in stops:
        stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright. Missing Chromium fails under CI=1 and skips
    (with the reason shown by -ra) elsewhere; never downloads a browser."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        yield instance
        instance.close()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from fresh builds")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def pytest_collection_modifyitems(config, items):
    """Tests that drive Chromium belong to the slow tier: `pytest -m "not slow"` is the quick
    feedback while working (CI runs every test)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
