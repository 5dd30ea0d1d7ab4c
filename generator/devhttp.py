"""The HTTP side of `serve`: the output folder as a small WSGI app, next to livereload's handlers.

One tornado application answers on one port:
- `/livereload`: livereload's websocket (`LiveReloadHandler`). livereload.js in every open tab
  connects to it; after each finished build `reload_tabs` sends the tabs livereload's `reload`
  command through `LiveReloadHandler.reload_waiters`, at once. livereload's own file watcher is
  not used, and with it goes its throttle (a change within ~3 s of the last reload is ignored),
  which would swallow an editor's quick save, break, fix: our watcher and builder (devserver.py)
  decide when to reload.
- `/livereload.js`: livereload's client script (`LiveReloadJSHandler`).
- everything else: `SiteApp`, which serves only files inside the output folder, the site's 404
  page for missing ones and, while the last build failed, an error page naming each problem's
  file and line in place of every HTML page. Every HTML answer loads livereload.js.

All three answer only requests for a host the server is bound to (`allowed_hosts`, `host_allowed`:
DNS rebinding), any other Host gets a 403; the websocket also refuses pages of other origins.
"""
from __future__ import annotations

import html
import json
import logging
import mimetypes
import socket
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.log import access_log
from tornado.routing import AnyMatches, Matcher, Rule
from tornado.wsgi import WSGIContainer

from generator.pipeline import BuildReport
from generator.serve_hosts import allowed_hosts, host_allowed, same_origin

# Loads livereload.js from the server the page came from, whatever host and port the browser used.
RELOAD_SNIPPET = ('<script>(function(){var s=document.createElement("script");'
                  's.src="/livereload.js?host="+location.hostname+"&port="'
                  '+(location.port||(location.protocol=="https:"?443:80));'
                  'document.head.appendChild(s);})();</script>')
TEXT_KINDS = ("application/javascript", "application/json", "application/xml")
FOREIGN_HOST = "403: tên máy không được phép (chỉ 127.0.0.1, localhost, [::1] và tên đã cho --host)\n"

log = logging.getLogger(__name__)


@dataclass
class ServeState:
    """What the HTTP side reads and the builder writes."""

    output: Path
    base_path: str = "/"
    report: BuildReport | None = None
    generation: int = 0              # builds published so far
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    listeners: list = field(default_factory=list)     # called after each publish (reload the tabs)
    shown: dict[str, int] = field(default_factory=dict)   # page path -> generation it was served from
    moved: dict[str, str] = field(default_factory=dict)   # site path -> where its page moved (aliases.py)

    def publish(self, report: BuildReport) -> None:
        with self.changed:
            self.report = report
            self.follow(report.moved)
            self.generation += 1
            self.changed.notify_all()
        for listener in list(self.listeners):
            listener()

    def follow(self, moved: dict[str, str]) -> None:
        """Remember where pages moved, so an open tab that reloads its old address lands on the
        new one; a chain of moves (a title edited twice) leads to the last address."""
        if not moved:
            return
        self.moved = {old: moved.get(new, new) for old, new in self.moved.items()} | moved
        for new in moved.values():
            self.moved.pop(new, None)        # published again: it is a page, not a move

    def wait_after(self, generation: int, timeout: float) -> int:
        """Block until a build newer than `generation` finished (or timeout); return the current one."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def stale(self, url: str) -> bool:
        """Whether a build finished after the page at `url` was served (unknown pages are not stale)."""
        shown = self.shown.get(unquote(urlsplit(url).path))
        return shown is not None and shown < self.generation

    @property
    def broken(self) -> bool:
        return self.report is not None and not self.report.ok


@dataclass
class Answer:
    status: int
    kind: str
    body: bytes
    location: str | None = None

    def headers(self) -> list[tuple[str, str]]:
        found = [("Content-Type", self.kind), ("Content-Length", str(len(self.body))),
                 ("Cache-Control", "no-store")]          # a reload must show the new build
        return found + ([("Location", self.location)] if self.location else [])


def inject(page: bytes, snippet: str = RELOAD_SNIPPET) -> bytes:
    """Put the livereload snippet before </head>, as livereload does (at the end of a page without one)."""
    marker = page.find(b"</head>")
    code = snippet.encode("utf-8")
    return page[:marker] + code + page[marker:] if marker >= 0 else page + code


def error_page(report: BuildReport) -> bytes:
    """A plain page listing every problem of the failed build, as `path:line`, severity, message, hint."""
    rows = []
    for d in report.diagnostics:
        where = f"{d.path}:{d.line}" if d.line else d.path
        hint = f'<br><span class="hint">{html.escape(d.hint)}</span>' if d.hint else ""
        rows.append(f'<li class="{d.severity}"><code>{html.escape(where)}</code> '
                    f'<strong>{"lỗi" if d.severity == "error" else "cảnh báo"}</strong>: '
                    f'{html.escape(d.message)}{hint}</li>')
    errors = sum(1 for d in report.diagnostics if d.severity == "error")
    return f"""<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bản dựng bị lỗi ({errors} lỗi)</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
h1{{color:#a40000}}li{{margin:.6rem 0}}li.error code{{color:#a40000}}code{{font-weight:bold}}
.hint{{color:#555}}</style></head>
<body><main>
<h1>Bản dựng bị lỗi: {errors} lỗi</h1>
<p>Trang web chưa được cập nhật. Sửa các chỗ dưới đây (tệp:dòng), lưu tệp lại: trang này sẽ tự tải lại.</p>
<ul class="diagnostics">{"".join(rows)}</ul>
</main></body></html>
""".encode("utf-8")


class SiteApp:
    """WSGI: the output folder under the site's base path; never a file outside it."""

    def __init__(self, state: ServeState):
        self.state = state

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")   # PEP 3333
        if method not in ("GET", "HEAD"):
            answer = Answer(405, "text/plain; charset=utf-8", b"only GET and HEAD\n")
        else:
            try:
                answer = self.answer(path)
            except Exception as exc:  # noqa: BLE001 - a bug here must not stop the server
                print(f"serve: error answering {path!r}: {type(exc).__name__}: {exc}", file=sys.stderr)
                answer = Answer(500, "text/plain; charset=utf-8", b"internal error, see the console\n")
        start_response(f"{answer.status} {HTTPStatus(answer.status).phrase}", answer.headers())
        return [b"" if method == "HEAD" else answer.body]

    def answer(self, path: str) -> Answer:
        state = self.state
        generation, base = state.generation, state.base_path      # read before the files: see `stale`
        if not path.startswith(base):
            if path.rstrip("/") == base.rstrip("/") or path == "/":
                return Answer(302, "text/plain", b"", quote(base))
            return self.not_found(path, generation)
        rel = path[len(base):]
        file = _file_inside(state.output, rel)
        if file is not None and _is_dir(file):
            if not path.endswith("/"):
                return Answer(302, "text/plain", b"", quote(path + "/"))
            file = _file_inside(state.output, rel + "index.html")
        if state.broken and _is_page(path):
            return self.page(500, error_page(state.report), path, generation)
        data = _read(file)
        if data is None:
            moved = state.moved.get("/" + rel)
            if moved is not None:          # the page moved while its tab was open: follow it
                return Answer(302, "text/plain", b"", quote(base + moved.lstrip("/")))
            return self.not_found(path, generation)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            return self.page(200, data, path, generation)
        if kind.startswith("text/") or kind in TEXT_KINDS:
            kind += "; charset=utf-8"
        return Answer(200, kind, data)

    def not_found(self, path: str, generation: int) -> Answer:
        page = _read(_file_inside(self.state.output, "404.html"))
        return self.page(404, page or b"<!DOCTYPE html><title>404</title><h1>404</h1>", path, generation)

    def page(self, status: int, data: bytes, path: str, generation: int) -> Answer:
        self.state.shown[path] = generation
        return Answer(status, "text/html; charset=utf-8", inject(data))


def _file_inside(root: Path, rel: str) -> Path | None:
    """`root/rel`, or None when it would lie outside `root` (../, absolute parts, links, NUL)."""
    if "\x00" in rel:
        return None
    root = root.resolve()
    candidate = (root / rel.lstrip("/")).resolve()
    return candidate if candidate.is_relative_to(root) else None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:          # a name too long, and the like
        return False


def _read(file: Path | None) -> bytes | None:
    """The bytes of a regular file, or None."""
    if file is None:
        return None
    try:
        return file.read_bytes() if file.is_file() else None
    except OSError:
        return None


def _is_page(path: str) -> bool:
    """A request for an HTML page (where the error page stands in while the build is broken)."""
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


class HostIn(Matcher):
    """Routes requests whose Host is allowed (`host_allowed`); the others fall to `ForeignHost`."""

    def __init__(self, allowed: frozenset[str]):
        self.allowed = allowed

    def match(self, request):
        # tornado's request.host is the Host header (127.0.0.1 for an HTTP/1.0 request without one)
        return {} if host_allowed(request.host, self.allowed) else None


class ForeignHost(web.RequestHandler):
    """403 with a short plain-text reason, for any method."""

    def prepare(self):
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")
        self.finish(FOREIGN_HOST.encode("utf-8"))


# -- livereload ------------------------------------------------------------------------------------

def reload_message() -> dict:
    """livereload's `reload` command for the whole page (the one `reload_waiters` sends)."""
    return {"command": "reload", "path": "*", "liveCSS": LiveReloadHandler.live_css, "liveImg": True}


def reload_tabs() -> None:
    """Reload every connected tab now (on the server's loop). Unlike livereload's watcher-driven
    `poll_tasks`, `reload_waiters` itself has no throttle."""
    LiveReloadHandler.reload_waiters("*")


class TabSocket(LiveReloadHandler):
    """livereload's websocket, for pages of this server only; and a tab whose page is older than
    the latest build reloads as soon as it says hello (a build that finished while the page was
    loading would be missed otherwise)."""

    def initialize(self, state: ServeState):
        self.state = state

    def check_origin(self, origin: str) -> bool:
        """Same origin only (livereload accepts any): otherwise any page the editor has open could
        follow the builds. Clients that send no Origin (not browsers) are not asked."""
        return same_origin(origin, self.request.host)

    def on_message(self, message):
        said = _command(message)
        if said is None:
            # livereload's handler would raise on it: a traceback, and tornado drops the connection
            log.debug("serve: ignored a websocket message that is not a livereload command: %.80r", message)
            return
        super().on_message(message)
        if said["command"] == "info" and self.state.stale(str(said.get("url", ""))):
            self.send_message(reload_message())


def _command(message: str | bytes) -> dict | None:
    """A livereload message (a JSON object with a "command"), or None for anything else."""
    try:
        said = json.loads(message)
    except ValueError:                       # not JSON, nor UTF-8 (UnicodeDecodeError)
        return None
    return said if isinstance(said, dict) and isinstance(said.get("command"), str) else None


class DevServer:
    """The site app and livereload's handlers on sockets bound by the caller (to `host`, serve's
    --host), on this thread's loop."""

    def __init__(self, state: ServeState, sockets: list, host: str = "127.0.0.1"):
        self.state, self.sockets = state, sockets
        self.executor = ThreadPoolExecutor(4, thread_name_prefix="serve-http")
        # reload_waiters logs `watcher.filepath`: livereload's registry, left empty (nothing polls it).
        LiveReloadHandler.watcher = LiveReloadHandler.watcher or Watcher()
        access_log.disabled = True                       # no line per request: the console is for builds
        logging.getLogger("livereload").propagate = False  # nor "could not message a closing tab"
        routes = [
            (r"/livereload", TabSocket, {"state": state}),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r".*", web.FallbackHandler, {"fallback": WSGIContainer(SiteApp(state), executor=self.executor)}),
        ]
        allowed = allowed_hosts(host, bound=[sock.getsockname()[0] for sock in sockets],
                                machine_name=socket.gethostname())
        self.application = web.Application([
            Rule(HostIn(allowed), routes),           # DNS rebinding: see allowed_hosts
            Rule(AnyMatches(), ForeignHost),
        ])
        self.http: HTTPServer | None = None
        self.loop: IOLoop | None = None

    def start(self) -> None:
        self.loop = IOLoop.current()
        self.http = HTTPServer(self.application)
        self.http.add_sockets(self.sockets)
        self.state.listeners.append(self.reload_soon)

    def reload_soon(self) -> None:
        """Called on the builder's thread after a build: the tabs are messaged on the loop's."""
        try:
            self.loop.add_callback(reload_tabs)
        except RuntimeError:          # the loop closed meanwhile (Ctrl+C): no tab is left to reload
            pass

    async def close(self) -> None:
        if self.reload_soon in self.state.listeners:
            self.state.listeners.remove(self.reload_soon)
        if self.http is not None:
            self.http.stop()
            for tab in list(LiveReloadHandler.waiters):
                tab.close()
            await self.http.close_all_connections()
        self.executor.shutdown(wait=False, cancel_futures=True)
