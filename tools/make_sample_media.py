#!/usr/bin/env python3
"""Generate the sample media and the big sample honour roll of the Sơn Hà demo site.

Everything here is deterministic: running the script twice writes identical bytes.

* ``write_big_honour_roll()`` writes ``content/honours/2026/cong-nhan-gioi-2026-toan-tinh.yaml``,
  a roll of 2,140 fictional "Công nhân giỏi" entries drawn with ``random.Random(2026)``.
* ``make_media()`` scans the content (articles, campaigns, pages, honour rolls) for every
  ``/media/...jpg`` path it references and draws a placeholder picture for each one under
  ``content/media/`` with Pillow: covers 1200x675, body figures 1000x667, portraits 300x400.

Usage::

    python tools/make_sample_media.py            # both steps, site = repository root
    python tools/make_sample_media.py --site DIR
    python tools/make_sample_media.py --only honours|media

Needs only the standard library and Pillow (``pip install pillow``).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------
# The big honour roll
# --------------------------------------------------------------------------------------------

BIG_ROLL = Path("content/honours/2026/cong-nhan-gioi-2026-toan-tinh.yaml")
BIG_ROLL_SIZE = 2140

FAMILY_NAMES = [  # (family name, weight)
    ("Nguyễn", 30), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 2),
    ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2),
    ("Ngô", 2), ("Dương", 2), ("Lý", 1), ("Đinh", 2), ("Đoàn", 1), ("Trịnh", 1),
    ("Lương", 1), ("Mai", 1), ("Tạ", 1), ("Âu", 1), ("Ông", 1), ("Ứng", 1), ("Lò", 1),
    ("Nông", 1), ("Triệu", 1), ("Hà", 1), ("Chu", 1), ("Kiều", 1), ("Quách", 1),
]
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Đình", "Xuân",
               "Thế", "Ngọc", "Anh", "Quốc", "Thanh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thị Thu", "Thị Ngọc", "Thị Minh", "Thị Kim",
                 "Thị Thanh", "Thị Hồng", "Thị Lan", "Thị Bích"]
GIVEN_MALE = ["Anh", "Ân", "Ất", "Bảo", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải",
              "Hiếu", "Hòa", "Hùng", "Huy", "Khải", "Khang", "Khoa", "Lâm", "Lộc", "Long",
              "Mạnh", "Nam", "Nghĩa", "Ơn", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài",
              "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Ước", "Ưng",
              "Việt", "Vinh"]
GIVEN_FEMALE = ["Anh", "Ánh", "Ân", "Bích", "Chi", "Diệp", "Dung", "Duyên", "Giang", "Hà",
                "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Lan", "Liên", "Linh",
                "Loan", "Mai", "Mến", "Nga", "Ngân", "Nhung", "Oanh", "Ơn", "Phượng", "Quyên",
                "Thảo", "Thoa", "Thu", "Thủy", "Trang", "Uyên", "Ước", "Vân", "Xuân", "Yến"]

LOCALITIES = ["Hà Châu", "Bến Vân", "Đồng Lạc", "Sơn Lâm", "Lam Điền", "Kỳ Phong", "Tân Mỹ",
              "Cát Tường", "Ô Sơn", "Ưng Hòa", "Đức Phong", "Ân Thạnh"]

SECTORS = {
    "co-khi": ["Thợ hàn", "Thợ tiện CNC", "Thợ phay", "Thợ nguội", "Thợ bảo trì", "Tổ trưởng sản xuất"],
    "dien-tu": ["Công nhân lắp ráp", "Công nhân gắn linh kiện", "Kỹ thuật viên", "Công nhân kiểm tra chất lượng", "Tổ trưởng chuyền"],
    "det-may": ["Công nhân may", "Công nhân dệt", "Công nhân cắt", "Công nhân kiểm phẩm", "Tổ trưởng chuyền may", "Thợ sửa máy may"],
    "vat-lieu": ["Công nhân vận hành lò", "Thợ bảo trì cơ điện", "Công nhân vận hành máy nghiền", "Công nhân thí nghiệm", "Thợ nề"],
    "van-tai": ["Công nhân xếp dỡ", "Lái xe nâng", "Lái xe container", "Thợ sửa chữa", "Điều độ viên"],
    "dien-nuoc": ["Công nhân quản lý đường dây", "Thợ điện", "Công nhân vận hành trạm bơm", "Kỹ thuật viên điều độ"],
    "thuc-pham": ["Công nhân chế biến", "Công nhân đóng gói", "Công nhân vận hành dây chuyền", "Thợ bảo trì"],
    "dich-vu": ["Điều dưỡng", "Kỹ thuật viên", "Nhân viên giao dịch", "Giảng viên thực hành", "Nhân viên kỹ thuật"],
    "go": ["Công nhân chế biến gỗ", "Thợ mộc", "Thợ sơn", "Công nhân vận hành lò sấy"],
    "hoa-chat": ["Công nhân vận hành máy ép", "Công nhân pha chế", "Công nhân đóng gói", "Tổ trưởng ca"],
}

UNITS = [  # (unit, locality, sector, weight)
    ("Công ty CP Cơ khí Lam Điền", "Lam Điền", "co-khi", 3),
    ("Công ty TNHH Điện tử Sao Việt Sơn Hà", "Hà Châu", "dien-tu", 6),
    ("Công ty CP May Hà Châu", "Hà Châu", "det-may", 5),
    ("Công ty TNHH Giày da Phú Khang", "Đồng Lạc", "det-may", 5),
    ("Công ty CP Xi măng Sơn Lâm", "Sơn Lâm", "vat-lieu", 3),
    ("Công ty CP Cảng Bến Vân", "Bến Vân", "van-tai", 3),
    ("Công ty Điện lực Sơn Hà", "Hà Châu", "dien-nuoc", 3),
    ("Công ty TNHH Chế biến Gỗ Kỳ Phong", "Kỳ Phong", "go", 2),
    ("Công ty TNHH Thực phẩm An Lộc", "Tân Mỹ", "thuc-pham", 2),
    ("Công ty CP Dược phẩm Hà Châu", "Hà Châu", "hoa-chat", 2),
    ("Bệnh viện Đa khoa tỉnh Sơn Hà", "Hà Châu", "dich-vu", 2),
    ("Công ty TNHH Nhựa Tân Mỹ", "Tân Mỹ", "hoa-chat", 2),
    ("Công ty CP Cấp thoát nước Sơn Hà", "Hà Châu", "dien-nuoc", 1),
    ("Công ty TNHH Linh kiện Ô tô Đồng Lạc", "Đồng Lạc", "co-khi", 4),
    ("Công ty TNHH Dệt Cát Tường", "Cát Tường", "det-may", 3),
    ("Công ty CP Môi trường Đô thị Hà Châu", "Hà Châu", "dich-vu", 1),
    ("Công ty TNHH Bao bì Ô Sơn", "Ô Sơn", "hoa-chat", 2),
    ("Công ty CP Thủy sản Ân Thạnh", "Ân Thạnh", "thuc-pham", 2),
    ("Công ty TNHH Điện máy Ưng Hòa", "Ưng Hòa", "dien-tu", 3),
    ("Công ty CP Xây dựng Đức Phong", "Đức Phong", "vat-lieu", 2),
    ("Công ty TNHH MTV Khai thác Thủy lợi Sơn Hà", "Sơn Lâm", "dien-nuoc", 1),
    ("Công ty CP Gạch men Sơn Lâm", "Sơn Lâm", "vat-lieu", 2),
    ("Công ty TNHH Sợi Đồng Lạc", "Đồng Lạc", "det-may", 3),
    ("Công ty CP Vận tải Sơn Hà", "Hà Châu", "van-tai", 1),
    ("Công ty TNHH Chè Kỳ Phong", "Kỳ Phong", "thuc-pham", 1),
    ("Công ty CP Phân bón Lam Điền", "Lam Điền", "hoa-chat", 1),
    ("Công ty TNHH Kính An Phát", "Ô Sơn", "vat-lieu", 1),
    ("Công ty TNHH Pin Năng lượng Bắc Hà Châu", "Hà Châu", "dien-tu", 4),
    ("Công ty CP Đường Tân Mỹ", "Tân Mỹ", "thuc-pham", 1),
    ("Công ty TNHH Thiết bị Y tế Thiên Phúc", "Cát Tường", "dien-tu", 2),
    ("Trường Cao đẳng Kỹ thuật Sơn Hà", "Hà Châu", "dich-vu", 1),
    ("Công ty CP In và Bao bì Hà Châu", "Hà Châu", "hoa-chat", 1),
    ("Công ty TNHH Cơ điện Bình Minh", "Ưng Hòa", "co-khi", 2),
    ("Công ty CP Nước khoáng Ô Sơn", "Ô Sơn", "thuc-pham", 1),
    ("Công ty TNHH Đóng tàu Bến Vân", "Bến Vân", "co-khi", 3),
    ("Công ty CP Lương thực Đức Phong", "Đức Phong", "thuc-pham", 1),
    ("Công ty TNHH Dây cáp điện Cát Tường", "Cát Tường", "dien-tu", 2),
    ("Công ty CP Thép Ân Thạnh", "Ân Thạnh", "vat-lieu", 2),
    ("Bưu điện tỉnh Sơn Hà", "Hà Châu", "dich-vu", 1),
    ("Công ty TNHH Nội thất Ưng Hòa", "Ưng Hòa", "go", 2),
]

AWARD_NORMAL = "Công nhân giỏi tỉnh Sơn Hà năm 2026"
AWARD_EXCELLENT = "Công nhân giỏi xuất sắc tỉnh Sơn Hà năm 2026"
AWARD_SKILLED = "Thợ giỏi tay nghề cao tỉnh Sơn Hà năm 2026"
AWARDS = [(AWARD_NORMAL, 80), (AWARD_EXCELLENT, 8), (AWARD_SKILLED, 12)]

# People who already appear in the hand-written rolls of 2024 and 2025: same name and unit,
# so the site links them across years.
CARRIED_OVER = [
    ("Nguyễn Văn Anh", "Tổ trưởng tổ hàn kết cấu", "Công ty CP Cơ khí Lam Điền", AWARD_EXCELLENT,
     "Ba năm liền Công nhân giỏi; kèm cặp 14 thợ trẻ",
     "nguoi-tho-han-18-nam-gan-bo-voi-xuong-co-khi-lam-dien"),
    ("Phạm Thị Lan Anh", "Kỹ sư quy trình", "Công ty TNHH Điện tử Sao Việt Sơn Hà", AWARD_EXCELLENT,
     "Ba năm liền Công nhân giỏi", "nu-ky-su-dien-tu-voi-bay-sang-kien-tiet-kiem-hang-ty-dong"),
    ("Đỗ Văn Ưng", "Thợ bảo trì cơ điện", "Công ty CP Xi măng Sơn Lâm", AWARD_EXCELLENT,
     "Năm sáng kiến, làm lợi khoảng 3,2 tỷ đồng", "cong-nhan-gioi-do-van-ung"),
    ("Đặng Quang Đức", "Tổ trưởng tổ xếp dỡ cơ giới số 2", "Công ty CP Cảng Bến Vân", AWARD_NORMAL,
     "Bảy năm tổ không có tai nạn lao động", "tu-cong-nhan-boc-xep-den-to-truong-gioi-cua-cang-ben-van"),
    ("Trần Thị Anh", "Tổ trưởng tổ may mũ giày", "Công ty TNHH Giày da Phú Khang", AWARD_NORMAL,
     None, None),
    ("Âu Minh Khang", "Thợ tiện CNC", "Công ty TNHH Linh kiện Ô tô Đồng Lạc", AWARD_SKILLED,
     "Đồ gá kiểm tra nhanh độ đồng tâm trục, làm lợi 1,3 tỷ đồng",
     "video-hanh-trinh-mot-sang-kien-tu-y-tuong-den-day-chuyen"),
]


def _weighted(rng: random.Random, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for value, w in pairs:
        x -= w
        if x <= 0:
            return value
    return pairs[-1][0]


def _achievement(rng: random.Random) -> str | None:
    kind = rng.randrange(10)
    if kind < 4:
        return None
    if kind == 4:
        return f"Vượt định mức {rng.randrange(5, 26)}% cả năm"
    if kind == 5:
        n = rng.randrange(1, 5)
        return f"{n} sáng kiến được công nhận" if n > 1 else "Một sáng kiến được công nhận"
    if kind == 6:
        return f"Thợ bậc {rng.randrange(4, 8)}/7"
    if kind == 7:
        return f"{rng.randrange(3, 16)} năm liên tục không có tai nạn lao động"
    if kind == 8:
        return f"Kèm cặp {rng.randrange(2, 13)} công nhân mới"
    return "Không có sản phẩm lỗi bị khách hàng trả về"


def big_roll_entries() -> list[dict]:
    """Return the entries of the big roll, deterministically."""
    rng = random.Random(2026)
    unit_locality = {u: loc for u, loc, _, _ in UNITS}
    entries = []
    seen = set()
    for name, position, unit, award, achievement, article in CARRIED_OVER:
        e = {"name": name, "position": position, "unit": unit,
             "locality": unit_locality[unit], "award": award}
        if achievement:
            e["achievement"] = achievement
        if article:
            e["article"] = article
        entries.append(e)
        seen.add((name, unit))
    unit_pairs = [((u, loc, sector), w) for u, loc, sector, w in UNITS]
    while len(entries) < BIG_ROLL_SIZE:
        unit, loc, sector = _weighted(rng, unit_pairs)
        family = _weighted(rng, FAMILY_NAMES)
        if rng.random() < 0.5:
            name = f"{family} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"
        else:
            name = f"{family} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
        if (name, unit) in seen:
            continue
        seen.add((name, unit))
        e = {"name": name, "position": rng.choice(SECTORS[sector]), "unit": unit,
             "locality": loc, "award": _weighted(rng, AWARDS)}
        achievement = _achievement(rng)
        if achievement:
            e["achievement"] = achievement
        entries.append(e)
    # Offices keep such lists grouped by unit, in no particular order inside a unit.
    order = {u: i for i, (u, _, _, _) in enumerate(UNITS)}
    entries.sort(key=lambda e: order[e["unit"]])  # stable: keeps the drawn order inside a unit
    return entries


def _q(value) -> str:
    """A YAML scalar: integers as they are, strings as JSON (valid YAML double-quoted)."""
    if isinstance(value, int):
        return str(value)
    return json.dumps(unicodedata.normalize("NFC", value), ensure_ascii=False)


def big_roll_text() -> str:
    lines = [
        "# Generated by tools/make_sample_media.py (random.Random(2026)); do not edit by hand.",
        "# Fictional people: the list exists to test sorting, filtering and paging on large rolls.",
        f"title: {_q('Công nhân giỏi tỉnh Sơn Hà năm 2026 (danh sách toàn tỉnh)')}",
        "kind: cong-nhan-gioi",
        "year: 2026",
        "campaign: lao-dong-sang-tao-2025-2026",
        f"issuer: {_q('Ban Thường vụ LĐLĐ tỉnh Sơn Hà')}",
        f"decision: {_q('Quyết định số 377/QĐ-LĐLĐ ngày 06/11/2026')}",
        "description: " + _q(
            f"Danh sách {BIG_ROLL_SIZE:,}".replace(",", ".")
            + " công nhân, lao động được công nhận Công nhân giỏi cấp tỉnh năm 2026, năm cuối của "
            "phong trào “Lao động giỏi, lao động sáng tạo” giai đoạn 2025 - 2026. Có thể lọc theo "
            "đơn vị, địa phương và danh hiệu."),
        "entries:",
    ]
    for e in big_roll_entries():
        first = True
        for key in ("name", "position", "unit", "locality", "award", "achievement", "article"):
            if key not in e:
                continue
            lines.append(f"{'  - ' if first else '    '}{key}: {_q(e[key])}")
            first = False
    return "\n".join(lines) + "\n"


def write_big_honour_roll(site: Path = ROOT) -> Path:
    path = site / BIG_ROLL
    _write_if_changed(path, big_roll_text().encode("utf-8"))
    return path


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------

COVER = (1200, 675)
FIGURE = (1000, 667)
PORTRAIT = (300, 400)
JPEG_QUALITY = 72
MAX_BYTES = 120_000

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
]

PALETTES = [  # (sky top, sky bottom, accent)
    ((24, 72, 140), (140, 190, 230), (200, 30, 40)),
    ((250, 170, 90), (255, 225, 160), (180, 20, 30)),
    ((20, 110, 120), (150, 210, 200), (230, 170, 20)),
    ((60, 50, 120), (190, 160, 220), (220, 60, 60)),
    ((30, 100, 60), (170, 215, 160), (200, 40, 40)),
    ((110, 30, 40), (235, 160, 140), (250, 200, 40)),
]

IMAGE_LINE = re.compile(r"^\s*(image|photo)\s*:\s*[\"']?(/media/[^\"'\s#]+)", re.M)
FIGURE_RE = re.compile(r"!\[([^\]]*)\]\((/media/[^)\s]+)(?:\s+\"([^\"]*)\")?\)")
FIELD_RE = {k: re.compile(rf"^{k}\s*:\s*(.+)$", re.M) for k in ("title", "image_caption")}


def _find_font():
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    fonts = Path("/usr/share/fonts")
    if fonts.is_dir():
        for p in sorted(fonts.rglob("*.ttf")):
            if "Sans" in p.name and "Bold" in p.name:
                return str(p)
    return None


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value


def collect_media(site: Path = ROOT) -> dict[str, tuple[str, tuple[int, int]]]:
    """Map every referenced /media/... image to (label, size)."""
    wanted: dict[str, tuple[str, tuple[int, int]]] = {}
    content = site / "content"
    for md in sorted(content.glob("**/*.md")):
        text = md.read_text(encoding="utf-8")
        fm = text.split("\n---", 2)[0] if text.startswith("---") else ""
        for m in IMAGE_LINE.finditer(fm):
            label = ""
            for key in ("image_caption", "title"):
                f = FIELD_RE[key].search(fm)
                if f:
                    label = _unquote(f.group(1))
                    break
            wanted[m.group(2)] = (label, COVER)
        for m in FIGURE_RE.finditer(text):
            wanted.setdefault(m.group(2), (m.group(1) or m.group(3) or "", FIGURE))
    for roll in sorted(content.glob("honours/**/*.yaml")):
        name = ""
        for line in roll.read_text(encoding="utf-8").splitlines():
            n = re.match(r"^\s*-?\s*name\s*:\s*(.+)$", line)
            if n:
                name = _unquote(n.group(1))
            p = re.match(r"^\s*-?\s*photo\s*:\s*[\"']?(/media/[^\"'\s#]+)", line)
            if p:
                wanted.setdefault(p.group(1), (name, PORTRAIT))
    return {k: v for k, v in wanted.items() if k.lower().endswith((".jpg", ".jpeg"))}


def _gradient(draw, size, top, bottom):
    w, h = size
    for y in range(h):
        t = y / max(h - 1, 1)
        draw.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))


def _star(cx, cy, r):
    import math
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.4
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    return pts


def _people(draw, rng, w, h, base_y, count, scale):
    for i in range(count):
        x = int((i + 0.5) * w / count + rng.randint(-12, 12))
        s = scale * rng.uniform(0.85, 1.15)
        shirt = rng.choice([(30, 80, 160), (240, 240, 240), (200, 40, 40), (40, 120, 80),
                            (250, 180, 40), (90, 90, 110)])
        body_top = base_y - int(110 * s)
        draw.rounded_rectangle([x - int(28 * s), body_top, x + int(28 * s), base_y],
                               radius=int(18 * s), fill=shirt)
        draw.ellipse([x - int(18 * s), body_top - int(40 * s), x + int(18 * s), body_top - int(4 * s)],
                     fill=(225, 185, 150))
        if rng.random() < 0.5:  # helmet
            draw.pieslice([x - int(21 * s), body_top - int(48 * s), x + int(21 * s), body_top - int(14 * s)],
                          180, 360, fill=rng.choice([(250, 200, 30), (240, 240, 240), (30, 90, 190)]))


def _scene(img, rng, palette):
    from PIL import ImageDraw
    w, h = img.size
    draw = ImageDraw.Draw(img)
    top, bottom, accent = palette
    _gradient(draw, (w, h), top, bottom)
    ground = int(h * rng.uniform(0.68, 0.78))
    kind = rng.randrange(4)
    # factory / city skyline
    x = 0
    while x < w:
        bw = rng.randint(w // 14, w // 6)
        bh = rng.randint(h // 8, h // 2)
        shade = rng.randint(60, 140)
        colour = (shade, shade + 10, shade + 25)
        draw.rectangle([x, ground - bh, x + bw, ground], fill=colour)
        for wy in range(ground - bh + 12, ground - 10, 22):
            for wx in range(x + 8, x + bw - 12, 18):
                if rng.random() < 0.6:
                    draw.rectangle([wx, wy, wx + 8, wy + 10], fill=(250, 230, 150))
        if rng.random() < 0.3:
            cx = x + bw // 2
            draw.rectangle([cx - 8, ground - bh - h // 6, cx + 8, ground - bh], fill=(110, 110, 120))
            for k in range(3):
                r = 14 + 8 * k
                draw.ellipse([cx - r + 10 * k, ground - bh - h // 6 - 20 - 26 * k - r,
                              cx + r + 10 * k, ground - bh - h // 6 - 20 - 26 * k + r],
                             fill=(230, 230, 235))
        x += bw + rng.randint(0, 20)
    draw.rectangle([0, ground, w, h], fill=(70, 80, 70) if kind != 2 else (120, 110, 100))
    if kind in (0, 1):  # flag on a pole
        px = rng.randint(w // 10, w // 3)
        draw.rectangle([px, ground - int(h * 0.55), px + 6, ground], fill=(200, 200, 200))
        fw, fh = int(w * 0.12), int(w * 0.08)
        fy = ground - int(h * 0.55)
        draw.rectangle([px + 6, fy, px + 6 + fw, fy + fh], fill=accent)
        draw.polygon(_star(px + 6 + fw / 2, fy + fh / 2, fh * 0.32), fill=(255, 220, 0))
    if kind in (1, 2, 3):  # people in front
        _people(draw, rng, w, h, h - int(h * 0.02), rng.randint(4, 9), h / 420)
    if kind == 3:  # banner
        draw.rectangle([w // 8, int(h * 0.08), w - w // 8, int(h * 0.2)], fill=accent)


def _portrait(img, rng, palette):
    from PIL import ImageDraw
    w, h = img.size
    draw = ImageDraw.Draw(img)
    top, bottom, accent = palette
    _gradient(draw, (w, h), bottom, top)
    shirt = rng.choice([(30, 80, 160), (240, 240, 240), (40, 120, 80), (90, 90, 110)])
    draw.rounded_rectangle([w * 0.12, h * 0.58, w * 0.88, h * 1.05], radius=60, fill=shirt)
    draw.polygon([(w * 0.42, h * 0.58), (w * 0.5, h * 0.68), (w * 0.58, h * 0.58)], fill=(230, 230, 230))
    draw.ellipse([w * 0.3, h * 0.2, w * 0.7, h * 0.6], fill=(225, 185, 150))
    hair = rng.choice([(30, 25, 20), (50, 40, 30), (20, 20, 20)])
    draw.chord([w * 0.28, h * 0.16, w * 0.72, h * 0.5], 180, 360, fill=hair)
    draw.polygon(_star(w * 0.85, h * 0.1, 18), fill=accent)


def _wrap(draw, text, font, max_width, max_lines):
    words, lines, cur = text.split(), [], ""
    for word in words:
        trial = (cur + " " + word).strip()
        if draw.textlength(trial, font=font) <= max_width:
            cur = trial
            continue
        if cur:
            lines.append(cur)
        cur = word
        if len(lines) == max_lines:
            break
    if cur and len(lines) < max_lines:
        lines.append(cur)
    if len(lines) == max_lines and " ".join(lines) != " ".join(words):
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > max_width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _label(img, text, font_path, portrait=False):
    from PIL import Image, ImageDraw, ImageFont
    w, h = img.size
    size = max(14, int(h * (0.055 if portrait else 0.045)))
    try:
        font = ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default()
        small = ImageFont.truetype(font_path, max(11, size * 2 // 3)) if font_path else font
    except OSError:
        font = small = ImageFont.load_default()
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    od = ImageDraw.Draw(overlay)
    lines = _wrap(od, unicodedata.normalize("NFC", text), font, w - 2 * int(w * 0.05), 3 if portrait else 2)
    line_h = int(size * 1.3)
    band = line_h * max(len(lines), 1) + int(size * 1.2)
    od.rectangle([0, h - band, w, h], fill=(0, 0, 0, 150))
    y = h - band + int(size * 0.6)
    for line in lines:
        od.text((int(w * 0.05), y), line, font=font, fill=(255, 255, 255, 255))
        y += line_h
    if not portrait:
        od.rectangle([0, 0, int(w * 0.26), int(size * 1.6)], fill=(200, 30, 40, 230))
        od.text((int(size * 0.5), int(size * 0.3)), "CÔNG ĐOÀN SƠN HÀ", font=small, fill=(255, 255, 255, 255))
    img.paste(Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB"))


def render_image(media_path: str, label: str, size: tuple[int, int], font_path) -> bytes:
    from PIL import Image
    seed = int.from_bytes(hashlib.sha256(media_path.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)
    palette = PALETTES[seed % len(PALETTES)]
    img = Image.new("RGB", size)
    if size == PORTRAIT:
        _portrait(img, rng, palette)
    else:
        _scene(img, rng, palette)
    _label(img, label or Path(media_path).stem.replace("-", " "), font_path, portrait=size == PORTRAIT)
    quality = JPEG_QUALITY
    while True:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality, optimize=True)
        data = buf.getvalue()
        if len(data) <= MAX_BYTES or quality <= 40:
            return data
        quality -= 8


def make_media(site: Path = ROOT) -> list[Path]:
    try:
        import PIL  # noqa: F401
    except ImportError:
        sys.exit("Pillow is needed: pip install pillow")
    font_path = _find_font()
    written = []
    for media_path, (label, size) in sorted(collect_media(site).items()):
        target = site / "content" / "media" / media_path[len("/media/"):]
        _write_if_changed(target, render_image(media_path, label, size, font_path))
        written.append(target)
    return written


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, default=ROOT, help="site folder (default: repository root)")
    ap.add_argument("--only", choices=["honours", "media"], help="run one step only")
    args = ap.parse_args(argv)
    site = args.site.resolve()
    if args.only in (None, "honours"):
        path = write_big_honour_roll(site)
        print(f"honour roll: {path.relative_to(site)} ({BIG_ROLL_SIZE} entries)")
    if args.only in (None, "media"):
        files = make_media(site)
        print(f"media: {len(files)} images under content/media/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
