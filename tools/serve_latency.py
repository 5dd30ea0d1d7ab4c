#!/usr/bin/env python3
"""Time `serve` end to end: from saving an article to its new text showing in the open tab.

    .venv/bin/python tools/serve_latency.py [--site .] [--article content/articles/…md] [--url /…/] [--edits 7]

Copies the site (content, themes, site.yaml) to a temporary folder, starts `build.py serve` on
it, opens the article in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH), then
appends a new sentence to the article's body several times, waiting each time until the tab,
reloaded by livereload, shows it. Prints each latency and the median, in seconds.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARTICLE = "content/articles/2026/doi-thoai-cong-nhan-2026.md"
SAMPLE_URL = "/thoi-su/lanh-dao-tinh-doi-thoai-voi-cong-nhan-cac-khu-cong-nghiep/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT)
    parser.add_argument("--article", default=SAMPLE_ARTICLE, help="the article to edit, relative to the site")
    parser.add_argument("--url", default=SAMPLE_URL, help="its page, as served")
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--pause", type=float, default=1.5, help="seconds between a reload and the next save")
    parser.add_argument("serve_args", nargs="*", help="more options for serve, after --, e.g. -- --jobs 1")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="serve-latency-") as scratch:
        site = copy_site(args.site.resolve(), Path(scratch) / "site")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = open(Path(scratch) / "serve.log", "w")
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port",
                                   str(port), "--quiet", *args.serve_args], stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", server)
            article = site / args.article
            original = article.read_text(encoding="utf-8")
            latencies = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                    args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}{args.url}")
                for number in range(args.edits):
                    page.wait_for_timeout(args.pause * 1000)
                    marker = f"Câu sửa thử số {number} lúc {time.time_ns()}."
                    started = time.monotonic()
                    article.write_text(f"{original.rstrip()}\n\n{marker}\n", encoding="utf-8")
                    page.wait_for_function("text => document.body && document.body.innerText.includes(text)",
                                           arg=marker, polling=10, timeout=60_000)
                    latencies.append(time.monotonic() - started)
                browser.close()
        finally:
            server.terminate()
            server.wait(30)
            log.close()
    print("save -> new text in the tab (s):", " ".join(f"{t:.2f}" for t in latencies))
    print(f"median {statistics.median(latencies):.2f} s over {len(latencies)} edits")
    return 0


def copy_site(source: Path, target: Path) -> Path:
    target.mkdir()
    for name in ("content", "themes", "site.yaml"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).is_file():
            shutil.copy2(source / name, target / name)
    return target


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"serve exited with {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"serve did not answer within {seconds} s")


if __name__ == "__main__":
    sys.exit(main())
