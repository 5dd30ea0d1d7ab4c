"""`serve`: build into a private folder, serve it on 127.0.0.1, rebuild on change, reload the tabs.

Three small parts share one `ServeState`:
- a builder thread calls `build_site` whenever the watcher asks (changes that arrive during a
  build are merged into one more build);
- watcher threads (watchfiles: inotify on Linux, debounced) follow content/, themes/ and site.yaml;
- a standard-library HTTP server serves only files inside the output folder, the site's 404 page
  for missing ones, and, while the last build failed, an error page listing every problem in
  place of each HTML page. Every HTML answer carries a tiny script that listens on
  `/__livereload` (server-sent events) and reloads the tab when a build finishes.

The published `output/` is never touched: `serve` builds with a local base URL, which must not
end up on the real site, into a temporary folder unless --output names one.
"""
from __future__ import annotations

import html
import http.server
import mimetypes
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.pipeline import BuildOptions, BuildReport, build_site
from generator.state import BuildState
from generator.themes import BUNDLED_THEMES

RELOAD_PATH = "/__livereload"
PING_SECONDS = 10.0           # a comment line on idle event streams, to notice closed tabs
WATCH_STEP_MS = 50            # a batch of changes is handed over after this much quiet


@dataclass
class ServeState:
    """What the HTTP handlers read and the builder writes; guarded by `changed`."""

    output: Path
    base_path: str = "/"
    report: BuildReport | None = None
    generation: int = 0
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, report: BuildReport) -> None:
        with self.changed:
            self.report = report
            self.generation += 1
            self.changed.notify_all()

    def wait_after(self, generation: int, timeout: float) -> int:
        """Block until a build newer than `generation` finished (or timeout); return the current one."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != generation or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    @property
    def broken(self) -> bool:
        return self.report is not None and not self.report.ok


def reload_script(generation: int) -> str:
    """Reloads the tab when the server announces a build other than the one this page came from."""
    return ('<script>(function(){var seen="%d";var events=new EventSource("%s");'
            'events.onmessage=function(e){if(e.data!==seen){events.close();location.reload();}};})();</script>'
            % (generation, RELOAD_PATH))


def inject(page: bytes, script: str) -> bytes:
    """Put the reload script before </body> (or at the end of a page without one)."""
    marker = page.rfind(b"</body>")
    code = script.encode("utf-8")
    return page[:marker] + code + page[marker:] if marker >= 0 else page + code


def error_page(report: BuildReport, generation: int) -> bytes:
    """A plain page listing every problem of the failed build, as `path:line`, severity, message, hint."""
    rows = []
    for d in report.diagnostics:
        where = f"{d.path}:{d.line}" if d.line else d.path
        hint = f'<br><span class="hint">{html.escape(d.hint)}</span>' if d.hint else ""
        rows.append(f'<li class="{d.severity}"><code>{html.escape(where)}</code> '
                    f'<strong>{"lỗi" if d.severity == "error" else "cảnh báo"}</strong>: '
                    f'{html.escape(d.message)}{hint}</li>')
    errors = sum(1 for d in report.diagnostics if d.severity == "error")
    body = f"""<!DOCTYPE html>
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
"""
    return inject(body.encode("utf-8"), reload_script(generation))


class DevRequestHandler(http.server.BaseHTTPRequestHandler):
    """Serves the output folder under the site's base path; never a file outside it."""

    state: ServeState
    server_version = "congdoan-serve"

    def log_message(self, format, *args):  # noqa: A002 - keep the console for build messages
        pass

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        path = unquote(urlsplit(self.path).path)
        if path == RELOAD_PATH:
            return self._event_stream()
        state = self.state
        base = state.base_path
        if not path.startswith(base):
            if path.rstrip("/") == base.rstrip("/") or path == "/":
                return self._redirect(base)
            return self._not_found(head)
        rel = path[len(base):]
        file = _file_inside(state.output, rel)
        if file is not None and file.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            file = _file_inside(state.output, rel + "index.html")
        if state.broken and _is_page(path):
            return self._send(500, "text/html; charset=utf-8", error_page(state.report, state.generation), head)
        if file is None or not file.is_file():
            return self._not_found(head)
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, reload_script(state.generation))
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
            kind += "; charset=utf-8"
        self._send(200, kind, data, head)

    def _not_found(self, head: bool) -> None:
        page = _file_inside(self.state.output, "404.html")
        if page is not None and page.is_file():
            data = inject(page.read_bytes(), reload_script(self.state.generation))
        else:
            data = b"<!DOCTYPE html><title>404</title><h1>404</h1>"
        self._send(404, "text/html; charset=utf-8", data, head)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, kind: str, data: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")     # a reload must show the new build
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _event_stream(self) -> None:
        """Server-sent events: the number of the latest build, sent now and after every build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.state
        generation = state.generation
        try:
            self.wfile.write(f"retry: 500\ndata: {generation}\n\n".encode())
            self.wfile.flush()
            while not state.stopping:
                current = state.wait_after(generation, PING_SECONDS)
                message = f"data: {current}\n\n" if current != generation else ": ping\n\n"
                generation = current
                self.wfile.write(message.encode())
                self.wfile.flush()
        except ConnectionError:
            pass


class DevHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A tab that reloads mid-answer closes its connection: that is normal, not worth a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            print(f"serve: error answering {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr)


def _file_inside(root: Path, rel: str) -> Path | None:
    """`root/rel`, or None when it would lie outside `root` (../, absolute parts, links, NUL)."""
    if "\x00" in rel:
        return None
    root = root.resolve()
    candidate = (root / rel.lstrip("/")).resolve()
    return candidate if candidate.is_relative_to(root) else None


def _is_page(path: str) -> bool:
    """A request for an HTML page (where the error page stands in while the build is broken)."""
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


def local_base_path(site_dir: Path, override: str | None) -> str:
    """The path part of the site's base URL ("/" or "/ldld/"), read afresh from site.yaml."""
    from generator.config import load_config

    if override:
        path = urlsplit(override).path.strip("/")
    else:
        try:
            path = urlsplit(load_config(site_dir)[0].base_url).path.strip("/")
        except Exception:  # noqa: BLE001 - a broken site.yaml is reported by the build itself
            path = ""
    return f"/{path}/" if path else "/"


class Builder:
    """Runs builds one at a time on its own thread; requests made during a build coalesce."""

    def __init__(self, site_dir: Path, options: BuildOptions, state: ServeState, origin: str, quiet: bool):
        self.site_dir, self.options, self.state, self.origin, self.quiet = site_dir, options, state, origin, quiet
        self.requested = threading.Event()
        # Parsed documents and the output manifest stay in memory between rebuilds (state.py).
        self.build_state = BuildState(site_dir, defer_finish=True)

    def build(self) -> BuildReport:
        base_path = local_base_path(self.site_dir, self.options.base_url)
        options = replace(self.options, base_url=self.origin + base_path, output=self.state.output)
        try:
            report = build_site(self.site_dir, options, state=self.build_state)
        except Exception as exc:  # noqa: BLE001 - the server must survive a generator bug
            from generator.cli import describe_crash
            from generator.diagnostics import Diagnostic

            where, _, message = describe_crash(exc).partition(": error: ")
            report = BuildReport([Diagnostic(where, None, "error", message)])
        self.state.base_path = base_path
        self.state.publish(report)
        self._print(report)
        if report.deferred is not None and not self.requested.is_set():
            report.deferred()     # the search index, after the tabs have reloaded; skipped if more edits wait
        return report

    def run(self) -> None:
        while not self.state.stopping:
            if self.requested.wait(0.5):
                self.requested.clear()
                if not self.state.stopping:
                    self.build()

    def _print(self, report: BuildReport) -> None:
        for diagnostic in report.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        if report.ok and not self.quiet:
            print(f"đã dựng lại: {report.pages} trang, {report.seconds:.2f} s", file=sys.stderr)
        elif not report.ok:
            print("bản dựng lỗi: trình duyệt đang hiện danh sách lỗi; sửa tệp rồi lưu lại", file=sys.stderr)


def watch_paths(site_dir: Path, output: Path) -> tuple[list[Path], Path]:
    """Folders watched recursively (content, site themes, bundled themes) and the site folder itself,
    watched alone, for site.yaml. The output folder is never among them."""
    folders = [p for p in (site_dir / "content", site_dir / "themes", BUNDLED_THEMES) if p.is_dir()]
    return [p for p in dict.fromkeys(folders) if not output.is_relative_to(p)], site_dir


def watch(paths: list[Path], recursive: bool, wanted, builder: Builder, stop: threading.Event) -> None:
    """Ask for a build after every batch of relevant changes, until `stop` is set."""
    import watchfiles

    if not paths:
        return
    for changes in watchfiles.watch(*paths, recursive=recursive, step=WATCH_STEP_MS, stop_event=stop,
                                    raise_interrupt=False):
        if any(wanted(Path(changed)) for _change, changed in changes):
            builder.requested.set()


def serve(site_dir: Path, options: BuildOptions, host: str, port: int, quiet: bool = False) -> int:
    site_dir = site_dir.resolve()
    private = None if options.output else Path(tempfile.mkdtemp(prefix="congdoan-serve-"))
    output = (options.output or private / "output").resolve()
    state = ServeState(output)
    handler = type("Handler", (DevRequestHandler,), {"state": state})
    try:
        server = DevHTTPServer((host, port), handler)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port} ({exc.strerror}); try another --port", file=sys.stderr)
        return 2
    shown_host = f"[{host}]" if ":" in host else host
    origin = f"http://{shown_host}:{server.server_address[1]}"
    builder = Builder(site_dir, options, state, origin, quiet)
    builder.build()
    stop = threading.Event()
    folders, site_folder = watch_paths(site_dir, output)
    threads = [
        threading.Thread(target=builder.run, daemon=True),
        threading.Thread(target=watch, args=(folders, True, lambda p: True, builder, stop), daemon=True),
        threading.Thread(target=watch, args=([site_folder], False, lambda p: p.name == "site.yaml", builder, stop),
                         daemon=True),
    ]
    for thread in threads:
        thread.start()
    print(f"Đang phục vụ {origin}{state.base_path} (thư mục {output}); Ctrl+C để dừng", file=sys.stderr, flush=True)
    _stop_on_sigterm()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        state.stop()
        server.server_close()
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
    return 0


def _stop_on_sigterm() -> None:
    """`kill` (SIGTERM) stops the server as Ctrl+C does, so the temporary folder is removed."""
    import signal

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
