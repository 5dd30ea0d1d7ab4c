"""`new`: start an article, a campaign or an honour roll with its front matter filled in.

    python build.py new article "Tiêu đề bài viết" --category thoi-su [--author "Hà Linh"]
    python build.py new campaign "Tên phong trào"
    python build.py new honours "Công nhân giỏi năm 2026" [--kind cong-nhan-gioi] [--year 2026]

The file is written once: an existing file is never overwritten. Dates are "now" in the site's
time zone; the author comes from --author, else from `new: {author: …}` in site.yaml.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

from generator.cli import EXTRA_COMMANDS, command
from generator.config import CONFIG_FILE, ConfigError, SiteConfig, load_config
from generator.diagnostics import did_you_mean
from generator.vietnamese import slugify

KINDS = ("article", "campaign", "honours")
# New files are not published until the editor says so: an empty scaffold on the home page and
# in the feeds was the alternative.
DRAFT_LINE = "draft: true    # bản nháp: xóa dòng này (hoặc ghi false) khi nội dung đã xong để xuất bản"
# Honour-roll kinds of DESIGN.md; the honours package, when present, is the authority.
ROLL_KINDS = ("cong-nhan-gioi", "sang-kien", "khen-thuong", "giai-thuong", "other")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Write a new content file with its front matter filled in."
    parser.add_argument("kind", choices=KINDS, help="what to create")
    parser.add_argument("title", help="the title, in Vietnamese, in quotes")
    parser.add_argument("--site", type=Path, default=Path("."), help="site folder (default: current folder)")
    parser.add_argument("--category", help="category key from site.yaml (articles)")
    parser.add_argument("--author", help="author name (articles; default: new.author in site.yaml)")
    parser.add_argument("--slug", help="file name / URL slug (default: made from the title)")
    parser.add_argument("--kind", dest="roll_kind", default="other", help="honour-roll kind (honours)")
    parser.add_argument("--year", type=int, help="year of the honour roll (default: this year)")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an internal error")


def run(args) -> int:
    site_dir: Path = args.site
    try:
        config, _warnings = load_config(site_dir)
    except ConfigError as exc:
        for diagnostic in exc.diagnostics.sorted():
            print(diagnostic.format(), file=sys.stderr)
        return 1
    slug = args.slug or slugify(args.title)
    if not slug or slug != slugify(slug):
        print(f"error: cannot make a file name from '{args.slug or args.title}'; pass --slug ten-bai-viet",
              file=sys.stderr)
        return 2
    now = dt.datetime.now(config.tz)
    try:
        if args.kind == "article":
            path, text = article_file(args, config, slug, now)
        elif args.kind == "campaign":
            path, text = campaign_file(args, config, slug, now)
        else:
            path, text = honours_file(args, config, slug, now)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    target = site_dir / path
    if target.exists():
        print(f"{path}: error: the file already exists and is left as it is; "
              "choose another title or pass --slug", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:   # "x": never overwrite
        handle.write(text)
    print(f"đã tạo {path}")
    print(f"Mở tệp để viết nội dung; xem trước cả bản nháp bằng: {command('serve --drafts')}")
    print("Tệp đang là bản nháp (draft: true): xóa dòng đó khi muốn xuất bản.")
    return 0


def article_file(args, config: SiteConfig, slug: str, now: dt.datetime) -> tuple[str, str]:
    keys = [c.key for c in config.categories]
    if not args.category:
        raise ValueError(f"an article needs --category; categories in {CONFIG_FILE}: {', '.join(keys)}")
    if args.category not in keys:
        hint = did_you_mean(args.category, keys) or f"categories in {CONFIG_FILE}: {', '.join(keys)}"
        raise ValueError(f"unknown category '{args.category}'; {hint}")
    author = args.author or _default_author(config, args.site)
    # The slug is written out: a later title edit must never move the published address.
    lines = ["---", f"title: {scalar(args.title)}", f"slug: {slug}", f"date: {now:%Y-%m-%d %H:%M}",
             f"category: {args.category}", DRAFT_LINE]
    lines.append(f"author: {scalar(author)}" if author else "# author: Họ và tên tác giả")
    lines += [
        "# sapo: Đoạn mở đầu; nếu bỏ trống, đoạn văn đầu tiên của bài được dùng làm sapo",
        "# source: LĐTĐ",
        "# tags: [Chủ đề một, Chủ đề hai]",
        f"# image: /media/anh/{now:%Y}/{slug}.jpg",
        "# image_caption: Chú thích ảnh bìa",
        "# byline: \"Bài và ảnh: Họ và tên\"",
        "---",
        "",
        "<!-- Viết đoạn mở đầu (sapo) ở đây, rồi đến nội dung bài.",
        f"     Ảnh có chú thích: ![Mô tả ảnh](/media/anh/{now:%Y}/{slug}-1.jpg \"Chú thích ảnh\") -->",
        "",
    ]
    return f"content/articles/{now:%Y}/{slug}.md", "\n".join(lines)


def campaign_file(args, config: SiteConfig, slug: str, now: dt.datetime) -> tuple[str, str]:
    lines = [
        "---",
        f"title: {scalar(args.title)}",
        DRAFT_LINE,
        f"start: {now:%Y-%m-%d}",
        f"end: {now:%Y}-12-31",
        f"issuer: {scalar(config.organisation.name)}" if config.organisation.name else "# issuer: Đơn vị phát động",
        f"# document: Kế hoạch số …/KH-LĐLĐ ngày {now.day}/{now.month}/{now.year}",
        "# image: /media/phong-trao/anh-bia.jpg",
        "# targets:",
        "#   - {label: Sáng kiến được công nhận, target: 100, achieved: 0, unit: sáng kiến}",
        "---",
        "",
        "<!-- Mục đích, đối tượng, nội dung và cách đăng ký thi đua. -->",
        "",
    ]
    return f"content/campaigns/{slug}.md", "\n".join(lines)


def honours_file(args, config: SiteConfig, slug: str, now: dt.datetime) -> tuple[str, str]:
    kinds = _roll_kinds()
    if args.roll_kind not in kinds:
        hint = did_you_mean(args.roll_kind, kinds) or f"kinds: {', '.join(kinds)}"
        raise ValueError(f"unknown honour-roll kind '{args.roll_kind}'; {hint}")
    year = args.year or now.year
    lines = [
        f"title: {scalar(args.title)}",
        DRAFT_LINE,
        f"kind: {args.roll_kind}          # {' | '.join(kinds)}",
        f"year: {year}",
        f"issuer: {scalar(config.organisation.name)}" if config.organisation.name else "# issuer: Đơn vị khen thưởng",
        f"# decision: Quyết định số …/QĐ-LĐLĐ ngày {now.day}/{now.month}/{now.year}",
        "# Mỗi mục bắt đầu bằng \"- \": một người (name), một tập thể (collective) hoặc một sáng kiến",
        "# (initiative). Thay [] bằng danh sách, ví dụ:",
        "#   - name: Nguyễn Văn An",
        "#     position: Công nhân tổ Gò",
        "#     unit: Công ty Cổ phần Cơ khí Sơn Hà",
        "#     award: Công nhân giỏi",
        "#   - collective: Công đoàn Công ty TNHH Minh Phát",
        "#     award: Bằng khen",
        f"# Danh sách dài trong Excel: {command('import-honours TỆP.xlsx')}",
        "entries: []",
        "",
    ]
    return f"content/honours/{year}/{slug}.yaml", "\n".join(lines)


def scalar(value: str) -> str:
    """A YAML scalar on one line, quoted only when YAML needs it (': ', '#', a leading '-'…)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 30)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _default_author(config: SiteConfig, site_dir: Path) -> str:
    """`new: {author: …}` in site.yaml, read here since only `new` uses it."""
    from generator.yamlread import load_yaml

    try:
        raw, _ = load_yaml((site_dir / CONFIG_FILE).read_text(encoding="utf-8-sig"), CONFIG_FILE)
    except Exception:  # noqa: BLE001 - load_config has already accepted the file
        return ""
    defaults = raw.get("new") if isinstance(raw, dict) else None
    author = defaults.get("author") if isinstance(defaults, dict) else None
    return str(author).strip() if isinstance(author, (str, int)) else ""


def _roll_kinds() -> tuple[str, ...]:
    try:
        from generator.honours.schema import KINDS as kinds
    except ImportError:
        return ROLL_KINDS
    return tuple(kinds)


EXTRA_COMMANDS["new"] = (configure, run)
