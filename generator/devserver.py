"""`serve`: build into a private folder, serve it on 127.0.0.1, rebuild on change, reload the tabs.

Three parts share one `ServeState` (devhttp.py):
- watcher threads (watchfiles: inotify on Linux, 20 ms of quiet) follow content/ (media included),
  themes/ and site.yaml, and hand the builder the paths that changed;
- a builder thread runs `build_site` with warm caches (state.py); changes that arrive during a
  build are merged into one more build. A build re-reads only the sources the watcher reported
  (BuildState.discover) and trusts the output folder as the last check found it. As soon as it
  has published its pages (or failed), the open tabs reload; then a full scan checks what was
  taken on trust (BuildState.verify: a missed change or a published file changed by hand means
  one more, full, build). The search index, which a build may leave for later, follows on a
  thread of its own and never delays the reload;
- the HTTP side (devhttp.py): livereload's websocket and livereload.js, and a WSGI app that serves
  only files inside the output folder, the site's 404 page for missing ones and, while the last
  build failed, an error page naming each problem's file and line.

The published `output/` is never touched: `serve` builds with a local base URL, which must not
end up on the real site, into a temporary folder unless --output names one.
"""
from __future__ import annotations

import asyncio
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from generator.crash import describe_crash
from generator.diagnostics import Diagnostic
from generator.devhttp import ServeState
from generator.pipeline import BuildOptions, BuildReport, build_site
from generator.state import BuildState
from generator.themes import BUNDLED_THEMES

__all__ = ["Builder", "ServeState", "serve", "watch", "watch_paths"]

WATCH_STEP_MS = 20            # a batch of changes is handed over after this much quiet
STOP_WAIT_SECONDS = 10       # on Ctrl+C, how long a build in progress may take to finish


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
            where, _, message = describe_crash(exc).partition(": error: ")
            report = BuildReport([Diagnostic(where, None, "error", message)])
        self.state.base_path = base_path
        self.state.publish(report)
        self._print(report)
        if (report.ok and not self.requested.is_set()
                and self.build_state.verify(self.site_dir, report.output, self.requested.is_set) is False):
            self.requested.set()  # a change the watcher missed, or a file changed by hand: build again
        if report.deferred is not None and not self.requested.is_set():
            report.deferred()     # the search index, after the tabs have reloaded; skipped if more edits wait
        return report

    def changed(self, paths: list[Path]) -> None:
        """The watcher saw these paths change: build, reading again only what they touch."""
        self.build_state.note_changes({self._relative(path) for path in paths})
        self.requested.set()

    def _relative(self, path: Path) -> str:
        """Site-relative with forward slashes; other paths (the bundled themes) stay absolute."""
        try:
            return path.relative_to(self.site_dir).as_posix()
        except ValueError:
            return path.as_posix()

    def run(self) -> None:
        while not self.state.stopping:
            if self.requested.wait(0.5):
                self.requested.clear()
                if not self.state.stopping:
                    self.build()

    def _print(self, report: BuildReport) -> None:
        if self.state.stopping:       # a build cut short by Ctrl+C has nothing to tell
            return
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
        relevant = [Path(changed) for _change, changed in changes if wanted(Path(changed))]
        if relevant:
            builder.changed(relevant)


def serve(site_dir: Path, options: BuildOptions, host: str, port: int, quiet: bool = False) -> int:
    """Build, then serve and rebuild until Ctrl+C or SIGTERM; 2 when the port cannot be had."""
    from tornado.netutil import bind_sockets

    site_dir = site_dir.resolve()
    try:
        sockets = bind_sockets(port, address=host)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port} ({exc.strerror or exc}); try another --port", file=sys.stderr)
        return 2
    private = None if options.output else Path(tempfile.mkdtemp(prefix="congdoan-serve-"))
    output = (options.output or private / "output").resolve()
    state = ServeState(output)
    shown_host = f"[{host}]" if ":" in host else host
    origin = f"http://{shown_host}:{sockets[0].getsockname()[1]}"
    builder = Builder(site_dir, options, state, origin, quiet)
    stop = threading.Event()
    building = threading.Thread(target=builder.run, daemon=True)
    _stop_on_sigterm()
    try:
        builder.build()
        folders, site_folder = watch_paths(site_dir, output)
        building.start()
        for args in ((folders, True, lambda p: True), ([site_folder], False, lambda p: p.name == "site.yaml")):
            threading.Thread(target=watch, args=(*args, builder, stop), daemon=True).start()
        print(f"Đang phục vụ {origin}{state.base_path} (thư mục {output}); Ctrl+C để dừng", file=sys.stderr, flush=True)
        asyncio.run(_answer_until_stopped(state, sockets, host))
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        state.stop()
        for sock in sockets:
            sock.close()
        try:
            if building.is_alive():
                building.join(STOP_WAIT_SECONDS)     # a build in progress: let it end before its folder goes
            builder.build_state.flush()              # a manifest still queued (state.remember) goes to .cache/
        except KeyboardInterrupt:                    # a second Ctrl+C: stop waiting
            pass
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
    return 0


async def _answer_until_stopped(state: ServeState, sockets: list, host: str) -> None:
    """The HTTP side (devhttp.py) on this thread's event loop, until SIGINT or SIGTERM. It answers
    only requests for `host` (--host) and the loopback names (devhttp.allowed_hosts)."""
    from generator.devhttp import DevServer

    server = DevServer(state, sockets, host)
    server.start()
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stopped.set)
        except (NotImplementedError, RuntimeError):   # Windows: Ctrl+C raises KeyboardInterrupt instead
            pass
    try:
        await stopped.wait()
    finally:
        await server.close()


def _stop_on_sigterm() -> None:
    """`kill` (SIGTERM) during the first build stops the server as Ctrl+C does (the temporary folder
    is removed); once the server answers, its event loop handles both signals."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
