"""The catalogue of malformed inputs: one row per mistake an editor (or an attacker) can make.

Each case starts from a copy of tests/sites/editorial, breaks it with `setup(site)`, and names
what the build must say: the file, the line (None where no line applies), and a piece of the
message. tests/test_robustness_catalogue.py runs them all through the real command line.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ARTICLE = "content/articles/2026/giai-bong-chuyen.md"
LEAD = "content/articles/2026/hoi-nghi-nguoi-lao-dong.md"     # has a cover, a body image and links
CAMPAIGN = "content/campaigns/gioi-viec-nuoc-2026.md"

GOOD_HEAD = "---\ntitle: Khai mạc giải bóng chuyền công nhân\ndate: 2026-04-02 15:00\ncategory: hoat-dong-cong-doan\n"
BODY = "---\n\nMười hai đội bóng của các công đoàn cơ sở tranh tài trong ba ngày.\n"


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Path], None]
    path: str                  # the file the message must name
    line: int | None           # its line, where one applies
    message: str               # a piece of the message text
    hint: str = ""             # a piece of the hint, where one helps
    exit_code: int = 1


def write(rel: str, text: str) -> Callable[[Path], None]:
    def setup(site: Path) -> None:
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return setup


def write_bytes(rel: str, data: bytes) -> Callable[[Path], None]:
    def setup(site: Path) -> None:
        (site / rel).write_bytes(data)
    return setup


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(site: Path) -> None:
        target = site / rel
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return setup


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(site: Path) -> None:
        for step in steps:
            step(site)
    return setup


def copy_file(rel: str, new_rel: str) -> Callable[[Path], None]:
    def setup(site: Path) -> None:
        (site / new_rel).write_bytes((site / rel).read_bytes())
    return setup


def symlink(rel: str, target: str) -> Callable[[Path], None]:
    def setup(site: Path) -> None:
        os.symlink(target, site / rel)
    return setup


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Vietnamese in Windows-1258, the way old Windows editors save it: tone marks as combining
    characters after a precomposed base letter (ô, ơ, ư, ă, â, ê, đ)."""
    out = bytearray()
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out += (base + "".join(c for c in decomposed if c in _TONES)).encode("cp1258")
    return bytes(out)


ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)
SITE_THEME = "themes/tuychinh"


CASES = [
    # -- front matter: shape -------------------------------------------------------------------
    Case("frontmatter-unclosed", write(ARTICLE, GOOD_HEAD + "\nMười hai đội bóng tranh tài.\n"),
         ARTICLE, 1, "front matter is not closed", "add a line '---'"),
    Case("frontmatter-missing", write(ARTICLE, "title: Giải bóng chuyền\n\nMười hai đội bóng tranh tài.\n"),
         ARTICLE, 1, "no front matter"),
    Case("frontmatter-yaml-syntax", write(ARTICLE, GOOD_HEAD.replace("title: Khai", "title: Tin mới: khai") + BODY),
         ARTICLE, 2, "YAML syntax error", "put quotes around a value"),
    Case("frontmatter-tab-indent", write(ARTICLE, GOOD_HEAD + "tags:\n\t- Thể thao\n" + BODY),
         ARTICLE, 6, "YAML syntax error", "indent with spaces"),
    Case("frontmatter-not-mapping", write(ARTICLE, "---\n- title\n- date\n" + BODY),
         ARTICLE, 1, "front matter must be 'key: value' lines"),
    Case("frontmatter-deeply-nested", write(ARTICLE, GOOD_HEAD + "tags: " + "[" * 3000 + "]" * 3000 + "\n" + BODY),
         ARTICLE, 1, "nested too deeply"),
    Case("frontmatter-alias-bomb", write(ARTICLE, GOOD_HEAD + ALIAS_BOMB + "\n" + BODY),
         ARTICLE, 6, "YAML aliases (*name) are not allowed"),
    # -- front matter: values -----------------------------------------------------------------
    Case("date-missing", write(ARTICLE, GOOD_HEAD.replace("date: 2026-04-02 15:00\n", "") + BODY),
         ARTICLE, 1, "'date' is required"),
    Case("date-impossible-iso", edit(ARTICLE, "2026-04-02 15:00", "2026-02-30"),
         ARTICLE, 3, "'date' is not a valid date: '2026-02-30'", "YYYY-MM-DD"),
    Case("date-impossible-vietnamese", edit(ARTICLE, "2026-04-02 15:00", "31/4/2026"),
         ARTICLE, 3, "'date' is not a valid date: '31/4/2026'"),
    Case("date-words", edit(ARTICLE, "2026-04-02 15:00", "hôm qua"),
         ARTICLE, 3, "'date' is not a valid date: 'hôm qua'"),
    Case("title-missing", write(ARTICLE, GOOD_HEAD.replace("title: Khai mạc giải bóng chuyền công nhân\n", "") + BODY),
         ARTICLE, 1, "'title' is required"),
    Case("title-is-a-list", edit(ARTICLE, "title: Khai mạc giải bóng chuyền công nhân", "title: [Khai mạc, giải]"),
         ARTICLE, 2, "'title' must be text, not a list"),
    Case("key-typo-hides-required", edit(ARTICLE, "title:", "titel:"),
         ARTICLE, 2, "unknown front-matter key 'titel' is ignored", "did you mean 'title'?"),
    Case("category-unknown-typo", edit(ARTICLE, "category: hoat-dong-cong-doan", "category: hoat-dong"),
         ARTICLE, 4, "unknown category 'hoat-dong'", "did you mean 'hoat-dong-cong-doan'?"),
    Case("featured-not-boolean", write(ARTICLE, GOOD_HEAD + "featured: có\n" + BODY),
         ARTICLE, 5, "'featured' must be true or false"),
    Case("tags-mapping", write(ARTICLE, GOOD_HEAD + "tags: {thể thao: 1}\n" + BODY),
         ARTICLE, 5, "'tags' must be a list"),
    Case("format-typo", write(ARTICLE, GOOD_HEAD + "format: viddeo\n" + BODY),
         ARTICLE, 5, "'format' must be one of", "did you mean 'video'?"),
    Case("video-without-url", write(ARTICLE, GOOD_HEAD + "format: video\n" + BODY),
         ARTICLE, 5, "a video article needs a 'video:' URL"),
    # -- encodings and sizes -------------------------------------------------------------------
    Case("encoding-windows-1258", write_bytes(ARTICLE, cp1258(GOOD_HEAD + BODY)),
         ARTICLE, 2, "file is not UTF-8 text (it looks like Windows-1258", "save it as UTF-8"),
    Case("encoding-utf-16", write_bytes(ARTICLE, (GOOD_HEAD + BODY).encode("utf-16")),
         ARTICLE, 1, "file is not UTF-8 text (it looks like UTF-16"),
    Case("empty-file", write(ARTICLE, ""), ARTICLE, 1, "file is empty"),
    Case("blank-file", write(ARTICLE, "\n  \n\n"), ARTICLE, 1, "file is empty"),
    Case("binary-file", write_bytes(ARTICLE, b"---\ntitle: a\x00b\n---\n"), ARTICLE, 1, "NUL bytes"),
    Case("eleven-million-character-article", write(ARTICLE, GOOD_HEAD + "---\n\n" + ("Công nhân tranh tài sôi nổi. " * 12) * 32_000),
         ARTICLE, 1, "file is too large", "split it"),
    # -- references across files ---------------------------------------------------------------
    Case("duplicate-slug", write("content/articles/2026/ban-sao.md", GOOD_HEAD + BODY),
         "content/articles/2026/giai-bong-chuyen.md", 2, "two articles would be published at /hoat-dong-cong-doan/"),
    Case("related-unknown", edit(LEAD, "related: [trao-qua-cho-nu-cong-nhan]", "related: [trao-qua-nu-cong-nhan]"),
         LEAD, 10, "related article 'trao-qua-nu-cong-nhan' does not exist", "did you mean 'trao-qua-cho-nu-cong-nhan'?"),
    Case("campaign-unknown", edit("content/articles/2026/trao-qua-nu-cong.md", "gioi-viec-nuoc-2026", "gioi-viec-nuoc"),
         "content/articles/2026/trao-qua-nu-cong.md", 6, "unknown campaign 'gioi-viec-nuoc'", "did you mean 'gioi-viec-nuoc-2026'?"),
    Case("cover-image-missing", edit(LEAD, "image: /media/anh/hoi-nghi.jpg", "image: /media/anh/hoi-nghi.png"),
         LEAD, 8, "image '/media/anh/hoi-nghi.png' not found", "did you mean '/media/anh/hoi-nghi.jpg'?"),
    Case("body-image-missing", edit(LEAD, "(/media/anh/hoi-nghi.jpg \"", "(/media/anh/hoi-nghi-2.jpg \""),
         LEAD, 15, "image '/media/anh/hoi-nghi-2.jpg' in the body not found"),
    Case("body-link-broken", edit(LEAD, "(/gioi-thieu/)", "(/gioi-thieuu/)"),
         LEAD, 18, "link '/gioi-thieuu/' points to a page that does not exist", "did you mean '/gioi-thieu/'?"),
    Case("campaign-ends-before-start", edit(CAMPAIGN, "end: 2026-12-31", "end: 2025-12-31"),
         CAMPAIGN, 4, "the campaign ends before it starts"),
    Case("campaign-targets-not-list", edit(CAMPAIGN, "targets:\n  - {label: Nữ đoàn viên đạt danh hiệu, target: 200, achieved: 150, unit: người}", "targets: nhiều"),
         CAMPAIGN, 6, "'targets' must be a list"),
    Case("page-slug-clashes-with-category", write("content/pages/thoi-su.md", "---\ntitle: Thời sự\n---\n\nTrang.\n"),
         "content/pages/thoi-su.md", 1, "page slug 'thoi-su' clashes with a category URL"),
    # -- path traversal --------------------------------------------------------------------------
    Case("slug-traversal", write(ARTICLE, GOOD_HEAD + "slug: ../../../etc/passwd\n" + BODY),
         ARTICLE, 5, "slug '../../../etc/passwd' may hold only lower-case letters"),
    Case("cover-image-traversal", write(ARTICLE, GOOD_HEAD + "image: /media/../../../etc/passwd\n" + BODY),
         ARTICLE, 5, "'image' must be a path under /media/"),
    Case("body-image-traversal", write(ARTICLE, GOOD_HEAD + BODY + "\n![ảnh](../../../../etc/passwd)\n"),
         ARTICLE, 9, "climbs out of its folder"),
    Case("body-link-traversal", write(ARTICLE, GOOD_HEAD + BODY + "\n[tải về](/media/../../../etc/passwd)\n"),
         ARTICLE, 9, "link '/media/../../../etc/passwd' climbs out of the site"),
    Case("media-symlink-outside", symlink("content/media/anh/passwd.jpg", "/etc/passwd"),
         "content/media/anh/passwd.jpg", None, "is a link to a file outside the site folder"),
    Case("article-symlink-outside", symlink("content/articles/2026/hosts.md", "/etc/hosts"),
         "content/articles/2026/hosts.md", None, "is a link to a file outside the site folder"),
    Case("theme-static-symlink-outside", both(edit("site.yaml", "theme: congdoan", "theme: tuychinh"),
                                              write(f"{SITE_THEME}/theme.yaml", "name: tuychinh\nparent: congdoan\n"),
                                              write(f"{SITE_THEME}/static/css/rieng.css", "body{}\n"),
                                              symlink(f"{SITE_THEME}/static/passwd", "/etc/passwd")),
         f"{SITE_THEME}/static/passwd", None, "is a link to a file outside the site folder"),
    Case("theme-template-symlink-outside", both(edit("site.yaml", "theme: congdoan", "theme: tuychinh"),
                                                write(f"{SITE_THEME}/theme.yaml", "name: tuychinh\nparent: congdoan\n"),
                                                write(f"{SITE_THEME}/templates/_rong.html", "\n"),
                                                symlink(f"{SITE_THEME}/templates/hosts.html", "/etc/hosts")),
         f"{SITE_THEME}/templates/hosts.html", None, "is a link to a file outside the site folder"),
    Case("media-name-backslash", copy_file("content/media/anh/hoi-nghi.jpg", "content/media/anh/Ảnh\\hội nghị.jpg"),
         "content/media/anh/Ảnh\\hội nghị.jpg", None, "the file name holds '\\', which a web address cannot carry",
         "rename the file, e.g. to 'anh-hoi-nghi.jpg'"),
    Case("media-name-hash", copy_file("content/media/anh/hoi-nghi.jpg", "content/media/anh/so#1.jpg"),
         "content/media/anh/so#1.jpg", None, "the file name holds '#'"),
    Case("empty-body", write(ARTICLE, GOOD_HEAD + "---\n"), ARTICLE, 5, "the article has no text below this line"),
    Case("no-body-no-newline", write(ARTICLE, GOOD_HEAD + "---"), ARTICLE, 5, "the article has no text below this line"),
    Case("body-only-a-comment", write(ARTICLE, GOOD_HEAD + "---\n\n<!-- Viết nội dung ở đây -->\n"),
         ARTICLE, 5, "the article has no text below this line"),
    Case("title-starts-with-a-quote", write(ARTICLE, "---\ntitle: \"Chuyến xe\" đưa 620 công nhân về quê\ndate: 2026-04-02 15:00\n"
                                            "category: hoat-dong-cong-doan\n" + BODY),
         ARTICLE, 2, "giá trị của 'title' bắt đầu bằng \"", "title: '\"Chuyến xe\" đưa 620 công nhân về quê'"),
    Case("title-starts-with-an-anchor", write(ARTICLE, "---\ntitle: &Tin mới\ndate: 2026-04-02 15:00\n"
                                              "category: hoat-dong-cong-doan\n" + BODY),
         ARTICLE, 2, "giá trị của 'title' bắt đầu bằng &", "title: '&Tin mới'"),
    Case("campaign-without-text", write("content/campaigns/trong.md", "---\ntitle: Phong trào trống\n---\n"),
         "content/campaigns/trong.md", 3, "the campaign has no text below this line"),
    Case("alias-climbs-out", write(ARTICLE, GOOD_HEAD + "aliases: [/tin/../../../etc/passwd]\n" + BODY),
         ARTICLE, 5, "'..' cannot be part of an address"),
    # -- site.yaml -----------------------------------------------------------------------------
    Case("site-yaml-syntax", edit("site.yaml", "  thoi-su: Thời sự", "  thoi-su: Thời sự\n   bad: indentation"),
         "site.yaml", 22, "dòng này thụt lề 3 dấu cách", "thụt lề đúng 2 dấu cách: '  bad: indentation'"),
    Case("site-yaml-not-mapping", write("site.yaml", "- title: Công đoàn\n"), "site.yaml", 1, "site.yaml must be a mapping"),
    Case("site-yaml-missing-title", edit("site.yaml", "title: Công đoàn Bến Đá\n", ""), "site.yaml", 1, "'title' is required"),
    Case("site-yaml-bad-timezone", edit("site.yaml", "timezone: Asia/Ho_Chi_Minh", "timezone: Asia/Ha_Noi"),
         "site.yaml", 7, "unknown time zone 'Asia/Ha_Noi'"),
    Case("site-yaml-category-key", edit("site.yaml", "  thoi-su: Thời sự", "  Thời Sự: Thời sự"),
         "site.yaml", 21, "category key 'Thời Sự' must be lower-case"),
    Case("site-yaml-alias-bomb", edit("site.yaml", "per_page: 5\n", "per_page: 5\nnew:\n  " + ALIAS_BOMB.replace("\n", "\n  ") + "\n"),
         "site.yaml", 12, "YAML aliases (*name) are not allowed"),
    Case("site-yaml-menu-javascript", edit("site.yaml", "url: /gioi-thieu/}", "url: \"javascript:alert(1)\"}"),
         "site.yaml", 19, "menu url cannot be published: addresses starting with 'javascript:' are not allowed"),
    Case("site-yaml-menu-protocol-relative", edit("site.yaml", "url: /thoi-su/}", "url: //evil.example/}"),
         "site.yaml", 18, "menu url cannot be published: a link to this site must start with one '/'"),
    Case("site-yaml-footer-link-data", edit("site.yaml", "per_page: 5\n", "per_page: 5\nbranding:\n  footer_links:\n"
                                            "    - {title: Liên hệ, url: \"data:text/html,<script>alert(1)</script>\"}\n"),
         "site.yaml", 12, "branding.footer_links url cannot be published: addresses starting with 'data:'"),
    Case("site-yaml-member-link-userinfo", edit("site.yaml", "per_page: 5\n", "per_page: 5\nbranding:\n  member_links:\n"
                                                "    - {title: LĐLĐ, url: \"https://congdoan.vn@evil.example/\"}\n"),
         "site.yaml", 12, "user name before '@'"),
    Case("site-yaml-windows-1258", lambda site: (site / "site.yaml").write_bytes(cp1258((site / "site.yaml").read_text("utf-8"))),
         "site.yaml", 1, "file is not UTF-8 text (it looks like Windows-1258"),
    # -- themes and templates ------------------------------------------------------------------
    Case("theme-unknown", edit("site.yaml", "theme: congdoan", "theme: congdoann"),
         "site.yaml", 8, "theme 'congdoann' not found", "did you mean 'congdoan'?"),
    Case("theme-name-traversal", edit("site.yaml", "theme: congdoan", "theme: ../../../etc"),
         "site.yaml", 8, "theme name '../../../etc' must be a folder name"),
    Case("theme-parent-missing", both(edit("site.yaml", "theme: congdoan", "theme: tuychinh"),
                                      write(f"{SITE_THEME}/theme.yaml", "name: tuychinh\nparent: congdoan-cu\n")),
         f"{SITE_THEME}/theme.yaml", 2, "parent theme 'congdoan-cu' of 'tuychinh' not found"),
    Case("theme-yaml-broken", both(edit("site.yaml", "theme: congdoan", "theme: tuychinh"),
                                   write(f"{SITE_THEME}/theme.yaml", "name: tuychinh\nparent: [congdoan\n")),
         f"{SITE_THEME}/theme.yaml", 3, "YAML syntax error"),
    Case("template-syntax-error", both(edit("site.yaml", "theme: congdoan", "theme: tuychinh"),
                                       write(f"{SITE_THEME}/theme.yaml", "name: tuychinh\nparent: congdoan\n"),
                                       write(f"{SITE_THEME}/templates/page.html",
                                             '{% extends "base.html" %}\n{% block main %}\n{% if page %}\n<h1>{{ page.title }}</h1>\n{% endblock %}\n')),
         f"{SITE_THEME}/templates/page.html", 5, "template syntax error"),
    Case("template-unused-syntax-error", both(edit("site.yaml", "theme: congdoan", "theme: tuychinh"),
                                              write(f"{SITE_THEME}/theme.yaml", "name: tuychinh\nparent: congdoan\n"),
                                              write(f"{SITE_THEME}/templates/_khong-dung.html", "<p>{{ site.title }</p>\n")),
         f"{SITE_THEME}/templates/_khong-dung.html", 1, "template syntax error"),
]

HONOUR_ROLL = "content/honours/2026/cong-nhan-gioi-2026.yaml"
HONOUR_CASES = [
    Case("honours-no-entries", write(HONOUR_ROLL, "title: Công nhân giỏi 2026\nkind: cong-nhan-gioi\nyear: 2026\n"
                                           "entries: []\n"), HONOUR_ROLL, 4, "the roll has no entries"),
    Case("honours-bad-indentation", edit(HONOUR_ROLL, "    award: Công nhân giỏi\n  - name: Lê Thị Hồng",
                                         "   award: Công nhân giỏi\n  - name: Lê Thị Hồng"),
         HONOUR_ROLL, 8, "dòng này thụt lề 3 dấu cách", "thụt lề đúng 4 dấu cách"),
    Case("honours-photo-traversal", edit(HONOUR_ROLL, "    unit: Nhà máy gạch Bến Đá\n",
                                         "    unit: Nhà máy gạch Bến Đá\n    photo: ../../../etc/passwd\n"),
         HONOUR_ROLL, 8, "'photo' must be a path under /media/"),
    Case("honours-yaml-syntax", edit(HONOUR_ROLL, "  - name: Lê Thị Hồng", "  - name: Lê Thị Hồng: tổ trưởng"),
         HONOUR_ROLL, 9, "YAML syntax error"),
    Case("honours-year-text", edit(HONOUR_ROLL, "year: 2026", "year: năm 2026"),
         HONOUR_ROLL, 3, "'year' must be a year"),
]

# Valid oddities: each must build, and the page must carry the article's title.
ODDITIES = {
    "utf-8-bom": lambda site: (site / ARTICLE).write_bytes(b"\xef\xbb\xbf" + (site / ARTICLE).read_bytes()),
    "crlf-line-ends": lambda site: (site / ARTICLE).write_bytes((site / ARTICLE).read_bytes().replace(b"\n", b"\r\n")),
    "cr-line-ends": lambda site: (site / ARTICLE).write_bytes((site / ARTICLE).read_bytes().replace(b"\n", b"\r")),
    "decomposed-unicode-title": write(ARTICLE, unicodedata.normalize("NFD", GOOD_HEAD) + BODY),
    "body-starts-with-raw-html": write(ARTICLE, GOOD_HEAD + "---\n\n<!-- ghi chú của biên tập -->\n\n<div>Hộp tin</div>\n"),
    "unknown-key-only-warns": write(ARTICLE, GOOD_HEAD + "imagee: /media/anh/hoi-nghi.jpg\n" + BODY),
}
