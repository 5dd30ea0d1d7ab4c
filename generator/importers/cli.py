"""`python build.py import-honours FILE.xlsx|FILE.csv`: a spreadsheet list to an honour-roll YAML.

Every row is accounted for: it becomes an entry or a section heading, is skipped as blank, or is
reported by its number as the spreadsheet shows it. Nothing is written unless the whole file is good, and
the YAML is read back through the roll reader before it is written, so what lands in
content/honours/ passes `build`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
from pathlib import Path

from generator.cli import EXTRA_COMMANDS
from generator.honours.reader import read_roll
from generator.honours.schema import KINDS
from generator.importers.honours import is_header, map_rows, roll_yaml
from generator.importers.spreadsheet import SpreadsheetError, read_table
from generator.markdown_render import MarkdownRenderer
from generator.vietnamese import slugify


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = "Turn a CSV or XLSX list (STT, Họ và tên, Đơn vị, Danh hiệu…) into content/honours/…yaml."
    parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
    parser.add_argument("--site", type=Path, default=Path("."), help="site folder (default: current folder)")
    parser.add_argument("--kind", choices=KINDS, help="roll kind (default: sang-kien for initiatives, else khen-thuong)")
    parser.add_argument("--year", type=int, help="year of the roll (default: a year in the title or the file name, else this year)")
    parser.add_argument("--title", help="roll title (default: the title row above the header, e.g. 'DANH SÁCH …')")
    parser.add_argument("--issuer", default="", help="who issued the decision")
    parser.add_argument("--decision", default="", help="decision number and date")
    parser.add_argument("--campaign", default="", help="slug of the campaign the roll belongs to")
    parser.add_argument("--encoding", help="CSV encoding when it is neither UTF-8 nor Windows-1258")
    parser.add_argument("--output", type=Path, help="YAML file to write (default: SITE/content/honours/YEAR/<name>.yaml)")
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")


def run(args) -> int:
    source: Path = args.file
    if not source.is_file():
        print(f"error: {source}: no such file", file=sys.stderr)
        return 2
    try:
        table = read_table(source, args.encoding, is_header)
    except SpreadsheetError as exc:
        print(f"{source}: error: {exc}", file=sys.stderr)
        return 1
    mapped = map_rows(table)
    for note in mapped.notes:
        print(f"{source}: note: {note}", file=sys.stderr)
    reports = [(problem, "error") for problem in mapped.problems] + [(warning, "warning") for warning in mapped.warnings]
    for message, severity in sorted(reports, key=lambda report: _row_of(report[0])):
        print(f"{source}: {severity}: {message}", file=sys.stderr)
    title = args.title or mapped.title
    if not title:
        print(f"{source}: error: the sheet has no title row above the header (a row with one filled cell, such as "
              "'DANH SÁCH CÔNG NHÂN GIỎI NĂM 2024'); add one, or pass the roll's title: "
              "--title \"Công nhân giỏi năm 2024\"", file=sys.stderr)
    if mapped.problems:
        looked_at = mapped.imported + mapped.headings + mapped.skipped + mapped.reported
        counts = f"{mapped.counts(False)}; " if looked_at else ""
        errors = len(mapped.problems) + (0 if title else 1)
        print(f"{source.name}: {counts}{errors} lỗi: chưa ghi tệp nào; sửa bảng tính rồi chạy lại.",
              file=sys.stderr)
        return 1
    if not title:
        return 2

    year = args.year or _year_in(title) or _year_in(source.stem) or dt.date.today().year
    has_initiatives = any("initiative" in e for e in mapped.entries)
    kind = args.kind or ("sang-kien" if has_initiatives else "khen-thuong")
    output: Path = args.output or args.site / "content" / "honours" / str(year) / f"{slugify(title) or 'bang-vang'}.yaml"
    if output.exists() and not args.force:
        print(f"error: {output} exists; pass --force to replace it or --output to write elsewhere", file=sys.stderr)
        return 2
    text = roll_yaml(title, kind, year, mapped.entries, args.issuer, args.decision, args.campaign, source.name)

    # Read the result back exactly as a build will; a problem here is a bug in the importer or a
    # value (such as a slug) the editor passed on the command line.
    roll, problems = read_roll(text.encode("utf-8"), output.as_posix(), MarkdownRenderer("/"))
    errors = [p for p in problems if p.severity == "error"]
    if roll is None or errors:
        for problem in errors:
            print(problem.format(), file=sys.stderr)
        return 1
    _write_atomically(output, text)
    print(f"{output}: {len(mapped.entries)} mục ({kind}, {year}) từ {source.name}: {mapped.counts(True)}")
    return 0


def _year_in(name: str) -> int | None:
    match = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", name)
    return int(match.group(1)) if match else None


def _row_of(message: str) -> int:
    """Messages about the whole sheet first, then by row number, as the editor goes down the sheet."""
    match = re.match(r"row (\d+)\b", message)
    return int(match.group(1)) if match else 0


def _write_atomically(path: Path, text: str) -> None:
    """A temporary file beside the target, then a rename: never a half-written roll."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


EXTRA_COMMANDS["import-honours"] = (configure_parser, run)
