"""`import-honours`: spreadsheets (XLSX, CSV in UTF-8 with BOM, Windows-1258) to a roll file."""
import unicodedata
from pathlib import Path

import pytest
import yaml

from generator.cli import main

HEADERS = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Địa phương", "Danh hiệu", "Thành tích"]
ROWS = [
    ["1", "Nguyễn Văn An", "Tổ trưởng tổ hàn", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Công nhân giỏi", "Ba sáng kiến"],
    ["2", "Lê Thị Ánh", "Thợ may", "Công ty May Sông Hồng", "Tây Sơn", "Công nhân giỏi", ""],
]


def run_import(tmp_path: Path, source: Path, *extra: str) -> tuple[int, Path]:
    output = tmp_path / "out" / "roll.yaml"
    code = main(["import-honours", str(source), "--output", str(output), "--year", "2025",
                 "--title", "Công nhân giỏi năm 2025", "--kind", "cong-nhan-gioi", *extra])
    return code, output


def test_xlsx_becomes_a_roll(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH"] + [None] * 6)        # a title line above the table is common…
    sheet.delete_rows(1)                           # …but here the header is the first row
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append([int(row[0]), *row[1:]])
    sheet.append([None] * 7)                       # blank row: skipped
    sheet.append([3, "Tên sáng kiến?", None, None, None, None, None])
    source = tmp_path / "ds.xlsx"
    book.save(source)

    code, output = run_import(tmp_path, source)
    assert code == 0
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["title"] == "Công nhân giỏi năm 2025" and roll["kind"] == "cong-nhan-gioi" and roll["year"] == 2025
    assert roll["entries"][0] == {"name": "Nguyễn Văn An", "position": "Tổ trưởng tổ hàn", "unit": "Công ty Cơ khí Hòa Bình",
                                  "locality": "Đông Hà", "award": "Công nhân giỏi", "achievement": "Ba sáng kiến"}
    assert [e["name"] for e in roll["entries"]] == ["Nguyễn Văn An", "Lê Thị Ánh", "Tên sáng kiến?"]


def test_initiatives_from_xlsx_with_money_and_authors(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH SÁNG KIẾN ĐƯỢC CÔNG NHẬN"])     # the roll's title: no year in it
    sheet.append(["STT", "Tên sáng kiến", "Tác giả", "Đơn vị", "Lĩnh vực", "Giá trị làm lợi (đồng)"])
    sheet.append([1, "Cải tiến khuôn ép", "Trần Thị Hoa, Lê Văn Bình", "Nhà máy Z151", "Cơ khí", 120000000])
    sheet.append([2, "Bộ gá hàn xoay", "Đỗ Văn Ứng", "Nhà máy Z151", "Cơ khí", "35.500.000 đ"])
    source = tmp_path / "sang-kien-2025.xlsx"
    book.save(source)
    output = tmp_path / "sk.yaml"
    assert main(["import-honours", str(source), "--output", str(output)]) == 0
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["kind"] == "sang-kien" and roll["year"] == 2025     # guessed from the columns and file name
    assert roll["title"] == "DANH SÁCH SÁNG KIẾN ĐƯỢC CÔNG NHẬN"
    assert roll["entries"][0]["authors"] == ["Trần Thị Hoa", "Lê Văn Bình"]
    assert [e["benefit"] for e in roll["entries"]] == [120000000, 35500000]


def test_csv_utf8_with_bom_and_semicolons(tmp_path):
    text = "\n".join(";".join(r) for r in [HEADERS, *ROWS, [""] * 7]) + "\n"
    source = tmp_path / "ds.csv"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, output = run_import(tmp_path, source)
    assert code == 0
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["entries"][1]["name"] == "Lê Thị Ánh"
    assert "locality" not in roll["entries"][1] or roll["entries"][1]["locality"] == "Tây Sơn"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Excel writes it: letters such as ơ, ê, đ are one byte, tone marks are
    separate combining bytes after the vowel (only a few toned vowels exist precomposed)."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            letter = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
            out.append((letter + "".join(m for m in marks if m in tones)).encode("cp1258"))
    return b"".join(out)


def test_csv_in_windows_1258_with_tabs(tmp_path):
    text = "\r\n".join("\t".join(r) for r in [HEADERS, *ROWS]) + "\r\n"
    data = encode_cp1258(text)
    assert "\u0303".encode("cp1258") in data          # "ễ" of Nguyễn went out as e-circumflex + tilde
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    source = tmp_path / "ds.csv"
    source.write_bytes(data)
    code, output = run_import(tmp_path, source)
    assert code == 0
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["entries"][0]["name"] == "Nguyễn Văn An"        # composed again (NFC)
    assert roll["entries"][0]["locality"] == "Đông Hà"


def test_bad_rows_are_reported_by_number_and_nothing_is_written(tmp_path, capsys):
    rows = [
        "STT,Họ và tên,Tên sáng kiến,Đơn vị,Giá trị làm lợi",
        "1,Nguyễn Văn An,,Công ty A,",
        "",
        "2,,,Công ty B,",
        "3,,Cải tiến máy cắt,Công ty C,một trăm triệu",
        "4,Lê Thị Bình,Máy gấp giấy,Công ty D,",
    ]
    source = tmp_path / "ds.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, output = run_import(tmp_path, source)
    assert code == 1
    assert not output.exists() and not output.parent.exists()
    err = capsys.readouterr().err
    assert "row 4: no name" in err
    assert "row 5: 'Giá trị làm lợi' is not an amount in đồng: 'một trăm triệu'" in err
    assert "row 6: both 'name' and 'initiative' are filled" in err
    assert "row 2" not in err


def test_existing_file_is_not_replaced_without_force(tmp_path):
    source = tmp_path / "ds.csv"
    source.write_text("Họ và tên,Đơn vị\nNguyễn Văn An,Công ty A\n", encoding="utf-8")
    code, output = run_import(tmp_path, source)
    assert code == 0
    before = output.read_bytes()
    source.write_text("Họ và tên,Đơn vị\nLê Văn Bình,Công ty B\n", encoding="utf-8")
    assert run_import(tmp_path, source)[0] == 2
    assert output.read_bytes() == before
    assert run_import(tmp_path, source, "--force")[0] == 0
    assert "Lê Văn Bình" in output.read_text(encoding="utf-8")


def test_default_output_goes_under_the_site_and_builds(tmp_path, copy_site):
    from conftest import build
    site = copy_site("honours")
    source = tmp_path / "cong-nhan-gioi-2026.csv"
    source.write_text("STT,Họ và tên,Đơn vị,Danh hiệu\n1,Vũ Văn Ba,Công ty Cơ khí Hòa Bình,Công nhân giỏi\n",
                      encoding="utf-8")
    assert main(["import-honours", str(source), "--site", str(site), "--title", "Công nhân giỏi 2026"]) == 0
    written = site / "content" / "honours" / "2026" / "cong-nhan-gioi-2026.yaml"
    assert written.is_file()
    report = build(site, tmp_path / "out")
    assert report.ok, [d.format() for d in report.diagnostics]
    assert (tmp_path / "out" / "vinh-danh" / "cong-nhan-gioi-2026" / "index.html").is_file()


# ---- every row accounted for: title row, section headings, ragged rows, duplicates ---------------
TITLE = "DANH SÁCH CÔNG NHÂN GIỎI NĂM 2024"
# Rows as the spreadsheet shows them (row 1 is the title, row 2 the header).
SECTIONED = [
    [TITLE],                                                                                             # 1
    HEADERS,                                                                                             # 2
    ["KHỐI DOANH NGHIỆP"],                                                                               # 3
    ["1", "Nguyễn Văn An", "Tổ trưởng tổ hàn", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Công nhân giỏi", ""],  # 4
    ["2", "Lê Thị Ánh", "Thợ may", "Công ty May Sông Hồng", "Tây Sơn", "Công nhân giỏi", ""],              # 5
    [],                                                                                                  # 6
    ["A. TẬP THỂ"],                                                                                      # 7
    ["3", "Tổ hàn số 2", "", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Bằng khen", ""],                      # 8
    ["4", "Công đoàn Công ty May Sông Hồng", "", "", "Tây Sơn", "Bằng khen", ""],                         # 9
    ["II. CÁ NHÂN"],                                                                                     # 10
    ["5", "Trần Thị Mai", "Kế toán", "Công ty May Sông Hồng", "Tây Sơn", "Lao động giỏi", ""],             # 11
]
EXPECTED_SECTIONS = [
    ("name", "Nguyễn Văn An", "KHỐI DOANH NGHIỆP"), ("name", "Lê Thị Ánh", "KHỐI DOANH NGHIỆP"),
    ("collective", "Tổ hàn số 2", "A. TẬP THỂ"), ("collective", "Công đoàn Công ty May Sông Hồng", "A. TẬP THỂ"),
    ("name", "Trần Thị Mai", "II. CÁ NHÂN"),
]


def write_csv(path: Path, rows, pad: bool = True) -> Path:
    """Rows as Excel saves them (`pad`: every row as wide as the header); a str row is written as is."""
    lines = []
    for row in rows:
        if isinstance(row, str):
            lines.append(row)
        else:
            lines.append(",".join(row + [""] * (len(HEADERS) - len(row)) if pad and row and len(row) == 1 else row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value != "":
                sheet.cell(row=number, column=column, value=int(value) if value.isdigit() else value)
    book.save(path)
    return path


def import_sectioned(tmp_path: Path, source: Path, *extra: str) -> tuple[int, Path]:
    output = tmp_path / "out" / "roll.yaml"
    return main(["import-honours", str(source), "--output", str(output), "--kind", "cong-nhan-gioi", *extra]), output


def sections_of(output: Path) -> list[tuple[str, str, str]]:
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    subject = lambda e: "name" if "name" in e else "collective"
    return [(subject(e), e[subject(e)], e.get("section")) for e in roll["entries"]]


@pytest.mark.parametrize("form", ["csv", "csv-bare", "xlsx"])
def test_headings_become_sections_and_switch_the_kind(tmp_path, capsys, form):
    if form == "xlsx":
        source = write_xlsx(tmp_path / "ds.xlsx", SECTIONED)
    else:
        source = write_csv(tmp_path / "ds.csv", SECTIONED, pad=form == "csv")
    code, output = import_sectioned(tmp_path, source)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert sections_of(output) == EXPECTED_SECTIONS
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["title"] == TITLE and roll["year"] == 2024             # from the title row, not the file name
    assert "position" not in roll["entries"][2]
    # Every data row is accounted for: 5 entries, 3 headings, 1 blank row, nothing reported.
    assert "5 dòng đã nhập, 3 dòng tiêu đề nhóm, 1 dòng trống bỏ qua, 0 dòng được báo" in captured.out
    for number, heading in ((3, "KHỐI DOANH NGHIỆP"), (7, "A. TẬP THỂ"), (10, "II. CÁ NHÂN")):
        assert f"row {number}: heading '{heading}'" in captured.err
    assert "error" not in captured.err and "warning" not in captured.err


BAD_CSV = [
    [TITLE],                                                                                              # 1
    HEADERS,                                                                                              # 2
    ["KHỐI DOANH NGHIỆP"],                                                                                # 3
    ["1", "Nguyễn Văn An", "Tổ trưởng tổ hàn", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Công nhân giỏi", ""],   # 4
    ["2", "Lê Thị Ánh", "Thợ may", "Công ty May Sông Hồng", "Công nhân giỏi", ""],                           # 5: short
    "3,Phạm Văn Bình,Tổ trưởng, tổ hàn,Công ty Cơ khí Hòa Bình,Đông Hà,Công nhân giỏi,",                     # 6: extra ","
    ["4", "Nguyễn Văn An", "Tổ trưởng tổ hàn", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Công nhân giỏi", ""],   # 7: = row 4
    ["A. TẬP THỂ"],                                                                                       # 8
    ["5", "Tổ hàn số 2", "", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Bằng khen", ""],                       # 9
    ["6", "Tổ hàn số 2", "", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Bằng khen", ""],                       # 10: = row 9
]


def test_csv_short_row_extra_separator_and_duplicates_are_reported_by_row(tmp_path, capsys):
    source = write_csv(tmp_path / "ds.csv", BAD_CSV)
    code, output = import_sectioned(tmp_path, source)
    err = capsys.readouterr().err
    assert code == 1
    assert not output.exists() and not output.parent.exists()
    assert "error: row 5 has 6 cells but the header has 7" in err
    assert "error: row 6 has 8 cells but the header has 7" in err and "unquoted separator" in err
    assert "warning: row 7 repeats row 4" in err
    assert "warning: row 10 repeats row 9" in err
    for heading in (3, 8):
        assert f"error: row {heading}" not in err and f"warning: row {heading}" not in err
    assert "2 dòng đúng, 2 dòng tiêu đề nhóm, 0 dòng trống bỏ qua, 4 dòng được báo" in err
    assert "chưa ghi tệp nào" in err


def test_xlsx_cells_beyond_the_header_and_duplicates_are_reported_by_row(tmp_path, capsys):
    rows = [
        [TITLE], HEADERS, ["KHỐI DOANH NGHIỆP"],                                                           # 1-3
        ["1", "Nguyễn Văn An", "Tổ trưởng tổ hàn", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Công nhân giỏi", ""],  # 4
        ["2", "Lê Thị Ánh", "Thợ may", "Công ty May Sông Hồng", "Tây Sơn", "Công nhân giỏi", "", "Chuyển sang 2025"],  # 5
        ["3", "Nguyễn Văn An", "Tổ trưởng tổ hàn", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Công nhân giỏi", ""],  # 6 = 4
        ["A. TẬP THỂ"],                                                                                    # 7
        ["4", "Tổ hàn số 2", "", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Bằng khen", ""],                    # 8
        ["5", "Tổ hàn số 2", "", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Bằng khen", ""],                    # 9 = 8
    ]
    source = write_xlsx(tmp_path / "ds.xlsx", rows)
    code, output = import_sectioned(tmp_path, source)
    err = capsys.readouterr().err
    assert code == 1 and not output.exists()
    assert "error: row 5 has 8 cells but the header has 7" in err and "column H" in err
    assert "warning: row 6 repeats row 4" in err and "warning: row 9 repeats row 8" in err
    assert "error: row 3" not in err and "error: row 7" not in err
    assert "2 dòng đúng, 2 dòng tiêu đề nhóm, 0 dòng trống bỏ qua, 3 dòng được báo" in err


def test_duplicates_alone_are_warned_and_imported_once(tmp_path, capsys):
    source = write_csv(tmp_path / "ds.csv", [[TITLE], HEADERS, *ROWS, ["3", *ROWS[0][1:]]])
    code, output = import_sectioned(tmp_path, source)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "warning: row 5 repeats row 3" in captured.err
    assert [e["name"] for e in yaml.safe_load(output.read_text(encoding="utf-8"))["entries"]] == ["Nguyễn Văn An", "Lê Thị Ánh"]
    assert "2 dòng đã nhập, 0 dòng tiêu đề nhóm, 0 dòng trống bỏ qua, 1 dòng được báo" in captured.out


def test_title_comes_from_the_title_row_or_must_be_given(tmp_path, capsys):
    source = write_csv(tmp_path / "danh-sach-cong-nhan-gioi.csv", [HEADERS, *ROWS])
    code, output = import_sectioned(tmp_path, source)
    err = capsys.readouterr().err
    assert code == 2 and not output.exists()
    assert "no title row" in err and "--title" in err
    assert import_sectioned(tmp_path, source, "--title", "Công nhân giỏi năm 2024")[0] == 0
    assert yaml.safe_load(output.read_text(encoding="utf-8"))["title"] == "Công nhân giỏi năm 2024"


def test_nested_headings_join_and_follow_their_marks(tmp_path, capsys):
    rows = [
        [TITLE], ["STT", "Họ và tên", "Đơn vị"],
        ["A", "TẬP THỂ", ""],                            # a mark in the STT column and its text
        ["I. KHỐI DOANH NGHIỆP"],
        ["1", "Tổ hàn số 2", "Công ty Cơ khí Hòa Bình"],
        ["II. KHỐI HÀNH CHÍNH SỰ NGHIỆP"],
        ["2", "Công đoàn Trường Tiểu học Kim Đồng", ""],
        ["B. CÁ NHÂN"],
        ["I. KHỐI DOANH NGHIỆP"],
        ["3", "Nguyễn Văn An", "Công ty Cơ khí Hòa Bình"],
    ]
    path = tmp_path / "ds.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    code, output = import_sectioned(tmp_path, path)
    assert code == 0, capsys.readouterr().err
    assert sections_of(output) == [
        ("collective", "Tổ hàn số 2", "A. TẬP THỂ – I. KHỐI DOANH NGHIỆP"),
        ("collective", "Công đoàn Trường Tiểu học Kim Đồng", "A. TẬP THỂ – II. KHỐI HÀNH CHÍNH SỰ NGHIỆP"),
        ("name", "Nguyễn Văn An", "B. CÁ NHÂN – I. KHỐI DOANH NGHIỆP"),
    ]


def test_sections_show_on_the_built_roll_page(tmp_path, copy_site):
    from bs4 import BeautifulSoup
    from conftest import build
    site = copy_site("honours")
    source = write_csv(tmp_path / "ds.csv", SECTIONED)
    assert main(["import-honours", str(source), "--site", str(site), "--kind", "cong-nhan-gioi"]) == 0
    written = site / "content" / "honours" / "2024" / "danh-sach-cong-nhan-gioi-nam-2024.yaml"
    assert written.is_file()
    report = build(site, tmp_path / "out")
    assert report.ok, [d.format() for d in report.diagnostics]
    html = (tmp_path / "out" / "vinh-danh" / "danh-sach-cong-nhan-gioi-nam-2024" / "index.html").read_text(encoding="utf-8")
    static = BeautifulSoup(html, "html.parser").select_one(".honour-static")
    # Each section heading, in file order, followed by its own entries (sorted by name within it).
    shown, current = [], None
    for node in static.find_all(["h2", "h3", "li"]):
        if node.name in ("h2", "h3"):
            current = (node.name, node.get_text(strip=True), [])
            shown.append(current)
        elif "honour-entry" in node.get("class", []):
            current[2].append(node.select_one(".honour-title").get_text(strip=True))
    assert shown == [
        ("h2", "KHỐI DOANH NGHIỆP", ["Nguyễn Văn An", "Lê Thị Ánh"]),
        ("h2", "A. TẬP THỂ", ["Công đoàn Công ty May Sông Hồng", "Tổ hàn số 2"]),
        ("h2", "II. CÁ NHÂN", ["Trần Thị Mai"]),
    ]
    # Numbers run on across sections, and every section is a labelled region.
    assert [li["id"] for li in static.select("li.honour-entry")] == [f"muc-{n}" for n in range(1, 6)]
    for region in static.select("section"):
        assert region.find(id=region["aria-labelledby"]) is not None
    # Heading levels never skip one, from the page title down.
    main_html = BeautifulSoup(html, "html.parser").select_one("main")
    levels = [int(h.name[1]) for h in main_html.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    ids = [t["id"] for t in main_html.find_all(id=True)]
    assert len(ids) == len(set(ids))
    # The live filter's index names the sections too, without changing the entry arrays.
    import json
    data = json.loads((tmp_path / "out/vinh-danh/danh-sach-cong-nhan-gioi-nam-2024/danh-sach.json").read_text(encoding="utf-8"))
    assert data["sections"] == ["KHỐI DOANH NGHIỆP", "A. TẬP THỂ", "II. CÁ NHÂN"]
    assert data["sectionOf"] == [0, 0, 1, 1, 2] and data["entries"][0][-1] == "nguyen van an"


def test_a_total_and_a_signature_below_the_list_are_reported(tmp_path, capsys):
    rows = [[TITLE], HEADERS, *ROWS,
            ["", "Tổng cộng: 2 người"],                          # row 5: one cell in the name column
            ["", "", "", "", "", "CHỦ TỊCH", ""]]                # row 6: one cell under 'Danh hiệu'
    code, output = import_sectioned(tmp_path, write_csv(tmp_path / "ds.csv", rows))
    err = capsys.readouterr().err
    assert code == 1 and not output.exists()
    assert "error: row 6: no name, only 'Danh hiệu' is filled ('CHỦ TỊCH'): delete the row if it is not an entry" in err
    code, output = import_sectioned(tmp_path, write_csv(tmp_path / "ds.csv", rows[:-1]))
    captured = capsys.readouterr()
    assert code == 0
    assert "warning: row 5: 'Tổng cộng: 2 người' looks like a section heading (one filled cell) but no row follows it" in captured.err
    assert all("section" not in e for e in yaml.safe_load(output.read_text(encoding="utf-8"))["entries"])
    assert "2 dòng đã nhập, 0 dòng tiêu đề nhóm, 0 dòng trống bỏ qua, 1 dòng được báo" in captured.out
