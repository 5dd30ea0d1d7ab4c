"""Honour-roll validation: every problem reported as `path:line: message`, never a traceback."""
from generator.honours.reader import read_roll
from generator.markdown_render import MarkdownRenderer
from conftest import build

BAD_ROLL = """\
title: Bảng vàng thử
kind: cong-nhan-gioi
year: "năm 2024"
entries:
  - name: Nguyễn Văn An
    position: [a, b]
  - unit: Công ty A
    award: Giấy khen
  - initiative: Cải tiến X
    benefit: một trăm triệu
  - name: Lê Thị Bình
    benefit: 5000
  - collective: Tổ A
    colective: x
  - "chỉ là chữ"
  - name: Trần Văn Cường
    article: "Bài Viết Hay"
"""


def read(text: str, path: str = "content/honours/2024/thu.yaml"):
    roll, problems = read_roll(text.encode("utf-8"), path, MarkdownRenderer("/"))
    return roll, sorted(p.format() for p in problems)


def test_every_schema_problem_has_its_line():
    roll, problems = read(BAD_ROLL)
    assert roll is None
    p = "content/honours/2024/thu.yaml"
    assert problems == sorted([
        f"{p}:3: error: 'year' must be a year such as 2024, not 'năm 2024'",
        f"{p}:6: error: 'position' must be text, not a list",
        f"{p}:7: error: entry 2 has none of 'name', 'collective' or 'initiative'; start the entry with "
        "'- name:' (a person), '- collective:' (tập thể) or '- initiative:' (sáng kiến)",
        f"{p}:10: error: 'benefit' must be a number, not 'một trăm triệu'; write digits only, e.g. 120000000",
        f"{p}:12: error: 'benefit' belongs to an initiative entry ('- initiative:'), not to a 'name' entry",
        f"{p}:14: warning: unknown entry key 'colective' is ignored; did you mean 'collective'?",
        f"{p}:15: error: entry 6 must be a mapping such as '- name: Nguyễn Văn An'",
        f"{p}:17: error: 'Bài Viết Hay' is not an article slug; write the slug, or category/slug",
    ])


def test_roll_level_problems():
    roll, problems = read("title: [x]\nkind: khen\nentries: abc\n", "content/honours/Thu nghiem.yaml")
    p = "content/honours/Thu nghiem.yaml"
    assert roll is None
    assert problems == sorted([
        f"{p}: error: roll file name 'Thu nghiem.yaml' must be a slug; use lower-case letters, digits and hyphens only, e.g. cong-nhan-gioi-2024.yaml",
        f"{p}:1: error: 'title' must be text, not a list",
        f"{p}:1: error: 'year' is required; for example year: 2024",
        f"{p}:2: error: 'kind' must be one of cong-nhan-gioi, sang-kien, khen-thuong, giai-thuong, other, not 'khen'; did you mean 'khen-thuong'?",
        f"{p}:3: error: 'entries' must be a list, each item starting with '- name:', '- collective:' or '- initiative:'",
    ])


def test_yaml_syntax_error_is_a_diagnostic():
    roll, problems = read("title: Thử\nyear: 2024\nentries:\n  - name: A: B\n")
    assert roll is None and problems[0].startswith("content/honours/2024/thu.yaml:4: error: YAML syntax error")


def test_good_roll_reads_money_with_separators():
    roll, problems = read("title: Sáng kiến\nkind: sang-kien\nyear: 2025\nentries:\n"
                          "  - initiative: Máy cắt\n    authors: Đỗ Văn Ứng\n    benefit: \"120.000.000\"\n")
    assert problems == [] and roll.entries[0].benefit == 120000000 and roll.entries[0].authors == ("Đỗ Văn Ứng",)


def test_unknown_campaign_and_article_are_reported_across_files(copy_site, tmp_path):
    site = copy_site("honours")
    (site / "content/honours/2025/sai.yaml").write_text(
        "title: Danh sách sai\nkind: other\nyear: 2025\ncampaign: sang-kien-2062\nentries:\n"
        "  - name: Nguyễn Văn An\n    article: chan-dung-anh\n"
        "  - name: Lê Văn Bình\n    photo: /media/khong-co.jpg\n", encoding="utf-8")
    output = tmp_path / "out"
    report = build(site, output)
    lines = [d.format() for d in report.diagnostics]
    assert not report.ok and not output.exists()
    p = "content/honours/2025/sai.yaml"
    assert f"{p}:4: error: unknown campaign 'sang-kien-2062'; did you mean 'sang-kien-2026'?" in lines
    assert f"{p}:7: error: entry 'Nguyễn Văn An': article 'chan-dung-anh' does not exist; did you mean 'chan-dung-an'?" in lines
    assert any(line.startswith(f"{p}:9: error: entry 'Lê Văn Bình': photo '/media/khong-co.jpg' not found") for line in lines)


def test_two_rolls_with_one_file_name_clash(copy_site, tmp_path):
    site = copy_site("honours")
    (site / "content/honours/2024/khen-thuong-2025.yaml").write_text(
        "title: Trùng tên\nyear: 2024\nentries:\n  - name: A\n", encoding="utf-8")
    report = build(site, tmp_path / "out")
    assert any("two rolls would be published at /vinh-danh/khen-thuong-2025/" in d.message for d in report.diagnostics)


def test_entries_may_name_their_section():
    roll, problems = read("title: Khen thưởng\nkind: khen-thuong\nyear: 2024\nentries:\n"
                          "  - collective: Tổ hàn số 2\n    section: A. TẬP THỂ\n"
                          "  - name: Nguyễn Văn An\n")
    assert problems == []
    assert [e.section for e in roll.entries] == ["A. TẬP THỂ", ""]
