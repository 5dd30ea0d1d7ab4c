"""Command line: `build` (default), `serve`, `check`, `new`, `import-honours`.

Exit status: 0 success, 1 content errors (each printed as `path:line: severity: message`),
2 usage errors. No traceback reaches an editor for a content mistake.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from generator.crash import describe_crash
from generator.pipeline import BuildOptions, BuildReport, build_site
from generator.progress import Progress, summary_line

COMMANDS = ("build", "serve", "check", "new", "import-honours")
# Commands added by feature modules: name -> (configure_parser, run)
EXTRA_COMMANDS: dict = {}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-22") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), help="site folder (default: current folder)")
    parser.add_argument("--output", type=Path, help="output folder (default: SITE/output)")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument("--base-url", help="override base_url from site.yaml")
    parser.add_argument("--today", type=_date, help="build as if today were YYYY-MM-DD")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    parser.add_argument("--theme", help="build with this theme instead of site.yaml's (e.g. tinh)")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an internal error")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build a union news portal from Markdown.")
    sub = parser.add_subparsers(dest="command")
    _common(sub.add_parser("build", help="build the site into output/ (default)"))
    _common(sub.add_parser("check", help="validate every source without writing"))
    serve = sub.add_parser("serve", help="build, serve on 127.0.0.1:8000 and reload on change")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    for name, (configure, _run) in EXTRA_COMMANDS.items():
        configure(sub.add_parser(name))
    return parser


def command(arguments: str) -> str:
    """How the user runs a command of ours from where they are: with the Python they ran this one
    with (".venv/bin/python build.py serve"), since a bare `python` has none of our packages."""
    python = Path(sys.executable)
    try:
        shown = python.relative_to(Path.cwd()).as_posix() if not sys.platform.startswith("win") else \
            str(python.relative_to(Path.cwd()))
    except ValueError:
        shown = "python"
    return f"{shown} build.py {arguments}"


def options_from(args) -> BuildOptions:
    return BuildOptions(output=args.output, drafts=args.drafts, base_url=args.base_url, today=args.today,
                        jobs=args.jobs, theme=args.theme)


def print_report(report: BuildReport, quiet: bool, verb: str = "built") -> None:
    for diagnostic in report.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if quiet:
        return
    if report.ok:
        # "built: 12.036 trang, 11.980 không đổi, 57 tệp khác, 0,8 s -> output" (progress.summary_line)
        unchanged = None if report.output is None else report.unchanged
        print(f"{verb}: {summary_line(report.pages, unchanged, report.files, report.seconds, report.spliced)}"
              + (f" -> {report.output}" if report.output else ""))
    else:
        errors = sum(1 for d in report.diagnostics if d.severity == "error")
        print(f"{errors} lỗi: chưa xuất bản gì; thư mục output cũ được giữ nguyên.", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    _load_commands()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, *EXTRA_COMMANDS, "-h", "--help"):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    try:
        return run(args)
    except Exception as exc:  # noqa: BLE001 - an editor gets one line, not a traceback
        if getattr(args, "debug", False):
            raise
        print(describe_crash(exc), file=sys.stderr)
        return 1


def run(args) -> int:
    if args.command in EXTRA_COMMANDS:
        return EXTRA_COMMANDS[args.command][1](args)
    if not (args.site / "site.yaml").is_file():
        print(f"error: no site.yaml in {args.site.resolve()}; pass --site DIR", file=sys.stderr)
        return 2
    if args.command == "serve":
        from generator.devserver import serve
        return serve(args.site, options_from(args), args.host, args.port, args.quiet)
    check_only = args.command == "check"
    options = options_from(args)
    if check_only:
        options = BuildOptions(**{**options.__dict__, "write": False})
    progress = Progress(enabled=None if not args.quiet else False)   # a bar only on a terminal, after ~2 s
    try:
        report = build_site(args.site, options, progress=progress)
    finally:
        progress.close()
    print_report(report, args.quiet, "checked" if check_only else "built")
    return 0 if report.ok else 1


def _load_commands() -> None:
    """Feature modules that add commands register them in EXTRA_COMMANDS on import."""
    import importlib

    for module in ("generator.scaffold", "generator.importers.cli"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module and not module.startswith(exc.name or "\0"):
                raise
