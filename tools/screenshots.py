"""Screenshots of a built site as readers see it: phone (390 x 844) and desktop (1366 x 900).

    python tools/screenshots.py OUTPUT_DIR SHOTS_DIR [--label before]

Serves OUTPUT_DIR on a free local port and takes full-page PNGs, with Debian's Chromium, of the
home page, the newest article, a category page, the biggest honour roll and the search page
asking "cong doan". Needs the test extras (playwright) and /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def pages(output: Path) -> dict[str, str]:
    """name -> site path of the pages worth looking at."""
    articles = sorted((p for p in output.glob("*/*/index.html") if p.parent.parent.name not in
                       {"chu-de", "tac-gia", "vinh-danh", "phong-trao", "don-vi", "chuyen-de", "trang-2"}),
                      key=lambda p: p.stat().st_size)
    rolls = sorted(output.glob("vinh-danh/*/index.html"), key=lambda p: p.stat().st_size)
    found = {"home": "/", "category": "/thoi-su/", "search": "/tim-kiem/?q=cong+doan"}
    if articles:
        found["article"] = "/" + articles[-1].parent.relative_to(output).as_posix() + "/"
    if rolls:
        found["roll"] = "/" + rolls[-1].parent.relative_to(output).as_posix() + "/"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("shots", type=Path)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    args.shots.mkdir(parents=True, exist_ok=True)
    quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    handler = functools.partial(quiet, directory=str(args.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path in pages(args.output).items():
                    page.goto(origin + path, wait_until="networkidle")
                    page.wait_for_timeout(500)
                    target = args.shots / f"{name}-{size}{'-' + args.label if args.label else ''}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target, page.evaluate("document.documentElement.scrollHeight"))
                page.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
